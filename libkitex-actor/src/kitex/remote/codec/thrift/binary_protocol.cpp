#include "kitex/remote/codec/thrift/binary_protocol.hpp"

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

/// Runs `f` one nesting level deeper. leave() runs even when enter() fails
/// because enter() has already counted the level.
template<class F>
bool nested(binary_reader& r, F f) {
  bool ok = r.enter() && f();
  r.leave();
  return ok;
}

/// Rejects element types up front, so an empty container of garbage type is
/// an error too (it would be one as soon as it had an element).
bool check_element_type(binary_reader& r, ttype t) {
  return is_value_type(t) || r.fail(protocol_error::invalid_data);
}

bool skip_elements(binary_reader& r, ttype t, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i)
    if (!r.skip(t))
      return false;
  return true;
}

bool skip_list(binary_reader& r) {
  return nested(r, [&r] {
    ttype elem;
    uint32_t n;
    return r.read_list_begin(elem, n) && check_element_type(r, elem)
           && skip_elements(r, elem, n);
  });
}

bool skip_map(binary_reader& r) {
  return nested(r, [&r] {
    ttype key;
    ttype val;
    uint32_t n;
    if (!r.read_map_begin(key, val, n) || !check_element_type(r, key)
        || !check_element_type(r, val))
      return false;
    for (uint32_t i = 0; i < n; ++i)
      if (!r.skip(key) || !r.skip(val))
        return false;
    return true;
  });
}

} // namespace

bool binary_reader::skip(ttype t) {
  if (is_fixed_size(t)) {
    if (!need(min_size(t)))
      return false;
    pos_ += min_size(t);
    return true;
  }
  switch (t) {
    case ttype::string: {
      std::string_view ignored;
      return read_string_view(ignored);
    }
    case ttype::struct_:
      return nested(*this, [this] { return skip_struct_body(); });
    case ttype::list:
    case ttype::set:
      return skip_list(*this);
    case ttype::map:
      return skip_map(*this);
    default:
      return fail(protocol_error::invalid_data);
  }
}

bool binary_reader::skip_struct_body() {
  for (;;) {
    ttype t;
    int16_t id;
    if (!read_field_begin(t, id))
      return false;
    if (t == ttype::stop)
      return true;
    if (!skip(t))
      return false;
  }
}

} // namespace kitex::remote::thrift
