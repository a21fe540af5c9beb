#include "host/elf_loader.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

namespace aimc::host {
namespace {

// ELF32 layout (System V ABI); fields read with memcpy, little-endian host and file.
constexpr uint8_t kElfMagic[4] = {0x7F, 'E', 'L', 'F'};
constexpr uint8_t kClass32 = 1, kClass64 = 2, kDataLsb = 1;
constexpr uint16_t kTypeExec = 2, kMachineRiscv = 243;
constexpr uint32_t kPtLoad = 1, kShtSymtab = 2, kPfExec = 1;
constexpr uint8_t kSttFunc = 2;

struct Ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct Phdr {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};
struct Shdr {
    uint32_t name, type, flags, addr, offset, size, link, info, addralign, entsize;
};
struct Sym {
    uint32_t name, value, size;
    uint8_t info, other;
    uint16_t shndx;
};
static_assert(sizeof(Ehdr) == 52 && sizeof(Phdr) == 32 && sizeof(Shdr) == 40 && sizeof(Sym) == 16);

class Reader {
public:
    Reader(const std::vector<uint8_t>& bytes, const std::string& origin) : b_(bytes), origin_(origin) {}
    template <class T>
    T at(uint64_t offset, const char* what) const {
        if (offset + sizeof(T) > b_.size())
            throw ElfError(fmt::format("{}: truncated: {} at offset {:#x} lies past the end of the file ({} bytes)",
                                       origin_, what, offset, b_.size()));
        T v;
        std::memcpy(&v, b_.data() + offset, sizeof(T));
        return v;
    }
    void check_range(uint64_t offset, uint64_t size, const std::string& what) const {
        if (offset + size > b_.size())
            throw ElfError(fmt::format("{}: truncated: {} [{:#x}, {:#x}) lies past the end of the file ({} bytes)",
                                       origin_, what, offset, offset + size, b_.size()));
    }
    const std::vector<uint8_t>& bytes() const { return b_; }

private:
    const std::vector<uint8_t>& b_;
    const std::string& origin_;
};

}  // namespace

ElfImage ElfImage::read(const std::string& path) {
    // Checked before reading: a directory, a device such as /dev/zero or a huge file would
    // otherwise fail late, or read until memory runs out.
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) throw ElfError(fmt::format("{}: cannot open the file: no such file", path));
    if (std::filesystem::is_directory(status)) throw ElfError(fmt::format("{}: is a directory, not an ELF file", path));
    if (!std::filesystem::is_regular_file(status))
        throw ElfError(fmt::format("{}: not a regular file (a device, pipe or socket); give an ELF file", path));
    const uint64_t size = std::filesystem::file_size(path, ec);
    if (ec) throw ElfError(fmt::format("{}: cannot read the file size: {}", path, ec.message()));
    if (size > kMaxFileBytes)
        throw ElfError(fmt::format("{}: {} bytes; an ELF image larger than {} MiB is refused", path, size, kMaxFileBytes >> 20));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ElfError(fmt::format("{}: cannot open the file", path));
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return parse(bytes, path);
}

