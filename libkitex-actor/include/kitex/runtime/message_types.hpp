#pragma once

// Registers a generated CAF type-ID block with a runtime's actor system, so
// CAF can serialize the IDL's types (to remote CAF nodes, into binary
// serializers). Local messages between actors need no registration:
//
//   kitex::runtime::runtime_options opts;
//   kitex::runtime::add_message_types<echo::echo_type_ids>(opts);
//   kitex::runtime::runtime rt{opts};
//
// Each IDL's block sits at the offset kitex_generate() assigned it, so the
// blocks of several IDLs can be registered in one program.

#include <caf/actor_system_config.hpp>

#include "kitex/runtime/runtime.hpp"

namespace kitex::runtime {

template<class IdBlock>
runtime_options& add_message_types(runtime_options& opts) {
  opts.configure.emplace_back(
    [](caf::actor_system_config& cfg) { cfg.add_message_types<IdBlock>(); });
  return opts;
}

} // namespace kitex::runtime
