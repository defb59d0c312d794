#include "kitex/runtime/print_value.hpp"

namespace kitex::runtime {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

void print_hex_byte(std::ostream& os, uint8_t b) {
  os << hex_digits[b >> 4] << hex_digits[b & 0x0f];
}

} // namespace

void print_quoted(std::ostream& os, const std::string& s) {
  os << '"';
  for (char c : s) {
    auto b = static_cast<uint8_t>(c);
    if (c == '"' || c == '\\') {
      os << '\\' << c;
    } else if (c == '\n') {
      os << "\\n";
    } else if (c == '\t') {
      os << "\\t";
    } else if (b < 0x20 || b >= 0x7f) {
      os << "\\x";
      print_hex_byte(os, b);
    } else {
      os << c;
    }
  }
  os << '"';
}

void print_uuid(std::ostream& os, const std::array<uint8_t, 16>& x) {
  for (size_t i = 0; i < x.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      os << '-';
    print_hex_byte(os, x[i]);
  }
}

} // namespace kitex::runtime
