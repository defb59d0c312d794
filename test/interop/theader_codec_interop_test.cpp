// Apache THeader against a real Apache Thrift C++ peer (libthrift 0.17's
// THeaderTransport and THeaderProtocol, from libthriftz), in memory: our
// decoder reads the frames libthrift writes, libthrift reads the frames our
// encoder writes, and one call yields the same bytes through both, over
// Thrift Binary and Compact, with and without KV headers.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include <thrift/protocol/THeaderProtocol.h>
#include <thrift/protocol/TProtocol.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/THeaderTransport.h>

#include "EchoServer.h"
#include "echo_types.h"
#include "kitex/remote/codec/theader/theader.hpp"
#include "kitex/remote/codec/thrift/binary_protocol.hpp"
#include "kitex/remote/codec/thrift/compact_protocol.hpp"

namespace {

using apache::thrift::protocol::T_BINARY_PROTOCOL;
using apache::thrift::protocol::T_CALL;
using apache::thrift::protocol::T_COMPACT_PROTOCOL;
using apache::thrift::protocol::T_REPLY;
using apache::thrift::protocol::THeaderProtocol;
using apache::thrift::protocol::TMessageType;
using apache::thrift::transport::THeaderTransport;
using apache::thrift::transport::TMemoryBuffer;
using kitex::remote::byte_buffer;
using kitex::remote::byte_span;
using kitex::remote::limits;
using kitex::remote::protocol_error;
using kitex::remote::thrift::binary_reader;
using kitex::remote::thrift::binary_writer;
using kitex::remote::thrift::compact_reader;
using kitex::remote::thrift::compact_writer;
using kitex::remote::thrift::message_header;
using kitex::remote::thrift::message_type;
using kitex::remote::thrift::ttype;
namespace theader = kitex::remote::theader;

using kv_list = std::vector<std::pair<std::string, std::string>>;

/// What one Echo call carries: EchoServer_Echo_args{1: Request{action, msg}}.
struct echo_call {
  int32_t seq_id = 0;
  std::string action;
  std::string msg;
};

std::string to_hex(byte_span in) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (auto b : in) {
    if (!out.empty())
      out += ' ';
    out += digits[b >> 4];
    out += digits[b & 0xf];
  }
  return out;
}

// -- libthrift side -----------------------------------------------------------

byte_buffer bytes_of(TMemoryBuffer& m) {
  uint8_t* p = nullptr;
  uint32_t n = 0;
  m.getBuffer(&p, &n);
  return byte_buffer{p, p + n};
}

std::shared_ptr<TMemoryBuffer> memory(const byte_buffer& bytes) {
  // TMemoryBuffer::COPY only reads from the pointer.
  return std::make_shared<TMemoryBuffer>(const_cast<uint8_t*>(bytes.data()),
                                         static_cast<uint32_t>(bytes.size()),
                                         TMemoryBuffer::COPY);
}

THeaderTransport& header_transport(THeaderProtocol& p) {
  return dynamic_cast<THeaderTransport&>(*p.getTransport());
}

/// The Echo call as a libthrift client frames it.
byte_buffer libthrift_write(uint16_t protocol_id, const echo_call& c,
                            const kv_list& kv) {
  auto mem = std::make_shared<TMemoryBuffer>();
  THeaderProtocol p{mem, protocol_id};
  for (const auto& [key, value] : kv)
    p.setHeader(key, value);
  apache_echo::EchoServer_Echo_args args;
  args.req.action = c.action;
  args.req.msg = c.msg;
  p.writeMessageBegin("Echo", T_CALL, c.seq_id);
  args.write(&p);
  p.writeMessageEnd();
  p.getTransport()->flush();
  return bytes_of(*mem);
}

// -- our side -----------------------------------------------------------------

template<class W>
void write_call(W& w, const echo_call& c) {
  w.write_message_begin("Echo", message_type::call, c.seq_id);
  w.write_struct_begin(); // args
  w.write_field_begin(ttype::struct_, 1);
  w.write_struct_begin(); // Request
  w.write_field_begin(ttype::string, 1);
  w.write_string(c.action);
  w.write_field_begin(ttype::string, 2);
  w.write_string(c.msg);
  w.write_field_stop();
  w.write_struct_end();
  w.write_field_stop();
  w.write_struct_end();
}

/// The Echo call as our encoder frames it.
byte_buffer our_write(uint8_t protocol_id, const echo_call& c,
                      const kv_list& kv, uint16_t flags = 0) {
  theader::header h;
  h.flags = flags;
  h.seq_id = c.seq_id;
  h.protocol_id = protocol_id;
  h.kv = kv;
  byte_buffer out;
  auto start = theader::begin_frame(out, h);
  if (protocol_id == theader::protocol_compact) {
    compact_writer w{out};
    write_call(w, c);
  } else {
    binary_writer w{out};
    write_call(w, c);
  }
  theader::finish_frame(out, start);
  return out;
}

