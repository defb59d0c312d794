#pragma once

// A log-linear latency histogram in nanoseconds, HDR style: values below
// 2048 ns get their own bucket, every octave above is split into 1024
// buckets (relative error < 0.1 %). Recording is an index computation and an
// increment; the maximum is kept exactly.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

namespace bench {

class histogram {
public:
  histogram() : counts_(bucket_count, 0) {}

  void record(int64_t ns) {
    auto v = static_cast<uint64_t>(std::max<int64_t>(ns, 0));
    v = std::min(v, max_value);
    ++counts_[index_of(v)];
    ++total_;
    sum_ += v;
    max_ = std::max(max_, v);
  }

  /// Adds every sample of `other` (same bucket layout).
  void merge(const histogram& other) {
    for (size_t i = 0; i < counts_.size(); ++i)
      counts_[i] += other.counts_[i];
    total_ += other.total_;
    sum_ += other.sum_;
    max_ = std::max(max_, other.max_);
  }

  void reset() {
    std::fill(counts_.begin(), counts_.end(), 0);
    total_ = sum_ = max_ = 0;
  }

  uint64_t count() const {
    return total_;
  }

  uint64_t max_ns() const {
    return max_;
  }

  double mean_ns() const {
    return total_ == 0
             ? 0.0
             : static_cast<double>(sum_) / static_cast<double>(total_);
  }

  /// The value at quantile q (0..1): the middle of the bucket holding the
  /// ceil(q * count)-th sample, never above the exact maximum.
  double quantile_ns(double q) const {
    if (total_ == 0)
      return 0.0;
    auto rank
      = static_cast<uint64_t>(std::ceil(q * static_cast<double>(total_)));
    rank = std::clamp<uint64_t>(rank, 1, total_);
    uint64_t seen = 0;
    for (size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= rank)
        return std::min<double>(middle_of(i), static_cast<double>(max_));
    }
    return static_cast<double>(max_);
  }

private:
  static constexpr unsigned sub_bits = 10;
  static constexpr uint64_t linear_limit = uint64_t{2} << sub_bits; // 2048
  static constexpr uint64_t max_value = (uint64_t{1} << 37) - 1;    // ~137 s
  static constexpr size_t bucket_count = (37 - sub_bits + 1) << sub_bits;

  static size_t index_of(uint64_t v) {
    if (v < linear_limit)
      return static_cast<size_t>(v);
    unsigned msb = 63 - std::countl_zero(v);
    unsigned shift = msb - sub_bits;
    auto sub = (v >> shift) & ((uint64_t{1} << sub_bits) - 1);
    return ((shift + 1) << sub_bits) + sub;
  }

  static double middle_of(size_t i) {
    if (i < linear_limit)
      return static_cast<double>(i);
    unsigned shift = static_cast<unsigned>(i >> sub_bits) - 1;
    uint64_t sub = i & ((uint64_t{1} << sub_bits) - 1);
    uint64_t low = ((uint64_t{1} << sub_bits) + sub) << shift;
    auto width = static_cast<double>(uint64_t{1} << shift);
    return static_cast<double>(low) + width / 2;
  }

  std::vector<uint64_t> counts_;
  uint64_t total_ = 0;
  uint64_t sum_ = 0;
  uint64_t max_ = 0;
};

} // namespace bench
