#include "kitex/remote/codec/thrift/compact_protocol.hpp"

#include "skip.hpp"

namespace kitex::remote::thrift {

namespace {

constexpr uint8_t long_list_size = 0x0f;

/// Maps a compact id of a value (1..13) to its ttype; false for stop and the
/// unassigned ids 14 and 15.
constexpr bool from_compact(uint8_t c, ttype& t) {
  constexpr ttype table[] = {
    ttype::stop, ttype::bool_, ttype::bool_,   ttype::byte,   ttype::i16,
    ttype::i32,  ttype::i64,   ttype::double_, ttype::string, ttype::list,
    ttype::set,  ttype::map,   ttype::struct_, ttype::uuid,
  };
  if (c == 0 || c >= std::size(table))
    return false;
  t = table[c];
  return true;
}

/// Reads an element type; unknown ids are invalid_data.
bool element_type(compact_reader& r, uint8_t c, ttype& t) {
  return from_compact(c, t) || r.fail(protocol_error::invalid_data);
}

// The header readers reject unknown element types, so the types reaching
// the skip walk are valid (or stop for an empty map, which has no elements).
constexpr auto any_element_type = [](compact_reader&, ttype) { return true; };

} // namespace

// -- compact_reader -----------------------------------------------------------

bool compact_reader::read_field_begin(ttype& t, int16_t& id) {
  // A bool field whose value nobody read must not leak into the next read.
  bool_pending_ = false;
  if (!need(1))
    return false;
  uint8_t b = *pos_++;
  if (b == 0) {
    t = ttype::stop;
    id = 0;
    return true;
  }
  uint8_t c = b & 0x0f;
  if (!from_compact(c, t))
    return fail(protocol_error::invalid_data);
  if (int delta = b >> 4; delta != 0) {
    int next = last_id_ + delta;
    if (next > INT16_MAX)
      return fail(protocol_error::invalid_data);
    id = static_cast<int16_t>(next);
  } else if (!read_i16(id)) {
    return false;
  }
  last_id_ = id;
  if (t == ttype::bool_) {
    bool_pending_ = true;
    bool_value_ = c == static_cast<uint8_t>(compact_type::bool_true);
  }
  return true;
}

bool compact_reader::read_count(uint32_t raw, uint32_t elem_min, uint32_t& n) {
  if (static_cast<int32_t>(raw) < 0)
    return fail(protocol_error::negative_size);
  if (raw > limits_->max_container_size)
    return fail(protocol_error::size_limit);
  // 64-bit: count * element size must fit in what is left.
  if (uint64_t{raw} * elem_min > remaining())
    return fail(protocol_error::truncated);
  n = raw;
  return true;
}

bool compact_reader::read_list_begin(ttype& elem, uint32_t& n) {
  if (!need(1))
    return false;
  uint8_t b = *pos_++;
  if (!element_type(*this, b & 0x0f, elem))
    return false;
  uint32_t size = b >> 4;
  if (size == long_list_size && !read_varint32(size))
    return false;
  return read_count(size, compact_min_size(elem), n);
}

bool compact_reader::read_map_begin(ttype& key, ttype& val, uint32_t& n) {
  uint32_t size;
  if (!read_varint32(size))
    return false;
  if (static_cast<int32_t>(size) < 0)
    return fail(protocol_error::negative_size);
  if (size == 0) {
    key = ttype::stop;
    val = ttype::stop;
    n = 0;
    return true;
  }
  if (!need(1))
    return false;
  uint8_t kv = *pos_++;
  if (!element_type(*this, kv >> 4, key)
      || !element_type(*this, kv & 0x0f, val))
    return false;
  return read_count(size, compact_min_size(key) + compact_min_size(val), n);
}

bool compact_reader::read_message_begin(message_header& h) {
  int8_t id;
  int8_t version_and_type;
  if (!read_byte(id))
    return false;
  if (static_cast<uint8_t>(id) != compact_protocol_id)
    return fail(protocol_error::bad_version);
  if (!read_byte(version_and_type))
    return false;
  auto vt = static_cast<uint8_t>(version_and_type);
  if ((vt & compact_version_mask) != compact_version)
    return fail(protocol_error::bad_version);
  h.type = static_cast<message_type>(vt >> compact_message_type_shift);
  // The sequence id is a plain varint, not zigzag.
  uint32_t seq;
  if (!read_varint32(seq))
    return false;
  h.seq_id = static_cast<int32_t>(seq);
  return read_string_view(h.name);
}

bool compact_reader::skip(ttype t) {
  switch (t) {
    case ttype::bool_: {
      bool ignored;
      return read_bool(ignored);
    }
    case ttype::byte: {
      int8_t ignored;
      return read_byte(ignored);
    }
    case ttype::i16: {
      int16_t ignored;
      return read_i16(ignored);
    }
    case ttype::i32: {
      int32_t ignored;
      return read_i32(ignored);
    }
    case ttype::i64: {
      int64_t ignored;
      return read_i64(ignored);
    }
    case ttype::double_:
    case ttype::uuid:
      if (!need(compact_min_size(t)))
        return false;
      pos_ += compact_min_size(t);
      return true;
    default:
      return detail::skip_composite(*this, t, any_element_type);
  }
}

bool compact_reader::skip_struct_body() {
  return detail::skip_fields(*this);
}

// -- compact_writer -----------------------------------------------------------

void compact_writer::write_field_header(compact_type c, int16_t id) {
  auto type = static_cast<uint8_t>(c);
  int delta = id - last_id_;
  if (delta > 0 && delta <= 15) {
    put_byte(static_cast<uint8_t>(delta << 4) | type);
  } else {
    put_byte(type);
    write_i16(id);
  }
  last_id_ = id;
}

void compact_writer::write_list_begin(ttype elem, uint32_t n) {
  auto type = static_cast<uint8_t>(to_compact(elem));
  if (n < long_list_size) {
    put_byte(static_cast<uint8_t>(n << 4) | type);
    return;
  }
  put_byte(static_cast<uint8_t>(long_list_size << 4) | type);
  write_varint(n);
}

void compact_writer::write_map_begin(ttype key, ttype val, uint32_t n) {
  write_varint(n);
  if (n == 0)
    return;
  auto k = static_cast<uint8_t>(to_compact(key));
  auto v = static_cast<uint8_t>(to_compact(val));
  put_byte(static_cast<uint8_t>(k << 4) | v);
}

void compact_writer::write_message_begin(std::string_view name, message_type t,
                                         int32_t seq_id) {
  put_byte(compact_protocol_id);
  put_byte(
    static_cast<uint8_t>(static_cast<uint8_t>(t) << compact_message_type_shift)
    | compact_version);
  write_varint(static_cast<uint32_t>(seq_id));
  write_string(name);
}

} // namespace kitex::remote::thrift
