#include "kitex/remote/trans/detection/detect.hpp"

#include <algorithm>
#include <cstdio>
#include <initializer_list>

#include "kitex/remote/codec/theader/theader.hpp"
#include "kitex/remote/codec/thrift/binary_protocol.hpp"
#include "kitex/remote/codec/thrift/compact_protocol.hpp"
#include "kitex/remote/codec/ttheader/ttheader.hpp"

namespace kitex::remote::detection {

namespace {

using thrift::compact_protocol_id;
using thrift::strict_version_1;
using thrift::version_mask;

constexpr size_t sniff_size = 8;
constexpr uint8_t http2_preface[sniff_size]
  = {'P', 'R', 'I', ' ', '*', ' ', 'H', 'T'};
constexpr uint32_t length_top_bit = 0x80000000;
/// MAGIC, FLAGS, SEQ ID, HEADER SIZE and at least one header word.
constexpr uint64_t ttheader_min_length = ttheader::fixed_size - 4 + 4;
/// The smallest message (empty name, empty struct). Binary: version, name
/// length, seq id, stop. Compact: protocol id, version byte, one-byte seq id
/// and name length varints, stop.
constexpr uint64_t binary_min_length = 13;
constexpr uint64_t compact_min_length = 5;
constexpr uint32_t protobuf_version_1 = 0x90010000;

/// True if the bytes of `in` from `offset` on agree with `pattern` as far as
/// they go (bytes not yet received agree with anything).
bool agrees(byte_span in, size_t offset, std::initializer_list<uint8_t> pat) {
  for (size_t i = 0; i < pat.size() && offset + i < in.size(); ++i)
    if (in[offset + i] != pat.begin()[i])
      return false;
  return true;
}

/// Whether fewer than 8 bytes can still become a recognised start. Framed and
/// TTHeader begin with a length whose top bit is clear, then the Thrift
/// version or the TTHeader magic at byte 4.
bool could_still_match(byte_span in) {
  auto n = std::min(in.size(), sniff_size);
  if (std::equal(in.begin(), in.begin() + static_cast<ptrdiff_t>(n),
                 http2_preface))
    return true;
  if (agrees(in, 0, {0x80, 0x01}) || agrees(in, 0, {compact_protocol_id}))
    return true;
  return (in.empty() || in[0] < 0x80)
         && (agrees(in, 4, {0x10, 0x00}) || agrees(in, 4, {0x0f, 0xff})
             || agrees(in, 4, {0x80, 0x01})
             || agrees(in, 4, {compact_protocol_id}));
}

bool has_thrift_version(const uint8_t* p) {
  return (get_u32(p) & version_mask) == strict_version_1;
}

bool has_message_start(const uint8_t* p) {
  return has_thrift_version(p) || thrift::is_compact_start(p[0], p[1]);
}

split_result complete(size_t n) {
  return {split_result::complete, n, protocol_error::none};
}

split_result failed(protocol_error e) {
  return {split_result::error, 0, e};
}

split_result more() {
  return {split_result::need_more, 0, protocol_error::none};
}

/// Checks the bytes after LENGTH as soon as they arrive, so a peer that
/// switches framing mid-connection fails without waiting for a whole frame.
protocol_error check_start(wire w, byte_span buf) {
  if (w == wire::ttheader || w == wire::theader) {
    auto magic = w == wire::ttheader ? ttheader::magic : theader::magic;
    if (buf.size() >= 6 && get_u16(buf.data() + 4) != magic)
      return protocol_error::invalid_data;
    return protocol_error::none;
  }
  if (buf.size() < sniff_size)
    return protocol_error::none;
  if (has_message_start(buf.data() + 4))
    return protocol_error::none;
  if ((get_u32(buf.data() + 4) & version_mask) == protobuf_version_1)
    return protocol_error::not_implemented;
  return protocol_error::invalid_data;
}

/// Framed and TTHeader: the length prefix is checked before anything else.
split_result split_length_prefixed(wire w, byte_span buf, const limits& lim) {
  if (buf.size() < 4)
    return more();
  uint64_t length = get_u32(buf.data());
  if ((length & length_top_bit) != 0 || length > lim.max_frame_size)
    return failed(protocol_error::size_limit);
  auto min = ttheader_min_length; // THeader's minimum is the same
  if (w == wire::framed) // until byte 4 tells the protocol, the smaller
    min = buf.size() > 4 && buf[4] != compact_protocol_id ? binary_min_length
                                                          : compact_min_length;
  if (length < min)
    return failed(protocol_error::invalid_data);
  if (auto err = check_start(w, buf); err != protocol_error::none)
    return failed(err);
  if (buf.size() - 4 < length)
    return more();
  return complete(static_cast<size_t>(4 + length));
}

/// Buffered: the message has no length, so its end is found by walking it.
/// Running out of bytes means "wait", unless the bytes already exceed what
/// any frame may hold.
template<class Reader>
split_result split_buffered_as(byte_span buf, const limits& lim) {
  Reader r{buf, lim};
  thrift::message_header h;
  if (r.read_message_begin(h) && r.skip(thrift::ttype::struct_)) {
    if (r.position() > lim.max_frame_size)
      return failed(protocol_error::size_limit);
    return complete(r.position());
  }
  if (r.error() != protocol_error::truncated)
    return failed(r.error());
  if (buf.size() > lim.max_frame_size)
    return failed(protocol_error::size_limit);
  return more();
}

split_result split_buffered(byte_span buf, const limits& lim) {
  if (!buf.empty() && buf[0] == compact_protocol_id)
    return split_buffered_as<thrift::compact_reader>(buf, lim);
  return split_buffered_as<thrift::binary_reader>(buf, lim);
}

void append_group(std::string& out, const char* label, byte_span group) {
  if (group.empty())
    return;
  uint32_t value = 0;
  for (auto b : group)
    value = (value << 8) | b;
  char text[32];
  std::snprintf(text, sizeof(text), "%s=0x%x", label, value);
  if (!out.empty())
    out += ", ";
  out += text;
}

} // namespace

const char* to_string(wire w) {
  switch (w) {
    case wire::need_more:
      return "need_more";
    case wire::ttheader:
      return "ttheader";
    case wire::theader:
      return "theader";
    case wire::framed:
      return "framed";
    case wire::buffered:
      return "buffered";
    case wire::http2:
      return "http2";
    case wire::invalid:
      return "invalid";
  }
  return "unknown";
}

wire detect(byte_span in) {
  if (in.size() < sniff_size)
    return could_still_match(in) ? wire::need_more : wire::invalid;
  auto p = in.data();
  if (std::equal(p, p + sniff_size, http2_preface))
    return wire::http2;
  if (get_u16(p + 4) == ttheader::magic)
    return wire::ttheader;
  if (get_u16(p + 4) == theader::magic)
    return wire::theader;
  if (has_message_start(p))
    return wire::buffered;
  if (has_message_start(p + 4))
    return wire::framed;
  return wire::invalid;
}

std::string describe_first_bytes(byte_span in) {
  std::string out;
  auto first = in.first(std::min<size_t>(in.size(), 4));
  auto second = in.subspan(first.size())
                  .first(std::min<size_t>(in.size() - first.size(), 4));
  append_group(out, "first4Bytes", first);
  append_group(out, "second4Bytes", second);
  return out;
}

split_result next_frame(wire w, byte_span buf, const limits& lim) {
  switch (w) {
    case wire::ttheader:
    case wire::theader:
    case wire::framed:
      return split_length_prefixed(w, buf, lim);
    case wire::buffered:
      return split_buffered(buf, lim);
    case wire::need_more:
      return more();
    case wire::http2:
      return failed(protocol_error::not_implemented);
    case wire::invalid:
      break;
  }
  return failed(protocol_error::invalid_data);
}

} // namespace kitex::remote::detection
