#include <cstring>
#include <fstream>

#include <gtest/gtest.h>

#include "host/elf_loader.h"

namespace {

using aimc::host::ElfError;
using aimc::host::ElfImage;

// A minimal valid ELF32 RISC-V executable: one PT_LOAD of 8 bytes at 0x80000000, no sections.
std::vector<uint8_t> tiny_elf() {
    std::vector<uint8_t> b(52 + 32 + 8, 0);
    const uint8_t ident[] = {0x7F, 'E', 'L', 'F', 1, 1, 1};
    std::memcpy(b.data(), ident, sizeof ident);
    auto put16 = [&](size_t off, uint16_t v) { std::memcpy(&b[off], &v, 2); };
    auto put32 = [&](size_t off, uint32_t v) { std::memcpy(&b[off], &v, 4); };
    put16(16, 2);             // ET_EXEC
    put16(18, 243);           // EM_RISCV
    put32(20, 1);             // version
    put32(24, 0x80000000);    // entry
    put32(28, 52);            // phoff
    put16(40, 52);            // ehsize
    put16(42, 32);            // phentsize
    put16(44, 1);             // phnum
    put32(52 + 0, 1);         // PT_LOAD
    put32(52 + 4, 84);        // offset
    put32(52 + 8, 0x80000000);
    put32(52 + 12, 0x80000000);
    put32(52 + 16, 8);        // filesz
    put32(52 + 20, 16);       // memsz
    put32(52 + 24, 5);        // R+X
    put32(84, 0x00000013);    // nop
    put32(88, 0x0000006F);    // j .
    return b;
}

std::string error_of(const std::vector<uint8_t>& bytes) {
    try {
        ElfImage::parse(bytes, "fw.elf");
    } catch (const ElfError& e) {
        return e.what();
    }
    return "";
}

TEST(ElfLoader, ParsesAValidImage) {
    const auto img = ElfImage::parse(tiny_elf(), "fw.elf");
    EXPECT_EQ(img.entry(), 0x80000000u);
    ASSERT_EQ(img.segments().size(), 1u);
    EXPECT_EQ(img.segments()[0].mem_size, 16u);
    EXPECT_TRUE(img.segments()[0].executable);
    std::vector<uint8_t> mem(16, 0xAA);
    img.load([&](uint32_t addr, const uint8_t* d, uint32_t n) {
        std::memcpy(mem.data() + (addr - 0x80000000), d, n);
        return true;
    });
    EXPECT_EQ(mem[0], 0x13);
    EXPECT_EQ(mem[12], 0x00);  // .bss part zeroed
}

TEST(ElfLoader, RejectsBadImagesWithClearMessages) {
    EXPECT_NE(error_of({'h', 'i'}).find("not an ELF"), std::string::npos);
    auto b = tiny_elf();
    b.resize(60);
    EXPECT_NE(error_of(b).find("truncated"), std::string::npos);
    b = tiny_elf();
    b.resize(86);  // segment data cut short
    EXPECT_NE(error_of(b).find("truncated"), std::string::npos);
    b = tiny_elf();
    b[4] = 2;
    EXPECT_NE(error_of(b).find("64-bit"), std::string::npos);
    b = tiny_elf();
    b[18] = 62;  // x86-64
    EXPECT_NE(error_of(b).find("not RISC-V"), std::string::npos);
    b = tiny_elf();
    b[16] = 1;  // ET_REL
    EXPECT_NE(error_of(b).find("not an executable"), std::string::npos);
    b = tiny_elf();
    b[52 + 16] = 32;  // filesz > memsz
    EXPECT_NE(error_of(b).find("larger than its memory size"), std::string::npos);
}

TEST(ElfLoader, SegmentOutsideMemoryIsNamed) {
    const auto img = ElfImage::parse(tiny_elf(), "fw.elf");
    try {
        img.load([](uint32_t, const uint8_t*, uint32_t) { return false; });
        FAIL() << "expected an error";
    } catch (const ElfError& e) {
        EXPECT_NE(std::string(e.what()).find("segment 0 [0x80000000, 0x80000010)"), std::string::npos) << e.what();
    }
}

TEST(ElfLoader, MissingFile) {
    EXPECT_THROW(ElfImage::read("/nonexistent/fw.elf"), ElfError);
}

}  // namespace
