#pragma once

// Helpers of the code generator tests: generate from IDL text in-process,
// pick a generated file, encode and decode generated types.

#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "generator.hpp"
#include "kitex/idl/parser.hpp"
#include "kitex/remote/byte_buffer.hpp"
#include "kitex/remote/codec/thrift/binary_protocol.hpp"
#include "kitex/remote/limits.hpp"

namespace kitex::test {

/// Generates from `text` (parsed as "test.thrift"); requires valid IDL.
inline codegen::generation generate(const std::string& text,
                                    codegen::options opts = {}) {
  auto parsed = idl::parse_string(text, "test.thrift");
  for (auto& d : parsed.diagnostics)
    INFO(to_string(d));
  REQUIRE(parsed.ok());
  return codegen::generate(parsed, opts);
}

/// The content of the generated file `name`.
inline std::string file(const codegen::generation& g, const std::string& name) {
  for (auto& f : g.files)
    if (f.name == name)
      return f.content;
  FAIL("no generated file " << name);
  return {};
}

/// The generator's errors as "file:line:column: error: message" lines.
inline std::vector<std::string> errors(const codegen::generation& g) {
  std::vector<std::string> out;
  for (auto& d : g.diagnostics)
    if (d.error)
      out.push_back(to_string(d));
  return out;
}

/// `x` in Thrift Binary.
template<class T>
remote::byte_buffer encode(const T& x) {
  remote::byte_buffer buf;
  remote::thrift::binary_writer w{buf};
  write(w, x);
  w.flush();
  return buf;
}

/// A T decoded from `bytes`, or the reader's error.
template<class T>
struct decoded {
  std::optional<T> value;
  remote::protocol_error error = remote::protocol_error::none;
};

template<class T>
decoded<T> decode(const remote::byte_buffer& bytes,
                  const remote::limits& lim = {}) {
  remote::thrift::binary_reader r{bytes, lim};
  T x;
  decoded<T> out;
  if (read(r, x) && r.remaining() == 0)
    out.value = std::move(x);
  out.error = r.error();
  return out;
}

} // namespace kitex::test
