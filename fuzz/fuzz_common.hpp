#pragma once

// What the fuzz targets share: an invariant check that aborts (libFuzzer
// reports the abort with a stack trace and saves the input), the limit
// profiles every decoder runs under, a comparison of TTHeader headers, and
// the metainfo read from them.

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "kitex/metainfo/headers.hpp"
#include "kitex/metainfo/metainfo.hpp"
#include "kitex/remote/byte_buffer.hpp"
#include "kitex/remote/codec/ttheader/ttheader.hpp"
#include "kitex/remote/limits.hpp"

/// Aborts with the failed condition when an invariant does not hold.
#define FUZZ_CHECK(cond)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,          \
                   __LINE__, #cond);                                           \
      std::abort();                                                            \
    }                                                                          \
  } while (false)

namespace kitex::fuzz {

/// Small enough that inputs of a few hundred bytes reach every limit check.
inline remote::limits small_limits() {
  remote::limits lim;
  lim.max_frame_size = 1024;
  lim.max_header_size = 128;
  lim.max_string_size = 64;
  lim.max_container_size = 16;
  lim.max_depth = 6;
  return lim;
}

/// The defaults a server runs with.
inline remote::limits default_limits() {
  return remote::limits{};
}

/// The defaults, but nesting deeper than the 64 levels the Compact reader
/// tracks without allocating.
inline remote::limits deep_limits() {
  remote::limits lim;
  lim.max_depth = 128;
  return lim;
}

inline remote::byte_span as_span(const remote::byte_buffer& buf) {
  return remote::byte_span{buf.data(), buf.size()};
}

/// True if `inner` lies within `outer` (an empty span may sit at its end).
inline bool contains(remote::byte_span outer, const void* data, size_t size) {
  auto* p = static_cast<const uint8_t*>(data);
  return p >= outer.data() && p <= outer.data() + outer.size()
         && size <= static_cast<size_t>(outer.data() + outer.size() - p);
}

inline bool same_header(const remote::ttheader::header& a,
                        const remote::ttheader::header& b) {
  return a.flags == b.flags && a.seq_id == b.seq_id
         && a.protocol_id == b.protocol_id && a.int_kv == b.int_kv
         && a.str_kv == b.str_kv && a.acl_token == b.acl_token;
}

/// What a server (read_request) and a client (read_reply) take from the
/// headers of a call: metainfo, the caller's timeout, service and method.
inline void read_metainfo(const remote::ttheader::header& h) {
  auto meta = metainfo::read_request(h);
  FUZZ_CHECK(meta != nullptr);
  FUZZ_CHECK(meta->rpc_timeout.count() >= 0);
  if (auto* rip = h.find(remote::ttheader::key_remote_ip))
    FUZZ_CHECK(meta->remote_ip == *rip);
  metainfo::call_meta reply;
  metainfo::read_reply(h, reply);
}

} // namespace kitex::fuzz
