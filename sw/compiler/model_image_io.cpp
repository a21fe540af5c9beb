#include "model_image_io.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <utility>
#include <sstream>

#include <fmt/format.h>
#include <zlib.h>

namespace aimc::compiler {

uint32_t ModelImage::add_string(const std::string& s) {
    const uint32_t at = uint32_t(strings.size());
    strings += s;
    strings.push_back('\0');
    return at;
}

uint32_t ModelImage::add_blob(const void* data, size_t bytes) {
    while (blob.size() % 4) blob.push_back(0);
    const uint32_t at = uint32_t(blob.size());
    const auto* p = static_cast<const uint8_t*>(data);
    blob.insert(blob.end(), p, p + bytes);
    return at;
}

std::string ModelImage::string_at(uint32_t offset) const {
    if (offset >= strings.size()) return "?";
    return std::string(strings.c_str() + offset);
}

uint32_t image_crc32(const uint8_t* data, size_t size) {
    const size_t at = offsetof(aimc_image_header_t, crc32);
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, data, uInt(std::min(at, size)));
    if (size > at) {
        const uint8_t zero[4] = {0, 0, 0, 0};
        crc = crc32(crc, zero, uInt(std::min<size_t>(4, size - at)));
    }
    if (size > at + 4) crc = crc32(crc, data + at + 4, uInt(size - at - 4));
    return uint32_t(crc);
}

namespace {

template <class T>
void put(std::vector<uint8_t>& out, const std::vector<T>& v) {
    const auto* p = reinterpret_cast<const uint8_t*>(v.data());
    out.insert(out.end(), p, p + v.size() * sizeof(T));
}
void align4(std::vector<uint8_t>& out) {
    while (out.size() % 4) out.push_back(0);
}

}  // namespace

std::vector<uint8_t> serialize(const ModelImage& img) {
    aimc_image_header_t h = img.header;
    h.magic = AIMC_IMAGE_MAGIC;
    h.version_major = AIMC_IMAGE_VERSION_MAJOR;
    h.version_minor = AIMC_IMAGE_VERSION_MINOR;
    h.header_bytes = sizeof(aimc_image_header_t);
    h.crc32 = 0;
    std::vector<uint8_t> out(sizeof h);
    h.layers_offset = uint32_t(out.size()), h.n_layers = uint32_t(img.layers.size());
    put(out, img.layers);
    h.blocks_offset = uint32_t(out.size()), h.n_blocks = uint32_t(img.blocks.size());
    put(out, img.blocks);
    h.tiles_offset = uint32_t(out.size()), h.n_tiles = uint32_t(img.tiles.size());
    put(out, img.tiles);
    h.steps_offset = uint32_t(out.size()), h.n_steps = uint32_t(img.steps.size());
    put(out, img.steps);
    h.strings_offset = uint32_t(out.size()), h.strings_bytes = uint32_t(img.strings.size());
    out.insert(out.end(), img.strings.begin(), img.strings.end());
    align4(out);
    h.blob_offset = uint32_t(out.size()), h.blob_bytes = uint32_t(img.blob.size());
    out.insert(out.end(), img.blob.begin(), img.blob.end());
    h.total_bytes = uint32_t(out.size());
    std::memcpy(out.data(), &h, sizeof h);
    h.crc32 = image_crc32(out.data(), out.size());
    std::memcpy(out.data(), &h, sizeof h);
    return out;
}

namespace {

template <class T>
std::vector<T> section(const uint8_t* data, size_t size, uint32_t offset, uint32_t count, const char* what) {
    const uint64_t end = uint64_t(offset) + uint64_t(count) * sizeof(T);
    if (end > size)
        throw ImageError(fmt::format("{} section ({} records of {} bytes at {}) runs past the end of the {}-byte image",
                                     what, count, sizeof(T), offset, size));
    std::vector<T> v(count);
    if (count) std::memcpy(v.data(), data + offset, size_t(count) * sizeof(T));
    return v;
}

void check_blob(const ModelImage& m, uint64_t offset, uint64_t bytes, const std::string& what) {
    if (offset + bytes > m.blob.size())
        throw ImageError(fmt::format("{}: {} bytes at blob offset {} run past the {}-byte blob", what, bytes, offset,
                                     m.blob.size()));
}

}  // namespace

