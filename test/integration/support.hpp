#pragma once

// Shared helpers for the loopback integration tests: an echo server on an
// ephemeral port, and a raw blocking socket for byte-level scripts.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "echo.kitex.hpp"
#include "echo_handler.hpp"
#include "kitex/client/client.hpp"
#include "kitex/remote/codec/envelope.hpp"
#include "kitex/remote/codec/thrift/application_exception.hpp"
#include "kitex/runtime/runtime.hpp"
#include "kitex/server/server.hpp"

namespace test {

using namespace std::chrono_literals;

/// KITEX_TEST_IO_THREADS=N runs the suite with N dedicated io threads (ctest
/// does so once as integration_tests_dedicated_io); by default the workers
/// run io.
inline kitex::runtime::runtime_options test_runtime_options() {
  kitex::runtime::runtime_options o;
  o.scheduler_threads = 2;
  if (const char* n = std::getenv("KITEX_TEST_IO_THREADS"))
    o.io_threads = static_cast<size_t>(std::strtoul(n, nullptr, 10));
  o.handle_signals = false;
  return o;
}

/// A runtime plus a started echo server on 127.0.0.1:<ephemeral>.
struct echo_fixture {
  kitex::runtime::runtime rt{test_runtime_options()};
  kitex::server::server srv;
  uint16_t port = 0;

  template<class... Opts>
  explicit echo_fixture(size_t workers = 2, Opts&&... opts)
    : srv(kitex::server::make_server(
      rt, kitex::server::with_service_addr("127.0.0.1:0"),
      std::forward<Opts>(opts)...)) {
    srv.add_service<echo::EchoServer>(echo::echo_impl,
                                      kitex::server::with_workers(workers));
    auto p = srv.start();
    REQUIRE(p);
    port = *p;
  }

  std::string addr() const {
    return "127.0.0.1:" + std::to_string(port);
  }

  template<class... Opts>
  echo::echo_server_actor client(Opts&&... opts) {
    return kitex::client::make_client<echo::EchoServer>(
      rt, "echo", kitex::client::with_host_ports({addr()}),
      kitex::client::with_connect_timeout(1s), std::forward<Opts>(opts)...);
  }

  caf::expected<echo::Response> echo_call(const echo::echo_server_actor& cli,
                                          std::string action,
                                          std::string msg = "hi") {
    return kitex::client::call<echo::Response>(
      rt, cli, echo::echo_args{{std::move(action), std::move(msg)}}, 5s);
  }
};

/// A blocking TCP socket with a receive timeout.
class raw_socket {
public:
  explicit raw_socket(uint16_t port,
                      std::chrono::milliseconds rcv_timeout = 2000ms) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_
      = ::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) == 0;
    timeval tv{};
    tv.tv_sec = rcv_timeout.count() / 1000;
    tv.tv_usec = (rcv_timeout.count() % 1000) * 1000;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  }

  ~raw_socket() {
    if (fd_ >= 0)
      ::close(fd_);
  }

  bool connected() const {
    return connected_;
  }

  bool send_bytes(const std::vector<uint8_t>& bytes) {
    size_t off = 0;
    while (off < bytes.size()) {
      auto n
        = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
      if (n <= 0)
        return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }

  /// Reads exactly n bytes; std::nullopt on EOF, error or timeout.
  std::optional<std::vector<uint8_t>> recv_exact(size_t n) {
    std::vector<uint8_t> out(n);
    size_t off = 0;
    while (off < n) {
      auto r = ::recv(fd_, out.data() + off, n - off, 0);
      if (r <= 0)
        return std::nullopt;
      off += static_cast<size_t>(r);
    }
    return out;
  }

  /// Reads one length-prefixed frame (framed or TTHeader), prefix included.
  std::optional<std::vector<uint8_t>> recv_frame() {
    auto len = recv_exact(4);
    if (!len)
      return std::nullopt;
    auto n = kitex::remote::get_u32(len->data());
    auto body = recv_exact(n);
    if (!body)
      return std::nullopt;
    len->insert(len->end(), body->begin(), body->end());
    return len;
  }

  /// True if the peer closed the connection (EOF or reset) within the
  /// receive timeout, reading and discarding anything before that.
  bool closed_by_peer() {
    uint8_t buf[4096];
    for (;;) {
      auto r = ::recv(fd_, buf, sizeof(buf), 0);
      if (r == 0)
        return true;
      if (r < 0)
        return errno == ECONNRESET;
    }
  }

private:
  int fd_ = -1;
  bool connected_ = false;
};

/// One frame read from a raw socket and decoded. The envelope borrows from
/// `bytes` (a moved vector keeps its buffer, so returning it is safe).
struct reply_frame {
  std::vector<uint8_t> bytes;
  kitex::remote::envelope env;

  /// The TApplicationException in the body of an exception reply.
  kitex::remote::thrift::application_exception exception() const {
    kitex::remote::limits lim;
    kitex::remote::thrift::binary_reader r{env.body, lim};
    kitex::remote::thrift::application_exception ex;
    REQUIRE(read_application_exception(r, ex));
    return ex;
  }
};

/// Reads one frame of wire `w` and decodes it; fails the test if it can't.
inline reply_frame read_reply(raw_socket& s, kitex::remote::detection::wire w) {
  reply_frame out;
  auto frame = s.recv_frame();
  REQUIRE(frame);
  out.bytes = std::move(*frame);
  REQUIRE(kitex::remote::decode_envelope(w, out.bytes, {}, out.env)
          == kitex::remote::protocol_error::none);
  return out;
}

/// Encodes an Echo (or other method) call frame with our encoder.
inline std::vector<uint8_t>
make_call(kitex::remote::transport tp, const std::string& method,
          const echo::Request& req, int32_t seq,
          const kitex::remote::ttheader::header& hdr = {}) {
  kitex::remote::byte_buffer buf;
  kitex::remote::frame_encoder enc{buf};
  enc.begin(tp, kitex::remote::protocol::binary, &hdr, method,
            kitex::remote::thrift::message_type::call, seq);
  echo::echo_method::write_args(enc.writer(), echo::echo_args{req});
  enc.finish();
  return {buf.begin(), buf.end()};
}

/// Resident set size of this process in KiB.
inline long rss_kib() {
  std::ifstream in{"/proc/self/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stol(line.substr(6));
  return -1;
}

/// Polls `pred` until it holds or `timeout` passes.
template<class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 2000ms) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred())
      return true;
    std::this_thread::sleep_for(5ms);
  }
  return pred();
}

} // namespace test
