// The load generator must reject every wrong reply, or the benchmarks could
// count garbage as throughput. Replies here are built by hand, byte by byte.

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "echo_wire.hpp"
#include "histogram.hpp"

using namespace bench;

namespace {

using bytes = std::vector<uint8_t>;

void u8(bytes& b, uint8_t v) {
  b.push_back(v);
}
void u16(bytes& b, uint16_t v) {
  u8(b, v >> 8), u8(b, v & 0xff);
}
void u32(bytes& b, uint32_t v) {
  u16(b, v >> 16), u16(b, v & 0xffff);
}
void str(bytes& b, const std::string& s) {
  u32(b, static_cast<uint32_t>(s.size()));
  b.insert(b.end(), s.begin(), s.end());
}

/// Echo's REPLY message: result field 0 = Response{action, msg}.
bytes reply_message(int32_t seq, const std::string& action,
                    const std::string& msg, uint8_t type = 2) {
  bytes b;
  u32(b, 0x80010000 | type);
  str(b, "Echo");
  u32(b, static_cast<uint32_t>(seq));
  u8(b, 12), u16(b, 0); // success: struct
  u8(b, 11), u16(b, 1), str(b, action);
  u8(b, 8), u16(b, 9), u32(b, 42); // an unknown field is skipped
  u8(b, 11), u16(b, 2), str(b, msg);
  u8(b, 0); // end of Response
  u8(b, 0); // end of result
  return b;
}

bytes framed(const bytes& msg) {
  bytes b;
  u32(b, static_cast<uint32_t>(msg.size()));
  b.insert(b.end(), msg.begin(), msg.end());
  return b;
}

/// TTHeader with one string KV info block, so the payload offset matters.
bytes ttheader(int32_t seq, const bytes& msg) {
  bytes h;
  u8(h, 0), u8(h, 0);     // protocol binary, no transforms
  u8(h, 0x01), u16(h, 1); // one string KV
  u16(h, 5), h.insert(h.end(), {'c', 'r', 'r', 's', 't'});
  u16(h, 1), h.push_back('1');
  while (h.size() % 4 != 0)
    u8(h, 0);
  bytes b;
  u32(b, static_cast<uint32_t>(10 + h.size() + msg.size()));
  u16(b, 0x1000), u16(b, 0), u32(b, static_cast<uint32_t>(seq));
  u16(b, static_cast<uint16_t>(h.size() / 4));
  b.insert(b.end(), h.begin(), h.end());
  b.insert(b.end(), msg.begin(), msg.end());
  return b;
}

/// The msg the template sends with `seq`: the tag, then the pattern.
std::string sent_msg(int32_t seq, size_t size) {
  std::string m(size, ' ');
  for (size_t i = 0; i < size; ++i)
    m[i] = static_cast<char>('a' + i % 26);
  static constexpr char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < size && i < 8; ++i)
    m[i] = hex[(static_cast<uint32_t>(seq) >> (28 - 4 * i)) & 0xf];
  return m;
}

parse_status parse(transport t, const bytes& b, reply_view& r) {
  return parse_reply(t, b.data(), b.size(), 1 << 20, r);
}

} // namespace

TEST_CASE("a framed reply matches only the call it answers") {
  request_template tpl{transport::framed, "echo", 100};
  auto seq = 0x10005;
  auto wire = framed(reply_message(seq, "echo", sent_msg(seq, 100)));
  reply_view r;
  REQUIRE(parse(transport::framed, wire, r) == parse_status::complete);
  CHECK(r.size == wire.size());
  CHECK(r.seq == seq);
  CHECK(tpl.matches(seq, r.action, r.msg));
  CHECK_FALSE(tpl.matches(seq + 0x10000, r.action, r.msg));
  CHECK_FALSE(tpl.matches(seq, "echoo", r.msg));
  auto flipped = sent_msg(seq, 100);
  flipped[50] ^= 1;
  CHECK_FALSE(tpl.matches(seq, "echo", flipped));
  CHECK_FALSE(tpl.matches(seq, "echo", sent_msg(seq, 99)));
}

