#include "kitex/runtime/supervisor_state.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <string>

#include "kitex/klog/klog.hpp"
#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include "kitex/error.hpp"

namespace kitex::runtime::detail {

namespace {

/// Shutdown budgets from here on count as infinite: adding them to the clock
/// would overflow, and nobody waits a year for a child to stop.
constexpr std::chrono::milliseconds infinite_shutdown
  = std::chrono::hours{24 * 365};

bool is_orderly(const caf::error& reason) {
  return !reason || reason == caf::exit_reason::normal
         || reason == caf::exit_reason::user_shutdown;
}

/// For logs: a normal exit carries no error at all.
std::string describe(const caf::error& reason) {
  return reason ? render_error(reason) : "normal";
}

bool restartable(restart_type type, const caf::error& reason) {
  switch (type) {
    case restart_type::permanent:
      return true;
    case restart_type::transient:
      return !is_orderly(reason);
    case restart_type::temporary:
      return false;
  }
  return false;
}

} // namespace

// -- startup and publishing ---------------------------------------------------

void supervisor_state::init(std::string label, restart_policy pol,
                            std::vector<child_spec> specs,
                            std::shared_ptr<child_handles> out) {
  label_ = std::move(label);
  pol_ = pol;
  out_ = std::move(out);
  for (auto& spec : specs)
    slots_.push_back(child_slot{std::move(spec), caf::actor{}, 0, 0});
  live_ = std::make_shared<std::vector<caf::actor>>(slots_.size());
  self_->attach_functor([live = live_](const caf::error&) {
    for (auto& hdl : *live)
      if (hdl)
        caf::anon_send_exit(hdl, caf::exit_reason::kill);
  });
  std::vector<size_t> all(slots_.size());
  for (size_t i = 0; i < all.size(); ++i)
    all[i] = i;
  start_children(all, false);
}

void supervisor_state::start_children(const std::vector<size_t>& ids,
                                      bool restart) {
  std::vector<size_t> failed;
  for (auto i : ids) {
    if (restart)
      ++slots_[i].restarts;
    if (!start_child(i))
      failed.push_back(i);
  }
  publish();
  // A child that failed to start counts as a crash; its siblings started
  // first so that the restart strategy sees the same picture as for a crash.
  for (auto i : failed)
    child_exited(
      i, kitex::make_error(errc::internal_exception,
                           "child " + slots_[i].spec.id + " failed to start"));
}

bool supervisor_state::start_child(size_t i) {
  auto& slot = slots_[i];
  caf::actor hdl;
  try {
    hdl = slot.spec.start(self_->system());
  } catch (const std::exception& e) {
    klog::warn("supervisor {}: starting child {} threw: {}", label_,
               slot.spec.id, e.what());
  } catch (...) {
    klog::warn("supervisor {}: starting child {} threw", label_, slot.spec.id);
  }
  if (!hdl)
    return false;
  self_->monitor(hdl);
  slot.handle = std::move(hdl);
  return true;
}

void supervisor_state::publish() {
  std::vector<caf::actor> handles;
  handles.reserve(slots_.size());
  for (auto& slot : slots_)
    handles.push_back(slot.handle);
  *live_ = handles;
  out_->publish(std::move(handles));
}

size_t supervisor_state::find(const caf::actor_addr& addr) const {
  for (size_t i = 0; i < slots_.size(); ++i)
    if (slots_[i].handle && slots_[i].handle.address() == addr)
      return i;
  return no_child;
}

std::vector<child_info> supervisor_state::which_children() const {
  std::vector<child_info> result;
  result.reserve(slots_.size());
  for (auto& slot : slots_)
    result.push_back(
      child_info{slot.spec.id, static_cast<bool>(slot.handle), slot.restarts});
  return result;
}

// -- failures and restarts ----------------------------------------------------

void supervisor_state::child_down(const caf::down_msg& dm) {
  auto i = find(dm.source);
  if (i == no_child)
    return;
  slots_[i].handle = nullptr;
  publish();
  if (i == current_stop_) {
    current_stop_ = no_child;
    stop_next();
    return;
  }
  // A child we were about to stop anyway is not a crash either.
  if (in_stop_queue(i))
    return;
  child_exited(i, dm.reason);
}

void supervisor_state::child_exited(size_t i, const caf::error& reason) {
  if (terminating_)
    return;
  if (stopping()) {
    deferred_.emplace_back(i, reason);
    return;
  }
  auto& slot = slots_[i];
  if (!restartable(slot.spec.restart, reason)) {
    klog::info("supervisor {}: child {} exited ({}), not restarted", label_,
               slot.spec.id, describe(reason));
    return;
  }
  request_restart(i, reason);
}

void supervisor_state::request_restart(size_t i, const caf::error& reason) {
  auto counted = pol_.panics_count || code_of(reason) != errc::panic;
  auto n = counted ? admit_restart() : std::optional<int>{0};
  if (!n) {
    klog::warn("supervisor {}: child {} exited ({}); more than {} restarts "
               "in {} ms, escalating",
               label_, slots_[i].spec.id, describe(reason), pol_.intensity,
               pol_.period.count());
    terminate(kitex::make_error(errc::internal_exception,
                                "supervisor " + label_
                                  + ": restart intensity exceeded"));
    return;
  }
  auto token = ++last_token_;
  std::vector<size_t> to_stop;
  for (auto j : restart_set(i)) {
    auto& slot = slots_[j];
    bool running = static_cast<bool>(slot.handle);
    if (running)
      to_stop.push_back(j);
    // Siblings come back only if they were up (or about to be); a temporary
    // sibling is stopped and dropped, as OTP does.
    if (j == i
        || (slot.spec.restart != restart_type::temporary
            && (running || slot.pending != 0)))
      slot.pending = token;
  }
  auto delay = backoff(*n);
  klog::info("supervisor {}: child {} exited ({}), restarting in {:.1f} ms",
             label_, slots_[i].spec.id, describe(reason),
             static_cast<double>(delay.count()) / 1000.0);
  stop_in_reverse(std::move(to_stop), [this, token, delay] {
    self_->delayed_send(self_, delay, restart_atom::value, token);
  });
}

std::vector<size_t> supervisor_state::restart_set(size_t i) const {
  size_t first = i;
  size_t last = i + 1;
  switch (pol_.strat) {
    case strategy::one_for_one:
      break;
    case strategy::one_for_all:
      first = 0;
      last = slots_.size();
      break;
    case strategy::rest_for_one:
      last = slots_.size();
      break;
  }
  std::vector<size_t> result;
  for (auto j = first; j < last; ++j)
    result.push_back(j);
  return result;
}

std::optional<int> supervisor_state::admit_restart() {
  auto now = std::chrono::steady_clock::now();
  while (!window_.empty() && now - window_.front() >= pol_.period)
    window_.pop_front();
  auto limit = static_cast<size_t>(std::max(pol_.intensity, 0));
  if (window_.size() + 1 > limit)
    return std::nullopt;
  auto n = static_cast<int>(window_.size());
  window_.push_back(now);
  return n;
}

std::chrono::microseconds supervisor_state::backoff(int n) {
  using micros = std::chrono::duration<double, std::micro>;
  auto cap = std::max(micros{pol_.max_backoff}.count(), 0.0);
  auto delay = std::max(micros{pol_.min_backoff}.count(), 0.0);
  for (int k = 0; k < n && delay < cap; ++k)
    delay *= 2;
  delay = std::min(delay, cap);
  auto jitter = std::clamp(pol_.jitter, 0.0, 1.0);
  if (jitter > 0)
    delay *= 1 + std::uniform_real_distribution<double>{-jitter, jitter}(rng_);
  return std::chrono::microseconds{std::llround(delay)};
}

void supervisor_state::restart_due(uint64_t token) {
  if (terminating_)
    return;
  std::vector<size_t> ids;
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].pending == token) {
      slots_[i].pending = 0;
      ids.push_back(i);
    }
  }
  // Empty if a newer restart took these slots over.
  if (!ids.empty())
    start_children(ids, true);
}

