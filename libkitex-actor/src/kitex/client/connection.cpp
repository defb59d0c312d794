#include "connection.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "../metainfo/headers.hpp"
#include "kitex/error.hpp"
#include "kitex/klog/klog.hpp"
#include "kitex/remote/codec/envelope.hpp"
#include "kitex/remote/codec/thrift/application_exception.hpp"
#include "kitex/remote/codec/ttheader/checksum.hpp"
#include "kitex/remote/codec/with_reader.hpp"
#include "kitex/remote/trans/tcp/tcp_connection.hpp"
#include "kitex/runtime/type_ids.hpp"

namespace kitex::client {

namespace {

using remote::byte_buffer;
using remote::envelope;
using remote::thrift::message_type;

struct pending_call {
  caf::response_promise rp;
  uint32_t method = 0;
  /// The args' metainfo: backward values of the reply land here.
  std::shared_ptr<metainfo::call_meta> meta;
};

struct client_connection_state {
  static inline const char* name = "kitex.client_connection";

  caf::event_based_actor* self = nullptr;
  std::shared_ptr<remote::tcp_connection> conn;
  std::shared_ptr<const serviceinfo::service_info> info;
  std::shared_ptr<const client_options> opts;
  caf::weak_actor_ptr owner;
  std::unordered_map<int32_t, pending_call> pending;
  int32_t next_seq = 0;
  bool connected = false;
  bool retired = false;
  // RPC-timeout deadlines in call order (one timeout per client, so sorted).
  // A sweep replaces a delayed message per call: CAF 0.17 keeps every
  // scheduled message in its clock until it fires.
  std::deque<std::pair<std::chrono::steady_clock::time_point, int32_t>>
    deadlines;
  bool sweep_armed = false;

  int32_t new_seq() {
    // Kitex: positive, never 0 (0 is the mux control frame).
    do {
      next_seq = next_seq == INT32_MAX ? 1 : next_seq + 1;
    } while (pending.count(next_seq) > 0);
    return next_seq;
  }

