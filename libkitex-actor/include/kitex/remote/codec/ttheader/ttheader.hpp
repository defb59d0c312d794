#pragma once

// TTHeader (magic 0x1000) exactly as Kitex encodes it; see docs/protocols.md.
//
//   u32 LENGTH | u16 0x1000 | u16 FLAGS | i32 SEQ | u16 HEADER_SIZE/4 |
//   u8 PROTOCOL | u8 NUM_TRANSFORMS | INFO blocks | padding | payload
//
// INFO blocks: 0x01 string KV, 0x10 int KV, 0x11 ACL token; 0x00 padding.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kitex/remote/byte_buffer.hpp"
#include "kitex/remote/codec/protocol_error.hpp"
#include "kitex/remote/limits.hpp"

namespace kitex::remote::ttheader {

constexpr uint16_t magic = 0x1000;
constexpr size_t fixed_size = 14; // LENGTH .. HEADER_SIZE

// FLAGS.
constexpr uint16_t flag_out_of_order = 0x01;
constexpr uint16_t flag_streaming = 0x02;

// PROTOCOL ID.
constexpr uint8_t protocol_thrift_binary = 0x00;
constexpr uint8_t protocol_thrift_compact = 0x02;
constexpr uint8_t protocol_thrift_compact_v2 = 0x03;
constexpr uint8_t protocol_kitex_protobuf = 0x04;

// INFO ids.
constexpr uint8_t info_padding = 0x00;
constexpr uint8_t info_key_value = 0x01;
constexpr uint8_t info_int_key_value = 0x10;
constexpr uint8_t info_acl_token = 0x11;

// Integer keys (gopkg ttheader/metakey.go).
enum int_key : uint16_t {
  transport_type = 1,
  log_id = 2,
  from_service = 3,
  from_cluster = 4,
  from_idc = 5,
  to_service = 6,
  to_cluster = 7,
  to_idc = 8,
  to_method = 9,
  env = 10,
  dest_address = 11,
  rpc_timeout = 12,
  read_timeout = 13,
  ring_hash_key = 14,
  ddp_tag = 15,
  with_mesh_header = 16,
  connect_timeout = 17,
  span_context = 18,
  short_connection = 19,
  from_method = 20,
  stress_tag = 21,
  msg_type = 22,
};

// Well-known string keys.
constexpr std::string_view key_idl_service_name = "isn";
constexpr std::string_view key_remote_ip = "rip";
constexpr std::string_view key_conn_reset = "crrst";
constexpr std::string_view key_biz_status = "biz-status";
constexpr std::string_view key_biz_message = "biz-message";
constexpr std::string_view key_biz_extra = "biz-extra";
constexpr std::string_view key_crc32c = "crc32c";

struct header {
  uint16_t flags = 0;
  int32_t seq_id = 0;
  uint8_t protocol_id = protocol_thrift_binary;
  std::vector<std::pair<uint16_t, std::string>> int_kv;
  std::vector<std::pair<std::string, std::string>> str_kv;
  std::optional<std::string> acl_token;

  /// Returns the value of a string key, if present.
  const std::string* find(std::string_view key) const;
  /// Returns the value of an integer key, if present.
  const std::string* find(uint16_t key) const;
};

/// Appends LENGTH (placeholder) up to the padding; returns the offset of the
/// frame start, to be passed to finish_frame() once the payload is appended.
size_t begin_frame(byte_buffer& out, const header& h);

/// Patches LENGTH for the frame that begins at `start`.
void finish_frame(byte_buffer& out, size_t start);

struct decode_result {
  protocol_error error = protocol_error::none;
  /// Offset of the payload within the frame (valid if no error).
  size_t payload_offset = 0;
};

/// Decodes a complete TTHeader frame (starting at LENGTH) into `h`. Checks
/// magic, header size bounds (2 <= HS*4 <= min(limit, frame)), every info
/// block against the header end, and rejects unknown protocol ids and info
/// ids.
decode_result decode(byte_span frame, const limits& lim, header& h);

} // namespace kitex::remote::ttheader
