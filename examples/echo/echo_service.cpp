#include "echo_service.hpp"

#include <optional>

#include "kitex/serviceinfo/make_method.hpp"

namespace echo {

using kitex::remote::protocol_error;
using kitex::remote::thrift::ttype;

namespace {

/// Reads a struct of two string fields (ids 1 and 2); both required when
/// `required` is set. Unknown fields are skipped.
bool read_two_strings(binary_reader& r, std::string& a, std::string& b,
                      bool required) {
  if (!r.enter())
    return false;
  bool has_a = false, has_b = false;
  for (;;) {
    ttype t;
    int16_t id;
    if (!r.read_field_begin(t, id))
      return false;
    if (t == ttype::stop)
      break;
    if (id == 1 && t == ttype::string) {
      if (!r.read_string(a))
        return false;
      has_a = true;
    } else if (id == 2 && t == ttype::string) {
      if (!r.read_string(b))
        return false;
      has_b = true;
    } else if (!r.skip(t)) {
      return false;
    }
  }
  r.leave();
  if (required && (!has_a || !has_b))
    return r.fail(protocol_error::invalid_data);
  return true;
}

void write_two_strings(binary_writer& w, const std::string& a,
                       const std::string& b) {
  w.write_field_begin(ttype::string, 1);
  w.write_string(a);
  w.write_field_begin(ttype::string, 2);
  w.write_string(b);
  w.write_field_stop();
}

/// Reads `{1: Request req}` (the args struct of Echo and Notify).
bool read_req_args(binary_reader& r, Request& req) {
  if (!r.enter())
    return false;
  for (;;) {
    ttype t;
    int16_t id;
    if (!r.read_field_begin(t, id))
      return false;
    if (t == ttype::stop)
      break;
    if (id == 1 && t == ttype::struct_) {
      if (!read(r, req))
        return false;
    } else if (!r.skip(t)) {
      return false;
    }
  }
  r.leave();
  return true;
}

void write_req_args(binary_writer& w, const Request& req) {
  w.write_field_begin(ttype::struct_, 1);
  write(w, req);
  w.write_field_stop();
}

} // namespace

bool read(binary_reader& r, Request& x) {
  return read_two_strings(r, x.action, x.msg, true);
}

void write(binary_writer& w, const Request& x) {
  write_two_strings(w, x.action, x.msg);
}

bool read(binary_reader& r, Response& x) {
  return read_two_strings(r, x.action, x.msg, true);
}

void write(binary_writer& w, const Response& x) {
  write_two_strings(w, x.action, x.msg);
}

bool read(binary_reader& r, EchoError& x) {
  if (!r.enter())
    return false;
  for (;;) {
    ttype t;
    int16_t id;
    if (!r.read_field_begin(t, id))
      return false;
    if (t == ttype::stop)
      break;
    if (id == 1 && t == ttype::i32) {
      if (!r.read_i32(x.code))
        return false;
    } else if (id == 2 && t == ttype::string) {
      if (!r.read_string(x.message))
        return false;
    } else if (!r.skip(t)) {
      return false;
    }
  }
  r.leave();
  return true;
}

void write(binary_writer& w, const EchoError& x) {
  w.write_field_begin(ttype::i32, 1);
  w.write_i32(x.code);
  w.write_field_begin(ttype::string, 2);
  w.write_string(x.message);
  w.write_field_stop();
}

// -- Echo ---------------------------------------------------------------------

bool echo_method::read_args(binary_reader& r, echo_args& x) {
  return read_req_args(r, x.req);
}

void echo_method::write_args(binary_writer& w, const echo_args& x) {
  write_req_args(w, x.req);
}

void echo_method::write_result(binary_writer& w, const Response& x) {
  w.write_field_begin(ttype::struct_, 0);
  write(w, x);
  w.write_field_stop();
}

bool echo_method::is_declared(const caf::error& e) {
  return kitex::get_exception<EchoError>(e).has_value();
}

void echo_method::write_exception(binary_writer& w, const caf::error& e) {
  w.write_field_begin(ttype::struct_, 1);
  write(w, *kitex::get_exception<EchoError>(e));
  w.write_field_stop();
}

caf::expected<Response> echo_method::read_result(binary_reader& r) {
  auto bad = [&] {
    return kitex::make_error(kitex::errc::protocol_error,
                             std::string{"bad Echo result: "}
                               + kitex::remote::to_string(r.error()));
  };
  std::optional<Response> success;
  std::optional<EchoError> err;
  if (!r.enter())
    return bad();
  for (;;) {
    ttype t;
    int16_t id;
    if (!r.read_field_begin(t, id))
      return bad();
    if (t == ttype::stop)
      break;
    if (id == 0 && t == ttype::struct_) {
      if (!read(r, success.emplace()))
        return bad();
    } else if (id == 1 && t == ttype::struct_) {
      if (!read(r, err.emplace()))
        return bad();
    } else if (!r.skip(t)) {
      return bad();
    }
  }
  r.leave();
  if (success)
    return std::move(*success);
  if (err)
    return make_error(std::move(*err));
  return kitex::make_remote_exception(5, "Echo failed: unknown result");
}

// -- Notify -------------------------------------------------------------------

bool notify_method::read_args(binary_reader& r, notify_args& x) {
  return read_req_args(r, x.req);
}

void notify_method::write_args(binary_writer& w, const notify_args& x) {
  write_req_args(w, x.req);
}

// -- service info -------------------------------------------------------------

const kitex::serviceinfo::service_info& EchoServer::info() {
  static const kitex::serviceinfo::service_info instance{
    "EchoServer",
    {kitex::serviceinfo::make_method<echo_method>(),
     kitex::serviceinfo::make_method<notify_method>()}};
  return instance;
}

} // namespace echo
