// Enums (implicit and explicit numbering), senums and consts of every form.

#include <catch2/catch.hpp>

#include "unit/idl/idl_test_util.hpp"

using namespace kitex::idl;
using kitex::test::first_error;
using kitex::test::parsed;

TEST_CASE("enum values number implicitly from the previous one",
          "[idl][enum]") {
  parsed p{R"(
    enum Color {
      RED,
      GREEN = 10;
      BLUE
      BLACK = -3
      WHITE
      HEX = 0x20
    }
  )"};
  auto& e = p.get<enum_def>("Color");
  REQUIRE(e.values.size() == 6);
  struct expect {
    const char* name;
    int32_t value;
    bool explicit_value;
  };
  expect expected[]
    = {{"RED", 0, false},   {"GREEN", 10, true},  {"BLUE", 11, false},
       {"BLACK", -3, true}, {"WHITE", -2, false}, {"HEX", 32, true}};
  for (size_t i = 0; i < 6; ++i) {
    CHECK(e.values[i].name == expected[i].name);
    CHECK(e.values[i].value == expected[i].value);
    CHECK(e.values[i].explicit_value == expected[i].explicit_value);
  }
  CHECK(e.find("BLUE") == 2);
}

TEST_CASE("senum is accepted with a warning", "[idl][enum]") {
  auto r = kitex::test::parse("senum Legacy { \"a\", \"b\"; 'c' }");
  REQUIRE(r.ok());
  auto& d = std::get<senum_def>(r.main()->definitions[0]);
  CHECK(d.values == std::vector<std::string>{"a", "b", "c"});
  REQUIRE(r.diagnostics.size() == 1);
  CHECK_FALSE(r.diagnostics[0].error);
}

TEST_CASE("numeric const literals", "[idl][const]") {
  parsed p{R"(
    const i32 DEC = 42
    const i32 NEG = -17;
    const i64 HEX = 0x7fffffffffffffff,
    const i64 NEG_HEX = -0x10
    const i64 MIN = -9223372036854775808
    const double PI = 3.14159
    const double EXP = -1.5e-3
    const double BIG = 6.02E+23
    const double WHOLE = 2
    const double DOT = .5
    const bool YES = true
    const bool NO = 0
    const byte B = -128
    const i16 S = 32767
    const i32 POS = +5
    const double POS_D = +2.5
  )"};
  CHECK(p.get<const_def>("POS").value.integer == 5);
  CHECK(p.get<const_def>("POS_D").value.floating == 2.5);
  CHECK(p.get<const_def>("DEC").value.integer == 42);
  CHECK(p.get<const_def>("NEG").value.integer == -17);
  CHECK(p.get<const_def>("HEX").value.integer == INT64_MAX);
  CHECK(p.get<const_def>("NEG_HEX").value.integer == -16);
  CHECK(p.get<const_def>("MIN").value.integer == INT64_MIN);
  auto& pi = p.get<const_def>("PI").value;
  CHECK(pi.kind == const_kind::floating);
  CHECK(pi.floating == Approx(3.14159));
  CHECK(p.get<const_def>("EXP").value.floating == Approx(-0.0015));
  CHECK(p.get<const_def>("BIG").value.floating == Approx(6.02e23));
  CHECK(p.get<const_def>("WHOLE").value.kind == const_kind::integer);
  CHECK(p.get<const_def>("DOT").value.floating == Approx(0.5));
  auto& yes = p.get<const_def>("YES").value;
  CHECK(yes.kind == const_kind::integer);
  CHECK(yes.integer == 1);
  CHECK(yes.text == "true");
  CHECK(p.get<const_def>("B").value.integer == -128);
}

TEST_CASE("string literals with both quotes and escapes", "[idl][const]") {
  parsed p{R"(
    const string A = "double \"quoted\" \\ \n\t"
    const string B = 'single \'quoted\' "inner"'
    const string C = "caf\u00e9 \ud83d\ude00"
    const binary D = "bytes"
    const uuid E = "00112233-4455-6677-8899-aabbccddeeff"
  )"};
  CHECK(p.get<const_def>("A").value.text == "double \"quoted\" \\ \n\t");
  CHECK(p.get<const_def>("B").value.text == "single 'quoted' \"inner\"");
  CHECK(p.get<const_def>("C").value.text == "caf\xc3\xa9 \xf0\x9f\x98\x80");
  CHECK(p.get<const_def>("D").value.kind == const_kind::string);
}

TEST_CASE("list, set and map consts nest", "[idl][const]") {
  parsed p{R"(
    const list<i32> L = [1, 2; 3 4]
    const set<string> S = ["a", "b"]
    const map<string, list<map<i32, string>>> M = {
      "x": [{1: "one", 2: "two"}, {}],
      "y": [],
    }
    const list<list<double>> LL = [[1.5], [2, 3e2]]
  )"};
  auto& l = p.get<const_def>("L").value;
  REQUIRE(l.kind == const_kind::list);
  REQUIRE(l.list.size() == 4);
  CHECK(l.list[3].integer == 4);
  auto& m = p.get<const_def>("M").value;
  REQUIRE(m.kind == const_kind::map);
  REQUIRE(m.map.size() == 2);
  CHECK(m.map[0].key.text == "x");
  auto& inner = m.map[0].value;
  REQUIRE(inner.list.size() == 2);
  REQUIRE(inner.list[0].map.size() == 2);
  CHECK(inner.list[0].map[1].key.integer == 2);
  CHECK(inner.list[0].map[1].value.text == "two");
  CHECK(inner.list[1].map.empty());
  CHECK(p.get<const_def>("LL").value.list[1].list[1].floating == 300.0);
}