  caf::response_promise send_call(uint32_t idx, caf::message& args);
  void request_header(const serviceinfo::method_info& m,
                      const metainfo::call_meta* meta,
                      remote::ttheader::header& hdr) const;
  void track_deadline(int32_t seq);
  void drop_answered_deadlines();
  std::chrono::milliseconds sweep_interval() const;
  void sweep();
  void on_frame(remote::byte_span frame, remote::detection::wire w);
  void on_reply(envelope& env, pending_call& call);
  void retire();
  void fail_all(const caf::error& e);
};

/// A non-zero biz-status header as the caller's error (Kitex returns the
/// BizStatusError from Call when there is no other error).
std::optional<caf::error> biz_status_of(const remote::ttheader::header& h) {
  namespace tth = remote::ttheader;
  auto status = h.find(tth::key_biz_status);
  if (status == nullptr)
    return std::nullopt;
  int32_t code = 0;
  auto [end, ec]
    = std::from_chars(status->data(), status->data() + status->size(), code);
  if (ec != std::errc{} || end != status->data() + status->size())
    return make_error(errc::protocol_error, "bad biz-status " + *status);
  if (code == 0)
    return std::nullopt;
  std::string message;
  if (auto v = h.find(tth::key_biz_message))
    message = *v;
  std::map<std::string, std::string> extra;
  if (auto v = h.find(tth::key_biz_extra); v && !decode_biz_extra(*v, extra))
    return make_error(errc::protocol_error, "bad biz-extra " + *v);
  return make_biz_error(code, std::move(message), extra);
}

caf::response_promise client_connection_state::send_call(uint32_t idx,
                                                         caf::message& args) {
  auto rp = self->make_response_promise();
  if (idx >= info->methods.size()) {
    rp.deliver(make_error(errc::internal_exception, "bad method index"));
    return rp;
  }
  auto& m = info->methods[idx];
  auto seq = new_seq();
  byte_buffer buf;
  buf.reserve(256);
  remote::frame_encoder enc{buf};
  auto meta = m.meta_of(args.content());
  remote::ttheader::header hdr;
  if (opts->mux)
    hdr.flags = remote::ttheader::flag_out_of_order;
  if (remote::has_headers(opts->transport))
    request_header(m, meta.get(), hdr);
  enc.begin(opts->transport, opts->protocol, &hdr, m.name,
            m.oneway ? message_type::oneway : message_type::call, seq);
  m.write_args(enc, args.content());
  enc.finish();
  conn->post_write(std::move(buf));
  if (m.oneway) {
    rp.deliver(caf::unit);
    return rp;
  }
  pending.emplace(seq, pending_call{rp, idx, std::move(meta)});
  if (opts->rpc_timeout.count() > 0)
    track_deadline(seq);
  return rp;
}

/// The headers of a request: the IDL service name, metainfo and, with
/// ttheader_meta, the integer keys of Kitex's ClientTTHeaderHandler.
void client_connection_state::request_header(
  const serviceinfo::method_info& m, const metainfo::call_meta* meta,
  remote::ttheader::header& hdr) const {
  namespace tth = remote::ttheader;
  hdr.str_kv.emplace_back(tth::key_idl_service_name, info->name);
  if (opts->ttheader_meta) {
    if (!opts->from_service.empty())
      hdr.int_kv.emplace_back(tth::from_service, opts->from_service);
    if (meta != nullptr && !meta->from_method.empty())
      hdr.int_kv.emplace_back(tth::from_method, meta->from_method);
    hdr.int_kv.emplace_back(tth::to_service, opts->dest_service);
    hdr.int_kv.emplace_back(tth::to_method, m.name);
    auto type = m.oneway ? message_type::oneway : message_type::call;
    hdr.int_kv.emplace_back(tth::msg_type,
                            std::to_string(static_cast<int>(type)));
    hdr.int_kv.emplace_back(
      tth::transport_type, opts->transport == remote::transport::ttheader_framed
                             ? "framed"
                             : "unframed");
    if (opts->rpc_timeout.count() > 0)
      hdr.int_kv.emplace_back(tth::rpc_timeout,
                              std::to_string(opts->rpc_timeout.count()));
    hdr.int_kv.emplace_back(tth::connect_timeout,
                            std::to_string(opts->connect_timeout.count()));
  }
  if (meta != nullptr)
    metainfo::write_request(*meta, hdr);
  if (opts->payload_checksum && remote::is_ttheader(opts->transport))
    hdr.str_kv.emplace_back(tth::key_crc32c, tth::crc32c_placeholder);
}

void client_connection_state::track_deadline(int32_t seq) {
  deadlines.emplace_back(std::chrono::steady_clock::now() + opts->rpc_timeout,
                         seq);
  if (!sweep_armed) {
    sweep_armed = true;
    self->delayed_send(self, sweep_interval(), timeout_atom_v);
  }
}

void client_connection_state::drop_answered_deadlines() {
  while (!deadlines.empty() && pending.count(deadlines.front().second) == 0)
    deadlines.pop_front();
}

std::chrono::milliseconds client_connection_state::sweep_interval() const {
  return std::clamp(opts->rpc_timeout / 8, std::chrono::milliseconds{1},
                    std::chrono::milliseconds{50});
}

void client_connection_state::sweep() {
  sweep_armed = false;
  auto now = std::chrono::steady_clock::now();
  while (!deadlines.empty() && deadlines.front().first <= now) {
    auto seq = deadlines.front().second;
    deadlines.pop_front();
    auto i = pending.find(seq);
    if (i == pending.end())
      continue;
    i->second.rp.deliver(
      make_error(errc::rpc_timeout,
                 "rpc timeout " + std::to_string(opts->rpc_timeout.count())
                   + " ms, to " + conn->peer()));
    pending.erase(i);
  }
  drop_answered_deadlines();
  if (!deadlines.empty()) {
    sweep_armed = true;
    self->delayed_send(self, sweep_interval(), timeout_atom_v);
  }
}

void client_connection_state::on_frame(remote::byte_span frame,
                                       remote::detection::wire w) {
  envelope env;
  auto err = remote::decode_envelope(w, frame, opts->limits, env);
  if (err != remote::protocol_error::none) {
    auto text = std::string{"bad reply: "} + remote::to_string(err);
    klog::warn("{}: {}", conn->peer(), text);
    fail_all(make_error(errc::protocol_error, text));
    self->quit();
    return;
  }
  if (!remote::payload_checksum_ok(env)) {
    auto text = std::string{"bad reply: payload checksum (crc32c) mismatch"};
    klog::warn("{}: {}", conn->peer(), text);
    fail_all(make_error(errc::protocol_error, text));
    self->quit();
    return;
  }
  if (env.header.find(remote::ttheader::key_conn_reset))
    retire();
  auto i = pending.find(env.msg.seq_id);
  if (i == pending.end()) {
    // A reply after its call timed out, or a seq id we never sent.
    klog::debug("{}: reply for unknown seq id {}", conn->peer(),
                env.msg.seq_id);
    return;
  }
  auto call = std::move(i->second);
  pending.erase(i);
  drop_answered_deadlines();
  on_reply(env, call);
}

void client_connection_state::on_reply(envelope& env, pending_call& call) {
  auto& m = info->methods[call.method];
  if (env.msg.type == message_type::exception) {
    remote::thrift::application_exception ex;
    auto ok
      = remote::with_reader(env.proto, env.body, opts->limits, [&](auto& r) {
          return read_application_exception(r, ex);
        });
    if (!ok) {
      call.rp.deliver(make_error(errc::protocol_error, "bad exception"));
      return;
    }
    call.rp.deliver(
      make_remote_exception(static_cast<int32_t>(ex.type), ex.message));
    return;
  }
  if (env.msg.type != message_type::reply || env.msg.name != m.name) {
    call.rp.deliver(
      make_error(errc::protocol_error, "unexpected reply to " + m.name));
    return;
  }
  if (call.meta)
    metainfo::read_reply(env.header, *call.meta);
  if (auto biz = biz_status_of(env.header)) {
    call.rp.deliver(std::move(*biz));
    return;
  }
  m.deliver_result(env.proto, env.body, opts->limits, call.rp);
}

void client_connection_state::retire() {
  if (retired)
    return;
  retired = true;
  if (auto p = owner.lock())
    caf::anon_send(caf::actor_cast<caf::actor>(p), retire_atom_v,
                   caf::actor_cast<caf::actor>(self));
}

void client_connection_state::fail_all(const caf::error& e) {
  for (auto& kv : pending)
    kv.second.rp.deliver(e);
  pending.clear();
}

caf::behavior
client_connection_impl(caf::stateful_actor<client_connection_state>* self,
                       std::shared_ptr<remote::tcp_connection> conn,
                       std::shared_ptr<const serviceinfo::service_info> info,
                       std::shared_ptr<const client_options> opts,
                       caf::weak_actor_ptr owner) {
  auto& st = self->state;
  st.self = self;
  st.conn = std::move(conn);
  st.info = std::move(info);
  st.opts = std::move(opts);
  st.owner = std::move(owner);
  self->attach_functor([c = st.conn] { c->post_close("client closed"); });
  return {
    [=](call_atom, uint32_t idx, caf::message& args) {
      return self->state.send_call(idx, args);
    },
    [=](remote::frame_batch& batch) {
      for (auto& f : batch.frames) {
        self->state.on_frame({batch.block->data() + f.offset, f.size}, f.wire);
        if (self->getf(caf::abstract_actor::is_terminated_flag))
          return;
      }
      auto& s = self->state;
      if (s.retired && s.pending.empty())
        self->quit();
    },
    [=](timeout_atom) { self->state.sweep(); },
    [=](connected_atom) { self->state.connected = true; },
    [=](closed_atom, std::string& reason) {
      auto& s = self->state;
      auto code = s.connected ? errc::remote_or_network : errc::get_connection;
      s.fail_all(make_error(code, reason));
      s.retire();
      self->quit();
    },
  };
}

} // namespace

caf::actor spawn_client_connection(
  runtime::runtime& rt, std::shared_ptr<const serviceinfo::service_info> info,
  std::shared_ptr<const client_options> opts, caf::weak_actor_ptr owner,
  std::string host, std::string port) {
  remote::connection_options co;
  co.lim = opts->limits;
  co.read_timeout = opts->read_write_timeout;
  co.connect_timeout = opts->connect_timeout;
  auto conn = std::make_shared<remote::tcp_connection>(rt.io_context(), co);
  rt.track_io_object(conn);
  auto a = rt.system().spawn(client_connection_impl, conn, std::move(info),
                             std::move(opts), std::move(owner));
  auto hdl = caf::actor_cast<caf::actor>(a);
  conn->set_handlers(
    [hdl](remote::frame_batch&& b) { caf::anon_send(hdl, std::move(b)); },
    [hdl](std::string reason) {
      caf::anon_send(hdl, closed_atom_v, std::move(reason));
    },
    [hdl] { caf::anon_send(hdl, connected_atom_v); });
  conn->connect(std::move(host), std::move(port));
  return hdl;
}

} // namespace kitex::client
