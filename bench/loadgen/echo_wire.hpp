#pragma once

// The load generator's own encoder and reply parser for EchoServer.Echo
// (examples/echo/echo.thrift) in Thrift Binary (strict) over Framed,
// Buffered and TTHeader, and for the raw length-prefixed echo.
//
// It shares no code with the framework on purpose: the client must cost the
// same for every server it measures, and must not inherit our codec's bugs.
//
// A request is encoded once (a template). Each call copies it and patches the
// seq id and a tag of up to 8 hex digits at the start of msg, so every reply
// can be checked against the exact call that caused it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

enum class transport { framed, buffered, ttheader, raw };

std::optional<transport> parse_transport(std::string_view name);
std::string_view to_string(transport t);

/// The tag written into msg for a call: the low 32 bits of its seq id.
using call_tag = uint32_t;

class request_template {
public:
  /// Encodes Echo(Request{action, msg}) with msg = `msg_size` pattern bytes;
  /// for `raw`, the frame is the 4-byte big-endian length and msg alone.
  request_template(transport t, std::string action, size_t msg_size);

  /// Appends one request carrying `seq` (Thrift seqid, TTHeader seq) and the
  /// tag of `seq` in msg.
  void append_to(std::vector<uint8_t>& out, int32_t seq) const;

  /// True if a reply's action and msg are the ones sent with `seq`.
  bool matches(int32_t seq, std::string_view action,
               std::string_view msg) const;

  size_t size() const {
    return bytes_.size();
  }

private:
  transport transport_;
  std::string action_;
  std::string msg_;
  std::vector<uint8_t> bytes_;
  size_t msg_offset_ = 0;
  size_t seq_offset_ = 0;        // Thrift seqid (not used by raw)
  size_t header_seq_offset_ = 0; // TTHeader seq (ttheader only)
  size_t tag_len_ = 0;
};

enum class parse_status { complete, need_more, malformed };

/// One reply split off the front of the read buffer.
struct reply_view {
  size_t size = 0;           // bytes it occupies in the stream
  int32_t seq = 0;           // Thrift seqid; unused for raw
  bool is_exception = false; // EXCEPTION message or declared EchoError
  bool seq_mismatch = false; // TTHeader seq differs from the Thrift seqid
  bool wrong_method = false; // message name is not "Echo"
  std::string_view action;   // Response.action (raw: empty)
  std::string_view msg;      // Response.msg (raw: the whole payload)
};

/// Parses one reply at the front of [data, data + n). Never reads past n;
/// frames larger than `max_frame` are malformed.
parse_status parse_reply(transport t, const uint8_t* data, size_t n,
                         size_t max_frame, reply_view& out);

} // namespace bench
