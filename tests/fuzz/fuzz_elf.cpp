// Fuzz harness: the ELF loader (models/host/elf_loader.h), ElfImage::parse and load.
//
// Properties: parse() either returns an image or throws ElfError (nothing else); an image has at
// least one segment, each with no more file bytes than memory bytes and inside the 32-bit address
// space, and symbols sorted by value; symbol lookups and symbolize() work on any address. load()
// into a 1 MiB RAM at 0x80000000 either throws ElfError, having written nothing when a segment lies
// outside, or leaves each segment's bytes (and its zero-filled tail) in RAM where no later segment
// overlaps it.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "host/elf_loader.h"

using aimc::host::ElfError;
using aimc::host::ElfImage;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::vector<uint8_t> bytes(data, data + size);
    ElfImage img;
    try {
        img = ElfImage::parse(bytes, "fuzz.elf");
    } catch (const ElfError& e) {
        FUZZ_CHECK(std::strstr(e.what(), "fuzz.elf") != nullptr, "the error does not name the file: %s", e.what());
        return 0;
    } catch (const std::exception& e) {
        FUZZ_UNEXPECTED(e.what());
    }
    const auto& segs = img.segments();
    FUZZ_CHECK(!segs.empty(), "an image without segments");
    for (const auto& s : segs) {
        FUZZ_CHECK(s.data.size() <= s.mem_size, "segment at 0x%x: %zu file bytes > %u memory bytes", s.address,
                   s.data.size(), s.mem_size);
        FUZZ_CHECK(uint64_t{s.address} + s.mem_size <= (uint64_t{1} << 32), "segment at 0x%x wraps", s.address);
    }
    const auto& syms = img.symbols();
    for (size_t i = 1; i < syms.size(); ++i) FUZZ_CHECK(syms[i - 1].value <= syms[i].value, "symbols not sorted");
    for (const auto& s : syms) {
        FUZZ_CHECK(img.symbol(s.name).has_value(), "symbol '%s' listed but not found", s.name.c_str());
        (void)img.symbolize(s.value);
        (void)img.symbolize(s.value + s.size);
    }
    (void)img.symbolize(img.entry());
    (void)img.symbol("tohost");

    constexpr uint32_t kBase = 0x80000000u, kSize = 1u << 20;
    std::vector<uint8_t> ram(kSize, 0xA5);
    bool wrote = false;
    auto inside = [&](uint32_t addr, uint32_t len) {
        return addr >= kBase && uint64_t{addr} + len <= uint64_t{kBase} + kSize;
    };
    auto write = [&](uint32_t addr, const uint8_t* p, uint32_t len) {
        if (!inside(addr, len)) return false;
        wrote = true;
        std::memcpy(ram.data() + (addr - kBase), p, len);
        return true;
    };
    bool all_inside = true;
    for (const auto& s : segs) all_inside = all_inside && inside(s.address, s.mem_size);
    try {
        img.load(write, inside);
    } catch (const ElfError& e) {
        FUZZ_CHECK(!all_inside, "load refused segments that are all inside RAM: %s", e.what());
        FUZZ_CHECK(!wrote, "load wrote memory before refusing the image: %s", e.what());
        return 0;
    } catch (const std::exception& e) {
        FUZZ_UNEXPECTED(e.what());
    }
    FUZZ_CHECK(all_inside, "load accepted a segment outside RAM");
    for (size_t i = 0; i < segs.size(); ++i) {
        const auto& s = segs[i];
        bool overlapped = false;
        for (size_t j = i + 1; j < segs.size(); ++j)
            overlapped = overlapped || (segs[j].address < uint64_t{s.address} + s.mem_size &&
                                        s.address < uint64_t{segs[j].address} + segs[j].mem_size);
        if (overlapped) continue;
        const uint8_t* at = ram.data() + (s.address - kBase);
        FUZZ_CHECK(s.data.empty() || std::memcmp(at, s.data.data(), s.data.size()) == 0,
                   "segment %zu: its bytes are not in RAM", i);
        for (uint32_t k = static_cast<uint32_t>(s.data.size()); k < s.mem_size; ++k)
            FUZZ_CHECK(at[k] == 0, "segment %zu: byte %u of its tail is not zero", i, k);
    }
    return 0;
}
