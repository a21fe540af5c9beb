#include "analog/device_memory.h"

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

namespace aimc::analog {
namespace {
constexpr size_t kHugePage = size_t(2) << 20;
// Below one huge page the block is ordinary heap memory: nothing to gain, and the heap reuses it.
constexpr size_t kMinMapped = kHugePage;
constexpr size_t kPage = 4096;
#ifdef MADV_POPULATE_WRITE
constexpr int kPopulateWrite = MADV_POPULATE_WRITE;
#else
constexpr int kPopulateWrite = 23;  // Linux 5.14 and later; older kernels refuse it (EINVAL)
#endif
}  // namespace

void prefault(void* p, size_t bytes) {
  const uintptr_t a = (reinterpret_cast<uintptr_t>(p) + kPage - 1) & ~uintptr_t(kPage - 1);
  const uintptr_t e = (reinterpret_cast<uintptr_t>(p) + bytes) & ~uintptr_t(kPage - 1);
  if (e > a) madvise(reinterpret_cast<void*>(a), e - a, kPopulateWrite);
}

size_t DeviceMemory::mapped_bytes(size_t bytes) {
  if (bytes < kMinMapped) return bytes;
  // The block in whole 2 MiB pages when that adds at most an eighth to it: its last pages are then huge
  // too (a small page costs a fault, a huge page one per 512 of them).
  const size_t whole = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  return whole - bytes <= bytes / 8 ? whole : bytes;
}

DeviceMemory::DeviceMemory(size_t bytes) : size_(bytes) {
  if (bytes == 0) return;
  if (bytes >= kMinMapped) {
    const size_t used = mapped_bytes(bytes);
    // Map the size plus the slack to align the start at 2 MiB, then return the slack around the block.
    const size_t span = used + kHugePage;
    void* m = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m != MAP_FAILED) {
      const uintptr_t base = reinterpret_cast<uintptr_t>(m);
      const uintptr_t start = (base + kHugePage - 1) & ~uintptr_t(kHugePage - 1);
      const size_t tail_start = (start - base + used + kPage - 1) / kPage * kPage;
      if (start > base) munmap(m, start - base);
      if (tail_start < span) munmap(reinterpret_cast<unsigned char*>(m) + tail_start, span - tail_start);
      map_ = reinterpret_cast<void*>(start);
      map_bytes_ = tail_start - (start - base);
      data_ = reinterpret_cast<unsigned char*>(start);
      // Only the whole 2 MiB pages: a tail stays in small pages (no more memory than that eighth).
      madvise(data_, used / kHugePage * kHugePage, MADV_HUGEPAGE);  // a hint: refused, small pages serve
      prefault(data_, map_bytes_);  // every block is written in full right away (filled, then programmed)
      return;
    }
  }
  // Cache-line aligned like the mapped blocks (the matrices placed in a block rely on it).
  const size_t rounded = (bytes + 63) / 64 * 64;
  data_ = static_cast<unsigned char*>(std::aligned_alloc(64, rounded));
  if (!data_) throw std::bad_alloc();
  std::memset(data_, 0, rounded);
}

void DeviceMemory::release() {
  if (map_) munmap(map_, map_bytes_);
  else std::free(data_);
  data_ = nullptr;
  map_ = nullptr;
  size_ = map_bytes_ = 0;
}

DeviceMemory::~DeviceMemory() { release(); }

DeviceMemory::DeviceMemory(DeviceMemory&& o) noexcept
    : data_(std::exchange(o.data_, nullptr)),
      size_(std::exchange(o.size_, 0)),
      map_(std::exchange(o.map_, nullptr)),
      map_bytes_(std::exchange(o.map_bytes_, 0)) {}

DeviceMemory& DeviceMemory::operator=(DeviceMemory&& o) noexcept {
  if (this != &o) {
    release();
    data_ = std::exchange(o.data_, nullptr);
    size_ = std::exchange(o.size_, 0);
    map_ = std::exchange(o.map_, nullptr);
    map_bytes_ = std::exchange(o.map_bytes_, 0);
  }
  return *this;
}

}  // namespace aimc::analog
