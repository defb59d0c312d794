#pragma once

// A Thrift message in its envelope: the transport headers, the message header
// and the struct bytes that follow. Decoding borrows from the frame; encoding
// appends a whole frame (length prefixes back-filled) to a byte_buffer.

#include <cstdint>
#include <string_view>

#include "kitex/remote/byte_buffer.hpp"
#include "kitex/remote/codec/protocol_error.hpp"
#include "kitex/remote/codec/thrift/binary_protocol.hpp"
#include "kitex/remote/codec/ttheader/ttheader.hpp"
#include "kitex/remote/limits.hpp"
#include "kitex/remote/trans/detection/detect.hpp"
#include "kitex/remote/transport.hpp"

namespace kitex::remote {

struct envelope {
  /// The framing the message came in; replies use the same.
  transport tp = transport::framed;
  /// Only meaningful for ttheader / ttheader_framed.
  ttheader::header header;
  thrift::message_header msg;
  /// The struct after the message header (args, result or exception).
  byte_span body;
};

/// Decodes one complete frame of wire `w` (as split by next_frame). For
/// TTHeader the payload is sniffed for an inner length prefix.
[[nodiscard]] protocol_error decode_envelope(detection::wire w, byte_span frame,
                                             const limits& lim, envelope& out);

/// Writes one message as a frame. Usage: begin(), write the struct through
/// writer(), finish().
class frame_encoder {
public:
  explicit frame_encoder(byte_buffer& out) : out_(&out), writer_(out) {}

  /// Starts a frame; `hdr` is used (with its seq id overwritten by `seq_id`)
  /// for the TTHeader transports and ignored otherwise.
  void begin(transport tp, const ttheader::header* hdr, std::string_view name,
             thrift::message_type type, int32_t seq_id);

  thrift::binary_writer& writer() noexcept {
    return writer_;
  }

  /// Back-fills the length prefixes.
  void finish();

private:
  byte_buffer* out_;
  thrift::binary_writer writer_;
  transport tp_ = transport::framed;
  size_t start_ = 0;
  size_t inner_start_ = 0;
};

} // namespace kitex::remote
