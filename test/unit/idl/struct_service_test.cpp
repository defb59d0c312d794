// Structs, unions, exceptions, services; annotations and doc comments on
// every kind of node; headers.

#include <catch2/catch.hpp>

#include "unit/idl/idl_test_util.hpp"

using namespace kitex::idl;
using kitex::test::parsed;

TEST_CASE("fields keep id, requiredness, type and default", "[idl][struct]") {
  parsed p{R"(
    struct User {
      1: required i64 id,
      2: optional string name = "anon";
      3: list<string> tags = ["a", "b"]
      4: double score = 1.5 (min = "0")
      5: bool active = true
    }
    union Choice { 1: i32 number; 2: string text }
    exception Oops { 1: i32 code = 500, 2: string message }
  )"};
  auto& u = p.get<struct_def>("User");
  CHECK(u.kind == struct_kind::struct_);
  REQUIRE(u.fields.size() == 5);
  CHECK(u.fields[0].req == requiredness::required);
  CHECK(u.fields[1].req == requiredness::optional);
  CHECK(u.fields[2].req == requiredness::default_);
  CHECK(u.fields[0].name == "id");
  CHECK_FALSE(u.fields[0].default_value.has_value());
  REQUIRE(u.fields[1].default_value.has_value());
  CHECK(u.fields[1].default_value->text == "anon");
  CHECK(u.fields[2].default_value->list.size() == 2);
  CHECK(*find_annotation(u.fields[3].annotations, "min") == "0");
  CHECK(u.fields[4].default_value->integer == 1);
  CHECK(u.find("score") == 3);
  CHECK(p.get<struct_def>("Choice").kind == struct_kind::union_);
  auto& oops = p.get<struct_def>("Oops");
  CHECK(oops.kind == struct_kind::exception);
  CHECK(oops.fields[0].default_value->integer == 500);
  CHECK(kind_name(p.main().definitions[2]) == "exception");
}

TEST_CASE("fields without ids get -1, -2, ... and a warning", "[idl][struct]") {
  auto r = kitex::test::parse(R"(
    struct Legacy {
      string a
      1: i32 b
      i64 c
    }
    service S { void f(string x, 1: i32 y, i32 z) }
  )");
  REQUIRE(r.ok());
  auto& s = std::get<struct_def>(r.main()->definitions[0]);
  CHECK(s.fields[0].id == -1);
  CHECK(s.fields[0].implicit_id);
  CHECK(s.fields[1].id == 1);
  CHECK_FALSE(s.fields[1].implicit_id);
  CHECK(s.fields[2].id == -2);
  CHECK(s.fields[2].implicit_id);
  // Numbering restarts for every field list.
  auto& f = std::get<service_def>(r.main()->definitions[1]).functions[0];
  CHECK(f.params[0].id == -1);
  CHECK(f.params[2].id == -2);
  auto warnings = std::count_if(r.diagnostics.begin(), r.diagnostics.end(),
                                [](auto& d) { return !d.error; });
  CHECK(warnings == 4);
}

TEST_CASE("services: functions, oneway, throws, void", "[idl][service]") {
  parsed p{R"(
    exception NotFound { 1: string what }
    exception Denied {}
    struct Item { 1: i64 id }
    service Store {
      Item get(1: i64 id, 2: bool fresh = false) throws (1: NotFound nf, 2: Denied d),
      void put(1: Item item);
      oneway void ping()
      list<Item> all()
    }
  )"};
  auto& s = p.get<service_def>("Store");
  CHECK(s.extends.empty());
  REQUIRE(s.functions.size() == 4);
  auto& get = s.functions[0];
  CHECK(get.name == "get");
  REQUIRE(get.return_type.has_value());
  CHECK(get.return_type->name == "Item");
  CHECK(get.return_type->target.resolved());
  REQUIRE(get.params.size() == 2);
  CHECK(get.params[1].default_value->integer == 0);
  REQUIRE(get.throws.size() == 2);
  CHECK(get.throws[1].name == "d");
  CHECK(get.throws[1].type.target.index == p.main().find("Denied"));
  CHECK_FALSE(s.functions[1].return_type.has_value());
  CHECK_FALSE(s.functions[1].oneway);
  CHECK(s.functions[2].oneway);
  CHECK(s.functions[2].params.empty());
  CHECK(to_string(*s.functions[3].return_type) == "list<Item>");
}

TEST_CASE("service extends a service of the same file", "[idl][service]") {
  parsed p{R"(
    service Base { void ping() }
    service Derived extends Base { void pong() }
  )"};
  auto& d = p.get<service_def>("Derived");
  CHECK(d.extends == "Base");
  CHECK(d.extends_target.index == 0);
  CHECK(d.extends_loc.line == 3);
  CHECK(d.extends_loc.column == 29);
}