/// Reads the fields of one struct with `f(id, type)`.
template<class R, class F>
bool read_fields(R& r, F f) {
  if (!r.enter())
    return false;
  for (;;) {
    ttype t;
    int16_t id;
    if (!r.read_field_begin(t, id))
      return false;
    if (t == ttype::stop)
      break;
    if (!f(id, t))
      return false;
  }
  r.leave();
  return true;
}

template<class R>
bool read_call(R& r, echo_call& c) {
  message_header m;
  if (!r.read_message_begin(m) || m.name != "Echo"
      || m.type != message_type::call)
    return false;
  c.seq_id = m.seq_id;
  return read_fields(r, [&](int16_t id, ttype t) {
    if (id != 1 || t != ttype::struct_)
      return r.skip(t);
    return read_fields(r, [&](int16_t id, ttype t) {
      if (id == 1 && t == ttype::string)
        return r.read_string(c.action);
      if (id == 2 && t == ttype::string)
        return r.read_string(c.msg);
      return r.skip(t);
    });
  });
}

/// Reads the payload after a decoded header in its protocol.
echo_call our_read_payload(byte_span payload, uint8_t protocol_id) {
  limits lim;
  echo_call c;
  if (protocol_id == theader::protocol_compact) {
    compact_reader r{payload, lim};
    CHECK(read_call(r, c));
    CHECK(r.remaining() == 0);
  } else {
    binary_reader r{payload, lim};
    CHECK(read_call(r, c));
    CHECK(r.remaining() == 0);
  }
  return c;
}

const echo_call sample{42, "echo", "hello, THeader"};

/// Sorted by key, as libthrift's std::map writes them; the long value makes
/// its length a two-byte varint.
const kv_list sample_kv = {
  {"caller", "kitex-actor"}, {"k", "v"}, {"trace-id", std::string(200, 't')}};

} // namespace

TEST_CASE("our decoder reads libthrift's THeader frames", "[theader]") {
  auto [protocol_id, kv] = GENERATE(table<uint8_t, kv_list>({
    {theader::protocol_binary, kv_list{}},
    {theader::protocol_binary, sample_kv},
    {theader::protocol_compact, kv_list{}},
    {theader::protocol_compact, sample_kv},
  }));
  int protocol = protocol_id;
  CAPTURE(protocol, kv.size());
  auto frame = libthrift_write(protocol_id, sample, kv);
  CHECK(theader::is_theader(frame));
  theader::header h;
  limits lim;
  auto res = theader::decode(frame, lim, h);
  REQUIRE(res.error == protocol_error::none);
  CHECK(h.flags == 0);
  CHECK(h.seq_id == sample.seq_id);
  CHECK(h.protocol_id == protocol_id);
  CHECK(h.transforms.empty());
  CHECK(h.kv == kv);
  auto c = our_read_payload(byte_span{frame}.subspan(res.payload_offset),
                            protocol_id);
  CHECK(c.seq_id == sample.seq_id);
  CHECK(c.action == sample.action);
  CHECK(c.msg == sample.msg);
}

TEST_CASE("our encoder writes libthrift's THeader bytes exactly", "[theader]") {
  auto [protocol_id, kv] = GENERATE(table<uint8_t, kv_list>({
    {theader::protocol_binary, kv_list{}},
    {theader::protocol_binary, kv_list{{"k", "v"}}},
    {theader::protocol_binary, sample_kv},
    {theader::protocol_compact, kv_list{}},
    {theader::protocol_compact, sample_kv},
  }));
  int protocol = protocol_id;
  CAPTURE(protocol, kv.size());
  auto ours = our_write(protocol_id, sample, kv);
  auto theirs = libthrift_write(protocol_id, sample, kv);
  CHECK(to_hex(ours) == to_hex(theirs));
}

TEST_CASE("libthrift's empty-header frame is the documented bytes",
          "[theader]") {
  // Pins what libthrift writes (see docs/protocols.md): 2 header bytes, then
  // 2 of padding; with {"k": "v"} the header is 8 bytes and padded with 4.
  echo_call c{1, "", ""};
  auto frame = libthrift_write(T_BINARY_PROTOCOL, c, {});
  CHECK(to_hex(byte_span{frame}.first(18))
        == "00 00 00 31 0f ff 00 00 00 00 00 01 00 01 00 00 00 00");
  frame = libthrift_write(T_BINARY_PROTOCOL, c, {{"k", "v"}});
  CHECK(to_hex(byte_span{frame}.first(26))
        == "00 00 00 39 0f ff 00 00 00 00 00 01 00 03 "
           "00 00 01 01 01 6b 01 76 00 00 00 00");
}

