// What goes on the wire in TTHeader headers, byte for byte where it matters:
// the request our client writes (isn, the integer keys of Kitex's
// ClientTTHeaderHandler, metainfo, the ACL token block, crc32c), and the
// reply headers our server writes (backward values, biz status, crc32c).

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <future>
#include <string>

#include <catch2/catch.hpp>

#include "kitex/metainfo/metainfo.hpp"
#include "kitex/remote/codec/ttheader/checksum.hpp"
#include "support.hpp"

using namespace std::chrono_literals;
using kitex::remote::transport;
using kitex::remote::detection::wire;
namespace tth = kitex::remote::ttheader;
namespace mi = kitex::metainfo;

namespace {

/// A loopback listener that accepts one connection and hands back the first
/// frame the peer sends.
class capture_server {
public:
  capture_server() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) == 0);
    REQUIRE(::listen(fd_, 1) == 0);
    socklen_t len = sizeof(sa);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len);
    port_ = ntohs(sa.sin_port);
  }

  ~capture_server() {
    ::close(fd_);
  }

  std::string addr() const {
    return "127.0.0.1:" + std::to_string(port_);
  }

  /// The first frame of the first connection (empty on failure).
  std::vector<uint8_t> first_frame() {
    int c = ::accept(fd_, nullptr, nullptr);
    if (c < 0)
      return {};
    auto read_n = [c](size_t n) {
      std::vector<uint8_t> out(n);
      size_t off = 0;
      while (off < n) {
        auto r = ::recv(c, out.data() + off, n - off, 0);
        if (r <= 0)
          return std::vector<uint8_t>{};
        off += static_cast<size_t>(r);
      }
      return out;
    };
    auto len = read_n(4);
    std::vector<uint8_t> frame;
    if (len.size() == 4) {
      auto body = read_n(kitex::remote::get_u32(len.data()));
      frame = len;
      frame.insert(frame.end(), body.begin(), body.end());
    }
    ::close(c);
    return frame;
  }

private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

} // namespace

TEST_CASE("our TTHeader request carries what Kitex's client writes",
          "[ttheader][meta]") {
  kitex::runtime::runtime rt{test::test_runtime_options()};
  capture_server peer;
  auto cli = kitex::client::make_client<echo::EchoServer>(
    rt, "echo.dest", kitex::client::with_host_ports({peer.addr()}),
    kitex::client::with_transport_protocol(transport::ttheader),
    kitex::client::with_from_service("caller.svc"),
    kitex::client::with_rpc_timeout(250ms),
    kitex::client::with_connect_timeout(1000ms),
    kitex::client::with_payload_checksum(true));
  echo::echo_args args{{"echo", "hi"}};
  mi::set_transient(args, "t", "T");
  mi::set_persistent(args, "p", "P");
  mi::set_transient(args, "gdpr-token", "secret");
  auto pending = kitex::client::call_future<echo::Response>(rt, cli, args);
  auto frame = peer.first_frame();
  REQUIRE_FALSE(frame.empty());
  kitex::remote::envelope env;
  REQUIRE(kitex::remote::decode_envelope(wire::ttheader, frame, {}, env)
          == kitex::remote::protocol_error::none);
  auto& h = env.header;
  CHECK(h.seq_id == env.msg.seq_id);
  CHECK(h.seq_id != 0);
  CHECK(h.flags == 0);
  CHECK(h.protocol_id == tth::protocol_thrift_binary);
  auto int_key = [&](uint16_t k) {
    auto v = h.find(k);
    return v ? *v : std::string{"<none>"};
  };
  CHECK(int_key(tth::from_service) == "caller.svc");
  CHECK(int_key(tth::to_service) == "echo.dest");
  CHECK(int_key(tth::to_method) == "Echo");
  CHECK(int_key(tth::msg_type) == "1");
  CHECK(int_key(tth::transport_type) == "unframed");
  CHECK(int_key(tth::rpc_timeout) == "250");
  CHECK(int_key(tth::connect_timeout) == "1000");
  CHECK(int_key(tth::from_method) == "<none>"); // not called from a handler
  REQUIRE(h.find(tth::key_idl_service_name));
  CHECK(*h.find(tth::key_idl_service_name) == "EchoServer");
  REQUIRE(h.find("RPC_TRANSIT_t"));
  CHECK(*h.find("RPC_TRANSIT_t") == "T");
  REQUIRE(h.find("RPC_PERSIST_p"));
  CHECK(*h.find("RPC_PERSIST_p") == "P");
  // The gdpr-token travels in the ACL block (0x11), not as a string key.
  REQUIRE(h.acl_token);
  CHECK(*h.acl_token == "secret");
  CHECK_FALSE(h.find("RPC_TRANSIT_gdpr-token"));
  REQUIRE(h.find(tth::key_crc32c));
  CHECK(*h.find(tth::key_crc32c) == tth::crc32c_hex(env.payload));
  // The ACL block comes first, right after PROTOCOL ID and NUM TRANSFORMS.
  CHECK(frame[16] == tth::info_acl_token);
  CHECK(pending.wait_for(5s) == std::future_status::ready);
}

