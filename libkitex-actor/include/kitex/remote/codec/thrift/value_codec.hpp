#pragma once

// Values of generated types on the wire: read_value() and write_value() for
// every C++ type the code generator maps IDL types to (base types, enums,
// std::vector / std::set / std::map, uuids and generated structs), templated
// over the protocol (binary_reader / binary_writer or their Compact twins),
// so a generated codec is direct calls with no virtual dispatch per field.
//
// A generated struct `S` provides, found by ADL:
//   template <class Reader> bool read(Reader&, S&);
//   template <class Writer> void write(Writer&, const S&);
//
// Containers count as one nesting level (reader enter()/leave()), as skip()
// counts them, and their element types must match the IDL: a non-empty
// list<i32> that says it holds strings is invalid_data.

#include <array>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "kitex/remote/codec/protocol_error.hpp"
#include "kitex/remote/codec/thrift/binary_protocol.hpp"

namespace kitex::remote::thrift {

/// The C++ type of the Thrift `uuid` base type.
using uuid_bytes = std::array<uint8_t, 16>;

// -- wire type of a C++ type ------------------------------------------------

/// The Thrift type a C++ value is written as; generated structs (and anything
/// not listed below) are structs.
template<class T>
struct type_of {
  static constexpr ttype value = ttype::struct_;
};

template<class T>
requires std::is_enum_v<T>
struct type_of<T> {
  static constexpr ttype value = ttype::i32;
};

#define KITEX_THRIFT_TYPE_OF(cpp, wire)                                        \
  template<>                                                                   \
  struct type_of<cpp> {                                                        \
    static constexpr ttype value = ttype::wire;                                \
  };

KITEX_THRIFT_TYPE_OF(bool, bool_)
KITEX_THRIFT_TYPE_OF(int8_t, byte)
KITEX_THRIFT_TYPE_OF(int16_t, i16)
KITEX_THRIFT_TYPE_OF(int32_t, i32)
KITEX_THRIFT_TYPE_OF(int64_t, i64)
KITEX_THRIFT_TYPE_OF(double, double_)
KITEX_THRIFT_TYPE_OF(std::string, string)
KITEX_THRIFT_TYPE_OF(uuid_bytes, uuid)

#undef KITEX_THRIFT_TYPE_OF

template<class T>
struct type_of<std::vector<T>> {
  static constexpr ttype value = ttype::list;
};

template<class T>
struct type_of<std::set<T>> {
  static constexpr ttype value = ttype::set;
};

template<class K, class V>
struct type_of<std::map<K, V>> {
  static constexpr ttype value = ttype::map;
};

template<class T>
inline constexpr ttype type_of_v = type_of<T>::value;

// -- reading ----------------------------------------------------------------

template<class Reader>
[[nodiscard]] bool read_value(Reader& r, bool& x) {
  return r.read_bool(x);
}

template<class Reader>
[[nodiscard]] bool read_value(Reader& r, int8_t& x) {
  return r.read_byte(x);
}

template<class Reader>
[[nodiscard]] bool read_value(Reader& r, int16_t& x) {
  return r.read_i16(x);
}

template<class Reader>
[[nodiscard]] bool read_value(Reader& r, int32_t& x) {
  return r.read_i32(x);
}

template<class Reader>
[[nodiscard]] bool read_value(Reader& r, int64_t& x) {
  return r.read_i64(x);
}

template<class Reader>
[[nodiscard]] bool read_value(Reader& r, double& x) {
  return r.read_double(x);
}

/// Strings and binaries (one wire type in every Thrift protocol).
template<class Reader>
[[nodiscard]] bool read_value(Reader& r, std::string& x) {
  return r.read_string(x);
}

template<class Reader>
[[nodiscard]] bool read_value(Reader& r, uuid_bytes& x) {
  uint8_t raw[16];
  if (!r.read_uuid(raw))
    return false;
  std::memcpy(x.data(), raw, 16);
  return true;
}

/// Enums travel as i32; values the IDL does not list are kept as they are.
template<class Reader, class T>
requires std::is_enum_v<T>
[[nodiscard]] bool read_value(Reader& r, T& x) {
  int32_t v;
  if (!r.read_i32(v))
    return false;
  x = static_cast<T>(v);
  return true;
}

/// Generated structs.
template<class Reader, class T>
requires std::is_class_v<T>
[[nodiscard]] bool read_value(Reader& r, T& x) {
  return read(r, x);
}

template<class Reader, class T>
[[nodiscard]] bool read_value(Reader& r, std::vector<T>& x);
template<class Reader, class T>
[[nodiscard]] bool read_value(Reader& r, std::set<T>& x);
template<class Reader, class K, class V>
[[nodiscard]] bool read_value(Reader& r, std::map<K, V>& x);

namespace detail {

/// True if `got` may hold `count` elements of `want` (an empty container may
/// carry any element type).
template<class Reader>
bool element_type_ok(Reader& r, ttype got, ttype want, uint32_t count) {
  return count == 0 || got == want || r.fail(protocol_error::invalid_data);
}

/// Reads `n` elements, handing each to `add`.
template<class T, class Reader, class Add>
bool read_elements(Reader& r, uint32_t n, Add add) {
  for (uint32_t i = 0; i < n; ++i) {
    T v{};
    if (!read_value(r, v))
      return false;
    add(std::move(v));
  }
  return true;
}

/// Runs `f` one nesting level deeper; leave() runs even when enter() fails
/// because enter() has counted the level already.
template<class Reader, class F>
bool nested(Reader& r, F f) {
  bool ok = r.enter() && f();
  r.leave();
  return ok;
}

} // namespace detail

template<class Reader, class T>
bool read_value(Reader& r, std::vector<T>& x) {
  return detail::nested(r, [&] {
    ttype et;
    uint32_t n;
    if (!r.read_list_begin(et, n)
        || !detail::element_type_ok(r, et, type_of_v<T>, n))
      return false;
    x.clear();
    // Only where an element is no larger in memory than on the wire, so the
    // reservation stays bounded by the bytes present.
    if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>)
      x.reserve(n);
    return detail::read_elements<T>(r, n,
                                    [&x](T&& v) { x.push_back(std::move(v)); });
  });
}

