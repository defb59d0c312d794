// Names of generated entities: snake_case of IDL names, keywords, namespaces.

#include <catch2/catch.hpp>

#include "kitex/idl/parser.hpp"
#include "naming.hpp"

using namespace kitex;

TEST_CASE("snake_case follows the project's naming of methods and services") {
  CHECK(codegen::snake_case("Echo") == "echo");
  CHECK(codegen::snake_case("EchoServer") == "echo_server");
  CHECK(codegen::snake_case("GetUserInfo") == "get_user_info");
  CHECK(codegen::snake_case("getHTTPResponse") == "get_http_response");
  CHECK(codegen::snake_case("HTTPServer") == "http_server");
  CHECK(codegen::snake_case("get_user") == "get_user");
  CHECK(codegen::snake_case("V2Echo") == "v2_echo");
  CHECK(codegen::snake_case("echo2") == "echo2");
  CHECK(codegen::snake_case("Get__It") == "get_it");
}

TEST_CASE("C++ keywords and C macros in IDL names get a trailing _") {
  CHECK(codegen::safe_identifier("class") == "class_");
  CHECK(codegen::safe_identifier("delete") == "delete_");
  CHECK(codegen::safe_identifier("NULL") == "NULL_");
  CHECK(codegen::safe_identifier("EOF") == "EOF_");
  CHECK(codegen::safe_identifier("name") == "name");
  CHECK(codegen::identifier_from("my-idl.v2") == "my_idl_v2");
  CHECK(codegen::identifier_from("2fa") == "_2fa");
}

TEST_CASE("namespace cpp with dots becomes a nested C++ namespace") {
  auto ns = [](const std::string& text) {
    auto r = idl::parse_string(text, "dir/my-file.thrift");
    REQUIRE(r.ok());
    return codegen::cpp_namespace(*r.main());
  };
  CHECK(ns("namespace cpp a.b.c\n") == "a::b::c");
  CHECK(ns("namespace * star\n") == "star");
  CHECK(ns("namespace go only.go\nnamespace * x.y\n") == "x::y");
  CHECK(ns("namespace cpp a.class\n") == "a::class_");
  CHECK(ns("") == "my_file"); // no namespace: the file name
  auto r = idl::parse_string("namespace cpp a.b\n", "dir/svc.thrift");
  REQUIRE(r.ok());
  CHECK(codegen::type_id_block_name(*r.main()) == "a_b_svc");
  CHECK(codegen::header_file_name(*r.main()) == "svc.kitex.hpp");
  CHECK(codegen::source_file_name(*r.main()) == "svc.kitex.cpp");
}
