// Bad input from the network against a live server (reliability catalogue
// F1-F9, T3, T8, T9): each gets a closed connection or an exception reply
// within a second, no large allocation, and the server keeps serving.

#include "kitex/remote/codec/thrift/application_exception.hpp"
#include "support.hpp"

using namespace std::chrono_literals;
using kitex::remote::transport;

namespace {

/// The server answers a valid call on a fresh connection.
void require_serving(test::echo_fixture& fx) {
  test::raw_socket s{fx.port};
  REQUIRE(s.connected());
  REQUIRE(s.send_bytes(
    test::make_call(transport::framed, "Echo", {"echo", "canary"}, 9)));
  auto reply = test::read_reply(s, kitex::remote::detection::wire::framed);
  auto& env = reply.env;
  CHECK(env.msg.type == kitex::remote::thrift::message_type::reply);
  CHECK(env.msg.seq_id == 9);
}

std::vector<uint8_t> bytes(std::initializer_list<int> xs) {
  std::vector<uint8_t> out;
  for (auto x : xs)
    out.push_back(static_cast<uint8_t>(x));
  return out;
}

/// Sends `input` on a new connection and expects the server to close it.
void expect_closed(test::echo_fixture& fx, const std::vector<uint8_t>& input) {
  test::raw_socket s{fx.port, 1000ms};
  REQUIRE(s.connected());
  REQUIRE(s.send_bytes(input));
  CHECK(s.closed_by_peer());
  require_serving(fx);
}

} // namespace

TEST_CASE("a 2 GiB length prefix closes the connection without allocating") {
  test::echo_fixture fx;
  auto rss_before = test::rss_kib();
  // Framed: length 0x7fffffff, then a Thrift version word.
  expect_closed(fx, bytes({0x7f, 0xff, 0xff, 0xff, 0x80, 0x01, 0x00, 0x01}));
  // TTHeader: length 0x7ffffff0 with the TTHeader magic.
  expect_closed(fx, bytes({0x7f, 0xff, 0xff, 0xf0, 0x10, 0x00, 0x00, 0x00}));
  // Top bit set.
  expect_closed(fx, bytes({0x80, 0x00, 0x00, 0x10, 0x10, 0x00, 0x00, 0x00}));
  CHECK(test::rss_kib() - rss_before < 16 * 1024);
}

TEST_CASE("garbage, HTTP/1 and HTTP/2 first bytes close the connection") {
  test::echo_fixture fx;
  std::string get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  expect_closed(fx, std::vector<uint8_t>(get.begin(), get.end()));
  std::string h2 = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  expect_closed(fx, std::vector<uint8_t>(h2.begin(), h2.end()));
  expect_closed(fx, bytes({0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc,
                           0x03, 0x03}));
}

TEST_CASE("a string length larger than the frame closes the connection") {
  test::echo_fixture fx;
  // Framed, 17 bytes: version CALL, name length 0x10000000, "Echo", ...
  expect_closed(
    fx, bytes({0x00, 0x00, 0x00, 0x11, 0x80, 0x01, 0x00, 0x01, 0x10, 0x00, 0x00,
               0x00, 0x45, 0x63, 0x68, 0x6f, 0x00, 0x00, 0x00, 0x01, 0x00}));
  // A field string inside the args declares 1 GiB.
  auto call = test::make_call(transport::framed, "Echo", {"a", "b"}, 1);
  // args: 0c 0001 | 0b 0001 <len=1> 'a' ...: patch the first string length.
  auto at = 4 + 4 + 4 + 4 + 4 + 3 + 3;
  call[at] = 0x40;
  {
    test::raw_socket s{fx.port, 1000ms};
    REQUIRE(s.send_bytes(call));
    // A decodable message header: a protocol-error exception reply.
    auto reply = test::read_reply(s, kitex::remote::detection::wire::framed);
    CHECK(reply.env.msg.type == kitex::remote::thrift::message_type::exception);
    auto ex = reply.exception();
    CHECK(ex.type == kitex::remote::thrift::exception_type::protocol_error);
  }
  require_serving(fx);
}

TEST_CASE("a truncated frame is closed at the read timeout") {
  test::echo_fixture fx{2, kitex::server::with_read_write_timeout(200ms)};
  auto call = test::make_call(transport::framed, "Echo", {"echo", "x"}, 1);
  call.resize(call.size() - 5);
  test::raw_socket s{fx.port, 2000ms};
  REQUIRE(s.send_bytes(call));
  auto t0 = std::chrono::steady_clock::now();
  CHECK(s.closed_by_peer());
  CHECK(std::chrono::steady_clock::now() - t0 < 1500ms);
  require_serving(fx);
}

TEST_CASE("an unknown method gets exception type 1 on a usable connection") {
  test::echo_fixture fx;
  for (auto tp : {transport::framed, transport::ttheader}) {
    test::raw_socket s{fx.port};
    REQUIRE(s.send_bytes(test::make_call(tp, "NoSuch", {"a", "b"}, 5)));
    auto w = tp == transport::framed ? kitex::remote::detection::wire::framed
                                     : kitex::remote::detection::wire::ttheader;
    auto reply = test::read_reply(s, w);
    auto& env = reply.env;
    CHECK(env.msg.type == kitex::remote::thrift::message_type::exception);
    CHECK(env.msg.name == "NoSuch");
    CHECK(env.msg.seq_id == 5);
    auto ex = reply.exception();
    CHECK(ex.type == kitex::remote::thrift::exception_type::unknown_method);
    // Same connection still serves.
    REQUIRE(s.send_bytes(test::make_call(tp, "Echo", {"echo", "y"}, 6)));
    auto ok = test::read_reply(s, w);
    CHECK(ok.env.msg.type == kitex::remote::thrift::message_type::reply);
    CHECK(ok.env.msg.seq_id == 6);
  }
}

TEST_CASE("an unknown IDL service name gets exception type 20") {
  test::echo_fixture fx;
  kitex::remote::ttheader::header hdr;
  hdr.str_kv.emplace_back("isn", "NoSuchService");
  test::raw_socket s{fx.port};
  REQUIRE(s.send_bytes(
    test::make_call(transport::ttheader, "Echo", {"a", "b"}, 3, hdr)));
  auto reply = test::read_reply(s, kitex::remote::detection::wire::ttheader);
  auto& env = reply.env;
  auto ex = reply.exception();
  CHECK(ex.type == kitex::remote::thrift::exception_type::unknown_service);
}

TEST_CASE("a reply message type sent as a call closes the connection") {
  test::echo_fixture fx;
  auto call = test::make_call(transport::framed, "Echo", {"a", "b"}, 1);
  call[7] = 0x02; // REPLY instead of CALL
  test::raw_socket s{fx.port, 1000ms};
  REQUIRE(s.send_bytes(call));
  auto reply = test::read_reply(s, kitex::remote::detection::wire::framed);
  auto& env = reply.env;
  CHECK(env.msg.type == kitex::remote::thrift::message_type::exception);
  CHECK(s.closed_by_peer());
  require_serving(fx);
}