ModelImage parse_image(const uint8_t* data, size_t size) {
    ModelImage m;
    if (size < sizeof(aimc_image_header_t))
        throw ImageError(fmt::format("image of {} bytes is shorter than its {}-byte header", size,
                                     sizeof(aimc_image_header_t)));
    std::memcpy(&m.header, data, sizeof m.header);
    const aimc_image_header_t& h = m.header;
    if (h.magic != AIMC_IMAGE_MAGIC) throw ImageError(fmt::format("bad magic {:#010x} (expected {:#010x}, \"AIMG\")", h.magic, AIMC_IMAGE_MAGIC));
    if (h.version_major != AIMC_IMAGE_VERSION_MAJOR)
        throw ImageError(fmt::format("format version {}.{} is not supported (this reader: {}.x)", h.version_major,
                                     h.version_minor, AIMC_IMAGE_VERSION_MAJOR));
    if (h.header_bytes != sizeof(aimc_image_header_t))
        throw ImageError(fmt::format("header_bytes = {}, expected {}", h.header_bytes, sizeof(aimc_image_header_t)));
    if (h.total_bytes != size) throw ImageError(fmt::format("total_bytes = {} but the image has {} bytes", h.total_bytes, size));
    const uint32_t crc = image_crc32(data, size);
    if (crc != h.crc32) throw ImageError(fmt::format("CRC mismatch: header says {:#010x}, contents give {:#010x}", h.crc32, crc));
    if (h.flags & ~AIMC_IMAGE_FLAG_CALIBRATE)
        throw ImageError(fmt::format("header: flags {:#x} has bits this reader does not know (it knows {:#x})", h.flags,
                                     AIMC_IMAGE_FLAG_CALIBRATE));
    if (h.calibrate_every && !(h.flags & AIMC_IMAGE_FLAG_CALIBRATE))
        throw ImageError(fmt::format("header: calibrate_every = {} without the CALIBRATE flag", h.calibrate_every));
    if (!std::memchr(h.model_name, 0, sizeof h.model_name) || !std::memchr(h.platform_name, 0, sizeof h.platform_name))
        throw ImageError("model_name or platform_name is not NUL-terminated");
    m.layers = section<aimc_image_layer_t>(data, size, h.layers_offset, h.n_layers, "layer");
    m.blocks = section<aimc_image_block_t>(data, size, h.blocks_offset, h.n_blocks, "block");
    m.tiles = section<aimc_image_tile_t>(data, size, h.tiles_offset, h.n_tiles, "tile");
    m.steps = section<aimc_image_step_t>(data, size, h.steps_offset, h.n_steps, "step");
    const auto strs = section<char>(data, size, h.strings_offset, h.strings_bytes, "string");
    m.strings.assign(strs.begin(), strs.end());
    m.blob = section<uint8_t>(data, size, h.blob_offset, h.blob_bytes, "blob");
    // What the firmware runtime requires too (it reads the records in place): a non-empty,
    // NUL-terminated string section and 4-byte aligned record sections.
    if (m.strings.empty() || m.strings.back() != '\0') throw ImageError("the string section is empty or not NUL-terminated");
    for (const auto& [what, offset] : {std::pair<const char*, uint32_t>{"layer", h.layers_offset}, {"block", h.blocks_offset},
                                       {"tile", h.tiles_offset}, {"step", h.steps_offset}})
        if (offset % 4) throw ImageError(fmt::format("{} section at offset {} is not 4-byte aligned", what, offset));
    const uint32_t ntiles = uint32_t(h.mesh_width) * h.mesh_height;
    if (h.tiles_needed > ntiles || h.tiles_needed == 0)
        throw ImageError(fmt::format("tiles_needed = {} on a {}x{} mesh", h.tiles_needed, h.mesh_width, h.mesh_height));
    if (h.xbar_rows == 0 || h.xbar_cols == 0) throw ImageError("crossbar geometry is 0");
    const uint64_t in_bytes = uint64_t(h.input_c) * h.input_h * h.input_w;
    if (in_bytes == 0 || h.input_offset + in_bytes > h.arena_bytes)
        throw ImageError(fmt::format("input tensor ({} bytes at {}) outside the {}-byte arena", in_bytes, h.input_offset, h.arena_bytes));
    if (h.output_count == 0 || uint64_t(h.output_offset) + h.output_count > h.arena_bytes)
        throw ImageError(fmt::format("output ({} bytes at {}) outside the {}-byte arena", h.output_count, h.output_offset, h.arena_bytes));
    for (size_t i = 0; i < m.layers.size(); ++i) {
        const auto& l = m.layers[i];
        if (l.name_offset >= m.strings.size()) throw ImageError(fmt::format("layer {}: name offset {} outside the strings", i, l.name_offset));
        if (l.kind < AIMC_LAYER_DENSE || l.kind > AIMC_LAYER_LUT) throw ImageError(fmt::format("layer {}: unknown kind {}", i, l.kind));
        if (uint64_t(l.first_step) + l.n_steps > m.steps.size()) throw ImageError(fmt::format("layer {}: steps outside the step table", i));
        if (uint64_t(l.out_offset) + uint64_t(l.out_c) * l.out_h * l.out_w > h.arena_bytes)
            throw ImageError(fmt::format("layer {}: output outside the arena", i));
    }
    for (size_t i = 0; i < m.blocks.size(); ++i) {
        const auto& b = m.blocks[i];
        if (b.layer >= m.layers.size()) throw ImageError(fmt::format("block {}: layer {} does not exist", i, b.layer));
        if (b.tile >= h.tiles_needed) throw ImageError(fmt::format("block {}: tile {} >= tiles_needed {}", i, b.tile, h.tiles_needed));
        if (b.rows == 0 || b.cols == 0 || b.row0 + b.rows > h.xbar_rows || b.col0 + b.cols > h.xbar_cols)
            throw ImageError(fmt::format("block {}: {}x{} at ({}, {}) outside the {}x{} crossbar", i, b.rows, b.cols, b.row0, b.col0, h.xbar_rows, h.xbar_cols));
        check_blob(m, b.weights_offset, uint64_t(b.rows) * b.cols, fmt::format("block {} weights", i));
    }
    for (size_t i = 0; i < m.tiles.size(); ++i) {
        const auto& t = m.tiles[i];
        if (t.tile >= h.tiles_needed) throw ImageError(fmt::format("tile record {}: tile {} >= tiles_needed {}", i, t.tile, h.tiles_needed));
        check_blob(m, t.ldpu_offset, t.ldpu_bytes, fmt::format("tile record {} LDPU image", i));
        if (uint64_t(t.first_block) + t.n_blocks > m.blocks.size()) throw ImageError(fmt::format("tile record {}: blocks outside the block table", i));
        for (uint32_t k = 0; k < t.n_blocks; ++k)
            if (m.blocks[t.first_block + k].tile != t.tile)
                throw ImageError(fmt::format("tile record {}: block {} belongs to tile {}", i, t.first_block + k, m.blocks[t.first_block + k].tile));
    }
    for (size_t i = 0; i < m.steps.size(); ++i) {
        const auto& s = m.steps[i];
        if (s.kind < AIMC_STEP_GATHER || s.kind > AIMC_STEP_LUT) throw ImageError(fmt::format("step {}: unknown kind {}", i, s.kind));
        const bool on_tile = s.kind == AIMC_STEP_GATHER || s.kind == AIMC_STEP_TILE_CMD || s.kind == AIMC_STEP_SEND ||
                             s.kind == AIMC_STEP_WAIT || s.kind == AIMC_STEP_READ;
        if (on_tile && s.tile >= h.tiles_needed) throw ImageError(fmt::format("step {} ({}): tile {} >= tiles_needed {}", i, step_kind_name(s.kind), s.tile, h.tiles_needed));
        if (s.kind == AIMC_STEP_SEND && s.a[2] >= h.tiles_needed) throw ImageError(fmt::format("step {} (send): destination tile {} >= tiles_needed", i, s.a[2]));
        if (s.kind == AIMC_STEP_LUT) check_blob(m, s.a[3], 256, fmt::format("step {} table", i));
        if (s.layer >= m.layers.size()) throw ImageError(fmt::format("step {}: layer {} does not exist", i, s.layer));
    }
    return m;
}

