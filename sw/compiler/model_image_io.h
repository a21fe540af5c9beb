// The model image (sw/runtime/include/aimc/model_image.h) in memory: build, serialize with its CRC,
// write atomically (temporary file + rename), parse with every offset and count checked, and print.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "aimc/model_image.h"

namespace aimc::compiler {

// A malformed image: the message names the field or record and what is wrong.
class ImageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ModelImage {
    aimc_image_header_t header{};  // serialize() fills magic, version, sizes, section offsets and CRC
    std::vector<aimc_image_layer_t> layers;
    std::vector<aimc_image_block_t> blocks;
    std::vector<aimc_image_tile_t> tiles;
    std::vector<aimc_image_step_t> steps;
    std::string strings;         // NUL-terminated names
    std::vector<uint8_t> blob;   // weights, LDPU memory images, tables

    uint32_t add_string(const std::string& s);                  // returns its offset
    uint32_t add_blob(const void* data, size_t bytes);         // 4-byte aligned; returns its offset
    std::string string_at(uint32_t offset) const;
};

uint32_t image_crc32(const uint8_t* data, size_t size);  // CRC-32 with the header's crc32 field read as 0

std::vector<uint8_t> serialize(const ModelImage& img);
// Parses and validates an image: magic, version, sizes, CRC, every section inside the file, every
// record's references (strings, blob ranges, tiles, layers, step kinds). Throws ImageError.
ModelImage parse_image(const uint8_t* data, size_t size);

// Writes to `path`.tmp then renames it: a failed write leaves no partial image.
void write_image_file(const ModelImage& img, const std::string& path);
ModelImage read_image_file(const std::string& path);

// Human-readable dump: header, layers, tiles and blocks, step counts per kind.
std::string image_summary(const ModelImage& img);
const char* step_kind_name(uint32_t kind);
const char* layer_kind_name(uint32_t kind);

}  // namespace aimc::compiler
