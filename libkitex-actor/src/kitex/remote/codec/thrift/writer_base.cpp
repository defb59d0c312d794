#include "kitex/remote/codec/thrift/writer_base.hpp"

#include <algorithm>

namespace kitex::remote::thrift {

namespace {

constexpr size_t min_room = 256;

} // namespace

void writer_base::grow(size_t n) {
  auto used = size();
  auto want = std::max({used + n, used * 2, out_->capacity(), min_room});
  out_->resize(want);
  cur_ = out_->data() + used;
  end_ = out_->data() + out_->size();
}

} // namespace kitex::remote::thrift