void write_image_file(const ModelImage& img, const std::string& path) {
    const std::vector<uint8_t> bytes = serialize(img);
    const std::string tmp = path + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        if (!f) throw ImageError(tmp + ": cannot create the file");
        f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        f.close();
        if (!f) {
            std::remove(tmp.c_str());
            throw ImageError(tmp + ": write failed");
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw ImageError(path + ": cannot rename the temporary file into place");
    }
}

ModelImage read_image_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw ImageError(path + ": cannot open the image");
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    try {
        return parse_image(bytes.data(), bytes.size());
    } catch (const ImageError& e) {
        throw ImageError(path + ": " + e.what());
    }
}

const char* step_kind_name(uint32_t k) {
    switch (k) {
    case AIMC_STEP_GATHER: return "gather";
    case AIMC_STEP_TILE_CMD: return "tile-cmd";
    case AIMC_STEP_SEND: return "send";
    case AIMC_STEP_WAIT: return "wait";
    case AIMC_STEP_READ: return "read";
    case AIMC_STEP_ADD: return "add";
    case AIMC_STEP_POOL: return "pool";
    case AIMC_STEP_LUT: return "lut";
    }
    return "?";
}

const char* layer_kind_name(uint32_t k) {
    switch (k) {
    case AIMC_LAYER_DENSE: return "dense";
    case AIMC_LAYER_CONV: return "conv";
    case AIMC_LAYER_ADD: return "add";
    case AIMC_LAYER_MAX_POOL: return "maxpool";
    case AIMC_LAYER_AVG_POOL: return "avgpool";
    case AIMC_LAYER_LUT: return "lut";
    }
    return "?";
}

