#pragma once

// Thrift Compact protocol (Apache Thrift compact spec: protocol id 0x82,
// version 1): a reader over a span of bytes and a writer appending to a
// byte_buffer, with the member functions of binary_reader and binary_writer,
// so a generated codec is one template over the protocol.
//
// Compact encodes a field id as a delta from the previous field of the same
// struct, so both sides keep a "last field id" per open struct: read every
// struct between enter() and leave(), and write every struct, the outermost
// one included, between write_struct_begin() and write_struct_end().
//
// The reader has binary_reader's limits: varints longer than 5 (32-bit) or 10
// (64-bit) bytes, or holding more bits than their type, are invalid_data; a
// declared size is checked in 64 bits against the remaining bytes and the
// limits before anything is sized.

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "kitex/remote/byte_buffer.hpp"
#include "kitex/remote/codec/protocol_error.hpp"
#include "kitex/remote/codec/thrift/binary_protocol.hpp"
#include "kitex/remote/limits.hpp"

namespace kitex::remote::thrift {

constexpr uint8_t compact_protocol_id = 0x82;
constexpr uint8_t compact_version = 1;
constexpr uint8_t compact_version_mask = 0x1f;
constexpr int compact_message_type_shift = 5;

/// Whether two bytes start a Compact message: protocol id and version.
constexpr bool is_compact_start(uint8_t b0, uint8_t b1) {
  return b0 == compact_protocol_id
         && (b1 & compact_version_mask) == compact_version;
}

/// Type ids on the compact wire. A bool field puts its value in the type
/// (true or false); a bool container element type is written as bool_true
/// and read as either.
enum class compact_type : uint8_t {
  stop = 0,
  bool_true = 1,
  bool_false = 2,
  byte = 3,
  i16 = 4,
  i32 = 5,
  i64 = 6,
  double_ = 7,
  binary = 8,
  list = 9,
  set = 10,
  map = 11,
  struct_ = 12,
  uuid = 13,
};

/// Maps a ttype to its compact id (stop for stop, void and unknown types).
constexpr compact_type to_compact(ttype t) {
  switch (t) {
    case ttype::bool_:
      return compact_type::bool_true;
    case ttype::byte:
      return compact_type::byte;
    case ttype::i16:
      return compact_type::i16;
    case ttype::i32:
      return compact_type::i32;
    case ttype::i64:
      return compact_type::i64;
    case ttype::double_:
      return compact_type::double_;
    case ttype::string:
      return compact_type::binary;
    case ttype::list:
      return compact_type::list;
    case ttype::set:
      return compact_type::set;
    case ttype::map:
      return compact_type::map;
    case ttype::struct_:
      return compact_type::struct_;
    case ttype::uuid:
      return compact_type::uuid;
    default:
      return compact_type::stop;
  }
}

/// Smallest compact encoding of one element of type `t`, used to bound
/// container counts by the remaining bytes (0 for unknown types).
constexpr uint32_t compact_min_size(ttype t) {
  switch (t) {
    case ttype::double_:
      return 8;
    case ttype::uuid:
      return 16;
    default:
      // One byte: a varint, a length, a list header, an empty map, a stop.
      return min_size(t) == 0 ? 0 : 1;
  }
}

namespace detail {

/// The saved "last field id" of each enclosing struct. The fixed part covers
/// the default depth limit without allocating; deeper nesting (a larger
/// configured max_depth, or a writer) spills to the heap.
class field_id_stack {
public:
  static constexpr size_t fixed_capacity = 64;

  /// Saves `last` and starts a new struct at id 0.
  void push(int16_t& last) {
    if (size_ < fixed_capacity)
      fixed_[size_] = last;
    else
      spill_.push_back(last);
    ++size_;
    last = 0;
  }

  /// Restores the enclosing struct's `last` (no-op when empty).
  void pop(int16_t& last) noexcept {
    if (size_ == 0)
      return;
    --size_;
    if (size_ < fixed_capacity) {
      last = fixed_[size_];
    } else {
      last = spill_.back();
      spill_.pop_back();
    }
  }

