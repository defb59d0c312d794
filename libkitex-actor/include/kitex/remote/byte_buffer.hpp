#pragma once

// Byte buffers. An encoder appends into a byte_buffer; a socket read hands its
// complete frames to an actor as one shared_bytes block, so frames are never
// copied one by one.

#include <cstdint>
#include <memory>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

namespace kitex::remote {

/// std::allocator, except that resize() leaves new elements uninitialized
/// (value construction with no arguments is default-initialization), so an
/// encoder can size a buffer and then fill it without a memset first.
template<class T>
struct default_init_allocator : std::allocator<T> {
  using value_type = T;

  template<class U>
  struct rebind {
    using other = default_init_allocator<U>;
  };

  default_init_allocator() noexcept = default;

  template<class U>
  default_init_allocator(const default_init_allocator<U>&) noexcept {}

  template<class U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }

  template<class U, class... Ts>
  void construct(U* p, Ts&&... xs) {
    ::new (static_cast<void*>(p)) U(std::forward<Ts>(xs)...);
  }
};

using byte_buffer = std::vector<uint8_t, default_init_allocator<uint8_t>>;

/// Immutable bytes shared between the io thread and actors.
using shared_bytes = std::shared_ptr<const byte_buffer>;

using byte_span = std::span<const uint8_t>;

/// A frame inside a shared block.
struct frame_ref {
  shared_bytes block;
  uint32_t offset = 0;
  uint32_t size = 0;

  byte_span bytes() const {
    return byte_span{block->data() + offset, size};
  }
};

// One insert per value (one capacity check and a small copy) instead of a
// push_back per byte: the generated encoders call these per field.

inline void put_u16(byte_buffer& out, uint16_t x) {
  const uint8_t b[2] = {static_cast<uint8_t>(x >> 8), static_cast<uint8_t>(x)};
  out.insert(out.end(), b, b + 2);
}

inline void put_u32(byte_buffer& out, uint32_t x) {
  const uint8_t b[4]
    = {static_cast<uint8_t>(x >> 24), static_cast<uint8_t>(x >> 16),
       static_cast<uint8_t>(x >> 8), static_cast<uint8_t>(x)};
  out.insert(out.end(), b, b + 4);
}

inline void put_u64(byte_buffer& out, uint64_t x) {
  const uint8_t b[8]
    = {static_cast<uint8_t>(x >> 56), static_cast<uint8_t>(x >> 48),
       static_cast<uint8_t>(x >> 40), static_cast<uint8_t>(x >> 32),
       static_cast<uint8_t>(x >> 24), static_cast<uint8_t>(x >> 16),
       static_cast<uint8_t>(x >> 8),  static_cast<uint8_t>(x)};
  out.insert(out.end(), b, b + 8);
}

inline void patch_u32(byte_buffer& out, size_t at, uint32_t x) {
  out[at] = static_cast<uint8_t>(x >> 24);
  out[at + 1] = static_cast<uint8_t>(x >> 16);
  out[at + 2] = static_cast<uint8_t>(x >> 8);
  out[at + 3] = static_cast<uint8_t>(x);
}

inline uint16_t get_u16(const uint8_t* p) {
  return static_cast<uint16_t>((p[0] << 8) | p[1]);
}

inline uint32_t get_u32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8)
         | uint32_t{p[3]};
}

} // namespace kitex::remote
