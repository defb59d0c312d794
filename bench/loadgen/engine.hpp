#pragma once

// The load generator's event loop: one thread, one epoll set, N
// connections. Closed loop: C callers spread round robin over the
// connections, each sending its next call as soon as its reply arrived; a
// connection carries several outstanding calls when C > N (pipelining).
// Open loop: Poisson arrivals at a fixed rate; each call's latency runs from
// its *scheduled* send time, so a slow server cannot hide its queueing
// (no coordinated omission).
//
// Every reply is parsed and checked against the call that caused it;
// anything else counts as an error.

#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <sys/types.h>
#include <vector>

#include "echo_wire.hpp"
#include "histogram.hpp"
#include "proc_stats.hpp"

namespace bench {

struct options {
  std::string host = "127.0.0.1";
  std::string port = "8888";
  transport proto = transport::framed;
  size_t callers = 8;         // closed loop
  size_t connections = 0;     // 0: one per caller (closed), 16 (open)
  double duration_s = 10;     // measured window
  double warmup_s = 2;        // before the window; not recorded
  size_t msg_size = 1024;     // Request.msg bytes (raw: payload bytes)
  double rate = 0;            // > 0: open loop at this many calls per second
  pid_t server_pid = 0;       // > 0: charge its CPU, RSS and switches
  uint32_t timeout_ms = 5000; // an unanswered call older than this is an error
  size_t max_outstanding = 16384; // open loop cap on calls in flight
  std::string action = "echo";
  bool progress = true; // one line per second on stderr
  uint64_t seed = 1;
};

class engine {
public:
  explicit engine(options opt);
  ~engine();
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  /// Connects, warms up, measures, prints the summary line on stdout.
  /// Returns 0, 1 if it could not connect, 3 if any call failed.
  int run();

private:
  struct connection {
    int fd = -1;
    std::vector<uint8_t> in;
    size_t in_begin = 0;
    size_t in_end = 0;
    std::vector<uint8_t> out;
    size_t out_begin = 0;
    bool polling_out = false;
    bool queued = false;       // in flush_list_
    std::deque<uint32_t> fifo; // raw: slots in send order
    size_t outstanding = 0;
    bool dead = false;
  };

  struct slot {
    uint32_t conn = 0;
    int32_t seq = 0;
    int64_t start_ns = 0;
    uint16_t gen = 0;
    bool busy = false;
  };

  enum class phase { warmup, measure, done };

  struct window_sample {
    int64_t at_ns = 0;
    process_sample server;
    process_sample self;
    uint64_t self_us = 0;
    machine_sample machine;
  };

  bool open_loop() const {
    return opt_.rate > 0;
  }

  bool connect_all();
  int connect_one();
  void tick(int64_t now);
  void progress(int64_t now);
  void issue_arrivals(int64_t now);
  int64_t next_deadline(int64_t now) const;
  void issue(uint32_t si, int64_t start_ns);
  void on_event(uint32_t ci, uint32_t events);
  void on_readable(uint32_t ci);
  bool drain_replies(uint32_t ci, int64_t now);
  void on_reply(uint32_t ci, const reply_view& r, int64_t now);
  void complete(uint32_t si, bool ok, int64_t now);
  void flush_pending();
  void flush(uint32_t ci);
  void poll_out(uint32_t ci, bool on);
  void kill(uint32_t ci, const std::string& why);
  size_t stalled(int64_t now) const;
  window_sample take_sample(int64_t now) const;
  void print_summary();

  options opt_;
  request_template tpl_;
  int epfd_ = -1;
  std::vector<connection> conns_;
  std::vector<slot> slots_;
  std::vector<uint32_t> free_slots_; // open loop
  std::vector<uint32_t> flush_list_;
  size_t live_conns_ = 0;
  size_t next_conn_ = 0; // open loop round robin
  phase phase_ = phase::warmup;
  int64_t measure_start_ns_ = 0;
  int64_t end_ns_ = 0;
  int64_t t0_ns_ = 0;
  int64_t next_progress_ns_ = 0;
  int64_t next_arrival_ns_ = 0;
  std::mt19937_64 rng_;
  std::exponential_distribution<double> gap_s_;
  histogram window_hist_;
  histogram interval_hist_;
  histogram send_lag_hist_; // open loop: actual minus scheduled send time
  uint64_t window_ok_ = 0;
  uint64_t interval_ok_ = 0;
  uint64_t errors_ = 0;
  uint64_t mismatches_ = 0;
  uint64_t exceptions_ = 0;
  uint64_t unexpected_ = 0;
  uint64_t conn_failures_ = 0;
  uint64_t timeouts_ = 0;
  window_sample w0_;
  window_sample w1_;
};

} // namespace bench
