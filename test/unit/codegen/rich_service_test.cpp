// The generated service of the rich IDL: a plain handler class served as a
// local actor and over TCP through kitex::server and kitex::client, declared
// exceptions as typed errors, void and oneway methods, a method inherited
// from a service of an included file; and the CAF type-ID blocks of two
// generated IDLs registered in one actor system.

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/message.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <catch2/catch.hpp>

#include "kitex/client/client.hpp"
#include "kitex/runtime/message_types.hpp"
#include "kitex/runtime/runtime.hpp"
#include "kitex/server/server.hpp"
#include "rich_values.hpp"
#ifdef KITEX_HAVE_ECHO
#  include "echo.kitex.hpp"
#endif

using namespace std::chrono_literals;
namespace rich = kitex_test::rich;
namespace shared = kitex_test::shared;

namespace {

/// The store behind ItemService: ids 404 are not found, negative ids are
/// invalid.
class item_store final : public rich::ItemServiceHandler {
public:
  caf::expected<std::string> Version() override {
    if (broken)
      return shared::make_error(shared::SharedError{"no version"});
    return std::string{"1.0"};
  }

  caf::expected<rich::Item> Get(int64_t id) override {
    if (id == 404)
      return rich::make_error(rich::NotFound{"item", id});
    if (id < 0)
      return rich::make_error(rich::Invalid{"negative id"});
    return kitex::test::make_item(id);
  }

  caf::expected<std::vector<rich::Item>>
  List(const std::set<rich::Status>& statuses, int32_t limit) override {
    std::vector<rich::Item> out;
    for (int32_t i = 0; i < limit; ++i)
      for (auto s : statuses) {
        auto item = kitex::test::make_item(i);
        item.status = s;
        out.push_back(item);
      }
    return out;
  }

  caf::expected<void> Put(const rich::Item& item) override {
    if (item.id < 0)
      return rich::make_error(rich::Invalid{"cannot put"});
    ++puts;
    return {};
  }

  void Touch(int64_t id) override {
    touched += id;
  }

  caf::expected<rich::Rich> Echo(const rich::Rich& r) override {
    return r;
  }

  caf::expected<std::map<std::string, std::vector<rich::Item>>>
  Group(const rich::ItemList& items) override {
    std::map<std::string, std::vector<rich::Item>> out;
    for (auto& i : items)
      out[i.name.value_or("")].push_back(i);
    return out;
  }

  caf::expected<bool> Ping() override {
    return true;
  }

  caf::expected<rich::Empty> Nothing(const rich::Empty& e) override {
    return e;
  }

