// Interop with a real Apache Thrift C++ peer (libthrift 0.17) over Framed and
// Buffered Thrift Binary, both ways: a libthrift client calls our server, and
// our client calls a libthrift server (thrift_peer.hpp).

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include <thrift/TApplicationException.h>

#include "echo.kitex.hpp"
#include "echo_handler.hpp"
#include "kitex/client/client.hpp"
#include "kitex/runtime/runtime.hpp"
#include "kitex/server/server.hpp"
#include "thrift_peer.hpp"

using namespace interop;
using apache::thrift::TApplicationException;

namespace {

// -- our side -----------------------------------------------------------------

kitex::server::server make_echo_server(kitex::runtime::runtime& rt,
                                       size_t workers = 2) {
  auto srv = kitex::server::make_server(
    rt, kitex::server::with_service_addr("127.0.0.1:0"),
    kitex::server::with_exit_wait_time(1000ms));
  srv.add_service<echo::EchoServer>(echo::echo_impl,
                                    kitex::server::with_workers(workers));
  return srv;
}

/// start(); the server accepts only once its workers run.
caf::expected<uint16_t> start_echo_server(kitex::server::server& srv) {
  return srv.start();
}

template<class Framing>
echo::echo_server_actor make_echo_client(kitex::runtime::runtime& rt,
                                         const thrift_server& ts,
                                         size_t connections = 2) {
  return kitex::client::make_client<echo::EchoServer>(
    rt, "echo", kitex::client::with_host_ports({ts.host_port()}),
    kitex::client::with_transport_protocol(Framing::kitex),
    kitex::client::with_connect_timeout(1000ms),
    kitex::client::with_rpc_timeout(5000ms),
    kitex::client::with_long_connection(connections));
}

} // namespace

// -- libthrift client -> our server -------------------------------------------

TEMPLATE_TEST_CASE("libthrift client gets Echo replies from our server",
                   "[interop][thrift][server]", framed, buffered) {
  kitex::runtime::runtime rt{test_runtime_options()};
  auto srv = make_echo_server(rt);
  auto port = start_echo_server(srv);
  REQUIRE(port);
  thrift_client<TestType> tc{*port};
  auto r1 = tc.echo("echo", "hello");
  CHECK(r1.action == "echo");
  CHECK(r1.msg == "hello");
  // Several calls on the same connection, including an empty message and
  // one larger than a typical socket read.
  auto r2 = tc.echo("echo", "");
  CHECK(r2.msg.empty());
  std::string big(100000, 'x');
  big[777] = 'y';
  auto r3 = tc.echo("big", big);
  CHECK(r3.action == "big");
  CHECK(r3.msg == big);
}

TEMPLATE_TEST_CASE("libthrift client catches the declared EchoError",
                   "[interop][thrift][server]", framed, buffered) {
  kitex::runtime::runtime rt{test_runtime_options()};
  auto srv = make_echo_server(rt);
  auto port = start_echo_server(srv);
  REQUIRE(port);
  thrift_client<TestType> tc{*port};
  try {
    tc.echo("error", "boom");
    FAIL("Echo(error) returned normally");
  } catch (const apache_echo::EchoError& e) {
    CHECK(e.code == 7);
    CHECK(e.message == "boom");
  }
  // The declared exception leaves the connection usable.
  CHECK(tc.echo("echo", "after").msg == "after");
}

TEMPLATE_TEST_CASE("libthrift client's oneway Notify reaches our handler",
                   "[interop][thrift][server]", framed, buffered) {
  kitex::runtime::runtime rt{test_runtime_options()};
  auto srv = make_echo_server(rt);
  auto port = start_echo_server(srv);
  REQUIRE(port);
  thrift_client<TestType> tc{*port};
  auto before = echo::notify_count();
  tc.client.Notify(thrift_request("notify", "n1"));
  tc.client.Notify(thrift_request("notify", "n2"));
  REQUIRE(eventually([&] { return echo::notify_count() >= before + 2; }));
  CHECK(echo::notify_count() == before + 2);
  // No reply was written for the oneway calls: the next reply read is Echo's.
  CHECK(tc.echo("echo", "after-notify").msg == "after-notify");
}

TEMPLATE_TEST_CASE("libthrift client sees a handler panic as INTERNAL_ERROR",
                   "[interop][thrift][server]", framed, buffered) {
  kitex::runtime::runtime rt{test_runtime_options()};
  auto srv = make_echo_server(rt);
  auto port = start_echo_server(srv);
  REQUIRE(port);
  thrift_client<TestType> tc{*port};
  try {
    tc.echo("panic", "p");
    FAIL("Echo(panic) returned normally");
  } catch (const TApplicationException& e) {
    CHECK(e.getType() == TApplicationException::INTERNAL_ERROR);
    CHECK_THAT(std::string{e.what()}, Catch::Contains("method=Echo"));
  }
  // The server keeps serving, on this connection and on a new one.
  for (int i = 0; i < 4; ++i)
    CHECK(tc.echo("echo", "again" + std::to_string(i)).msg
          == "again" + std::to_string(i));
  thrift_client<TestType> tc2{*port};
  CHECK(tc2.echo("echo", "fresh").msg == "fresh");
}

