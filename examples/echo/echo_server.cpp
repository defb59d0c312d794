// echo_server: serves EchoServer (echo.thrift) on one port over TTHeader,
// Framed and Buffered Thrift Binary until SIGINT/SIGTERM, then stops
// gracefully (in-flight calls finish within the exit wait time).

#include <chrono>
#include <string>

#include <CLI/CLI.hpp>

#include "echo_handler.hpp"
#include "kitex/runtime/runtime.hpp"
#include "kitex/server/server.hpp"

int main(int argc, char** argv) {
  CLI::App app{"libkitex-actor echo server"};
  std::string addr = "127.0.0.1:8888";
  size_t workers = 4;
  long exit_wait_ms = 5000;
  kitex::runtime::runtime_options ro;
  app.add_option("--addr", addr, "listen address host:port");
  app.add_option("--workers", workers, "worker actors");
  app.add_option("--exit-wait-ms", exit_wait_ms, "graceful stop budget");
  app.add_option("--scheduler-policy", ro.scheduler_policy,
                 "CAF scheduler: sharing or stealing");
  app.add_option("--scheduler-threads", ro.scheduler_threads,
                 "CAF threads (0 = cores left after io threads)");
  app.add_option("--io-threads", ro.io_threads,
                 "dedicated asio io threads (0 = CAF threads run io)");
  CLI11_PARSE(app, argc, argv);

  kitex::runtime::runtime rt{ro};
  auto srv
    = kitex::server::make_server(rt, kitex::server::with_service_addr(addr),
                                 kitex::server::with_exit_wait_time(
                                   std::chrono::milliseconds{exit_wait_ms}));
  srv.add_service<echo::EchoServer>(echo::echo_impl,
                                    kitex::server::with_workers(workers));
  return srv.run();
}
