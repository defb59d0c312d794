#include "kitex/remote/codec/theader/theader.hpp"

#include <cassert>
#include <limits>

namespace kitex::remote::theader {

namespace {

constexpr size_t header_size_offset = 12;
/// LENGTH counts MAGIC, FLAGS, SEQ ID and HEADER SIZE before the header.
constexpr uint64_t min_length = fixed_size - 4;
/// libthrift writes lengths and counts as int32 varints.
constexpr size_t max_field = std::numeric_limits<int32_t>::max();

// -- encoding -----------------------------------------------------------------

void put_varint(byte_buffer& out, uint32_t x) {
  uint8_t b[max_varint_size];
  size_t n = 0;
  while (x >= 0x80) {
    b[n++] = static_cast<uint8_t>(x | 0x80);
    x >>= 7;
  }
  b[n++] = static_cast<uint8_t>(x);
  out.insert(out.end(), b, b + n);
}

void put_string(byte_buffer& out, std::string_view s) {
  assert(s.size() <= max_field);
  put_varint(out, static_cast<uint32_t>(s.size()));
  out.insert(out.end(), s.begin(), s.end());
}

void put_key_values(byte_buffer& out, const header& h) {
  // libthrift writes no KEYVALUE block at all when it has no headers.
  if (h.kv.empty())
    return;
  assert(h.kv.size() <= max_field);
  put_varint(out, info_key_value);
  put_varint(out, static_cast<uint32_t>(h.kv.size()));
  for (const auto& [key, value] : h.kv) {
    put_string(out, key);
    put_string(out, value);
  }
}

// -- decoding -----------------------------------------------------------------

/// A cursor over the header section that never reads past its end and
/// remembers why it stopped.
class header_cursor {
public:
  header_cursor(const uint8_t* pos, const uint8_t* end, const limits& lim)
    : pos_(pos), end_(end), lim_(&lim) {}

  protocol_error error() const noexcept {
    return error_;
  }

  bool at_end() const noexcept {
    return pos_ == end_;
  }

  size_t remaining() const noexcept {
    return static_cast<size_t>(end_ - pos_);
  }

  /// Reads an unsigned LEB128 varint of at most 5 bytes and 32 bits.
  bool varint(uint32_t& x) {
    uint32_t v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (at_end())
        return fail(protocol_error::invalid_data);
      uint8_t b = *pos_++;
      // The fifth byte holds bits 28..31: more is a sixth byte or overflow.
      if (shift == 28 && b > 0x0f)
        return fail(protocol_error::invalid_data);
      v |= uint32_t{b & 0x7fu} << shift;
      if ((b & 0x80) == 0) {
        x = v;
        return true;
      }
    }
    return fail(protocol_error::invalid_data); // unreachable
  }

  /// Reads a count of entries that take at least `entry_min` bytes each, so
  /// a count the header cannot hold fails before anything is reserved.
  bool count(uint32_t& n, size_t entry_min) {
    if (!varint(n))
      return false;
    if (n > lim_->max_container_size)
      return fail(protocol_error::size_limit);
    if (uint64_t{n} * entry_min > remaining())
      return fail(protocol_error::invalid_data);
    return true;
  }

  /// Reads a varint-length string.
  bool string(std::string& x) {
    uint32_t n;
    if (!varint(n))
      return false;
    if (n > lim_->max_string_size)
      return fail(protocol_error::size_limit);
    if (n > remaining())
      return fail(protocol_error::invalid_data);
    x.assign(reinterpret_cast<const char*>(pos_), n);
    pos_ += n;
    return true;
  }

  /// True if every byte left is zero.
  bool only_zeros() const noexcept {
    for (auto* p = pos_; p != end_; ++p)
      if (*p != 0)
        return false;
    return true;
  }

  bool fail(protocol_error e) noexcept {
    error_ = e;
    return false;
  }

private:
  const uint8_t* pos_;
  const uint8_t* end_;
  const limits* lim_;
  protocol_error error_ = protocol_error::none;
};

bool read_key_values(header_cursor& in, header& h) {
  uint32_t n;
  if (!in.count(n, 2)) // an empty key and value are one byte each
    return false;
  h.kv.reserve(h.kv.size() + n);
  for (uint32_t i = 0; i < n; ++i) {
    std::string key;
    std::string value;
    if (!in.string(key) || !in.string(value))
      return false;
    h.kv.emplace_back(std::move(key), std::move(value));
  }
  return true;
}

/// Reads the transform ids only to report them: none is implemented.
protocol_error read_transforms(header_cursor& in, header& h) {
  uint32_t n;
  if (!in.count(n, 1))
    return in.error();
  if (n == 0)
    return protocol_error::none;
  h.transforms.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t id;
    if (!in.varint(id))
      return in.error();
    if (id > 0xff)
      return protocol_error::invalid_data;
    h.transforms.push_back(static_cast<uint8_t>(id));
  }
  return protocol_error::not_implemented;
}