// -- stopping -----------------------------------------------------------------

bool supervisor_state::stopping() const {
  return current_stop_ != no_child || !stop_queue_.empty()
         || static_cast<bool>(after_stop_);
}

bool supervisor_state::in_stop_queue(size_t i) const {
  return std::find(stop_queue_.begin(), stop_queue_.end(), i)
         != stop_queue_.end();
}

void supervisor_state::stop_in_reverse(std::vector<size_t> ids,
                                       std::function<void()> then) {
  std::sort(ids.begin(), ids.end(), std::greater<>{});
  stop_queue_.assign(ids.begin(), ids.end());
  after_stop_ = std::move(then);
  stop_next();
}

void supervisor_state::stop_next() {
  if (current_stop_ != no_child)
    return;
  while (!stop_queue_.empty()) {
    auto i = stop_queue_.front();
    stop_queue_.pop_front();
    if (slots_[i].handle) {
      stop_child(i);
      return;
    }
  }
  auto then = std::move(after_stop_);
  after_stop_ = nullptr;
  if (then)
    then();
  drain_deferred();
}

void supervisor_state::stop_child(size_t i) {
  current_stop_ = i;
  // Every stop gets a fresh token so a late timer of an earlier stop cannot
  // kill this child.
  auto token = ++stop_token_;
  auto& slot = slots_[i];
  if (slot.spec.shutdown <= std::chrono::milliseconds::zero()) {
    self_->send_exit(slot.handle, caf::exit_reason::kill);
    return;
  }
  self_->send_exit(slot.handle, caf::exit_reason::user_shutdown);
  if (slot.spec.shutdown < infinite_shutdown)
    self_->delayed_send(self_, slot.spec.shutdown, stop_timeout_atom::value,
                        token);
}

void supervisor_state::stop_timed_out(uint64_t token) {
  if (token != stop_token_ || current_stop_ == no_child)
    return;
  auto& slot = slots_[current_stop_];
  klog::warn("supervisor {}: child {} still running {} ms after "
             "user_shutdown, killing it",
             label_, slot.spec.id, slot.spec.shutdown.count());
  self_->send_exit(slot.handle, caf::exit_reason::kill);
}

void supervisor_state::drain_deferred() {
  while (!terminating_ && !stopping() && !deferred_.empty()) {
    auto [i, reason] = std::move(deferred_.front());
    deferred_.pop_front();
    child_exited(i, reason);
  }
}

void supervisor_state::exit_received(const caf::exit_msg& em) {
  // Like CAF's default: a normal exit signal asks nothing of us.
  if (!em.reason || em.reason == caf::exit_reason::normal)
    return;
  klog::debug("supervisor {}: exit signal ({}), stopping children", label_,
              describe(em.reason));
  terminate(em.reason);
}

void supervisor_state::terminate(caf::error reason) {
  if (terminating_)
    return;
  terminating_ = true;
  deferred_.clear();
  for (auto& slot : slots_)
    slot.pending = 0;
  std::vector<size_t> running;
  for (size_t i = 0; i < slots_.size(); ++i)
    if (slots_[i].handle && i != current_stop_)
      running.push_back(i);
  // A stop already under way finishes first (it is the highest running
  // child: restarts only stop suffixes or everything), then the rest follow.
  stop_in_reverse(std::move(running), [this, reason] { self_->quit(reason); });
}

} // namespace kitex::runtime::detail
