#include "kitex/remote/trans/detection/detect.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "kitex/remote/codec/thrift/binary_protocol.hpp"
#include "unit/remote/alloc_probe.hpp"
#include "unit/remote/hex.hpp"
#include "unit/remote/printers.hpp"

using namespace kitex::remote;
using namespace kitex::remote::detection;
using kitex::test::bytes_allocated_by;
using kitex::test::hex;

namespace {

constexpr const char* framed_echo_hex
  = "00 00 00 11 80 01 00 01 00 00 00 04 45 63 68 6f 00 00 00 01 00";

constexpr const char* ttheader_echo_hex
  = "00 00 00 2b 10 00 00 00 00 00 00 01 00 04 00 00"
    "10 00 01 00 09 00 04 45 63 68 6f 00 00 00"
    "80 01 00 01 00 00 00 04 45 63 68 6f 00 00 00 01 00";

/// A buffered call "Echo" whose args hold a string, a list and a nested struct.
byte_buffer buffered_call() {
  byte_buffer out;
  thrift::binary_writer w{out};
  w.write_message_begin("Echo", thrift::message_type::call, 3);
  w.write_field_begin(thrift::ttype::string, 1);
  w.write_string("hello");
  w.write_field_begin(thrift::ttype::list, 2);
  w.write_list_begin(thrift::ttype::i64, 2);
  w.write_i64(1);
  w.write_i64(2);
  w.write_field_begin(thrift::ttype::struct_, 3);
  w.write_field_begin(thrift::ttype::bool_, 1);
  w.write_bool(true);
  w.write_field_stop();
  w.write_field_stop();
  w.flush();
  return out;
}

split_result split(wire w, const byte_buffer& buf, const limits& lim = {}) {
  return next_frame(w, byte_span{buf}, lim);
}

wire detect_hex(std::string_view text) {
  auto in = hex(text);
  return detect(byte_span{in});
}

} // namespace

