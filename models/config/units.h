// Units of parameter values: how "130 ns", "1 us", "16 MiB", "1.5 GHz" or "1 d" convert into the unit a
// parameter is declared in ("s", "ns", "bytes", "Hz", "pJ", "uS", "GS/s", ...), and how values print.
//
// A unit is an SI prefix (f p n u m k M G T) on a base unit (s, Hz, J, W, V, A, Ohm, S, F, S/s); a value
// may carry any prefix of the same base. Times also take min, h, d and year (365.25 d); "bytes" takes B,
// KiB, MiB and GiB. Any other unit ("cycles", "bit", "rows") takes plain numbers or the unit itself.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace aimc::units {

// The factor that turns a number written with `suffix` into `unit` (1 for suffix == unit), or nothing
// when the suffix is not a unit of the same quantity.
std::optional<double> conversion(const std::string& unit, const std::string& suffix);

// Suffixes accepted for `unit` besides its own name, for error messages ("s, ms, us, ...").
std::vector<std::string> accepted_suffixes(const std::string& unit);

// "130 ns", "1 GHz", "4.37 pJ" for the base units s, Hz, J and W (an SI prefix putting the number in
// [1, 1000); times never above s); "<number> <unit>" for every other unit.
std::string format(double value, const std::string& unit);

}  // namespace aimc::units
