#pragma once

// Test harness for the supervisor tests: a real actor system (2 threads,
// sharing policy), a scoped actor, worker children that answer pings, crash
// on request and record what happened to them, and bounded waits.

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/system_messages.hpp>

#include "kitex/runtime/supervisor.hpp"

namespace kitex::runtime::test {

using namespace std::chrono_literals;

using ping_atom = caf::atom_constant<caf::atom("tping")>;
using crash_atom = caf::atom_constant<caf::atom("tcrash")>;
using stop_atom = caf::atom_constant<caf::atom("tstop")>;

/// How a worker treats exit signals.
enum class worker_mode {
  /// CAF's default: a non-normal exit signal terminates it.
  plain,
  /// Traps the signal, records it, then quits with its reason: the record
  /// happens before the down_msg, so the order of records is the order of
  /// stops.
  recording,
  /// Traps and records the signal, and keeps running (only kill stops it).
  stubborn,
};

/// What happened to the workers, in order.
class recorder {
public:
  struct event {
    std::string id;
    /// "exit" (exit signal seen), "crash" (about to throw) or "down"
    /// (terminated).
    std::string kind;
    caf::error reason;
  };

  void add(std::string id, std::string kind, caf::error reason = {}) {
    std::lock_guard<std::mutex> guard{mtx_};
    events_.push_back(event{std::move(id), std::move(kind), std::move(reason)});
  }

  /// Ids of the events of one kind, in order.
  std::vector<std::string> ids(const std::string& kind) const {
    std::lock_guard<std::mutex> guard{mtx_};
    std::vector<std::string> result;
    for (auto& ev : events_)
      if (ev.kind == kind)
        result.push_back(ev.id);
    return result;
  }

