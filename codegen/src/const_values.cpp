#include "const_values.hpp"

#include <charconv>
#include <cstdint>
#include <limits>
#include <variant>

#include "kitex/idl/resolve.hpp"
#include "naming.hpp"

namespace kitex::codegen {

namespace {

std::string integer_literal(idl::base_type b, int64_t x) {
  if (b == idl::base_type::bool_)
    return x != 0 ? "true" : "false";
  if (x == std::numeric_limits<int64_t>::min())
    return "(-9223372036854775807LL - 1)";
  auto text = std::to_string(x);
  if (b == idl::base_type::i64 && (x > INT32_MAX || x < INT32_MIN))
    text += "LL";
  return text;
}

std::string double_literal(const idl::const_value& v) {
  if (v.kind == idl::const_kind::integer)
    return std::to_string(v.integer) + ".0";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v.floating);
  std::string text{buf, res.ptr};
  if (text.find_first_of(".eEn") == std::string::npos)
    text += ".0";
  return text;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::string uuid_literal(const std::string& text) {
  std::string out = "std::array<uint8_t, 16>{";
  int nibbles = 0;
  int byte = 0;
  const char* sep = "";
  for (char c : text) {
    auto h = hex_value(c);
    if (h < 0)
      continue;
    byte = byte * 16 + h;
    if (++nibbles % 2 == 0) {
      constexpr char digits[] = "0123456789abcdef";
      out.append(sep).append("0x") += digits[byte >> 4];
      out += digits[byte & 15];
      sep = ", ";
      byte = 0;
    }
  }
  return out + "}";
}

std::string base_literal(idl::base_type b, const idl::const_value& v) {
  switch (b) {
    case idl::base_type::double_:
      return double_literal(v);
    case idl::base_type::string:
    case idl::base_type::binary:
      return string_literal(v.text);
    case idl::base_type::uuid:
      return uuid_literal(v.text);
    default:
      return integer_literal(b, v.integer);
  }
}

std::string enum_literal(const context& ctx, const idl::type_ref& t,
                         const idl::enum_def& e, int64_t x) {
  auto name = ctx.name_of(ctx.true_type(t).target);
  for (auto& value : e.values)
    if (value.value == x)
      return name + "::" + safe_identifier(value.name);
  return "static_cast<" + name + ">(" + std::to_string(x) + ")";
}

std::string struct_literal(const context& ctx, const idl::type_ref& t,
                           const idl::struct_def& s,
                           const idl::const_value& v) {
  std::string out = "[] { " + ctx.cpp_type(t) + " x;";
  for (auto& entry : v.map) {
    auto i = s.find(entry.key.text);
    if (i == idl::npos)
      continue; // rejected by the front end
    auto& f = s.fields[i];
    out += " x." + safe_identifier(f.name) + " = "
           + const_expr(ctx, f.type, entry.value) + ";";
  }
  return out + " return x; }()";
}

std::string container_literal(const context& ctx, const idl::type_ref& t,
                              const idl::type_ref& tt,
                              const idl::const_value& v) {
  std::string out = ctx.cpp_type(t) + "{";
  const char* sep = "";
  if (tt.kind == idl::type_kind::map) {
    for (auto& e : v.map) {
      out.append(sep) += "{" + const_expr(ctx, tt.params.at(0), e.key) + ", "
                         + const_expr(ctx, tt.params.at(1), e.value) + "}";
      sep = ", ";
    }
  } else {
    for (auto& e : v.list) {
      out.append(sep) += const_expr(ctx, tt.params.at(0), e);
      sep = ", ";
    }
  }
  return out + "}";
}

std::string identifier_expr(const context& ctx, const idl::type_ref& t,
                            const idl::const_value& v) {
  if (v.target.value != idl::npos) {
    auto* ev = idl::lookup_enum_value(ctx.result, v.target);
    if (ctx.enum_of(t) != nullptr)
      return ctx.name_of(v.target) + "::" + safe_identifier(ev->name);
    return integer_literal(ctx.true_type(t).base, ev->value);
  }
  auto& c = std::get<idl::const_def>(ctx.definition(v.target));
  return const_expr(ctx, t, c.value);
}

} // namespace

std::string string_literal(std::string_view s) {
  std::string out = "\"";
  bool has_nul = false;
  for (char c : s) {
    auto b = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (b >= 0x20 && b < 0x7f) {
      out += c;
    } else {
      has_nul = has_nul || b == 0;
      char oct[5] = {'\\', static_cast<char>('0' + (b >> 6)),
                     static_cast<char>('0' + ((b >> 3) & 7)),
                     static_cast<char>('0' + (b & 7)), 0};
      out += oct;
    }
  }
  out += '"';
  if (has_nul)
    return "std::string(" + out + ", " + std::to_string(s.size()) + ")";
  return out;
}

std::string const_expr(const context& ctx, const idl::type_ref& t,
                       const idl::const_value& v) {
  if (v.kind == idl::const_kind::identifier)
    return identifier_expr(ctx, t, v);
  auto& tt = ctx.true_type(t);
  switch (tt.kind) {
    case idl::type_kind::base:
      return base_literal(tt.base, v);
    case idl::type_kind::list:
    case idl::type_kind::set:
    case idl::type_kind::map:
      return container_literal(ctx, t, tt, v);
    case idl::type_kind::named:
      break;
  }
  auto& d = ctx.definition(tt.target);
  if (auto* e = std::get_if<idl::enum_def>(&d))
    return enum_literal(ctx, t, *e, v.integer);
  if (auto* s = std::get_if<idl::struct_def>(&d))
    return struct_literal(ctx, t, *s, v);
  return string_literal(v.text); // senum
}

} // namespace kitex::codegen
