#include "headers.hpp"

#include <charconv>
#include <string>

namespace kitex::metainfo {

namespace {

namespace tth = remote::ttheader;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

void write_prefixed(std::string_view prefix, const std::string& k,
                    const std::string& v, tth::header& h) {
  std::string key;
  key.reserve(prefix.size() + k.size());
  key.append(prefix).append(k);
  h.str_kv.emplace_back(std::move(key), v);
}

/// A decimal number of milliseconds, as Kitex writes timeouts.
std::chrono::milliseconds parse_ms(const std::string& s) {
  int64_t ms = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), ms);
  if (ec != std::errc{} || end != s.data() + s.size() || ms < 0)
    return std::chrono::milliseconds{0};
  return std::chrono::milliseconds{ms};
}

} // namespace

std::shared_ptr<call_meta> read_request(const tth::header& h) {
  auto m = std::make_shared<call_meta>();
  for (auto& [k, v] : h.str_kv) {
    std::string_view key = k;
    // Appended, not set(): linear in the headers however many there are
    // (find() lets the last of duplicates win).
    if (starts_with(key, transient_prefix))
      m->transient.emplace_back(key.substr(transient_prefix.size()), v);
    else if (starts_with(key, persistent_prefix))
      m->persistent.emplace_back(key.substr(persistent_prefix.size()), v);
  }
  if (auto v = h.find(tth::key_remote_ip))
    m->remote_ip = *v;
  if (h.acl_token)
    set(m->transient, acl_token_key, *h.acl_token);
  if (auto v = h.find(uint16_t{tth::rpc_timeout}))
    m->rpc_timeout = parse_ms(*v);
  if (auto v = h.find(uint16_t{tth::from_service}))
    m->from_service = *v;
  if (auto v = h.find(uint16_t{tth::from_method}))
    m->from_method = *v;
  return m;
}

void write_request(const call_meta& m, tth::header& h) {
  for (auto& [k, v] : m.transient) {
    if (k == acl_token_key)
      h.acl_token = v;
    else
      write_prefixed(transient_prefix, k, v, h);
  }
  for (auto& [k, v] : m.persistent)
    write_prefixed(persistent_prefix, k, v, h);
}

void write_reply(const call_meta& m, tth::header& h) {
  for (auto& [k, v] : m.backward)
    write_prefixed(backward_prefix, k, v, h);
}

void read_reply(const tth::header& h, call_meta& m) {
  for (auto& [k, v] : h.str_kv) {
    std::string_view key = k;
    if (starts_with(key, backward_prefix))
      m.backward.emplace_back(key.substr(backward_prefix.size()), v);
  }
}

} // namespace kitex::metainfo
