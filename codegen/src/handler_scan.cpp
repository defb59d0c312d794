#include "handler_scan.hpp"

#include <algorithm>
#include <cctype>

namespace kitex::codegen {

namespace {

constexpr auto npos = std::string_view::npos;

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

/// Past the literal whose opening quote (`"` or `'`) is at `i`. A literal
/// ends at its line at the latest, so an odd quote cannot hide the rest.
size_t skip_quoted(std::string_view t, size_t i) {
  char quote = t[i];
  for (++i; i < t.size() && t[i] != quote && t[i] != '\n'; ++i)
    if (t[i] == '\\')
      ++i;
  return std::min(i + 1, t.size());
}

/// Past the raw string `R"delim(...)delim"` whose `"` is at `i`.
size_t skip_raw(std::string_view t, size_t i) {
  auto open = t.find('(', i);
  if (open == npos)
    return t.size();
  std::string close = ")";
  close.append(t.substr(i + 1, open - i - 1)).append("\"");
  auto end = t.find(close, open);
  return end == npos ? t.size() : end + close.size();
}

void blank_out(std::string& s, size_t from, size_t to) {
  for (auto i = from; i < to; ++i)
    if (s[i] != '\n')
      s[i] = ' ';
}

size_t skip_space(std::string_view t, size_t i) {
  while (i < t.size() && std::isspace(static_cast<unsigned char>(t[i])))
    ++i;
  return i;
}

/// The end of the comment starting at `i`, or `i` if none starts there.
size_t comment_end(std::string_view t, size_t i) {
  if (t.compare(i, 2, "//") == 0) {
    auto end = t.find('\n', i);
    return end == npos ? t.size() : end;
  }
  if (t.compare(i, 2, "/*") == 0) {
    auto end = t.find("*/", i + 2);
    return end == npos ? t.size() : end + 2;
  }
  return i;
}

} // namespace

std::string strip_comments(std::string_view text) {
  std::string out{text};
  size_t i = 0;
  while (i < text.size()) {
    if (auto end = comment_end(text, i); end != i) {
      blank_out(out, i, end);
      i = end;
    } else if (text[i] == '"') {
      i = i > 0 && text[i - 1] == 'R' ? skip_raw(text, i)
                                      : skip_quoted(text, i);
    } else if (text[i] == '\''
               && (i == 0 || !is_identifier_char(text[i - 1]))) {
      i = skip_quoted(text, i); // not a digit separator (1'000)
    } else {
      ++i;
    }
  }
  return out;
}

std::vector<defined_method> find_definitions(std::string_view text,
                                             std::string_view cls) {
  auto t = strip_comments(text);
  std::vector<defined_method> out;
  if (cls.empty())
    return out;
  for (auto at = t.find(cls); at != npos; at = t.find(cls, at + 1)) {
    if (at > 0 && is_identifier_char(t[at - 1]))
      continue;
    auto i = skip_space(t, at + cls.size());
    if (t.compare(i, 2, "::") != 0)
      continue;
    auto name = skip_space(t, i + 2);
    auto name_end = name;
    while (name_end < t.size() && is_identifier_char(t[name_end]))
      ++name_end;
    auto paren = skip_space(t, name_end);
    if (name_end == name || paren >= t.size() || t[paren] != '(')
      continue;
    auto line_start = t.rfind('\n', at);
    auto column = line_start == npos ? at + 1 : at - line_start;
    auto line = 1 + std::count(t.begin(), t.begin() + at, '\n');
    out.push_back({t.substr(name, name_end - name), static_cast<int>(line),
                   static_cast<int>(column)});
  }
  return out;
}

} // namespace kitex::codegen
