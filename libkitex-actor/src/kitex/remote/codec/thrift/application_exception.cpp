#include "kitex/remote/codec/thrift/application_exception.hpp"

namespace kitex::remote::thrift {

namespace {

constexpr int16_t message_field = 1;
constexpr int16_t type_field = 2;

/// Reads one field; a known id with an unexpected type is skipped like an
/// unknown field, as Apache Thrift's generated readers do.
bool read_field(binary_reader& r, ttype t, int16_t id,
                application_exception& x) {
  if (id == message_field && t == ttype::string)
    return r.read_string(x.message);
  if (id == type_field && t == ttype::i32) {
    int32_t v;
    if (!r.read_i32(v))
      return false;
    // Unknown ids are kept as they are: the caller reports the number.
    x.type = static_cast<exception_type>(v);
    return true;
  }
  return r.skip(t);
}

bool read_fields(binary_reader& r, application_exception& x) {
  for (;;) {
    ttype t;
    int16_t id;
    if (!r.read_field_begin(t, id))
      return false;
    if (t == ttype::stop)
      return true;
    if (!read_field(r, t, id, x))
      return false;
  }
}

} // namespace

void write_application_exception(binary_writer& w,
                                 const application_exception& x) {
  w.write_field_begin(ttype::string, message_field);
  w.write_string(x.message);
  w.write_field_begin(ttype::i32, type_field);
  w.write_i32(static_cast<int32_t>(x.type));
  w.write_field_stop();
}

bool read_application_exception(binary_reader& r, application_exception& x) {
  // The struct counts as one nesting level, like any struct being skipped.
  bool ok = r.enter() && read_fields(r, x);
  r.leave();
  return ok;
}

} // namespace kitex::remote::thrift
