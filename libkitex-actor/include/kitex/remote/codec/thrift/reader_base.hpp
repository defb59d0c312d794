#pragma once

// What every Thrift protocol reader shares: the input span, the limits, the
// first error, the nesting depth, and the reads built on the protocol's own
// read_string_view. Readers derive from it (CRTP: `Derived` is the reader);
// the members stay inline so per-field reads compile to straight-line code.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "kitex/remote/byte_buffer.hpp"
#include "kitex/remote/codec/protocol_error.hpp"
#include "kitex/remote/limits.hpp"

namespace kitex::remote::thrift {

template<class Derived>
class reader_base {
public:
  size_t position() const noexcept {
    return static_cast<size_t>(pos_ - begin_);
  }

  size_t remaining() const noexcept {
    return static_cast<size_t>(end_ - pos_);
  }

  protocol_error error() const noexcept {
    return err_;
  }

  /// Records the first error and returns false.
  bool fail(protocol_error e) noexcept {
    if (err_ == protocol_error::none)
      err_ = e;
    return false;
  }

  [[nodiscard]] bool read_string(std::string& x) {
    std::string_view v;
    if (!static_cast<Derived*>(this)->read_string_view(v))
      return false;
    x.assign(v.data(), v.size());
    return true;
  }

  [[nodiscard]] bool read_binary(std::string& x) {
    return read_string(x);
  }

  [[nodiscard]] bool read_uuid(uint8_t (&x)[16]) {
    if (!need(16))
      return false;
    std::memcpy(x, pos_, 16);
    pos_ += 16;
    return true;
  }

protected:
  reader_base(byte_span in, const limits& lim)
    : pos_(in.data()), begin_(in.data()), end_(in.data() + in.size()),
      limits_(&lim) {}

  bool need(size_t n) {
    if (static_cast<size_t>(end_ - pos_) < n)
      return fail(protocol_error::truncated);
    return true;
  }

  /// Counts one nesting level; fails past the depth limit (the level stays
  /// counted, so the caller's leave() balances it either way).
  bool enter_level() {
    if (++depth_ > limits_->max_depth)
      return fail(protocol_error::depth_limit);
    return true;
  }

  const uint8_t* pos_;
  const uint8_t* begin_;
  const uint8_t* end_;
  const limits* limits_;
  uint32_t depth_ = 0;
  protocol_error err_ = protocol_error::none;
};

} // namespace kitex::remote::thrift
