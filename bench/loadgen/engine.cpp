#include "engine.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace bench {

namespace {

constexpr int64_t ns_per_s = 1'000'000'000;
constexpr size_t read_chunk = 256 * 1024;
constexpr size_t max_frame = 64 * 1024 * 1024;
constexpr uint32_t max_slots = 0xffff; // the slot index is seq's low 16 bits

int64_t now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * ns_per_s + ts.tv_nsec;
}

int64_t seconds_to_ns(double s) {
  return static_cast<int64_t>(s * static_cast<double>(ns_per_s));
}

} // namespace

engine::engine(options opt)
  : opt_(std::move(opt)), tpl_(opt_.proto, opt_.action, opt_.msg_size),
    rng_(opt_.seed), gap_s_(opt_.rate > 0 ? opt_.rate : 1.0) {
  if (opt_.connections == 0)
    opt_.connections = open_loop() ? 16 : opt_.callers;
  auto n = open_loop() ? opt_.max_outstanding : opt_.callers;
  slots_.resize(std::clamp<size_t>(n, 1, max_slots));
  if (open_loop())
    for (size_t i = slots_.size(); i-- > 0;)
      free_slots_.push_back(static_cast<uint32_t>(i));
  else
    for (size_t i = 0; i < slots_.size(); ++i)
      slots_[i].conn = static_cast<uint32_t>(i % opt_.connections);
}

engine::~engine() {
  for (auto& c : conns_)
    if (c.fd >= 0)
      ::close(c.fd);
  if (epfd_ >= 0)
    ::close(epfd_);
}

