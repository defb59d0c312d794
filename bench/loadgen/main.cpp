// loadgen: a single-threaded load generator for EchoServer.Echo over Thrift
// Binary (Framed, Buffered, TTHeader) and for the raw length-prefixed echo.
// It ends with ONE summary line on stdout (key=value pairs); progress goes to
// stderr once per second. See bench/README.md.

#include <csignal>
#include <cstdio>
#include <string>
#include <sys/prctl.h>

#include <CLI/CLI.hpp>

#include "engine.hpp"

namespace {

/// Splits "host:port" (or "[v6]:port") into its parts.
bool split_addr(const std::string& addr, std::string& host, std::string& port) {
  auto colon = addr.rfind(':');
  if (colon == std::string::npos || colon + 1 == addr.size())
    return false;
  host = addr.substr(0, colon);
  port = addr.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty())
    host = "127.0.0.1";
  return true;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"loadgen: closed/open-loop load for EchoServer.Echo"};
  bench::options o;
  std::string addr = "127.0.0.1:8888";
  std::string transport = "framed";
  std::string protocol = "binary";
  bool quiet = false;
  app.add_option("--addr", addr, "server host:port");
  app.add_option("--transport", transport, "framed|buffered|ttheader|raw");
  app.add_option("--protocol", protocol, "Thrift protocol (binary only)");
  app.add_option("-c,--concurrency", o.callers, "closed-loop callers");
  app.add_option("--connections", o.connections,
                 "connections (default: one per caller; open loop 16)");
  app.add_option("--duration", o.duration_s, "measured seconds");
  app.add_option("--warmup", o.warmup_s, "warm-up seconds (not recorded)");
  app.add_option("--size", o.msg_size, "Request.msg bytes (raw: payload)");
  app.add_option("--rate", o.rate, "open loop: calls per second (Poisson)");
  app.add_option("--server-pid", o.server_pid,
                 "charge this process's CPU/RSS in the summary");
  app.add_option("--timeout-ms", o.timeout_ms,
                 "calls unanswered longer than this at the end are errors");
  app.add_option("--max-outstanding", o.max_outstanding,
                 "open loop: cap on calls in flight (<= 65535)");
  app.add_option("--action", o.action, "Request.action");
  app.add_option("--seed", o.seed, "seed of the Poisson arrivals");
  app.add_flag("-q,--quiet", quiet, "no progress lines");
  CLI11_PARSE(app, argc, argv);

  auto t = bench::parse_transport(transport);
  if (!t || protocol != "binary" || o.callers == 0 || o.duration_s <= 0
      || o.warmup_s < 0 || !split_addr(addr, o.host, o.port)) {
    std::fprintf(stderr, "loadgen: bad arguments (see --help)\n");
    return 2;
  }
  o.proto = *t;
  o.progress = !quiet;
  std::signal(SIGPIPE, SIG_IGN);
  // Timers fire within 1 ns of their deadline instead of 50 us: the open
  // loop's send times depend on it.
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  bench::engine e{o};
  return e.run();
}
