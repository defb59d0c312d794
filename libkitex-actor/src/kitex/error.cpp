#include "kitex/error.hpp"

#include <caf/sec.hpp>
#include <caf/to_string.hpp>
#include <nlohmann/json.hpp>

namespace kitex {

caf::error make_error(errc e) {
  return caf::error{static_cast<uint8_t>(e), error_category};
}

caf::error make_error(errc e, std::string text) {
  return caf::error{static_cast<uint8_t>(e), error_category,
                    caf::make_message(std::move(text))};
}

const char* to_string(errc e) {
  switch (e) {
    case errc::none:
      return "none";
    case errc::rpc_timeout:
      return "rpc_timeout";
    case errc::get_connection:
      return "get_connection";
    case errc::service_discovery:
      return "service_discovery";
    case errc::loadbalance:
      return "loadbalance";
    case errc::no_more_instance:
      return "no_more_instance";
    case errc::circuit_break:
      return "circuit_break";
    case errc::acl:
      return "acl";
    case errc::overlimit:
      return "overlimit";
    case errc::remote_or_network:
      return "remote_or_network";
    case errc::application_exception:
      return "application_exception";
    case errc::declared_exception:
      return "declared_exception";
    case errc::biz:
      return "biz";
    case errc::panic:
      return "panic";
    case errc::protocol_error:
      return "protocol_error";
    case errc::size_limit:
      return "size_limit";
    case errc::internal_exception:
      return "internal_exception";
    case errc::shutting_down:
      return "shutting_down";
    case errc::biz_status:
      return "biz_status";
  }
  return "unknown";
}

std::optional<errc> code_of(const caf::error& e) {
  if (!e || e.category() != error_category)
    return std::nullopt;
  return static_cast<errc>(e.code());
}

std::string render_error(const caf::error& e) {
  if (!e)
    return "none";
  if (e.category() != error_category)
    return caf::to_string(e);
  std::string out = "kitex::";
  out += to_string(static_cast<errc>(e.code()));
  if (!e.context().empty()) {
    out += caf::to_string(e.context());
  }
  return out;
}

bool is_timeout(const caf::error& e) {
  if (e == caf::sec::request_timeout)
    return true;
  auto c = code_of(e);
  return c && *c == errc::rpc_timeout;
}

bool is_retryable(const caf::error& e) {
  auto c = code_of(e);
  if (!c)
    return e == caf::sec::request_timeout;
  switch (*c) {
    case errc::rpc_timeout:
    case errc::get_connection:
    case errc::remote_or_network:
    case errc::circuit_break:
    case errc::no_more_instance:
      return true;
    default:
      return false;
  }
}

caf::error make_remote_exception(int32_t type, std::string message) {
  return caf::error{static_cast<uint8_t>(errc::application_exception),
                    error_category,
                    caf::make_message(type, std::move(message))};
}

std::optional<remote_exception> get_remote_exception(const caf::error& e) {
  auto c = code_of(e);
  if (!c || *c != errc::application_exception)
    return std::nullopt;
  auto& ctx = e.context();
  if (ctx.size() == 2 && ctx.match_element<int32_t>(0)
      && ctx.match_element<std::string>(1))
    return remote_exception{ctx.get_as<int32_t>(0), ctx.get_as<std::string>(1)};
  return std::nullopt;
}

caf::error make_biz_error(int32_t code, std::string message,
                          const std::map<std::string, std::string>& extra) {
  return caf::error{
    static_cast<uint8_t>(errc::biz_status), error_category,
    caf::make_message(code, std::move(message), encode_biz_extra(extra))};
}

std::optional<biz_status> get_biz_status(const caf::error& e) {
  if (e.category() != error_category
      || e.code() != static_cast<uint8_t>(errc::biz_status))
    return std::nullopt;
  auto& ctx = e.context();
  if (ctx.size() != 3 || !ctx.match_element<int32_t>(0)
      || !ctx.match_element<std::string>(1)
      || !ctx.match_element<std::string>(2))
    return std::nullopt;
  biz_status out;
  out.code = ctx.get_as<int32_t>(0);
  out.message = ctx.get_as<std::string>(1);
  decode_biz_extra(ctx.get_as<std::string>(2), out.extra);
  return out;
}

std::string encode_biz_extra(const std::map<std::string, std::string>& extra) {
  if (extra.empty())
    return {};
  return nlohmann::json(extra).dump();
}

bool decode_biz_extra(std::string_view json,
                      std::map<std::string, std::string>& out) {
  out.clear();
  if (json.empty())
    return true;
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return false;
  for (auto& [k, v] : j.items()) {
    if (!v.is_string())
      return false;
    out.emplace(k, v.get<std::string>());
  }
  return true;
}

} // namespace kitex
