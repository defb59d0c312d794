#pragma once

// Splits Thrift IDL text into tokens. Comments (`//`, `#`, `/* */`) are
// dropped, except that the text of a doc comment (`/** */` or a run of
// `///` lines) rides on the token right after it. Identifiers may contain
// dots (`inc.Type`, `Enum.VALUE`); keywords are identifiers here and are
// told apart by the parser.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kitex/idl/diagnostic.hpp"

namespace kitex::idl {

enum class token_kind : uint8_t {
  end,
  identifier,
  integer,
  floating,
  string,
  punct,
};

struct token {
  token_kind kind = token_kind::end;
  /// Identifier name, decoded string literal, the punctuation character, or
  /// the spelling of a number.
  std::string text;
  int64_t integer = 0;
  double floating = 0;
  int line = 1;
  int column = 1;
  /// The doc comment right before this token, markers stripped.
  std::string doc;
};

struct lex_result {
  /// Always ends with a token of kind `end`.
  std::vector<token> tokens;
  std::vector<diagnostic> diagnostics;
};

/// Tokenizes `text`; diagnostics name `file`.
lex_result lex(std::string_view text, const std::string& file);

/// How a token reads in an error message: `'struct'`, `string literal`,
/// `end of file`, ...
std::string describe(const token& t);

} // namespace kitex::idl
