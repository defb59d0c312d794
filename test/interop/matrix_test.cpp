// The protocol matrix against a real Apache Thrift C++ peer (libthrift 0.17):
// client {ours, libthrift} x server {ours, libthrift} x {Framed, Buffered,
// THeader} x {Binary, Compact}, every cell libthrift supports, on the echo
// IDL: a successful call, the declared exception, and a oneway call. Our
// client against our server also runs the TTHeader transports, which
// libthrift lacks.

#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/protocol/THeaderProtocol.h>
#include <thrift/transport/THeaderTransport.h>

#include "echo.kitex.hpp"
#include "echo_handler.hpp"
#include "kitex/client/client.hpp"
#include "kitex/runtime/runtime.hpp"
#include "kitex/server/server.hpp"
#include "thrift_peer.hpp"

using namespace interop;
using apache::thrift::protocol::TCompactProtocol;
using apache::thrift::protocol::TCompactProtocolFactory;
using apache::thrift::protocol::THeaderProtocol;
using apache::thrift::protocol::THeaderProtocolFactory;
using apache::thrift::protocol::TProtocolFactory;
using kitex::remote::protocol;
using kitex::remote::transport;

namespace {

/// One cell: a framing and a protocol, as kitex and as libthrift spell them.
struct cell {
  transport tp;
  protocol proto;

  std::string name() const {
    return std::string{kitex::remote::to_string(tp)} + "/"
           + kitex::remote::to_string(proto);
  }

  bool theader() const {
    return tp == transport::theader;
  }

  uint16_t theader_protocol_id() const {
    return proto == protocol::compact
             ? apache::thrift::protocol::T_COMPACT_PROTOCOL
             : apache::thrift::protocol::T_BINARY_PROTOCOL;
  }

  /// The libthrift client protocol over a connected socket.
  std::shared_ptr<TProtocol> client_protocol(std::shared_ptr<TSocket> s) const {
    if (theader()) // THeaderProtocol wraps the socket in a THeaderTransport
      return std::make_shared<THeaderProtocol>(s, theader_protocol_id());
    std::shared_ptr<TTransport> t = s;
    if (tp == transport::framed)
      t = framed::wrap(t);
    else
      t = buffered::wrap(t);
    if (proto == protocol::compact)
      return std::make_shared<TCompactProtocol>(t);
    return std::make_shared<TBinaryProtocol>(t);
  }

  std::shared_ptr<TTransportFactory> server_transport() const {
    if (theader()) // THeaderProtocolFactory adds the THeaderTransport
      return std::make_shared<TTransportFactory>();
    return tp == transport::framed ? framed::factory() : buffered::factory();
  }

  std::shared_ptr<TProtocolFactory> server_protocol() const {
    // libthrift's THeader server answers in the protocol of each request.
    if (theader())
      return std::make_shared<THeaderProtocolFactory>();
    if (proto == protocol::compact)
      return std::make_shared<TCompactProtocolFactory>();
    return std::make_shared<TBinaryProtocolFactory>();
  }
};

/// The cells libthrift speaks.
std::vector<cell> libthrift_cells() {
  std::vector<cell> out;
  for (auto tp : {transport::framed, transport::buffered, transport::theader})
    for (auto p : {protocol::binary, protocol::compact})
      out.push_back({tp, p});
  return out;
}

/// Every transport we speak, in both protocols.
std::vector<cell> our_cells() {
  std::vector<cell> out;
  for (auto tp : {transport::framed, transport::buffered, transport::ttheader,
                  transport::ttheader_framed, transport::theader})
    for (auto p : {protocol::binary, protocol::compact})
      out.push_back({tp, p});
  return out;
}

/// A connected libthrift EchoServer client for one cell.
struct peer_client {
  std::shared_ptr<TSocket> socket;
  std::shared_ptr<TProtocol> proto;
  apache_echo::EchoServerClient client;

  peer_client(const cell& c, uint16_t port)
    : socket(std::make_shared<TSocket>("127.0.0.1", port)),
      proto(c.client_protocol(socket)), client(proto) {
    socket->setConnTimeout(2000);
    socket->setRecvTimeout(5000);
    socket->setSendTimeout(5000);
    proto->getTransport()->open();
  }

  ~peer_client() {
    proto->getTransport()->close();
  }