template<class Reader, class T>
bool read_value(Reader& r, std::set<T>& x) {
  return detail::nested(r, [&] {
    ttype et;
    uint32_t n;
    if (!r.read_set_begin(et, n)
        || !detail::element_type_ok(r, et, type_of_v<T>, n))
      return false;
    x.clear();
    return detail::read_elements<T>(r, n,
                                    [&x](T&& v) { x.insert(std::move(v)); });
  });
}

template<class Reader, class K, class V>
bool read_value(Reader& r, std::map<K, V>& x) {
  return detail::nested(r, [&] {
    ttype kt;
    ttype vt;
    uint32_t n;
    if (!r.read_map_begin(kt, vt, n)
        || !detail::element_type_ok(r, kt, type_of_v<K>, n)
        || !detail::element_type_ok(r, vt, type_of_v<V>, n))
      return false;
    x.clear();
    for (uint32_t i = 0; i < n; ++i) {
      K k{};
      V v{};
      if (!read_value(r, k) || !read_value(r, v))
        return false;
      x.insert_or_assign(std::move(k), std::move(v)); // last one wins
    }
    return true;
  });
}

// -- writing ----------------------------------------------------------------

template<class Writer>
void write_value(Writer& w, bool x) {
  w.write_bool(x);
}

template<class Writer>
void write_value(Writer& w, int8_t x) {
  w.write_byte(x);
}

template<class Writer>
void write_value(Writer& w, int16_t x) {
  w.write_i16(x);
}

template<class Writer>
void write_value(Writer& w, int32_t x) {
  w.write_i32(x);
}

template<class Writer>
void write_value(Writer& w, int64_t x) {
  w.write_i64(x);
}

template<class Writer>
void write_value(Writer& w, double x) {
  w.write_double(x);
}

template<class Writer>
void write_value(Writer& w, const std::string& x) {
  w.write_string(x);
}

template<class Writer>
void write_value(Writer& w, const uuid_bytes& x) {
  uint8_t raw[16];
  std::memcpy(raw, x.data(), 16);
  w.write_uuid(raw);
}

template<class Writer, class T>
requires std::is_enum_v<T>
void write_value(Writer& w, T x) {
  w.write_i32(static_cast<int32_t>(x));
}

template<class Writer, class T>
requires std::is_class_v<T>
void write_value(Writer& w, const T& x) {
  write(w, x);
}

template<class Writer, class T>
void write_value(Writer& w, const std::vector<T>& x);
template<class Writer, class T>
void write_value(Writer& w, const std::set<T>& x);
template<class Writer, class K, class V>
void write_value(Writer& w, const std::map<K, V>& x);

template<class Writer, class T>
void write_value(Writer& w, const std::vector<T>& x) {
  w.write_list_begin(type_of_v<T>, static_cast<uint32_t>(x.size()));
  if constexpr (std::is_same_v<T, bool>) {
    for (bool b : x) // std::vector<bool> hands out proxies
      write_value(w, b);
  } else {
    for (auto& e : x)
      write_value(w, e);
  }
}

template<class Writer, class T>
void write_value(Writer& w, const std::set<T>& x) {
  w.write_set_begin(type_of_v<T>, static_cast<uint32_t>(x.size()));
  for (auto& e : x)
    write_value(w, e);
}

template<class Writer, class K, class V>
void write_value(Writer& w, const std::map<K, V>& x) {
  w.write_map_begin(type_of_v<K>, type_of_v<V>,
                    static_cast<uint32_t>(x.size()));
  for (auto& [k, v] : x) {
    write_value(w, k);
    write_value(w, v);
  }
}

} // namespace kitex::remote::thrift