  std::atomic<bool> broken{false};
  std::atomic<int> puts{0};
  std::atomic<int64_t> touched{0};
};

kitex::runtime::runtime_options test_options() {
  kitex::runtime::runtime_options o;
  o.scheduler_threads = 2;
  o.handle_signals = false;
  return o;
}

bool eventually(const std::function<bool()>& f) {
  for (int i = 0; i < 200; ++i) {
    if (f())
      return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

/// Calls every kind of method of ItemService through `target` (a local
/// actor or a client) and checks the answers.
void exercise(kitex::runtime::runtime& rt, const rich::item_service_actor& t,
              item_store& store) {
  using kitex::client::call;
  auto item = call<rich::Item>(rt, t, rich::get_args{7}, 5s);
  REQUIRE(item);
  CHECK(*item == kitex::test::make_item(7));
  auto missing = call<rich::Item>(rt, t, rich::get_args{404}, 5s);
  REQUIRE_FALSE(missing);
  auto nf = kitex::get_exception<rich::NotFound>(missing.error());
  REQUIRE(nf);
  CHECK(*nf == rich::NotFound{"item", 404});
  CHECK_FALSE(kitex::get_exception<rich::Invalid>(missing.error()));
  auto invalid = call<rich::Item>(rt, t, rich::get_args{-1}, 5s);
  REQUIRE_FALSE(invalid);
  CHECK(kitex::get_exception<rich::Invalid>(invalid.error()));
  auto list = call<std::vector<rich::Item>>(
    rt, t, rich::list_args{{rich::Status::ACTIVE, rich::Status::BANNED}, 2},
    5s);
  REQUIRE(list);
  CHECK(list->size() == 4);
  auto before = store.puts.load();
  CHECK(call<void>(rt, t, rich::put_args{kitex::test::make_item(1)}, 5s));
  CHECK(store.puts.load() == before + 1);
  auto bad_put
    = call<void>(rt, t, rich::put_args{kitex::test::make_item(-1)}, 5s);
  REQUIRE_FALSE(bad_put);
  CHECK(kitex::get_exception<rich::Invalid>(bad_put.error())
        == rich::Invalid{"cannot put"});
  auto touched = store.touched.load();
  CHECK(call<void>(rt, t, rich::touch_args{5}, 5s));
  CHECK(eventually([&] { return store.touched.load() == touched + 5; }));
  auto echoed
    = call<rich::Rich>(rt, t, rich::echo_args{kitex::test::make_rich()}, 5s);
  REQUIRE(echoed);
  CHECK(*echoed == kitex::test::make_rich());
  auto groups = call<std::map<std::string, std::vector<rich::Item>>>(
    rt, t,
    rich::group_args{{kitex::test::make_item(1), kitex::test::make_item(1)}},
    5s);
  REQUIRE(groups);
  CHECK(groups->at("item1").size() == 2);
  CHECK(call<bool>(rt, t, rich::ping_args{}, 5s) == true);
  CHECK(call<rich::Empty>(rt, t, rich::nothing_args{}, 5s) == rich::Empty{});
  auto version = call<std::string>(rt, t, shared::version_args{}, 5s);
  CHECK(version == std::string{"1.0"});
  store.broken = true;
  auto no_version = call<std::string>(rt, t, shared::version_args{}, 5s);
  store.broken = false;
  REQUIRE_FALSE(no_version);
  CHECK(kitex::get_exception<shared::SharedError>(no_version.error())
        == shared::SharedError{"no version"});
}

#ifdef KITEX_HAVE_ECHO
/// An EchoServer that says it answered.
class echo_answer : public echo::EchoServerHandler {
public:
  caf::expected<echo::Response> Echo(const echo::Request& req) override {
    return echo::Response{req.action, req.msg + " by EchoServer"};
  }

  void Notify(const echo::Request&) override {}
};
#endif

} // namespace

TEST_CASE("a handler class serves the generated interface as a local actor") {
  kitex::runtime::runtime rt{test_options()};
  auto store = std::make_shared<item_store>();
  auto behavior = rich::make_behavior(store);
  rich::item_service_actor local
    = rt.system().spawn([behavior](rich::item_service_actor::pointer self) {
        return behavior(self);
      });
  exercise(rt, local, *store);
  caf::anon_send_exit(local, caf::exit_reason::user_shutdown);
}

TEST_CASE("the generated service runs over TCP with kitex server and client") {
  kitex::runtime::runtime rt{test_options()};
  auto store = std::make_shared<item_store>();
  auto srv = kitex::server::make_server(
    rt, kitex::server::with_service_addr("127.0.0.1:0"));
  srv.add_service<rich::ItemService>(rich::make_behavior(store),
                                     kitex::server::with_workers(2));
  auto port = srv.start();
  REQUIRE(port);
  using kitex::remote::protocol;
  using kitex::remote::transport;
  const std::pair<transport, protocol> cells[]
    = {{transport::framed, protocol::binary},
       {transport::ttheader, protocol::binary},
       {transport::buffered, protocol::compact},
       {transport::theader, protocol::compact}};
  for (auto [tp, proto] : cells) {
    INFO(kitex::remote::to_string(tp)
         << "/" << kitex::remote::to_string(proto));
    auto cli = kitex::client::make_client<rich::ItemService>(
      rt, "items",
      kitex::client::with_host_ports({"127.0.0.1:" + std::to_string(*port)}),
      kitex::client::with_transport_protocol(tp),
      kitex::client::with_protocol(proto),
      kitex::client::with_connect_timeout(1s));
    exercise(rt, cli, *store);
  }
  srv.stop();
}

#ifdef KITEX_HAVE_ECHO
TEST_CASE("one server routes two services with a method of the same name by "
          "isn") {
  using kitex::client::call;
  using kitex::remote::transport;
  kitex::runtime::runtime rt{test_options()};
  auto store = std::make_shared<item_store>();
  auto srv = kitex::server::make_server(
    rt, kitex::server::with_service_addr("127.0.0.1:0"));
  srv.add_service<rich::ItemService>(rich::make_behavior(store),
                                     kitex::server::with_workers(2));
  srv.add_service<echo::EchoServer>(
    echo::make_behavior(std::make_shared<echo_answer>()),
    kitex::server::with_workers(2));
  auto port = srv.start();
  REQUIRE(port);
  auto addr = "127.0.0.1:" + std::to_string(*port);
  for (auto tp : {transport::ttheader, transport::theader}) {
    INFO(kitex::remote::to_string(tp));
    // Both IDLs have a method Echo; the client's isn picks the service.
    auto items = kitex::client::make_client<rich::ItemService>(
      rt, "items", kitex::client::with_host_ports({addr}),
      kitex::client::with_transport_protocol(tp));
    auto echoes = kitex::client::make_client<echo::EchoServer>(
      rt, "echo", kitex::client::with_host_ports({addr}),
      kitex::client::with_transport_protocol(tp));
    auto r1 = call<rich::Rich>(rt, items,
                               rich::echo_args{kitex::test::make_rich()}, 5s);
    REQUIRE(r1);
    CHECK(*r1 == kitex::test::make_rich());
    auto r2 = call<echo::Response>(rt, echoes,
                                   echo::echo_args{{"echo", "routed"}}, 5s);
    REQUIRE(r2);
    CHECK(r2->msg == "routed by EchoServer");
  }
  // Framed has no isn: the first registered service answers.
  auto framed = kitex::client::make_client<rich::ItemService>(
    rt, "items", kitex::client::with_host_ports({addr}));
  CHECK(call<bool>(rt, framed, rich::ping_args{}, 5s) == true);
  srv.stop();
}
#endif

TEST_CASE("declared exceptions render with their fields") {
  auto e = rich::make_error(rich::NotFound{"item", 3});
  CHECK(kitex::code_of(e) == kitex::errc::declared_exception);
  auto text = kitex::render_error(e);
  INFO(text);
  CHECK(text.find("NotFound{what=\"item\", id=3}") != std::string::npos);
}

TEST_CASE("two generated IDLs register their type-ID blocks in one system") {
  using rich_ids = rich::rich_type_ids;
  using shared_ids = shared::shared_type_ids;
  // One run of the generator: the included file first, then consecutive.
  STATIC_REQUIRE(shared_ids::end == rich_ids::begin);
  STATIC_REQUIRE(rich_ids::end - rich_ids::begin == 16); // 8 structs + 8 args
  // Registered through the runtime, as a program does.
  kitex::runtime::runtime_options opts;
  opts.handle_signals = false;
  opts.scheduler_threads = 1;
  kitex::runtime::add_message_types<shared_ids>(opts);
  kitex::runtime::add_message_types<rich_ids>(opts);
#ifdef KITEX_HAVE_ECHO
  // Another kitex_generate() target: another range.
  STATIC_REQUIRE((echo::echo_type_ids::end <= shared_ids::begin
                  || rich_ids::end <= echo::echo_type_ids::begin));
  kitex::runtime::add_message_types<echo::echo_type_ids>(opts);
  auto msg
    = caf::make_message(kitex::test::make_rich(), echo::Request{"a", "b"});
#else
  auto msg = caf::make_message(kitex::test::make_rich());
#endif
  kitex::runtime::runtime rt{opts};
  auto& sys = rt.system();
  std::vector<char> buf;
  caf::binary_serializer sink{sys, buf};
  REQUIRE_FALSE(sink(msg));
  CHECK(buf.size() > 100); // not the silent 0 bytes of unregistered types
  caf::message out;
  caf::binary_deserializer source{sys, buf};
  REQUIRE_FALSE(source(out));
  REQUIRE(out.size() == msg.size());
  REQUIRE(out.match_element<rich::Rich>(0));
  CHECK(out.get_as<rich::Rich>(0) == kitex::test::make_rich());
#ifdef KITEX_HAVE_ECHO
  REQUIRE(out.match_element<echo::Request>(1));
  CHECK(out.get_as<echo::Request>(1) == echo::Request{"a", "b"});
  CHECK(caf::to_string(out).find("Request{action=\"a\", msg=\"b\"}")
        != std::string::npos);
#endif
}
