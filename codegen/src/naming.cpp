#include "naming.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace kitex::codegen {

namespace {

// C++20 keywords and alternative tokens, plus macros of the C and POSIX
// headers a generated file may see.
constexpr std::string_view reserved_words[] = {
  "alignas",       "alignof",     "and",
  "and_eq",        "asm",         "auto",
  "bitand",        "bitor",       "bool",
  "break",         "case",        "catch",
  "char",          "char8_t",     "char16_t",
  "char32_t",      "class",       "compl",
  "concept",       "const",       "consteval",
  "constexpr",     "constinit",   "const_cast",
  "continue",      "co_await",    "co_return",
  "co_yield",      "decltype",    "default",
  "delete",        "do",          "double",
  "dynamic_cast",  "else",        "enum",
  "explicit",      "export",      "extern",
  "false",         "float",       "for",
  "friend",        "goto",        "if",
  "inline",        "int",         "long",
  "mutable",       "namespace",   "new",
  "noexcept",      "not",         "not_eq",
  "nullptr",       "operator",    "or",
  "or_eq",         "private",     "protected",
  "public",        "register",    "reinterpret_cast",
  "requires",      "return",      "short",
  "signed",        "sizeof",      "static",
  "static_assert", "static_cast", "struct",
  "switch",        "template",    "this",
  "thread_local",  "throw",       "true",
  "try",           "typedef",     "typeid",
  "typename",      "union",       "unsigned",
  "using",         "virtual",     "void",
  "volatile",      "wchar_t",     "while",
  "xor",           "xor_eq",      "NULL",
  "EOF",           "errno",       "assert",
  "stdin",         "stdout",      "stderr",
  "unix",          "linux",       "TRUE",
  "FALSE",         "DOMAIN",      "BUFSIZ",
  "EDOM",          "ERANGE",      "EILSEQ",
  "SIG_ERR",       "CHAR_BIT",    "INT_MAX",
  "INT_MIN",       "major",       "minor",
};

bool is_upper(char c) {
  return std::isupper(static_cast<unsigned char>(c)) != 0;
}

bool is_lower_or_digit(char c) {
  return std::islower(static_cast<unsigned char>(c)) != 0
         || std::isdigit(static_cast<unsigned char>(c)) != 0;
}

} // namespace

std::string snake_case(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (is_upper(c) && i > 0) {
      bool after_lower = is_lower_or_digit(name[i - 1]);
      bool ends_acronym
        = is_upper(name[i - 1]) && i + 1 < name.size()
          && std::islower(static_cast<unsigned char>(name[i + 1]));
      if ((after_lower || ends_acronym) && !out.ends_with('_'))
        out += '_';
    }
    if (c == '_' && out.ends_with('_'))
      continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string safe_identifier(std::string_view name) {
  std::string out{name};
  if (std::find(std::begin(reserved_words), std::end(reserved_words), name)
      != std::end(reserved_words))
    out += '_';
  return out;
}

std::string identifier_from(std::string_view text) {
  std::string out;
  for (char c : text)
    out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0])))
    out.insert(out.begin(), '_');
  return out;
}

std::string cpp_namespace(const idl::program& p) {
  auto* ns = p.namespace_for("cpp");
  if (ns == nullptr || ns->empty())
    return safe_identifier(identifier_from(p.name));
  std::string out;
  std::string_view rest = *ns;
  while (!rest.empty()) {
    auto dot = rest.find('.');
    if (!out.empty())
      out += "::";
    out += safe_identifier(rest.substr(0, dot));
    if (dot == std::string_view::npos)
      break;
    rest.remove_prefix(dot + 1);
  }
  return out;
}

std::string dotted_namespace(const std::string& ns) {
  std::string out;
  for (size_t i = 0; i < ns.size(); ++i) {
    if (ns.compare(i, 2, "::") == 0) {
      out += '.';
      ++i;
    } else {
      out += ns[i];
    }
  }
  return out;
}

std::string type_id_block_name(const idl::program& p) {
  auto ns = cpp_namespace(p);
  std::string out;
  for (char c : ns)
    if (c != ':' || !out.ends_with('_'))
      out += c == ':' ? '_' : c;
  return out + '_' + identifier_from(p.name);
}

std::string header_file_name(const idl::program& p) {
  return p.name + ".kitex.hpp";
}

std::string source_file_name(const idl::program& p) {
  return p.name + ".kitex.cpp";
}

} // namespace kitex::codegen
