#include "kitex/idl/lexer.hpp"

#include <charconv>
#include <cstring>
#include <limits>

namespace kitex::idl {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool is_ident_char(char c) {
  return is_ident_start(c) || is_digit(c);
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos)
    return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string{s.substr(b, e - b + 1)};
}

/// The text of a `/** ... */` comment: leading `*` of each line and
/// surrounding blank lines removed.
std::string clean_block_doc(std::string_view inner) {
  std::string out;
  size_t pending_blank = 0;
  size_t pos = 0;
  while (pos <= inner.size()) {
    auto eol = inner.find('\n', pos);
    if (eol == std::string_view::npos)
      eol = inner.size();
    auto line = trim(inner.substr(pos, eol - pos));
    if (!line.empty() && line[0] == '*')
      line = trim(std::string_view{line}.substr(1));
    pos = eol + 1;
    if (line.empty()) {
      ++pending_blank;
      continue;
    }
    if (!out.empty())
      out.append(pending_blank + 1, '\n');
    pending_blank = 0;
    out += line;
  }
  return out;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class lexer {
public:
  lexer(std::string_view text, const std::string& file)
    : text_(text), file_(file) {}

  lex_result run() {
    while (skip_trivia()) {
      if (!lex_token())
        break;
    }
    token end;
    end.kind = token_kind::end;
    end.line = line_;
    end.column = column_;
    result_.tokens.push_back(std::move(end));
    return std::move(result_);
  }

private:
  char at(size_t ahead = 0) const {
    auto i = pos_ + ahead;
    return i < text_.size() ? text_[i] : '\0';
  }

  bool eof() const {
    return pos_ >= text_.size();
  }

  void advance(size_t n = 1) {
    for (; n > 0 && pos_ < text_.size(); --n, ++pos_) {
      if (text_[pos_] == '\n') {
        ++line_;
        column_ = 1;
      } else {
        ++column_;
      }
    }
  }

  void error(int line, int column, std::string message) {
    result_.diagnostics.push_back(
      diagnostic{file_, line, column, std::move(message), true});
  }

  /// Skips whitespace and comments; false at the end of input or after an
  /// unterminated comment.
  bool skip_trivia();
  void line_comment();
  bool block_comment();
  bool lex_token();
  bool starts_number() const {
    auto digit_at = [this](size_t i) {
      return is_digit(at(i)) || (at(i) == '.' && is_digit(at(i + 1)));
    };
    return digit_at(0) || ((at() == '-' || at() == '+') && digit_at(1));
  }
  void push(token t);
  bool lex_string(token& t);
  bool lex_escape(std::string& out);
  bool lex_unicode(std::string& out, int line, int column);
  bool read_hex4(uint32_t& out);
  bool lex_number(token& t);
  bool lex_hex(token& t, size_t start, bool negative);
  bool convert_number(token& t, bool floating);
  void lex_identifier(token& t);

  std::string_view text_;
  const std::string& file_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
  std::string doc_;
  /// Line of the last `///` comment if doc_ came from a run of them.
  int doc_line_ = 0;
  lex_result result_;
};

bool lexer::skip_trivia() {
  for (;;) {
    char c = at();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      advance();
    } else if (c == '#' || (c == '/' && at(1) == '/')) {
      line_comment();
    } else if (c == '/' && at(1) == '*') {
      if (!block_comment())
        return false;
    } else {
      return !eof();
    }
  }
}

void lexer::line_comment() {
  int line = line_;
  bool doc = at() == '/' && at(2) == '/' && at(3) != '/';
  auto start = pos_ + (doc ? 3 : 0);
  while (!eof() && at() != '\n')
    advance();
  if (!doc) {
    doc_.clear();
    doc_line_ = 0;
    return;
  }
  auto text = trim(text_.substr(start, pos_ - start));
  if (doc_line_ != 0 && doc_line_ == line - 1)
    doc_ += '\n' + text;
  else
    doc_ = text;
  doc_line_ = line;
}

bool lexer::block_comment() {
  int line = line_;
  int column = column_;
  bool doc = at(2) == '*' && at(3) != '/';
  auto start = pos_ + 2;
  advance(2);
  while (!eof() && !(at() == '*' && at(1) == '/'))
    advance();
  if (eof()) {
    error(line, column, "unterminated comment");
    return false;
  }
  auto inner = text_.substr(start, pos_ - start);
  advance(2);
  doc_line_ = 0;
  if (doc)
    doc_ = clean_block_doc(inner.substr(1));
  else
    doc_.clear();
  return true;
}

void lexer::push(token t) {
  t.doc = std::move(doc_);
  doc_.clear();
  doc_line_ = 0;
  result_.tokens.push_back(std::move(t));
}

bool lexer::lex_token() {
  token t;
  t.line = line_;
  t.column = column_;
  char c = at();
  if (c == '"' || c == '\'') {
    if (!lex_string(t))
      return false;
  } else if (starts_number()) {
    if (!lex_number(t))
      return true; // reported; skip the bad literal
  } else if (is_ident_start(c)) {
    lex_identifier(t);
  } else if (std::strchr("{}()[]<>,;:=*", c) != nullptr) {
    t.kind = token_kind::punct;
    t.text = std::string(1, c);
    advance();
  } else {
    error(t.line, t.column, std::string{"unexpected character '"} + c + "'");
    advance();
    return true;
  }
  push(std::move(t));
  return true;
}