  size_t size() const noexcept {
    return size_;
  }

private:
  std::array<int16_t, fixed_capacity> fixed_;
  size_t size_ = 0;
  std::vector<int16_t> spill_;
};

constexpr uint32_t zigzag32(int32_t x) {
  return (static_cast<uint32_t>(x) << 1) ^ static_cast<uint32_t>(x >> 31);
}

constexpr uint64_t zigzag64(int64_t x) {
  return (static_cast<uint64_t>(x) << 1) ^ static_cast<uint64_t>(x >> 63);
}

constexpr int32_t unzigzag32(uint32_t u) {
  return static_cast<int32_t>((u >> 1) ^ (0u - (u & 1)));
}

constexpr int64_t unzigzag64(uint64_t u) {
  return static_cast<int64_t>((u >> 1) ^ (uint64_t{0} - (u & 1)));
}

} // namespace detail

class compact_reader : public reader_base<compact_reader> {
public:
  compact_reader(byte_span in, const limits& lim)
    : reader_base<compact_reader>(in, lim) {}

  /// Returns the value a bool field header carried, else reads an element
  /// byte: 1 is true, 2 (and 0, from older writers) false, others invalid.
  [[nodiscard]] bool read_bool(bool& x) {
    if (bool_pending_) {
      bool_pending_ = false;
      x = bool_value_;
      return true;
    }
    if (!need(1))
      return false;
    uint8_t b = *pos_++;
    if (b > 2)
      return fail(protocol_error::invalid_data);
    x = b == 1;
    return true;
  }

  [[nodiscard]] bool read_byte(int8_t& x) {
    if (!need(1))
      return false;
    x = static_cast<int8_t>(*pos_++);
    return true;
  }

  [[nodiscard]] bool read_i16(int16_t& x) {
    int32_t v;
    if (!read_i32(v))
      return false;
    if (v < INT16_MIN || v > INT16_MAX)
      return fail(protocol_error::invalid_data);
    x = static_cast<int16_t>(v);
    return true;
  }

  [[nodiscard]] bool read_i32(int32_t& x) {
    uint32_t u;
    if (!read_varint32(u))
      return false;
    x = detail::unzigzag32(u);
    return true;
  }

  [[nodiscard]] bool read_i64(int64_t& x) {
    uint64_t u;
    if (!read_varint64(u))
      return false;
    x = detail::unzigzag64(u);
    return true;
  }

  /// Reads 8 bytes little-endian (unlike Binary's big-endian).
  [[nodiscard]] bool read_double(double& x) {
    if (!need(8))
      return false;
    uint64_t bits = 0;
    for (int i = 7; i >= 0; --i)
      bits = (bits << 8) | pos_[i];
    pos_ += 8;
    std::memcpy(&x, &bits, sizeof(x));
    return true;
  }

  /// Reads a string or binary as a view into the input (no copy).
  [[nodiscard]] bool read_string_view(std::string_view& x) {
    uint32_t len;
    if (!read_varint32(len))
      return false;
    if (static_cast<int32_t>(len) < 0)
      return fail(protocol_error::negative_size);
    if (len > limits_->max_string_size)
      return fail(protocol_error::size_limit);
    if (!need(len))
      return false;
    x = std::string_view{reinterpret_cast<const char*>(pos_), len};
    pos_ += len;
    return true;
  }

  /// Reads a field header; `t == ttype::stop` ends the struct (id is 0). For
  /// a bool field the value is in the header and the next read_bool (or
  /// skip(ttype::bool_)) returns it without reading.
  [[nodiscard]] bool read_field_begin(ttype& t, int16_t& id);

  /// An element type of bool may be 1 or 2; an unknown one is invalid_data.
  [[nodiscard]] bool read_list_begin(ttype& elem, uint32_t& n);

  [[nodiscard]] bool read_set_begin(ttype& elem, uint32_t& n) {
    return read_list_begin(elem, n);
  }

  /// An empty map has no type byte on the wire: `key` and `val` are then
  /// ttype::stop.
  [[nodiscard]] bool read_map_begin(ttype& key, ttype& val, uint32_t& n);

  /// Reads a compact message header; another protocol id or version is
  /// bad_version.
  [[nodiscard]] bool read_message_begin(message_header& h);

  /// Enters a nested struct or container: fails past the depth limit, and
  /// starts a new run of field-id deltas.
  [[nodiscard]] bool enter() {
    if (!enter_level())
      return false;
    ids_.push(last_id_);
    return true;
  }

  /// Leaves what enter() entered, even if it failed (then nothing was saved).
  void leave() noexcept {
    if (ids_.size() == depth_)
      ids_.pop(last_id_);
    --depth_;
  }

  /// Skips one value of type `t`.
  [[nodiscard]] bool skip(ttype t);

