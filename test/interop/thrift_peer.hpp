#pragma once

// The libthrift side of the interop tests: a blocking libthrift EchoServer
// client and a TThreadedServer running a libthrift EchoServer handler in a
// background thread. Both use code generated from examples/echo/echo.thrift
// into namespace apache_echo (see CMakeLists.txt).

#include <poll.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/server/TThreadedServer.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TServerSocket.h>
#include <thrift/transport/TSocket.h>

#include "EchoServer.h"
#include "kitex/remote/transport.hpp"
#include "kitex/runtime/runtime.hpp"

namespace interop {

using namespace std::chrono_literals;
using apache::thrift::protocol::TBinaryProtocol;
using apache::thrift::protocol::TBinaryProtocolFactory;
using apache::thrift::protocol::TProtocol;
using apache::thrift::transport::TBufferedTransport;
using apache::thrift::transport::TBufferedTransportFactory;
using apache::thrift::transport::TFramedTransport;
using apache::thrift::transport::TFramedTransportFactory;
using apache::thrift::transport::TServerSocket;
using apache::thrift::transport::TSocket;
using apache::thrift::transport::TTransport;
using apache::thrift::transport::TTransportFactory;

// -- the two framings, as libthrift and as kitex spell them -------------------

struct framed {
  static constexpr auto kitex = kitex::remote::transport::framed;
  static std::shared_ptr<TTransport> wrap(std::shared_ptr<TTransport> t) {
    return std::make_shared<TFramedTransport>(std::move(t));
  }
  static std::shared_ptr<TTransportFactory> factory() {
    return std::make_shared<TFramedTransportFactory>();
  }
};

struct buffered {
  static constexpr auto kitex = kitex::remote::transport::buffered;
  static std::shared_ptr<TTransport> wrap(std::shared_ptr<TTransport> t) {
    return std::make_shared<TBufferedTransport>(std::move(t));
  }
  static std::shared_ptr<TTransportFactory> factory() {
    return std::make_shared<TBufferedTransportFactory>();
  }
};

inline kitex::runtime::runtime_options test_runtime_options() {
  kitex::runtime::runtime_options ro;
  ro.scheduler_threads = 2;
  ro.handle_signals = false;
  return ro;
}

/// Polls `pred` until it holds or `limit` passes; returns its last value.
template<class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = 5s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline)
      return pred();
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

inline apache_echo::Request thrift_request(std::string action,
                                           std::string msg) {
  apache_echo::Request req;
  req.action = std::move(action);
  req.msg = std::move(msg);
  return req;
}

// -- libthrift client ---------------------------------------------------------

/// A connected libthrift EchoServer client (blocking, bounded by timeouts).
template<class Framing>
struct thrift_client {
  std::shared_ptr<TSocket> socket;
  std::shared_ptr<TTransport> transport;
  std::shared_ptr<TProtocol> protocol;
  apache_echo::EchoServerClient client;

  explicit thrift_client(uint16_t port)
    : socket(std::make_shared<TSocket>("127.0.0.1", port)),
      transport(Framing::wrap(socket)),
      protocol(std::make_shared<TBinaryProtocol>(transport)), client(protocol) {
    socket->setConnTimeout(2000);
    socket->setRecvTimeout(5000);
    socket->setSendTimeout(5000);
    transport->open();
  }

  ~thrift_client() {
    transport->close();
  }

  apache_echo::Response echo(std::string action, std::string msg) {
    apache_echo::Response resp;
    client.Echo(resp, thrift_request(std::move(action), std::move(msg)));
    return resp;
  }
};

// -- libthrift server ---------------------------------------------------------

/// The socket of the connection the current libthrift server thread serves.
inline thread_local std::shared_ptr<TSocket> current_socket;