TEMPLATE_TEST_CASE("libthrift client gets UNKNOWN_METHOD for a method we lack",
                   "[interop][thrift][server]", framed, buffered) {
  using apache::thrift::protocol::T_CALL;
  using apache::thrift::protocol::T_EXCEPTION;
  using apache::thrift::protocol::T_STRUCT;
  kitex::runtime::runtime rt{test_runtime_options()};
  auto srv = make_echo_server(rt);
  auto port = start_echo_server(srv);
  REQUIRE(port);
  thrift_client<TestType> tc{*port};
  auto& p = *tc.protocol;
  p.writeMessageBegin("NoSuchMethod", T_CALL, 42);
  p.writeStructBegin("NoSuchMethod_args");
  p.writeFieldBegin("req", T_STRUCT, 1);
  thrift_request("echo", "x").write(&p);
  p.writeFieldEnd();
  p.writeFieldStop();
  p.writeStructEnd();
  p.writeMessageEnd();
  tc.transport->writeEnd();
  tc.transport->flush();
  std::string name;
  apache::thrift::protocol::TMessageType type;
  int32_t seq = 0;
  p.readMessageBegin(name, type, seq);
  REQUIRE(type == T_EXCEPTION);
  CHECK(name == "NoSuchMethod");
  CHECK(seq == 42);
  TApplicationException ex;
  ex.read(&p);
  p.readMessageEnd();
  tc.transport->readEnd();
  CHECK(ex.getType() == TApplicationException::UNKNOWN_METHOD);
  CHECK_THAT(std::string{ex.what()}, Catch::Contains("NoSuchMethod"));
  // The connection stays open for known methods.
  CHECK(tc.echo("echo", "still-here").msg == "still-here");
}

// -- our client -> libthrift server -------------------------------------------

TEMPLATE_TEST_CASE("our client gets Echo replies from a libthrift server",
                   "[interop][thrift][client]", framed, buffered) {
  kitex::runtime::runtime rt{test_runtime_options()};
  thrift_server ts{TestType::factory()};
  REQUIRE(ts.port() != 0);
  auto cli = make_echo_client<TestType>(rt, ts);
  auto r = kitex::client::call<echo::Response>(rt, cli,
                                               echo::echo_args{{"echo", "hi"}});
  REQUIRE(r);
  CHECK(*r == echo::Response{"echo", "hi"});
  std::string big(100000, 'z');
  auto r2 = kitex::client::call<echo::Response>(rt, cli,
                                                echo::echo_args{{"big", big}});
  REQUIRE(r2);
  CHECK(*r2 == echo::Response{"big", big});
  CHECK(ts.handler->echoes == 2);
  ts.stop();
}

TEMPLATE_TEST_CASE("our client receives libthrift's declared EchoError",
                   "[interop][thrift][client]", framed, buffered) {
  kitex::runtime::runtime rt{test_runtime_options()};
  thrift_server ts{TestType::factory()};
  auto cli = make_echo_client<TestType>(rt, ts);
  auto r = kitex::client::call<echo::Response>(
    rt, cli, echo::echo_args{{"error", "bad"}});
  REQUIRE_FALSE(r);
  auto ex = kitex::get_exception<echo::EchoError>(r.error());
  REQUIRE(ex);
  CHECK(ex->code == 7);
  CHECK(ex->message == "bad");
  auto ok = kitex::client::call<echo::Response>(
    rt, cli, echo::echo_args{{"echo", "ok"}});
  REQUIRE(ok);
  CHECK(ok->msg == "ok");
  ts.stop();
}

TEMPLATE_TEST_CASE("our client receives libthrift's TApplicationException",
                   "[interop][thrift][client]", framed, buffered) {
  kitex::runtime::runtime rt{test_runtime_options()};
  thrift_server ts{TestType::factory()};
  auto cli = make_echo_client<TestType>(rt, ts);
  auto r = kitex::client::call<echo::Response>(rt, cli,
                                               echo::echo_args{{"panic", "p"}});
  REQUIRE_FALSE(r);
  CHECK(kitex::code_of(r.error()) == kitex::errc::application_exception);
  CHECK_FALSE(kitex::get_exception<echo::EchoError>(r.error()));
  // libthrift's processor answers an undeclared handler exception with
  // TApplicationException(what()), whose type is UNKNOWN (0).
  auto ex = kitex::get_remote_exception(r.error());
  REQUIRE(ex);
  CHECK(ex->type == TApplicationException::UNKNOWN);
  CHECK(ex->message == "handler panic");
  auto ok = kitex::client::call<echo::Response>(
    rt, cli, echo::echo_args{{"echo", "ok"}});
  REQUIRE(ok);
  CHECK(ok->msg == "ok");
  ts.stop();
}

