#pragma once

// The framework's CAF type-ID block. Generated code gets its own block at a
// CMake-assigned offset (kitex_actor reserves [first_custom_type_id,
// first_custom_type_id + 100)).

#include <caf/atom.hpp>
#include <caf/type_id.hpp>

CAF_BEGIN_TYPE_ID_BLOCK(kitex_actor, caf::first_custom_type_id)

/// Client: (call_atom, method index, args message) to a connection actor.
CAF_ADD_ATOM(kitex_actor, kitex, call_atom, "kcall")
/// Client: timeout_atom from a connection actor to itself (RPC-timeout
/// sweep).
CAF_ADD_ATOM(kitex_actor, kitex, timeout_atom, "ktimeout")
/// Connection actors: the socket closed; (closed_atom, reason text).
CAF_ADD_ATOM(kitex_actor, kitex, closed_atom, "kclosed")
/// Connection actors: the socket connected.
CAF_ADD_ATOM(kitex_actor, kitex, connected_atom, "kconnected")
/// Server connection actors: stop taking requests, close when idle.
CAF_ADD_ATOM(kitex_actor, kitex, drain_atom, "kdrain")
/// Client connection actor -> pool: this connection must not take new
/// calls (peer sent crrst).
CAF_ADD_ATOM(kitex_actor, kitex, retire_atom, "kretire")

CAF_END_TYPE_ID_BLOCK(kitex_actor)

/// First type ID free for generated code and users.
constexpr caf::type_id_t kitex_first_user_type_id
  = caf::first_custom_type_id + 100;
