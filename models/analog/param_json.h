// The analog core's parameters are parameters of the project's one parameter system (config/params.h).
//
// Every configuration struct of the analog core lists its fields once, in
//   template <class V> void visit(V& v) {
//     v.param("gmax_us", gmax_us, "uS", "maximum conductance of one device", kPositive, 1e6);  // min, max optional
//     v.child("drift", drift, "conductance drift model");
//   }
// and JSON reading and writing, `--set`, `--describe` and the docs tables all come from that one list,
// so they cannot disagree. Unknown keys and out-of-range values are errors naming the key and where
// it was found, with the closest valid key as a suggestion.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "config/params.h"

namespace aimc::analog {

using Json = nlohmann::json;
using aimc::kInf;
using aimc::kPositive;

// Fills `obj` from JSON on top of its current values; keys in errors start with `where`. A struct with
// presets (a core configuration, a technology) also takes a preset name or {"preset": name, ...}.
template <class T>
void read_json(const Json& j, T& obj, const std::string& where) {
  aimc::apply_json(obj, j, "", where);
}

// Every parameter of `obj` as JSON; read_json gives the same values back.
template <class T>
Json write_json(const T& obj) {
  return aimc::to_json(const_cast<T&>(obj));
}

}  // namespace aimc::analog
