#include "kitex/remote/codec/ttheader/ttheader.hpp"

#include <algorithm>
#include <cassert>

namespace kitex::remote::ttheader {

namespace {

constexpr size_t max_str2 = 0xffff;
constexpr size_t max_count = 0xffff;
constexpr size_t header_size_offset = 12;
/// LENGTH counts MAGIC, FLAGS, SEQ ID and HEADER SIZE before the header.
constexpr uint64_t min_length = fixed_size - 4;
constexpr uint32_t length_top_bit = 0x80000000;

// -- encoding -----------------------------------------------------------------

/// A str2 cannot say more than 64 KiB. A longer value is a caller bug (peers
/// refuse headers above 64 KiB anyway); it is cut rather than written with a
/// length that disagrees with its bytes, which would corrupt the stream.
void put_str2(byte_buffer& out, std::string_view s) {
  assert(s.size() <= max_str2);
  auto n = std::min(s.size(), max_str2);
  put_u16(out, static_cast<uint16_t>(n));
  out.insert(out.end(), s.begin(), s.begin() + static_cast<ptrdiff_t>(n));
}

size_t clamp_count(size_t n) {
  assert(n <= max_count);
  return std::min(n, max_count);
}

void put_str_kv(byte_buffer& out, const header& h) {
  if (h.str_kv.empty())
    return;
  auto n = clamp_count(h.str_kv.size());
  out.push_back(info_key_value);
  put_u16(out, static_cast<uint16_t>(n));
  for (size_t i = 0; i < n; ++i) {
    put_str2(out, h.str_kv[i].first);
    put_str2(out, h.str_kv[i].second);
  }
}

void put_int_kv(byte_buffer& out, const header& h) {
  if (h.int_kv.empty())
    return;
  auto n = clamp_count(h.int_kv.size());
  out.push_back(info_int_key_value);
  put_u16(out, static_cast<uint16_t>(n));
  for (size_t i = 0; i < n; ++i) {
    put_u16(out, h.int_kv[i].first);
    put_str2(out, h.int_kv[i].second);
  }
}

// -- decoding -----------------------------------------------------------------

/// A cursor over the info blocks that never reads past the header end.
class info_cursor {
public:
  info_cursor(const uint8_t* pos, const uint8_t* end) : pos_(pos), end_(end) {}

  bool at_end() const noexcept {
    return pos_ == end_;
  }

  size_t remaining() const noexcept {
    return static_cast<size_t>(end_ - pos_);
  }

  bool u8(uint8_t& x) {
    if (remaining() < 1)
      return false;
    x = *pos_++;
    return true;
  }

  bool u16(uint16_t& x) {
    if (remaining() < 2)
      return false;
    x = get_u16(pos_);
    pos_ += 2;
    return true;
  }

  bool str2(std::string& x) {
    uint16_t n;
    if (!u16(n) || remaining() < n)
      return false;
    x.assign(reinterpret_cast<const char*>(pos_), n);
    pos_ += n;
    return true;
  }

