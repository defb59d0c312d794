#pragma once

// Catch2 printers, so a failed CHECK shows "size_limit" rather than a raw
// byte (these enums have uint8_t underlying types).

#include <string>

#include <catch2/catch.hpp>

#include "kitex/remote/codec/protocol_error.hpp"
#include "kitex/remote/trans/detection/detect.hpp"
#include "kitex/remote/transport.hpp"

namespace Catch {

template<>
struct StringMaker<kitex::remote::protocol_error> {
  static std::string convert(kitex::remote::protocol_error e) {
    return kitex::remote::to_string(e);
  }
};

template<>
struct StringMaker<kitex::remote::detection::wire> {
  static std::string convert(kitex::remote::detection::wire w) {
    return kitex::remote::detection::to_string(w);
  }
};

template<>
struct StringMaker<kitex::remote::transport> {
  static std::string convert(kitex::remote::transport t) {
    return kitex::remote::to_string(t);
  }
};

template<>
struct StringMaker<kitex::remote::detection::split_result::status_t> {
  static std::string
  convert(kitex::remote::detection::split_result::status_t s) {
    switch (s) {
      case kitex::remote::detection::split_result::complete:
        return "complete";
      case kitex::remote::detection::split_result::need_more:
        return "need_more";
      case kitex::remote::detection::split_result::error:
        return "error";
    }
    return "?";
  }
};

} // namespace Catch
