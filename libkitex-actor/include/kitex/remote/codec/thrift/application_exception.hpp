#pragma once

// TApplicationException as Kitex and Apache Thrift put it on the wire:
// struct { 1: string message, 2: i32 type }, with Kitex's type ids.

#include <cstdint>
#include <string>

#include "kitex/remote/codec/thrift/binary_protocol.hpp"

namespace kitex::remote::thrift {

enum class exception_type : int32_t {
  unknown = 0,
  unknown_method = 1,
  invalid_message_type = 2,
  wrong_method_name = 3,
  bad_sequence_id = 4,
  missing_result = 5,
  internal_error = 6,
  protocol_error = 7,
  invalid_transform = 8,
  invalid_protocol = 9,
  unsupported_client_type = 10,
  // Kitex-specific.
  unknown_service = 20,
  no_service_name = 21,
};

struct application_exception {
  std::string message;
  exception_type type = exception_type::unknown;
};

namespace detail {

constexpr int16_t exception_message_field = 1;
constexpr int16_t exception_type_field = 2;

/// Reads one field; a known id with an unexpected type is skipped like an
/// unknown field, as Apache Thrift's generated readers do.
template<class Reader>
bool read_exception_field(Reader& r, ttype t, int16_t id,
                          application_exception& x) {
  if (id == exception_message_field && t == ttype::string)
    return r.read_string(x.message);
  if (id == exception_type_field && t == ttype::i32) {
    int32_t v;
    if (!r.read_i32(v))
      return false;
    // Unknown ids are kept as they are: the caller reports the number.
    x.type = static_cast<exception_type>(v);
    return true;
  }
  return r.skip(t);
}

template<class Reader>
bool read_exception_fields(Reader& r, application_exception& x) {
  for (;;) {
    ttype t;
    int16_t id;
    if (!r.read_field_begin(t, id))
      return false;
    if (t == ttype::stop)
      return true;
    if (!read_exception_field(r, t, id, x))
      return false;
  }
}

} // namespace detail

/// Writes the exception struct (fields and stop, no message header) with
/// binary_writer or compact_writer.
template<class Writer>
void write_application_exception(Writer& w, const application_exception& x) {
  w.write_struct_begin();
  w.write_field_begin(ttype::string, detail::exception_message_field);
  w.write_string(x.message);
  w.write_field_begin(ttype::i32, detail::exception_type_field);
  w.write_i32(static_cast<int32_t>(x.type));
  w.write_field_stop();
  w.write_struct_end();
}

/// Reads the exception struct; unknown fields are skipped.
template<class Reader>
[[nodiscard]] bool read_application_exception(Reader& r,
                                              application_exception& x) {
  // The struct counts as one nesting level, like any struct being skipped.
  bool ok = r.enter() && detail::read_exception_fields(r, x);
  r.leave();
  return ok;
}

} // namespace kitex::remote::thrift
