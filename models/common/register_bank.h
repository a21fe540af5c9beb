// Registers declared as data: a bank built from one block's register-map rows (the interface
// description, models/interface/<block>.json), with per-register read/write callbacks and a reset.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "interface/interface_types.h"

namespace aimc {

// One row of a register map is the interface description's own row type (generated, iface::kBlocks).
using RegAccess = iface::Access;
using RegisterDef = iface::RegisterRow;

struct Register {
    RegisterDef def;
    std::vector<uint32_t> value;  // one per array element
    // Supplies the value of element `index` on a read (instead of the stored value).
    std::function<uint32_t(unsigned index)> on_read;
    // Called after a write has stored `value` into element `index`.
    std::function<void(unsigned index, uint32_t value)> on_write;
};

class RegisterBank {
public:
    enum class Result { Ok, NoRegister, WrongSize, ReadOnly, WriteOnly };

    RegisterBank(std::string block, const std::vector<RegisterDef>& defs);

    // The register whose first element is at `offset` (iface::<block>::<REGISTER>).
    Register& at(uint32_t offset);
    const std::string& block() const { return block_; }
    const std::vector<Register>& registers() const { return regs_; }
    uint32_t size() const { return size_; }  // bytes spanned by the map

    void reset();

    // A bus access of `len` bytes at `offset`, little-endian; debug accesses skip callbacks' side
    // effects only where the caller chooses (the bank itself treats them alike).
    Result read(uint32_t offset, uint8_t* data, unsigned len);
    Result write(uint32_t offset, const uint8_t* data, unsigned len);
    static const char* describe(Result r);

private:
    struct Hit {
        Register* reg;
        unsigned index;
    };
    Result find(uint32_t offset, unsigned len, Hit& hit);

    std::string block_;
    std::vector<Register> regs_;
    uint32_t size_ = 0;
};

}  // namespace aimc
