#include "kitex/runtime/supervisor.hpp"

#include <utility>

#include <caf/actor_system.hpp>
#include <caf/behavior.hpp>
#include <caf/message_view.hpp>
#include <caf/scheduled_actor.hpp>
#include <caf/sec.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>
#include <caf/to_string.hpp>

#include "kitex/klog/klog.hpp"
#include "kitex/runtime/supervisor_state.hpp"

namespace kitex::runtime {

// -- child_handles ------------------------------------------------------------

child_handles::child_handles()
  : current_(std::make_shared<const std::vector<caf::actor>>()) {
  // nop
}

child_handles::snapshot_type child_handles::snapshot() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return current_;
}

void child_handles::publish(std::vector<caf::actor> handles) {
  snapshot_type next
    = std::make_shared<const std::vector<caf::actor>>(std::move(handles));
  {
    std::lock_guard<std::mutex> guard{mtx_};
    current_.swap(next);
    version_.fetch_add(1, std::memory_order_acq_rel);
  }
  // `next` now holds the old snapshot; dropping it outside the lock keeps
  // actor destruction (the last reference to a dead child) out of it.
}

// -- behavior -----------------------------------------------------------------

namespace {

using detail::restart_atom;
using detail::stop_timeout_atom;
using detail::supervisor_actor;

caf::result<caf::message> drop_unexpected(caf::scheduled_actor* self,
                                          caf::message_view& mv) {
  klog::debug("{}: dropped unexpected message {}", self->name(),
              caf::to_string(mv.content()));
  return caf::sec::unexpected_message;
}

caf::behavior supervisor_impl(supervisor_actor* self, std::string label,
                              restart_policy pol, std::vector<child_spec> specs,
                              std::shared_ptr<child_handles> out) {
  self->set_down_handler(
    [self](caf::down_msg& dm) { self->state.child_down(dm); });
  self->set_exit_handler(
    [self](caf::exit_msg& em) { self->state.exit_received(em); });
  self->set_default_handler(drop_unexpected);
  self->state.init(std::move(label), pol, std::move(specs), std::move(out));
  return {
    [self](restart_atom, uint64_t token) { self->state.restart_due(token); },
    [self](stop_timeout_atom, uint64_t token) {
      self->state.stop_timed_out(token);
    },
    [self](which_children_request) { return self->state.which_children(); },
  };
}

} // namespace

// -- factories ----------------------------------------------------------------

supervisor_handle spawn_supervisor(caf::actor_system& sys, std::string name,
                                   restart_policy pol,
                                   std::vector<child_spec> children,
                                   std::shared_ptr<child_handles> publish_to) {
  if (!publish_to)
    publish_to = std::make_shared<child_handles>();
  // Slot i exists from the start, so readers may index before the first
  // child runs.
  if (publish_to->snapshot()->size() != children.size())
    publish_to->publish(std::vector<caf::actor>(children.size()));
  auto hdl = sys.spawn(supervisor_impl, std::move(name), pol,
                       std::move(children), publish_to);
  return supervisor_handle{std::move(hdl), std::move(publish_to)};
}

child_spec supervisor_child(std::string id, restart_policy pol,
                            std::vector<child_spec> children,
                            std::shared_ptr<child_handles> publish_to,
                            restart_type restart) {
  if (!publish_to)
    publish_to = std::make_shared<child_handles>();
  child_spec spec;
  spec.id = id;
  spec.start = [id, pol, children = std::move(children),
                publish_to](caf::actor_system& sys) {
    return spawn_supervisor(sys, id, pol, children, publish_to).actor;
  };
  spec.restart = restart;
  // OTP's default for supervisors: their own children's budgets bound the
  // stop, so the parent waits for it to finish.
  spec.shutdown = std::chrono::milliseconds::max();
  return spec;
}

} // namespace kitex::runtime
