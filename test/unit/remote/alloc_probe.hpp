#pragma once

// Counts the bytes the current thread asks operator new for, so a test can
// assert that a declared size was rejected before anything was allocated.
// The replacement operators live in alloc_probe_test.cpp.

#include <cstddef>

namespace kitex::test {

/// Bytes requested from operator new on this thread since it started.
std::size_t allocated_bytes() noexcept;

/// Measures the bytes `f` allocates on this thread.
template<class F>
std::size_t bytes_allocated_by(F&& f) {
  auto before = allocated_bytes();
  f();
  return allocated_bytes() - before;
}

} // namespace kitex::test