  /// Reads a block's entry count; each entry takes at least `entry_min`
  /// bytes, so a count the header cannot hold fails before any reserve.
  bool count(uint16_t& n, size_t entry_min) {
    return u16(n) && size_t{n} * entry_min <= remaining();
  }

private:
  const uint8_t* pos_;
  const uint8_t* end_;
};

bool read_str_kv(info_cursor& in, header& h) {
  uint16_t n;
  if (!in.count(n, 4))
    return false;
  h.str_kv.reserve(h.str_kv.size() + n);
  for (uint16_t i = 0; i < n; ++i) {
    std::string key;
    std::string value;
    if (!in.str2(key) || !in.str2(value))
      return false;
    h.str_kv.emplace_back(std::move(key), std::move(value));
  }
  return true;
}

bool read_int_kv(info_cursor& in, header& h) {
  uint16_t n;
  if (!in.count(n, 4))
    return false;
  h.int_kv.reserve(h.int_kv.size() + n);
  for (uint16_t i = 0; i < n; ++i) {
    uint16_t key;
    std::string value;
    if (!in.u16(key) || !in.str2(value))
      return false;
    h.int_kv.emplace_back(key, std::move(value));
  }
  return true;
}

bool read_acl_token(info_cursor& in, header& h) {
  std::string token;
  if (!in.str2(token))
    return false;
  h.acl_token = std::move(token);
  return true;
}

/// Walks the info blocks up to the header end. Padding is skipped byte by
/// byte (Kitex also accepts blocks after it); any other unknown id is an
/// error, since its length cannot be known.
protocol_error read_info_blocks(info_cursor& in, header& h) {
  while (!in.at_end()) {
    uint8_t id = 0;
    bool ok = in.u8(id);
    switch (id) {
      case info_padding:
        break;
      case info_key_value:
        ok = read_str_kv(in, h);
        break;
      case info_int_key_value:
        ok = read_int_kv(in, h);
        break;
      case info_acl_token:
        ok = read_acl_token(in, h);
        break;
      default:
        return protocol_error::invalid_data;
    }
    if (!ok)
      return protocol_error::invalid_data;
  }
  return protocol_error::none;
}

/// Checks LENGTH against the limit and the bytes given, then the magic.
protocol_error check_fixed_part(byte_span frame, const limits& lim) {
  if (frame.size() < 4)
    return protocol_error::truncated;
  uint64_t length = get_u32(frame.data());
  if ((length & length_top_bit) != 0 || length > lim.max_frame_size)
    return protocol_error::size_limit;
  if (length + 4 > frame.size())
    return protocol_error::truncated;
  if (length + 4 < frame.size() || length < min_length)
    return protocol_error::invalid_data;
  if (get_u16(frame.data() + 4) != magic)
    return protocol_error::invalid_data;
  return protocol_error::none;
}

/// Checks 2 <= HS*4 <= min(limit, frame) and returns the header end.
protocol_error check_header_size(byte_span frame, const limits& lim,
                                 size_t& header_end) {
  uint64_t bytes = uint64_t{get_u16(frame.data() + header_size_offset)} * 4;
  if (bytes < 2)
    return protocol_error::invalid_data;
  if (bytes > lim.max_header_size)
    return protocol_error::size_limit;
  if (fixed_size + bytes > frame.size())
    return protocol_error::invalid_data;
  header_end = fixed_size + static_cast<size_t>(bytes);
  return protocol_error::none;
}

/// Accepts every unary protocol id; the caller decides which it serves.
protocol_error check_protocol_id(uint8_t id) {
  switch (id) {
    case protocol_thrift_binary:
    case protocol_thrift_compact:
    case protocol_thrift_compact_v2:
    case protocol_kitex_protobuf:
      return protocol_error::none;
    case 0x10: // ThriftStruct, TTHeader Streaming
    case 0x11: // ProtobufStruct, TTHeader Streaming
      return protocol_error::not_implemented;
    default:
      return protocol_error::invalid_data;
  }
}

} // namespace

const std::string* header::find(std::string_view key) const {
  // Kitex decodes into a map, so of duplicate keys the last one wins.
  for (auto i = str_kv.rbegin(); i != str_kv.rend(); ++i)
    if (i->first == key)
      return &i->second;
  return nullptr;
}

const std::string* header::find(uint16_t key) const {
  for (auto i = int_kv.rbegin(); i != int_kv.rend(); ++i)
    if (i->first == key)
      return &i->second;
  return nullptr;
}

size_t begin_frame(byte_buffer& out, const header& h) {
  auto start = out.size();
  put_u32(out, 0); // LENGTH, patched by finish_frame()
  put_u16(out, magic);
  put_u16(out, h.flags);
  put_u32(out, static_cast<uint32_t>(h.seq_id));
  put_u16(out, 0); // HEADER SIZE, patched below
  out.push_back(h.protocol_id);
  out.push_back(0); // no transforms
  if (h.acl_token) {
    out.push_back(info_acl_token);
    put_str2(out, *h.acl_token);
  }
  put_str_kv(out, h);
  put_int_kv(out, h);
  auto section = out.size() - start - fixed_size;
  out.insert(out.end(), (4 - section % 4) % 4, uint8_t{0});
  auto words = (section + 3) / 4;
  assert(words <= 0xffff);
  out[start + header_size_offset] = static_cast<uint8_t>(words >> 8);
  out[start + header_size_offset + 1] = static_cast<uint8_t>(words);
  return start;
}

void finish_frame(byte_buffer& out, size_t start) {
  auto length = out.size() - start - 4;
  assert(length < length_top_bit);
  patch_u32(out, start, static_cast<uint32_t>(length));
}

decode_result decode(byte_span frame, const limits& lim, header& h) {
  h = header{};
  size_t header_end = 0;
  auto err = check_fixed_part(frame, lim);
  if (err == protocol_error::none)
    err = check_header_size(frame, lim, header_end);
  if (err == protocol_error::none)
    err = check_protocol_id(frame[fixed_size]);
  if (err == protocol_error::none && frame[fixed_size + 1] != 0)
    err = protocol_error::not_implemented; // transforms (zlib, snappy)
  if (err != protocol_error::none)
    return {err, 0};
  h.flags = get_u16(frame.data() + 6);
  h.seq_id = static_cast<int32_t>(get_u32(frame.data() + 8));
  h.protocol_id = frame[fixed_size];
  info_cursor in{frame.data() + fixed_size + 2, frame.data() + header_end};
  err = read_info_blocks(in, h);
  if (err != protocol_error::none)
    return {err, 0};
  return {protocol_error::none, header_end};
}

} // namespace kitex::remote::ttheader