std::string image_summary(const ModelImage& m) {
    const aimc_image_header_t& h = m.header;
    std::ostringstream os;
    os << fmt::format("model image '{}' format {}.{}, {} bytes, crc32 {:#010x}\n", h.model_name, h.version_major,
                      h.version_minor, h.total_bytes, h.crc32);
    os << fmt::format("platform {}: {}x{} mesh, {}x{} crossbars, {}-bit weights, {}-bit inputs; {} tiles needed\n",
                      h.platform_name, h.mesh_width, h.mesh_height, h.xbar_rows, h.xbar_cols, h.weight_bits,
                      h.input_bits, h.tiles_needed);
    os << fmt::format("input {}x{}x{} (HWC int8) at arena {}, scale {:.6g}, normalization (p/255 - {:.6g}) / {:.6g}\n",
                      h.input_h, h.input_w, h.input_c, h.input_offset, h.input_scale, h.input_mean, h.input_std);
    os << fmt::format("output {} classes at arena {}, scale {:.6g}; arena {} bytes\n", h.output_count, h.output_offset,
                      h.output_scale, h.arena_bytes);
    if (h.flags & AIMC_IMAGE_FLAG_CALIBRATE)
        os << (h.calibrate_every ? fmt::format("drift compensation: CALIBRATE every tile after programming and before "
                                               "every {}th inference\n", h.calibrate_every)
                                 : std::string("drift compensation: CALIBRATE every tile after programming\n"));
    os << fmt::format("sections: {} layers, {} blocks, {} tiles, {} steps, {} bytes of names, {} bytes of blob\n",
                      h.n_layers, h.n_blocks, h.n_tiles, h.n_steps, h.strings_bytes, h.blob_bytes);
    os << "\n  # layer                kind     out (HxWxC)  scale      matrix     blocks  repl  MVMs   steps  row copies\n";
    for (size_t i = 0; i < m.layers.size(); ++i) {
        const auto& l = m.layers[i];
        const bool xbar = l.kind == AIMC_LAYER_DENSE || l.kind == AIMC_LAYER_CONV;
        os << fmt::format("{:>3} {:<20} {:<8} {:>3}x{:>3}x{:>3}  {:<9.4g}  {:<9}  {:<6}  {:>4}  {:>5}  {:>5}  {}\n", i,
                          m.string_at(l.name_offset).substr(0, 20), layer_kind_name(l.kind), l.out_h, l.out_w, l.out_c,
                          l.out_scale, xbar ? fmt::format("{}x{}", l.matrix_rows, l.matrix_cols) : "-",
                          xbar ? fmt::format("{}x{}", l.row_blocks, l.col_blocks) : "-", l.replicas, l.mvms, l.n_steps,
                          xbar ? std::to_string(l.row_copies) : "-");
    }
    os << "\n  tile  LDPU bytes  blocks (layer r,c @ row0,col0 rows x cols)\n";
    for (const auto& t : m.tiles) {
        os << fmt::format("  {:>4}  {:>10}  ", t.tile, t.ldpu_bytes);
        for (uint32_t k = 0; k < t.n_blocks; ++k) {
            const auto& b = m.blocks[t.first_block + k];
            os << fmt::format("{}{} {},{}@{},{} {}x{}", k ? "; " : "", m.string_at(m.layers[b.layer].name_offset),
                              b.row_block, b.col_block, b.row0, b.col0, b.rows, b.cols);
        }
        os << "\n";
    }
    std::map<uint32_t, int> kinds;
    for (const auto& s : m.steps) ++kinds[s.kind];
    os << "\n  steps per inference:";
    for (const auto& [k, n] : kinds) os << fmt::format(" {} {}", step_kind_name(k), n);
    os << "\n";
    return os.str();
}

}  // namespace aimc::compiler
