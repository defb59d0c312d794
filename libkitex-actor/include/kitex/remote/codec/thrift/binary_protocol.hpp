#pragma once

// Thrift Binary protocol (strict) as Kitex writes it: a reader over a span of
// bytes and a writer appending to a byte_buffer. No virtual calls; generated
// codecs call these per field. The reader never allocates more than the bytes
// present: every declared size is checked in 64 bits against the remaining
// bytes and the limits before a string or container is sized.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "kitex/remote/byte_buffer.hpp"
#include "kitex/remote/codec/protocol_error.hpp"
#include "kitex/remote/codec/thrift/reader_base.hpp"
#include "kitex/remote/codec/thrift/writer_base.hpp"
#include "kitex/remote/limits.hpp"

namespace kitex::remote::thrift {

enum class ttype : uint8_t {
  stop = 0,
  void_ = 1,
  bool_ = 2,
  byte = 3,
  double_ = 4,
  i16 = 6,
  i32 = 8,
  i64 = 10,
  string = 11,
  struct_ = 12,
  map = 13,
  set = 14,
  list = 15,
  uuid = 16,
};

enum class message_type : uint8_t {
  invalid = 0,
  call = 1,
  reply = 2,
  exception = 3,
  oneway = 4,
};

constexpr uint32_t strict_version_1 = 0x80010000;
constexpr uint32_t version_mask = 0xffff0000;

struct message_header {
  std::string_view name;
  message_type type = message_type::invalid;
  int32_t seq_id = 0;
};

/// Smallest encoding of one element of type `t`, used to bound container
/// counts by the remaining bytes (0 for unknown types).
constexpr uint32_t min_size(ttype t) {
  switch (t) {
    case ttype::bool_:
    case ttype::byte:
    case ttype::struct_: // at least a stop byte
      return 1;
    case ttype::i16:
      return 2;
    case ttype::i32:
    case ttype::string:
    case ttype::list:
    case ttype::set:
      return 4;
    case ttype::map:
      return 6;
    case ttype::double_:
    case ttype::i64:
      return 8;
    case ttype::uuid:
      return 16;
    default:
      return 0;
  }
}

class binary_reader : public reader_base<binary_reader> {
public:
  binary_reader(byte_span in, const limits& lim)
    : reader_base<binary_reader>(in, lim) {}

  [[nodiscard]] bool read_bool(bool& x) {
    int8_t b;
    if (!read_byte(b))
      return false;
    x = b != 0;
    return true;
  }

  [[nodiscard]] bool read_byte(int8_t& x) {
    if (!need(1))
      return false;
    x = static_cast<int8_t>(*pos_++);
    return true;
  }

  [[nodiscard]] bool read_i16(int16_t& x) {
    if (!need(2))
      return false;
    x = static_cast<int16_t>(get_u16(pos_));
    pos_ += 2;
    return true;
  }

  [[nodiscard]] bool read_i32(int32_t& x) {
    if (!need(4))
      return false;
    x = static_cast<int32_t>(get_u32(pos_));
    pos_ += 4;
    return true;
  }

  [[nodiscard]] bool read_i64(int64_t& x) {
    if (!need(8))
      return false;
    uint64_t hi = get_u32(pos_);
    uint64_t lo = get_u32(pos_ + 4);
    x = static_cast<int64_t>((hi << 32) | lo);
    pos_ += 8;
    return true;
  }

  [[nodiscard]] bool read_double(double& x) {
    int64_t bits;
    if (!read_i64(bits))
      return false;
    std::memcpy(&x, &bits, sizeof(x));
    return true;
  }

  /// Reads a string or binary as a view into the input (no copy).
  [[nodiscard]] bool read_string_view(std::string_view& x) {
    int32_t len;
    if (!read_i32(len))
      return false;
    if (len < 0)
      return fail(protocol_error::negative_size);
    if (static_cast<uint32_t>(len) > limits_->max_string_size)
      return fail(protocol_error::size_limit);
    if (!need(static_cast<size_t>(len)))
      return false;
    x = std::string_view{reinterpret_cast<const char*>(pos_),
                         static_cast<size_t>(len)};
    pos_ += len;
    return true;
  }

  /// Reads a field header; `t == ttype::stop` ends the struct (id is 0).
  [[nodiscard]] bool read_field_begin(ttype& t, int16_t& id) {
    int8_t b;
    if (!read_byte(b))
      return false;
    t = static_cast<ttype>(static_cast<uint8_t>(b));
    if (t == ttype::stop) {
      id = 0;
      return true;
    }
    return read_i16(id);
  }

