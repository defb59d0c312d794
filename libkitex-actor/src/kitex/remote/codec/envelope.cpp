#include "kitex/remote/codec/envelope.hpp"

#include <optional>

#include "kitex/remote/codec/ttheader/checksum.hpp"

namespace kitex::remote {

namespace {

using thrift::strict_version_1;
using thrift::version_mask;

constexpr uint32_t protobuf_version_1 = 0x90010000;

bool has_version(byte_span in, size_t at, uint32_t version) {
  return in.size() >= at + 4
         && (get_u32(in.data() + at) & version_mask) == version;
}

/// The protocol of a Thrift message starting at `at`, if it is one.
std::optional<protocol> message_at(byte_span in, size_t at) {
  if (has_version(in, at, strict_version_1))
    return protocol::binary;
  if (in.size() >= at + 2 && thrift::is_compact_start(in[at], in[at + 1]))
    return protocol::compact;
  return std::nullopt;
}

/// Sniffs the TTHeader payload as Kitex's checkPayload does: a message at
/// byte 0 is unframed, a message at byte 4 is framed (and its length must
/// match). Kitex refuses Compact; we accept it whatever the protocol id.
protocol_error split_ttheader_payload(byte_span payload, envelope& out,
                                      byte_span& msg) {
  if (auto p = message_at(payload, 0)) {
    out.tp = transport::ttheader;
    out.proto = *p;
    msg = payload;
    return protocol_error::none;
  }
  if (auto p = message_at(payload, 4)) {
    if (uint64_t{get_u32(payload.data())} + 4 != payload.size())
      return protocol_error::invalid_data;
    out.tp = transport::ttheader_framed;
    out.proto = *p;
    msg = payload.subspan(4);
    return protocol_error::none;
  }
  if (has_version(payload, 4, protobuf_version_1)
      || out.header.protocol_id == ttheader::protocol_kitex_protobuf)
    return protocol_error::not_implemented;
  return protocol_error::invalid_data;
}

/// Apache THeader: the payload is one unframed message in the protocol the
/// header names. Its flags, seq id and KV headers are kept in the envelope's
/// header, where routing (`isn`) and `crrst` look for them.
protocol_error split_theader(byte_span frame, const limits& lim, envelope& out,
                             byte_span& msg) {
  theader::header th;
  auto res = theader::decode(frame, lim, th);
  if (res.error != protocol_error::none)
    return res.error;
  out.tp = transport::theader;
  msg = frame.subspan(res.payload_offset);
  auto p = message_at(msg, 0);
  auto named = th.protocol_id == theader::protocol_compact ? protocol::compact
                                                           : protocol::binary;
  if (!p || *p != named)
    return protocol_error::invalid_data;
  out.proto = *p;
  out.header.flags = th.flags;
  out.header.seq_id = th.seq_id;
  out.header.protocol_id = th.protocol_id;
  out.header.str_kv = std::move(th.kv);
  return protocol_error::none;
}

protocol_error split_envelope(detection::wire w, byte_span frame,
                              const limits& lim, envelope& out,
                              byte_span& msg) {
  using detection::wire;
  switch (w) {
    case wire::ttheader: {
      auto res = ttheader::decode(frame, lim, out.header);
      if (res.error != protocol_error::none)
        return res.error;
      out.payload = frame.subspan(res.payload_offset);
      return split_ttheader_payload(out.payload, out, msg);
    }
    case wire::theader:
      return split_theader(frame, lim, out, msg);
    case wire::framed: {
      out.tp = transport::framed;
      if (frame.size() < 4
          || uint64_t{get_u32(frame.data())} + 4 != frame.size())
        return protocol_error::invalid_data;
      auto p = message_at(frame, 4);
      if (!p)
        return protocol_error::invalid_data;
      out.proto = *p;
      msg = frame.subspan(4);
      return protocol_error::none;
    }
    case wire::buffered: {
      out.tp = transport::buffered;
      auto p = message_at(frame, 0);
      if (!p)
        return protocol_error::invalid_data;
      out.proto = *p;
      msg = frame;
      return protocol_error::none;
    }
    case wire::http2:
      return protocol_error::not_implemented;
    default:
      return protocol_error::invalid_data;
  }
}

template<class Reader>
protocol_error read_message(byte_span msg, const limits& lim, envelope& out) {
  Reader r{msg, lim};
  if (!r.read_message_begin(out.msg)) {
    // The frame is complete, so running out of bytes is malformed input.
    auto err = r.error();
    return err == protocol_error::truncated ? protocol_error::invalid_data
                                            : err;
  }
  out.body = msg.subspan(r.position());
  return protocol_error::none;
}

} // namespace

protocol_error decode_envelope(detection::wire w, byte_span frame,
                               const limits& lim, envelope& out) {
  // A stale header from a previous frame must not survive a plain frame.
  out.header = ttheader::header{};
  out.msg = thrift::message_header{};
  out.body = byte_span{};
  out.payload = byte_span{};
  out.proto = protocol::binary;
  byte_span msg;
  if (auto err = split_envelope(w, frame, lim, out, msg);
      err != protocol_error::none)
    return err;
  if (out.proto == protocol::compact)
    return read_message<thrift::compact_reader>(msg, lim, out);
  return read_message<thrift::binary_reader>(msg, lim, out);
}

bool payload_checksum_ok(const envelope& env) {
  if (!is_ttheader(env.tp))
    return true;
  auto v = env.header.find(ttheader::key_crc32c);
  return v == nullptr || v->empty() || *v == ttheader::crc32c_hex(env.payload);
}

void frame_encoder::begin(transport tp, protocol proto,
                          const ttheader::header* hdr, std::string_view name,
                          thrift::message_type type, int32_t seq_id) {
  tp_ = tp;
  proto_ = proto;
  checksum_ = is_ttheader(tp) && hdr != nullptr
              && hdr->find(ttheader::key_crc32c) != nullptr;
  compact_.flush();
  binary_.flush(); // the headers go straight into the buffer
  start_ = out_->size();
  inner_start_ = start_;
  if (is_ttheader(tp)) {
    ttheader::header empty; // no allocation: empty containers
    ttheader::begin_frame(*out_, hdr != nullptr ? *hdr : empty);
    // Patched in place rather than copying the header with its strings.
    patch_u32(*out_, start_ + 8, static_cast<uint32_t>(seq_id));
    (*out_)[start_ + ttheader::fixed_size]
      = proto == protocol::compact ? ttheader::protocol_thrift_compact
                                   : ttheader::protocol_thrift_binary;
    inner_start_ = out_->size();
  } else if (tp == transport::theader) {
    theader::header th;
    th.seq_id = seq_id;
    th.protocol_id = proto == protocol::compact ? theader::protocol_compact
                                                : theader::protocol_binary;
    if (hdr != nullptr) {
      th.flags = hdr->flags;
      th.kv = hdr->str_kv;
    }
    theader::begin_frame(*out_, th);
  }
  if (tp == transport::framed || tp == transport::ttheader_framed)
    put_u32(*out_, 0); // patched by finish()
  write_body([&](auto& w) { w.write_message_begin(name, type, seq_id); });
}

void frame_encoder::finish() {
  binary_.flush();
  compact_.flush();
  if (tp_ == transport::framed || tp_ == transport::ttheader_framed) {
    auto length = out_->size() - inner_start_ - 4;
    patch_u32(*out_, inner_start_, static_cast<uint32_t>(length));
  }
  if (is_ttheader(tp_))
    ttheader::finish_frame(*out_, start_);
  if (checksum_)
    ttheader::patch_crc32c(*out_, start_);
  if (tp_ == transport::theader)
    theader::finish_frame(*out_, start_);
}

} // namespace kitex::remote
