#pragma once

// runtime::supervisor — OTP supervision on CAF 0.17.
//
// Protocol: spawned by spawn_supervisor() (or by a parent supervisor through
// supervisor_child()). It spawns its children in order, monitors them (never
// links), and restarts them per strategy and restart type, with back-off.
// More than `intensity` restarts within `period` make it stop all children
// (reverse order) and exit with kitex::errc::internal_exception, so a parent
// supervisor sees an abnormal exit (escalation). An exit_msg from its parent
// or a user_shutdown exit stops children in reverse order, each with its
// shutdown timeout (then kill), before it quits. It accepts
// `which_children_request` and replies `std::vector<child_info>`. After every
// start or restart it publishes the children's handles in `child_handles`, so
// whoever holds that object sees the new handle without asking the actor.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <caf/meta/type_name.hpp>

namespace kitex::runtime {

enum class strategy : uint8_t { one_for_one, one_for_all, rest_for_one };

enum class restart_type : uint8_t {
  /// Always restarted.
  permanent,
  /// Restarted only after an abnormal exit (not normal / user_shutdown).
  transient,
  /// Never restarted.
  temporary,
};

struct restart_policy {
  strategy strat = strategy::one_for_one;
  /// More than `intensity` restarts within `period` escalate.
  int intensity = 5;
  std::chrono::milliseconds period = std::chrono::seconds{10};
  /// Restart back-off: min(max_backoff, min_backoff * 2^n) * (1 +- jitter),
  /// where n counts the restarts inside the current period.
  std::chrono::milliseconds min_backoff = std::chrono::milliseconds{1};
  std::chrono::milliseconds max_backoff = std::chrono::milliseconds{1000};
  double jitter = 0.2;
  /// Whether a child exiting with kitex::errc::panic (a handler threw while
  /// serving one request) counts toward `intensity`. Servers turn this off
  /// for their services: as in Kitex, a panic affects only the call that
  /// panicked, so a client must not be able to exhaust the budget and take
  /// the service down. The child is still restarted (with min_backoff).
  bool panics_count = true;
};

constexpr restart_policy one_for_one_policy(int intensity,
                                            std::chrono::milliseconds period) {
  restart_policy p;
  p.strat = strategy::one_for_one;
  p.intensity = intensity;
  p.period = period;
  return p;
}

struct child_spec {
  /// Unique among siblings; shows in logs and which_children.
  std::string id;
  /// Spawns the child (called from the supervisor actor). Must return a
  /// valid handle; an invalid handle counts as a crash.
  std::function<caf::actor(caf::actor_system&)> start;
  restart_type restart = restart_type::permanent;
  /// How long a child may take to exit after user_shutdown before it is
  /// killed; zero means brutal kill. Supervisors default to infinite.
  std::chrono::milliseconds shutdown = std::chrono::milliseconds{5000};
};

/// Thread-safe, published view of a supervisor's current children: slot i is
/// the i-th child spec; an empty handle means "not running right now"
/// (restarting or stopped). Readers check version() to refresh cheaply.
class child_handles {
public:
  using snapshot_type = std::shared_ptr<const std::vector<caf::actor>>;

  child_handles();

  /// Current handles (never null).
  snapshot_type snapshot() const;

  /// Incremented on every publish.
  uint64_t version() const noexcept {
    return version_.load(std::memory_order_acquire);
  }

  /// Called by the supervisor.
  void publish(std::vector<caf::actor> handles);

private:
  mutable std::mutex mtx_;
  snapshot_type current_;
  std::atomic<uint64_t> version_{0};
};

struct child_info {
  std::string id;
  bool running = false;
  /// Restarts of this child since the supervisor started.
  uint64_t restarts = 0;
};

/// Query message: replied with std::vector<child_info>.
struct which_children_request {};

template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, which_children_request&) {
  return f(caf::meta::type_name("kitex.which_children_request"));
}

template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, child_info& x) {
  return f(caf::meta::type_name("kitex.child_info"), x.id, x.running,
           x.restarts);
}

struct supervisor_handle {
  caf::actor actor;
  std::shared_ptr<child_handles> children;
};

/// Spawns a supervisor. If `publish_to` is null, a new child_handles is made.
supervisor_handle
spawn_supervisor(caf::actor_system& sys, std::string name, restart_policy pol,
                 std::vector<child_spec> children,
                 std::shared_ptr<child_handles> publish_to = nullptr);

/// A child spec that runs a nested supervisor. The same child_handles object
/// is reused across restarts of the nested supervisor, so holders keep one
/// pointer for the lifetime of the tree.
child_spec supervisor_child(std::string id, restart_policy pol,
                            std::vector<child_spec> children,
                            std::shared_ptr<child_handles> publish_to,
                            restart_type restart = restart_type::permanent);

} // namespace kitex::runtime
