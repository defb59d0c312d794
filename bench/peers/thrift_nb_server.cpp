// thrift-nb: Apache Thrift C++ TNonblockingServer serving EchoServer over
// Framed Thrift Binary. One libevent io thread; calls run on a ThreadManager
// with --workers threads (0: on the io thread itself).

#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <thrift/concurrency/ThreadFactory.h>
#include <thrift/concurrency/ThreadManager.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/server/TNonblockingServer.h>
#include <thrift/transport/TNonblockingServerSocket.h>

#include "thrift_echo_handler.hpp"

int main(int argc, char** argv) {
  namespace at = apache::thrift;
  CLI::App app{"thrift-nb: TNonblockingServer echo peer"};
  std::string addr = "127.0.0.1:9090";
  size_t workers = 1;
  size_t io_threads = 1;
  app.add_option("--addr", addr, "listen address host:port");
  app.add_option("--workers", workers, "ThreadManager threads (0: none)");
  app.add_option("--io-threads", io_threads, "libevent io threads");
  CLI11_PARSE(app, argc, argv);
  std::string host;
  int port = 0;
  if (!bench::split_host_port(addr, host, port)) {
    std::fprintf(stderr, "thrift-nb: --addr wants HOST:PORT\n");
    return 2;
  }

  auto handler = std::make_shared<bench::thrift_echo_handler>();
  auto processor = std::make_shared<echo::EchoServerProcessor>(handler);
  auto protocol = std::make_shared<at::protocol::TBinaryProtocolFactory>();
  auto socket
    = std::make_shared<at::transport::TNonblockingServerSocket>(host, port);
  std::shared_ptr<at::concurrency::ThreadManager> pool;
  if (workers > 0) {
    pool = at::concurrency::ThreadManager::newSimpleThreadManager(workers);
    pool->threadFactory(std::make_shared<at::concurrency::ThreadFactory>());
    pool->start();
  }
  at::server::TNonblockingServer server{processor, protocol, socket, pool};
  server.setNumIOThreads(io_threads);
  server.serve();
  return 0;
}
