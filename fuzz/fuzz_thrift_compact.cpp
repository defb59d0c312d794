// Fuzz target: the Thrift Compact reader (compact_reader), as a message
// header with the struct after it and as one bare struct: skip() against the
// typed reads, and decode -> encode -> decode. See thrift_round_trip.hpp.

#include <cstddef>
#include <cstdint>

#include "kitex/remote/codec/thrift/compact_protocol.hpp"
#include "thrift_round_trip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kitex::remote::thrift;
  // Varints and field-id deltas have several encodings: the re-encoding may
  // be shorter than what was read.
  kitex::fuzz::check_protocol<compact_reader, compact_writer>({data, size},
                                                              false);
  return 0;
}
