// runtime: options, stop requests and signals, and the shutdown order.

#include <csignal>
#include <mutex>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include <catch2/catch.hpp>

#include "kitex/runtime/runtime.hpp"

using namespace std::chrono_literals;

namespace {

kitex::runtime::runtime_options quiet_options() {
  kitex::runtime::runtime_options o;
  o.scheduler_threads = 1;
  o.handle_signals = false;
  return o;
}

/// Records the order in which shutdown steps touched it.
struct recorder {
  std::mutex mtx;
  std::vector<std::string> events;

  void add(std::string e) {
    std::lock_guard<std::mutex> guard{mtx};
    events.push_back(std::move(e));
  }
};

struct io_object : kitex::runtime::closeable {
  recorder* rec;
  explicit io_object(recorder* r) : rec(r) {}
  void close_now() override {
    rec->add("io closed");
  }
};

} // namespace

TEST_CASE("runtime options parse from argv") {
  const char* argv[] = {"prog", "--scheduler-policy=stealing",
                        "--scheduler-threads=3", "--io-threads=2", "--other"};
  auto o = kitex::runtime::parse_runtime_options(5, const_cast<char**>(argv));
  CHECK(o.scheduler_policy == "stealing");
  CHECK(o.scheduler_threads == 3);
  CHECK(o.io_threads == 2);
  const char* bad[] = {"prog", "--io-threads=x"};
  auto d = kitex::runtime::parse_runtime_options(2, const_cast<char**>(bad));
  CHECK(d.io_threads == 0);
  const char* zero[] = {"prog", "--io-threads=0"};
  auto z = kitex::runtime::parse_runtime_options(2, const_cast<char**>(zero));
  CHECK(z.io_threads == 0);
}

TEST_CASE("wait_for_stop returns on request_stop and times out otherwise") {
  kitex::runtime::runtime rt{quiet_options()};
  CHECK(rt.wait_for_stop(20ms) == -1);
  rt.request_stop();
  CHECK(rt.wait_for_stop() == 0);
}

TEST_CASE("SIGTERM wakes wait_for_stop with the signal number") {
  auto o = quiet_options();
  o.handle_signals = true;
  kitex::runtime::runtime rt{o};
  std::raise(SIGTERM);
  CHECK(rt.wait_for_stop(2s) == SIGTERM);
}

TEST_CASE("shutdown runs hooks newest first, then io, then actors") {
  recorder rec;
  auto obj = std::make_shared<io_object>(&rec);
  {
    kitex::runtime::runtime rt{quiet_options()};
    rt.add_shutdown_hook([&] { rec.add("hook 1"); });
    rt.add_shutdown_hook([&] { rec.add("hook 2"); });
    rt.track_io_object(obj);
    auto root = rt.system().spawn([&](caf::event_based_actor* self) {
      self->attach_functor([&](const caf::error&) { rec.add("actor down"); });
      return caf::behavior{[](int x) { return x; }};
    });
    rt.track_root(root);
    rt.shutdown(); // a live root must not hang the shutdown
    rt.shutdown(); // idempotent
  }
  REQUIRE(rec.events.size() == 4);
  CHECK(rec.events[0] == "hook 2");
  CHECK(rec.events[1] == "hook 1");
  CHECK(rec.events[2] == "io closed");
  CHECK(rec.events[3] == "actor down");
}

TEST_CASE("expired io objects are skipped at shutdown") {
  recorder rec;
  kitex::runtime::runtime rt{quiet_options()};
  for (int i = 0; i < 200; ++i) {
    auto tmp = std::make_shared<io_object>(&rec);
    rt.track_io_object(tmp);
  }
  auto live = std::make_shared<io_object>(&rec);
  rt.track_io_object(live);
  rt.shutdown();
  CHECK(rec.events == std::vector<std::string>{"io closed"});
}
