// Supervisor shutdown: reverse order, shutdown budgets, brutal kill, and
// shutdown racing with restarts.

#include <catch2/catch.hpp>

#include "unit/runtime/supervisor_fixture.hpp"

using namespace kitex::runtime;
using namespace kitex::runtime::test;

using strings = std::vector<std::string>;

TEST_CASE("shutdown stops children in reverse start order",
          "[supervisor][shutdown]") {
  fixture fx;
  auto sup
    = fx.spawn("s", policy(strategy::one_for_one),
               {fx.worker_spec("a"), fx.worker_spec("b"), fx.worker_spec("c")});
  REQUIRE(fx.all_running(*sup.children));
  auto version = sup.children->version();
  caf::anon_send_exit(sup.actor, caf::exit_reason::user_shutdown);
  auto reason = fx.wait_down(sup.actor);
  REQUIRE(reason);
  CHECK(*reason == caf::exit_reason::user_shutdown);
  CHECK(fx.rec->ids("exit") == strings{"c", "b", "a"});
  for (auto id : {"a", "b", "c"})
    CHECK(fx.rec->down_reason(id) == caf::exit_reason::user_shutdown);
  CHECK(sup.children->version() >= version + 3);
  for (auto& hdl : *sup.children->snapshot())
    CHECK(!hdl);
  CHECK(fx.rec->ids("crash").empty());
}

TEST_CASE("shutdown of a tree goes depth first, last child first",
          "[supervisor][shutdown]") {
  fixture fx;
  auto inner_out = std::make_shared<child_handles>();
  auto root = fx.spawn(
    "root", policy(strategy::one_for_one),
    {fx.worker_spec("a"),
     supervisor_child("inner", policy(strategy::one_for_one),
                      {fx.worker_spec("b"), fx.worker_spec("c")}, inner_out),
     fx.worker_spec("d")});
  REQUIRE(fx.all_running(*root.children));
  REQUIRE(fx.all_running(*inner_out));
  auto inner = (*root.children->snapshot())[1];
  caf::anon_send_exit(root.actor, caf::exit_reason::user_shutdown);
  REQUIRE(fx.wait_down(root.actor));
  CHECK(fx.rec->ids("exit") == strings{"d", "c", "b", "a"});
  CHECK(fx.wait_down(inner) == caf::exit_reason::user_shutdown);
}

TEST_CASE("a child that ignores shutdown is killed after its budget",
          "[supervisor][shutdown]") {
  fixture fx;
  auto sup = fx.spawn(
    "s", policy(strategy::one_for_one),
    {fx.worker_spec("a"), fx.worker_spec("s", restart_type::permanent,
                                         worker_mode::stubborn, 150ms)});
  REQUIRE(fx.all_running(*sup.children));
  auto t0 = std::chrono::steady_clock::now();
  caf::anon_send_exit(sup.actor, caf::exit_reason::user_shutdown);
  REQUIRE(fx.wait_down(sup.actor));
  auto took = std::chrono::steady_clock::now() - t0;
  CHECK(took >= 150ms);
  CHECK(took < 2s);
  // s saw the signal, stayed up, and was killed; only then was a asked.
  CHECK(fx.rec->ids("exit") == strings{"s", "a"});
  CHECK(fx.rec->down_reason("s") == caf::exit_reason::kill);
  CHECK(fx.rec->down_reason("a") == caf::exit_reason::user_shutdown);
}

TEST_CASE("a zero shutdown budget kills at once", "[supervisor][shutdown]") {
  fixture fx;
  auto sup = fx.spawn("s", policy(strategy::one_for_one),
                      {fx.worker_spec("a", restart_type::permanent,
                                      worker_mode::recording, 0ms)});
  REQUIRE(fx.all_running(*sup.children));
  caf::anon_send_exit(sup.actor, caf::exit_reason::user_shutdown);
  REQUIRE(fx.wait_down(sup.actor));
  CHECK(fx.rec->ids("exit").empty()); // never asked politely
  CHECK(fx.rec->down_reason("a") == caf::exit_reason::kill);
}

TEST_CASE("killing a supervisor takes its children down",
          "[supervisor][shutdown]") {
  fixture fx;
  auto sup = fx.spawn("s", policy(strategy::one_for_one),
                      {fx.worker_spec("a"), fx.worker_spec("b")});
  REQUIRE(fx.all_running(*sup.children));
  auto children = *sup.children->snapshot();
  caf::anon_send_exit(sup.actor, caf::exit_reason::kill);
  CHECK(fx.wait_down(sup.actor) == caf::exit_reason::kill);
  for (auto& child : children)
    CHECK(fx.wait_down(child) == caf::exit_reason::kill);
}

TEST_CASE("shutdown cancels a pending restart", "[supervisor][shutdown]") {
  fixture fx;
  auto pol = policy(strategy::one_for_one);
  pol.min_backoff = 300ms;
  pol.jitter = 0;
  auto sup = fx.spawn("s", pol, {fx.worker_spec("a"), fx.worker_spec("b")});
  REQUIRE(fx.all_running(*sup.children));
  fx.crash((*sup.children->snapshot())[0]);
  auto t0 = std::chrono::steady_clock::now();
  caf::anon_send_exit(sup.actor, caf::exit_reason::user_shutdown);
  REQUIRE(fx.wait_down(sup.actor));
  CHECK(std::chrono::steady_clock::now() - t0 < 250ms);
  std::this_thread::sleep_for(350ms); // past the restart timer
  CHECK(fx.starts_of("a") == 1);
  CHECK(fx.rec->ids("exit") == strings{"b"});
}

TEST_CASE("shutdown during a one_for_all stop waits for it, restarts nothing",
          "[supervisor][shutdown]") {
  fixture fx;
  auto sup = fx.spawn(
    "s", policy(strategy::one_for_all),
    {fx.worker_spec("a", restart_type::permanent, worker_mode::stubborn, 200ms),
     fx.worker_spec("b"), fx.worker_spec("c")});
  REQUIRE(fx.all_running(*sup.children));
  fx.crash((*sup.children->snapshot())[2]);
  // The supervisor now stops b, then waits up to 200 ms for stubborn a.
  REQUIRE(eventually([&] { return fx.rec->ids("exit").size() == 2; }));
  caf::anon_send_exit(sup.actor, caf::exit_reason::user_shutdown);
  REQUIRE(fx.wait_down(sup.actor));
  CHECK(fx.rec->ids("exit") == strings{"b", "a"});
  CHECK(fx.rec->down_reason("a") == caf::exit_reason::kill);
  std::this_thread::sleep_for(30ms);
  CHECK(fx.starts_of("a") == 1);
  CHECK(fx.starts_of("b") == 1);
  CHECK(fx.starts_of("c") == 1);
}

TEST_CASE("a normal exit signal does not stop a supervisor",
          "[supervisor][shutdown]") {
  fixture fx;
  auto sup
    = fx.spawn("s", policy(strategy::one_for_one), {fx.worker_spec("a")});
  REQUIRE(fx.all_running(*sup.children));
  caf::anon_send_exit(sup.actor, caf::exit_reason::normal);
  std::this_thread::sleep_for(20ms);
  CHECK(fx.which(sup.actor).size() == 1);
  CHECK(fx.rec->ids("exit").empty());
}