/// Walks the info headers. Id 0 is the padding, which must be zeros to the
/// header end; an unknown id ends the walk, since the spec orders infos
/// oldest first and lets a reader skip the rest to the payload.
protocol_error read_infos(header_cursor& in, header& h) {
  while (!in.at_end()) {
    uint32_t id;
    if (!in.varint(id))
      return in.error();
    if (id == info_padding)
      return in.only_zeros() ? protocol_error::none
                             : protocol_error::invalid_data;
    if (id != info_key_value)
      return protocol_error::none;
    if (!read_key_values(in, h))
      return in.error();
  }
  return protocol_error::none;
}

/// Binary and compact are what libthrift's THeaderProtocol speaks; JSON is a
/// Thrift protocol we do not; anything else is not a protocol at all.
protocol_error check_protocol_id(uint32_t id) {
  switch (id) {
    case protocol_binary:
    case protocol_compact:
      return protocol_error::none;
    case protocol_json:
      return protocol_error::not_implemented;
    default:
      return protocol_error::invalid_data;
  }
}

/// Checks LENGTH against the limits and the bytes given, then the magic.
protocol_error check_fixed_part(byte_span frame, const limits& lim) {
  if (frame.size() < 4)
    return protocol_error::truncated;
  uint64_t length = get_u32(frame.data());
  if (length > max_length || length > lim.max_frame_size)
    return protocol_error::size_limit;
  if (length + 4 > frame.size())
    return protocol_error::truncated;
  if (length + 4 < frame.size() || length < min_length)
    return protocol_error::invalid_data;
  if (get_u16(frame.data() + 4) != magic)
    return protocol_error::invalid_data;
  return protocol_error::none;
}

/// Checks 4 <= HS*4 <= min(limit, frame) and returns the header end. The
/// protocol id and transform count need 2 bytes, so HS = 0 is malformed.
protocol_error check_header_size(byte_span frame, const limits& lim,
                                 size_t& header_end) {
  uint64_t bytes = uint64_t{get_u16(frame.data() + header_size_offset)} * 4;
  if (bytes == 0)
    return protocol_error::invalid_data;
  if (bytes > lim.max_header_size)
    return protocol_error::size_limit;
  if (fixed_size + bytes > frame.size())
    return protocol_error::invalid_data;
  header_end = fixed_size + static_cast<size_t>(bytes);
  return protocol_error::none;
}

/// Reads the header section: protocol id, transforms, infos.
protocol_error read_section(header_cursor& in, header& h) {
  uint32_t protocol_id;
  if (!in.varint(protocol_id))
    return in.error();
  if (auto err = check_protocol_id(protocol_id); err != protocol_error::none)
    return err;
  h.protocol_id = static_cast<uint8_t>(protocol_id);
  if (auto err = read_transforms(in, h); err != protocol_error::none)
    return err;
  return read_infos(in, h);
}

} // namespace

const std::string* header::find(std::string_view key) const {
  for (auto i = kv.rbegin(); i != kv.rend(); ++i)
    if (i->first == key)
      return &i->second;
  return nullptr;
}

bool is_theader(byte_span first8) {
  return first8.size() >= 6 && get_u16(first8.data() + 4) == magic;
}

size_t begin_frame(byte_buffer& out, const header& h) {
  assert(h.transforms.empty());
  auto start = out.size();
  put_u32(out, 0); // LENGTH, patched by finish_frame()
  put_u16(out, magic);
  put_u16(out, h.flags);
  put_u32(out, static_cast<uint32_t>(h.seq_id));
  put_u16(out, 0); // HEADER SIZE, patched below
  put_varint(out, h.protocol_id);
  put_varint(out, 0); // no transforms
  put_key_values(out, h);
  // libthrift pads 4 - n % 4 bytes, so 4 when already aligned: the first
  // zero then always marks the end of the infos. (Go's pads 0 to 3 bytes.)
  auto section = out.size() - start - fixed_size;
  auto padded = section + (4 - section % 4);
  out.insert(out.end(), padded - section, uint8_t{0});
  auto words = padded / 4;
  assert(words <= 0xffff);
  out[start + header_size_offset] = static_cast<uint8_t>(words >> 8);
  out[start + header_size_offset + 1] = static_cast<uint8_t>(words);
  return start;
}

void finish_frame(byte_buffer& out, size_t start) {
  auto length = out.size() - start - 4;
  assert(length <= max_length);
  patch_u32(out, start, static_cast<uint32_t>(length));
}

decode_result decode(byte_span frame, const limits& lim, header& h) {
  h = header{};
  size_t header_end = 0;
  auto err = check_fixed_part(frame, lim);
  if (err == protocol_error::none)
    err = check_header_size(frame, lim, header_end);
  if (err != protocol_error::none)
    return {err, 0};
  h.flags = get_u16(frame.data() + 6);
  h.seq_id = static_cast<int32_t>(get_u32(frame.data() + 8));
  header_cursor in{frame.data() + fixed_size, frame.data() + header_end, lim};
  err = read_section(in, h);
  if (err != protocol_error::none)
    return {err, 0};
  return {protocol_error::none, header_end};
}

} // namespace kitex::remote::theader
