#pragma once

// Private to the library: the state of a supervisor actor (the behavior in
// supervisor.cpp only forwards messages to it) and its private messages.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>

#include "kitex/runtime/supervisor.hpp"

namespace kitex::runtime::detail {

// -- private messages ---------------------------------------------------------

/// (restart_atom, token): the back-off of the restart `token` elapsed.
using restart_atom = caf::atom_constant<caf::atom("ksuprstart")>;

/// (stop_timeout_atom, token): the child of stop `token` ignored
/// user_shutdown for its whole shutdown budget.
using stop_timeout_atom = caf::atom_constant<caf::atom("ksupstopto")>;

constexpr size_t no_child = static_cast<size_t>(-1);

struct child_slot {
  child_spec spec;
  /// Empty while the child is not running.
  caf::actor handle;
  uint64_t restarts = 0;
  /// Non-zero while a restart is scheduled: the token of its timer. A newer
  /// restart that covers this slot overwrites the token, which merges both
  /// into one start in spec order.
  uint64_t pending = 0;
};

class supervisor_state;

using supervisor_actor = caf::stateful_actor<supervisor_state>;

/// Everything the supervisor does; the behavior only forwards to it.
///
/// Stopping children is asynchronous (send an exit, wait for the down_msg or
/// the shutdown timeout), so a stop runs as a sequence: `stop_queue_` holds
/// the children still to stop, `current_stop_` the one being stopped, and
/// `after_stop_` what to do once all are down (schedule a restart or quit).
/// Failures of other children during a sequence wait in `deferred_`, because
/// handling them would interleave two restarts.
class supervisor_state {
public:
  static inline const char* name = "kitex.supervisor";

  explicit supervisor_state(supervisor_actor* self) : self_(self) {
    // nop
  }

  void init(std::string label, restart_policy pol,
            std::vector<child_spec> specs, std::shared_ptr<child_handles> out);

  void child_down(const caf::down_msg& dm);

  void exit_received(const caf::exit_msg& em);

  void restart_due(uint64_t token);

  void stop_timed_out(uint64_t token);

  std::vector<child_info> which_children() const;

private:
  void start_children(const std::vector<size_t>& ids, bool restart);

  bool start_child(size_t i);

  void publish();

  size_t find(const caf::actor_addr& addr) const;

  bool stopping() const;

  bool in_stop_queue(size_t i) const;

  void child_exited(size_t i, const caf::error& reason);

  void request_restart(size_t i, const caf::error& reason);

  std::vector<size_t> restart_set(size_t i) const;

  std::optional<int> admit_restart();

  std::chrono::microseconds backoff(int n);

  void stop_in_reverse(std::vector<size_t> ids, std::function<void()> then);

  void stop_next();

  void stop_child(size_t i);

  void drain_deferred();

  void terminate(caf::error reason);

  supervisor_actor* self_;
  std::string label_;
  restart_policy pol_;
  std::vector<child_slot> slots_;
  std::shared_ptr<child_handles> out_;
  /// The handles as last published, shared with the functor that kills
  /// leftover children if this actor dies without stopping them (kill,
  /// unreachable): there is no link to take them down.
  std::shared_ptr<std::vector<caf::actor>> live_;
  /// Start times of the restarts inside the current period, oldest first.
  std::deque<std::chrono::steady_clock::time_point> window_;
  std::minstd_rand rng_{std::random_device{}()};
  uint64_t last_token_ = 0;
  uint64_t stop_token_ = 0;
  size_t current_stop_ = no_child;
  std::deque<size_t> stop_queue_;
  std::function<void()> after_stop_;
  std::deque<std::pair<size_t, caf::error>> deferred_;
  bool terminating_ = false;
};

} // namespace kitex::runtime::detail