  [[nodiscard]] bool read_list_begin(ttype& elem, uint32_t& n) {
    int8_t b;
    if (!read_byte(b))
      return false;
    elem = static_cast<ttype>(static_cast<uint8_t>(b));
    return read_count(n, min_size(elem));
  }

  [[nodiscard]] bool read_set_begin(ttype& elem, uint32_t& n) {
    return read_list_begin(elem, n);
  }

  [[nodiscard]] bool read_map_begin(ttype& key, ttype& val, uint32_t& n) {
    int8_t k, v;
    if (!read_byte(k) || !read_byte(v))
      return false;
    key = static_cast<ttype>(static_cast<uint8_t>(k));
    val = static_cast<ttype>(static_cast<uint8_t>(v));
    return read_count(n, min_size(key) + min_size(val));
  }

  /// Reads a strict message header; rejects the non-strict form.
  [[nodiscard]] bool read_message_begin(message_header& h) {
    int32_t v;
    if (!read_i32(v))
      return false;
    auto u = static_cast<uint32_t>(v);
    if ((u & version_mask) != strict_version_1)
      return fail(protocol_error::bad_version);
    h.type = static_cast<message_type>(u & 0xff);
    if (!read_string_view(h.name))
      return false;
    return read_i32(h.seq_id);
  }

  /// Enters a nested struct or container; fails past the depth limit.
  [[nodiscard]] bool enter() {
    return enter_level();
  }

  void leave() noexcept {
    --depth_;
  }

  /// Skips one value of type `t`.
  [[nodiscard]] bool skip(ttype t);

  /// Skips the fields of a struct up to and including its stop byte.
  [[nodiscard]] bool skip_struct_body();

private:
  bool read_count(uint32_t& n, uint32_t elem_min) {
    int32_t c;
    if (!read_i32(c))
      return false;
    if (c < 0)
      return fail(protocol_error::negative_size);
    if (static_cast<uint32_t>(c) > limits_->max_container_size)
      return fail(protocol_error::size_limit);
    // 64-bit: count * element size must fit in what is left.
    if (uint64_t{static_cast<uint32_t>(c)} * elem_min > remaining())
      return fail(protocol_error::truncated);
    n = static_cast<uint32_t>(c);
    return true;
  }
};

class binary_writer : public writer_base {
public:
  explicit binary_writer(byte_buffer& out) noexcept : writer_base(out) {}

  void write_bool(bool x) {
    put_byte(x ? 1 : 0);
  }

  void write_byte(int8_t x) {
    put_byte(static_cast<uint8_t>(x));
  }

  void write_i16(int16_t x) {
    put_be16(static_cast<uint16_t>(x));
  }

  void write_i32(int32_t x) {
    put_be32(static_cast<uint32_t>(x));
  }

  void write_i64(int64_t x) {
    put_be64(static_cast<uint64_t>(x));
  }

  void write_double(double x) {
    uint64_t bits;
    std::memcpy(&bits, &x, sizeof(bits));
    put_be64(bits);
  }

  void write_string(std::string_view x) {
    put_be32(static_cast<uint32_t>(x.size()));
    put_bytes(x.data(), x.size());
  }

  void write_binary(std::string_view x) {
    write_string(x);
  }

  void write_uuid(const uint8_t (&x)[16]) {
    put_bytes(x, 16);
  }

  /// Does nothing: Binary field ids are absolute. Generated code calls it
  /// (and write_struct_end) for every protocol because Compact needs them.
  void write_struct_begin() noexcept {}

  /// Does nothing; see write_struct_begin().
  void write_struct_end() noexcept {}

  void write_field_begin(ttype t, int16_t id) {
    auto u = static_cast<uint16_t>(id);
    auto* p = room(3);
    p[0] = static_cast<uint8_t>(t);
    p[1] = static_cast<uint8_t>(u >> 8);
    p[2] = static_cast<uint8_t>(u);
    cur_ = p + 3;
  }

  void write_field_stop() {
    put_byte(0);
  }

  void write_list_begin(ttype elem, uint32_t n) {
    put_byte(static_cast<uint8_t>(elem));
    put_be32(n);
  }

  void write_set_begin(ttype elem, uint32_t n) {
    write_list_begin(elem, n);
  }

  void write_map_begin(ttype key, ttype val, uint32_t n) {
    put_byte(static_cast<uint8_t>(key));
    put_byte(static_cast<uint8_t>(val));
    put_be32(n);
  }

  void write_message_begin(std::string_view name, message_type t,
                           int32_t seq_id) {
    put_be32(strict_version_1 | static_cast<uint8_t>(t));
    write_string(name);
    write_i32(seq_id);
  }
};

} // namespace kitex::remote::thrift
