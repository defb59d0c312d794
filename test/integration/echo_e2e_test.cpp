// Client and server end to end over loopback: every transport, declared
// exceptions, handler crashes and worker restarts, timeouts, oneway,
// pipelining with out-of-order replies, and the typed interface shared by a
// local service actor and a remote client.

#include <atomic>
#include <future>
#include <mutex>

#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

#include "support.hpp"

using namespace std::chrono_literals;
using kitex::remote::transport;

TEST_CASE("echo over every transport") {
  test::echo_fixture fx;
  for (auto tp : {transport::framed, transport::buffered, transport::ttheader,
                  transport::ttheader_framed}) {
    INFO("transport " << kitex::remote::to_string(tp));
    auto cli = fx.client(kitex::client::with_transport_protocol(tp));
    for (int i = 0; i < 3; ++i) {
      auto msg
        = std::string{"hi "} + kitex::remote::to_string(tp) + std::to_string(i);
      auto r = fx.echo_call(cli, "echo", msg);
      REQUIRE(r);
      CHECK(r->action == "echo");
      CHECK(r->msg == msg);
    }
  }
}

TEST_CASE("a large payload round-trips byte for byte") {
  test::echo_fixture fx;
  auto cli = fx.client(
    kitex::client::with_transport_protocol(transport::ttheader_framed));
  std::string big(1 << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i)
    big[i] = static_cast<char>(i * 31 + 7);
  auto r = fx.echo_call(cli, "echo", big);
  REQUIRE(r);
  CHECK(r->msg == big);
}

TEST_CASE("a declared exception reaches the caller as a typed error") {
  test::echo_fixture fx;
  for (auto tp : {transport::framed, transport::ttheader}) {
    auto cli = fx.client(kitex::client::with_transport_protocol(tp));
    auto r = fx.echo_call(cli, "error", "bad input");
    REQUIRE_FALSE(r);
    auto ex = kitex::get_exception<echo::EchoError>(r.error());
    REQUIRE(ex);
    CHECK(ex->code == 7);
    CHECK(ex->message == "bad input");
  }
}

TEST_CASE("a handler crash answers the caller and restarts the worker") {
  test::echo_fixture fx{1};
  auto workers = fx.srv.workers("EchoServer");
  REQUIRE(workers);
  REQUIRE(test::eventually([&] {
    auto s = workers->snapshot();
    return s->size() == 1 && (*s)[0];
  }));
  auto before = (*workers->snapshot())[0];
  auto version = workers->version();
  auto cli = fx.client();
  auto r = fx.echo_call(cli, "panic", "boom");
  REQUIRE_FALSE(r);
  auto ex = kitex::get_remote_exception(r.error());
  REQUIRE(ex);
  CHECK(ex->type == 6); // InternalError, as Kitex answers a panic
  CHECK(ex->message.find("boom") != std::string::npos);
  // The supervisor publishes a new worker and calls work again.
  REQUIRE(test::eventually([&] {
    auto s = workers->snapshot();
    return workers->version() > version && (*s)[0] && (*s)[0] != before;
  }));
  auto ok = fx.echo_call(cli, "echo", "after");
  REQUIRE(ok);
  CHECK(ok->msg == "after");
}

TEST_CASE("the RPC timeout fails the call and the connection stays usable") {
  test::echo_fixture fx;
  auto cli = fx.client(kitex::client::with_rpc_timeout(100ms),
                       kitex::client::with_long_connection(1));
  auto r = fx.echo_call(cli, "sleep:1000");
  REQUIRE_FALSE(r);
  CHECK(kitex::is_timeout(r.error()));
  CHECK(kitex::code_of(r.error()) == kitex::errc::rpc_timeout);
  auto ok = fx.echo_call(cli, "echo", "still here");
  REQUIRE(ok);
  CHECK(ok->msg == "still here");
}

TEST_CASE("oneway calls reach the handler and get no reply") {
  test::echo_fixture fx;
  for (auto tp :
       {transport::framed, transport::buffered, transport::ttheader}) {
    auto cli = fx.client(kitex::client::with_transport_protocol(tp));
    auto before = echo::notify_count();
    auto r
      = kitex::client::call<void>(fx.rt, cli, echo::notify_args{{"n", "x"}});
    REQUIRE(r);
    CHECK(test::eventually([&] { return echo::notify_count() > before; }));
  }
}

