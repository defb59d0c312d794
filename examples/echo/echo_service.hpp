#pragma once

// The echo service of echo.thrift, written by hand in the shape the code
// generator will produce: IDL types with Thrift Binary codecs, one args
// struct per method, the typed actor interface, the method descriptions and
// the service-info table.

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "kitex/error.hpp"
#include "kitex/remote/codec/thrift/binary_protocol.hpp"
#include "kitex/serviceinfo/service_info.hpp"

namespace echo {

using kitex::remote::thrift::binary_reader;
using kitex::remote::thrift::binary_writer;

// -- IDL types ---------------------------------------------------------------

struct Request {
  std::string action;
  std::string msg;
  friend bool operator==(const Request&, const Request&) = default;
};

struct Response {
  std::string action;
  std::string msg;
  friend bool operator==(const Response&, const Response&) = default;
};

struct EchoError {
  int32_t code = 0;
  std::string message;
  friend bool operator==(const EchoError&, const EchoError&) = default;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, Request& x) {
  return f(caf::meta::type_name("echo.Request"), x.action, x.msg);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, Response& x) {
  return f(caf::meta::type_name("echo.Response"), x.action, x.msg);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, EchoError& x) {
  return f(caf::meta::type_name("echo.EchoError"), x.code, x.message);
}

[[nodiscard]] bool read(binary_reader& r, Request& x);
void write(binary_writer& w, const Request& x);
[[nodiscard]] bool read(binary_reader& r, Response& x);
void write(binary_writer& w, const Response& x);
[[nodiscard]] bool read(binary_reader& r, EchoError& x);
void write(binary_writer& w, const EchoError& x);

// -- method args (the typed messages a service actor receives) ----------------

struct echo_args {
  Request req;
};

struct notify_args {
  Request req;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, echo_args& x) {
  return f(caf::meta::type_name("echo.EchoServer.Echo"), x.req);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, notify_args& x) {
  return f(caf::meta::type_name("echo.EchoServer.Notify"), x.req);
}

/// The typed interface of the service and of its client.
using echo_server_actor
  = caf::typed_actor<caf::replies_to<echo_args>::with<Response>,
                     caf::reacts_to<notify_args>>;

/// EchoError as the typed error a handler returns and a caller inspects.
inline caf::error make_error(EchoError x) {
  return kitex::make_declared_exception(1, std::move(x));
}

// -- method descriptions (see kitex/serviceinfo/make_method.hpp) -------------

struct echo_method {
  static constexpr const char* name = "Echo";
  static constexpr bool oneway = false;
  using args_type = echo_args;
  using result_type = Response;
  static bool read_args(binary_reader& r, echo_args& x);
  static void write_args(binary_writer& w, const echo_args& x);
  static void write_result(binary_writer& w, const Response& x);
  static bool is_declared(const caf::error& e);
  static void write_exception(binary_writer& w, const caf::error& e);
  static caf::expected<Response> read_result(binary_reader& r);
};

struct notify_method {
  static constexpr const char* name = "Notify";
  static constexpr bool oneway = true;
  using args_type = notify_args;
  using result_type = void;
  static bool read_args(binary_reader& r, notify_args& x);
  static void write_args(binary_writer& w, const notify_args& x);
};

/// Service traits used by make_client / server::add_service.
struct EchoServer {
  using actor_type = echo_server_actor;
  static const kitex::serviceinfo::service_info& info();
};

} // namespace echo
