#pragma once

// print_value(os, x): readable text of a value of a generated type, used by
// the generated operator<< and to_string (and through them by CAF when it
// renders a message or an error context). Strings are quoted and escaped,
// bytes print as numbers, containers as [a, b] and {k: v}, enums and structs
// through their own operator<<.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

namespace kitex::runtime {

/// Writes `s` in double quotes, escaping quotes, backslashes and bytes that
/// are not printable ASCII (so binary fields stay readable).
void print_quoted(std::ostream& os, const std::string& s);

/// Writes 16 bytes as a uuid, 8-4-4-4-12 lowercase hex digits.
void print_uuid(std::ostream& os, const std::array<uint8_t, 16>& x);

inline void print_value(std::ostream& os, bool x) {
  os << (x ? "true" : "false");
}

inline void print_value(std::ostream& os, int8_t x) {
  os << static_cast<int>(x); // not as a character
}

inline void print_value(std::ostream& os, const std::string& x) {
  print_quoted(os, x);
}

inline void print_value(std::ostream& os, const std::array<uint8_t, 16>& x) {
  print_uuid(os, x);
}

/// Integers, doubles, enums and generated structs (their operator<<).
template<class T>
requires(
  !std::is_same_v<
    T, bool> && !std::is_same_v<T, int8_t>) void print_value(std::ostream& os,
                                                             const T& x) {
  os << x;
}

template<class T>
void print_value(std::ostream& os, const std::optional<T>& x);
template<class T>
void print_value(std::ostream& os, const std::vector<T>& xs);
template<class T>
void print_value(std::ostream& os, const std::set<T>& xs);
template<class K, class V>
void print_value(std::ostream& os, const std::map<K, V>& xs);

template<class T>
void print_value(std::ostream& os, const std::optional<T>& x) {
  if (x)
    print_value(os, *x);
  else
    os << "null";
}

namespace detail {

template<class Range>
void print_range(std::ostream& os, const Range& xs) {
  os << '[';
  const char* sep = "";
  for (const auto& x : xs) {
    os << sep;
    if constexpr (std::is_same_v<typename Range::value_type, bool>)
      print_value(os, static_cast<bool>(x));
    else
      print_value(os, x);
    sep = ", ";
  }
  os << ']';
}

} // namespace detail

template<class T>
void print_value(std::ostream& os, const std::vector<T>& xs) {
  detail::print_range(os, xs);
}

template<class T>
void print_value(std::ostream& os, const std::set<T>& xs) {
  detail::print_range(os, xs);
}

template<class K, class V>
void print_value(std::ostream& os, const std::map<K, V>& xs) {
  os << '{';
  const char* sep = "";
  for (const auto& [k, v] : xs) {
    os << sep;
    print_value(os, k);
    os << ": ";
    print_value(os, v);
    sep = ", ";
  }
  os << '}';
}

} // namespace kitex::runtime
