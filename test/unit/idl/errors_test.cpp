// Error cases, each at its exact line and column.

#include <catch2/catch.hpp>

#include "unit/idl/idl_test_util.hpp"

using namespace kitex::idl;
using kitex::test::errors;
using kitex::test::first_error;
using kitex::test::parse;

TEST_CASE("unterminated string literal", "[idl][errors]") {
  auto r = parse("struct A {}\n"
                 "const string S = \"never closed\n"
                 "struct B {}\n");
  REQUIRE_FALSE(r.ok());
  CHECK(errors(r)
        == std::vector<std::string>{
          "test.thrift:2:18: error: unterminated string literal"});
  CHECK(first_error("const string S = 'x")
        == "1:18: unterminated string literal");
  CHECK(first_error("const string S = \"x\\")
        == "1:20: unterminated string literal");
}

TEST_CASE("bad lexemes", "[idl][errors]") {
  CHECK(first_error("struct A {}\n  @") == "2:3: unexpected character '@'");
  CHECK(first_error("struct A {}\n/* never closed")
        == "2:1: unterminated comment");
  CHECK(first_error("const string S = \"a\\qb\"")
        == "1:20: unknown escape sequence '\\q'");
  CHECK(first_error("const string S = \"\\u12\"")
        == "1:19: \\u must be followed by 4 hex digits");
  CHECK(first_error("const string S = \"\\ud800x\"")
        == "1:19: high surrogate not followed by a low one");
}

TEST_CASE("missing closing brace", "[idl][errors]") {
  CHECK(first_error("struct A {\n"
                    "  1: i32 x\n"
                    "struct B {}\n")
        == "3:1: expected '}' to close struct 'A', found 'struct'");
  CHECK(first_error("struct A {\n  1: i32 x\n")
        == "3:1: expected '}' to close struct 'A', found end of file");
  CHECK(first_error("enum E {\n  A\n\nservice S {}")
        == "4:1: expected '}' to close enum 'E', found 'service'");
  CHECK(first_error("service S {\n  void f()\n")
        == "3:1: expected '}' to close service 'S', found end of file");
  CHECK(first_error("const map<i32, i32> M = {1: 2")
        == "1:30: expected '}' to close the map, found end of file");
  CHECK(first_error("const list<i32> L = [1, 2")
        == "1:26: expected ']' to close the list, found end of file");
}

TEST_CASE("syntax errors", "[idl][errors]") {
  CHECK(first_error("struct S { 1: list<i32 x }")
        == "1:24: expected '>' to close 'list<', found 'x'");
  CHECK(first_error("const i32 X 5")
        == "1:13: expected '=' after the const name, found number 5");
  CHECK(first_error("struct list {}")
        == "1:8: expected struct name, found 'list'");
  CHECK(first_error("struct A { 70000: i32 x }")
        == "1:12: field id 70000 out of range for i16");
  CHECK(first_error("enum E { A = 2147483648 }")
        == "1:14: value 2147483648 of 'A' out of range for i32");
  CHECK(first_error("enum E { A = 2147483647, B }")
        == "1:26: value 2147483648 of 'B' out of range for i32");
  CHECK(
    first_error("enum E { A = \"x\" }")
    == "1:14: expected an integer value for 'A', found string literal \"x\"");
  CHECK(first_error("struct S { 1: void v }")
        == "1:15: expected a type, found 'void'");
  CHECK(first_error("service S { void f(1: i32 a }")
        == "1:29: expected a type, found '}'");
  CHECK(first_error("struct A.B {}")
        == "1:8: 'A.B' is not a valid struct name: names cannot contain '.'");
  CHECK(first_error("struct S { 1: i32 x (a = 1) }")
        == "1:26: expected a string literal as value of annotation 'a', found "
           "number 1");
  CHECK(first_error("42") == "1:1: expected a definition, found number 42");
  CHECK(first_error("struct S {}\nnamespace cpp x")
        == "2:1: 'namespace' must come before all definitions");
}

