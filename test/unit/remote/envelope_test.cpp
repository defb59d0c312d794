#include "kitex/remote/codec/envelope.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "kitex/remote/codec/thrift/application_exception.hpp"
#include "unit/remote/hex.hpp"
#include "unit/remote/printers.hpp"

using namespace kitex::remote;
using detection::wire;
using kitex::test::hex;
using kitex::test::to_hex;

namespace {

constexpr const char* framed_echo_hex
  = "00 00 00 11 80 01 00 01 00 00 00 04 45 63 68 6f 00 00 00 01 00";

constexpr const char* ttheader_echo_hex
  = "00 00 00 2b 10 00 00 00 00 00 00 01 00 04 00 00"
    "10 00 01 00 09 00 04 45 63 68 6f 00 00 00"
    "80 01 00 01 00 00 00 04 45 63 68 6f 00 00 00 01 00";

ttheader::header echo_header() {
  ttheader::header h;
  h.int_kv.emplace_back(ttheader::to_method, "Echo");
  return h;
}

/// Appends an "Echo" call with empty args in transport `tp`.
void encode_echo(byte_buffer& out, transport tp, const ttheader::header* h,
                 int32_t seq_id) {
  frame_encoder enc{out};
  enc.begin(tp, protocol::binary, h, "Echo", thrift::message_type::call,
            seq_id);
  enc.writer().write_field_stop();
  enc.finish();
}

protocol_error decode_hex(wire w, const byte_buffer& frame, envelope& out) {
  return decode_envelope(w, byte_span{frame}, limits{}, out);
}

/// True if `view` lies inside `frame` (borrowed, not copied).
bool borrows_from(std::string_view view, const byte_buffer& frame) {
  auto p = reinterpret_cast<const uint8_t*>(view.data());
  return p >= frame.data() && p + view.size() <= frame.data() + frame.size();
}

} // namespace

TEST_CASE("frame_encoder writes the framed bytes of kitex.md 2.12",
          "[envelope]") {
  byte_buffer out;
  encode_echo(out, transport::framed, nullptr, 1);
  CHECK(to_hex(out) == to_hex(hex(framed_echo_hex)));
  byte_buffer bare;
  encode_echo(bare, transport::buffered, nullptr, 1);
  CHECK(to_hex(bare) == to_hex(byte_span{hex(framed_echo_hex)}.subspan(4)));
}

TEST_CASE("frame_encoder writes the TTHeader bytes of kitex.md 2.12",
          "[envelope]") {
  auto h = echo_header();
  h.seq_id = 99; // replaced by the message's seq id
  byte_buffer out;
  encode_echo(out, transport::ttheader, &h, 1);
  REQUIRE(out.size() == 47);
  CHECK(to_hex(out) == to_hex(hex(ttheader_echo_hex)));
}

TEST_CASE("frame_encoder writes the exception reply of kitex.md 2.12",
          "[envelope][exception]") {
  byte_buffer out;
  frame_encoder enc{out};
  enc.begin(transport::buffered, protocol::binary, nullptr, "Echo",
            thrift::message_type::exception, 1);
  thrift::write_application_exception(
    enc.writer(), {"unknown method", thrift::exception_type::unknown_method});
  enc.finish();
  auto expected = hex("80 01 00 03 00 00 00 04 45 63 68 6f 00 00 00 01"
                      "0b 00 01 00 00 00 0e");
  kitex::test::append(expected, "unknown method");
  auto tail = hex("08 00 02 00 00 00 01 00");
  expected.insert(expected.end(), tail.begin(), tail.end());
  REQUIRE(expected.size() == 45);
  CHECK(to_hex(out) == to_hex(expected));
  envelope env;
  REQUIRE(decode_hex(wire::buffered, out, env) == protocol_error::none);
  CHECK(env.msg.type == thrift::message_type::exception);
  limits lim;
  thrift::binary_reader r{env.body, lim};
  thrift::application_exception x;
  REQUIRE(thrift::read_application_exception(r, x));
  CHECK(x.message == "unknown method");
  CHECK(x.type == thrift::exception_type::unknown_method);
}

TEST_CASE("frame_encoder TTHeader-framed nests a length inside the header",
          "[envelope]") {
  auto h = echo_header();
  byte_buffer out;
  encode_echo(out, transport::ttheader_framed, &h, 7);
  // 30 bytes of TTHeader, then u32 17, then the 17-byte message.
  REQUIRE(out.size() == 30 + 4 + 17);
  CHECK(get_u32(out.data()) == out.size() - 4);
  CHECK(get_u32(out.data() + 8) == 7);
  CHECK(get_u32(out.data() + 30) == 17);
  envelope env;
  REQUIRE(decode_hex(wire::ttheader, out, env) == protocol_error::none);
  CHECK(env.tp == transport::ttheader_framed);
  CHECK(env.header.seq_id == 7);
  CHECK(env.msg.name == "Echo");
  CHECK(env.msg.seq_id == 7);
  CHECK(to_hex(env.body) == "00");
}