/// True once bytes of a further request wait on the current connection
/// (polled up to `limit`). Reading a frame with TFramedTransport leaves what
/// follows it in the kernel, so this sees calls the client pipelined.
inline bool next_request_pending(std::chrono::milliseconds limit) {
  if (!current_socket)
    return false;
  pollfd pfd{current_socket->getSocketFD(), POLLIN, 0};
  return ::poll(&pfd, 1, static_cast<int>(limit.count())) == 1
         && (pfd.revents & POLLIN) != 0;
}

/// echo returns {action, msg}; "error" throws the declared EchoError{7, msg};
/// "panic" throws std::runtime_error; Notify counts.
class thrift_echo_handler : public apache_echo::EchoServerIf {
public:
  std::atomic<int> echoes{0};
  std::atomic<int> notifies{0};
  std::atomic<bool> gate_taken{false};
  std::atomic<bool> saw_pipelined{false};

  void Echo(apache_echo::Response& ret,
            const apache_echo::Request& req) override {
    ++echoes;
    if (req.action == "error") {
      apache_echo::EchoError err;
      err.code = 7;
      err.message = req.msg;
      throw err;
    }
    if (req.action == "panic")
      throw std::runtime_error("handler panic");
    // The first "pipeline" call holds its reply until the next call arrives.
    if (req.action == "pipeline" && !gate_taken.exchange(true))
      saw_pipelined = next_request_pending(2s);
    ret.action = req.action;
    ret.msg = req.msg;
  }

  void Notify(const apache_echo::Request&) override {
    ++notifies;
  }
};

/// Counts connections and publishes the served socket to the handler.
class thrift_events : public apache::thrift::server::TServerEventHandler {
public:
  std::promise<void> ready;
  std::atomic<int> connections{0};

  void preServe() override {
    ready.set_value();
  }

  void* createContext(std::shared_ptr<TProtocol>,
                      std::shared_ptr<TProtocol>) override {
    ++connections;
    return nullptr;
  }

  void processContext(void*, std::shared_ptr<TTransport> t) override {
    current_socket = std::dynamic_pointer_cast<TSocket>(std::move(t));
  }
};

/// A TThreadedServer (Thrift Binary unless told otherwise) on an ephemeral
/// loopback port, serving in a background thread until stop().
class thrift_server {
public:
  std::shared_ptr<thrift_echo_handler> handler
    = std::make_shared<thrift_echo_handler>();
  std::shared_ptr<thrift_events> events = std::make_shared<thrift_events>();

  explicit thrift_server(
    std::shared_ptr<TTransportFactory> framing,
    std::shared_ptr<apache::thrift::protocol::TProtocolFactory> protocol
    = std::make_shared<TBinaryProtocolFactory>())
    : socket_(std::make_shared<TServerSocket>("127.0.0.1", 0)) {
    server_ = std::make_shared<apache::thrift::server::TThreadedServer>(
      std::make_shared<apache_echo::EchoServerProcessor>(handler), socket_,
      std::move(framing), std::move(protocol));
    server_->setServerEventHandler(events);
    auto ready = events->ready.get_future();
    thread_ = std::thread{[this] {
      try {
        server_->serve();
      } catch (const std::exception& e) {
        serve_error_ = e.what();
      }
    }};
    if (ready.wait_for(5s) != std::future_status::ready) {
      stop();
      FAIL("libthrift server did not start: " << serve_error_);
    }
  }

  ~thrift_server() {
    stop();
  }

  thrift_server(const thrift_server&) = delete;
  thrift_server& operator=(const thrift_server&) = delete;

  /// Stops accepting, interrupts the connections and joins the thread.
  void stop() {
    if (!thread_.joinable())
      return;
    server_->stop();
    thread_.join();
  }

  /// The port bound by listen() (TServerSocket resolves port 0).
  uint16_t port() const {
    return static_cast<uint16_t>(socket_->getPort());
  }

  std::string host_port() const {
    return "127.0.0.1:" + std::to_string(port());
  }

private:
  std::shared_ptr<TServerSocket> socket_;
  std::shared_ptr<apache::thrift::server::TThreadedServer> server_;
  std::thread thread_;
  std::string serve_error_;
};

} // namespace interop
