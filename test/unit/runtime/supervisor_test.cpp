// Supervisor behaviour: strategies, restart types, intensity and escalation,
// back-off, which_children. Shutdown lives in supervisor_shutdown_test.cpp.

#include <catch2/catch.hpp>

#include <caf/sec.hpp>

#include "kitex/error.hpp"
#include "unit/runtime/supervisor_fixture.hpp"

using namespace kitex::runtime;
using namespace kitex::runtime::test;

using strings = std::vector<std::string>;

namespace {

/// The context text of a kitex error, or "" if it carries none.
std::string context_text(const caf::error& e) {
  if (!e || e.context().size() != 1
      || !e.context().match_element<std::string>(0))
    return {};
  return e.context().get_as<std::string>(0);
}

} // namespace

TEST_CASE("one_for_one restarts only the crashed child", "[supervisor]") {
  fixture fx;
  auto sup
    = fx.spawn("s", policy(strategy::one_for_one),
               {fx.worker_spec("a"), fx.worker_spec("b"), fx.worker_spec("c")});
  REQUIRE(fx.all_running(*sup.children));
  auto before = *sup.children->snapshot();
  auto version = sup.children->version();
  CHECK(fx.crash(before[1]) == caf::sec::runtime_error);
  auto b2 = fx.replaced(*sup.children, 1, before[1]);
  REQUIRE(b2);
  CHECK(sup.children->version() > version);
  auto after = *sup.children->snapshot();
  CHECK(after[0] == before[0]);
  CHECK(after[2] == before[2]);
  CHECK(fx.ping(b2) == "b#2");
  CHECK(fx.ping(after[0]) == "a#1");
  CHECK(fx.restarts(sup.actor) == std::vector<uint64_t>{0, 1, 0});
  CHECK(fx.starts_of("a") == 1);
  CHECK(fx.starts_of("c") == 1);
}

TEST_CASE("one_for_all restarts every child", "[supervisor]") {
  fixture fx;
  auto sup
    = fx.spawn("s", policy(strategy::one_for_all),
               {fx.worker_spec("a"), fx.worker_spec("b"), fx.worker_spec("c")});
  REQUIRE(fx.all_running(*sup.children));
  auto before = *sup.children->snapshot();
  fx.crash(before[1]);
  for (size_t i = 0; i < 3; ++i)
    REQUIRE(fx.replaced(*sup.children, i, before[i]));
  auto after = *sup.children->snapshot();
  CHECK(fx.ping(after[0]) == "a#2");
  CHECK(fx.ping(after[1]) == "b#2");
  CHECK(fx.ping(after[2]) == "c#2");
  // The siblings were stopped on purpose, last first.
  CHECK(fx.rec->ids("exit") == std::vector<std::string>{"c", "a"});
  CHECK(fx.rec->down_reason("a") == caf::exit_reason::user_shutdown);
  CHECK(fx.restarts(sup.actor) == std::vector<uint64_t>{1, 1, 1});
}

TEST_CASE("rest_for_one restarts the failed child and later ones",
          "[supervisor]") {
  fixture fx;
  auto sup = fx.spawn("s", policy(strategy::rest_for_one),
                      {fx.worker_spec("a"), fx.worker_spec("b"),
                       fx.worker_spec("c"), fx.worker_spec("d")});
  REQUIRE(fx.all_running(*sup.children));
  auto before = *sup.children->snapshot();
  fx.crash(before[1]);
  for (size_t i = 1; i < 4; ++i)
    REQUIRE(fx.replaced(*sup.children, i, before[i]));
  CHECK((*sup.children->snapshot())[0] == before[0]);
  CHECK(fx.rec->ids("exit") == std::vector<std::string>{"d", "c"});
  CHECK(fx.restarts(sup.actor) == std::vector<uint64_t>{0, 1, 1, 1});
  CHECK(fx.starts_of("a") == 1);
  CHECK(fx.ping((*sup.children->snapshot())[3]) == "d#2");
}

