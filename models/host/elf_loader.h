// ELF32 RISC-V executables: validation, loadable segments, entry point and symbols.
// Plain C++: the platform decides where the bytes go.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace aimc::host {

class ElfError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ElfSymbol {
    std::string name;
    uint32_t value = 0;
    uint32_t size = 0;
    bool is_function = false;
};

struct ElfSegment {
    uint32_t address = 0;       // physical (load) address
    std::vector<uint8_t> data;  // file bytes; the rest up to mem_size is zero
    uint32_t mem_size = 0;
    bool executable = false;
};

class ElfImage {
public:
    // Reads and validates `path`; throws ElfError naming the file and what is wrong.
    static ElfImage read(const std::string& path);
    static ElfImage parse(const std::vector<uint8_t>& bytes, const std::string& origin);

    uint32_t entry() const { return entry_; }
    const std::vector<ElfSegment>& segments() const { return segments_; }
    const std::vector<ElfSymbol>& symbols() const { return symbols_; }
    std::optional<uint32_t> symbol(const std::string& name) const;
    // "function+0x12" for an address inside a known function, "" if none covers it.
    std::string symbolize(uint32_t addr) const;

    // Checks every segment with `inside(addr, len)` (is the range writable memory?), when given,
    // before anything is written, and throws ElfError naming the first that is not; then writes
    // each segment through `write(addr, bytes, len)` (false: not writable memory, the same error),
    // its zero-filled tail in bounded chunks, so a huge memory size allocates nothing.
    void load(const std::function<bool(uint32_t, const uint8_t*, uint32_t)>& write,
              const std::function<bool(uint32_t, uint32_t)>& inside = nullptr) const;

    // Largest ELF file read (bigger ones are refused before reading; firmware images are far smaller).
    static constexpr uint64_t kMaxFileBytes = 512ull << 20;

private:
    std::string origin_;
    uint32_t entry_ = 0;
    std::vector<ElfSegment> segments_;
    std::vector<ElfSymbol> symbols_;  // sorted by value
};

}  // namespace aimc::host