TEMPLATE_TEST_CASE("our client's oneway Notify reaches a libthrift server",
                   "[interop][thrift][client]", framed, buffered) {
  kitex::runtime::runtime rt{test_runtime_options()};
  thrift_server ts{TestType::factory()};
  auto cli = make_echo_client<TestType>(rt, ts);
  for (int i = 0; i < 3; ++i) {
    auto r
      = kitex::client::call<void>(rt, cli, echo::notify_args{{"notify", "n"}});
    REQUIRE(r);
  }
  REQUIRE(eventually([&] { return ts.handler->notifies >= 3; }));
  CHECK(ts.handler->notifies == 3);
  // libthrift sends nothing back for oneway calls; the next reply is Echo's.
  auto r = kitex::client::call<echo::Response>(rt, cli,
                                               echo::echo_args{{"echo", "e"}});
  REQUIRE(r);
  CHECK(r->msg == "e");
  ts.stop();
}

TEMPLATE_TEST_CASE("our client pipelines concurrent calls to libthrift",
                   "[interop][thrift][client]", framed, buffered) {
  constexpr int n = 16;
  kitex::runtime::runtime rt{test_runtime_options()};
  thrift_server ts{TestType::factory()};
  auto cli = make_echo_client<TestType>(rt, ts, 1);
  std::vector<std::future<caf::expected<echo::Response>>> futs;
  for (int i = 0; i < n; ++i)
    futs.push_back(kitex::client::call_future<echo::Response>(
      rt, cli, echo::echo_args{{"pipeline", "m" + std::to_string(i)}}, 10s));
  for (int i = 0; i < n; ++i) {
    INFO("call " << i);
    REQUIRE(futs[i].wait_for(15s) == std::future_status::ready);
    auto r = futs[i].get();
    REQUIRE(r);
    CHECK(*r == echo::Response{"pipeline", "m" + std::to_string(i)});
  }
  CHECK(ts.handler->echoes == n);
  // All calls shared one connection.
  CHECK(ts.events->connections == 1);
  // TBufferedTransport may read ahead, so only framing shows this on the wire.
  if (TestType::kitex == kitex::remote::transport::framed)
    CHECK(ts.handler->saw_pipelined);
  ts.stop();
}

// -- panics and restarts, as a Kitex user expects them
// -------------------------

TEST_CASE("the first call right after server start is served",
          "[interop][thrift][server]") {
  kitex::runtime::runtime rt{test_runtime_options()};
  int refused = 0;
  std::string why;
  for (int i = 0; i < 20; ++i) {
    auto srv = make_echo_server(rt);
    auto port = srv.start(); // no wait for the workers
    REQUIRE(port);
    thrift_client<framed> tc{*port};
    try {
      tc.echo("echo", "first");
    } catch (const TApplicationException& e) {
      why = e.what();
      ++refused;
    }
  }
  INFO(why);
  CHECK(refused == 0);
}

TEST_CASE("a single worker serves the calls right after a panic",
          "[interop][thrift][server]") {
  kitex::runtime::runtime rt{test_runtime_options()};
  auto srv = make_echo_server(rt, 1);
  auto port = start_echo_server(srv);
  REQUIRE(port);
  thrift_client<framed> tc{*port};
  for (int i = 0; i < 3; ++i) {
    CHECK_THROWS_AS(tc.echo("panic", "p"), TApplicationException);
    // Held by the connection until the supervisor has restarted the worker.
    CHECK_NOTHROW(tc.echo("echo", "next"));
  }
}

TEST_CASE("repeated handler panics do not take the service down for good",
          "[interop][thrift][server]") {
  kitex::runtime::runtime rt{test_runtime_options()};
  auto srv = make_echo_server(rt);
  auto port = start_echo_server(srv);
  REQUIRE(port);
  thrift_client<framed> tc{*port};
  // Handler panics are request-scoped: they restart the worker but do not
  // count toward the supervisor's restart intensity.
  for (int i = 0; i < 40; ++i) {
    CHECK_THROWS_AS(tc.echo("panic", "p"), TApplicationException);
    std::this_thread::sleep_for(40ms);
  }
  std::this_thread::sleep_for(500ms);
  CHECK_NOTHROW(tc.echo("echo", "alive"));
}