TEST_CASE("restart types decide by exit reason", "[supervisor]") {
  enum class how { normal, user_shutdown, crash, kill };
  struct row {
    restart_type type;
    how exit;
    bool restarted;
  };
  using rt = restart_type;
  std::vector<row> rows{
    {rt::permanent, how::normal, true},
    {rt::permanent, how::user_shutdown, true},
    {rt::permanent, how::crash, true},
    {rt::permanent, how::kill, true},
    {rt::transient, how::normal, false},
    {rt::transient, how::user_shutdown, false},
    {rt::transient, how::crash, true},
    {rt::transient, how::kill, true},
    {rt::temporary, how::normal, false},
    {rt::temporary, how::user_shutdown, false},
    {rt::temporary, how::crash, false},
    {rt::temporary, how::kill, false},
  };
  fixture fx;
  for (auto& r : rows) {
    CAPTURE(static_cast<int>(r.type), static_cast<int>(r.exit));
    auto sup = fx.spawn("s", policy(strategy::one_for_one),
                        {fx.worker_spec("w", r.type, worker_mode::plain)});
    REQUIRE(fx.all_running(*sup.children));
    auto old = (*sup.children->snapshot())[0];
    switch (r.exit) {
      case how::normal:
        caf::anon_send(old, stop_atom::value);
        break;
      case how::user_shutdown:
        caf::anon_send_exit(old, caf::exit_reason::user_shutdown);
        break;
      case how::crash:
        caf::anon_send(old, crash_atom::value);
        break;
      case how::kill:
        caf::anon_send_exit(old, caf::exit_reason::kill);
        break;
    }
    REQUIRE(fx.wait_down(old));
    if (r.restarted) {
      auto fresh = fx.replaced(*sup.children, 0, old);
      REQUIRE(fresh);
      CHECK(fx.ping(fresh) == "w#2");
      CHECK(fx.restarts(sup.actor) == std::vector<uint64_t>{1});
    } else {
      std::this_thread::sleep_for(50ms); // 50x the back-off
      CHECK(!(*sup.children->snapshot())[0]);
      CHECK(fx.starts_of("w") == 1);
      auto info = fx.which(sup.actor);
      REQUIRE(info.size() == 1);
      CHECK_FALSE(info[0].running);
      CHECK(info[0].restarts == 0);
    }
    caf::anon_send_exit(sup.actor, caf::exit_reason::user_shutdown);
    REQUIRE(fx.wait_down(sup.actor));
  }
}

TEST_CASE("a temporary sibling is stopped and dropped by one_for_all",
          "[supervisor]") {
  fixture fx;
  auto sup = fx.spawn("s", policy(strategy::one_for_all),
                      {fx.worker_spec("a"),
                       fx.worker_spec("t", restart_type::temporary),
                       fx.worker_spec("c")});
  REQUIRE(fx.all_running(*sup.children));
  auto before = *sup.children->snapshot();
  fx.crash(before[0]);
  REQUIRE(fx.replaced(*sup.children, 0, before[0]));
  REQUIRE(fx.replaced(*sup.children, 2, before[2]));
  std::this_thread::sleep_for(30ms);
  CHECK(!(*sup.children->snapshot())[1]);
  CHECK(fx.rec->down_reason("t") == caf::exit_reason::user_shutdown);
  CHECK(fx.starts_of("t") == 1);
  auto info = fx.which(sup.actor);
  REQUIRE(info.size() == 3);
  CHECK_FALSE(info[1].running);
  CHECK(info[1].restarts == 0);
}

TEST_CASE("a transient child's normal exit leaves its siblings alone",
          "[supervisor]") {
  fixture fx;
  auto sup = fx.spawn(
    "s", policy(strategy::one_for_all),
    {fx.worker_spec("a", restart_type::transient), fx.worker_spec("b")});
  REQUIRE(fx.all_running(*sup.children));
  auto before = *sup.children->snapshot();
  caf::anon_send(before[0], stop_atom::value);
  REQUIRE(fx.wait_down(before[0]));
  std::this_thread::sleep_for(30ms);
  auto after = *sup.children->snapshot();
  CHECK(!after[0]);
  CHECK(after[1] == before[1]);
  CHECK(fx.starts_of("b") == 1);
}

