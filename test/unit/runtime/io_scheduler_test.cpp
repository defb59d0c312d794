// The io scheduler (runtime_options::io_threads == 0): CAF workers that run
// the asio io_context between jobs.

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <catch2/catch.hpp>

#include "kitex/runtime/runtime.hpp"

using namespace std::chrono_literals;

namespace {

kitex::runtime::runtime_options options(size_t workers, size_t io_threads) {
  kitex::runtime::runtime_options o;
  o.scheduler_threads = workers;
  o.io_threads = io_threads;
  o.handle_signals = false;
  return o;
}

size_t this_thread_hash() {
  return std::hash<std::thread::id>{}(std::this_thread::get_id());
}

/// The thread an io handler runs on.
size_t io_thread(kitex::runtime::runtime& rt) {
  std::promise<size_t> p;
  asio::post(rt.io_context(), [&p] { p.set_value(this_thread_hash()); });
  auto f = p.get_future();
  REQUIRE(f.wait_for(5s) == std::future_status::ready);
  return f.get();
}

/// The thread an actor's handler runs on.
size_t actor_thread(kitex::runtime::runtime& rt) {
  auto a = rt.system().spawn(
    []() -> caf::behavior { return {[](int) { return this_thread_hash(); }}; });
  caf::scoped_actor self{rt.system()};
  size_t h = 0;
  self->request(a, caf::infinite, 1)
    .receive([&](size_t x) { h = x; }, [](caf::error&) {});
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  return h;
}

} // namespace

TEST_CASE("with io_threads = 0 an actor and an io handler share the worker") {
  kitex::runtime::runtime rt{options(1, 0)};
  auto io = io_thread(rt);
  CHECK(io != this_thread_hash());
  CHECK(actor_thread(rt) == io);
}

TEST_CASE("with a dedicated io thread actors run elsewhere") {
  kitex::runtime::runtime rt{options(1, 1)};
  auto actor = actor_thread(rt);
  CHECK(actor != 0);
  CHECK(actor != io_thread(rt));
}

TEST_CASE("messages from many foreign threads all reach an io-idle worker") {
  for (size_t workers : {size_t{1}, size_t{2}}) {
    kitex::runtime::runtime rt{options(workers, 0)};
    auto counter = rt.system().spawn([]() -> caf::behavior {
      auto n = std::make_shared<int>(0);
      return {[n](int x) {
                if (x > 0)
                  ++*n;
              },
              [n](bool) { return *n; }};
    });
    std::vector<std::thread> senders;
    for (int t = 0; t < 4; ++t)
      senders.emplace_back([&] {
        for (int i = 0; i < 5000; ++i) {
          caf::anon_send(counter, 1);
          if (i % 500 == 0)
            std::this_thread::sleep_for(1ms); // let the worker go idle
        }
      });
    for (auto& s : senders)
      s.join();
    caf::scoped_actor self{rt.system()};
    int got = -1;
    self->request(counter, 10s, true)
      .receive([&](int n) { got = n; }, [](caf::error&) {});
    CHECK(got == 20000);
    caf::anon_send_exit(counter, caf::exit_reason::user_shutdown);
  }
}

TEST_CASE("a delayed message fires while the only worker waits in io") {
  kitex::runtime::runtime rt{options(1, 0)};
  caf::scoped_actor self{rt.system()};
  auto start = std::chrono::steady_clock::now();
  self->delayed_send(self, 30ms, 7);
  int got = 0;
  self->receive([&](int x) { got = x; }, caf::after(5s) >> [] {});
  CHECK(got == 7);
  CHECK(std::chrono::steady_clock::now() - start >= 30ms);
}

TEST_CASE("io keeps running on one worker while another runs a long job") {
  kitex::runtime::runtime rt{options(2, 0)};
  std::atomic<bool> io_ran{false};
  std::promise<bool> seen;
  auto busy = rt.system().spawn([&]() -> caf::behavior {
    return {[&](int) {
      // Holds this worker until the io handler has run elsewhere.
      auto until = std::chrono::steady_clock::now() + 5s;
      while (!io_ran.load() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(1ms);
      seen.set_value(io_ran.load());
    }};
  });
  caf::anon_send(busy, 1);
  std::this_thread::sleep_for(20ms); // the job is running
  asio::post(rt.io_context(), [&] { io_ran = true; });
  auto f = seen.get_future();
  REQUIRE(f.wait_for(10s) == std::future_status::ready);
  CHECK(f.get());
  caf::anon_send_exit(busy, caf::exit_reason::user_shutdown);
}

TEST_CASE("shutdown with workers that run io leaves nothing running") {
  std::atomic<int> handled{0};
  {
    kitex::runtime::runtime rt{options(2, 0)};
    auto a = rt.system().spawn(
      [&]() -> caf::behavior { return {[&](int) { ++handled; }}; });
    rt.track_root(a);
    for (int i = 0; i < 100; ++i)
      caf::anon_send(a, i);
    // Posted io work after the stop is dropped, not run on a dead context.
    rt.add_shutdown_hook(
      [&] { asio::post(rt.io_context(), [&] { caf::anon_send(a, -1); }); });
    rt.shutdown();
  }
  CHECK(handled.load() >= 100);
}
