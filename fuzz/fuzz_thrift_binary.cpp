// Fuzz target: the Thrift Binary reader (binary_reader), as a message header
// with the struct after it and as one bare struct: skip() against the typed
// reads, and decode -> encode -> decode. See thrift_round_trip.hpp.

#include <cstddef>
#include <cstdint>

#include "kitex/remote/codec/thrift/binary_protocol.hpp"
#include "thrift_round_trip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kitex::remote::thrift;
  // Binary has one encoding size per value: the re-encoding is as long.
  kitex::fuzz::check_protocol<binary_reader, binary_writer>({data, size}, true);
  return 0;
}
