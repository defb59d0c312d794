#include "kitex/remote/trans/tcp/tcp_connection.hpp"

#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cstring>

#include <asio/bind_executor.hpp>
#include <asio/connect.hpp>
#include <asio/post.hpp>
#include <asio/write.hpp>

#include "kitex/klog/klog.hpp"
#include "kitex/runtime/io_scheduler.hpp"

namespace kitex::remote {

namespace {

constexpr size_t initial_read_buffer = 64 * 1024;
constexpr size_t min_read_space = 16 * 1024;
// A batch of at least this many bytes takes the read buffer itself.
constexpr size_t handover_threshold = 16 * 1024;

std::string endpoint_text(const asio::ip::tcp::socket& sock) {
  asio::error_code ec;
  auto ep = sock.remote_endpoint(ec);
  if (ec)
    return {};
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

} // namespace

tcp_connection::tcp_connection(asio::io_context& io, asio::ip::tcp::socket sock,
                               connection_options opts)
  : sock_(std::move(sock)), strand_(asio::make_strand(io)), opts_(opts),
    read_timer_(strand_), connect_timer_(strand_), peer_(endpoint_text(sock_)),
    rbuf_(initial_read_buffer), connected_(true) {
  asio::error_code ignored;
  sock_.set_option(asio::ip::tcp::no_delay(true), ignored);
  fd_ = sock_.native_handle();
  direct_ok_ = true;
}

tcp_connection::tcp_connection(asio::io_context& io, connection_options opts)
  : sock_(io), strand_(asio::make_strand(io)), opts_(opts),
    read_timer_(strand_), connect_timer_(strand_), rbuf_(initial_read_buffer) {}

tcp_connection::~tcp_connection() = default;

void tcp_connection::set_handlers(frames_handler on_frames,
                                  close_handler on_close,
                                  connect_handler on_connect) {
  on_frames_ = std::move(on_frames);
  on_close_ = std::move(on_close);
  on_connect_ = std::move(on_connect);
}

void tcp_connection::start() {
  asio::post(strand_, [self = shared_from_this()] { self->do_read(); });
}

void tcp_connection::connect(std::string host, std::string port) {
  asio::post(strand_, [self = shared_from_this(), host = std::move(host),
                       port = std::move(port)] {
    auto resolver = std::make_shared<asio::ip::tcp::resolver>(self->strand_);
    self->connect_timer_.expires_after(self->opts_.connect_timeout);
    self->connect_timer_.async_wait([self](const asio::error_code& ec) {
      if (!ec && !self->connected_)
        self->close("connect timeout");
    });
    resolver->async_resolve(
      host, port,
      [self, resolver](const asio::error_code& ec,
                       asio::ip::tcp::resolver::results_type eps) {
        if (ec || self->closed_)
          return self->close("resolve failed: " + ec.message());
        asio::async_connect(
          self->sock_, eps,
          asio::bind_executor(
            self->strand_, [self](const asio::error_code& ec2,
                                  const asio::ip::tcp::endpoint&) {
              if (self->closed_)
                return;
              if (ec2)
                return self->close("connect failed: " + ec2.message());
              self->connect_timer_.cancel();
              self->connected_ = true;
              {
                std::lock_guard<std::mutex> guard{self->queue_mtx_};
                self->fd_ = self->sock_.native_handle();
                self->direct_ok_ = self->queue_.empty();
              }
              asio::error_code ignored;
              self->sock_.set_option(asio::ip::tcp::no_delay(true), ignored);
              self->peer_ = endpoint_text(self->sock_);
              if (self->on_connect_)
                self->on_connect_();
              self->do_read();
              self->flush();
            }));
      });
  });
}

void tcp_connection::post_write(byte_buffer bytes) {
  {
    std::lock_guard<std::mutex> guard{queue_mtx_};
    if (shut_)
      return; // closed: nothing will write it, and io may be gone
    // Nothing queued or in flight: write from this thread, sparing the hop
    // to io. On a worker that runs io, wait until it has run the rest of its
    // jobs, so the replies of one batch leave in one write; elsewhere send
    // now. What the socket does not take goes the usual way; so do errors,
    // which the strand's write reports and closes on.
    if (!deferred_ && direct_ok_ && queue_.empty() && !flush_scheduled_) {
      if (runtime::detail::defer_until_idle(shared_from_this(),
                                            &tcp_connection::write_deferred)) {
        deferred_ = true;
      } else {
        auto n = ::send(fd_, bytes.data(), bytes.size(),
                        MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n == static_cast<ssize_t>(bytes.size()))
          return;
        if (n > 0)
          bytes.erase(bytes.begin(), bytes.begin() + n);
      }
    }
    queued_bytes_ += bytes.size();
    queue_.push_back(std::move(bytes));
    // A deferred queue is written with the rest of this worker's batch.
    if (deferred_ || flush_scheduled_)
      return;
    flush_scheduled_ = true;
  }
  schedule_flush();
}

void tcp_connection::schedule_flush() {
  asio::post(strand_, [self = shared_from_this()] { self->flush(); });
}

void tcp_connection::write_deferred(void* self) {
  static_cast<tcp_connection*>(self)->write_queued();
}

void tcp_connection::write_queued() {
  {
    std::lock_guard<std::mutex> guard{queue_mtx_};
    deferred_ = false;
    if (shut_ || queue_.empty())
      return;
    if (direct_ok_ && !flush_scheduled_) {
      // One gather write of everything queued, without blocking.
      iovec iov[64];
      size_t n_iov = std::min<size_t>(queue_.size(), std::size(iov));
      for (size_t i = 0; i < n_iov; ++i)
        iov[i] = {queue_[i].data(), queue_[i].size()};
      msghdr msg{};
      msg.msg_iov = iov;
      msg.msg_iovlen = n_iov;
      auto n = ::sendmsg(fd_, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
      size_t sent = n > 0 ? static_cast<size_t>(n) : 0;
      queued_bytes_ -= sent;
      size_t done = 0;
      while (done < queue_.size() && sent >= queue_[done].size())
        sent -= queue_[done++].size();
      if (done < queue_.size() && sent > 0)
        queue_[done].erase(queue_[done].begin(),
                           queue_[done].begin() + static_cast<ptrdiff_t>(sent));
      queue_.erase(queue_.begin(),
                   queue_.begin() + static_cast<ptrdiff_t>(done));
      if (queue_.empty())
        return;
    }
    if (flush_scheduled_)
      return;
    flush_scheduled_ = true;
  }
  schedule_flush();
}

void tcp_connection::post_close(std::string reason) {
  bool write_first = false;
  {
    // An actor's clean-up may run after the runtime closed the socket and
    // destroyed the io_context: then there is nothing left to post to.
    std::lock_guard<std::mutex> guard{queue_mtx_};
    if (shut_)
      return;
    write_first = deferred_;
  }
  // Bytes waiting for the end of this worker's batch (an error reply, say)
  // leave before the close, not never.
  if (write_first)
    write_queued();
  asio::post(strand_, [self = shared_from_this(), r = std::move(reason)] {
    self->close(r);
  });
}

void tcp_connection::close_now() {
  close("runtime shutdown");
}

void tcp_connection::do_read() {
  if (closed_)
    return;
  ensure_read_space(min_read_space);
  sock_.async_read_some(
    asio::buffer(rbuf_.data() + rlen_, rbuf_.size() - rlen_),
    asio::bind_executor(strand_, [self = shared_from_this()](
                                   const asio::error_code& ec, size_t n) {
      if (self->closed_)
        return;
      if (ec) {
        self->close(ec == asio::error::eof ? "peer closed"
                                           : "read failed: " + ec.message());
        return;
      }
      self->on_read(n);
    }));
}

void tcp_connection::on_read(size_t n) {
  rlen_ += n;
  frame_batch batch;
  size_t consumed = 0;
  if (!split_frames(batch, consumed))
    return; // closed
  if (!batch.frames.empty()) {
    // Whatever is left is a new frame: its read time starts now.
    partial_since_.reset();
    if (consumed == rlen_ && consumed >= handover_threshold) {
      // Everything read is whole frames, and many bytes: hand the buffer
      // itself to the batch and read on into a fresh one (no copy).
      auto room = rbuf_.size(); // keep the room big frames made
      rbuf_.resize(consumed);
      batch.block = std::make_shared<const byte_buffer>(std::move(rbuf_));
      rbuf_ = byte_buffer(room);
      rlen_ = 0;
      consumed = 0;
    } else {
      batch.block = std::make_shared<const byte_buffer>(
        rbuf_.begin(), rbuf_.begin() + consumed);
    }
    if (on_frames_)
      on_frames_(std::move(batch));
  }
  if (consumed > 0) {
    std::memmove(rbuf_.data(), rbuf_.data() + consumed, rlen_ - consumed);
    rlen_ -= consumed;
  }
  update_read_timer();
  do_read();
}

bool tcp_connection::split_frames(frame_batch& batch, size_t& consumed) {
  while (consumed < rlen_) {
    byte_span rest{rbuf_.data() + consumed, rlen_ - consumed};
    auto w = detection::detect(rest);
    if (w == detection::wire::need_more)
      return true;
    if (w == detection::wire::http2 || w == detection::wire::invalid) {
      close(std::string{"invalid payload ("} + detection::to_string(w)
            + "): " + detection::describe_first_bytes(rest));
      return false;
    }
    auto split = detection::next_frame(w, rest, opts_.lim);
    if (split.status == detection::split_result::error) {
      close(std::string{"protocol error: "} + to_string(split.error_code) + " ("
            + detection::to_string(w) + ")");
      return false;
    }
    if (split.status == detection::split_result::need_more) {
      // A length-prefixed frame tells how much room it needs.
      if (w != detection::wire::buffered && rest.size() >= 4)
        ensure_read_space(4 + size_t{get_u32(rest.data())} - rest.size());
      return true;
    }
    batch.frames.push_back(
      {static_cast<uint32_t>(consumed), static_cast<uint32_t>(split.size), w});
    consumed += split.size;
  }
  return true;
}

void tcp_connection::ensure_read_space(size_t wanted) {
  auto free_space = rbuf_.size() - rlen_;
  if (free_space >= wanted)
    return;
  // Bounded: next_frame() refused anything above the frame limit already.
  auto target = std::max(rbuf_.size() * 2, rlen_ + wanted);
  rbuf_.resize(target);
}

void tcp_connection::update_read_timer() {
  if (opts_.read_timeout.count() == 0)
    return;
  if (rlen_ == 0) {
    // The timer, if armed, stays: it finds nothing partial when it fires.
    // Arming and cancelling it per frame cost more than the frame at 64 KiB.
    partial_since_.reset();
    if (rbuf_.size() > 4 * initial_read_buffer) // give back a big buffer
      byte_buffer(initial_read_buffer).swap(rbuf_);
    return;
  }
  if (!partial_since_)
    partial_since_ = std::chrono::steady_clock::now();
  if (!read_timer_armed_)
    arm_read_timer(*partial_since_ + opts_.read_timeout);
}

void tcp_connection::arm_read_timer(std::chrono::steady_clock::time_point at) {
  read_timer_armed_ = true;
  auto gen = read_timer_gen_;
  read_timer_.expires_at(at);
  read_timer_.async_wait(
    [self = shared_from_this(), gen](const asio::error_code& ec) {
      if (ec || gen != self->read_timer_gen_ || self->closed_)
        return;
      self->read_timer_armed_ = false;
      if (!self->partial_since_)
        return; // no frame in progress; the next partial read re-arms
      auto deadline = *self->partial_since_ + self->opts_.read_timeout;
      if (std::chrono::steady_clock::now() < deadline) {
        self->arm_read_timer(deadline); // a later frame started meanwhile
        return;
      }
      self->close("read timeout: frame incomplete after "
                  + std::to_string(self->opts_.read_timeout.count()) + " ms");
    });
}

void tcp_connection::flush() {
  if (closed_ || writing_ || !connected_)
    return;
  size_t bytes = 0;
  {
    std::lock_guard<std::mutex> guard{queue_mtx_};
    flush_scheduled_ = false;
    if (queue_.empty()) {
      direct_ok_ = true; // connected, open, nothing in flight
      return;
    }
    direct_ok_ = false;
    inflight_.swap(queue_);
    bytes = queued_bytes_;
    queued_bytes_ = 0;
  }
  if (bytes > opts_.max_pending_write) {
    close("write queue overflow: " + std::to_string(bytes) + " bytes");
    return;
  }
  gather_.clear();
  for (auto& buf : inflight_)
    gather_.emplace_back(buf.data(), buf.size());
  writing_ = true;
  asio::async_write(
    sock_, gather_,
    asio::bind_executor(
      strand_, [self = shared_from_this()](const asio::error_code& ec, size_t) {
        self->writing_ = false;
        self->inflight_.clear();
        if (ec) {
          self->close("write failed: " + ec.message());
          return;
        }
        self->flush();
      }));
}

void tcp_connection::close(std::string reason) {
  if (closed_)
    return;
  closed_ = true;
  {
    std::lock_guard<std::mutex> guard{queue_mtx_};
    direct_ok_ = false;
    shut_ = true;
  }
  ++read_timer_gen_;
  asio::error_code ignored;
  read_timer_.cancel();
  connect_timer_.cancel();
  sock_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  sock_.close(ignored);
  // Dropping the handlers breaks the socket -> actor -> socket cycle.
  auto on_close = std::move(on_close_);
  on_frames_ = nullptr;
  on_connect_ = nullptr;
  if (on_close)
    on_close(std::move(reason));
}

} // namespace kitex::remote
