#include "kitex/metainfo/metainfo.hpp"

namespace kitex::metainfo {

namespace {

thread_local call_meta* current_call = nullptr;

} // namespace

void set(kv_list& kv, std::string_view k, std::string v) {
  for (auto& [key, value] : kv)
    if (key == k) {
      value = std::move(v);
      return;
    }
  kv.emplace_back(std::string{k}, std::move(v));
}

const std::string* find(const kv_list& kv, std::string_view k) {
  for (auto& [key, value] : kv)
    if (key == k)
      return &value;
  return nullptr;
}

scope::scope(const handle& h) noexcept : prev_(current_call) {
  current_call = h.ptr.get();
}

scope::~scope() {
  current_call = prev_;
}

call_meta* current() noexcept {
  return current_call;
}

std::optional<std::string> get_value(std::string_view k) {
  if (current_call == nullptr)
    return std::nullopt;
  if (auto v = find(current_call->transient, k))
    return *v;
  if (auto v = find(current_call->persistent, k))
    return *v;
  return std::nullopt;
}

std::optional<std::string> get_persistent_value(std::string_view k) {
  if (current_call == nullptr)
    return std::nullopt;
  if (auto v = find(current_call->persistent, k))
    return *v;
  return std::nullopt;
}

bool send_backward_value(std::string_view k, std::string v) {
  if (current_call == nullptr)
    return false;
  set(current_call->backward, k, std::move(v));
  return true;
}

void inherit(call_meta& out) {
  if (current_call == nullptr || current_call == &out)
    return;
  if (out.from_method.empty())
    out.from_method = current_call->method;
  for (auto& [k, v] : current_call->persistent)
    if (find(out.persistent, k) == nullptr)
      out.persistent.emplace_back(k, v);
}

} // namespace kitex::metainfo
