#pragma once

// Metainfo on the wire: call_meta to and from the string and integer headers
// of TTHeader (and THeader, whose KV headers the envelope keeps in the same
// header struct), as Kitex's MetainfoClientHandler / MetainfoServerHandler
// and the TTHeader meta handlers write and read them.

#include <memory>

#include "kitex/metainfo/metainfo.hpp"
#include "kitex/remote/codec/ttheader/ttheader.hpp"

namespace kitex::metainfo {

/// The ACL token block (info id 0x11) travels as this transient key, as
/// Kitex stores it (RPC_TRANSIT_gdpr-token).
constexpr std::string_view acl_token_key = "gdpr-token";

/// Server: the metadata of a request: transient and persistent values, the
/// ACL token, and the caller's RPC timeout, service and method.
std::shared_ptr<call_meta> read_request(const remote::ttheader::header& h);

/// Client: a request's transient and persistent values (and the ACL token).
void write_request(const call_meta& m, remote::ttheader::header& h);

/// Server: the backward values of a reply.
void write_reply(const call_meta& m, remote::ttheader::header& h);

/// Client: the backward values of a reply, into `m`.
void read_reply(const remote::ttheader::header& h, call_meta& m);

} // namespace kitex::metainfo
