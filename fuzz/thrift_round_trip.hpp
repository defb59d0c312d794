#pragma once

// The Thrift reader fuzz check, one template for Binary and Compact.
//
// A schema-less value tree is read through the reader's typed calls (the
// ones generated code makes), written back with the protocol's writer and
// read again. Checked, under small limits and under the defaults with deeper
// nesting allowed:
// - skip() and the typed reads agree: both succeed at the same position or
//   both fail with the same error (a buffered frame is split with skip(), the
//   handler's args are read with the typed calls);
// - a failed read records an error and a successful one none;
// - decode -> encode -> decode gives the same value, and encoding it again
//   gives the same bytes;
// - a message header read back from its re-encoding is the same.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "fuzz_common.hpp"
#include "kitex/remote/byte_buffer.hpp"
#include "kitex/remote/codec/protocol_error.hpp"
#include "kitex/remote/codec/thrift/binary_protocol.hpp"
#include "kitex/remote/codec/thrift/compact_protocol.hpp"
#include "kitex/remote/limits.hpp"

namespace kitex::fuzz {

using remote::byte_buffer;
using remote::byte_span;
using remote::limits;
using remote::protocol_error;
using remote::thrift::message_header;
using remote::thrift::ttype;

/// Any Thrift value. Scalars (doubles as their bits, so NaN compares equal
/// to itself) in `scalar`, strings and uuids in `bytes`, struct fields as
/// (id, value) in `fields`, container elements in `elems` (a map's keys and
/// values alternate).
struct value {
  ttype type = ttype::stop;
  uint64_t scalar = 0;
  std::string bytes;
  std::vector<std::pair<int16_t, value>> fields;
  ttype key_type = ttype::stop;
  ttype elem_type = ttype::stop;
  std::vector<value> elems;

