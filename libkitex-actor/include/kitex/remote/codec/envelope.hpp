#pragma once

// A Thrift message in its envelope: the transport headers, the message header
// and the struct bytes that follow. Decoding borrows from the frame; encoding
// appends a whole frame (length prefixes back-filled) to a byte_buffer.

#include <cstdint>
#include <string_view>

#include "kitex/remote/byte_buffer.hpp"
#include "kitex/remote/codec/protocol_error.hpp"
#include "kitex/remote/codec/theader/theader.hpp"
#include "kitex/remote/codec/thrift/binary_protocol.hpp"
#include "kitex/remote/codec/thrift/compact_protocol.hpp"
#include "kitex/remote/codec/ttheader/ttheader.hpp"
#include "kitex/remote/limits.hpp"
#include "kitex/remote/protocol.hpp"
#include "kitex/remote/trans/detection/detect.hpp"
#include "kitex/remote/transport.hpp"

namespace kitex::remote {

struct envelope {
  /// The framing the message came in; replies use the same.
  transport tp = transport::framed;
  /// The payload protocol; replies use the same.
  protocol proto = protocol::binary;
  /// Only meaningful for ttheader / ttheader_framed, and for theader, whose
  /// flags, seq id, protocol id and KV headers land here (str_kv).
  ttheader::header header;
  thrift::message_header msg;
  /// The struct after the message header (args, result or exception).
  byte_span body;
  /// TTHeader: everything after the header (what `crc32c` covers).
  byte_span payload;
};

/// Decodes one complete frame of wire `w` (as split by next_frame). The
/// payload is sniffed for its protocol (0x8001 Binary, 0x82 Compact) and, in
/// TTHeader, for an inner length prefix.
[[nodiscard]] protocol_error decode_envelope(detection::wire w, byte_span frame,
                                             const limits& lim, envelope& out);

/// False if a TTHeader frame's `crc32c` header (Kitex's CRC32 payload
/// validator) does not match its payload; true without one.
[[nodiscard]] bool payload_checksum_ok(const envelope& env);

/// Writes one message as a frame. Usage: begin(), write the struct through
/// write_body() (or the writer of the protocol begun), finish().
class frame_encoder {
public:
  explicit frame_encoder(byte_buffer& out)
    : out_(&out), binary_(out), compact_(out) {}

  /// Starts a frame; `hdr` is used (with its seq id overwritten by `seq_id`
  /// and its protocol id by `proto`'s) for the TTHeader and THeader
  /// transports and ignored otherwise. A TTHeader `crc32c` header (write
  /// ttheader::crc32c_placeholder) gets the payload's checksum in finish().
  void begin(transport tp, protocol proto, const ttheader::header* hdr,
             std::string_view name, thrift::message_type type, int32_t seq_id);

  protocol proto() const noexcept {
    return proto_;
  }

  thrift::binary_writer& writer() noexcept {
    return binary_;
  }

  thrift::compact_writer& compact() noexcept {
    return compact_;
  }

  /// Calls `f` with the writer of the protocol begun.
  template<class F>
  void write_body(F&& f) {
    if (proto_ == protocol::compact)
      f(compact_);
    else
      f(binary_);
  }

  /// Back-fills the length prefixes (and a TTHeader `crc32c`).
  void finish();

private:
  byte_buffer* out_;
  thrift::binary_writer binary_;
  thrift::compact_writer compact_;
  transport tp_ = transport::framed;
  protocol proto_ = protocol::binary;
  bool checksum_ = false;
  size_t start_ = 0;
  size_t inner_start_ = 0;
};

} // namespace kitex::remote
