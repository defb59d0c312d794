// Metainfo, BizStatusError and the caller's RPC timeout end to end over a
// two-hop chain (client -> A -> B) on real sockets, with handlers written as
// plain classes the way a Kitex user writes them.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include "echo.kitex.hpp"
#include "kitex/client/client.hpp"
#include "kitex/metainfo/metainfo.hpp"
#include "kitex/runtime/runtime.hpp"
#include "kitex/server/server.hpp"
#include "support.hpp"

using namespace std::chrono_literals;
namespace mi = kitex::metainfo;

namespace {

std::string value_or_dash(const std::optional<std::string>& v) {
  return v ? *v : "-";
}

/// B: reports what metainfo reached it and sends a backward value; "biz"
/// answers with a business status.
class service_b : public echo::EchoServerHandler {
public:
  caf::expected<echo::Response> Echo(const echo::Request& req) override {
    if (req.action == "biz")
      return kitex::make_biz_error(1001, "biz says no", {{"k", "v"}});
    auto* call = mi::current();
    std::string seen = "t=" + value_or_dash(mi::get_value("t"))
                       + ",p=" + value_or_dash(mi::get_persistent_value("p"))
                       + ",from=" + (call ? call->from_method : "?");
    mi::send_backward_value("b", "from-B");
    return echo::Response{req.action, seen};
  }

  void Notify(const echo::Request&) override {}
};

/// A: calls B with the same request from inside its handler and passes on
/// what came back.
class service_a : public echo::EchoServerHandler {
public:
  service_a(kitex::runtime::runtime& rt, echo::echo_server_actor b)
    : rt_(rt), b_(std::move(b)) {}

  caf::expected<echo::Response> Echo(const echo::Request& req) override {
    echo::echo_args out{req};
    mi::of(out); // to receive B's backward values
    auto r = kitex::client::call<echo::Response>(rt_, b_, out, 5s);
    if (!r)
      return r.error(); // B's biz status goes back to the caller as is
    std::string seen_here = "t=" + value_or_dash(mi::get_value("t")) + ",p="
                            + value_or_dash(mi::get_persistent_value("p"));
    mi::send_backward_value(
      "a", "B sent back " + value_or_dash(mi::backward_value(out, "b")));
    return echo::Response{req.action, "A[" + seen_here + "] B[" + r->msg + "]"};
  }

  void Notify(const echo::Request&) override {}

private:
  kitex::runtime::runtime& rt_;
  echo::echo_server_actor b_;
};

/// The chain client -> A -> B, A and B each a server of its own.
struct chain {
  kitex::runtime::runtime rt{test::test_runtime_options()};
  kitex::server::server b;
  kitex::server::server a;
  uint16_t a_port = 0;
  uint16_t b_port = 0;

  explicit chain(kitex::remote::transport tp)
    : b(kitex::server::make_server(
      rt, kitex::server::with_service_addr("127.0.0.1:0"))),
      a(kitex::server::make_server(
        rt, kitex::server::with_service_addr("127.0.0.1:0"))) {
    b.add_service<echo::EchoServer>(
      echo::make_behavior(std::make_shared<service_b>()),
      kitex::server::with_workers(2));
    auto pb = b.start();
    REQUIRE(pb);
    b_port = *pb;
    auto to_b = client(tp, b_port);
    a.add_service<echo::EchoServer>(
      echo::make_behavior(std::make_shared<service_a>(rt, to_b)),
      kitex::server::with_workers(2));
    auto pa = a.start();
    REQUIRE(pa);
    a_port = *pa;
  }

  echo::echo_server_actor client(kitex::remote::transport tp, uint16_t port) {
    return kitex::client::make_client<echo::EchoServer>(
      rt, "echo",
      kitex::client::with_host_ports({"127.0.0.1:" + std::to_string(port)}),
      kitex::client::with_transport_protocol(tp),
      kitex::client::with_connect_timeout(1s));
  }
};

} // namespace

