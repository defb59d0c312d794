#pragma once

// The service-info table (Kitex serviceinfo.ServiceInfo): the IDL service
// name and, per method, the functions that move that method's typed messages
// between actors and the wire. Generated code (kitex-actor, see
// docs/codegen.md) builds it with make_method<M>() from
// kitex/serviceinfo/make_method.hpp.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <caf/fwd.hpp>

#include "kitex/remote/byte_buffer.hpp"
#include "kitex/remote/limits.hpp"
#include "kitex/remote/protocol.hpp"

namespace kitex::remote {
class frame_encoder;
} // namespace kitex::remote

namespace kitex::metainfo {
struct call_meta;
} // namespace kitex::metainfo

namespace kitex::server {
class call_context;
} // namespace kitex::server

namespace kitex::serviceinfo {

struct method_info {
  std::string name;
  bool oneway = false;

  // -- client side ---------------------------------------------------------

  /// True if `msg` is this method's args message.
  bool (*matches)(const caf::type_erased_tuple& msg) = nullptr;
  /// Writes the args struct of `msg` (which matches()) in the encoder's
  /// protocol.
  void (*write_args)(remote::frame_encoder& enc,
                     const caf::type_erased_tuple& msg)
    = nullptr;
  /// The metainfo of the args message `msg` (which matches()), or null.
  std::shared_ptr<metainfo::call_meta> (*meta_of)(
    const caf::type_erased_tuple& msg)
    = nullptr;
  /// Reads a Reply's result struct (`body`, in protocol `p`) and delivers
  /// its value, or the declared exception as a kitex error, to `rp`.
  void (*deliver_result)(remote::protocol p, remote::byte_span body,
                         const remote::limits& lim, caf::response_promise& rp)
    = nullptr;

  // -- server side ---------------------------------------------------------

  /// Decodes the args, sends them to the worker, and completes the call
  /// through the context when the worker replies.
  void (*serve)(server::call_context& call) = nullptr;
};

struct service_info {
  /// IDL service name (TTHeader "isn").
  std::string name;
  std::vector<method_info> methods;

  const method_info* find(std::string_view method) const noexcept {
    for (auto& m : methods)
      if (m.name == method)
        return &m;
    return nullptr;
  }

  /// Index of the method whose args message `msg` is, or -1.
  int find_by_args(const caf::type_erased_tuple& msg) const {
    for (size_t i = 0; i < methods.size(); ++i)
      if (methods[i].matches(msg))
        return static_cast<int>(i);
    return -1;
  }
};

} // namespace kitex::serviceinfo
