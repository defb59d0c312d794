// Graceful shutdown: calls in flight when stop() starts complete, TTHeader
// replies sent while draining carry crrst, new connections are refused, and
// a real echo_server process exits 0 on SIGTERM without losing the call it
// was serving.

#include <signal.h>
#include <sys/wait.h>

#include <future>

#include "support.hpp"

using namespace std::chrono_literals;
using kitex::remote::transport;

TEST_CASE("stop() waits for in-flight calls and then refuses connections") {
  test::echo_fixture fx{4, kitex::server::with_exit_wait_time(3s)};
  auto cli
    = fx.client(kitex::client::with_transport_protocol(transport::ttheader));
  std::vector<std::future<caf::expected<echo::Response>>> fs;
  for (int i = 0; i < 20; ++i)
    fs.push_back(kitex::client::call_future<echo::Response>(
      fx.rt, cli, echo::echo_args{{"sleep:300", std::to_string(i)}}));
  REQUIRE(test::eventually([&] { return fx.srv.stats().inflight == 20; }));
  auto t0 = std::chrono::steady_clock::now();
  fx.srv.stop();
  auto took = std::chrono::steady_clock::now() - t0;
  for (int i = 0; i < 20; ++i) {
    REQUIRE(fs[i].wait_for(5s) == std::future_status::ready);
    auto r = fs[i].get();
    REQUIRE(r);
    CHECK(r->msg == std::to_string(i));
  }
  CHECK(took < 3s); // returned once drained, not at the deadline
  test::raw_socket s{fx.port, 500ms};
  CHECK_FALSE(s.connected());
}

TEST_CASE("replies written while draining carry crrst") {
  test::echo_fixture fx{2, kitex::server::with_exit_wait_time(3s)};
  test::raw_socket s{fx.port, 3000ms};
  REQUIRE(s.send_bytes(
    test::make_call(transport::ttheader, "Echo", {"sleep:300", "late"}, 11)));
  REQUIRE(test::eventually([&] { return fx.srv.stats().inflight == 1; }));
  auto stopper = std::async(std::launch::async, [&] { fx.srv.stop(); });
  auto reply = test::read_reply(s, kitex::remote::detection::wire::ttheader);
  auto& env = reply.env;
  CHECK(env.msg.type == kitex::remote::thrift::message_type::reply);
  CHECK(env.msg.seq_id == 11);
  auto crrst = env.header.find(kitex::remote::ttheader::key_conn_reset);
  REQUIRE(crrst);
  CHECK(*crrst == "1");
  CHECK(s.closed_by_peer());
  stopper.get();
}

TEST_CASE("calls past the exit wait time fail with a definite error") {
  test::echo_fixture fx{2, kitex::server::with_exit_wait_time(300ms)};
  auto cli = fx.client();
  auto f = kitex::client::call_future<echo::Response>(
    fx.rt, cli, echo::echo_args{{"sleep:3000", "too slow"}});
  REQUIRE(test::eventually([&] { return fx.srv.stats().inflight == 1; }));
  auto t0 = std::chrono::steady_clock::now();
  fx.srv.stop();
  CHECK(std::chrono::steady_clock::now() - t0 < 1500ms);
  REQUIRE(f.wait_for(2s) == std::future_status::ready);
  auto r = f.get();
  REQUIRE_FALSE(r);
  CHECK(kitex::code_of(r.error()) == kitex::errc::remote_or_network);
}

TEST_CASE("echo_server exits 0 on SIGTERM after finishing its call") {
  uint16_t port;
  {
    test::echo_fixture probe;
    port = probe.port;
  }
  auto addr = "127.0.0.1:" + std::to_string(port);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    execl(KITEX_ECHO_SERVER_PATH, "echo_server", "--addr", addr.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  kitex::runtime::runtime rt{test::test_runtime_options()};
  auto cli = kitex::client::make_client<echo::EchoServer>(
    rt, "echo", kitex::client::with_host_ports({addr}),
    kitex::client::with_connect_timeout(500ms));
  // Wait until the child listens.
  REQUIRE(test::eventually(
    [&] {
      return static_cast<bool>(kitex::client::call<echo::Response>(
        rt, cli, echo::echo_args{{"echo", "up?"}}, 1s));
    },
    5000ms));
  auto f = kitex::client::call_future<echo::Response>(
    rt, cli, echo::echo_args{{"sleep:500", "in flight"}});
  std::this_thread::sleep_for(100ms);
  REQUIRE(kill(pid, SIGTERM) == 0);
  REQUIRE(f.wait_for(5s) == std::future_status::ready);
  auto r = f.get();
  REQUIRE(r);
  CHECK(r->msg == "in flight");
  int status = 0;
  REQUIRE(test::eventually(
    [&] { return waitpid(pid, &status, WNOHANG) == pid; }, 7000ms));
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