TEST_CASE("libthrift reads our THeader frames", "[theader]") {
  auto [protocol_id, kv] = GENERATE(table<uint8_t, kv_list>({
    {theader::protocol_binary, kv_list{}},
    {theader::protocol_binary, sample_kv},
    {theader::protocol_compact, kv_list{}},
    {theader::protocol_compact, sample_kv},
  }));
  int protocol = protocol_id;
  CAPTURE(protocol, kv.size());
  auto mem = memory(our_write(protocol_id, sample, kv));
  // Constructed for the other protocol: the frame's id must win.
  THeaderProtocol p{mem, protocol_id == theader::protocol_binary
                           ? T_COMPACT_PROTOCOL
                           : T_BINARY_PROTOCOL};
  std::string name;
  TMessageType type;
  int32_t seq_id = 0;
  p.readMessageBegin(name, type, seq_id);
  apache_echo::EchoServer_Echo_args args;
  args.read(&p);
  p.readMessageEnd();
  CHECK(name == "Echo");
  CHECK(type == T_CALL);
  CHECK(seq_id == sample.seq_id);
  CHECK(args.req.action == sample.action);
  CHECK(args.req.msg == sample.msg);
  CHECK(mem->available_read() == 0);
  auto& trans = header_transport(p);
  CHECK(trans.getProtocolId() == protocol_id);
  CHECK(trans.getSequenceNumber() == sample.seq_id);
  THeaderTransport::StringToStringMap expected(kv.begin(), kv.end());
  CHECK(p.getHeaders() == expected);
}

TEST_CASE("a libthrift server answers in the request's protocol and flags",
          "[theader]") {
  auto protocol_id
    = GENERATE(theader::protocol_binary, theader::protocol_compact);
  int protocol = protocol_id;
  CAPTURE(protocol);
  auto in = memory(our_write(protocol_id, sample, sample_kv, 0x0005));
  auto out = std::make_shared<TMemoryBuffer>();
  THeaderProtocol p{in, out}; // a server: one transport, both directions
  std::string name;
  TMessageType type;
  int32_t seq_id = 0;
  p.readMessageBegin(name, type, seq_id);
  apache_echo::EchoServer_Echo_args args;
  args.read(&p);
  p.readMessageEnd();
  apache_echo::EchoServer_Echo_result result;
  result.success.action = args.req.action;
  result.success.msg = args.req.msg;
  result.__isset.success = true;
  p.writeMessageBegin(name, T_REPLY, seq_id);
  result.write(&p);
  p.writeMessageEnd();
  p.getTransport()->flush();
  auto reply = bytes_of(*out);
  theader::header h;
  limits lim;
  auto res = theader::decode(reply, lim, h);
  REQUIRE(res.error == protocol_error::none);
  CHECK(h.flags == 0x0005); // echoed, not interpreted
  CHECK(h.seq_id == sample.seq_id);
  CHECK(h.protocol_id == protocol_id);
  CHECK(h.kv.empty()); // read headers are not sent back
}

TEST_CASE("libthrift and we both skip an unknown info id", "[theader]") {
  // KEYVALUE {"k": "v"}, then fbthrift's persistent KV (id 2) with one
  // pair: neither reader knows id 2, so both stop there.
  byte_buffer section = {0x00, 0x00,                       // binary, none
                         0x01, 0x01, 0x01, 'k', 0x01, 'v', // KEYVALUE
                         0x02, 0x01, 0x01, 'p', 0x01, 'q', // id 2
                         0x00, 0x00};                      // padding
  auto frame = our_write(theader::protocol_binary, sample, {});
  // Swap our 4-byte header section for the one above.
  frame.erase(frame.begin() + 14, frame.begin() + 18);
  frame.insert(frame.begin() + 14, section.begin(), section.end());
  frame[13] = static_cast<uint8_t>(section.size() / 4);
  kitex::remote::patch_u32(frame, 0, static_cast<uint32_t>(frame.size() - 4));
  theader::header h;
  limits lim;
  auto res = theader::decode(frame, lim, h);
  REQUIRE(res.error == protocol_error::none);
  CHECK(h.kv == kv_list{{"k", "v"}});
  CHECK(res.payload_offset == 14 + section.size());
  auto mem = memory(frame);
  THeaderProtocol p{mem};
  std::string name;
  TMessageType type;
  int32_t seq_id = 0;
  p.readMessageBegin(name, type, seq_id);
  CHECK(name == "Echo");
  CHECK(p.getHeaders() == THeaderTransport::StringToStringMap{{"k", "v"}});
}

TEST_CASE("a libthrift zlib frame is refused as not implemented", "[theader]") {
  auto mem = std::make_shared<TMemoryBuffer>();
  THeaderProtocol p{mem, T_BINARY_PROTOCOL};
  header_transport(p).setTransform(THeaderTransport::ZLIB_TRANSFORM);
  apache_echo::EchoServer_Echo_args args;
  p.writeMessageBegin("Echo", T_CALL, 1);
  args.write(&p);
  p.writeMessageEnd();
  p.getTransport()->flush();
  auto frame = bytes_of(*mem);
  theader::header h;
  limits lim;
  CHECK(theader::decode(frame, lim, h).error
        == protocol_error::not_implemented);
  CHECK(h.transforms == std::vector<uint8_t>{theader::transform_zlib});
}
