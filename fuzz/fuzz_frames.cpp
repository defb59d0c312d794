// Fuzz target: what a connection does with the bytes it receives.
//
// detect() classifies the input's first bytes; next_frame() then splits
// frames of that wire until it needs more bytes or fails, and every complete
// frame goes through decode_envelope(), its headers through the metainfo
// readers, its body through both protocol readers' skip() and, for an
// exception, read_application_exception(). Under small and default limits.
// Checked:
// - a complete frame is non-empty, within the input and the frame limit;
// - a shorter prefix of a complete frame asks for more bytes (a read that
//   ends mid-frame must never fail the connection);
// - a decoded envelope's name and body lie inside the frame, the body at its
//   end; for TTHeader and THeader the header is the one their decode()
//   gives.

#include <cstddef>
#include <cstdint>

#include "fuzz_common.hpp"
#include "kitex/remote/codec/envelope.hpp"
#include "kitex/remote/codec/theader/theader.hpp"
#include "kitex/remote/codec/thrift/application_exception.hpp"
#include "kitex/remote/codec/thrift/binary_protocol.hpp"
#include "kitex/remote/codec/thrift/compact_protocol.hpp"
#include "kitex/remote/codec/ttheader/ttheader.hpp"
#include "kitex/remote/trans/detection/detect.hpp"

namespace {

using namespace kitex::remote;
using detection::split_result;
using detection::wire;

void check_prefix(wire w, byte_span frame, size_t n, const limits& lim) {
  if (n == 0 || n >= frame.size())
    return;
  auto res = detection::next_frame(w, frame.first(n), lim);
  FUZZ_CHECK(res.status == split_result::need_more);
}

void check_ttheader(byte_span frame, const envelope& env, const limits& lim) {
  ttheader::header h;
  auto res = ttheader::decode(frame, lim, h);
  FUZZ_CHECK(res.error == protocol_error::none);
  FUZZ_CHECK(res.payload_offset <= frame.size());
  FUZZ_CHECK(env.body.data() >= frame.data() + res.payload_offset);
  FUZZ_CHECK(kitex::fuzz::same_header(h, env.header));
}

/// THeader's flags, seq id and KV headers are carried in the envelope's
/// (TTHeader) header.
void check_theader(byte_span frame, const envelope& env, const limits& lim) {
  theader::header h;
  auto res = theader::decode(frame, lim, h);
  FUZZ_CHECK(res.error == protocol_error::none);
  FUZZ_CHECK(res.payload_offset <= frame.size());
  FUZZ_CHECK(env.body.data() >= frame.data() + res.payload_offset);
  FUZZ_CHECK(env.header.flags == h.flags && env.header.seq_id == h.seq_id);
  FUZZ_CHECK(env.header.str_kv == h.kv);
}

template<class Reader>
void read_exception(const envelope& env, const limits& lim) {
  Reader r{env.body, lim};
  thrift::application_exception x;
  if (!thrift::read_application_exception(r, x))
    FUZZ_CHECK(r.error() != protocol_error::none);
}

void read_body(const envelope& env, const limits& lim) {
  // Skipping the body with both readers, whatever the envelope's protocol,
  // exercises both on every body.
  thrift::binary_reader binary{env.body, lim};
  if (!binary.skip(thrift::ttype::struct_))
    FUZZ_CHECK(binary.error() != protocol_error::none);
  thrift::compact_reader compact{env.body, lim};
  if (!compact.skip(thrift::ttype::struct_))
    FUZZ_CHECK(compact.error() != protocol_error::none);
  if (env.msg.type != thrift::message_type::exception)
    return;
  if (env.proto == protocol::compact)
    read_exception<thrift::compact_reader>(env, lim);
  else
    read_exception<thrift::binary_reader>(env, lim);
}

void decode_frame(wire w, byte_span frame, const limits& lim) {
  envelope env;
  auto err = decode_envelope(w, frame, lim, env);
  (void)to_string(err);
  if (err != protocol_error::none)
    return;
  (void)to_string(env.tp);
  FUZZ_CHECK(kitex::fuzz::contains(frame, env.body.data(), env.body.size()));
  FUZZ_CHECK(env.body.data() + env.body.size() == frame.data() + frame.size());
  FUZZ_CHECK(
    kitex::fuzz::contains(frame, env.msg.name.data(), env.msg.name.size()));
  FUZZ_CHECK(env.msg.name.data() + env.msg.name.size()
             <= reinterpret_cast<const char*>(env.body.data()));
  if (w == wire::ttheader)
    check_ttheader(frame, env, lim);
  if (w == wire::theader)
    check_theader(frame, env, lim);
  kitex::fuzz::read_metainfo(env.header);
  read_body(env, lim);
}

void split_all(byte_span in, const limits& lim) {
  auto w = detection::detect(in);
  (void)detection::to_string(w);
  (void)detection::describe_first_bytes(in);
  if (in.size() >= 8)
    FUZZ_CHECK(w != wire::need_more);
  size_t pos = 0;
  while (pos < in.size()) {
    auto rest = in.subspan(pos);
    auto res = detection::next_frame(w, rest, lim);
    if (res.status == split_result::error)
      FUZZ_CHECK(res.error_code != protocol_error::none);
    if (res.status != split_result::complete)
      return;
    FUZZ_CHECK(res.size > 0 && res.size <= rest.size());
    FUZZ_CHECK(res.size <= uint64_t{lim.max_frame_size} + 4);
    auto frame = rest.first(res.size);
    check_prefix(w, frame, frame.size() - 1, lim);
    check_prefix(w, frame, frame.size() / 2, lim);
    check_prefix(w, frame, 7, lim);
    decode_frame(w, frame, lim);
    pos += res.size;
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  byte_span in{data, size};
  split_all(in, kitex::fuzz::small_limits());
  split_all(in, kitex::fuzz::default_limits());
  return 0;
}