  apache_echo::Response echo(std::string action, std::string msg) {
    apache_echo::Response resp;
    client.Echo(resp, thrift_request(std::move(action), std::move(msg)));
    return resp;
  }
};

kitex::server::server make_echo_server(kitex::runtime::runtime& rt) {
  auto srv = kitex::server::make_server(
    rt, kitex::server::with_service_addr("127.0.0.1:0"),
    kitex::server::with_exit_wait_time(1000ms));
  srv.add_service<echo::EchoServer>(echo::echo_impl,
                                    kitex::server::with_workers(2));
  return srv;
}

echo::echo_server_actor make_echo_client(kitex::runtime::runtime& rt,
                                         const cell& c, std::string addr) {
  return kitex::client::make_client<echo::EchoServer>(
    rt, "echo", kitex::client::with_host_ports({std::move(addr)}),
    kitex::client::with_transport_protocol(c.tp),
    kitex::client::with_protocol(c.proto),
    kitex::client::with_connect_timeout(1000ms),
    kitex::client::with_rpc_timeout(5000ms));
}

/// Success, the declared exception and a oneway call through our client;
/// `notified` reads the server's oneway count.
template<class Count>
void run_our_client(kitex::runtime::runtime& rt,
                    const echo::echo_server_actor& cli, Count notified) {
  auto r = kitex::client::call<echo::Response>(
    rt, cli, echo::echo_args{{"echo", "hello"}});
  REQUIRE(r);
  CHECK(*r == echo::Response{"echo", "hello"});
  auto e = kitex::client::call<echo::Response>(
    rt, cli, echo::echo_args{{"error", "bad"}});
  REQUIRE_FALSE(e);
  auto ex = kitex::get_exception<echo::EchoError>(e.error());
  REQUIRE(ex);
  CHECK(ex->code == 7);
  CHECK(ex->message == "bad");
  auto before = notified();
  auto n
    = kitex::client::call<void>(rt, cli, echo::notify_args{{"notify", "n"}});
  REQUIRE(n);
  CHECK(eventually([&] { return notified() >= before + 1; }));
  // Nothing came back for the oneway call: the next reply is Echo's.
  auto after = kitex::client::call<echo::Response>(
    rt, cli, echo::echo_args{{"echo", "after"}});
  REQUIRE(after);
  CHECK(after->msg == "after");
}

} // namespace

TEST_CASE("matrix: libthrift client -> our server", "[interop][matrix]") {
  for (auto& c : libthrift_cells()) {
    DYNAMIC_SECTION(c.name()) {
      kitex::runtime::runtime rt{test_runtime_options()};
      auto srv = make_echo_server(rt);
      auto port = srv.start();
      REQUIRE(port);
      peer_client pc{c, *port};
      CHECK(pc.echo("echo", "hello").msg == "hello");
      try {
        pc.echo("error", "boom");
        FAIL("Echo(error) returned normally");
      } catch (const apache_echo::EchoError& e) {
        CHECK(e.code == 7);
        CHECK(e.message == "boom");
      }
      auto before = echo::notify_count();
      pc.client.Notify(thrift_request("notify", "n"));
      CHECK(eventually([&] { return echo::notify_count() >= before + 1; }));
      CHECK(pc.echo("echo", "after").msg == "after");
    }
  }
}

TEST_CASE("matrix: our client -> libthrift server", "[interop][matrix]") {
  for (auto& c : libthrift_cells()) {
    DYNAMIC_SECTION(c.name()) {
      kitex::runtime::runtime rt{test_runtime_options()};
      thrift_server ts{c.server_transport(), c.server_protocol()};
      auto cli = make_echo_client(rt, c, ts.host_port());
      run_our_client(rt, cli, [&] { return ts.handler->notifies.load(); });
      CHECK(ts.handler->echoes == 3);
      ts.stop();
    }
  }
}

TEST_CASE("matrix: our client -> our server", "[interop][matrix]") {
  for (auto& c : our_cells()) {
    DYNAMIC_SECTION(c.name()) {
      kitex::runtime::runtime rt{test_runtime_options()};
      auto srv = make_echo_server(rt);
      auto port = srv.start();
      REQUIRE(port);
      auto cli = make_echo_client(rt, c, "127.0.0.1:" + std::to_string(*port));
      run_our_client(rt, cli, [] { return echo::notify_count(); });
    }
  }
}
