#pragma once

// Private: the client connection actor.
//
// Spawned by the client actor, one per socket (long connection). Accepts
// (call_atom, method index, args message) delegated by the client actor —
// its response promise answers the original caller — plus frame_batch,
// (closed_atom, reason), connected_atom from its socket and timeout_atom
// from itself (the RPC-timeout sweep). Many calls are in flight at once,
// matched by seq id.
// On a reply carrying crrst it sends (retire_atom, self) to the client actor
// and closes once its calls are answered. On socket loss every pending call
// fails with get_connection (never connected) or remote_or_network.

#include <memory>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "kitex/client/options.hpp"
#include "kitex/runtime/runtime.hpp"
#include "kitex/serviceinfo/service_info.hpp"

namespace kitex::client {

/// Spawns a connection actor dialing host:port.
caf::actor spawn_client_connection(
  runtime::runtime& rt, std::shared_ptr<const serviceinfo::service_info> info,
  std::shared_ptr<const client_options> opts, caf::weak_actor_ptr owner,
  std::string host, std::string port);

} // namespace kitex::client
