// Typed, named parameters with units and a one-line description, read from and written to JSON.
//
// Every configuration struct of the analog core lists its fields once, in
//   template <class V> void visit(V& v) {
//     v.param("gmax_us", gmax_us, "uS", "maximum conductance of one device");
//     v.child("drift", drift, "conductance drift model");
//   }
// and the JSON reader, the JSON writer and the parameter-table printer are all derived from that one
// list, so they cannot disagree. Unknown JSON keys are errors naming the key and where it was found.
#pragma once

#include <nlohmann/json.hpp>

#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace aimc::analog {

using Json = nlohmann::json;

namespace detail {
template <class T>
void read_scalar(const Json& j, T& out, const std::string& where) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!j.is_boolean()) throw std::invalid_argument(where + ": expected true/false");
    out = j.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    if (!j.is_number_integer()) throw std::invalid_argument(where + ": expected an integer");
    out = j.get<T>();
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!j.is_number()) throw std::invalid_argument(where + ": expected a number");
    out = j.get<T>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!j.is_string()) throw std::invalid_argument(where + ": expected a string");
    out = j.get<std::string>();
  } else if constexpr (std::is_same_v<T, std::vector<double>>) {
    if (!j.is_array()) throw std::invalid_argument(where + ": expected an array of numbers");
    out.clear();
    for (size_t i = 0; i < j.size(); ++i) {
      if (!j[i].is_number())
        throw std::invalid_argument(where + "[" + std::to_string(i) + "]: expected a number");
      out.push_back(j[i].get<double>());
    }
  } else {
    static_assert(sizeof(T) == 0, "unsupported parameter type");
  }
}
}  // namespace detail

template <class T>
void read_json(const Json& j, T& obj, const std::string& where);

// Visitor that fills a struct from a JSON object, rejecting unknown keys.
class ParamReader {
 public:
  ParamReader(const Json& j, std::string where) : j_(j), where_(std::move(where)) {
    if (!j_.is_object()) throw std::invalid_argument(where_ + ": expected a JSON object");
  }
  template <class T>
  void param(const char* name, T& field, const char*, const char*) {
    auto it = j_.find(name);
    if (it == j_.end()) return;
    used_.insert(name);
    detail::read_scalar(*it, field, where_ + "." + name);
  }
  template <class T>
  void child(const char* name, T& obj, const char*) {
    auto it = j_.find(name);
    if (it == j_.end()) return;
    used_.insert(name);
    read_json(*it, obj, where_ + "." + name);
  }
  // A key handled by the caller itself (e.g. "preset").
  void accept(const char* name) { used_.insert(name); }
  void finish() const {
    for (auto it = j_.begin(); it != j_.end(); ++it)
      if (!used_.count(it.key()))
        throw std::invalid_argument(where_ + ": unknown key '" + it.key() + "'");
  }

 private:
  const Json& j_;
  std::string where_;
  std::set<std::string> used_;
};

template <class T>
Json write_json(const T& obj);

// Visitor that writes every parameter of a struct to a JSON object.
class ParamWriter {
 public:
  template <class T>
  void param(const char* name, const T& field, const char*, const char*) { j[name] = field; }
  template <class T>
  void child(const char* name, const T& obj, const char*) { j[name] = write_json(obj); }
  Json j = Json::object();
};

// Visitor that lists parameters as rows "path | unit | default | description" (for docs and --describe).
class ParamDescriber {
 public:
  explicit ParamDescriber(std::string prefix = "") : prefix_(std::move(prefix)) {}
  template <class T>
  void param(const char* name, const T& field, const char* unit, const char* desc) {
    rows.push_back({prefix_ + name, unit, Json(field).dump(), desc});
  }
  template <class T>
  void child(const char* name, const T& obj, const char*) {
    ParamDescriber d(prefix_ + name + ".");
    const_cast<T&>(obj).visit(d);
    rows.insert(rows.end(), d.rows.begin(), d.rows.end());
  }
  struct Row {
    std::string path, unit, value, description;
  };
  std::vector<Row> rows;

 private:
  std::string prefix_;
};

// Default implementations for any struct with visit(); types may overload read_json (found by ADL).
template <class T>
void read_json(const Json& j, T& obj, const std::string& where) {
  ParamReader r(j, where);
  obj.visit(r);
  r.finish();
}

template <class T>
Json write_json(const T& obj) {
  ParamWriter w;
  const_cast<T&>(obj).visit(w);
  return w.j;
}

}  // namespace aimc::analog
