// Fuzz target: ttheader::decode of one TTHeader frame.
//
// The input is decoded as received, and again with LENGTH patched to the
// input size, so the fuzzer reaches the info blocks without having to guess
// a matching length. Each under small and default limits. A decoded header
// must have its payload inside the frame at a word boundary, and must
// re-encode (begin_frame/finish_frame) to a frame that decodes to the same
// header and payload. Its metainfo is read as a server and a client would.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "fuzz_common.hpp"
#include "kitex/remote/codec/ttheader/ttheader.hpp"

namespace {

using namespace kitex::remote;
using kitex::fuzz::as_span;

void check_round_trip(const ttheader::header& h, byte_span payload,
                      const limits& lim) {
  byte_buffer out;
  auto start = ttheader::begin_frame(out, h);
  out.insert(out.end(), payload.begin(), payload.end());
  ttheader::finish_frame(out, start);
  ttheader::header again;
  auto res = ttheader::decode(as_span(out), lim, again);
  FUZZ_CHECK(res.error == protocol_error::none);
  FUZZ_CHECK(kitex::fuzz::same_header(h, again));
  FUZZ_CHECK(out.size() - res.payload_offset == payload.size());
  FUZZ_CHECK(
    std::equal(payload.begin(), payload.end(),
               out.begin() + static_cast<ptrdiff_t>(res.payload_offset)));
}

void check_lookups(const ttheader::header& h) {
  // find() returns the last entry of a key, as Kitex's map decoding does.
  for (auto& kv : h.str_kv)
    FUZZ_CHECK(h.find(kv.first) != nullptr);
  for (auto& kv : h.int_kv)
    FUZZ_CHECK(h.find(kv.first) != nullptr);
  (void)h.find(ttheader::key_idl_service_name);
  (void)h.find(uint16_t{ttheader::to_method});
}

void decode_one(byte_span frame, const limits& lim) {
  ttheader::header h;
  auto res = ttheader::decode(frame, lim, h);
  if (res.error != protocol_error::none) {
    FUZZ_CHECK(res.payload_offset == 0);
    return;
  }
  // Payload after at least one header word, at a word boundary, within the
  // header limit and the frame.
  auto header_bytes = res.payload_offset - ttheader::fixed_size;
  FUZZ_CHECK(res.payload_offset >= ttheader::fixed_size + 4);
  FUZZ_CHECK(header_bytes % 4 == 0);
  FUZZ_CHECK(header_bytes <= lim.max_header_size);
  FUZZ_CHECK(res.payload_offset <= frame.size());
  FUZZ_CHECK(frame.size() - 4 <= lim.max_frame_size);
  FUZZ_CHECK(get_u32(frame.data()) + size_t{4} == frame.size());
  for (auto& kv : h.str_kv)
    FUZZ_CHECK(kv.first.size() <= 0xffff && kv.second.size() <= 0xffff);
  check_lookups(h);
  kitex::fuzz::read_metainfo(h);
  check_round_trip(h, frame.subspan(res.payload_offset), lim);
}

void decode_both(byte_span frame) {
  decode_one(frame, kitex::fuzz::small_limits());
  decode_one(frame, kitex::fuzz::default_limits());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  byte_span in{data, size};
  decode_both(in);
  if (size >= 4 && size - 4 <= 0x7fffffff) {
    byte_buffer patched(data, data + size);
    patch_u32(patched, 0, static_cast<uint32_t>(size - 4));
    decode_both(as_span(patched));
  }
  return 0;
}