TEST_CASE("the server checks crc32c and signs its replies",
          "[ttheader][crc32c]") {
  test::echo_fixture fx;
  SECTION("our client with checksums, end to end") {
    auto cli = fx.client(
      kitex::client::with_transport_protocol(transport::ttheader_framed),
      kitex::client::with_payload_checksum(true));
    auto r = fx.echo_call(cli, "echo", "checked");
    REQUIRE(r);
    CHECK(r->msg == "checked");
  }
  SECTION("a signed request gets a signed reply") {
    test::raw_socket s{fx.port};
    tth::header h;
    h.str_kv.emplace_back(std::string{tth::key_crc32c},
                          tth::crc32c_placeholder);
    // frame_encoder (under make_call) fills in the checksum.
    auto call = test::make_call(transport::ttheader, "Echo",
                                echo::Request{"echo", "x"}, 3, h);
    kitex::remote::envelope sent;
    REQUIRE(kitex::remote::decode_envelope(wire::ttheader, call, {}, sent)
            == kitex::remote::protocol_error::none);
    CHECK(*sent.header.find(tth::key_crc32c) == tth::crc32c_hex(sent.payload));
    REQUIRE(s.send_bytes(call));
    auto reply = test::read_reply(s, wire::ttheader);
    CHECK(reply.env.msg.type == kitex::remote::thrift::message_type::reply);
    REQUIRE(reply.env.header.find(tth::key_crc32c));
    CHECK(*reply.env.header.find(tth::key_crc32c)
          == tth::crc32c_hex(reply.env.payload));
  }
  SECTION("a wrong checksum is a protocol error and closes the connection") {
    test::raw_socket s{fx.port};
    tth::header h;
    h.str_kv.emplace_back(std::string{tth::key_crc32c},
                          tth::crc32c_placeholder);
    auto call = test::make_call(transport::ttheader, "Echo",
                                echo::Request{"echo", "x"}, 4, h);
    // Corrupt one payload byte after signing: the checksum no longer fits.
    call.back() ^= 0x01;
    REQUIRE(s.send_bytes(call));
    auto reply = test::read_reply(s, wire::ttheader);
    CHECK(reply.env.msg.type == kitex::remote::thrift::message_type::exception);
    CHECK(reply.exception().type
          == kitex::remote::thrift::exception_type::protocol_error);
    CHECK(s.closed_by_peer());
    // The server itself goes on.
    test::raw_socket s2{fx.port};
    REQUIRE(s2.send_bytes(test::make_call(transport::ttheader, "Echo",
                                          echo::Request{"echo", "y"}, 5)));
    CHECK(test::read_reply(s2, wire::ttheader).env.msg.seq_id == 5);
  }
}

namespace {

/// An EchoServer whose Echo answers `report(current metainfo)`.
class meta_reporter : public echo::EchoServerHandler {
public:
  using report_fn = std::function<std::string(const mi::call_meta*)>;

  explicit meta_reporter(report_fn f) : report_(std::move(f)) {}

  caf::expected<echo::Response> Echo(const echo::Request& req) override {
    return echo::Response{req.action, report_(mi::current())};
  }

  void Notify(const echo::Request&) override {}

private:
  report_fn report_;
};

/// The msg of the Echo reply to one raw TTHeader call with header `h` to a
/// fresh server of meta_reporter(f).
std::string reported(meta_reporter::report_fn f, const tth::header& h) {
  kitex::runtime::runtime rt{test::test_runtime_options()};
  auto srv = kitex::server::make_server(
    rt, kitex::server::with_service_addr("127.0.0.1:0"));
  srv.add_service<echo::EchoServer>(
    echo::make_behavior(std::make_shared<meta_reporter>(std::move(f))),
    kitex::server::with_workers(1));
  auto port = srv.start();
  REQUIRE(port);
  test::raw_socket s{*port};
  REQUIRE(s.send_bytes(test::make_call(transport::ttheader, "Echo",
                                       echo::Request{"echo", "x"}, 1, h)));
  auto reply = test::read_reply(s, wire::ttheader);
  REQUIRE(reply.env.msg.type == kitex::remote::thrift::message_type::reply);
  kitex::remote::limits lim;
  kitex::remote::thrift::binary_reader r{reply.env.body, lim};
  echo::echo_result res;
  REQUIRE(read(r, res));
  REQUIRE(res.success);
  srv.stop();
  return res.success->msg;
}

} // namespace

TEST_CASE("the server reads rip and the caller's names into the call's "
          "metainfo",
          "[ttheader][meta]") {
  tth::header h;
  h.str_kv.emplace_back(std::string{tth::key_remote_ip}, "10.1.2.3");
  h.int_kv.emplace_back(tth::from_service, "gateway");
  h.int_kv.emplace_back(tth::from_method, "Route");
  auto who = [](const mi::call_meta* m) -> std::string {
    if (m == nullptr)
      return "none";
    return m->remote_ip + "|" + m->from_service + "|" + m->from_method + "|"
           + m->method;
  };
  CHECK(reported(who, h) == "10.1.2.3|gateway|Route|Echo");
}

TEST_CASE("of duplicate metainfo keys the last one wins, and many keys are "
          "fine",
          "[ttheader][meta]") {
  tth::header h;
  h.str_kv.emplace_back("RPC_TRANSIT_t", "first");
  // Thousands of distinct keys (a header near the limits): read in linear
  // time, all kept.
  for (int i = 0; i < 3000; ++i)
    h.str_kv.emplace_back("RPC_TRANSIT_k" + std::to_string(i), "");
  h.str_kv.emplace_back("RPC_TRANSIT_t", "last");
  auto t_and_count = [](const mi::call_meta* m) -> std::string {
    auto t = mi::get_value("t");
    return (t ? *t : "-") + "/" + std::to_string(m ? m->transient.size() : 0);
  };
  CHECK(reported(t_and_count, h) == "last/3002");
}
