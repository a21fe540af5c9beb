#include "common/register_bank.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace aimc {

RegisterBank::RegisterBank(std::string block, const std::vector<RegisterDef>& defs) : block_(std::move(block)) {
    for (const auto& d : defs) {
        if ((d.width != 1 && d.width != 4) || d.count == 0 || d.offset % d.width != 0)
            throw std::logic_error(fmt::format("register map '{}': register {} is malformed", block_, d.name));
        Register r{d, std::vector<uint32_t>(d.count, d.reset), {}, {}};
        regs_.push_back(std::move(r));
        size_ = std::max(size_, d.offset + d.width * d.count);
    }
    // Overlaps would make decoding ambiguous: reject them when the bank is built.
    std::vector<const RegisterDef*> sorted;
    for (const auto& r : regs_) sorted.push_back(&r.def);
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->offset < b->offset; });
    for (size_t i = 1; i < sorted.size(); ++i)
        if (sorted[i - 1]->offset + sorted[i - 1]->width * sorted[i - 1]->count > sorted[i]->offset)
            throw std::logic_error(fmt::format("register map '{}': {} overlaps {}", block_, sorted[i - 1]->name,
                                               sorted[i]->name));
}

Register& RegisterBank::at(uint32_t offset) {
    for (auto& r : regs_)
        if (r.def.offset == offset) return r;
    throw std::logic_error(fmt::format("register map '{}' has no register at offset {:#x}", block_, offset));
}

void RegisterBank::reset() {
    for (auto& r : regs_) std::fill(r.value.begin(), r.value.end(), r.def.reset);
}

RegisterBank::Result RegisterBank::find(uint32_t offset, unsigned len, Hit& hit) {
    for (auto& r : regs_) {
        const uint32_t end = r.def.offset + r.def.width * r.def.count;
        if (offset < r.def.offset || offset >= end) continue;
        if (len != r.def.width || (offset - r.def.offset) % r.def.width != 0) return Result::WrongSize;
        hit = Hit{&r, (offset - r.def.offset) / r.def.width};
        return Result::Ok;
    }
    return Result::NoRegister;
}

RegisterBank::Result RegisterBank::read(uint32_t offset, uint8_t* data, unsigned len) {
    Hit hit{};
    if (const Result res = find(offset, len, hit); res != Result::Ok) return res;
    if (hit.reg->def.access == RegAccess::WO) return Result::WriteOnly;
    const uint32_t v = hit.reg->on_read ? hit.reg->on_read(hit.index) : hit.reg->value[hit.index];
    std::memcpy(data, &v, len);  // little-endian host, little-endian bus
    return Result::Ok;
}

RegisterBank::Result RegisterBank::write(uint32_t offset, const uint8_t* data, unsigned len) {
    Hit hit{};
    if (const Result res = find(offset, len, hit); res != Result::Ok) return res;
    if (hit.reg->def.access == RegAccess::RO) return Result::ReadOnly;
    uint32_t v = 0;
    std::memcpy(&v, data, len);
    hit.reg->value[hit.index] = v;
    if (hit.reg->on_write) hit.reg->on_write(hit.index, v);
    return Result::Ok;
}

const char* RegisterBank::describe(Result r) {
    switch (r) {
        case Result::Ok: return "ok";
        case Result::NoRegister: return "no register at this offset";
        case Result::WrongSize: return "access size does not match the register width";
        case Result::ReadOnly: return "write to a read-only register";
        case Result::WriteOnly: return "read of a write-only register";
    }
    return "?";
}

}  // namespace aimc