  /// Skips the fields of a struct up to and including its stop byte.
  [[nodiscard]] bool skip_struct_body();

private:
  /// At most 5 bytes, and at most 32 bits of value.
  bool read_varint32(uint32_t& x) {
    uint64_t v;
    if (!read_varint(v, 5))
      return false;
    if (v > UINT32_MAX)
      return fail(protocol_error::invalid_data);
    x = static_cast<uint32_t>(v);
    return true;
  }

  /// At most 10 bytes, and at most 64 bits of value.
  bool read_varint64(uint64_t& x) {
    return read_varint(x, 10);
  }

  bool read_varint(uint64_t& x, int max_bytes) {
    uint64_t v = 0;
    for (int i = 0; i < max_bytes; ++i) {
      if (pos_ == end_)
        return fail(protocol_error::truncated);
      uint8_t b = *pos_++;
      // The tenth byte may only hold bit 63.
      if (i == 9 && b > 1)
        return fail(protocol_error::invalid_data);
      v |= uint64_t{b & 0x7fu} << (7 * i);
      if ((b & 0x80) == 0) {
        x = v;
        return true;
      }
    }
    return fail(protocol_error::invalid_data);
  }

  bool read_count(uint32_t raw, uint32_t elem_min, uint32_t& n);

  int16_t last_id_ = 0;
  bool bool_pending_ = false;
  bool bool_value_ = false;
  detail::field_id_stack ids_;
};

class compact_writer : public writer_base {
public:
  explicit compact_writer(byte_buffer& out) noexcept : writer_base(out) {}

  /// Completes a pending bool field header, else writes an element byte
  /// (1 true, 2 false).
  void write_bool(bool x) {
    auto c = x ? compact_type::bool_true : compact_type::bool_false;
    if (bool_pending_) {
      bool_pending_ = false;
      write_field_header(c, pending_id_);
      return;
    }
    put_byte(static_cast<uint8_t>(c));
  }

  void write_byte(int8_t x) {
    put_byte(static_cast<uint8_t>(x));
  }

  void write_i16(int16_t x) {
    write_varint(detail::zigzag32(x));
  }

  void write_i32(int32_t x) {
    write_varint(detail::zigzag32(x));
  }

  void write_i64(int64_t x) {
    write_varint(detail::zigzag64(x));
  }

  /// Writes 8 bytes little-endian (unlike Binary's big-endian).
  void write_double(double x) {
    uint64_t bits;
    std::memcpy(&bits, &x, sizeof(bits));
    put_le64(bits);
  }

  void write_string(std::string_view x) {
    write_varint(static_cast<uint32_t>(x.size()));
    put_bytes(x.data(), x.size());
  }

  void write_binary(std::string_view x) {
    write_string(x);
  }

  void write_uuid(const uint8_t (&x)[16]) {
    put_bytes(x, 16);
  }

  /// Starts a struct: field ids are deltas from 0 again until
  /// write_struct_end().
  void write_struct_begin() {
    ids_.push(last_id_);
  }

  /// Ends a struct (after its write_field_stop()).
  void write_struct_end() noexcept {
    ids_.pop(last_id_);
  }

  /// A bool field's header waits for write_bool, which puts the value in it.
  void write_field_begin(ttype t, int16_t id) {
    if (t == ttype::bool_) {
      bool_pending_ = true;
      pending_id_ = id;
      return;
    }
    write_field_header(to_compact(t), id);
  }

  void write_field_stop() {
    put_byte(0);
  }

  void write_list_begin(ttype elem, uint32_t n);

  void write_set_begin(ttype elem, uint32_t n) {
    write_list_begin(elem, n);
  }

  void write_map_begin(ttype key, ttype val, uint32_t n);

  void write_message_begin(std::string_view name, message_type t,
                           int32_t seq_id);

private:
  /// Short form when the id is 1..15 above the previous one, else the type
  /// byte and the id as a zigzag varint.
  void write_field_header(compact_type c, int16_t id);

  void write_varint(uint64_t x) {
    auto* p = room(10);
    while (x >= 0x80) {
      *p++ = static_cast<uint8_t>(x | 0x80);
      x >>= 7;
    }
    *p++ = static_cast<uint8_t>(x);
    cur_ = p;
  }

  int16_t last_id_ = 0;
  bool bool_pending_ = false;
  int16_t pending_id_ = 0;
  detail::field_id_stack ids_;
};

} // namespace kitex::remote::thrift