TEST_CASE("exceeding the restart intensity escalates", "[supervisor]") {
  fixture fx;
  auto sup = fx.spawn("esc", policy(strategy::one_for_one, 2),
                      {fx.worker_spec("a"), fx.worker_spec("b")});
  REQUIRE(fx.all_running(*sup.children));
  auto a = (*sup.children->snapshot())[0];
  for (int i = 0; i < 2; ++i) {
    fx.crash(a);
    a = fx.replaced(*sup.children, 0, a);
    REQUIRE(a); // restarts 1 and 2 are within the intensity
  }
  fx.crash(a);
  auto reason = fx.wait_down(sup.actor);
  REQUIRE(reason);
  CHECK(kitex::code_of(*reason) == kitex::errc::internal_exception);
  CHECK(context_text(*reason) == "supervisor esc: restart intensity exceeded");
  // b was stopped before the supervisor went down, and not as a crash.
  CHECK(fx.rec->down_reason("b") == caf::exit_reason::user_shutdown);
  CHECK(fx.starts_of("a") == 3);
  for (auto& hdl : *sup.children->snapshot())
    CHECK(!hdl);
}

TEST_CASE("children stopped for a restart do not count as restarts",
          "[supervisor]") {
  fixture fx;
  auto sup
    = fx.spawn("s", policy(strategy::one_for_all, 1),
               {fx.worker_spec("a"), fx.worker_spec("b"), fx.worker_spec("c")});
  REQUIRE(fx.all_running(*sup.children));
  auto before = *sup.children->snapshot();
  fx.crash(before[2]);
  for (size_t i = 0; i < 3; ++i)
    REQUIRE(fx.replaced(*sup.children, i, before[i]));
  CHECK(fx.which(sup.actor).size() == 3); // still alive after 1 restart
  // The second failure is restart 2 > intensity 1.
  fx.crash((*sup.children->snapshot())[0]);
  auto reason = fx.wait_down(sup.actor);
  REQUIRE(reason);
  CHECK(kitex::code_of(*reason) == kitex::errc::internal_exception);
}

TEST_CASE("a sibling that dies while waiting to be stopped is no crash",
          "[supervisor]") {
  fixture fx;
  auto sup = fx.spawn("s", policy(strategy::one_for_all, 1),
                      {fx.worker_spec("a"), fx.worker_spec("b"),
                       fx.worker_spec("c", restart_type::permanent,
                                      worker_mode::stubborn, 200ms)});
  REQUIRE(fx.all_running(*sup.children));
  auto before = *sup.children->snapshot();
  fx.crash(before[0]);
  // The supervisor waits up to 200 ms for stubborn c; b is next in line.
  REQUIRE(eventually([&] { return fx.rec->ids("exit") == strings{"c"}; }));
  caf::anon_send_exit(before[1], caf::exit_reason::kill);
  for (size_t i = 0; i < 3; ++i)
    REQUIRE(fx.replaced(*sup.children, i, before[i]));
  // One failure, one restart: b's death was part of the restart, so the
  // supervisor (intensity 1) neither restarted again nor escalated.
  std::this_thread::sleep_for(30ms);
  CHECK(fx.restarts(sup.actor) == std::vector<uint64_t>{1, 1, 1});
  CHECK(fx.starts_of("b") == 2);
}

TEST_CASE("the intensity window slides", "[supervisor]") {
  fixture fx;
  auto sup = fx.spawn("s", policy(strategy::one_for_one, 1, 100ms),
                      {fx.worker_spec("a")});
  REQUIRE(fx.all_running(*sup.children));
  auto a = (*sup.children->snapshot())[0];
  fx.crash(a);
  a = fx.replaced(*sup.children, 0, a);
  REQUIRE(a);
  std::this_thread::sleep_for(150ms); // the first restart leaves the window
  fx.crash(a);
  REQUIRE(fx.replaced(*sup.children, 0, a));
  CHECK(fx.restarts(sup.actor) == std::vector<uint64_t>{2});
}