TEST_CASE("annotations on every kind of node", "[idl][annotations]") {
  parsed p{R"(
    namespace go demo (pkg = "demo")
    typedef string Name (ts = "1")
    enum E { A (ev = "a"), B } (en = "e")
    senum SE { "x" } (sen = "s")
    const i32 C = 1 (cn = "c")
    struct S {
      1: i32 (ty = "t") f (fa = "f", flag; other = 'o')
    } (sa = "s")
    union U { 1: i32 x } (ua = "u")
    exception X { 1: i32 x } (xa = "x")
    service Svc {
      void m(1: i32 p (pa = "p")) throws (1: X x (ta = "t")) (ma = "m")
    } (svc = "v")
  )"};
  auto& m = p.main();
  CHECK(*find_annotation(m.namespaces[0].annotations, "pkg") == "demo");
  CHECK(*find_annotation(p.get<typedef_def>("Name").annotations, "ts") == "1");
  auto& e = p.get<enum_def>("E");
  CHECK(*find_annotation(e.annotations, "en") == "e");
  CHECK(*find_annotation(e.values[0].annotations, "ev") == "a");
  CHECK(*find_annotation(p.get<senum_def>("SE").annotations, "sen") == "s");
  CHECK(*find_annotation(p.get<const_def>("C").annotations, "cn") == "c");
  auto& s = p.get<struct_def>("S");
  CHECK(*find_annotation(s.annotations, "sa") == "s");
  auto& f = s.fields[0];
  CHECK(*find_annotation(f.type.annotations, "ty") == "t");
  REQUIRE(f.annotations.size() == 3);
  CHECK(f.annotations[1].key == "flag");
  CHECK(f.annotations[1].value == "1");
  CHECK(f.annotations[2].value == "o");
  CHECK(*find_annotation(p.get<struct_def>("U").annotations, "ua") == "u");
  CHECK(*find_annotation(p.get<struct_def>("X").annotations, "xa") == "x");
  auto& svc = p.get<service_def>("Svc");
  CHECK(*find_annotation(svc.annotations, "svc") == "v");
  auto& fn = svc.functions[0];
  CHECK(*find_annotation(fn.annotations, "ma") == "m");
  CHECK(*find_annotation(fn.params[0].annotations, "pa") == "p");
  CHECK(*find_annotation(fn.throws[0].annotations, "ta") == "t");
  CHECK(find_annotation(fn.annotations, "nope") == nullptr);
}

TEST_CASE("doc comments attach to the node right after them", "[idl][doc]") {
  parsed p{R"(
    // a plain comment is not documentation
    struct Plain {}

    /**
     * A user.
     *
     * Second paragraph.
     */
    struct User {
      /// The id.
      /// Never 0.
      1: i64 id
      # hash comment
      2: string name
    }

    /** Colors. */
    enum Color {
      /** Red. */
      RED
    }

    /// Service doc.
    service S {
      /// Call doc.
      void call()
    }
  )"};
  CHECK(p.get<struct_def>("Plain").doc.empty());
  auto& u = p.get<struct_def>("User");
  CHECK(u.doc == "A user.\n\nSecond paragraph.");
  CHECK(u.fields[0].doc == "The id.\nNever 0.");
  CHECK(u.fields[1].doc.empty());
  auto& e = p.get<enum_def>("Color");
  CHECK(e.doc == "Colors.");
  CHECK(e.values[0].doc == "Red.");
  auto& s = p.get<service_def>("S");
  CHECK(s.doc == "Service doc.");
  CHECK(s.functions[0].doc == "Call doc.");
}

TEST_CASE("block comments and empty ones are not docs", "[idl][doc]") {
  parsed p{"/* block */ struct A {} /**/ struct B {}\n"
           "/** doc */ /* plain */ struct C {}\n"
           "/** kept */\n\n\nstruct D {}\n"};
  CHECK(p.get<struct_def>("A").doc.empty());
  CHECK(p.get<struct_def>("B").doc.empty());
  CHECK(p.get<struct_def>("C").doc.empty());
  // Blank lines between a doc comment and its node are allowed.
  CHECK(p.get<struct_def>("D").doc == "kept");
}

TEST_CASE("headers: namespaces, includes, cpp_includes", "[idl][headers]") {
  parsed p{R"(
    namespace cpp demo.api
    namespace * fallback
    namespace py 'demo_py'
    cpp_include "<unordered_map>"
    struct S {}
  )"};
  auto& m = p.main();
  REQUIRE(m.namespaces.size() == 3);
  CHECK(*m.namespace_for("cpp") == "demo.api");
  CHECK(*m.namespace_for("go") == "fallback");
  CHECK(*m.namespace_for("py") == "demo_py");
  CHECK(m.cpp_includes == std::vector<std::string>{"<unordered_map>"});
  CHECK(m.name == "test");
  CHECK(m.path == "test.thrift");
}

TEST_CASE("locations of definitions, fields and functions", "[idl][location]") {
  parsed p{"struct A {\n"
           "  1: i32 x\n"
           "}\n"
           "service S {\n"
           "  void f()\n"
           "}\n"};
  auto& a = p.get<struct_def>("A");
  CHECK(a.loc.line == 1);
  CHECK(a.loc.column == 8);
  CHECK(a.fields[0].loc.line == 2);
  CHECK(a.fields[0].loc.column == 3);
  auto& f = p.get<service_def>("S").functions[0];
  CHECK(f.loc.line == 5);
  CHECK(f.loc.column == 8);
}

TEST_CASE("C++ keywords as names are only warnings", "[idl][names]") {
  auto r = kitex::test::parse("struct S { 1: i32 class }");
  REQUIRE(r.ok());
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(to_string(r.diagnostics[0])
        == "test.thrift:1:19: warning: 'class' is a C++ keyword");
}
