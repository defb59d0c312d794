#pragma once

// runtime — owns the CAF actor system and the asio io_context (run by the
// CAF workers by default, or by dedicated io threads), and knows the one safe
// order to take them down (docs/architecture.md, "Runtime and shutdown"):
//   1. shutdown hooks (servers stop gracefully, newest first),
//   2. stop the io_context, join the io threads, detach it from the workers,
//   3. close what is left of the sockets (hooks registered by connections),
//   4. user_shutdown to every tracked root actor, await all actors,
//   5. destroy the io_context, then the actor system.
// SIGINT and SIGTERM wake wait_for_stop().

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/fwd.hpp>

namespace asio {
class io_context;
} // namespace asio

namespace kitex::runtime {

struct runtime_options {
  /// CAF scheduler policy when io_threads > 0: "sharing" (3-4x lower idle
  /// latency on small machines, see docs/architecture.md) or "stealing".
  /// Ignored when the workers run the io_context (io_threads == 0).
  std::string scheduler_policy = "sharing";
  /// CAF worker threads; 0 = one per core left after the io threads (min 1).
  size_t scheduler_threads = 0;
  /// Dedicated asio io threads. 0 (the default): the CAF workers run the
  /// io_context between jobs, so a call is read, handled and answered on
  /// one thread (docs/architecture.md, "Threads").
  size_t io_threads = 0;
  /// Route SIGINT/SIGTERM to wait_for_stop().
  bool handle_signals = true;
  /// Lower the timer slack of every thread to 1 ns (cuts wake-up latency).
  bool low_timer_slack = true;
  /// Keep freed memory in the process (glibc mallopt: blocks up to 4 MiB
  /// from the heap, trim the heap only above 32 MiB free). Otherwise every
  /// call with a big frame maps, faults in and gives back its buffers: 64 KiB
  /// echo costs 1.8x the CPU (docs/benchmarks.md). Process-wide.
  bool keep_freed_memory = true;
  /// Run on the CAF config before the actor system starts, in order; e.g.
  /// add_message_types<echo::echo_type_ids>(opts) (message_types.hpp).
  std::vector<std::function<void(caf::actor_system_config&)>> configure;
};

/// Parses "--scheduler-policy=P", "--scheduler-threads=N", "--io-threads=N"
/// out of argv into `opts` (other arguments are left alone).
runtime_options parse_runtime_options(int argc, char** argv,
                                      runtime_options opts = {});

/// An io-side object (a socket) that must be closed from the main thread
/// once the io threads are gone, to break actor <-> socket cycles.
class closeable {
public:
  virtual ~closeable();
  /// Closes without posting (called only when no io thread runs).
  virtual void close_now() = 0;
};

class runtime {
public:
  explicit runtime(runtime_options opts = {});
  runtime(int argc, char** argv);
  ~runtime();

  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  caf::actor_system& system() noexcept;

  asio::io_context& io_context() noexcept;

  const runtime_options& options() const noexcept;

  /// Blocks until SIGINT/SIGTERM or request_stop(); returns the signal
  /// number, or 0 for request_stop().
  int wait_for_stop();

  /// Like wait_for_stop() with a deadline; returns -1 on timeout.
  int wait_for_stop(std::chrono::milliseconds timeout);

  /// Wakes wait_for_stop() (thread-safe).
  void request_stop();

  /// Registers a hook for step 1 of shutdown; hooks run newest first.
  void add_shutdown_hook(std::function<void()> hook);

  /// Registers a root actor to receive user_shutdown in step 4.
  void track_root(const caf::actor& root);

  /// Registers an io object for step 3 (thread-safe; expired ones are
  /// skipped).
  void track_io_object(std::weak_ptr<closeable> obj);

  /// Runs the shutdown order above; idempotent. The destructor calls it.
  void shutdown();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace kitex::runtime
