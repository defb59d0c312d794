#pragma once

// Private: the server connection actor.
//
// Spawned by the acceptor (io thread) for each accepted socket; not
// supervised (temporary by nature: it dies with its socket) but registered in
// the server_context so graceful stop can reach it. Accepts frame_batch (all
// frames of one read), (closed_atom, reason) from its socket and drain_atom
// from the server. For each call it decodes the envelope, routes by TTHeader
// "isn" and method name, and hands the typed args to a worker of the service
// with request(); the reply is encoded in the framing the call came in and
// posted to the socket. Replies may leave out of order (matched by seq id).

#include <cstdint>
#include <memory>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "kitex/remote/trans/tcp/tcp_connection.hpp"
#include "server_context.hpp"

namespace kitex::server {

/// Spawns the actor for `conn`, wires the socket's handlers to it, and
/// starts reading.
caf::actor spawn_server_connection(caf::actor_system& sys,
                                   std::shared_ptr<remote::tcp_connection> conn,
                                   std::shared_ptr<server_context> ctx);

} // namespace kitex::server
