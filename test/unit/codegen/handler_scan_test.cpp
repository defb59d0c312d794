// The scan that tells a re-run of `kitex-actor -service` which methods
// handler.cpp already defines.

#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "handler_scan.hpp"

using namespace kitex::codegen;

namespace {

std::vector<std::string> names(const std::vector<defined_method>& ds) {
  std::vector<std::string> out;
  for (auto& d : ds)
    out.push_back(d.name);
  return out;
}

} // namespace

TEST_CASE("find_definitions finds cls::name( outside comments") {
  std::string text = R"(// calc_handler::InLineComment(
/* calc_handler::InBlockComment(
   calc_handler::StillInBlock( */
int thousand = 1'000;
caf::expected<int32_t> calc_handler::Add(int32_t a) {
  return calc_handler :: Twice ( a );
}
void my_calc_handler::OtherClass() {}
void calc_handler::NotCalled;
const char* s = "//"; void calc_handler::AfterString() {}
auto r = R"x(" /* )x"; void calc_handler::AfterRaw() {}
char q = '"'; void calc_handler::AfterChar() {}
)";
  auto found = find_definitions(text, "calc_handler");
  CHECK(names(found)
        == std::vector<std::string>{"Add", "Twice", "AfterString", "AfterRaw",
                                    "AfterChar"});
  REQUIRE(found.size() == 5);
  CHECK(found[0].line == 5);
  CHECK(found[0].column == 24);
  CHECK(found[1].line == 6);
  CHECK(found[1].column == 10);
  CHECK(find_definitions(text, "other_handler").empty());
}

TEST_CASE("strip_comments blanks comments and keeps every position") {
  std::string text = "int a; // one\n/* two\nthree */ int b;\n"
                     "const char* c = \"/* four */\";\n";
  auto out = strip_comments(text);
  CHECK(out
        == "int a;       \n      \n         int b;\n"
           "const char* c = \"/* four */\";\n");
  CHECK(out.size() == text.size());
  // An unterminated comment runs to the end; nothing is lost but it.
  CHECK(strip_comments("x /* y\nz") == "x     \n ");
}