TEST_CASE("errors in several definitions are all reported", "[idl][errors]") {
  auto r = parse("struct A { 1: i32 }\n"
                 "struct B { 1: i32 ok }\n"
                 "struct C { 1 i32 y }\n");
  CHECK(errors(r)
        == std::vector<std::string>{
          "test.thrift:1:19: error: expected field name, found '}'",
          "test.thrift:3:12: error: expected a type, found number 1"});
}

TEST_CASE("unknown types", "[idl][errors]") {
  CHECK(first_error("struct A {\n  1: Foo f\n}") == "2:6: unknown type 'Foo'");
  CHECK(first_error("typedef list<map<string, Nope>> T")
        == "1:26: unknown type 'Nope'");
  CHECK(first_error("service S { Nope f() }") == "1:13: unknown type 'Nope'");
  CHECK(first_error("const i32 C = 1\nstruct S { 1: C c }")
        == "2:15: 'C' is a const, not a type");
  CHECK(first_error("service X {}\ntypedef X Y")
        == "2:9: 'X' is a service, not a type");
}

TEST_CASE("duplicates", "[idl][errors]") {
  CHECK(first_error("struct A {\n  1: i32 a\n  1: i32 b\n}")
        == "3:3: duplicate field id 1 in struct 'A' (also used by 'a' at "
           "test.thrift:2:3)");
  CHECK(first_error("struct A { 1: i32 a, 2: i32 a }")
        == "1:22: duplicate field name 'a' in struct 'A' (first at "
           "test.thrift:1:12)");
  CHECK(first_error("service S { void f(1: i32 a, 1: i32 b) }")
        == "1:30: duplicate field id 1 in parameters of function 'f' (also "
           "used by 'a' at test.thrift:1:20)");
  CHECK(first_error("struct A {}\nenum A { X }")
        == "2:6: redefinition of 'A' (first defined at test.thrift:1:8)");
  CHECK(first_error("enum E { X, Y, X }")
        == "1:16: duplicate enum value 'X' in enum 'E' (first at "
           "test.thrift:1:10)");
  CHECK(first_error("service S { void f()\n void f() }")
        == "2:7: duplicate function 'f' in service 'S' (first at "
           "test.thrift:1:18)");
  // Two fields without ids never clash: they get -1 and -2.
  CHECK(parse("struct A { i32 a, i32 b }").ok());
  CHECK(first_error("struct A { i32 a, -1: i32 b }")
        == "1:19: duplicate field id -1 in struct 'A' (also used by 'a' at "
           "test.thrift:1:12)");
}

TEST_CASE("oneway functions", "[idl][errors]") {
  CHECK(first_error("service S {\n  oneway i32 f()\n}")
        == "2:10: oneway function 'f' must return void");
  CHECK(first_error("exception E {}\n"
                    "service S {\n"
                    "  oneway void f() throws (1: E e)\n"
                    "}")
        == "3:27: oneway function 'f' cannot throw exceptions");
}

TEST_CASE("services and typedefs", "[idl][errors]") {
  CHECK(first_error("service S extends Nope {}")
        == "1:19: undefined service 'Nope' in extends of service 'S'");
  CHECK(first_error("struct B {}\nservice S extends B {}")
        == "2:19: service 'S' extends 'B', which is a struct, not a service");
  CHECK(first_error("service A extends B {}\nservice B extends A {}")
        == "1:9: service 'A' extends itself");
  CHECK(first_error("typedef B A\ntypedef A B")
        == "1:11: typedef 'A' is defined in terms of itself");
  CHECK(first_error("struct E {}\nservice S { void f() throws (1: E e) }")
        == "2:30: 'e' in throws of function 'f' has type E, which is not an "
           "exception");
}

TEST_CASE("to_string of diagnostics", "[idl][errors]") {
  CHECK(to_string(diagnostic{"a.thrift", 3, 7, "boom", true})
        == "a.thrift:3:7: error: boom");
  CHECK(to_string(diagnostic{"a.thrift", 1, 1, "hmm", false})
        == "a.thrift:1:1: warning: hmm");
  CHECK(to_string(diagnostic{"a.thrift", 0, 0, "gone", true})
        == "a.thrift: error: gone");
  CHECK(has_errors({diagnostic{"a", 1, 1, "w", false}}) == false);
}