TEST_CASE("decode_envelope reads every transport and borrows the name",
          "[envelope]") {
  auto h = echo_header();
  for (auto tp : {transport::buffered, transport::framed, transport::ttheader,
                  transport::ttheader_framed, transport::theader}) {
    INFO(to_string(tp));
    byte_buffer frame;
    encode_echo(frame, tp, &h, 42);
    auto w = detection::detect(byte_span{frame});
    envelope env;
    REQUIRE(decode_hex(w, frame, env) == protocol_error::none);
    CHECK(env.tp == tp);
    CHECK(env.msg.name == "Echo");
    CHECK(env.msg.type == thrift::message_type::call);
    CHECK(env.msg.seq_id == 42);
    CHECK(borrows_from(env.msg.name, frame));
    CHECK(env.body.size() == 1);
    CHECK(env.body.data() == frame.data() + frame.size() - 1);
    bool tth = tp == transport::ttheader || tp == transport::ttheader_framed;
    CHECK((env.header.find(uint16_t{ttheader::to_method}) != nullptr) == tth);
  }
}

TEST_CASE("frames appended one after another split and decode", "[envelope]") {
  auto h = echo_header();
  byte_buffer out;
  encode_echo(out, transport::ttheader, &h, 1);
  encode_echo(out, transport::ttheader_framed, &h, 2);
  encode_echo(out, transport::ttheader, &h, 3);
  byte_span rest{out};
  for (int32_t seq = 1; seq <= 3; ++seq) {
    auto res = detection::next_frame(wire::ttheader, rest, limits{});
    REQUIRE(res.status == detection::split_result::complete);
    envelope env;
    REQUIRE(decode_envelope(wire::ttheader, rest.first(res.size), limits{}, env)
            == protocol_error::none);
    CHECK(env.msg.seq_id == seq);
    CHECK(env.header.seq_id == seq);
    CHECK(env.tp
          == (seq == 2 ? transport::ttheader_framed : transport::ttheader));
    rest = rest.subspan(res.size);
  }
  CHECK(rest.empty());
}

TEST_CASE("decode_envelope rejects payloads it cannot read", "[envelope]") {
  envelope env;
  auto tth = [](const char* payload, uint8_t protocol_id = 0) {
    ttheader::header h;
    h.protocol_id = protocol_id;
    byte_buffer out;
    auto start = ttheader::begin_frame(out, h);
    auto p = hex(payload);
    out.insert(out.end(), p.begin(), p.end());
    ttheader::finish_frame(out, start);
    return out;
  };
  // KitexProtobuf inside TTHeader (kitex.md 2.12 bytes).
  CHECK(decode_hex(wire::ttheader,
                   tth("00 00 00 14 90 01 00 01 00 00 00 04 45 63 68 6f"
                       "00 00 00 01 0a 02 68 69"),
                   env)
        == protocol_error::not_implemented);
  CHECK(decode_hex(wire::ttheader, tth("12 34 56 78 9a bc de f0"), env)
        == protocol_error::invalid_data);
  CHECK(decode_hex(wire::ttheader, tth(""), env)
        == protocol_error::invalid_data);
  // Inner length that disagrees with the payload.
  CHECK(decode_hex(wire::ttheader,
                   tth("00 00 00 12 80 01 00 01 00 00 00 04 45 63 68 6f"
                       "00 00 00 01 00"),
                   env)
        == protocol_error::invalid_data);
  // Message header cut short inside a complete frame.
  CHECK(decode_hex(wire::ttheader, tth("80 01 00 01 00 00 00 08 45"), env)
        == protocol_error::invalid_data);
}

TEST_CASE("decode_envelope rejects bad framed and buffered frames",
          "[envelope]") {
  envelope env;
  auto frame = hex(framed_echo_hex);
  frame.push_back(0x00);
  CHECK(decode_hex(wire::framed, frame, env) == protocol_error::invalid_data);
  CHECK(decode_hex(wire::framed, hex("00 00 00"), env)
        == protocol_error::invalid_data);
  // Non-strict Apache binary (name length first) is neither protocol.
  CHECK(decode_hex(wire::buffered, hex("00 00 00 04 45 63 68 6f 01"), env)
        == protocol_error::invalid_data);
  CHECK(decode_hex(wire::http2, frame, env) == protocol_error::not_implemented);
  CHECK(decode_hex(wire::invalid, frame, env) == protocol_error::invalid_data);
}

TEST_CASE("decode_envelope forgets the previous frame's header", "[envelope]") {
  envelope env;
  REQUIRE(decode_hex(wire::ttheader, hex(ttheader_echo_hex), env)
          == protocol_error::none);
  CHECK(!env.header.int_kv.empty());
  REQUIRE(decode_hex(wire::framed, hex(framed_echo_hex), env)
          == protocol_error::none);
  CHECK(env.header.int_kv.empty());
  CHECK(env.tp == transport::framed);
}

