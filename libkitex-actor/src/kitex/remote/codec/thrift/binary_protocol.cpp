#include "kitex/remote/codec/thrift/binary_protocol.hpp"

#include "skip.hpp"

namespace kitex::remote::thrift {

namespace {

/// Types whose encoding has one size, skipped without looking inside.
constexpr bool is_fixed_size(ttype t) {
  switch (t) {
    case ttype::bool_:
    case ttype::byte:
    case ttype::i16:
    case ttype::i32:
    case ttype::i64:
    case ttype::double_:
    case ttype::uuid:
      return true;
    default:
      return false;
  }
}

/// Types a field or container element may have (stop and void may not).
constexpr bool is_value_type(ttype t) {
  return min_size(t) != 0;
}

/// Rejects element types up front, so an empty container of garbage type is
/// an error too (it would be one as soon as it had an element).
bool check_element_type(binary_reader& r, ttype t) {
  return is_value_type(t) || r.fail(protocol_error::invalid_data);
}

} // namespace

bool binary_reader::skip(ttype t) {
  if (is_fixed_size(t)) {
    if (!need(min_size(t)))
      return false;
    pos_ += min_size(t);
    return true;
  }
  return detail::skip_composite(*this, t, check_element_type);
}

bool binary_reader::skip_struct_body() {
  return detail::skip_fields(*this);
}

} // namespace kitex::remote::thrift
