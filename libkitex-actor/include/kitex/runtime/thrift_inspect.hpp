#pragma once

// inspect() of generated types. CAF 0.17's inspectors know neither
// std::optional nor Thrift's field rules, so a generated struct shows itself
// to CAF as one field: its own Thrift Binary encoding. A CAF serializer
// (remote actors, persistence) thus writes exactly the bytes Kitex would,
// a deserializer reads them back under the default remote::limits, and the
// stringification inspector never gets here because the generated
// to_string() is found first.
//
//   template <class Inspector>
//   typename Inspector::result_type inspect(Inspector& f, Request& x) {
//     return kitex::runtime::inspect_thrift(f, x, "echo.Request");
//   }

#include <string>

#include <caf/error.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/none.hpp>

#include "kitex/error.hpp"
#include "kitex/remote/byte_buffer.hpp"
#include "kitex/remote/codec/thrift/binary_protocol.hpp"
#include "kitex/remote/limits.hpp"

namespace kitex::runtime {

/// Decodes `bytes` (the Thrift Binary encoding of a T) into `x`.
template<class T>
caf::error load_thrift(const std::string& bytes, T& x) {
  remote::limits lim;
  remote::thrift::binary_reader r{
    remote::byte_span{reinterpret_cast<const uint8_t*>(bytes.data()),
                      bytes.size()},
    lim};
  T tmp;
  if (!read(r, tmp))
    return make_error(errc::protocol_error,
                      std::string{"cannot load a serialized Thrift struct: "}
                        + remote::to_string(r.error()));
  x = std::move(tmp);
  return caf::none;
}

/// Encodes `x` with Thrift Binary.
template<class T>
std::string save_thrift(const T& x) {
  remote::byte_buffer buf;
  remote::thrift::binary_writer w{buf};
  write(w, x);
  auto& out = w.buffer();
  return std::string{out.begin(), out.end()};
}

template<class Inspector, class T>
typename Inspector::result_type inspect_thrift(Inspector& f, T& x,
                                               const char* type_name) {
  if constexpr (Inspector::reads_state) {
    auto bytes = save_thrift(x);
    return f(caf::meta::type_name(type_name), bytes);
  } else {
    std::string bytes;
    auto load = caf::meta::load_callback(
      [&]() -> caf::error { return load_thrift(bytes, x); });
    return f(caf::meta::type_name(type_name), bytes, load);
  }
}

} // namespace kitex::runtime
