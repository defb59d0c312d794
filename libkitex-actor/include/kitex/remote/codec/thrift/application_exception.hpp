#pragma once

// TApplicationException as Kitex and Apache Thrift put it on the wire:
// struct { 1: string message, 2: i32 type }, with Kitex's type ids.

#include <cstdint>
#include <string>

#include "kitex/remote/codec/thrift/binary_protocol.hpp"

namespace kitex::remote::thrift {

enum class exception_type : int32_t {
  unknown = 0,
  unknown_method = 1,
  invalid_message_type = 2,
  wrong_method_name = 3,
  bad_sequence_id = 4,
  missing_result = 5,
  internal_error = 6,
  protocol_error = 7,
  invalid_transform = 8,
  invalid_protocol = 9,
  unsupported_client_type = 10,
  // Kitex-specific.
  unknown_service = 20,
  no_service_name = 21,
};

struct application_exception {
  std::string message;
  exception_type type = exception_type::unknown;
};

/// Writes the exception struct (fields and stop, no message header).
void write_application_exception(binary_writer& w,
                                 const application_exception& x);

/// Reads the exception struct; unknown fields are skipped.
[[nodiscard]] bool read_application_exception(binary_reader& r,
                                              application_exception& x);

} // namespace kitex::remote::thrift
