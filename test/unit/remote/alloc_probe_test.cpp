// Replaces the global operator new/delete of the remote_tests binary with
// counting versions (see alloc_probe.hpp).

#include "unit/remote/alloc_probe.hpp"

#include <cstdlib>
#include <new>
#include <vector>

#include <catch2/catch.hpp>

namespace {

thread_local std::size_t allocated = 0;

void* counted_malloc(std::size_t n) noexcept {
  allocated += n;
  return std::malloc(n == 0 ? 1 : n);
}

void* counted_new(std::size_t n) {
  if (auto p = counted_malloc(n))
    return p;
  throw std::bad_alloc{};
}

} // namespace

// The whole unaligned family is replaced, so every pointer is freed by the
// allocator that made it (sanitizers check the pairing). Aligned forms keep
// the library's own pair.
void* operator new(std::size_t n) {
  return counted_new(n);
}

void* operator new[](std::size_t n) {
  return counted_new(n);
}

void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return counted_malloc(n);
}

void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return counted_malloc(n);
}

void operator delete(void* p) noexcept {
  std::free(p);
}

void operator delete[](void* p) noexcept {
  std::free(p);
}

void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}

void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}

void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}

namespace kitex::test {

std::size_t allocated_bytes() noexcept {
  return allocated;
}

} // namespace kitex::test

TEST_CASE("alloc probe counts what operator new is asked for",
          "[alloc_probe]") {
  auto n = kitex::test::bytes_allocated_by([] {
    std::vector<char> v;
    v.reserve(12345);
  });
  CHECK(n == 12345);
}
