// echo_client: calls EchoServer.Echo (and Notify with --oneway) once and
// prints the reply. Exits non-zero on any error.

#include <chrono>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "echo.kitex.hpp"
#include "kitex/client/client.hpp"
#include "kitex/runtime/runtime.hpp"

int main(int argc, char** argv) {
  CLI::App app{"libkitex-actor echo client"};
  std::string addr = "127.0.0.1:8888";
  std::string transport = "framed";
  std::string protocol = "binary";
  std::string action = "echo";
  std::string msg = "hello";
  long timeout_ms = 3000;
  int count = 1;
  bool oneway = false;
  app.add_option("--addr", addr, "server address host:port");
  app.add_option("--transport", transport,
                 "framed | buffered | ttheader | ttheader-framed | theader");
  app.add_option("--protocol", protocol, "binary | compact");
  app.add_option("--action", action, "request action");
  app.add_option("--msg", msg, "request message");
  app.add_option("--timeout-ms", timeout_ms, "RPC timeout");
  app.add_option("--count", count, "calls to make");
  app.add_flag("--oneway", oneway, "call Notify (oneway) instead of Echo");
  CLI11_PARSE(app, argc, argv);

  auto tp = kitex::remote::parse_transport(transport);
  if (!tp) {
    std::cerr << "unknown transport: " << transport << "\n";
    return 2;
  }
  auto proto = kitex::remote::parse_protocol(protocol);
  if (!proto) {
    std::cerr << "unknown protocol: " << protocol << "\n";
    return 2;
  }
  kitex::runtime::runtime rt;
  auto timeout = std::chrono::milliseconds{timeout_ms};
  auto cli = kitex::client::make_client<echo::EchoServer>(
    rt, "echo", kitex::client::with_host_ports({addr}),
    kitex::client::with_transport_protocol(*tp),
    kitex::client::with_protocol(*proto),
    kitex::client::with_rpc_timeout(timeout),
    kitex::client::with_connect_timeout(std::chrono::milliseconds{1000}));
  echo::Request req{action, msg};
  for (int i = 0; i < count; ++i) {
    if (oneway) {
      auto r = kitex::client::call<void>(rt, cli, echo::notify_args{req});
      if (!r) {
        std::cerr << "notify failed: " << kitex::render_error(r.error())
                  << "\n";
        return 1;
      }
      std::cout << "notify sent\n";
      continue;
    }
    auto r = kitex::client::call<echo::Response>(rt, cli, echo::echo_args{req},
                                                 timeout + timeout);
    if (!r) {
      if (auto ex = kitex::get_exception<echo::EchoError>(r.error()))
        std::cerr << "EchoError{code=" << ex->code
                  << ", message=" << ex->message << "}\n";
      else
        std::cerr << "call failed: " << kitex::render_error(r.error()) << "\n";
      return 1;
    }
    std::cout << "reply: action=" << r->action << " msg=" << r->msg << "\n";
  }
  return 0;
}
