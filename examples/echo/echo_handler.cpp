#include "echo_handler.hpp"

#include <atomic>
#include <charconv>
#include <chrono>
#include <stdexcept>
#include <string_view>

namespace echo {

namespace {

std::atomic<uint64_t> notifications{0};

/// Parses the milliseconds of "sleep:<ms>"; -1 if `action` is not one.
long sleep_millis(std::string_view action) {
  constexpr std::string_view prefix = "sleep:";
  if (action.substr(0, prefix.size()) != prefix)
    return -1;
  auto digits = action.substr(prefix.size());
  long ms = 0;
  auto [ptr, ec]
    = std::from_chars(digits.data(), digits.data() + digits.size(), ms);
  if (ec != std::errc{} || ptr != digits.data() + digits.size() || ms < 0)
    return -1;
  return ms;
}

} // namespace

uint64_t notify_count() {
  return notifications.load();
}

echo_worker_actor::behavior_type
echo_impl(echo_worker_actor::stateful_pointer<echo_worker_state> self) {
  return {
    [self](echo_args& a) -> caf::result<Response> {
      auto& req = a.req;
      if (req.action == "error")
        return make_error(EchoError{7, req.msg});
      if (req.action == "panic")
        throw std::runtime_error("panic requested: " + req.msg);
      if (auto ms = sleep_millis(req.action); ms >= 0) {
        auto rp = self->make_response_promise<Response>();
        auto id = ++self->state.next_id;
        self->state.sleeping.emplace(
          id, std::make_pair(rp, Response{req.action, req.msg}));
        self->delayed_send(self, std::chrono::milliseconds{ms},
                           wake_atom::value, id);
        return rp;
      }
      return Response{req.action, req.msg};
    },
    [](notify_args&) { ++notifications; },
    [self](wake_atom, uint64_t id) {
      auto i = self->state.sleeping.find(id);
      if (i == self->state.sleeping.end())
        return;
      i->second.first.deliver(std::move(i->second.second));
      self->state.sleeping.erase(i);
    },
  };
}

} // namespace echo
