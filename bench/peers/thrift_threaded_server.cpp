// thrift-th: Apache Thrift C++ TThreadedServer serving EchoServer over
// Framed Thrift Binary: the classic blocking model, one thread per
// connection.

#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/server/TThreadedServer.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TServerSocket.h>

#include "thrift_echo_handler.hpp"

namespace {

namespace at = apache::thrift;

/// libthrift 0.17 charges every byte a connection reads against one budget
/// (TConfiguration::maxMessageSize, 100 MB) that nothing on the
/// TThreadedServer + TFramedTransport path gives back, so every connection
/// is closed after ~100 MB of requests (THRIFT-5371; seen here after 1599
/// calls of 64 KiB). This transport restores the budget after each message,
/// as the Thrift fix does; it costs two stores per call.
class budget_framed_transport : public at::transport::TFramedTransport {
public:
  using TFramedTransport::TFramedTransport;

  uint32_t readEnd() override {
    auto n = TFramedTransport::readEnd();
    resetConsumedMessageSize();
    return n;
  }
};

class budget_framed_factory : public at::transport::TTransportFactory {
public:
  std::shared_ptr<at::transport::TTransport>
  getTransport(std::shared_ptr<at::transport::TTransport> trans) override {
    return std::make_shared<budget_framed_transport>(std::move(trans));
  }
};

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"thrift-th: TThreadedServer echo peer"};
  std::string addr = "127.0.0.1:9091";
  app.add_option("--addr", addr, "listen address host:port");
  CLI11_PARSE(app, argc, argv);
  std::string host;
  int port = 0;
  if (!bench::split_host_port(addr, host, port)) {
    std::fprintf(stderr, "thrift-th: --addr wants HOST:PORT\n");
    return 2;
  }

  auto handler = std::make_shared<bench::thrift_echo_handler>();
  at::server::TThreadedServer server{
    std::make_shared<echo::EchoServerProcessor>(handler),
    std::make_shared<at::transport::TServerSocket>(host, port),
    std::make_shared<budget_framed_factory>(),
    std::make_shared<at::protocol::TBinaryProtocolFactory>()};
  server.serve();
  return 0;
}
