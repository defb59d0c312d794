#pragma once

// The echo handler: a worker behavior for the EchoServer service.
//
// Semantics (used by the tests): action "error" fails with the declared
// EchoError{7, msg}; "panic" throws std::runtime_error (the worker dies and
// its supervisor restarts it); "sleep:<ms>" replies after <ms> milliseconds
// without blocking a thread; anything else echoes {action, msg}. Notify
// (oneway) counts the notifications it received.

#include <cstdint>
#include <unordered_map>

#include <caf/atom.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "echo.kitex.hpp"

namespace echo {

using wake_atom = caf::atom_constant<caf::atom("echowake")>;

/// The worker's own interface: the service's plus a private timer message.
using echo_worker_actor
  = echo_server_actor::extend<caf::reacts_to<wake_atom, uint64_t>>;

struct echo_worker_state {
  static inline const char* name = "echo.worker";
  std::unordered_map<uint64_t,
                     std::pair<caf::typed_response_promise<Response>, Response>>
    sleeping;
  uint64_t next_id = 0;
};

echo_worker_actor::behavior_type
echo_impl(echo_worker_actor::stateful_pointer<echo_worker_state> self);

/// Notifications received by all echo workers of this process.
uint64_t notify_count();

} // namespace echo