TEST_CASE("const identifiers resolve to enum values and consts",
          "[idl][const]") {
  parsed p{R"(
    enum Color { RED = 1, GREEN = 2 }
    typedef Color Shade
    const Color FAVOURITE = Color.GREEN
    const Shade BARE = RED
    const Color NUMERIC = 2
    const i32 AS_INT = Color.GREEN
    const i32 LIMIT = 10
    const i64 COPY = LIMIT
    const list<Color> ALL = [Color.RED, Color.GREEN]
    const map<Color, list<i32>> BY = {Color.RED: [LIMIT, 3]}
    struct S { 1: Color c = Color.RED, 2: i32 n = LIMIT }
  )"};
  auto& fav = p.get<const_def>("FAVOURITE").value;
  CHECK(fav.kind == const_kind::identifier);
  CHECK(fav.target.index == p.main().find("Color"));
  auto* v = lookup_enum_value(p.result, fav.target);
  REQUIRE(v != nullptr);
  CHECK(v->name == "GREEN");
  CHECK(v->value == 2);
  CHECK(lookup_enum_value(p.result, p.get<const_def>("BARE").value.target)->name
        == "RED");
  auto& copy = p.get<const_def>("COPY").value;
  CHECK(copy.target.index == p.main().find("LIMIT"));
  CHECK(copy.target.value == npos);
  auto& by = p.get<const_def>("BY").value;
  CHECK(by.map[0].key.target.value == 0);
  CHECK(by.map[0].value.list[0].target.index == p.main().find("LIMIT"));
  auto& s = p.get<struct_def>("S");
  CHECK(s.fields[0].default_value->target.value == 0);
  CHECK(s.fields[1].default_value->target.index == p.main().find("LIMIT"));
}

TEST_CASE("struct consts are maps of field names", "[idl][const]") {
  parsed p{R"(
    struct Point { 1: i32 x, 2: i32 y, 3: optional string label }
    const Point ORIGIN = {"x": 0, "y": 0}
    const list<Point> PATH = [{"x": 1, "y": 2, "label": "a"}]
  )"};
  CHECK(p.get<const_def>("ORIGIN").value.map.size() == 2);
  CHECK(first_error("struct P { 1: i32 x }\n"
                    "const P X = {\"z\": 1}\n")
        == "2:14: string literal \"z\" is not a field of struct 'P'");
}

TEST_CASE("const values that do not fit their type", "[idl][const]") {
  CHECK(first_error("const i32 X = \"text\"")
        == "1:15: type mismatch: expected i32, found string literal \"text\"");
  CHECK(first_error("const byte X = 128")
        == "1:16: value 128 out of range for byte");
  CHECK(first_error("const string X = 1.5")
        == "1:18: type mismatch: expected string, found double 1.500000");
  CHECK(first_error("const bool X = 2")
        == "1:16: value 2 out of range for bool");
  CHECK(first_error("const list<i32> X = [1, \"a\"]")
        == "1:25: type mismatch: expected i32, found string literal \"a\"");
  CHECK(first_error("const map<i32, string> X = {\"k\": \"v\"}")
        == "1:29: type mismatch: expected i32, found string literal \"k\"");
  CHECK(first_error("const list<i32> X = {1: 2}")
        == "1:21: type mismatch: expected list<i32>, found a map");
  CHECK(first_error("enum E { A = 1 }\nconst E X = 5")
        == "2:13: 5 is not a value of enum 'E'");
  CHECK(first_error("enum E { A }\nenum F { B }\nconst E X = F.B")
        == "3:13: type mismatch: expected E, found 'F.B'");
  CHECK(first_error("const i32 X = NOPE") == "1:15: unknown identifier 'NOPE'");
  CHECK(first_error("const string S = \"a\"\nconst i32 X = S")
        == "2:15: const 'S' does not fit type i32");
  CHECK(first_error("const i32 A = B\nconst i32 B = A")
        == "1:15: const 'B' is part of a reference cycle");
  CHECK(first_error("const i32 A = A")
        == "1:15: const 'A' is part of a reference cycle");
  CHECK(first_error("struct S { 1: i16 n = 70000 }")
        == "1:23: value 70000 out of range for i16");
  CHECK(first_error("const uuid U = \"not-a-uuid\"")
        == "1:16: 'not-a-uuid' is not a uuid");
}

TEST_CASE("integer literals out of int64 range", "[idl][const]") {
  CHECK(first_error("const i64 X = 9223372036854775808")
        == "1:15: integer literal out of range: 9223372036854775808");
  CHECK(first_error("const i64 X = 0x10000000000000000")
        == "1:15: integer literal out of range: 0x10000000000000000");
}