int engine::connect_one() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(opt_.host.c_str(), opt_.port.c_str(), &hints, &res) != 0)
    return -1;
  int fd = -1;
  for (auto* a = res; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(res);
  if (fd < 0)
    return -1;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

/// Connects every connection, retrying for up to 5 s while the server starts.
bool engine::connect_all() {
  epfd_ = epoll_create1(EPOLL_CLOEXEC);
  conns_.resize(opt_.connections);
  auto deadline = now_ns() + 5 * ns_per_s;
  for (uint32_t i = 0; i < conns_.size(); ++i) {
    int fd = connect_one();
    while (fd < 0 && now_ns() < deadline) {
      usleep(50'000);
      fd = connect_one();
    }
    if (fd < 0) {
      std::fprintf(stderr, "loadgen: cannot connect to %s:%s: %s\n",
                   opt_.host.c_str(), opt_.port.c_str(), std::strerror(errno));
      return false;
    }
    auto& c = conns_[i];
    c.fd = fd;
    c.in.resize(read_chunk);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = i;
    epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev);
  }
  live_conns_ = conns_.size();
  return true;
}

int engine::run() {
  if (!connect_all())
    return 1;
  auto now = now_ns();
  t0_ns_ = now;
  measure_start_ns_ = now + seconds_to_ns(opt_.warmup_s);
  end_ns_ = measure_start_ns_ + seconds_to_ns(opt_.duration_s);
  next_progress_ns_ = now + ns_per_s;
  next_arrival_ns_ = now;
  if (!open_loop())
    for (uint32_t si = 0; si < slots_.size(); ++si)
      issue(si, now);
  epoll_event events[256];
  while (true) {
    now = now_ns();
    tick(now);
    if (phase_ == phase::done)
      break;
    flush_pending();
    auto wait = std::max<int64_t>(next_deadline(now) - now, 0);
    timespec ts{wait / ns_per_s, wait % ns_per_s};
    int n = epoll_pwait2(epfd_, events, 256, &ts, nullptr);
    for (int i = 0; i < n; ++i)
      on_event(events[i].data.u32, events[i].events);
  }
  print_summary();
  if (window_ok_ == 0 && errors_ == 0)
    return 3;
  return errors_ == 0 ? 0 : 3;
}

void engine::tick(int64_t now) {
  if (phase_ == phase::warmup && now >= measure_start_ns_) {
    w0_ = take_sample(now);
    window_hist_.reset();
    send_lag_hist_.reset();
    window_ok_ = 0;
    phase_ = phase::measure;
  }
  if (phase_ == phase::measure && now >= end_ns_) {
    w1_ = take_sample(now);
    timeouts_ = stalled(now);
    errors_ += timeouts_;
    phase_ = phase::done;
    return;
  }
  if (live_conns_ == 0) {
    std::fprintf(stderr, "loadgen: every connection is closed; stopping\n");
    w1_ = take_sample(now);
    if (w0_.at_ns == 0)
      w0_ = w1_;
    phase_ = phase::done;
    return;
  }
  if (now >= next_progress_ns_)
    progress(now);
  if (open_loop())
    issue_arrivals(now);
}

void engine::progress(int64_t now) {
  if (opt_.progress) {
    auto secs = static_cast<double>(now - t0_ns_) / ns_per_s;
    size_t outstanding = 0;
    for (auto& c : conns_)
      outstanding += c.outstanding;
    std::fprintf(stderr,
                 "loadgen: t=%.0fs %s qps=%llu p50_us=%.1f p99_us=%.1f "
                 "errors=%llu outstanding=%zu stalled=%zu\n",
                 secs, phase_ == phase::warmup ? "warmup" : "measure",
                 static_cast<unsigned long long>(interval_ok_),
                 interval_hist_.quantile_ns(0.5) / 1e3,
                 interval_hist_.quantile_ns(0.99) / 1e3,
                 static_cast<unsigned long long>(errors_), outstanding,
                 stalled(now));
  }
  interval_hist_.reset();
  interval_ok_ = 0;
  next_progress_ns_ += ns_per_s;
}

/// Sends every call whose scheduled time has come, as long as slots are
/// free; late ones keep their scheduled time as the latency origin.
void engine::issue_arrivals(int64_t now) {
  while (next_arrival_ns_ <= now && !free_slots_.empty()) {
    size_t tries = 0;
    while (conns_[next_conn_].dead && tries++ < conns_.size())
      next_conn_ = (next_conn_ + 1) % conns_.size();
    auto si = free_slots_.back();
    free_slots_.pop_back();
    slots_[si].conn = static_cast<uint32_t>(next_conn_);
    next_conn_ = (next_conn_ + 1) % conns_.size();
    issue(si, next_arrival_ns_);
    if (phase_ == phase::measure)
      send_lag_hist_.record(now - next_arrival_ns_);
    next_arrival_ns_ += std::max<int64_t>(seconds_to_ns(gap_s_(rng_)), 1);
  }
}

int64_t engine::next_deadline(int64_t now) const {
  auto d = std::min(next_progress_ns_, end_ns_);
  if (phase_ == phase::warmup)
    d = std::min(d, measure_start_ns_);
  if (open_loop() && !free_slots_.empty())
    d = std::min(d, next_arrival_ns_);
  return std::max(d, now);
}

void engine::issue(uint32_t si, int64_t start_ns) {
  auto& s = slots_[si];
  auto& c = conns_[s.conn];
  if (c.dead)
    return;
  s.gen = static_cast<uint16_t>(s.gen % 0x7fff + 1); // 1..0x7fff: seq > 0
  s.seq = static_cast<int32_t>((uint32_t{s.gen} << 16) | si);
  s.start_ns = start_ns;
  s.busy = true;
  tpl_.append_to(c.out, s.seq);
  ++c.outstanding;
  if (opt_.proto == transport::raw)
    c.fifo.push_back(si);
  if (!c.queued) {
    c.queued = true;
    flush_list_.push_back(s.conn);
  }
}

void engine::on_event(uint32_t ci, uint32_t events) {
  if (conns_[ci].dead)
    return;
  if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
    on_readable(ci);
  if ((events & EPOLLOUT) && !conns_[ci].dead)
    flush(ci);
  flush_pending();
}

void engine::on_readable(uint32_t ci) {
  auto& c = conns_[ci];
  while (!c.dead) {
    if (c.in_begin == c.in_end)
      c.in_begin = c.in_end = 0;
    if (c.in.size() - c.in_end < read_chunk / 4) {
      std::memmove(c.in.data(), c.in.data() + c.in_begin,
                   c.in_end - c.in_begin);
      c.in_end -= c.in_begin;
      c.in_begin = 0;
      if (c.in.size() - c.in_end < read_chunk / 4)
        c.in.resize(c.in.size() * 2);
    }
    auto room = c.in.size() - c.in_end;
    auto n = ::read(c.fd, c.in.data() + c.in_end, room);
    if (n > 0) {
      c.in_end += static_cast<size_t>(n);
      if (!drain_replies(ci, now_ns()) || static_cast<size_t>(n) < room)
        return;
    } else if (n == 0) {
      return kill(ci, "closed by the server");
    } else if (errno != EINTR) {
      if (errno != EAGAIN)
        kill(ci, std::strerror(errno));
      return;
    }
  }
}

/// Handles every complete reply in the read buffer; false if the connection
/// had to be closed.
bool engine::drain_replies(uint32_t ci, int64_t now) {
  auto& c = conns_[ci];
  while (c.in_begin < c.in_end) {
    reply_view r;
    auto st = parse_reply(opt_.proto, c.in.data() + c.in_begin,
                          c.in_end - c.in_begin, max_frame, r);
    if (st == parse_status::need_more)
      return true;
    if (st == parse_status::malformed) {
      kill(ci, "malformed reply");
      return false;
    }
    on_reply(ci, r, now);
    c.in_begin += r.size;
  }
  return true;
}

void engine::on_reply(uint32_t ci, const reply_view& r, int64_t now) {
  auto& c = conns_[ci];
  uint32_t si = 0;
  if (opt_.proto == transport::raw) {
    if (c.fifo.empty()) {
      ++unexpected_, ++errors_;
      return;
    }
    si = c.fifo.front();
    c.fifo.pop_front();
  } else {
    si = static_cast<uint32_t>(r.seq) & 0xffff;
    if (si >= slots_.size() || !slots_[si].busy || slots_[si].seq != r.seq
        || slots_[si].conn != ci) {
      ++unexpected_, ++errors_;
      return;
    }
  }
  bool ok = !r.is_exception && !r.seq_mismatch && !r.wrong_method;
  exceptions_ += r.is_exception ? 1 : 0;
  bool same = tpl_.matches(slots_[si].seq, r.action, r.msg);
  mismatches_ += ok && !same ? 1 : 0;
  complete(si, ok && same, now);
}

void engine::complete(uint32_t si, bool ok, int64_t now) {
  auto& s = slots_[si];
  s.busy = false;
  --conns_[s.conn].outstanding;
  if (ok) {
    auto latency = now - s.start_ns;
    interval_hist_.record(latency);
    ++interval_ok_;
    if (phase_ == phase::measure) {
      window_hist_.record(latency);
      ++window_ok_;
    }
  } else {
    ++errors_;
  }
  if (open_loop())
    free_slots_.push_back(si);
  else if (phase_ != phase::done)
    issue(si, now);
}

void engine::flush_pending() {
  for (size_t i = 0; i < flush_list_.size(); ++i) {
    auto ci = flush_list_[i];
    conns_[ci].queued = false;
    if (!conns_[ci].dead)
      flush(ci);
  }
  flush_list_.clear();
}

void engine::flush(uint32_t ci) {
  auto& c = conns_[ci];
  while (c.out_begin < c.out.size()) {
    auto n = ::send(c.fd, c.out.data() + c.out_begin,
                    c.out.size() - c.out_begin, MSG_NOSIGNAL);
    if (n > 0) {
      c.out_begin += static_cast<size_t>(n);
    } else if (n < 0 && errno == EAGAIN) {
      return poll_out(ci, true);
    } else if (n < 0 && errno != EINTR) {
      return kill(ci, std::strerror(errno));
    }
  }
  c.out.clear();
  c.out_begin = 0;
  poll_out(ci, false);
}

void engine::poll_out(uint32_t ci, bool on) {
  auto& c = conns_[ci];
  if (c.polling_out == on)
    return;
  c.polling_out = on;
  epoll_event ev{};
  ev.events = on ? uint32_t{EPOLLIN | EPOLLOUT} : uint32_t{EPOLLIN};
  ev.data.u32 = ci;
  epoll_ctl(epfd_, EPOLL_CTL_MOD, c.fd, &ev);
}

/// Closes a connection; its calls in flight count as errors.
void engine::kill(uint32_t ci, const std::string& why) {
  auto& c = conns_[ci];
  std::fprintf(stderr, "loadgen: connection %u: %s (%zu calls in flight)\n", ci,
               why.c_str(), c.outstanding);
  ::close(c.fd);
  c.fd = -1;
  c.dead = true;
  --live_conns_;
  ++conn_failures_;
  errors_ += c.outstanding;
  c.outstanding = 0;
  c.fifo.clear();
  for (uint32_t si = 0; si < slots_.size(); ++si) {
    if (slots_[si].busy && slots_[si].conn == ci) {
      slots_[si].busy = false;
      if (open_loop())
        free_slots_.push_back(si);
    }
  }
}

size_t engine::stalled(int64_t now) const {
  auto limit = static_cast<int64_t>(opt_.timeout_ms) * 1'000'000;
  return static_cast<size_t>(
    std::count_if(slots_.begin(), slots_.end(), [&](const slot& s) {
      return s.busy && now - s.start_ns > limit;
    }));
}

engine::window_sample engine::take_sample(int64_t now) const {
  window_sample w;
  w.at_ns = now;
  if (opt_.server_pid > 0)
    w.server = sample_process(opt_.server_pid);
  w.self = sample_process(getpid());
  w.self_us = self_cpu_us();
  w.machine = sample_machine();
  return w;
}

} // namespace bench
