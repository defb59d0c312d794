#include "kitex/metainfo/metainfo.hpp"

#include <unordered_set>

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
  // From the back: of duplicates read off the wire, the last one wins, as
  // in Kitex's maps.
  for (auto i = kv.rbegin(); i != kv.rend(); ++i)
    if (i->first == k)
      return &i->second;
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
  auto& from = current_call->persistent;
  // Reserved first, so the views of the keys already there stay valid.
  out.persistent.reserve(out.persistent.size() + from.size());
  std::unordered_set<std::string_view> have;
  for (auto& kv : out.persistent)
    have.insert(kv.first);
  for (auto& [k, v] : from)
    if (have.count(k) == 0)
      out.persistent.emplace_back(k, v);
}

} // namespace kitex::metainfo
