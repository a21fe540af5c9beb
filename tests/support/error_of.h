// The message of the error a test provokes, so the test can check that it names what and where.
#pragma once

#include <string>

#include "config/params.h"

namespace aimc::test {

// What `f()` throws as an E (by default a ConfigError, the error of every bad parameter), as its
// what() text; "<no exception>" if it throws nothing. Another exception type escapes and fails the test.
template <class E = ConfigError, class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    return "<no exception>";
}

}  // namespace aimc::test
