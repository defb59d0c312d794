#pragma once

// kitex::errc mirrors Kitex's pkg/kerrors. Every expected failure of the
// framework travels as a caf::error of the "kitex" category; the context
// message carries the details (a text, a remote exception, a declared
// exception struct).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>

namespace kitex {

enum class errc : uint8_t {
  none = 0,
  /// The call did not finish within its RPC timeout.
  rpc_timeout = 1,
  /// Dialing a connection failed or timed out.
  get_connection,
  service_discovery,
  loadbalance,
  no_more_instance,
  circuit_break,
  acl,
  overlimit,
  /// The peer closed the connection or the socket failed mid-call.
  remote_or_network,
  /// The server answered with a TApplicationException. Context:
  /// (int32 type id, string message).
  application_exception,
  /// The handler threw an exception declared in the IDL. Context:
  /// (int16 field id, the exception struct).
  declared_exception,
  /// A handler error that is not an IDL exception.
  biz,
  /// The handler crashed (Kitex ErrPanic).
  panic,
  /// Bytes from the network violated the protocol. Context: text.
  protocol_error,
  /// A configured limit (frame, string, container, depth) was exceeded.
  size_limit,
  internal_exception,
  /// The server or client is shutting down.
  shutting_down,
  /// A business status from the handler (Kitex BizStatusError): a normal
  /// reply as far as the transport and circuit breaking are concerned.
  /// Context: (int32 code, string message, string extra as a JSON object).
  biz_status,
};

/// The CAF error category of all framework errors.
constexpr caf::atom_value error_category = caf::atom("kitex");

/// Makes `e` usable as caf::error (found by ADL).
caf::error make_error(errc e);

/// An errc with a human readable context text.
caf::error make_error(errc e, std::string text);

/// Name of the code, e.g. "rpc_timeout".
const char* to_string(errc e);

/// Renders a kitex error for logs, e.g. "kitex::rpc_timeout(...)".
std::string render_error(const caf::error& e);

/// Returns the errc of `e`, or std::nullopt if `e` is not a kitex error.
std::optional<errc> code_of(const caf::error& e);

/// True if the error is a timeout (kitex rpc_timeout or caf request_timeout).
bool is_timeout(const caf::error& e);

/// True if a retry may succeed: connection and transport failures, not
/// business errors or declared exceptions.
bool is_retryable(const caf::error& e);

/// Wraps a declared IDL exception struct `x` thrown as result field `field_id`.
template<class T>
caf::error make_declared_exception(int16_t field_id, T x) {
  return caf::error{static_cast<uint8_t>(errc::declared_exception),
                    error_category, caf::make_message(field_id, std::move(x))};
}

/// Returns the declared exception of type T carried by `e`, if any.
template<class T>
std::optional<T> get_exception(const caf::error& e) {
  if (e.category() != error_category
      || e.code() != static_cast<uint8_t>(errc::declared_exception))
    return std::nullopt;
  auto& ctx = e.context();
  if (ctx.size() == 2 && ctx.match_element<T>(1))
    return ctx.get_as<T>(1);
  return std::nullopt;
}

/// A remote TApplicationException as seen by a caller.
struct remote_exception {
  int32_t type = 0;
  std::string message;
};

/// An errc::application_exception error for a TApplicationException of
/// type id `type` received from (or, for missing results, implied by) a peer.
caf::error make_remote_exception(int32_t type, std::string message);

/// Returns the remote TApplicationException carried by `e`, if any.
std::optional<remote_exception> get_remote_exception(const caf::error& e);

/// A business status (Kitex BizStatusError).
struct biz_status {
  int32_t code = 0;
  std::string message;
  std::map<std::string, std::string> extra;
};

/// A handler's business status: over TTHeader (and THeader) the reply is a
/// normal Reply with headers biz-status, biz-message and biz-extra, and the
/// caller gets it back as this error.
caf::error make_biz_error(int32_t code, std::string message,
                          const std::map<std::string, std::string>& extra = {});

/// The business status carried by `e`, if any.
std::optional<biz_status> get_biz_status(const caf::error& e);

/// biz-extra as Kitex writes it: a JSON object of strings ("" if empty).
std::string encode_biz_extra(const std::map<std::string, std::string>& extra);

/// Parses biz-extra; false if it is not a JSON object of strings.
bool decode_biz_extra(std::string_view json,
                      std::map<std::string, std::string>& out);

} // namespace kitex