  /// The termination reason of the latest instance of `id`, if it is down.
  std::optional<caf::error> down_reason(const std::string& id) const {
    std::lock_guard<std::mutex> guard{mtx_};
    for (auto i = events_.rbegin(); i != events_.rend(); ++i)
      if (i->kind == "down" && i->id == id)
        return i->reason;
    return std::nullopt;
  }

private:
  mutable std::mutex mtx_;
  std::vector<event> events_;
};

inline caf::behavior worker(caf::event_based_actor* self, std::string id,
                            int gen, worker_mode mode,
                            std::shared_ptr<recorder> rec) {
  self->attach_functor(
    [=](const caf::error& reason) { rec->add(id, "down", reason); });
  if (mode != worker_mode::plain)
    self->set_exit_handler([=](caf::exit_msg& em) {
      rec->add(id, "exit", em.reason);
      if (mode == worker_mode::recording)
        self->quit(em.reason);
    });
  return {
    [=](ping_atom) { return id + "#" + std::to_string(gen); },
    [=](crash_atom) -> std::string {
      rec->add(id, "crash");
      throw std::runtime_error("boom in " + id);
    },
    [=](stop_atom) { self->quit(); },
  };
}

struct test_config : caf::actor_system_config {
  test_config() {
    set("scheduler.max-threads", 2);
    set("scheduler.policy", caf::atom("sharing"));
  }
};

/// Polls `pred` every millisecond until it holds or `timeout` passes.
template<class Predicate>
bool eventually(Predicate pred, std::chrono::milliseconds timeout = 3s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

inline restart_policy policy(strategy strat, int intensity = 5,
                             std::chrono::milliseconds period = 10s) {
  restart_policy pol;
  pol.strat = strat;
  pol.intensity = intensity;
  pol.period = period;
  return pol;
}

struct fixture {
  test_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  std::shared_ptr<recorder> rec = std::make_shared<recorder>();
  /// Starts per child id.
  std::map<std::string, std::shared_ptr<std::atomic<int>>> starts;
  std::vector<caf::actor> roots;
  std::map<caf::actor_addr, caf::error> downs;

  ~fixture() {
    // Stop whatever a test left running, with a bound: a hang here would
    // hide the failure that caused it.
    bool all_down = true;
    for (auto& root : roots) {
      caf::anon_send_exit(root, caf::exit_reason::user_shutdown);
      all_down = wait_down(root, 5s).has_value() && all_down;
    }
    if (!all_down)
      sys.await_actors_before_shutdown(false);
  }

  child_spec worker_spec(const std::string& id,
                         restart_type type = restart_type::permanent,
                         worker_mode mode = worker_mode::recording,
                         std::chrono::milliseconds shutdown = 1s) {
    auto& counter = starts[id];
    counter = std::make_shared<std::atomic<int>>(0);
    child_spec spec;
    spec.id = id;
    spec.start = [id, mode, counter, rec = rec](caf::actor_system& sys) {
      return sys.spawn(worker, id, ++*counter, mode, rec);
    };
    spec.restart = type;
    spec.shutdown = shutdown;
    return spec;
  }

  int starts_of(const std::string& id) {
    return starts.at(id)->load();
  }

  supervisor_handle spawn(std::string name, restart_policy pol,
                          std::vector<child_spec> children,
                          std::shared_ptr<child_handles> out = nullptr) {
    auto sup = spawn_supervisor(sys, std::move(name), pol, std::move(children),
                                std::move(out));
    roots.push_back(sup.actor);
    return sup;
  }

  /// Waits until every slot of `hs` holds a running child.
  static bool all_running(const child_handles& hs) {
    return eventually([&] {
      auto snap = hs.snapshot();
      for (auto& hdl : *snap)
        if (!hdl)
          return false;
      return true;
    });
  }

  /// Waits until slot `i` holds a handle other than `old`; returns it.
  static caf::actor replaced(const child_handles& hs, size_t i,
                             const caf::actor& old,
                             std::chrono::milliseconds timeout = 3s) {
    caf::actor result;
    eventually(
      [&] {
        auto snap = hs.snapshot();
        if (i < snap->size() && (*snap)[i] && (*snap)[i] != old)
          result = (*snap)[i];
        return static_cast<bool>(result);
      },
      timeout);
    return result;
  }

  /// The down reason of `hdl`, or nullopt if it is still up after `timeout`.
  std::optional<caf::error> wait_down(const caf::actor& hdl,
                                      std::chrono::milliseconds timeout = 3s) {
    auto addr = hdl.address();
    if (auto i = downs.find(addr); i != downs.end())
      return i->second;
    self->monitor(hdl);
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (downs.count(addr) == 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
      if (left <= 0ms)
        return std::nullopt;
      self->receive(
        [&](caf::down_msg& dm) { downs.emplace(dm.source, dm.reason); },
        caf::after(left) >> [] {});
    }
    return downs[addr];
  }

  std::optional<std::string> ping(const caf::actor& hdl) {
    std::optional<std::string> result;
    self->request(hdl, 1s, ping_atom::value)
      .receive([&](std::string& x) { result = std::move(x); },
               [](caf::error&) {});
    return result;
  }

  /// Makes `hdl` throw from a handler; returns the error its requester sees.
  caf::error crash(const caf::actor& hdl) {
    caf::error result;
    self->request(hdl, 1s, crash_atom::value)
      .receive([](std::string&) {}, [&](caf::error& e) { result = e; });
    return result;
  }

  std::vector<child_info> which(const caf::actor& sup) {
    std::vector<child_info> result;
    self->request(sup, 1s, which_children_request{})
      .receive([&](std::vector<child_info>& xs) { result = std::move(xs); },
               [](caf::error&) {});
    return result;
  }

  /// Restart counts from which_children, in spec order.
  std::vector<uint64_t> restarts(const caf::actor& sup) {
    std::vector<uint64_t> result;
    for (auto& info : which(sup))
      result.push_back(info.restarts);
    return result;
  }
};

} // namespace kitex::runtime::test