bool lexer::lex_string(token& t) {
  char quote = at();
  advance();
  t.kind = token_kind::string;
  while (!eof() && at() != quote) {
    if (at() == '\\') {
      if (!lex_escape(t.text))
        return false;
    } else {
      t.text += at();
      advance();
    }
  }
  if (eof()) {
    error(t.line, t.column, "unterminated string literal");
    return false;
  }
  advance();
  return true;
}

bool lexer::lex_escape(std::string& out) {
  int line = line_;
  int column = column_;
  char c = at(1);
  advance(2);
  switch (c) {
    case 'n':
      out += '\n';
      return true;
    case 'r':
      out += '\r';
      return true;
    case 't':
      out += '\t';
      return true;
    case '\\':
    case '"':
    case '\'':
    case '/':
      out += c;
      return true;
    case 'u':
      return lex_unicode(out, line, column);
    default:
      break;
  }
  if (c == '\0' && eof())
    error(line, column, "unterminated string literal");
  else
    error(line, column, std::string{"unknown escape sequence '\\"} + c + "'");
  return false;
}

bool lexer::read_hex4(uint32_t& out) {
  out = 0;
  for (int i = 0; i < 4; ++i) {
    char c = at();
    if (!is_hex(c))
      return false;
    out
      = out * 16
        + static_cast<uint32_t>(is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
    advance();
  }
  return true;
}

/// `\uXXXX`, with a surrogate pair `\uD8xx\uDCxx` for code points above the
/// basic plane (as JSON and Apache Thrift spell them).
bool lexer::lex_unicode(std::string& out, int line, int column) {
  uint32_t cp = 0;
  if (!read_hex4(cp)) {
    error(line, column, "\\u must be followed by 4 hex digits");
    return false;
  }
  if (cp >= 0xDC00 && cp <= 0xDFFF) {
    error(line, column, "unpaired low surrogate in \\u escape");
    return false;
  }
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    uint32_t low = 0;
    bool ok = at() == '\\' && at(1) == 'u';
    if (ok) {
      advance(2);
      ok = read_hex4(low) && low >= 0xDC00 && low <= 0xDFFF;
    }
    if (!ok) {
      error(line, column, "high surrogate not followed by a low one");
      return false;
    }
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  }
  append_utf8(out, cp);
  return true;
}

bool lexer::lex_number(token& t) {
  auto start = pos_;
  bool negative = at() == '-';
  if (at() == '-' || at() == '+')
    advance();
  if (at() == '0' && (at(1) == 'x' || at(1) == 'X') && is_hex(at(2)))
    return lex_hex(t, start, negative);
  bool floating = false;
  while (is_digit(at()))
    advance();
  if (at() == '.' && is_digit(at(1))) {
    floating = true;
    advance();
    while (is_digit(at()))
      advance();
  }
  if ((at() == 'e' || at() == 'E')
      && (is_digit(at(1))
          || ((at(1) == '+' || at(1) == '-') && is_digit(at(2))))) {
    floating = true;
    advance(2);
    while (is_digit(at()))
      advance();
  }
  t.text = std::string{text_.substr(start, pos_ - start)};
  return convert_number(t, floating);
}

/// Thrift reads `0x...` as a 64-bit value; a sign applies to it.
bool lexer::lex_hex(token& t, size_t start, bool negative) {
  advance(2);
  auto digits = pos_;
  while (is_hex(at()))
    advance();
  t.text = std::string{text_.substr(start, pos_ - start)};
  uint64_t u = 0;
  auto r = std::from_chars(text_.data() + digits, text_.data() + pos_, u, 16);
  constexpr auto max
    = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (r.ec != std::errc{} || u > max + (negative ? 1 : 0)) {
    error(t.line, t.column, "integer literal out of range: " + t.text);
    return false;
  }
  t.kind = token_kind::integer;
  t.integer = negative ? static_cast<int64_t>(0 - u) : static_cast<int64_t>(u);
  return true;
}

bool lexer::convert_number(token& t, bool floating) {
  // from_chars takes no leading '+'.
  auto first = t.text.data() + (t.text[0] == '+' ? 1 : 0);
  auto last = t.text.data() + t.text.size();
  std::from_chars_result r;
  if (floating) {
    t.kind = token_kind::floating;
    r = std::from_chars(first, last, t.floating);
  } else {
    t.kind = token_kind::integer;
    r = std::from_chars(first, last, t.integer);
  }
  if (r.ec != std::errc{} || r.ptr != last) {
    error(t.line, t.column,
          std::string{floating ? "floating" : "integer"}
            + " literal out of range: " + t.text);
    return false;
  }
  return true;
}

void lexer::lex_identifier(token& t) {
  auto start = pos_;
  advance();
  while (is_ident_char(at()) || (at() == '.' && is_ident_char(at(1))))
    advance();
  t.kind = token_kind::identifier;
  t.text = std::string{text_.substr(start, pos_ - start)};
}

} // namespace

lex_result lex(std::string_view text, const std::string& file) {
  return lexer{text, file}.run();
}

std::string describe(const token& t) {
  switch (t.kind) {
    case token_kind::end:
      return "end of file";
    case token_kind::string:
      return "string literal \"" + t.text + '"';
    case token_kind::integer:
    case token_kind::floating:
      return "number " + t.text;
    case token_kind::identifier:
    case token_kind::punct:
      break;
  }
  return '\'' + t.text + '\'';
}

} // namespace kitex::idl
