#pragma once

// What every Thrift protocol writer shares: appending to a byte_buffer
// through a raw cursor, so a per-field write is a bounds check, a store and
// a pointer bump instead of a vector insert. Like protobuf's
// CodedOutputStream, a writer owns the buffer's tail while it writes: the
// buffer is grown in steps and its size includes room not yet written, until
// flush() (called by buffer() and the destructor) trims it to the bytes
// written. Touch the buffer directly only after flush().

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kitex/remote/byte_buffer.hpp"

// Per-value writes are a few instructions; GCC's heuristics would otherwise
// leave them as calls once a generated struct writer grows large.
#define KITEX_WRITE_INLINE [[gnu::always_inline]] inline

namespace kitex::remote::thrift {

constexpr uint16_t byteswap(uint16_t x) noexcept {
  return __builtin_bswap16(x);
}

constexpr uint32_t byteswap(uint32_t x) noexcept {
  return __builtin_bswap32(x);
}

constexpr uint64_t byteswap(uint64_t x) noexcept {
  return __builtin_bswap64(x);
}

class writer_base {
public:
  writer_base(const writer_base&) = delete;
  writer_base& operator=(const writer_base&) = delete;

  /// The buffer, trimmed to the bytes written.
  byte_buffer& buffer() noexcept {
    flush();
    return *out_;
  }

  /// Trims the buffer to the bytes written so far.
  void flush() noexcept {
    if (cur_ != nullptr) {
      out_->resize(static_cast<size_t>(cur_ - out_->data()));
      cur_ = end_ = nullptr;
    }
  }

  /// The buffer's size once flushed: what was there plus what was written.
  size_t size() const noexcept {
    return cur_ != nullptr ? static_cast<size_t>(cur_ - out_->data())
                           : out_->size();
  }

protected:
  explicit writer_base(byte_buffer& out) noexcept : out_(&out) {}

  ~writer_base() {
    flush();
  }

  /// At least `n` writable bytes at the cursor.
  KITEX_WRITE_INLINE uint8_t* room(size_t n) {
    if (static_cast<size_t>(end_ - cur_) < n) [[unlikely]]
      grow(n);
    return cur_;
  }

  // Each put stores through a local pointer and sets cur_ once: a byte
  // store may alias cur_, so `cur_ += n` after it would reload it.

  KITEX_WRITE_INLINE void put_byte(uint8_t x) {
    auto* p = room(1);
    *p = x;
    cur_ = p + 1;
  }

  KITEX_WRITE_INLINE void put_bytes(const void* data, size_t n) {
    if (n == 0)
      return;
    auto* p = room(n);
    std::memcpy(p, data, n);
    cur_ = p + n;
  }

  KITEX_WRITE_INLINE void put_be16(uint16_t x) {
    store_be(x);
  }

  KITEX_WRITE_INLINE void put_be32(uint32_t x) {
    store_be(x);
  }

  KITEX_WRITE_INLINE void put_be64(uint64_t x) {
    store_be(x);
  }

  /// Big-endian `x` as one store.
  template<class T>
  KITEX_WRITE_INLINE void store_be(T x) {
    if constexpr (std::endian::native == std::endian::little)
      x = byteswap(x);
    auto* p = room(sizeof(T));
    std::memcpy(p, &x, sizeof(T));
    cur_ = p + sizeof(T);
  }

  /// Little-endian `x` as one store (Compact's doubles).
  KITEX_WRITE_INLINE void put_le64(uint64_t x) {
    if constexpr (std::endian::native == std::endian::big)
      x = byteswap(x);
    auto* p = room(8);
    std::memcpy(p, &x, 8);
    cur_ = p + 8;
  }

  uint8_t* cur_ = nullptr;

private:
  /// Makes room for `n` more bytes: the buffer grows to at least twice what
  /// is written (or its capacity, whichever is larger) without zero-filling.
  void grow(size_t n);

  uint8_t* end_ = nullptr;
  byte_buffer* out_;
};

} // namespace kitex::remote::thrift
