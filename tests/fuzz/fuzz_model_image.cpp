// Fuzz harness: the model image's two readers, the compiler's parse_image() (sw/compiler/
// model_image_io.h) and the firmware runtime's aimc_rt_load() (sw/runtime/src/image_check.c, built
// for the host on a fake HAL that reports the tiles).
//
// Input: a flags byte, then the image. Flags bit 0: set total_bytes to the image's size; bit 1:
// recompute the CRC (both let mutations get past those checks); bit 2: the fake platform's crossbars
// have the image's geometry (else 256x256).
// Properties:
//  - parse_image() returns an image or throws ImageError (nothing else). An image it accepts
//    serialises to bytes that parse back to the same records and serialise to themselves; when the
//    input has serialize()'s layout (sections in order, zero padding) they are the input itself.
//  - aimc_rt_load() returns 0 or a negative AIMC_RT_E*/AIMC_E* code with a message; it reads only
//    the image (ASan: the buffer is exactly the image), and after a success every layer's name is a
//    NUL-terminated string inside the image.
//  - An image parse_image() accepts loads in the runtime on a platform that fits it (enough tiles,
//    the image's crossbar geometry, large memories, an arena as large as it asks), unless it exceeds
//    a documented runtime limit (AIMC_RT_MAX_LAYERS, AIMC_RT_MAX_TILES).
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "aimc/hal/error.h"
#include "aimc/hal/tile.h"
#include "aimc/runtime.h"
#include "fuzz_check.h"
#include "model_image_io.h"

namespace {

struct FakePlatform {
    unsigned tiles = AIMC_RT_MAX_TILES;
    unsigned rows = 256, cols = 256;
} g_platform;

bool same_records(const aimc::compiler::ModelImage& a, const aimc::compiler::ModelImage& b) {
    auto same = [](const auto& x, const auto& y) {
        return x.size() == y.size() && (x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(x[0])) == 0);
    };
    return same(a.layers, b.layers) && same(a.blocks, b.blocks) && same(a.tiles, b.tiles) && same(a.steps, b.steps) &&
           a.strings == b.strings && a.blob == b.blob;
}

// The input laid out as serialize() lays it out (sections in order, zero alignment padding)?
bool canonical(const std::vector<uint8_t>& in, const std::vector<uint8_t>& out) {
    if (in.size() != out.size()) return false;
    aimc_image_header_t a, b;
    std::memcpy(&a, in.data(), sizeof a);
    std::memcpy(&b, out.data(), sizeof b);
    if (a.layers_offset != b.layers_offset || a.blocks_offset != b.blocks_offset || a.tiles_offset != b.tiles_offset ||
        a.steps_offset != b.steps_offset || a.strings_offset != b.strings_offset || a.blob_offset != b.blob_offset)
        return false;
    for (uint64_t i = uint64_t(b.strings_offset) + b.strings_bytes; i < b.blob_offset; ++i)
        if (in[i] != 0) return false;
    return true;
}

}  // namespace

extern "C" {
unsigned aimc_tile_count(void) { return g_platform.tiles; }
int aimc_tile_get_info(unsigned tile, aimc_tile_info* info) {
    if (tile >= g_platform.tiles) return AIMC_ENODEV;
    *info = aimc_tile_info{};
    info->index = tile;
    info->rows = g_platform.rows;
    info->cols = g_platform.cols;
    info->adc_bits = 8;
    info->dac_bits = 8;
    info->queue_depth = 16;
    info->default_phases = 1;
    info->in_size = 128 << 10;
    info->out_size = 256 << 10;
    info->ldpu_size = 64 << 10;
    info->weight_size = 512 << 10;
    return 0;
}
const char* aimc_strerror(int) { return "fake HAL error"; }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace aimc::compiler;
    if (size < 1) return 0;
    const uint8_t flags = data[0];
    std::vector<uint8_t> img(data + 1, data + size);
    if (img.size() >= sizeof(aimc_image_header_t)) {
        auto* h = reinterpret_cast<aimc_image_header_t*>(img.data());
        if (flags & 1) h->total_bytes = uint32_t(img.size());
        if (flags & 2) h->crc32 = image_crc32(img.data(), img.size());
    }

    // The compiler's reader.
    bool parsed = false;
    ModelImage m;
    try {
        m = parse_image(img.data(), img.size());
        parsed = true;
    } catch (const ImageError&) {
    } catch (const std::exception& e) {
        FUZZ_UNEXPECTED(e.what());
    }
    if (parsed) {
        const std::vector<uint8_t> out = serialize(m);
        ModelImage again;
        try {
            again = parse_image(out.data(), out.size());
        } catch (const std::exception& e) {
            FUZZ_CHECK(false, "a serialised image does not parse: %s", e.what());
        }
        FUZZ_CHECK(same_records(m, again), "serialise + parse changed the records");
        FUZZ_CHECK(serialize(again) == out, "serialise is not a fixed point");
        if (canonical(img, out)) FUZZ_CHECK(out == img, "a canonical image does not serialise to its own bytes");
    }

    // The firmware runtime's check, on a 4-byte aligned copy of exactly the image's size (as in RAM).
    aimc_image_header_t h{};
    if (img.size() >= sizeof h) std::memcpy(&h, img.data(), sizeof h);
    g_platform = FakePlatform{};
    if (flags & 4) g_platform.rows = h.xbar_rows, g_platform.cols = h.xbar_cols;
    std::unique_ptr<uint32_t[]> words(new uint32_t[(img.size() + 3) / 4 + 1]);
    auto* image = reinterpret_cast<uint8_t*>(words.get());
    if (!img.empty()) std::memcpy(image, img.data(), img.size());
    const size_t arena_bytes = std::min<size_t>(h.arena_bytes, 4u << 20);
    std::vector<uint8_t> arena(arena_bytes + 1);
    static aimc_rt_model rt;  // large (per-tile tables): not on the stack
    const int rc = aimc_rt_load(&rt, image, img.size(), arena.data(), arena_bytes);
    FUZZ_CHECK(rc <= 0, "aimc_rt_load returned %d", rc);
    if (rc != 0) {
        FUZZ_CHECK(rt.message[0] != 0 && std::memchr(rt.message, 0, sizeof rt.message), "an error without a message");
        FUZZ_CHECK(rt.header == nullptr, "a failed load left the header set");
    } else {
        FUZZ_CHECK(rt.header != nullptr, "a successful load without a header");
        for (uint32_t i = 0; i < rt.header->n_layers; ++i) {
            // As aimc_rt_layer_name() finds it (runtime.c, not built here: it drives the tiles).
            const char* name = reinterpret_cast<const char*>(rt.file + rt.header->strings_offset + rt.layers[i].name_offset);
            const size_t room = image + img.size() - reinterpret_cast<const uint8_t*>(name);
            FUZZ_CHECK(reinterpret_cast<const uint8_t*>(name) >= image && std::memchr(name, 0, room),
                       "layer %u: its name is not a string inside the image", i);
        }
    }

    // What the compiler's reader accepts, the firmware loads on a platform that fits it.
    if (parsed && (flags & 4) && h.n_layers <= AIMC_RT_MAX_LAYERS && h.tiles_needed <= AIMC_RT_MAX_TILES &&
        h.arena_bytes <= arena_bytes)
        FUZZ_CHECK(rc == 0, "parse_image() accepts the image, aimc_rt_load() refuses it: %s", rt.message);
    return 0;
}
