#pragma once

// What a scaffolded handler.cpp defines. `kitex-actor -service` runs again
// after the IDL changed: it appends stubs for the methods handler.cpp lacks
// and warns about the ones the service no longer has. A method counts as
// defined when `<class>::<method>(` appears outside comments, which is how
// the scaffold writes its stubs.

#include <string>
#include <string_view>
#include <vector>

namespace kitex::codegen {

/// One `cls::name(` of a C++ source.
struct defined_method {
  std::string name;
  /// Where `cls` starts, both 1-based.
  int line = 0;
  int column = 0;
};

/// `text` with every comment turned into spaces (newlines stay, so offsets,
/// lines and columns do not move). String and character literals are kept
/// and never taken for comments.
std::string strip_comments(std::string_view text);

/// Every `cls::name(` of `text` outside comments, in order of appearance
/// (spaces allowed around `::` and before `(`).
std::vector<defined_method> find_definitions(std::string_view text,
                                             std::string_view cls);

} // namespace kitex::codegen