  friend bool operator==(const value&, const value&) = default;
};

/// True for the types a field or container element may have.
constexpr bool is_value_type(ttype t) {
  return remote::thrift::min_size(t) != 0;
}

// -- reading
// --------------------------------------------------------------------

template<class Reader>
bool read_any(Reader& r, ttype t, value& v);

/// Runs `f` one nesting level deeper, as skip() and generated code count
/// levels; leave() runs even when enter() fails.
template<class Reader, class F>
bool nested(Reader& r, F f) {
  bool ok = r.enter() && f();
  r.leave();
  return ok;
}

/// An element type the Binary header readers pass through unchecked must be
/// a value type (skip() rejects others even for an empty container).
template<class Reader>
bool check_elem(Reader& r, ttype t) {
  return is_value_type(t) || r.fail(protocol_error::invalid_data);
}

template<class Reader>
bool read_struct(Reader& r, value& v) {
  return nested(r, [&] {
    for (;;) {
      ttype t;
      int16_t id;
      if (!r.read_field_begin(t, id))
        return false;
      if (t == ttype::stop)
        return true;
      v.fields.emplace_back(id, value{});
      if (!read_any(r, t, v.fields.back().second))
        return false;
    }
  });
}

template<class Reader>
bool read_elements(Reader& r, ttype t, uint32_t n, value& v) {
  for (uint32_t i = 0; i < n; ++i) {
    v.elems.emplace_back();
    if (!read_any(r, t, v.elems.back()))
      return false;
  }
  return true;
}

template<class Reader>
bool read_list(Reader& r, value& v) {
  return nested(r, [&] {
    uint32_t n;
    bool ok = v.type == ttype::set ? r.read_set_begin(v.elem_type, n)
                                   : r.read_list_begin(v.elem_type, n);
    return ok && check_elem(r, v.elem_type)
           && read_elements(r, v.elem_type, n, v);
  });
}

template<class Reader>
bool read_map(Reader& r, value& v) {
  return nested(r, [&] {
    uint32_t n;
    if (!r.read_map_begin(v.key_type, v.elem_type, n))
      return false;
    // An empty Compact map carries no types (both stop); Binary always
    // carries them, and skip() checks them.
    if constexpr (std::is_same_v<Reader, remote::thrift::compact_reader>)
      if (n == 0)
        return true;
    if (!check_elem(r, v.key_type) || !check_elem(r, v.elem_type))
      return false;
    for (uint32_t i = 0; i < n; ++i) {
      v.elems.emplace_back();
      if (!read_any(r, v.key_type, v.elems.back()))
        return false;
      v.elems.emplace_back();
      if (!read_any(r, v.elem_type, v.elems.back()))
        return false;
    }
    return true;
  });
}

template<class Reader, class T>
bool read_scalar(Reader& r, value& v, bool (Reader::*read)(T&)) {
  T x;
  if (!(r.*read)(x))
    return false;
  if constexpr (std::is_same_v<T, double>)
    v.scalar = std::bit_cast<uint64_t>(x);
  else if constexpr (std::is_same_v<T, bool>)
    v.scalar = x ? 1 : 0;
  else
    v.scalar = static_cast<uint64_t>(static_cast<int64_t>(x));
  return true;
}

template<class Reader>
bool read_any(Reader& r, ttype t, value& v) {
  v.type = t;
  switch (t) {
    case ttype::bool_:
      return read_scalar(r, v, &Reader::read_bool);
    case ttype::byte:
      return read_scalar(r, v, &Reader::read_byte);
    case ttype::i16:
      return read_scalar(r, v, &Reader::read_i16);
    case ttype::i32:
      return read_scalar(r, v, &Reader::read_i32);
    case ttype::i64:
      return read_scalar(r, v, &Reader::read_i64);
    case ttype::double_:
      return read_scalar(r, v, &Reader::read_double);
    case ttype::string:
      return r.read_string(v.bytes);
    case ttype::uuid: {
      uint8_t raw[16];
      if (!r.read_uuid(raw))
        return false;
      v.bytes.assign(reinterpret_cast<const char*>(raw), 16);
      return true;
    }
    case ttype::struct_:
      return read_struct(r, v);
    case ttype::list:
    case ttype::set:
      return read_list(r, v);
    case ttype::map:
      return read_map(r, v);
    default:
      return r.fail(protocol_error::invalid_data);
  }
}

// -- writing
// --------------------------------------------------------------------

template<class Writer>
void write_any(Writer& w, const value& v);

template<class Writer>
void write_struct(Writer& w, const value& v) {
  w.write_struct_begin();
  for (auto& [id, field] : v.fields) {
    w.write_field_begin(field.type, id);
    write_any(w, field);
  }
  w.write_field_stop();
  w.write_struct_end();
}

template<class Writer>
void write_any(Writer& w, const value& v) {
  auto n = static_cast<uint32_t>(v.elems.size());
  switch (v.type) {
    case ttype::bool_:
      return w.write_bool(v.scalar != 0);
    case ttype::byte:
      return w.write_byte(static_cast<int8_t>(v.scalar));
    case ttype::i16:
      return w.write_i16(static_cast<int16_t>(v.scalar));
    case ttype::i32:
      return w.write_i32(static_cast<int32_t>(v.scalar));
    case ttype::i64:
      return w.write_i64(static_cast<int64_t>(v.scalar));
    case ttype::double_:
      return w.write_double(std::bit_cast<double>(v.scalar));
    case ttype::string:
      return w.write_string(v.bytes);
    case ttype::uuid: {
      uint8_t raw[16];
      std::memcpy(raw, v.bytes.data(), 16);
      return w.write_uuid(raw);
    }
    case ttype::struct_:
      return write_struct(w, v);
    case ttype::list:
      w.write_list_begin(v.elem_type, n);
      break;
    case ttype::set:
      w.write_set_begin(v.elem_type, n);
      break;
    case ttype::map:
      w.write_map_begin(v.key_type, v.elem_type, n / 2);
      break;
    default:
      FUZZ_CHECK(!"write_any: a value of no Thrift type");
  }
  for (auto& e : v.elems)
    write_any(w, e);
}

template<class Writer>
byte_buffer encode(const value& v) {
  byte_buffer out;
  Writer w{out};
  write_any(w, v);
  w.flush();
  return out;
}

// -- checks
// ---------------------------------------------------------------------

/// A message header, then the struct after it, as split_buffered reads one.
template<class Reader, class Writer>
void check_message(byte_span in, const limits& lim) {
  Reader r{in, lim};
  message_header h;
  if (!r.read_message_begin(h)) {
    FUZZ_CHECK(r.error() != protocol_error::none);
    return;
  }
  byte_buffer out;
  {
    Writer w{out};
    w.write_message_begin(h.name, h.type, h.seq_id);
  }
  Reader again{as_span(out), lim};
  message_header h2;
  FUZZ_CHECK(again.read_message_begin(h2));
  FUZZ_CHECK(again.remaining() == 0);
  FUZZ_CHECK(h2.name == h.name && h2.type == h.type && h2.seq_id == h.seq_id);
  if (!r.skip(ttype::struct_))
    FUZZ_CHECK(r.error() != protocol_error::none);
}

/// The input as one bare struct: skip() against the typed reads, then the
/// round trip. `same_size`: the protocol has one encoding size per value
/// (Binary), so the re-encoding is as long as what was read.
template<class Reader, class Writer>
void check_struct(byte_span in, const limits& lim, bool same_size) {
  Reader skipper{in, lim};
  bool skipped = skipper.skip(ttype::struct_);
  Reader reader{in, lim};
  value v;
  bool read = read_any(reader, ttype::struct_, v);
  FUZZ_CHECK(skipped == read);
  FUZZ_CHECK(skipper.error() == reader.error());
  FUZZ_CHECK(read == (reader.error() == protocol_error::none));
  if (!read)
    return;
  FUZZ_CHECK(skipper.position() == reader.position());
  auto once = encode<Writer>(v);
  if (same_size)
    FUZZ_CHECK(once.size() == reader.position());
  Reader again{as_span(once), lim};
  value v2;
  FUZZ_CHECK(read_any(again, ttype::struct_, v2));
  FUZZ_CHECK(again.remaining() == 0);
  FUZZ_CHECK(v2 == v);
  FUZZ_CHECK(encode<Writer>(v2) == once);
}

template<class Reader, class Writer>
void check_protocol(byte_span in, bool same_size) {
  for (auto lim : {small_limits(), deep_limits()}) {
    check_message<Reader, Writer>(in, lim);
    check_struct<Reader, Writer>(in, lim, same_size);
  }
}

} // namespace kitex::fuzz
