#pragma once

// tcp_connection — the io-thread half of a connection (server or client).
//
// Owns the socket, the read buffer and the write queue; only its strand
// touches the socket. Each socket read is split into frames (detecting the
// framing of every frame as Kitex does) and all complete frames of one read
// go to the owning actor as ONE frame_batch (one cross-thread hop per read).
// Writes may be posted from any thread; writes posted before the strand runs
// are coalesced into one gather-write. Protocol errors, the frame-completion
// timeout and an overfull write queue close the socket with a reason.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>
#include <caf/allowed_unsafe_message_type.hpp>

#include "kitex/remote/byte_buffer.hpp"
#include "kitex/remote/limits.hpp"
#include "kitex/remote/trans/detection/detect.hpp"
#include "kitex/runtime/runtime.hpp"

namespace kitex::remote {

/// All complete frames of one socket read, sharing one block.
struct frame_batch {
  struct item {
    uint32_t offset;
    uint32_t size;
    detection::wire wire;
  };
  shared_bytes block;
  std::vector<item> frames;
};

struct connection_options {
  limits lim;
  /// A frame that started must complete within this time (0 = off).
  std::chrono::milliseconds read_timeout{5000};
  /// Bytes queued for writing beyond which the peer is considered stuck.
  size_t max_pending_write = 16 * 1024 * 1024;
  /// Client side: dial timeout.
  std::chrono::milliseconds connect_timeout{50};
};

class tcp_connection : public std::enable_shared_from_this<tcp_connection>,
                       public runtime::closeable {
public:
  using executor_type = asio::strand<asio::io_context::executor_type>;
  using frames_handler = std::function<void(frame_batch&&)>;
  using close_handler = std::function<void(std::string reason)>;
  using connect_handler = std::function<void()>;

  /// Server side: wraps an accepted socket.
  tcp_connection(asio::io_context& io, asio::ip::tcp::socket sock,
                 connection_options opts);

  /// Client side: a socket to be connected with connect().
  tcp_connection(asio::io_context& io, connection_options opts);

  ~tcp_connection() override;

  /// Set before start()/connect(); called on the strand.
  void set_handlers(frames_handler on_frames, close_handler on_close,
                    connect_handler on_connect = nullptr);

  /// Server side: starts reading.
  void start();

  /// Client side: resolves and connects to host:port within the connect
  /// timeout, then starts reading. Writes posted before are sent after.
  void connect(std::string host, std::string port);

  /// Queues bytes for writing (any thread).
  void post_write(byte_buffer bytes);

  /// Closes the socket on the strand (any thread).
  void post_close(std::string reason);

  void close_now() override;

  /// "ip:port" of the peer (empty if unknown).
  const std::string& peer() const noexcept {
    return peer_;
  }

private:
  void do_read();
  void on_read(size_t n);
  bool split_frames(frame_batch& batch, size_t& consumed);
  void ensure_read_space(size_t wanted);
  void update_read_timer();
  void arm_read_timer(std::chrono::steady_clock::time_point at);
  void schedule_flush();
  static void write_deferred(void* self);
  void write_queued();
  void flush();
  void close(std::string reason);

  asio::ip::tcp::socket sock_;
  executor_type strand_;
  connection_options opts_;
  asio::steady_timer read_timer_;
  asio::steady_timer connect_timer_;
  std::string peer_;

  // Strand-only state.
  byte_buffer rbuf_;
  size_t rlen_ = 0;
  uint64_t read_timer_gen_ = 0;
  bool read_timer_armed_ = false;
  // When the frame now partly in rbuf_ began to arrive.
  std::optional<std::chrono::steady_clock::time_point> partial_since_;
  bool connected_ = false;
  bool writing_ = false;
  bool closed_ = false;
  std::vector<byte_buffer> inflight_;
  std::vector<asio::const_buffer> gather_;
  frames_handler on_frames_;
  close_handler on_close_;
  connect_handler on_connect_;

  // Shared with posting threads.
  std::mutex queue_mtx_;
  std::vector<byte_buffer> queue_;
  size_t queued_bytes_ = 0;
  bool flush_scheduled_ = false;
  /// Connected, open and no write in flight or queued: post_write() may
  /// send at once from the posting thread (under queue_mtx_, which close()
  /// takes before it closes the socket).
  bool direct_ok_ = false;
  /// Set by close(): posts are dropped from then on (under queue_mtx_).
  bool shut_ = false;
  /// queue_ waits for the posting worker's end-of-batch write_queued().
  bool deferred_ = false;
  int fd_ = -1;
};

} // namespace kitex::remote

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(kitex::remote::frame_batch)