TEST_CASE("the encoded request is the Echo call a Thrift server expects") {
  request_template tpl{transport::framed, "echo", 3};
  bytes out;
  tpl.append_to(out, 0x20001);
  bytes want;
  u32(want, 0x80010001), str(want, "Echo"), u32(want, 0x20001);
  u8(want, 12), u16(want, 1);
  u8(want, 11), u16(want, 1), str(want, "echo");
  u8(want, 11), u16(want, 2), str(want, sent_msg(0x20001, 3));
  u8(want, 0), u8(want, 0);
  CHECK(out == framed(want));
}

TEST_CASE("a buffered reply needs every byte before it completes") {
  auto wire = reply_message(7, "echo", "hi");
  reply_view r;
  for (size_t n = 0; n < wire.size(); ++n)
    REQUIRE(parse_reply(transport::buffered, wire.data(), n, 1 << 20, r)
            == parse_status::need_more);
  REQUIRE(parse(transport::buffered, wire, r) == parse_status::complete);
  CHECK(r.size == wire.size());
  CHECK(r.msg == "hi");
}

TEST_CASE("TTHeader replies honour the header size and the header seq") {
  auto msg = reply_message(9, "echo", "abc");
  reply_view r;
  REQUIRE(parse(transport::ttheader, ttheader(9, msg), r)
          == parse_status::complete);
  CHECK(r.action == "echo");
  CHECK(r.msg == "abc");
  CHECK_FALSE(r.seq_mismatch);
  REQUIRE(parse(transport::ttheader, ttheader(8, msg), r)
          == parse_status::complete);
  CHECK(r.seq_mismatch);
}

TEST_CASE("exceptions and malformed frames are not successes") {
  reply_view r;
  auto ex = framed(reply_message(3, "echo", "x", 3)); // EXCEPTION
  REQUIRE(parse(transport::framed, ex, r) == parse_status::complete);
  CHECK(r.is_exception);
  bytes declared; // REPLY whose result holds field 1, EchoError{code}
  u32(declared, 0x80010002), str(declared, "Echo"), u32(declared, 3);
  u8(declared, 12), u16(declared, 1);
  u8(declared, 8), u16(declared, 1), u32(declared, 7), u8(declared, 0);
  u8(declared, 0);
  REQUIRE(parse(transport::framed, framed(declared), r)
          == parse_status::complete);
  CHECK(r.is_exception);
  auto bad = framed(reply_message(3, "echo", "x"));
  bad[4] = 0x7f; // not a strict version
  CHECK(parse(transport::framed, bad, r) == parse_status::malformed);
  auto truncated = framed(reply_message(3, "echo", "x"));
  truncated[3] -= 2; // the frame ends inside the message
  CHECK(parse(transport::framed, truncated, r) == parse_status::malformed);
}

TEST_CASE("raw replies are the request bytes") {
  request_template tpl{transport::raw, "", 12};
  bytes out;
  tpl.append_to(out, 0x30002);
  reply_view r;
  REQUIRE(parse(transport::raw, out, r) == parse_status::complete);
  CHECK(tpl.matches(0x30002, {}, r.msg));
  CHECK_FALSE(tpl.matches(0x30003, {}, r.msg));
}

TEST_CASE("histogram quantiles stay within 0.1 % of the true value") {
  histogram h;
  for (int us = 1; us <= 10000; ++us)
    h.record(int64_t{us} * 1000);
  CHECK(h.quantile_ns(0.5) == Approx(5'000'000).epsilon(0.001));
  CHECK(h.quantile_ns(0.99) == Approx(9'900'000).epsilon(0.001));
  CHECK(h.max_ns() == 10'000'000);
  h.reset();
  h.record(1500);
  CHECK(h.quantile_ns(0.5) == 1500);
}

TEST_CASE("merged histograms answer as one that saw every sample") {
  histogram odd, even, all;
  for (int us = 1; us <= 10000; ++us) {
    (us % 2 ? odd : even).record(int64_t{us} * 1000);
    all.record(int64_t{us} * 1000);
  }
  odd.merge(even);
  CHECK(odd.count() == all.count());
  CHECK(odd.max_ns() == all.max_ns());
  CHECK(odd.mean_ns() == all.mean_ns());
  for (double q : {0.5, 0.9, 0.99, 0.999})
    CHECK(odd.quantile_ns(q) == all.quantile_ns(q));
}