TEST_CASE("metainfo travels client -> A -> B as Kitex carries it",
          "[metainfo]") {
  auto tp = GENERATE(kitex::remote::transport::ttheader,
                     kitex::remote::transport::ttheader_framed,
                     kitex::remote::transport::theader);
  INFO(kitex::remote::to_string(tp));
  chain c{tp};
  auto cli = c.client(tp, c.a_port);
  echo::echo_args args{{"meta", "x"}};
  mi::set_transient(args, "t", "T1");
  mi::set_persistent(args, "p", "P1");
  auto r = kitex::client::call<echo::Response>(c.rt, cli, args, 5s);
  REQUIRE(r);
  // A sees both; B sees only the persistent value (transient values reach
  // one hop), and A's method as the caller's.
  // THeader has string headers only, so the int key with the caller's
  // method (20) is TTHeader's alone.
  auto from = tp == kitex::remote::transport::theader ? "" : "Echo";
  CHECK(r->msg == std::string{"A[t=T1,p=P1] B[t=-,p=P1,from="} + from + "]");
  // A's backward value, which carries what B sent back to A.
  CHECK(mi::backward_value(args, "a") == "B sent back from-B");
  CHECK_FALSE(mi::backward_value(args, "b")); // B's went to A only
}

TEST_CASE("a BizStatusError reaches the caller, also through a hop",
          "[metainfo][biz]") {
  chain c{kitex::remote::transport::ttheader};
  for (auto port : {c.b_port, c.a_port}) {
    INFO("port " << port);
    auto cli = c.client(kitex::remote::transport::ttheader, port);
    auto r = kitex::client::call<echo::Response>(
      c.rt, cli, echo::echo_args{{"biz", "x"}}, 5s);
    REQUIRE_FALSE(r);
    CHECK(kitex::code_of(r.error()) == kitex::errc::biz_status);
    auto biz = kitex::get_biz_status(r.error());
    REQUIRE(biz);
    CHECK(biz->code == 1001);
    CHECK(biz->message == "biz says no");
    CHECK(biz->extra == std::map<std::string, std::string>{{"k", "v"}});
    // A business status is a normal reply: the connection goes on.
    auto ok = kitex::client::call<echo::Response>(
      c.rt, cli, echo::echo_args{{"meta", "again"}}, 5s);
    CHECK(ok);
  }
}

TEST_CASE("on Framed a BizStatusError becomes an exception, metainfo stays "
          "home",
          "[metainfo][biz]") {
  chain c{kitex::remote::transport::framed};
  auto cli = c.client(kitex::remote::transport::framed, c.b_port);
  auto r = kitex::client::call<echo::Response>(
    c.rt, cli, echo::echo_args{{"biz", "x"}}, 5s);
  REQUIRE_FALSE(r);
  auto ex = kitex::get_remote_exception(r.error());
  REQUIRE(ex);
  CHECK(ex->type == 6);
  CHECK(ex->message.find("biz says no") != std::string::npos);
  echo::echo_args args{{"meta", "x"}};
  mi::set_transient(args, "t", "T1");
  auto ok = kitex::client::call<echo::Response>(c.rt, cli, args, 5s);
  REQUIRE(ok);
  CHECK(ok->msg == "t=-,p=-,from=?"); // no headers, no metainfo
  CHECK_FALSE(mi::backward_value(args, "b"));
}

TEST_CASE("with context timeout the server honours the caller's RPC timeout",
          "[metainfo][timeout]") {
  using kitex::remote::transport;
  auto run = [](bool enable) {
    kitex::runtime::runtime rt{test::test_runtime_options()};
    auto srv = kitex::server::make_server(
      rt, kitex::server::with_service_addr("127.0.0.1:0"),
      kitex::server::with_handler_timeout(10s),
      kitex::server::with_enable_context_timeout(enable));
    srv.add_service<echo::EchoServer>(echo::echo_impl,
                                      kitex::server::with_workers(2));
    auto port = srv.start();
    REQUIRE(port);
    test::raw_socket s{*port, 3000ms};
    REQUIRE(s.connected());
    kitex::remote::ttheader::header h;
    h.int_kv.emplace_back(kitex::remote::ttheader::rpc_timeout, "100");
    auto t0 = std::chrono::steady_clock::now();
    REQUIRE(s.send_bytes(test::make_call(
      transport::ttheader, "Echo", echo::Request{"sleep:1500", "z"}, 9, h)));
    auto reply = test::read_reply(s, kitex::remote::detection::wire::ttheader);
    auto took = std::chrono::steady_clock::now() - t0;
    return std::make_pair(reply.env.msg.type, took);
  };
  auto [type, took] = run(true);
  CHECK(type == kitex::remote::thrift::message_type::exception);
  CHECK(took < 1200ms); // answered at the caller's 100 ms, not after 1.5 s
  auto [type2, took2] = run(false);
  CHECK(type2 == kitex::remote::thrift::message_type::reply);
  CHECK(took2 >= 1400ms);
}
