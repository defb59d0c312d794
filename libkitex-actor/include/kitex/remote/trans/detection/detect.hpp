#pragma once

// Per-connection protocol detection and frame splitting, done on the io
// thread on the bytes of a socket read. Detection follows Kitex's
// default_codec: TTHeader magic at byte 4, then Thrift 0x8001 at byte 0
// (buffered) or byte 4 (framed); the HTTP/2 preface is recognised so it can be
// refused (or routed, once gRPC lands) with a clear reason.

#include <cstddef>
#include <cstdint>
#include <string>

#include "kitex/remote/byte_buffer.hpp"
#include "kitex/remote/codec/protocol_error.hpp"
#include "kitex/remote/limits.hpp"
#include "kitex/remote/transport.hpp"

namespace kitex::remote::detection {

enum class wire : uint8_t {
  need_more,
  /// TTHeader envelope (the payload inside may be framed or not).
  ttheader,
  /// Apache THeader envelope (magic 0x0FFF).
  theader,
  framed,
  buffered,
  http2,
  invalid,
};

const char* to_string(wire w);

/// Classifies the first bytes of a connection. Needs 8 bytes, less only to
/// reject early (e.g. a first byte that fits nothing).
wire detect(byte_span first_bytes);

/// Renders the first 8 bytes as Kitex does for "invalid payload" logs.
std::string describe_first_bytes(byte_span first_bytes);

struct split_result {
  enum status_t : uint8_t { complete, need_more, error } status = need_more;
  /// Size of the complete frame (if status == complete).
  size_t size = 0;
  protocol_error error_code = protocol_error::none;
};

/// Finds the end of the first frame of wire `w` in `buf`. For framed and
/// TTHeader the length prefix is checked against the limit before anything
/// else; for buffered the message is walked with the skip decoder, and more
/// bytes than max_frame_size without a complete message is an error.
split_result next_frame(wire w, byte_span buf, const limits& lim);

} // namespace kitex::remote::detection
