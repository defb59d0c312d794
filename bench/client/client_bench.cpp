// client_bench: our client against a running echo server, the way a user's
// service calls another one: C caller actors, each making its next Echo call
// through one client actor as soon as the last reply arrived (closed loop).
// Unlike loadgen it measures our client too, so "ours + ours" can be set
// against Kitex Go's own client + server numbers (docs/benchmarks.md).
//
// Every reply is checked: its msg must be the call's (each msg carries the
// caller and call number). Ends with one key=value line like loadgen's.

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <caf/event_based_actor.hpp>

#include "echo.kitex.hpp"
#include "histogram.hpp"
#include "kitex/client/client.hpp"
#include "kitex/runtime/runtime.hpp"
#include "proc_stats.hpp"

namespace {

enum class phase : int { warmup, measure, done };

struct run_state {
  std::atomic<phase> now{phase::warmup};
  std::atomic<size_t> finished{0};
};

/// What one caller saw; written only by its actor, read after it finished.
struct caller_result {
  bench::histogram hist;
  uint64_t ok = 0;
  uint64_t errors = 0;
  uint64_t mismatches = 0;
};

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

/// `size` bytes that start with the caller id and the call number.
std::string tagged_msg(size_t caller, uint64_t n, size_t size) {
  auto s = std::to_string(caller) + ":" + std::to_string(n) + ":";
  s.resize(std::max(size, s.size()), 'x');
  return s;
}

struct caller_config {
  echo::EchoServer::actor_type cli;
  run_state* run;
  caller_result* out;
  size_t id;
  size_t size;
};

void issue(caf::event_based_actor* self, const caller_config& cfg, uint64_t n) {
  if (cfg.run->now.load(std::memory_order_relaxed) == phase::done) {
    cfg.run->finished.fetch_add(1, std::memory_order_release);
    self->quit();
    return;
  }
  auto msg = std::make_shared<std::string>(tagged_msg(cfg.id, n, cfg.size));
  auto start = now_ns();
  // The RPC timeout is the client's (with_rpc_timeout, swept per
  // connection); a finite CAF request timeout would add a clock entry and a
  // clock-thread wake-up per call (CAF 0.17).
  self->request(cfg.cli, caf::infinite, echo::echo_args{{"echo", *msg}, {}})
    .then(
      [self, cfg, n, msg, start](echo::Response& r) {
        auto measuring
          = cfg.run->now.load(std::memory_order_relaxed) == phase::measure;
        if (measuring) {
          if (r.action != "echo" || r.msg != *msg) {
            ++cfg.out->mismatches;
          } else {
            cfg.out->hist.record(now_ns() - start);
            ++cfg.out->ok;
          }
        }
        issue(self, cfg, n + 1);
      },
      [self, cfg, n](caf::error&) {
        if (cfg.run->now.load(std::memory_order_relaxed) == phase::measure)
          ++cfg.out->errors;
        issue(self, cfg, n + 1);
      });
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"libkitex-actor client benchmark (our client, closed loop)"};
  std::string addr = "127.0.0.1:8888";
  std::string transport = "ttheader";
  size_t callers = 100;
  size_t connections = 2;
  size_t size = 1024;
  double duration_s = 10;
  double warmup_s = 2;
  long timeout_ms = 5000;
  pid_t server_pid = 0;
  kitex::runtime::runtime_options ro;
  ro.handle_signals = false;
  app.add_option("--addr", addr, "server host:port");
  app.add_option("--transport", transport,
                 "framed | buffered | ttheader | ttheader-framed");
  app.add_option("-c", callers, "concurrent callers");
  app.add_option("--connections", connections,
                 "long connections to the server (calls are pipelined)");
  app.add_option("--size", size, "Request.msg bytes");
  app.add_option("--duration", duration_s, "measured seconds");
  app.add_option("--warmup", warmup_s, "seconds before measuring");
  app.add_option("--timeout-ms", timeout_ms, "RPC timeout");
  app.add_option("--server-pid", server_pid, "charge this process's CPU");
  app.add_option("--scheduler-threads", ro.scheduler_threads,
                 "CAF threads (0 = one per core)");
  CLI11_PARSE(app, argc, argv);
  auto tp = kitex::remote::parse_transport(transport);
  if (!tp) {
    std::fprintf(stderr, "unknown transport: %s\n", transport.c_str());
    return 2;
  }

  kitex::runtime::runtime rt{ro};
  auto timeout = std::chrono::milliseconds{timeout_ms};
  auto cli = kitex::client::make_client<echo::EchoServer>(
    rt, "echo", kitex::client::with_host_ports({addr}),
    kitex::client::with_transport_protocol(*tp),
    kitex::client::with_rpc_timeout(timeout),
    kitex::client::with_long_connection(connections));
  run_state run;
  std::vector<caller_result> results(callers);
  for (size_t i = 0; i < callers; ++i) {
    caller_config cfg{cli, &run, &results[i], i, size};
    rt.system().spawn(
      [cfg](caf::event_based_actor* self) { issue(self, cfg, 0); });
  }

  using secs = std::chrono::duration<double>;
  std::this_thread::sleep_for(secs{warmup_s});
  auto server_a = bench::sample_process(server_pid);
  auto self_a = bench::self_cpu_us();
  auto t_a = now_ns();
  run.now = phase::measure;
  std::this_thread::sleep_for(secs{duration_s});
  run.now = phase::done;
  auto t_b = now_ns();
  auto self_b = bench::self_cpu_us();
  auto server_b = bench::sample_process(server_pid);
  auto give_up = std::chrono::steady_clock::now() + timeout * 2;
  while (run.finished.load(std::memory_order_acquire) < callers
         && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  auto stuck = callers - run.finished.load(std::memory_order_acquire);

  bench::histogram all;
  uint64_t ok = 0, errors = 0, mismatches = 0;
  for (auto& r : results) {
    all.merge(r.hist);
    ok += r.ok;
    errors += r.errors;
    mismatches += r.mismatches;
  }
  auto window_s = static_cast<double>(t_b - t_a) / 1e9;
  auto per_call = [&](double total) {
    return ok == 0 ? 0.0 : total / static_cast<double>(ok);
  };
  std::printf("transport=%s c=%zu connections=%zu size=%zu window_s=%.3f "
              "calls=%llu qps=%.0f mean_us=%.1f p50_us=%.1f p90_us=%.1f "
              "p99_us=%.1f p999_us=%.1f max_us=%.1f errors=%llu "
              "mismatches=%llu stuck_callers=%zu client_cpu_us_per_call=%.2f",
              transport.c_str(), callers, connections, size, window_s,
              static_cast<unsigned long long>(ok),
              static_cast<double>(ok) / window_s, all.mean_ns() / 1e3,
              all.quantile_ns(0.5) / 1e3, all.quantile_ns(0.9) / 1e3,
              all.quantile_ns(0.99) / 1e3, all.quantile_ns(0.999) / 1e3,
              static_cast<double>(all.max_ns()) / 1e3,
              static_cast<unsigned long long>(errors + mismatches),
              static_cast<unsigned long long>(mismatches), stuck,
              per_call(static_cast<double>(self_b - self_a)));
  if (server_a.ok && server_b.ok)
    std::printf(
      " server_cpu_us_per_call=%.2f",
      per_call(static_cast<double>(server_b.cpu_ticks - server_a.cpu_ticks)
               * 1e6 / bench::ticks_per_second()));
  std::printf("\n");
  std::fflush(stdout);
  rt.shutdown();
  return errors + mismatches + stuck == 0 && ok > 0 ? 0 : 3;
}
