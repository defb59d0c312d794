#pragma once

// Private: the walk over nested values that skip() does the same way for
// every protocol reader. `check` validates an element type read from a
// container header (Binary checks it here; Compact's header readers already
// reject unknown ids).

#include <cstdint>

#include "kitex/remote/codec/thrift/binary_protocol.hpp"

namespace kitex::remote::thrift::detail {

/// Runs `f` one nesting level deeper. leave() runs even when enter() fails
/// because enter() has already counted the level.
template<class Reader, class F>
bool nested(Reader& r, F f) {
  bool ok = r.enter() && f();
  r.leave();
  return ok;
}

template<class Reader>
bool skip_elements(Reader& r, ttype t, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i)
    if (!r.skip(t))
      return false;
  return true;
}

template<class Reader, class Check>
bool skip_list(Reader& r, Check check) {
  return nested(r, [&r, &check] {
    ttype elem;
    uint32_t n;
    return r.read_list_begin(elem, n) && check(r, elem)
           && skip_elements(r, elem, n);
  });
}

template<class Reader, class Check>
bool skip_map(Reader& r, Check check) {
  return nested(r, [&r, &check] {
    ttype key;
    ttype val;
    uint32_t n;
    if (!r.read_map_begin(key, val, n) || !check(r, key) || !check(r, val))
      return false;
    for (uint32_t i = 0; i < n; ++i)
      if (!r.skip(key) || !r.skip(val))
        return false;
    return true;
  });
}

/// Skips a string, struct, list, set or map; false for any other type.
template<class Reader, class Check>
bool skip_composite(Reader& r, ttype t, Check check) {
  switch (t) {
    case ttype::string: {
      std::string_view ignored;
      return r.read_string_view(ignored);
    }
    case ttype::struct_:
      return nested(r, [&r] { return r.skip_struct_body(); });
    case ttype::list:
    case ttype::set:
      return skip_list(r, check);
    case ttype::map:
      return skip_map(r, check);
    default:
      return r.fail(protocol_error::invalid_data);
  }
}

/// Skips the fields of a struct up to and including its stop byte.
template<class Reader>
bool skip_fields(Reader& r) {
  for (;;) {
    ttype t;
    int16_t id;
    if (!r.read_field_begin(t, id))
      return false;
    if (t == ttype::stop)
      return true;
    if (!r.skip(t))
      return false;
  }
}

} // namespace kitex::remote::thrift::detail
