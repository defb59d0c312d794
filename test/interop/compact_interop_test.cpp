// Thrift Compact against a real Apache Thrift C++ peer (libthrift 0.17's
// TCompactProtocol), in memory: libthrift's generated echo code reads what our
// compact_writer writes and our compact_reader reads what libthrift writes,
// message headers included; and one call sequence yields the same bytes
// through both writers. (libthrift 0.17 has no uuid, so none is sent.)

#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/protocol/TProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include "EchoServer.h"
#include "echo.kitex.hpp"
#include "echo_types.h"
#include "kitex/remote/codec/thrift/compact_protocol.hpp"

namespace {

using apache::thrift::protocol::TCompactProtocol;
using apache::thrift::protocol::TMessageType;
using apache::thrift::protocol::TType;
using apache::thrift::transport::TMemoryBuffer;
using kitex::remote::byte_buffer;
using kitex::remote::limits;
using kitex::remote::protocol_error;
using kitex::remote::thrift::compact_reader;
using kitex::remote::thrift::compact_writer;
using kitex::remote::thrift::message_header;
using kitex::remote::thrift::message_type;
using kitex::remote::thrift::ttype;

// -- the echo types over our protocols, shaped like generated code ------------

template<class W>
void write_struct(W& w, const echo::Request& x) {
  w.write_struct_begin();
  w.write_field_begin(ttype::string, 1);
  w.write_string(x.action);
  w.write_field_begin(ttype::string, 2);
  w.write_string(x.msg);
  w.write_field_stop();
  w.write_struct_end();
}

template<class W>
void write_struct(W& w, const echo::EchoError& x) {
  w.write_struct_begin();
  w.write_field_begin(ttype::i32, 1);
  w.write_i32(x.code);
  w.write_field_begin(ttype::string, 2);
  w.write_string(x.message);
  w.write_field_stop();
  w.write_struct_end();
}

/// Reads field 1 and 2 with `f(r, id, type)`; skips anything else.
template<class R, class F>
bool read_struct_fields(R& r, F f) {
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
bool read_struct(R& r, echo::Request& x) {
  return read_struct_fields(r, [&](int16_t id, ttype t) {
    if (id == 1 && t == ttype::string)
      return r.read_string(x.action);
    if (id == 2 && t == ttype::string)
      return r.read_string(x.msg);
    return r.skip(t);
  });
}

template<class R>
bool read_struct(R& r, echo::EchoError& x) {
  return read_struct_fields(r, [&](int16_t id, ttype t) {
    if (id == 1 && t == ttype::i32)
      return r.read_i32(x.code);
    if (id == 2 && t == ttype::string)
      return r.read_string(x.message);
    return r.skip(t);
  });
}

// -- libthrift side -----------------------------------------------------------

/// A libthrift memory transport holding a copy of `bytes`.
std::shared_ptr<TMemoryBuffer> memory(byte_buffer bytes) {
  return std::make_shared<TMemoryBuffer>(
    bytes.data(), static_cast<uint32_t>(bytes.size()), TMemoryBuffer::COPY);
}

byte_buffer bytes_of(TMemoryBuffer& m) {
  uint8_t* p = nullptr;
  uint32_t n = 0;
  m.getBuffer(&p, &n);
  return byte_buffer{p, p + n};
}

/// Decodes `bytes` with libthrift's generated code for T.
template<class T>
T libthrift_read(byte_buffer bytes) {
  auto mem = memory(std::move(bytes));
  TCompactProtocol proto{mem};
  T x;
  x.read(&proto);
  CHECK(mem->available_read() == 0);
  return x;
}

/// Encodes `x` with libthrift's generated code.
template<class T>
byte_buffer libthrift_write(const T& x) {
  auto mem = std::make_shared<TMemoryBuffer>();
  TCompactProtocol proto{mem};
  x.write(&proto);
  return bytes_of(*mem);
}

template<class T>
byte_buffer our_write(const T& x) {
  byte_buffer out;
  compact_writer w{out};
  write_struct(w, x);
  w.flush();
  return out;
}

template<class T>
T our_read(const byte_buffer& bytes) {
  limits lim;
  compact_reader r{bytes, lim};
  T x;
  CHECK(read_struct(r, x));
  CHECK(r.error() == protocol_error::none);
  CHECK(r.remaining() == 0);
  return x;
}

/// Our writer's names over libthrift's TCompactProtocol, so one call sequence
/// drives both (ttype values are Apache's TType values).
struct libthrift_writer {
  TCompactProtocol& p;

  void write_struct_begin() {
    p.writeStructBegin("");
  }
  void write_struct_end() {
    p.writeStructEnd();
  }
  void write_field_begin(ttype t, int16_t id) {
    p.writeFieldBegin("", static_cast<TType>(t), id);
  }
  void write_field_stop() {
    p.writeFieldStop();
  }
  void write_bool(bool x) {
    p.writeBool(x);
  }
  void write_byte(int8_t x) {
    p.writeByte(x);
  }
  void write_i16(int16_t x) {
    p.writeI16(x);
  }
  void write_i32(int32_t x) {
    p.writeI32(x);
  }
  void write_i64(int64_t x) {
    p.writeI64(x);
  }
  void write_double(double x) {
    p.writeDouble(x);
  }
  void write_string(const std::string& x) {
    p.writeString(x);
  }
  void write_binary(const std::string& x) {
    p.writeBinary(x);
  }
  void write_list_begin(ttype t, uint32_t n) {
    p.writeListBegin(static_cast<TType>(t), n);
  }
  void write_set_begin(ttype t, uint32_t n) {
    p.writeSetBegin(static_cast<TType>(t), n);
  }
  void write_map_begin(ttype k, ttype v, uint32_t n) {
    p.writeMapBegin(static_cast<TType>(k), static_cast<TType>(v), n);
  }
};

/// Every compact feature libthrift 0.17 has: bool fields and elements,
/// short/long/negative field ids, nested structs, long lists, empty maps.
template<class W>
void write_everything(W& w) {
  w.write_struct_begin();
  w.write_field_begin(ttype::bool_, 1);
  w.write_bool(true);
  w.write_field_begin(ttype::bool_, 2);
  w.write_bool(false);
  w.write_field_begin(ttype::byte, 3);
  w.write_byte(-1);
  w.write_field_begin(ttype::i16, 4);
  w.write_i16(-300);
  w.write_field_begin(ttype::i32, 5);
  w.write_i32(std::numeric_limits<int32_t>::min());
  w.write_field_begin(ttype::i64, 6);
  w.write_i64(std::numeric_limits<int64_t>::max());
  w.write_field_begin(ttype::double_, 7);
  w.write_double(-1.5);
  w.write_field_begin(ttype::string, 8);
  w.write_string(std::string(300, 'x')); // two-byte length
  w.write_field_begin(ttype::string, 9);
  w.write_binary(std::string("\0\x01", 2));
  w.write_field_begin(ttype::i64, 40);
  w.write_i64(std::numeric_limits<int64_t>::min());
  w.write_field_begin(ttype::i32, -3);
  w.write_i32(1);
  w.write_field_begin(ttype::bool_, -2);
  w.write_bool(true);
  w.write_field_begin(ttype::bool_, 100);
  w.write_bool(false);
  w.write_field_begin(ttype::struct_, 101);
  w.write_struct_begin();
  w.write_field_begin(ttype::i32, 1);
  w.write_i32(5);
  w.write_field_begin(ttype::list, 20);
  w.write_list_begin(ttype::bool_, 3);
  w.write_bool(true);
  w.write_bool(false);
  w.write_bool(true);
  w.write_field_stop();
  w.write_struct_end();
  w.write_field_begin(ttype::list, 102);
  w.write_list_begin(ttype::i32, 20);
  for (int32_t i = 0; i < 20; ++i)
    w.write_i32(i - 10);
  w.write_field_begin(ttype::set, 103);
  w.write_set_begin(ttype::string, 0);
  w.write_field_begin(ttype::map, 104);
  w.write_map_begin(ttype::string, ttype::i32, 0);
  w.write_field_begin(ttype::map, 105);
  w.write_map_begin(ttype::i16, ttype::list, 1);
  w.write_i16(7);
  w.write_list_begin(ttype::double_, 1);
  w.write_double(0.5);
  w.write_field_begin(ttype::list, 106);
  w.write_list_begin(ttype::struct_, 2);
  for (int32_t k : {1, 2}) {
    w.write_struct_begin();
    w.write_field_begin(ttype::i32, 1);
    w.write_i32(k);
    w.write_field_stop();
    w.write_struct_end();
  }
  w.write_field_begin(ttype::byte, 32767);
  w.write_byte(1);
  w.write_field_stop();
  w.write_struct_end();
}

} // namespace

TEST_CASE("libthrift reads the echo types our compact_writer writes",
          "[interop][compact]") {
  for (const echo::Request& x :
       {echo::Request{"echo", "hello"}, echo::Request{"", ""},
        echo::Request{"a", std::string(1000, 'm')}}) {
    auto got = libthrift_read<apache_echo::Request>(our_write(x));
    CHECK(got.action == x.action);
    CHECK(got.msg == x.msg);
  }
  for (const echo::EchoError& x :
       {echo::EchoError{-7, "boom"},
        echo::EchoError{std::numeric_limits<int32_t>::min(), ""}}) {
    auto got = libthrift_read<apache_echo::EchoError>(our_write(x));
    CHECK(got.code == x.code);
    CHECK(got.message == x.message);
  }
}

TEST_CASE("our compact_reader reads the echo types libthrift writes",
          "[interop][compact]") {
  apache_echo::Request req;
  req.action = "echo";
  req.msg = std::string(200, 'z');
  CHECK(our_read<echo::Request>(libthrift_write(req))
        == echo::Request{req.action, req.msg});
  apache_echo::EchoError err;
  err.__set_code(std::numeric_limits<int32_t>::max());
  err.__set_message("bad");
  CHECK(our_read<echo::EchoError>(libthrift_write(err))
        == echo::EchoError{err.code, err.message});
}

TEST_CASE("compact message headers cross between libthrift and us",
          "[interop][compact]") {
  struct sample {
    TMessageType apache;
    message_type ours;
    int32_t seq;
  };
  for (auto s :
       {sample{apache::thrift::protocol::T_CALL, message_type::call, 1},
        sample{apache::thrift::protocol::T_REPLY, message_type::reply, -1},
        sample{apache::thrift::protocol::T_EXCEPTION, message_type::exception,
               1 << 30},
        sample{apache::thrift::protocol::T_ONEWAY, message_type::oneway, 0}}) {
    INFO("seq " << s.seq);
    auto mem = std::make_shared<TMemoryBuffer>();
    TCompactProtocol proto{mem};
    proto.writeMessageBegin("Echo", s.apache, s.seq);
    auto theirs = bytes_of(*mem);
    byte_buffer ours;
    compact_writer{ours}.write_message_begin("Echo", s.ours, s.seq);
    CHECK(ours == theirs);
    limits lim;
    compact_reader r{theirs, lim};
    message_header h;
    REQUIRE(r.read_message_begin(h));
    CHECK(h.name == "Echo");
    CHECK(h.type == s.ours);
    CHECK(h.seq_id == s.seq);
    CHECK(r.remaining() == 0);
    TCompactProtocol back{memory(ours)};
    std::string name;
    TMessageType type;
    int32_t seq = 0;
    back.readMessageBegin(name, type, seq);
    CHECK(name == "Echo");
    CHECK(type == s.apache);
    CHECK(seq == s.seq);
  }
}

TEST_CASE("an Echo call and a reply cross between libthrift and us",
          "[interop][compact]") {
  SECTION("our call, read by libthrift's generated args") {
    byte_buffer out;
    compact_writer w{out};
    w.write_message_begin("Echo", message_type::call, 9);
    w.write_struct_begin();
    w.write_field_begin(ttype::struct_, 1);
    write_struct(w, echo::Request{"act", "msg"});
    w.write_field_stop();
    w.write_struct_end();
    w.flush();
    auto mem = memory(out);
    TCompactProtocol proto{mem};
    std::string name;
    TMessageType type;
    int32_t seq = 0;
    proto.readMessageBegin(name, type, seq);
    apache_echo::EchoServer_Echo_args args;
    args.read(&proto);
    proto.readMessageEnd();
    CHECK(name == "Echo");
    CHECK(type == apache::thrift::protocol::T_CALL);
    CHECK(seq == 9);
    CHECK(args.req.action == "act");
    CHECK(args.req.msg == "msg");
    CHECK(mem->available_read() == 0);
  }
  SECTION("libthrift's exception reply, read by us") {
    auto mem = std::make_shared<TMemoryBuffer>();
    TCompactProtocol proto{mem};
    proto.writeMessageBegin("Echo", apache::thrift::protocol::T_REPLY, 11);
    apache_echo::EchoServer_Echo_result result;
    result.err.__set_code(42);
    result.err.__set_message("nope");
    result.__isset.err = true;
    result.write(&proto);
    proto.writeMessageEnd();
    auto in = bytes_of(*mem);
    limits lim;
    compact_reader r{in, lim};
    message_header h;
    REQUIRE(r.read_message_begin(h));
    CHECK(h.type == message_type::reply);
    CHECK(h.seq_id == 11);
    echo::EchoError err;
    bool has_err = false;
    REQUIRE(read_struct_fields(r, [&](int16_t id, ttype t) {
      if (id == 1 && t == ttype::struct_)
        return has_err = read_struct(r, err);
      return r.skip(t);
    }));
    CHECK(has_err);
    CHECK(err == echo::EchoError{42, "nope"});
    CHECK(r.remaining() == 0);
  }
}

TEST_CASE("one call sequence gives the same bytes through libthrift and us",
          "[interop][compact]") {
  byte_buffer ours;
  compact_writer w{ours};
  write_everything(w);
  w.flush();
  auto mem = std::make_shared<TMemoryBuffer>();
  TCompactProtocol proto{mem};
  libthrift_writer lw{proto};
  write_everything(lw);
  auto theirs = bytes_of(*mem);
  CHECK(ours == theirs);
  // Each side walks the other's bytes to the end.
  limits lim;
  compact_reader r{theirs, lim};
  CHECK(r.skip(ttype::struct_));
  CHECK(r.remaining() == 0);
  auto back = memory(ours);
  TCompactProtocol their_reader{back};
  apache::thrift::protocol::skip(their_reader,
                                 apache::thrift::protocol::T_STRUCT);
  CHECK(back->available_read() == 0);
}