TEST_CASE("calls pipeline on one connection and replies match by seq id") {
  test::echo_fixture fx{4};
  auto cli = fx.client(kitex::client::with_long_connection(1));
  std::mutex mtx;
  std::vector<std::string> order;
  std::promise<void> both;
  std::atomic<int> done{0};
  auto record = [&](std::string tag) {
    std::lock_guard<std::mutex> guard{mtx};
    order.push_back(std::move(tag));
    if (++done == 2)
      both.set_value();
  };
  kitex::client::call_async<echo::Response>(
    fx.rt, cli, echo::echo_args{{"sleep:300", "slow"}},
    [&](caf::expected<echo::Response> r) { record(r ? r->msg : "error"); });
  std::this_thread::sleep_for(20ms);
  kitex::client::call_async<echo::Response>(
    fx.rt, cli, echo::echo_args{{"echo", "fast"}},
    [&](caf::expected<echo::Response> r) { record(r ? r->msg : "error"); });
  REQUIRE(both.get_future().wait_for(5s) == std::future_status::ready);
  REQUIRE(order == std::vector<std::string>{"fast", "slow"});
}

TEST_CASE("many concurrent calls all complete") {
  test::echo_fixture fx{4};
  auto cli = fx.client();
  std::vector<std::future<caf::expected<echo::Response>>> fs;
  for (int i = 0; i < 200; ++i)
    fs.push_back(kitex::client::call_future<echo::Response>(
      fx.rt, cli, echo::echo_args{{"echo", std::to_string(i)}}));
  for (int i = 0; i < 200; ++i) {
    REQUIRE(fs[i].wait_for(10s) == std::future_status::ready);
    auto r = fs[i].get();
    REQUIRE(r);
    CHECK(r->msg == std::to_string(i));
  }
}

TEST_CASE("the same caller code talks to a local service actor and a client") {
  test::echo_fixture fx;
  auto ask = [&](echo::echo_server_actor target) {
    caf::scoped_actor self{fx.rt.system()};
    std::string out;
    self->request(target, 5s, echo::echo_args{{"echo", "transparent"}})
      .receive([&](echo::Response& r) { out = r.msg; },
               [&](caf::error& e) { out = kitex::render_error(e); });
    return out;
  };
  auto local = fx.rt.system().spawn(echo::echo_impl);
  CHECK(ask(local) == "transparent");
  CHECK(ask(fx.client()) == "transparent");
  caf::anon_send_exit(local, caf::exit_reason::user_shutdown);
}

TEST_CASE("calling a port nobody listens on fails with get_connection") {
  kitex::runtime::runtime rt{test::test_runtime_options()};
  // A socket bound but never listening holds the port (no other test can
  // take it) and refuses connections.
  int holder = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(holder >= 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(holder, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
  socklen_t len = sizeof sa;
  REQUIRE(::getsockname(holder, reinterpret_cast<sockaddr*>(&sa), &len) == 0);
  auto port = ntohs(sa.sin_port);
  auto cli = kitex::client::make_client<echo::EchoServer>(
    rt, "echo",
    kitex::client::with_host_ports({"127.0.0.1:" + std::to_string(port)}),
    kitex::client::with_connect_timeout(500ms));
  auto r = kitex::client::call<echo::Response>(rt, cli,
                                               echo::echo_args{{"echo", "x"}});
  REQUIRE_FALSE(r);
  CHECK(kitex::code_of(r.error()) == kitex::errc::get_connection);
  CHECK(kitex::is_retryable(r.error()));
  ::close(holder);
}

TEST_CASE("the server's handler timeout answers a call the worker never does") {
  test::echo_fixture fx{2, kitex::server::with_handler_timeout(200ms)};
  auto cli = fx.client();
  auto t0 = std::chrono::steady_clock::now();
  auto r = fx.echo_call(cli, "sleep:3000", "too slow");
  REQUIRE_FALSE(r);
  auto ex = kitex::get_remote_exception(r.error());
  REQUIRE(ex);
  CHECK(ex->type == 6);
  CHECK(ex->message.find("timed out") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - t0 < 2s);
  // The late reply is dropped; the connection keeps serving.
  std::this_thread::sleep_for(100ms);
  auto ok = fx.echo_call(cli, "echo", "next");
  REQUIRE(ok);
  CHECK(ok->msg == "next");
}

TEST_CASE("the RPC timeout fails only the calls that exceed it") {
  test::echo_fixture fx{4};
  auto cli = fx.client(kitex::client::with_rpc_timeout(150ms),
                       kitex::client::with_long_connection(1));
  std::vector<std::future<caf::expected<echo::Response>>> fs;
  for (int i = 0; i < 20; ++i) {
    auto action = i % 2 == 0 ? std::string{"echo"} : std::string{"sleep:1000"};
    fs.push_back(kitex::client::call_future<echo::Response>(
      fx.rt, cli, echo::echo_args{{action, std::to_string(i)}}));
  }
  for (int i = 0; i < 20; ++i) {
    REQUIRE(fs[i].wait_for(5s) == std::future_status::ready);
    auto r = fs[i].get();
    if (i % 2 == 0) {
      REQUIRE(r);
      CHECK(r->msg == std::to_string(i));
    } else {
      REQUIRE_FALSE(r);
      CHECK(kitex::code_of(r.error()) == kitex::errc::rpc_timeout);
    }
  }
}
