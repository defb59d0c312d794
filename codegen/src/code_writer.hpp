#pragma once

// code_writer — appends lines of C++ with two-space indentation, the way
// the generated files are laid out.

#include <string>
#include <string_view>
#include <vector>

namespace kitex::codegen {

class code_writer {
public:
  /// One line at the current indentation; an empty `text` is a blank line.
  code_writer& line(std::string_view text = {}) {
    if (!text.empty())
      out_.append(indent_ * 2, ' ').append(text);
    out_ += '\n';
    return *this;
  }

  /// A blank line, unless the output is empty or already ends with one.
  code_writer& blank() {
    if (!out_.empty() && !out_.ends_with("\n\n") && !out_.ends_with("{\n"))
      out_ += '\n';
    return *this;
  }

  /// One level deeper / shallower, writing nothing.
  code_writer& indent() {
    ++indent_;
    return *this;
  }

  code_writer& dedent() {
    if (indent_ > 0)
      --indent_;
    return *this;
  }

  /// `text`, then one level deeper.
  code_writer& open(std::string_view text) {
    line(text);
    ++indent_;
    return *this;
  }

  /// One level shallower, then `text`.
  code_writer& close(std::string_view text = "}") {
    if (indent_ > 0)
      --indent_;
    return line(text);
  }

  /// A line that may pass 80 columns broken after its commas, the pieces
  /// aligned after the first `(` (for signatures and instantiations).
  code_writer& wrapped(std::string_view text);

  /// `text` one level shallower (`public:`).
  code_writer& label(std::string_view text) {
    out_.append(indent_ > 0 ? (indent_ - 1) * 2 : 0, ' ').append(text);
    out_ += '\n';
    return *this;
  }

  /// One level shallower for `text`, then deeper again (`} else {`).
  code_writer& next(std::string_view text) {
    close(text);
    ++indent_;
    return *this;
  }

  /// A `// -- title -----` rule, filled to 79 columns, and a blank line.
  code_writer& section(std::string_view title) {
    std::string l = "// -- ";
    l.append(title).append(" ");
    if (l.size() < 79)
      l.append(79 - l.size(), '-');
    return blank().line(l).line();
  }

  /// Appends `text` verbatim (it carries its own newlines).
  code_writer& raw(std::string_view text) {
    out_.append(text);
    return *this;
  }

  /// `text` as `//` comment lines; blank lines stay `//`.
  code_writer& comment(std::string_view text, std::string_view marker = "//");

  const std::string& str() const noexcept {
    return out_;
  }

private:
  std::string out_;
  int indent_ = 0;
};

inline code_writer& code_writer::wrapped(std::string_view text) {
  constexpr size_t columns = 80;
  auto indent = static_cast<size_t>(indent_) * 2;
  auto paren = text.find('(');
  if (indent + text.size() <= columns || paren == std::string_view::npos)
    return line(text);
  // Break after the commas, aligning the pieces after the `(`.
  std::vector<std::string> lines{std::string(indent, ' ')};
  lines.back().append(text.substr(0, paren + 1));
  std::string pad(indent + paren + 1, ' ');
  auto rest = text.substr(paren + 1);
  while (!rest.empty()) {
    auto comma = rest.find(", ");
    auto piece = rest.substr(0, comma == std::string_view::npos ? rest.size()
                                                                : comma + 1);
    auto& last = lines.back();
    if (last.size() + 1 + piece.size() > columns && !last.ends_with('('))
      lines.push_back(pad);
    else if (!lines.back().ends_with('(') && lines.back() != pad)
      lines.back() += ' ';
    lines.back().append(piece);
    if (comma == std::string_view::npos)
      break;
    rest.remove_prefix(comma + 2);
  }
  bool fits = true;
  for (auto& l : lines)
    fits = fits && l.size() <= columns;
  // Else put what precedes the name (the return type) on a line of its own.
  auto space = text.substr(0, paren).rfind(' ');
  if (!fits && space != std::string_view::npos
      && text.substr(0, space).find('(') == std::string_view::npos) {
    line(text.substr(0, space));
    return wrapped(text.substr(space + 1));
  }
  for (auto& l : lines)
    out_.append(l) += '\n';
  return *this;
}

inline code_writer& code_writer::comment(std::string_view text,
                                         std::string_view marker) {
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto part = text.substr(0, nl);
    while (!part.empty() && (part.back() == ' ' || part.back() == '\r'))
      part.remove_suffix(1);
    std::string l{marker};
    if (!part.empty())
      l.append(" ").append(part);
    line(l);
    if (nl == std::string_view::npos)
      break;
    text.remove_prefix(nl + 1);
  }
  return *this;
}

} // namespace kitex::codegen
