// Mux connections as Kitex's netpollmux uses them: TTHeader with the
// out-of-order flag, many concurrent calls on one connection matched by seq
// id, and the seq-id-0 control frame with `crrst` on graceful shutdown.

#include <chrono>
#include <future>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support.hpp"

using namespace std::chrono_literals;
using kitex::remote::transport;
using kitex::remote::detection::wire;
namespace tth = kitex::remote::ttheader;

TEST_CASE("a mux client's calls share one connection and finish out of order",
          "[mux]") {
  test::echo_fixture fx{4};
  auto cli = fx.client(kitex::client::with_mux_connection(1),
                       kitex::client::with_rpc_timeout(5s));
  // A slow call first, then quick ones: the quick replies overtake it on
  // the same connection and every reply still finds its call.
  std::vector<std::future<caf::expected<echo::Response>>> calls;
  calls.push_back(kitex::client::call_future<echo::Response>(
    fx.rt, cli, echo::echo_args{{"sleep:300", "slow"}}));
  for (int i = 0; i < 16; ++i)
    calls.push_back(kitex::client::call_future<echo::Response>(
      fx.rt, cli, echo::echo_args{{"echo", "q" + std::to_string(i)}}));
  for (size_t i = 1; i < calls.size(); ++i) {
    REQUIRE(calls[i].wait_for(5s) == std::future_status::ready);
    auto r = calls[i].get();
    REQUIRE(r);
    CHECK(r->msg == "q" + std::to_string(i - 1));
  }
  // The quick ones are done while the slow one still runs.
  CHECK(calls[0].wait_for(0s) != std::future_status::ready);
  auto slow = calls[0].get();
  REQUIRE(slow);
  CHECK(slow->msg == "slow");
  CHECK(fx.srv.stats().connections == 1);
}

TEST_CASE("graceful shutdown sends mux connections the control frame",
          "[mux]") {
  test::echo_fixture fx;
  test::raw_socket s{fx.port};
  REQUIRE(s.connected());
  tth::header h;
  h.flags = tth::flag_out_of_order;
  REQUIRE(s.send_bytes(test::make_call(transport::ttheader, "Echo",
                                       echo::Request{"echo", "m"}, 5, h)));
  auto reply = test::read_reply(s, wire::ttheader);
  CHECK(reply.env.header.flags == tth::flag_out_of_order); // echoed
  CHECK(reply.env.msg.seq_id == 5);
  auto stopper = std::async(std::launch::async, [&] { fx.srv.stop(); });
  // Sent when the stop begins, not with a reply: the connection is idle.
  auto control = test::read_reply(s, wire::ttheader);
  CHECK(control.env.header.seq_id == 0);
  CHECK(control.env.msg.seq_id == 0);
  CHECK(control.env.msg.name == "none");
  CHECK(control.env.msg.type == kitex::remote::thrift::message_type::reply);
  REQUIRE(control.env.header.find(tth::key_conn_reset));
  CHECK(*control.env.header.find(tth::key_conn_reset) == "1");
  REQUIRE(control.env.body.size() == 1); // the empty ControlFrame: a stop
  CHECK(control.env.body[0] == 0);
  stopper.get();
  CHECK(s.closed_by_peer());
}

TEST_CASE("a connection without the flag gets no control frame", "[mux]") {
  test::echo_fixture fx;
  test::raw_socket s{fx.port, 500ms};
  REQUIRE(s.connected());
  REQUIRE(s.send_bytes(test::make_call(transport::ttheader, "Echo",
                                       echo::Request{"echo", "m"}, 5)));
  test::read_reply(s, wire::ttheader);
  auto stopper = std::async(std::launch::async, [&] { fx.srv.stop(); });
  // Nothing but the close (replies, had there been any, carry crrst).
  CHECK_FALSE(s.recv_frame());
  stopper.get();
}
