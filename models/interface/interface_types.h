// The row types of the generated interface tables (build/generated/interface/*.h, made by
// models/interface/gen_interface.py from models/interface/*.json). These types are the only hand-written
// part: every offset, field, opcode, error code and record layout comes from the JSON description.
#pragma once

#include <cstddef>
#include <cstdint>

namespace aimc::iface {

// A bit field of a 32-bit value: bits [lsb, lsb + width).
struct Field {
    unsigned lsb;
    unsigned width;

    constexpr uint32_t mask() const { return width >= 32 ? 0xFFFFFFFFu : ((1u << width) - 1u) << lsb; }
    constexpr uint32_t get(uint32_t v) const { return (v & mask()) >> lsb; }
    // The field's bits for x; x must fit (the caller checks: nothing is cut off silently here).
    constexpr uint32_t put(uint32_t x) const { return x << lsb; }
    constexpr bool fits(uint64_t x) const { return width >= 32 ? x <= 0xFFFFFFFFu : x < (uint64_t{1} << width); }
};

enum class Access { RW, RO, WO };

struct RegisterRow {
    const char* name;
    uint32_t offset;
    unsigned width;  // bytes: 1 or 4
    unsigned count;  // array length; stride = width
    Access access;
    uint32_t reset;
    const char* description;
};

struct FieldRow {
    const char* reg;  // register name
    const char* name;
    Field field;
    const char* description;
};

struct ConstantRow {
    const char* name;
    uint32_t value;
    const char* description;
};

// A region of a block's address window (the tile's memories): offset, room, and the register that
// reads its configured size ("" if none).
struct WindowRow {
    const char* name;
    uint32_t offset;
    uint32_t max_size;
    const char* size_register;
    const char* description;
};

// One value of a named group (STATE, IRQ, TYPE, ...); `bytes` is the element size of a type, else 0.
struct EnumRow {
    const char* group;
    const char* name;
    uint32_t value;
    unsigned bytes;
    const char* description;
};

struct CommandRow {
    uint32_t opcode;
    const char* name;
    uint32_t state;          // the STATE value while it executes
    const char* state_note;  // "" or other states it passes through
    const char* description;
};

// One argument of a command, or one field of a packed argument (field.width < 32).
struct ArgRow {
    uint32_t opcode;
    unsigned index;  // ARG0..ARG7
    const char* name;
    Field field;
    const char* description;
};

struct ErrorRow {
    uint32_t code;
    const char* name;
    const char* meaning;  // a few words, for logs
    const char* when;     // when it is raised
    const char* info;     // what the info register holds
};

struct RecordRow {
    const char* name;
    const char* c_type;
    size_t size;
    const char* description;
};

struct RecordFieldRow {
    const char* record;
    const char* name;
    const char* type;  // uint8 .. int32, or another record's name
    size_t offset;
    unsigned count;  // array length (1 for a scalar)
    const char* description;
};

struct LdpuOpRow {
    uint32_t kind;
    const char* name;   // C suffix: PARTIAL_SUM_ADD
    const char* label;  // partial_sum_add
    unsigned min_operands, max_operands;
    uint32_t flags;  // flags the op accepts
    const char* description;
};

struct MemoryRegionRow {
    const char* name;   // SYSCON
    const char* param;  // platform-file group: syscon
    uint32_t base;
    uint32_t size;  // bytes of bus address space; 0: set by the platform (RAM, the chip's tiles)
    const char* description;
};

struct IrqRow {
    const char* name;
    const char* param;  // platform-file group ("" for a base of several sources)
    uint32_t source;
    bool base;  // the first of one source per instance (tile t: source + t)
    const char* description;
};

// A view of one generated table.
template <typename T>
struct Table {
    const T* rows = nullptr;
    size_t count = 0;
    constexpr const T* begin() const { return rows; }
    constexpr const T* end() const { return rows + count; }
    constexpr size_t size() const { return count; }
    constexpr bool empty() const { return count == 0; }
};
template <typename T, size_t N>
constexpr Table<T> table(const T (&rows)[N]) {
    return Table<T>{rows, N};
}

struct BlockRow {
    const char* name;
    const char* title;
    const char* c_header;
    Table<RegisterRow> registers;
    Table<FieldRow> fields;
    Table<ConstantRow> constants;
    Table<WindowRow> windows;
    Table<EnumRow> enums;
    Table<CommandRow> commands;
    Table<ArgRow> command_args;
    Table<ErrorRow> errors;
    Table<RecordRow> records;
    Table<RecordFieldRow> record_fields;
    Table<LdpuOpRow> ldpu_ops;
    Table<MemoryRegionRow> regions;
    Table<IrqRow> irqs;
};

}  // namespace aimc::iface
