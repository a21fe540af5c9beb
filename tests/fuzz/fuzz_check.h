// Shared by the fuzz harnesses: a property that must hold for every input. A violation prints what
// failed and aborts, so libFuzzer keeps the input as a crash and the replay test fails on it.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond, ...)                                                                   \
    do {                                                                                        \
        if (!(cond)) {                                                                          \
            std::fprintf(stderr, "fuzz property violated at %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            std::fprintf(stderr, __VA_ARGS__);                                                  \
            std::fputc('\n', stderr);                                                           \
            std::abort();                                                                       \
        }                                                                                       \
    } while (0)

// An exception of a type the parser does not document: report it as a finding.
#define FUZZ_UNEXPECTED(what) FUZZ_CHECK(false, "unexpected exception: %s", what)
