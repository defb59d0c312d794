#pragma once

// Apache Thrift's THeader (magic 0x0FFF) as libthrift's THeaderTransport
// writes it (doc/specs/HeaderFormat.md); see docs/protocols.md. Not Kitex's
// TTHeader (0x1000): the fields after HEADER SIZE are varints here.
//
//   u32 LENGTH | u16 0x0FFF | u16 FLAGS | u32 SEQ | u16 HEADER_SIZE/4 |
//   varint PROTOCOL | varint NUM_TRANSFORMS | varint TRANSFORM ids |
//   INFO headers | 0x00 padding | payload
//
// INFO headers: varint id; 0x01 KEYVALUE is a varint count, then count x
// (varint-length key, varint-length value). Id 0 (padding) ends them.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kitex/remote/byte_buffer.hpp"
#include "kitex/remote/codec/protocol_error.hpp"
#include "kitex/remote/limits.hpp"

namespace kitex::remote::theader {

constexpr uint16_t magic = 0x0fff;
constexpr size_t fixed_size = 14; // LENGTH .. HEADER_SIZE

/// libthrift refuses a LENGTH above this (it keeps the top two bits free to
/// tell THeader from HTTP and older transports).
constexpr uint32_t max_length = 0x3fffffff;

/// Longest varint in the header: 32 bits in 7-bit groups.
constexpr size_t max_varint_size = 5;

// PROTOCOL ID (libthrift's PROTOCOL_TYPES).
constexpr uint8_t protocol_binary = 0;
constexpr uint8_t protocol_json = 1;
constexpr uint8_t protocol_compact = 2;

// TRANSFORM ids (none implemented: decode() refuses any transform).
constexpr uint8_t transform_zlib = 1;
constexpr uint8_t transform_hmac = 2;
constexpr uint8_t transform_snappy = 3;

// INFO ids. Apache defines only KEYVALUE; fbthrift adds 2 (persistent KV),
// which a reader skips like any unknown id.
constexpr uint8_t info_padding = 0;
constexpr uint8_t info_key_value = 1;

struct header {
  /// Opaque to Apache Thrift: a libthrift server echoes the request's flags.
  uint16_t flags = 0;
  int32_t seq_id = 0;
  uint8_t protocol_id = protocol_binary;
  /// Filled by decode() to say which transforms it refused; begin_frame()
  /// requires it empty, since we do not transform payloads.
  std::vector<uint8_t> transforms;
  /// KEYVALUE headers in wire order (libthrift writes them sorted by key).
  std::vector<std::pair<std::string, std::string>> kv;

  /// Returns the value of a key, if present (of duplicates, the last one, as
  /// libthrift's map keeps it).
  const std::string* find(std::string_view key) const;
};

/// True if the first bytes of a connection (at least 6; detection peeks 8)
/// carry the THeader magic at offset 4.
bool is_theader(byte_span first8);

/// Appends LENGTH (placeholder) up to the padding; returns the offset of the
/// frame start, to be passed to finish_frame() once the payload is appended.
/// Writes the KEYVALUE block only if `h.kv` is not empty and always pads
/// with 1 to 4 zero bytes, as libthrift does. The header section must stay
/// below 64 KiB (libthrift's limit on read).
size_t begin_frame(byte_buffer& out, const header& h);

/// Patches LENGTH for the frame that begins at `start`.
void finish_frame(byte_buffer& out, size_t start);

struct decode_result {
  protocol_error error = protocol_error::none;
  /// Offset of the payload within the frame (valid if no error).
  size_t payload_offset = 0;
};

/// Decodes a complete THeader frame (starting at LENGTH) into `h`. Checks
/// LENGTH and magic, 4 <= HS*4 <= min(limit, frame), every varint (at most 5
/// bytes, 32 bits) and every count and string length against the header end
/// and the limits before allocating. Errors:
/// - not_implemented: JSON payloads, or any transform (zlib, snappy, ...);
/// - invalid_data: other protocol ids, malformed or overlong fields, non-zero
///   bytes after the padding marker;
/// - size_limit: LENGTH, HEADER SIZE or a string above the limits.
/// An unknown info id ends the info headers without error: the spec makes
/// them skippable, and libthrift skips to the payload.
[[nodiscard]] decode_result decode(byte_span frame, const limits& lim,
                                   header& h);

} // namespace kitex::remote::theader
