// Types: every base type, nested containers, cpp_type, typedef chains.

#include <catch2/catch.hpp>

#include "unit/idl/idl_test_util.hpp"

using namespace kitex::idl;
using kitex::test::parsed;

TEST_CASE("every base type parses to its base_type", "[idl][types]") {
  parsed p{R"(
    struct all {
      1: bool a
      2: byte b
      3: i8 c
      4: i16 d
      5: i32 e
      6: i64 f
      7: double g
      8: string h
      9: binary i
      10: uuid j
    }
  )"};
  auto& s = p.get<struct_def>("all");
  REQUIRE(s.fields.size() == 10);
  base_type expected[] = {
    base_type::bool_,  base_type::byte, base_type::i8,      base_type::i16,
    base_type::i32,    base_type::i64,  base_type::double_, base_type::string,
    base_type::binary, base_type::uuid};
  for (size_t i = 0; i < 10; ++i) {
    INFO("field " << s.fields[i].name);
    CHECK(s.fields[i].id == static_cast<int>(i + 1));
    CHECK(s.fields[i].type.kind == type_kind::base);
    CHECK(s.fields[i].type.base == expected[i]);
  }
  CHECK(to_string(s.fields[9].type) == "uuid");
}

TEST_CASE("containers nest to any depth", "[idl][types]") {
  parsed p{R"(
    struct S {
      1: map<string, list<set<i32>>> m
      2: list<list<list<list<map<i64, binary>>>>> deep
    }
  )"};
  auto& m = p.get<struct_def>("S").fields[0].type;
  REQUIRE(m.kind == type_kind::map);
  REQUIRE(m.params.size() == 2);
  CHECK(m.params[0].base == base_type::string);
  auto& list = m.params[1];
  REQUIRE(list.kind == type_kind::list);
  REQUIRE(list.params.size() == 1);
  auto& set = list.params[0];
  REQUIRE(set.kind == type_kind::set);
  CHECK(set.params[0].kind == type_kind::base);
  CHECK(set.params[0].base == base_type::i32);
  CHECK(to_string(m) == "map<string,list<set<i32>>>");
  CHECK(to_string(p.get<struct_def>("S").fields[1].type)
        == "list<list<list<list<map<i64,binary>>>>>");
}

TEST_CASE("cpp_type and annotations on containers", "[idl][types]") {
  parsed p{R"(
    struct S {
      1: list<i32> cpp_type "std::deque<int32_t>" a
      2: map cpp_type "std::unordered_map<int32_t, bool>" <i32, bool> b
      3: set<string> (cpp.type = "std::unordered_set<std::string>") c
      4: i64 (go.type = "int") d
    }
  )"};
  auto& s = p.get<struct_def>("S");
  CHECK(s.fields[0].type.cpp_type == "std::deque<int32_t>");
  CHECK(s.fields[1].type.cpp_type == "std::unordered_map<int32_t, bool>");
  CHECK(s.fields[1].type.kind == type_kind::map);
  auto* a = find_annotation(s.fields[2].type.annotations, "cpp.type");
  REQUIRE(a != nullptr);
  CHECK(*a == "std::unordered_set<std::string>");
  CHECK(s.fields[2].type.kind == type_kind::set);
  REQUIRE(s.fields[3].type.annotations.size() == 1);
  CHECK(s.fields[3].type.annotations[0].key == "go.type");
  CHECK(s.fields[3].type.annotations[0].value == "int");
}

TEST_CASE("typedefs of typedefs resolve to the true type", "[idl][types]") {
  parsed p{R"(
    typedef i64 UserId
    typedef UserId OwnerId (doc = "the owner");
    typedef map<OwnerId, list<Item>> Index
    struct Item { 1: OwnerId owner }
  )"};
  auto& owner = p.get<typedef_def>("OwnerId");
  CHECK(owner.type.kind == type_kind::named);
  CHECK(owner.type.name == "UserId");
  REQUIRE(owner.type.target.resolved());
  CHECK(owner.type.target.index == p.main().find("UserId"));
  auto& t = true_type(p.result, owner.type);
  CHECK(t.kind == type_kind::base);
  CHECK(t.base == base_type::i64);
  REQUIRE(find_annotation(owner.annotations, "doc") != nullptr);

  auto& index = p.get<typedef_def>("Index").type;
  CHECK(index.params[0].target.index == p.main().find("OwnerId"));
  auto& item = index.params[1].params[0];
  CHECK(item.name == "Item");
  auto* d = lookup(p.result, item.target);
  REQUIRE(d != nullptr);
  CHECK(std::holds_alternative<struct_def>(*d));

  auto& field = p.get<struct_def>("Item").fields[0];
  CHECK(true_type(p.result, field.type).base == base_type::i64);
}

TEST_CASE("named types keep their annotations and location", "[idl][types]") {
  parsed p{"struct A {}\n"
           "struct B {\n"
           "  1: A (x = \"y\") a\n"
           "}\n"};
  auto& t = p.get<struct_def>("B").fields[0].type;
  CHECK(t.kind == type_kind::named);
  CHECK(t.loc.file == "test.thrift");
  CHECK(t.loc.line == 3);
  CHECK(t.loc.column == 6);
  REQUIRE(t.annotations.size() == 1);
  CHECK(t.annotations[0].key == "x");
}

TEST_CASE("recursive structs are allowed", "[idl][types]") {
  parsed p{R"(
    struct Node {
      1: optional Node next
      2: list<Node> children
    }
  )"};
  auto& f = p.get<struct_def>("Node").fields[0];
  CHECK(f.type.target.index == 0);
}
