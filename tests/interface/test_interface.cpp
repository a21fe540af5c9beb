// The models' interface tables (generated C++) agree with the firmware's generated C headers and with
// the model code that uses them: every error code has a name the tile reports, every command a
// handler state, every described LDPU op a decoder, every record the same layout in C and C++.
#include <cstddef>
#include <cstring>
#include <iterator>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "aimc/platform.h"
#include "aimc/regs/dma.h"
#include "aimc/regs/tile.h"
#include "aimc/tile_ldpu.h"
#include "common/register_maps.h"
#include "interface/blocks.h"
#include "tile/ldpu_chain_format.h"
#include "tile/tile_command.h"

namespace {

using namespace aimc;
namespace it = iface::tile;
namespace ld = iface::ldpu;

// The names the firmware uses mean what the models use (a sample of every kind of generated name).
static_assert(AIMC_TILE_STATUS == it::STATUS && AIMC_TILE_CMD_ARG == it::CMD_ARG && AIMC_TILE_CMD_PUSH == it::CMD_PUSH);
static_assert(AIMC_TILE_OP_MVM == it::OP_MVM && AIMC_TILE_OP_LDPU == it::OP_LDPU);
static_assert(AIMC_TILE_ERR_BAD_CHAIN == it::ERR_BAD_CHAIN && AIMC_TILE_ERR_SEND_FAILED == it::ERR_SEND_FAILED);
static_assert(AIMC_TILE_STATE_WAIT_INPUT == it::STATE_WAIT_INPUT && AIMC_TILE_IRQ_ERROR == it::IRQ_ERROR);
static_assert(AIMC_TILE_STATUS_STATE_SHIFT == it::STATUS_STATE.lsb && AIMC_TILE_STATUS_STATE_MASK == it::STATUS_STATE.mask());
static_assert(AIMC_TILE_MVM_ARG1(7, 9) == (it::MVM_ARG1_ROWS.put(7) | it::MVM_ARG1_ROW0.put(9)));
static_assert(AIMC_TILE_IN_OFFSET == it::IN_OFFSET && AIMC_TILE_WINDOW == it::WINDOW);
static_assert(AIMC_DMA_STATUS_ERROR == iface::dma::STATUS_ERROR.mask() && AIMC_DMA_ERR_BAD_DESC == iface::dma::ERR_BAD_DESC);
static_assert(AIMC_CHIP_BASE == iface::platform::CHIP_BASE && AIMC_TILE_IRQ_BASE == iface::platform::TILE_IRQ_BASE);
static_assert(AIMC_LDPU_OP_ELTWISE_ADD == ld::OP_ELTWISE_ADD && AIMC_LDPU_F_FP16_BOUNDS == ld::F_FP16_BOUNDS);
static_assert(AIMC_LDPU_CHAIN_BYTES(3) == ld::CHAIN_BYTES(3));

// Records: the same size and field offsets in C (firmware) and C++ (model).
static_assert(sizeof(aimc_ldpu_op_t) == sizeof(ld::OpRecord) && sizeof(aimc_ldpu_chain_t) == sizeof(ld::ChainRecord));
static_assert(sizeof(aimc_ldpu_operand_t) == sizeof(ld::OperandRecord));
static_assert(offsetof(aimc_ldpu_op_t, operands) == offsetof(ld::OpRecord, operands));
static_assert(offsetof(aimc_ldpu_op_t, pool_channels) == offsetof(ld::OpRecord, pool_channels));
static_assert(sizeof(struct aimc_dma_desc) == sizeof(iface::dma::Descriptor));

TEST(Interface, EveryErrorCodeHasANameMeaningAndDetail) {
    for (const auto& b : iface::kBlocks) {
        uint32_t expect = 0;
        for (const auto& e : b.errors) {
            SCOPED_TRACE(std::string(b.name) + " " + e.name);
            EXPECT_EQ(e.code, expect++) << "codes are 0, 1, 2, ...";
            EXPECT_GT(std::strlen(e.meaning), 0u);
            if (e.code != 0) {
                EXPECT_GT(std::strlen(e.when), 0u);
                EXPECT_GT(std::strlen(e.info), 0u);
            }
        }
    }
    // The tile names its errors from the table, and only known codes.
    for (const auto& e : it::kErrors) EXPECT_STREQ(tile::error_name(e.code), e.name);
    EXPECT_STREQ(tile::error_name(std::size(it::kErrors)), "?");
}

TEST(Interface, EveryCommandIsKnownToTheTileWithAValidState) {
    std::set<uint32_t> states;
    for (const auto& e : it::kEnums)
        if (std::string(e.group) == "STATE") states.insert(e.value);
    for (const auto& c : it::kCommands) {
        SCOPED_TRACE(c.name);
        const tile::OpcodeInfo* info = tile::opcode_info(c.opcode);
        ASSERT_NE(info, nullptr);
        EXPECT_STREQ(info->name, c.name);
        EXPECT_TRUE(states.count(c.state)) << "state " << c.state << " is not a STATE value";
    }
    EXPECT_EQ(tile::opcode_info(0), nullptr);
    // Packed arguments: the named-argument structs split them as the fields say.
    uint32_t arg[8] = {0x100, AIMC_TILE_MVM_ARG1(128, 64), AIMC_TILE_MVM_ARG2(32, 200), 3, 0x40, AIMC_TILE_NO_CHAIN, 0, 0};
    const tile::MvmArgs a(arg);
    EXPECT_EQ(a.rows, 128u);
    EXPECT_EQ(a.row0, 64u);
    EXPECT_EQ(a.cols, 32u);
    EXPECT_EQ(a.col0, 200u);
    EXPECT_EQ(a.chain, AIMC_TILE_NO_CHAIN);
}

TEST(Interface, EveryDescribedLdpuOpHasADecoderAndEveryTypeASize) {
    for (const auto& o : ld::kLdpuOps) EXPECT_TRUE(tile::decodes_op_kind(o.kind)) << o.label;
    EXPECT_FALSE(tile::decodes_op_kind(0));
    for (const auto& e : ld::kEnums) {
        if (std::string(e.group) == "TYPE") {
            EXPECT_EQ(tile::ldpu_type_bytes(e.value), e.bytes) << e.name;
        }
    }
    EXPECT_EQ(tile::ldpu_type_bytes(AIMC_LDPU_TYPE_INT16), 2u);
}

TEST(Interface, RegisterMapsAreTheDescriptionsAndFieldsFitTheirRegisters) {
    size_t with_registers = 0;
    for (const auto& b : iface::kBlocks) {
        if (b.registers.empty()) continue;
        ++with_registers;
        const BlockRegisterMap& m = register_map(b.name);
        ASSERT_EQ(m.registers.size(), b.registers.size());
        for (size_t i = 0; i < m.registers.size(); ++i) {
            EXPECT_STREQ(m.registers[i].name, b.registers.begin()[i].name);
            EXPECT_EQ(m.registers[i].offset, b.registers.begin()[i].offset);
        }
        for (const auto& f : b.fields) {
            const iface::RegisterRow* reg = nullptr;
            for (const auto& r : b.registers)
                if (std::string(r.name) == f.reg) reg = &r;
            ASSERT_NE(reg, nullptr) << b.name << "." << f.reg;
            EXPECT_LE(f.field.lsb + f.field.width, reg->width * 8) << b.name << "." << f.reg << "." << f.name;
        }
    }
    EXPECT_EQ(register_maps().size(), with_registers);
}

}  // namespace
