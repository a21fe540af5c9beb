// Host memory of a crossbar's per-device data (megabytes per array): one mapping per block, backed by 2 MiB
// pages where the kernel offers transparent huge pages on request. First touches of fresh memory dominate
// programming a whole array otherwise (a 256x256 array with 4 devices per weight holds 8 MiB of device state,
// 2048 page faults of 4 KiB, each far dearer than zeroing its page); a 2 MiB page takes one. A block is mapped
// in whole 2 MiB pages when that adds at most an eighth to it; otherwise its tail past the last whole 2 MiB
// stays in small pages. Without huge pages (or without mmap) the block is ordinary memory, with the same
// contents.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace aimc::analog {

// Maps the pages of [p, p + bytes) now, in one call (MADV_POPULATE_WRITE), for memory about to be written in
// full: fresh pages otherwise fault in one at a time. A hint; without kernel support nothing happens.
void prefault(void* p, size_t bytes);

// A zero-filled block of host memory, aligned to 64 bytes, move-only.
class DeviceMemory {
 public:
  DeviceMemory() = default;
  explicit DeviceMemory(size_t bytes);
  ~DeviceMemory();
  DeviceMemory(DeviceMemory&& o) noexcept;
  DeviceMemory& operator=(DeviceMemory&& o) noexcept;
  DeviceMemory(const DeviceMemory&) = delete;
  DeviceMemory& operator=(const DeviceMemory&) = delete;

  // The host memory a block of `bytes` takes once touched: whole 2 MiB pages when that adds at most an eighth.
  static size_t mapped_bytes(size_t bytes);

  unsigned char* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  void release();
  unsigned char* data_ = nullptr;
  size_t size_ = 0;
  void* map_ = nullptr;  // the whole mapping (data_ is its 2 MiB-aligned part), or nullptr when heap memory
  size_t map_bytes_ = 0;
};

// One per-device field inside a DeviceMemory block: indexable like the std::vector it replaces, convertible to
// one (a copy), not owning its memory.
template <class T>
class DeviceArray {
 public:
  DeviceArray() = default;
  DeviceArray(T* p, size_t n) : p_(p), n_(n) {}
  T& operator[](size_t i) { return p_[i]; }
  const T& operator[](size_t i) const { return p_[i]; }
  T* data() { return p_; }
  const T* data() const { return p_; }
  size_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  T* begin() { return p_; }
  T* end() { return p_ + n_; }
  const T* begin() const { return p_; }
  const T* end() const { return p_ + n_; }
  void fill(T v) {
    for (size_t i = 0; i < n_; ++i) p_[i] = v;
  }
  operator std::vector<T>() const { return std::vector<T>(p_, p_ + n_); }

 private:
  T* p_ = nullptr;
  size_t n_ = 0;
};

}  // namespace aimc::analog
