#pragma once

// The recursive-descent parser of one IDL file: tokens in, a program (with
// unresolved names) out. Grammar, informally:
//
//   document   := header* definition*
//   header     := include LIT | cpp_include LIT | namespace (ID|*) (ID|LIT)
//   definition := typedef | const | enum | senum | struct | union
//               | exception | service
//   field      := [INT ':'] [required|optional] type ID ['=' const] annos
//   type       := base | list<type> | set<type> | map<type,type> | ID
//                 (each followed by optional annos)
//
// Separators `,` and `;` are optional everywhere. A syntax error is reported
// and the parser skips to the next definition keyword, so one run reports
// the errors of several definitions.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "kitex/idl/diagnostic.hpp"
#include "kitex/idl/lexer.hpp"
#include "kitex/idl/model.hpp"

namespace kitex::idl {

/// Parses `tokens` (from lex(), ending with `end`) into `out`, whose `path`
/// names the file in locations. Appends problems to `diags`.
void parse_tokens(const std::vector<token>& tokens, program& out,
                  std::vector<diagnostic>& diags);

/// True for the words of Thrift that cannot name anything.
bool is_reserved(std::string_view word) noexcept;

/// True for the words that begin a header or a definition.
bool starts_top_level(std::string_view word) noexcept;

class syntax {
public:
  syntax(const std::vector<token>& tokens, program& out,
         std::vector<diagnostic>& diags)
    : tokens_(tokens), out_(out), diags_(diags) {}

  void run();

private:
  // -- tokens (syntax.cpp) ----------------------------------------------------
  const token& peek(size_t ahead = 0) const;
  const token& take();
  bool is_punct(char c, size_t ahead = 0) const;
  bool is_word(std::string_view w, size_t ahead = 0) const;
  bool at_end() const;
  bool accept(char c);
  bool accept_word(std::string_view w);
  void accept_separator();
  [[nodiscard]] bool expect(char c, std::string_view context);
  [[nodiscard]] bool expect_name(node& n, std::string_view what);
  location loc(const token& t) const;
  void error(const token& at, std::string message);
  void warn(const location& at, std::string message);
  /// A definition keyword where a `}` was expected: the block is not closed.
  bool unclosed(const node& owner, std::string_view kind);

  // -- shared pieces (syntax.cpp) ---------------------------------------------
  [[nodiscard]] bool parse_annotations(annotation_list& out);
  [[nodiscard]] bool parse_type(type_ref& out, int depth);
  [[nodiscard]] bool parse_container(type_ref& out, int depth);
  void parse_cpp_type(type_ref& out);
  [[nodiscard]] bool parse_const_value(const_value& out, int depth);
  [[nodiscard]] bool parse_const_list(const_value& out, int depth);
  [[nodiscard]] bool parse_const_map(const_value& out, int depth);
  [[nodiscard]] bool parse_field(field& out, int& next_auto_id);
  [[nodiscard]] bool parse_field_id(field& out, int& next_auto_id);
  [[nodiscard]] bool parse_fields(std::vector<field>& out, char close,
                                  const node& owner, std::string_view kind);

  // -- headers and definitions (syntax_definitions.cpp) -----------------------
  [[nodiscard]] bool parse_header();
  [[nodiscard]] bool parse_include();
  [[nodiscard]] bool parse_namespace();
  [[nodiscard]] bool parse_definition();
  [[nodiscard]] bool parse_typedef();
  [[nodiscard]] bool parse_const();
  [[nodiscard]] bool parse_enum();
  [[nodiscard]] bool parse_enum_value(enum_def& e, int64_t& next);
  [[nodiscard]] bool parse_senum();
  [[nodiscard]] bool parse_struct(struct_kind kind);
  [[nodiscard]] bool parse_service();
  [[nodiscard]] bool parse_function(function& out);
  void recover(size_t start);

  const std::vector<token>& tokens_;
  program& out_;
  std::vector<diagnostic>& diags_;
  size_t pos_ = 0;
  bool seen_definition_ = false;
};

} // namespace kitex::idl