ElfImage ElfImage::parse(const std::vector<uint8_t>& bytes, const std::string& origin) {
    ElfImage img;
    img.origin_ = origin;
    if (bytes.size() < 4 || std::memcmp(bytes.data(), kElfMagic, 4) != 0)
        throw ElfError(fmt::format("{}: not an ELF file (bad magic)", origin));
    Reader r(bytes, origin);
    const auto eh = r.at<Ehdr>(0, "the ELF header");
    if (eh.ident[4] == kClass64)
        throw ElfError(fmt::format("{}: 64-bit ELF; the aimc-vp host is rv32 (build with -march=rv32... -mabi=ilp32)", origin));
    if (eh.ident[4] != kClass32) throw ElfError(fmt::format("{}: unknown ELF class {}", origin, eh.ident[4]));
    if (eh.ident[5] != kDataLsb) throw ElfError(fmt::format("{}: big-endian ELF; RISC-V is little-endian", origin));
    if (eh.machine != kMachineRiscv)
        throw ElfError(fmt::format("{}: ELF machine {} is not RISC-V ({})", origin, eh.machine, kMachineRiscv));
    if (eh.type != kTypeExec)
        throw ElfError(fmt::format("{}: ELF type {} is not an executable (ET_EXEC); link it first", origin, eh.type));
    if (eh.phentsize != sizeof(Phdr) && eh.phnum != 0)
        throw ElfError(fmt::format("{}: program header entry size {} (expected {})", origin, eh.phentsize, sizeof(Phdr)));
    img.entry_ = eh.entry;

    for (unsigned i = 0; i < eh.phnum; ++i) {
        const auto ph = r.at<Phdr>(uint64_t{eh.phoff} + i * sizeof(Phdr), "a program header");
        if (ph.type != kPtLoad || ph.memsz == 0) continue;
        if (ph.filesz > ph.memsz)
            throw ElfError(fmt::format("{}: segment {} has file size {} larger than its memory size {}", origin, i,
                                       ph.filesz, ph.memsz));
        if (uint64_t{ph.paddr} + ph.memsz > (uint64_t{1} << 32))
            throw ElfError(fmt::format("{}: segment {} [{:#x}, +{:#x}) wraps the 32-bit address space", origin, i,
                                       ph.paddr, ph.memsz));
        r.check_range(ph.offset, ph.filesz, fmt::format("segment {}", i));
        ElfSegment seg;
        seg.address = ph.paddr;
        seg.mem_size = ph.memsz;
        seg.executable = ph.flags & kPfExec;
        seg.data.assign(bytes.begin() + ph.offset, bytes.begin() + ph.offset + ph.filesz);
        img.segments_.push_back(std::move(seg));
    }
    if (img.segments_.empty()) throw ElfError(fmt::format("{}: no loadable segment", origin));

    // Symbols are optional (a stripped image still runs; it just loses names in reports).
    if (eh.shoff != 0 && eh.shnum != 0) {
        if (eh.shentsize != sizeof(Shdr))
            throw ElfError(fmt::format("{}: section header entry size {} (expected {})", origin, eh.shentsize, sizeof(Shdr)));
        for (unsigned i = 0; i < eh.shnum; ++i) {
            const auto sh = r.at<Shdr>(uint64_t{eh.shoff} + i * sizeof(Shdr), "a section header");
            if (sh.type != kShtSymtab) continue;
            if (sh.link >= eh.shnum) throw ElfError(fmt::format("{}: symbol table links to missing section {}", origin, sh.link));
            const auto strtab = r.at<Shdr>(uint64_t{eh.shoff} + sh.link * sizeof(Shdr), "the string table header");
            r.check_range(sh.offset, sh.size, "the symbol table");
            r.check_range(strtab.offset, strtab.size, "the string table");
            for (uint32_t off = 0; off + sizeof(Sym) <= sh.size; off += sizeof(Sym)) {
                const auto s = r.at<Sym>(uint64_t{sh.offset} + off, "a symbol");
                if (s.name == 0 || s.name >= strtab.size) continue;
                const char* name = reinterpret_cast<const char*>(bytes.data() + strtab.offset + s.name);
                const size_t max_len = strtab.size - s.name;
                ElfSymbol sym;
                sym.name.assign(name, strnlen(name, max_len));
                sym.value = s.value;
                sym.size = s.size;
                sym.is_function = (s.info & 0xF) == kSttFunc;
                img.symbols_.push_back(std::move(sym));
            }
        }
        std::sort(img.symbols_.begin(), img.symbols_.end(),
                  [](const ElfSymbol& a, const ElfSymbol& b) { return a.value < b.value; });
    }
    return img;
}

std::optional<uint32_t> ElfImage::symbol(const std::string& name) const {
    for (const auto& s : symbols_)
        if (s.name == name) return s.value;
    return std::nullopt;
}

std::string ElfImage::symbolize(uint32_t addr) const {
    const ElfSymbol* best = nullptr;
    for (const auto& s : symbols_) {
        if (!s.is_function || s.value > addr) continue;
        if (addr < s.value + std::max<uint32_t>(s.size, 1)) best = &s;
    }
    if (!best) return "";
    return addr == best->value ? best->name : fmt::format("{}+{:#x}", best->name, addr - best->value);
}

void ElfImage::load(const std::function<bool(uint32_t, const uint8_t*, uint32_t)>& write,
                    const std::function<bool(uint32_t, uint32_t)>& inside) const {
    auto outside = [&](size_t i) {
        const auto& seg = segments_[i];
        return ElfError(fmt::format("{}: segment {} [{:#x}, {:#x}) is not inside writable memory of this platform",
                                    origin_, i, seg.address, uint64_t{seg.address} + seg.mem_size));
    };
    for (size_t i = 0; i < segments_.size(); ++i)
        if (inside && !inside(segments_[i].address, segments_[i].mem_size)) throw outside(i);
    static const std::vector<uint8_t> zeros(64 * 1024, 0);
    for (size_t i = 0; i < segments_.size(); ++i) {
        const auto& seg = segments_[i];
        const auto file_bytes = static_cast<uint32_t>(seg.data.size());
        if (file_bytes && !write(seg.address, seg.data.data(), file_bytes)) throw outside(i);
        for (uint32_t at = file_bytes; at < seg.mem_size;) {
            const auto n = static_cast<uint32_t>(std::min<uint64_t>(zeros.size(), seg.mem_size - at));
            if (!write(seg.address + at, zeros.data(), n)) throw outside(i);
            at += n;
        }
    }
}

}  // namespace aimc::host
