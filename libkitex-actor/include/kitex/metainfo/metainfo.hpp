#pragma once

// Metainfo: the key-values that travel with a call, as Kitex's metainfo
// package carries them over TTHeader (and, here, Apache THeader) string
// headers:
// - transient values (`RPC_TRANSIT_<k>`) reach the next hop only;
// - persistent values (`RPC_PERSIST_<k>`) are forwarded along the chain;
// - backward values (`RPC_BACKWARD_<k>`) go from the handler back to the
//   caller.
// Framed and Buffered have no headers, so there they are not sent (as in
// Kitex).
//
// Every generated args struct has a member `meta` (a metainfo::handle) that
// points at the call's call_meta, shared by the args message, the connection
// carrying it and the caller; it takes no part in ==, ordering, printing or
// the Thrift encoding.
//
// Caller:
//   echo::echo_args a{req};
//   kitex::metainfo::set_transient(a, "k", "v");
//   auto r = kitex::client::call<echo::Response>(rt, cli, a);
//   kitex::metainfo::backward_value(a, "k2");   // set by the handler
//
// Handler written as a plain class (the generated behavior opens a scope):
//   kitex::metainfo::get_value("k");            // transient or persistent
//   kitex::metainfo::send_backward_value("k2", "v2");
// Handler written as an actor behavior: the same on `a.meta` through
// kitex::metainfo::scope, or directly on of(a).

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kitex::metainfo {

using kv_list = std::vector<std::pair<std::string, std::string>>;

/// Wire prefixes (metainfo's PrefixTransient, PrefixPersistent,
/// PrefixBackward).
constexpr std::string_view transient_prefix = "RPC_TRANSIT_";
constexpr std::string_view persistent_prefix = "RPC_PERSIST_";
constexpr std::string_view backward_prefix = "RPC_BACKWARD_";

/// The metadata of one call.
struct call_meta {
  /// Caller: sent as RPC_TRANSIT_*. Handler: what the caller sent (not
  /// forwarded further, like Kitex's transient-upstream values).
  kv_list transient;
  /// Sent as RPC_PERSIST_*; a handler's outgoing calls forward them.
  kv_list persistent;
  /// Handler: sent back as RPC_BACKWARD_*. Caller: what came back.
  kv_list backward;
  /// Handler: the caller's RPC timeout (TTHeader int key 12), 0 if unknown.
  std::chrono::milliseconds rpc_timeout{0};
  /// Handler: the caller's service and method (int keys 3 and 20).
  std::string from_service;
  std::string from_method;
  /// Handler: the method being served.
  std::string method;
  /// Handler: the caller's address as a proxy reports it (string header
  /// `rip`), empty if none.
  std::string remote_ip;
};

/// The `meta` member of generated args structs: a shared call_meta, or
/// none. Equal to every other handle, so it never affects a value's
/// equality.
struct handle {
  std::shared_ptr<call_meta> ptr;

  friend bool operator==(const handle&, const handle&) noexcept {
    return true;
  }

  explicit operator bool() const noexcept {
    return ptr != nullptr;
  }
};

/// Sets `k` to `v`, replacing an earlier value.
void set(kv_list& kv, std::string_view k, std::string v);

/// The value of `k`, if present (the last one if `k` repeats).
const std::string* find(const kv_list& kv, std::string_view k);

/// The call_meta of an args struct, created on first use.
template<class Args>
call_meta& of(Args& args) {
  if (!args.meta.ptr)
    args.meta.ptr = std::make_shared<call_meta>();
  return *args.meta.ptr;
}

template<class Args>
void set_transient(Args& args, std::string_view k, std::string v) {
  set(of(args).transient, k, std::move(v));
}

template<class Args>
void set_persistent(Args& args, std::string_view k, std::string v) {
  set(of(args).persistent, k, std::move(v));
}

/// A backward value the handler sent, once the call returned.
template<class Args>
std::optional<std::string> backward_value(const Args& args,
                                          std::string_view k) {
  if (!args.meta.ptr)
    return std::nullopt;
  if (auto v = find(args.meta.ptr->backward, k))
    return *v;
  return std::nullopt;
}

// -- inside a handler ------------------------------------------------------

/// Makes `h` the current call of this thread while the scope lives (the
/// generated behavior of a plain-class handler opens one per call).
class scope {
public:
  explicit scope(const handle& h) noexcept;
  ~scope();
  scope(const scope&) = delete;
  scope& operator=(const scope&) = delete;

private:
  call_meta* prev_;
};

/// The current call's metadata on this thread, or nullptr.
call_meta* current() noexcept;

/// A value the caller sent: transient first, then persistent.
std::optional<std::string> get_value(std::string_view k);

/// A persistent value the caller sent.
std::optional<std::string> get_persistent_value(std::string_view k);

/// Sends `k`=`v` back to the caller with the reply. False outside a call,
/// or on a transport without headers (Framed, Buffered).
bool send_backward_value(std::string_view k, std::string v);

/// For a call made from inside a handler: forwards the current call's
/// persistent values into `out` (values already in `out` win) and records
/// the current method as `out.from_method`, as Kitex does with the context
/// it passes on.
void inherit(call_meta& out);

/// inherit() into the args of an outgoing call, if this thread is serving
/// a call with metainfo (kitex::client::call and call_async do this).
template<class Args>
void forward_current(Args& args) {
  if constexpr (requires { args.meta.ptr; }) {
    if (current() != nullptr)
      inherit(of(args));
  }
}

} // namespace kitex::metainfo
