// Tile bench: firmware mistakes. Every error code is raised by the path that should raise it, with
// its ERROR_INFO; the first error latches, the error interrupt follows IRQ_ENABLE, the failing
// command is skipped, later commands run, and the simulation never stops. Bad bus accesses answer
// TLM errors.
#include <gtest/gtest.h>

#include "common/log.h"
#include "tile_bench.h"
#include "support/tlm_payload.h"

namespace aimc::test {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;

constexpr unsigned R = 32, C = 32;

tile::TileParams params() {
    tile::TileParams p;
    p.crossbar.rows = p.crossbar.cols = 32;
    p.in_size = 4096;
    p.out_size = 4096;
    p.ldpu_size = 1024;
    p.weight_size = 2048;
    p.queue_depth = 4;
    return p;
}

TEST(TileBench, BadCommandsRaiseErrorsAndTheRunGoesOn) {
    log::set_level(log::Level::Error);  // the tile warns about every firmware error; expected here
    EnergyLedger ledger;
    tile::Tile t0("tile0", params(), 0, 0, 0, ledger);
    tile::Tile t1("tile1", params(), 1, 1, 0, ledger);
    FakeNoc noc("noc", 2);
    noc.attach(0, t0);
    noc.attach(1, t1);
    const sc_core::sc_signal<bool>& irq0 = noc.irq(0);

    Host host("host", [&](Host& h) {
        uint64_t expected_errors = 0;
        // Runs `push`, waits until the tile is idle, expects error `code` with `info`, acknowledges.
        auto expect_error = [&](const char* what, uint32_t code, uint32_t info, const std::function<void()>& push) {
            SCOPED_TRACE(what);
            push();
            h.wait_idle(0);
            h.sleep(sc_time(1, SC_NS));
            EXPECT_EQ(h.rd(0, AIMC_TILE_ERROR), code);
            EXPECT_EQ(h.rd(0, AIMC_TILE_ERROR_INFO), info);
            EXPECT_EQ(h.rd(0, AIMC_TILE_STATUS) & 2, 2u);
            EXPECT_EQ(h.rd(0, AIMC_TILE_IRQ_STATUS) & AIMC_TILE_IRQ_ERROR, AIMC_TILE_IRQ_ERROR);
            EXPECT_TRUE(irq0.read());
            EXPECT_EQ(t0.error_count(), ++expected_errors);
            h.wr(0, AIMC_TILE_IRQ_ACK, AIMC_TILE_IRQ_ERROR);
            h.sleep(sc_time(1, SC_NS));
            EXPECT_FALSE(irq0.read());
            EXPECT_EQ(h.rd(0, AIMC_TILE_ERROR), 0u);
            EXPECT_EQ(h.rd(0, AIMC_TILE_ERROR_INFO), 0u);
            EXPECT_EQ(h.rd(0, AIMC_TILE_STATUS) & 2, 0u);
        };
        h.wr(0, AIMC_TILE_IRQ_ENABLE, AIMC_TILE_IRQ_ERROR);
        // ---- before any PROGRAM: the crossbar holds no weights, so reading it is an error ----
        expect_error("MVM before any PROGRAM", AIMC_TILE_ERR_NOT_PROGRAMMED, AIMC_TILE_OP_MVM,
                     [&] { h.command(0, AIMC_TILE_OP_MVM, {0, R, C, 1, 0, AIMC_TILE_NO_CHAIN, 0, 0}); });
        expect_error("CALIBRATE before any PROGRAM", AIMC_TILE_ERR_NOT_PROGRAMMED, AIMC_TILE_OP_CALIBRATE,
                     [&] { h.command(0, AIMC_TILE_OP_CALIBRATE); });
        EXPECT_EQ(t0.mvm_count(), 0u) << "the MVM was skipped";
        EXPECT_FALSE(t0.programmed());
        std::vector<int8_t> w(R * C, 3);
        h.write_bytes(0, AIMC_TILE_WEIGHTS_OFFSET, w.data(), w.size());
        h.command(0, AIMC_TILE_OP_PROGRAM, {0, R, C, 0, 0});
        h.wait_idle(0);
        ASSERT_EQ(h.rd(0, AIMC_TILE_ERROR), 0u);
        EXPECT_TRUE(t0.programmed());

        // ---- at push time ----
        expect_error("unknown opcode", AIMC_TILE_ERR_BAD_OPCODE, 77, [&] { h.command(0, 77); });
        expect_error("opcode 0", AIMC_TILE_ERR_BAD_OPCODE, 0, [&] { h.command(0, 0); });
        expect_error("PROGRAM while busy", AIMC_TILE_ERR_BUSY, AIMC_TILE_OP_PROGRAM, [&] {
            h.command(0, AIMC_TILE_OP_MVM, {0, R, C, 16, 0, AIMC_TILE_NO_CHAIN, 0, 0});
            h.write_bytes(0, AIMC_TILE_WEIGHTS_OFFSET, w.data(), w.size());
            h.command(0, AIMC_TILE_OP_PROGRAM, {0, R, C, 0, 0});
        });
        EXPECT_EQ(h.rd(0, AIMC_TILE_STAGED_BYTES), R * C) << "the dropped PROGRAM did not consume the staging";
        expect_error("queue full", AIMC_TILE_ERR_QUEUE_FULL, AIMC_TILE_OP_FENCE, [&] {
            // An armed MVM blocks the queue until its input arrives; 4 FENCEs fill the queue.
            h.command(0, AIMC_TILE_OP_MVM, {0, R, C, 1, 0, AIMC_TILE_NO_CHAIN, 0, R});
            for (int i = 0; i < 5; ++i) h.command(0, AIMC_TILE_OP_FENCE, {uint32_t(i)});
            EXPECT_EQ((h.rd(0, AIMC_TILE_STATUS) >> 8) & 0xFF, 4u);
            const std::vector<int8_t> x(R, 1);
            h.write_bytes(0, AIMC_TILE_IN_OFFSET, x.data(), x.size());  // releases the MVM
        });
        EXPECT_EQ(h.rd(0, AIMC_TILE_FENCE_TAG), 3u) << "the four queued FENCEs ran, the fifth was dropped";

        // ---- PROGRAM ----
        expect_error("weights short", AIMC_TILE_ERR_WEIGHTS_SHORT, 100, [&] {
            h.command(0, AIMC_TILE_OP_PROGRAM, {0, R, C, 0, 0});  // a good PROGRAM: uses up the staging
            h.wait_idle(0);
            h.write_bytes(0, AIMC_TILE_WEIGHTS_OFFSET, w.data(), 100);
            h.command(0, AIMC_TILE_OP_PROGRAM, {0, R, C, 0, 0});
        });
        EXPECT_EQ(h.rd(0, AIMC_TILE_STAGED_BYTES), 0u);
        expect_error("weight range", AIMC_TILE_ERR_WEIGHT_RANGE, 5, [&] {
            std::vector<int8_t> bad(16, 1);
            bad[5] = -128;
            h.write_bytes(0, AIMC_TILE_WEIGHTS_OFFSET, bad.data(), bad.size());
            h.command(0, AIMC_TILE_OP_PROGRAM, {0, 4, 4, 0, 0});
        });
        expect_error("PROGRAM rows 0", AIMC_TILE_ERR_BAD_SHAPE, 0, [&] { h.command(0, AIMC_TILE_OP_PROGRAM, {0, 0, C, 0, 0}); });
        expect_error("PROGRAM cols too many", AIMC_TILE_ERR_BAD_SHAPE, C + 1,
                     [&] { h.command(0, AIMC_TILE_OP_PROGRAM, {0, R, C + 1, 0, 0}); });
        expect_error("PROGRAM row0 past the array", AIMC_TILE_ERR_BAD_SHAPE, 30,
                     [&] { h.command(0, AIMC_TILE_OP_PROGRAM, {0, 4, 4, 30, 0}); });
        expect_error("PROGRAM col0 past the array", AIMC_TILE_ERR_BAD_SHAPE, 0xFFFFFFF0u,
                     [&] { h.command(0, AIMC_TILE_OP_PROGRAM, {0, 4, 4, 0, 0xFFFFFFF0u}); });
        expect_error("PROGRAM staging past the end", AIMC_TILE_ERR_BAD_OFFSET, 2000,
                     [&] { h.command(0, AIMC_TILE_OP_PROGRAM, {2000, 8, 8, 0, 0}); });

        // ---- MVM ----
        const uint32_t nc = AIMC_TILE_NO_CHAIN;
        expect_error("MVM rows 0", AIMC_TILE_ERR_BAD_SHAPE, 0, [&] { h.command(0, AIMC_TILE_OP_MVM, {0, 0, C, 1, 0, nc}); });
        expect_error("MVM rows > crossbar", AIMC_TILE_ERR_BAD_SHAPE, 33,
                     [&] { h.command(0, AIMC_TILE_OP_MVM, {0, 33, C, 1, 0, nc}); });
        expect_error("MVM vectors 0", AIMC_TILE_ERR_BAD_SHAPE, 0, [&] { h.command(0, AIMC_TILE_OP_MVM, {0, R, C, 0, 0, nc}); });
        expect_error("MVM phases 65", AIMC_TILE_ERR_BAD_SHAPE, 65,
                     [&] { h.command(0, AIMC_TILE_OP_MVM, {0, R, C, 1, 0, nc, 65}); });
        expect_error("MVM input past the end", AIMC_TILE_ERR_BAD_OFFSET, 4090,
                     [&] { h.command(0, AIMC_TILE_OP_MVM, {4090, R, C, 1, 0, nc}); });
        expect_error("MVM input offset huge", AIMC_TILE_ERR_BAD_OFFSET, 0xFFFFFFFFu,
                     [&] { h.command(0, AIMC_TILE_OP_MVM, {0xFFFFFFFFu, R, C, 1, 0, nc}); });
        expect_error("MVM many vectors past the end", AIMC_TILE_ERR_BAD_OFFSET, 0,
                     [&] { h.command(0, AIMC_TILE_OP_MVM, {0, R, C, 200, 0, nc}); });
        expect_error("MVM output past the end", AIMC_TILE_ERR_BAD_OFFSET, 4000,
                     [&] { h.command(0, AIMC_TILE_OP_MVM, {0, R, C, 1, 4000, nc}); });
        expect_error("MVM chain past the LDPU memory", AIMC_TILE_ERR_BAD_CHAIN, 5000,
                     [&] { h.command(0, AIMC_TILE_OP_MVM, {0, R, C, 1, 0, 5000}); });
        expect_error("MVM chain of zeros", AIMC_TILE_ERR_BAD_CHAIN, 0x100,
                     [&] { h.command(0, AIMC_TILE_OP_MVM, {0, R, C, 1, 0, 0x100}); });
        {
            ChainBuilder b;
            b.input_type = AIMC_LDPU_TYPE_INT8;
            b.add(ChainBuilder::op(AIMC_LDPU_OP_RELU));
            h.write_bytes(0, AIMC_TILE_LDPU_OFFSET, b.bytes().data(), b.bytes().size());
            expect_error("MVM chain with an int8 input", AIMC_TILE_ERR_BAD_CHAIN, 0,
                         [&] { h.command(0, AIMC_TILE_OP_MVM, {0, R, C, 1, 0, 0}); });
        }
        {
            // A residual operand whose values the chain's int8 data cannot hold: found while running.
            ChainBuilder b;
            auto add = ChainBuilder::op(AIMC_LDPU_OP_ELTWISE_ADD);
            add.n_operands = 1;
            add.multiplier = add.multiplier_b = 1;
            add.out_bits = 8;
            add.operands[0] = ChainBuilder::operand(AIMC_LDPU_MEM_IN, AIMC_LDPU_TYPE_INT16, 0x800, 0);
            b.add(ChainBuilder::requantize(1, 0, 8)).add(add);
            h.write_bytes(0, AIMC_TILE_LDPU_OFFSET + 0x200, b.bytes().data(), b.bytes().size());
            std::vector<int16_t> big(C, 1000);
            h.write_bytes(0, AIMC_TILE_IN_OFFSET + 0x800, big.data(), 2 * C);
            expect_error("MVM residual out of range", AIMC_TILE_ERR_BAD_CHAIN, 0x200,
                         [&] { h.command(0, AIMC_TILE_OP_MVM, {0, R, C, 1, 0, 0x200}); });
            expect_error("MVM operand past the end", AIMC_TILE_ERR_BAD_OFFSET, 0x800 + 40 * 0x40,
                         [&] {
                             add.operands[0].stride = 0x40;
                             ChainBuilder b2;
                             b2.add(ChainBuilder::requantize(1, 0, 8)).add(add);
                             h.write_bytes(0, AIMC_TILE_LDPU_OFFSET + 0x200, b2.bytes().data(), b2.bytes().size());
                             h.command(0, AIMC_TILE_OP_MVM, {0, R, C, 41, 0, 0x200});
                         });
        }

        // ---- LDPU ----
        expect_error("LDPU columns 0", AIMC_TILE_ERR_BAD_SHAPE, 0, [&] { h.command(0, AIMC_TILE_OP_LDPU, {0x200, 0, 0, 1, 0}); });
        expect_error("LDPU bad chain", AIMC_TILE_ERR_BAD_CHAIN, 0x300, [&] { h.command(0, AIMC_TILE_OP_LDPU, {0x300, 0, C, 1, 0}); });
        {
            ChainBuilder b;
            b.add(ChainBuilder::requantize(1, 0, 8));
            h.write_bytes(0, AIMC_TILE_LDPU_OFFSET + 0x300, b.bytes().data(), b.bytes().size());
        }
        expect_error("LDPU source past the end", AIMC_TILE_ERR_BAD_OFFSET, 4000,
                     [&] { h.command(0, AIMC_TILE_OP_LDPU, {0x300, 4000, C, 1, 0}); });
        expect_error("LDPU destination past the end", AIMC_TILE_ERR_BAD_OFFSET, 4090,
                     [&] { h.command(0, AIMC_TILE_OP_LDPU, {0x300, 0, C, 1, 4090}); });

        // ---- SEND ----
        expect_error("SEND 0 bytes", AIMC_TILE_ERR_BAD_SHAPE, 0, [&] { h.command(0, AIMC_TILE_OP_SEND, {0, 0, AIMC_RAM_BASE}); });
        expect_error("SEND past the output buffer", AIMC_TILE_ERR_BAD_OFFSET, 4000,
                     [&] { h.command(0, AIMC_TILE_OP_SEND, {4000, 100, AIMC_RAM_BASE}); });
        const uint32_t nowhere = AIMC_CHIP_BASE + 7 * AIMC_TILE_WINDOW + AIMC_TILE_IN_OFFSET;
        expect_error("SEND to a tile that does not exist", AIMC_TILE_ERR_SEND_FAILED, nowhere,
                     [&] { h.command(0, AIMC_TILE_OP_SEND, {0, 64, nowhere}); });
        const uint32_t past = uint32_t(Host::addr(1, AIMC_TILE_IN_OFFSET + 4096 - 300));
        expect_error("SEND past the destination's buffer", AIMC_TILE_ERR_SEND_FAILED, past + 256,
                     [&] { h.command(0, AIMC_TILE_OP_SEND, {0, 600, past}); });

        // ---- the first error latches; the counter counts all ----
        h.command(0, 99);
        h.command(0, AIMC_TILE_OP_MVM, {0, 0, C, 1, 0, nc});
        h.wait_idle(0);
        EXPECT_EQ(h.rd(0, AIMC_TILE_ERROR), uint32_t(AIMC_TILE_ERR_BAD_OPCODE));
        EXPECT_EQ(h.rd(0, AIMC_TILE_ERROR_INFO), 99u);
        expected_errors += 2;
        EXPECT_EQ(t0.error_count(), expected_errors);
        h.wr(0, AIMC_TILE_IRQ_ACK, AIMC_TILE_IRQ_ERROR);

        // ---- and the tile still works ----
        const uint64_t mvms = t0.mvm_count();
        h.command(0, AIMC_TILE_OP_MVM, {0, R, C, 2, 0, nc});
        h.command(0, AIMC_TILE_OP_FENCE, {42});
        h.wait_idle(0);
        EXPECT_EQ(h.rd(0, AIMC_TILE_ERROR), 0u);
        EXPECT_EQ(t0.mvm_count(), mvms + 2);
        EXPECT_EQ(h.rd(0, AIMC_TILE_FENCE_TAG), 42u);

        // ---- bad bus accesses ----
        uint32_t v = 0;
        uint8_t b = 0;
        auto rd = [&](uint32_t off, void* p, unsigned n) { return h.access(tlm::TLM_READ_COMMAND, Host::addr(0, off), p, n); };
        auto wr = [&](uint32_t off, void* p, unsigned n) { return h.access(tlm::TLM_WRITE_COMMAND, Host::addr(0, off), p, n); };
        EXPECT_EQ(rd(0x800, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);       // no register there
        EXPECT_EQ(rd(0x8000, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);      // hole below the LDPU memory
        EXPECT_EQ(rd(AIMC_TILE_CMD_PUSH, &v, 4), tlm::TLM_COMMAND_ERROR_RESPONSE);  // write-only
        EXPECT_EQ(wr(AIMC_TILE_ID, &v, 4), tlm::TLM_COMMAND_ERROR_RESPONSE);        // read-only
        EXPECT_EQ(rd(AIMC_TILE_ID, &b, 1), tlm::TLM_COMMAND_ERROR_RESPONSE);        // wrong width
        EXPECT_EQ(rd(AIMC_TILE_IN_OFFSET + 4096, &b, 1), tlm::TLM_ADDRESS_ERROR_RESPONSE);  // past in_size
        EXPECT_EQ(rd(AIMC_TILE_IN_OFFSET + 4094, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);  // straddles the end
        EXPECT_EQ(wr(AIMC_TILE_WEIGHTS_OFFSET + 2048, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(rd(AIMC_TILE_LDPU_OFFSET + 1024, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(rd(AIMC_TILE_OUT_OFFSET + 4095, &b, 1), tlm::TLM_OK_RESPONSE);
        {
            tlm::tlm_generic_payload tx;
            uint8_t be[4] = {0xFF, 0, 0xFF, 0};
            prepare_payload(tx, tlm::TLM_WRITE_COMMAND, Host::addr(0, AIMC_TILE_IN_OFFSET), &v, 4);
            tx.set_byte_enable_ptr(be);
            tx.set_byte_enable_length(4);
            sc_time d = sc_core::SC_ZERO_TIME;
            h.socket->b_transport(tx, d);
            EXPECT_EQ(tx.get_response_status(), tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        }
        {
            // Debug accesses (loaders, debuggers) see memories and registers without side effects.
            tlm::tlm_generic_payload tx;
            uint32_t op = AIMC_TILE_OP_FENCE;
            prepare_payload(tx, tlm::TLM_WRITE_COMMAND, Host::addr(0, AIMC_TILE_CMD_PUSH), &op, 4);
            EXPECT_EQ(h.socket->transport_dbg(tx), 4u);
            EXPECT_EQ(h.rd(0, AIMC_TILE_STATUS) & 1, 0u);
            tx.set_command(tlm::TLM_READ_COMMAND);
            tx.set_address(Host::addr(0, AIMC_TILE_IN_OFFSET));
            EXPECT_EQ(h.socket->transport_dbg(tx), 4u);
            tx.set_address(Host::addr(0, AIMC_TILE_IN_OFFSET + 8192));
            EXPECT_EQ(h.socket->transport_dbg(tx), 0u);
        }
        EXPECT_EQ(h.rd(0, AIMC_TILE_ERROR), 0u) << "bus errors are not command errors";
    });

    host.socket(noc.in);
    sc_core::sc_start(sc_time(100, sc_core::SC_MS));
    EXPECT_TRUE(host.finished);
    log::set_level(log::Level::Warn);
}

}  // namespace
}  // namespace aimc::test