TEST_CASE("detect classifies the first 8 bytes as Kitex does", "[detect]") {
  CHECK(detect_hex(ttheader_echo_hex) == wire::ttheader);
  CHECK(detect_hex(framed_echo_hex) == wire::framed);
  CHECK(detect_hex("80 01 00 01 00 00 00 04 45 63") == wire::buffered);
  byte_buffer preface;
  kitex::test::append(preface, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
  CHECK(detect(byte_span{preface}) == wire::http2);
  byte_buffer get;
  kitex::test::append(get, "GET / HTTP/1.1\r\n");
  CHECK(detect(byte_span{get}) == wire::invalid);
  // TLS ClientHello.
  CHECK(detect_hex("16 03 01 02 00 01 00 01 fc 03 03") == wire::invalid);
  // Thrift Compact, which Kitex refuses and we serve: buffered (0x82 0x21:
  // protocol id, call | version 1) and framed.
  CHECK(detect_hex("82 21 01 04 45 63 68 6f 00") == wire::buffered);
  CHECK(detect_hex("00 00 00 09 82 21 01 04 45 63") == wire::framed);
  // 0x82 with another version is not Compact.
  CHECK(detect_hex("82 22 01 04 45 63 68 6f 00") == wire::invalid);
  // Non-strict Apache binary: name length first.
  CHECK(detect_hex("00 00 00 04 45 63 68 6f 01") == wire::invalid);
  // KitexProtobuf framed is not served (yet).
  CHECK(detect_hex("00 00 00 14 90 01 00 01 00 00") == wire::invalid);
}

TEST_CASE("detect waits for 8 bytes unless nothing can match", "[detect]") {
  CHECK(detect(byte_span{}) == wire::need_more);
  CHECK(detect_hex("80") == wire::need_more);
  CHECK(detect_hex("80 01 00 01 00 00 00") == wire::need_more);
  CHECK(detect_hex("00 00 00 2b 10 00") == wire::need_more);
  CHECK(detect_hex("00 00 00 11 80 01 00") == wire::need_more);
  CHECK(detect_hex("50 52 49 20 2a") == wire::need_more); // "PRI *"
  CHECK(detect_hex("00") == wire::need_more);
  // Byte 0 with the top bit set is not a length, and not 0x80 either.
  CHECK(detect_hex("81") == wire::invalid);
  CHECK(detect_hex("ff") == wire::invalid);
  CHECK(detect_hex("80 02") == wire::invalid);
  // A length, but byte 4 is neither the TTHeader magic nor the version.
  CHECK(detect_hex("16 03 01 02 00") == wire::invalid);
  CHECK(detect_hex("00 00 00 11 80 02") == wire::invalid);
  CHECK(detect_hex("00 00 00 11 10 01") == wire::invalid);
  byte_buffer get;
  kitex::test::append(get, "GET / ");
  CHECK(detect(byte_span{get}) == wire::invalid);
}

TEST_CASE("describe_first_bytes renders like Kitex's invalid payload log",
          "[detect]") {
  byte_buffer get;
  kitex::test::append(get, "GET / HTTP/1.1");
  CHECK(describe_first_bytes(byte_span{get})
        == "first4Bytes=0x47455420, second4Bytes=0x2f204854");
  auto zeros = hex("00 00 00 11 00 00 00 00");
  CHECK(describe_first_bytes(byte_span{zeros})
        == "first4Bytes=0x11, second4Bytes=0x0");
  auto two = hex("ab cd");
  CHECK(describe_first_bytes(byte_span{two}) == "first4Bytes=0xabcd");
  CHECK(std::string{to_string(wire::http2)} == "http2");
}

TEST_CASE("framed and TTHeader frames split at every byte boundary",
          "[detect]") {
  for (auto [w, text] : {std::pair{wire::framed, framed_echo_hex},
                         std::pair{wire::ttheader, ttheader_echo_hex}}) {
    INFO(to_string(w));
    auto frame = hex(text);
    for (size_t n = 0; n < frame.size(); ++n) {
      INFO("prefix of " << n << " bytes");
      auto res = next_frame(w, byte_span{frame}.first(n), limits{});
      CHECK(res.status == split_result::need_more);
    }
    auto two = frame;
    two.insert(two.end(), frame.begin(), frame.end());
    for (auto* buf : {&frame, &two}) {
      auto res = split(w, *buf);
      CHECK(res.status == split_result::complete);
      CHECK(res.size == frame.size());
    }
  }
}

TEST_CASE("length prefixes are checked before anything is allocated",
          "[detect][limits]") {
  for (auto w : {wire::framed, wire::ttheader}) {
    INFO(to_string(w));
    limits lim;
    auto check = [&](const char* text, protocol_error expected) {
      auto in = hex(text);
      split_result res;
      CHECK(bytes_allocated_by([&] { res = split(w, in, lim); }) == 0);
      CHECK(res.status == split_result::error);
      CHECK(res.error_code == expected);
    };
    check("7f ff ff ff", protocol_error::size_limit);   // 2 GiB
    check("3f ff ff ff", protocol_error::size_limit);   // TTHeader's ceiling
    check("80 00 00 20", protocol_error::size_limit);   // top bit
    check("ff ff ff ff", protocol_error::size_limit);   // "negative"
    check("00 00 00 00", protocol_error::invalid_data); // empty frame
    lim.max_frame_size = 0xffffffff; // the top bit is refused regardless
    check("80 00 00 20", protocol_error::size_limit);
    lim.max_frame_size = 100;
    check("00 00 00 65", protocol_error::size_limit);
    // Exactly the limit is fine: wait for the rest.
    auto at_limit = w == wire::framed ? hex("00 00 00 64 80 01 00 01")
                                      : hex("00 00 00 64 10 00 00 00");
    CHECK(split(w, at_limit, lim).status == split_result::need_more);
  }
}

TEST_CASE("framed frames reject what cannot be a framed message", "[detect]") {
  auto fail = [](const char* text) {
    auto in = hex(text);
    auto res = split(wire::framed, in);
    CHECK(res.status == split_result::error);
    return res.error_code;
  };
  CHECK(fail("00 00 00 0c 80 01 00 01") == protocol_error::invalid_data);
  CHECK(fail("00 00 00 11 12 34 56 78") == protocol_error::invalid_data);
  CHECK(fail("00 00 00 14 90 01 00 01") == protocol_error::not_implemented);
  // TTHeader: LENGTH must cover the fixed part and one header word.
  auto short_tth = hex("00 00 00 0d 10 00 00 00");
  CHECK(split(wire::ttheader, short_tth).error_code
        == protocol_error::invalid_data);
  auto bad_magic = hex("00 00 00 2b 20 00");
  CHECK(split(wire::ttheader, bad_magic).error_code
        == protocol_error::invalid_data);
}

TEST_CASE("buffered messages split at every byte boundary", "[detect]") {
  auto msg = buffered_call();
  for (size_t n = 0; n < msg.size(); ++n) {
    INFO("prefix of " << n << " bytes");
    auto res = next_frame(wire::buffered, byte_span{msg}.first(n), limits{});
    CHECK(res.status == split_result::need_more);
  }
  auto res = split(wire::buffered, msg);
  CHECK(res.status == split_result::complete);
  CHECK(res.size == msg.size());
  auto two = msg;
  two.insert(two.end(), msg.begin(), msg.end());
  res = split(wire::buffered, two);
  CHECK(res.status == split_result::complete);
  CHECK(res.size == msg.size());
}

TEST_CASE("buffered messages larger than max_frame_size are refused",
          "[detect][limits]") {
  auto msg = buffered_call();
  limits lim;
  lim.max_frame_size = static_cast<uint32_t>(msg.size() - 1);
  // Incomplete and exactly at the limit: wait.
  auto res
    = next_frame(wire::buffered, byte_span{msg}.first(msg.size() - 1), lim);
  CHECK(res.status == split_result::need_more);
  byte_buffer big = msg;
  big.pop_back();      // drop the final stop: incomplete
  big.push_back(0x02); // a bool field header: incomplete, past the limit
  REQUIRE(big.size() == msg.size());
  res = split(wire::buffered, big, lim);
  CHECK(res.status == split_result::error);
  CHECK(res.error_code == protocol_error::size_limit);
  // Complete, but larger than the limit.
  res = split(wire::buffered, msg, lim);
  CHECK(res.status == split_result::error);
  CHECK(res.error_code == protocol_error::size_limit);
}

TEST_CASE("buffered messages with bad content are errors, not waits",
          "[detect][limits]") {
  auto fail = [](const byte_buffer& in) {
    auto res = split(wire::buffered, in);
    CHECK(res.status == split_result::error);
    return res.error_code;
  };
  auto header = hex("80 01 00 01 00 00 00 01 45 00 00 00 01");
  auto with = [&](const char* body) {
    auto out = header;
    auto b = hex(body);
    out.insert(out.end(), b.begin(), b.end());
    return out;
  };
  CHECK(fail(hex("00 00 00 04 45 63 68 6f 01")) == protocol_error::bad_version);
  CHECK(fail(with("05 00 01 00 00")) == protocol_error::invalid_data);
  CHECK(fail(with("0f 00 01 08 7f ff ff ff 00 00 00 01"))
        == protocol_error::size_limit);
  CHECK(fail(with("0b 00 01 ff ff ff ff")) == protocol_error::negative_size);
  byte_buffer deep = header;
  for (int i = 0; i < 64; ++i)
    deep.insert(deep.end(), {0x0c, 0x00, 0x01});
  deep.insert(deep.end(), 65, 0x00);
  CHECK(fail(deep) == protocol_error::depth_limit);
}

TEST_CASE("next_frame refuses wires it cannot split", "[detect]") {
  auto in = hex("50 52 49 20 2a 20 48 54");
  CHECK(split(wire::http2, in).error_code == protocol_error::not_implemented);
  CHECK(split(wire::invalid, in).error_code == protocol_error::invalid_data);
}
