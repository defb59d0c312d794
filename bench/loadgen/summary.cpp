// The one summary line of a run (stdout), key=value pairs separated by
// spaces, so scripts can pick fields with a regular expression.

#include <algorithm>
#include <cstdio>
#include <string>

#include "engine.hpp"

namespace bench {

namespace {

class line {
public:
  void add(const char* key, const std::string& value) {
    text_ += text_.empty() ? "" : " ";
    text_ += key;
    text_ += '=';
    text_ += value;
  }
  void add(const char* key, double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    add(key, std::string{buf});
  }
  void add(const char* key, uint64_t value) {
    add(key, std::to_string(value));
  }
  const std::string& text() const {
    return text_;
  }

private:
  std::string text_;
};

double per_call(double total, uint64_t calls) {
  return calls == 0 ? 0.0 : total / static_cast<double>(calls);
}

double share_pct(double ticks, double window_s) {
  return window_s > 0 ? ticks / ticks_per_second() / window_s * 100 : 0.0;
}

void add_latency(line& l, const histogram& h) {
  l.add("mean_us", h.mean_ns() / 1e3, 1);
  l.add("p50_us", h.quantile_ns(0.5) / 1e3, 1);
  l.add("p90_us", h.quantile_ns(0.9) / 1e3, 1);
  l.add("p99_us", h.quantile_ns(0.99) / 1e3, 1);
  l.add("p999_us", h.quantile_ns(0.999) / 1e3, 1);
  l.add("max_us", static_cast<double>(h.max_ns()) / 1e3, 1);
}

/// The server's CPU, memory and context switches over the window; returns
/// its CPU ticks.
double add_server(line& l, const process_sample& a, const process_sample& b,
                  double window_s, uint64_t calls) {
  if (!a.ok || !b.ok)
    return 0;
  auto ticks = static_cast<double>(b.cpu_ticks - a.cpu_ticks);
  auto vcsw = static_cast<double>(b.voluntary_switches - a.voluntary_switches);
  auto ivcsw
    = static_cast<double>(b.involuntary_switches - a.involuntary_switches);
  l.add("server_cpu_us_per_call",
        per_call(ticks * 1e6 / ticks_per_second(), calls), 2);
  l.add("server_cpu_pct", share_pct(ticks, window_s), 1);
  l.add("server_rss_kb", b.rss_kb);
  l.add("server_hwm_kb", b.hwm_kb);
  l.add("server_vcsw_per_call", per_call(vcsw, calls), 3);
  l.add("server_ivcsw_per_call", per_call(ivcsw, calls), 3);
  return ticks;
}

/// Idle and steal of the machine, and the CPU used by everyone except the
/// server and the load generator (the contention guard).
void add_machine(line& l, const machine_sample& a, const machine_sample& b,
                 double charged_ticks, double window_s) {
  if (!a.ok || !b.ok || b.total() <= a.total())
    return;
  auto total = static_cast<double>(b.total() - a.total());
  auto busy = static_cast<double>(b.busy - a.busy);
  l.add("machine_idle_pct", static_cast<double>(b.idle - a.idle) / total * 100,
        1);
  l.add("steal_pct", static_cast<double>(b.steal - a.steal) / total * 100, 1);
  // In percent of one CPU, like server_cpu_pct and client_cpu_pct.
  l.add("other_cpu_pct",
        share_pct(std::max(0.0, busy - charged_ticks), window_s), 1);
}

} // namespace

void engine::print_summary() {
  line l;
  auto window_s = static_cast<double>(w1_.at_ns - w0_.at_ns) / 1e9;
  auto calls = window_ok_;
  l.add("transport", std::string{to_string(opt_.proto)});
  l.add("mode", std::string{open_loop() ? "open" : "closed"});
  l.add("c", uint64_t{slots_.size()});
  l.add("connections", uint64_t{conns_.size()});
  l.add("size", uint64_t{opt_.msg_size});
  l.add("rate", opt_.rate, 0);
  l.add("window_s", window_s, 3);
  l.add("calls", calls);
  l.add("qps", window_s > 0 ? static_cast<double>(calls) / window_s : 0.0, 0);
  add_latency(l, window_hist_);
  if (open_loop()) {
    // How late the load generator itself sent: part of every latency above.
    l.add("send_lag_p99_us", send_lag_hist_.quantile_ns(0.99) / 1e3, 1);
    l.add("send_lag_max_us", static_cast<double>(send_lag_hist_.max_ns()) / 1e3,
          1);
  }
  l.add("errors", errors_);
  l.add("mismatches", mismatches_);
  l.add("exceptions", exceptions_);
  l.add("unexpected", unexpected_);
  l.add("timeouts", timeouts_);
  l.add("conn_failures", conn_failures_);
  auto self_us = static_cast<double>(w1_.self_us - w0_.self_us);
  l.add("client_cpu_us_per_call", per_call(self_us, calls), 2);
  l.add("client_cpu_pct", window_s > 0 ? self_us / window_s / 1e4 : 0.0, 1);
  auto server_ticks = add_server(l, w0_.server, w1_.server, window_s, calls);
  auto self_ticks
    = static_cast<double>(w1_.self.cpu_ticks - w0_.self.cpu_ticks);
  add_machine(l, w0_.machine, w1_.machine, server_ticks + self_ticks, window_s);
  std::printf("%s\n", l.text().c_str());
  std::fflush(stdout);
}

} // namespace bench