TEST_CASE("transport names round-trip", "[envelope]") {
  for (auto tp : {transport::buffered, transport::framed, transport::ttheader,
                  transport::ttheader_framed})
    CHECK(parse_transport(to_string(tp)) == tp);
  CHECK(std::string{to_string(transport::ttheader_framed)}
        == "ttheader-framed");
  CHECK(!parse_transport("ttheader_framed"));
  CHECK(!parse_transport(""));
}

TEST_CASE("Thrift Compact travels in every transport", "[envelope][compact]") {
  // Compact call "Echo", seq 1, empty args: protocol id 0x82, call << 5 |
  // version 1, seq varint, name varint length and bytes, stop.
  const char* compact_call = "82 21 01 04 45 63 68 6f 00";
  for (auto tp : {transport::buffered, transport::framed, transport::ttheader,
                  transport::ttheader_framed, transport::theader}) {
    INFO(to_string(tp));
    byte_buffer out;
    frame_encoder enc{out};
    ttheader::header h;
    enc.begin(tp, protocol::compact, &h, "Echo", thrift::message_type::call, 1);
    enc.compact().write_struct_begin();
    enc.compact().write_field_stop();
    enc.compact().write_struct_end();
    enc.finish();
    auto tail = hex(compact_call);
    REQUIRE(out.size() >= tail.size());
    CHECK(to_hex(byte_span{out}.last(tail.size())) == to_hex(tail));
    auto w = detection::detect(byte_span{out});
    auto split = detection::next_frame(w, byte_span{out}, limits{});
    REQUIRE(split.status == detection::split_result::complete);
    CHECK(split.size == out.size());
    envelope env;
    REQUIRE(decode_hex(w, out, env) == protocol_error::none);
    CHECK(env.tp == tp);
    CHECK(env.proto == protocol::compact);
    CHECK(env.msg.name == "Echo");
    CHECK(env.msg.type == thrift::message_type::call);
    CHECK(env.msg.seq_id == 1);
    CHECK(to_hex(env.body) == "00");
    if (tp == transport::ttheader || tp == transport::ttheader_framed) {
      // TTHeader says Compact in its protocol id (2).
      CHECK(out[ttheader::fixed_size] == ttheader::protocol_thrift_compact);
      CHECK(env.header.protocol_id == ttheader::protocol_thrift_compact);
    }
  }
}

TEST_CASE("a buffered Compact message is split by walking it",
          "[envelope][compact]") {
  auto msg = hex("82 21 01 04 45 63 68 6f 15 0a 00");
  // One i32 field (id 1, value 5), stop: complete only with its last byte.
  for (size_t n = 1; n < msg.size(); ++n)
    CHECK(
      detection::next_frame(wire::buffered, byte_span{msg}.first(n), limits{})
        .status
      == detection::split_result::need_more);
  auto split = detection::next_frame(wire::buffered, byte_span{msg}, limits{});
  REQUIRE(split.status == detection::split_result::complete);
  CHECK(split.size == msg.size());
}

TEST_CASE("Apache THeader frames carry both protocols and KV headers",
          "[envelope][theader]") {
  for (auto proto : {protocol::binary, protocol::compact}) {
    INFO(to_string(proto));
    byte_buffer out;
    frame_encoder enc{out};
    ttheader::header h;
    h.flags = 0x0001;
    h.str_kv.emplace_back("isn", "EchoServer");
    enc.begin(transport::theader, proto, &h, "Echo", thrift::message_type::call,
              42);
    enc.write_body([](auto& w) {
      w.write_struct_begin();
      w.write_field_stop();
      w.write_struct_end();
    });
    enc.finish();
    REQUIRE(detection::detect(byte_span{out}) == wire::theader);
    auto split = detection::next_frame(wire::theader, byte_span{out}, limits{});
    REQUIRE(split.status == detection::split_result::complete);
    CHECK(split.size == out.size());
    envelope env;
    REQUIRE(decode_hex(wire::theader, out, env) == protocol_error::none);
    CHECK(env.tp == transport::theader);
    CHECK(env.proto == proto);
    CHECK(env.msg.name == "Echo");
    CHECK(env.msg.seq_id == 42);
    CHECK(env.header.seq_id == 42);
    CHECK(env.header.flags == 0x0001);
    REQUIRE(env.header.find("isn"));
    CHECK(*env.header.find("isn") == "EchoServer");
  }
}

TEST_CASE("a THeader payload must be in the protocol its header names",
          "[envelope][theader]") {
  byte_buffer out;
  frame_encoder enc{out};
  enc.begin(transport::theader, protocol::binary, nullptr, "Echo",
            thrift::message_type::call, 1);
  enc.writer().write_field_stop();
  enc.finish();
  // The protocol id varint is the first byte after HEADER SIZE: say Compact.
  REQUIRE(out[theader::fixed_size] == theader::protocol_binary);
  out[theader::fixed_size] = theader::protocol_compact;
  envelope env;
  CHECK(decode_hex(wire::theader, out, env) == protocol_error::invalid_data);
}