TEST_CASE("a parent restarts an escalating nested supervisor", "[supervisor]") {
  fixture fx;
  auto inner_out = std::make_shared<child_handles>();
  auto root
    = fx.spawn("root", policy(strategy::one_for_one, 3),
               {supervisor_child("inner", policy(strategy::one_for_one, 1),
                                 {fx.worker_spec("w")}, inner_out),
                fx.worker_spec("x")});
  REQUIRE(fx.all_running(*root.children));
  REQUIRE(fx.all_running(*inner_out));
  auto inner1 = (*root.children->snapshot())[0];
  auto x = (*root.children->snapshot())[1];
  auto w = (*inner_out->snapshot())[0];
  fx.crash(w);
  w = fx.replaced(*inner_out, 0, w);
  REQUIRE(w);
  fx.crash(w); // second restart within the period: inner gives up
  auto reason = fx.wait_down(inner1);
  REQUIRE(reason);
  CHECK(kitex::code_of(*reason) == kitex::errc::internal_exception);
  auto inner2 = fx.replaced(*root.children, 0, inner1);
  REQUIRE(inner2);
  // The same child_handles object shows the new generation.
  auto w3 = fx.replaced(*inner_out, 0, w);
  REQUIRE(w3);
  CHECK(fx.ping(w3) == "w#3");
  CHECK(fx.restarts(inner2) == std::vector<uint64_t>{0});
  CHECK(fx.restarts(root.actor) == std::vector<uint64_t>{1, 0});
  CHECK((*root.children->snapshot())[1] == x);
}

TEST_CASE("a child that fails to start counts as a crash", "[supervisor]") {
  auto calls = std::make_shared<std::atomic<int>>(0);
  fixture fx;
  child_spec broken;
  broken.id = "broken";
  broken.start = [calls](caf::actor_system&) -> caf::actor {
    if (++*calls % 2 == 0)
      throw std::runtime_error("cannot start");
    return {};
  };
  auto sup = fx.spawn("s", policy(strategy::one_for_one, 3),
                      {fx.worker_spec("a"), broken});
  auto reason = fx.wait_down(sup.actor);
  REQUIRE(reason);
  CHECK(kitex::code_of(*reason) == kitex::errc::internal_exception);
  CHECK(calls->load() == 4); // the first start and 3 restarts
  CHECK(fx.rec->down_reason("a") == caf::exit_reason::user_shutdown);
}

TEST_CASE("restart back-off grows exponentially up to its cap",
          "[supervisor]") {
  fixture fx;
  auto pol = policy(strategy::one_for_one, 10);
  pol.min_backoff = 20ms;
  pol.max_backoff = 80ms;
  pol.jitter = 0;
  auto sup = fx.spawn("s", pol, {fx.worker_spec("a")});
  REQUIRE(fx.all_running(*sup.children));
  auto a = (*sup.children->snapshot())[0];
  std::vector<std::chrono::milliseconds> expected{20ms, 40ms, 80ms, 80ms};
  std::vector<std::chrono::steady_clock::duration> took;
  for (size_t i = 0; i < expected.size(); ++i) {
    // Taken before the crash, so `took` can only overestimate the delay.
    auto t0 = std::chrono::steady_clock::now();
    fx.crash(a);
    a = fx.replaced(*sup.children, 0, a);
    REQUIRE(a);
    took.push_back(std::chrono::steady_clock::now() - t0);
  }
  for (size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(
      i,
      std::chrono::duration_cast<std::chrono::microseconds>(took[i]).count());
    CHECK(took[i] >= expected[i]);
    CHECK(took[i] < expected[i] + 250ms);
  }
  CHECK(took[2] > took[0]);
}

TEST_CASE("which_children and unexpected messages", "[supervisor]") {
  fixture fx;
  auto sup = fx.spawn("s", policy(strategy::one_for_one),
                      {fx.worker_spec("a"), fx.worker_spec("b")});
  REQUIRE(fx.all_running(*sup.children));
  auto info = fx.which(sup.actor);
  REQUIRE(info.size() == 2);
  CHECK(info[0].id == "a");
  CHECK(info[1].id == "b");
  CHECK(info[0].running);
  CHECK(info[1].restarts == 0);
  caf::error err;
  fx.self->request(sup.actor, 1s, std::string{"nope"})
    .receive([](std::string&) {}, [&](caf::error& e) { err = e; });
  CHECK(err == caf::sec::unexpected_message);
  CHECK(fx.which(sup.actor).size() == 2); // still serving
}
