#include "connection.hpp"

#include <algorithm>
#include <functional>
#include <queue>
#include <string>
#include <unordered_map>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "../metainfo/headers.hpp"
#include "kitex/error.hpp"
#include "kitex/klog/klog.hpp"
#include "kitex/metainfo/metainfo.hpp"
#include "kitex/remote/codec/envelope.hpp"
#include "kitex/remote/codec/thrift/application_exception.hpp"
#include "kitex/remote/codec/ttheader/checksum.hpp"
#include "kitex/runtime/type_ids.hpp"
#include "kitex/server/call_context.hpp"

namespace kitex::server {

namespace {

using remote::byte_buffer;
using remote::envelope;
using remote::protocol;
using remote::transport;
using remote::thrift::application_exception;
using remote::thrift::exception_type;
using remote::thrift::message_type;

constexpr auto drain_grace = std::chrono::milliseconds{100};

// Calls for a service with no running worker (it is restarting) wait for one
// instead of failing: the way Kitex users expect a panic to affect only the
// call that panicked.
constexpr auto hold_retry = std::chrono::milliseconds{2};
constexpr auto max_hold_time = std::chrono::milliseconds{5000};
constexpr size_t max_held_calls = 1024;

using retry_atom = caf::atom_constant<caf::atom("kretry")>;
using sweep_atom = caf::atom_constant<caf::atom("ksweep")>;

using clock_type = std::chrono::steady_clock;

/// A frame of a read, kept alive by its shared block.
struct frame_slot {
  remote::shared_bytes block;
  remote::frame_batch::item item;
  clock_type::time_point since;

  remote::byte_span bytes() const {
    return {block->data() + item.offset, item.size};
  }
};

/// Maps a framework error from a worker to the exception a client sees.
application_exception to_exception(const serviceinfo::method_info& m,
                                   const caf::error& e) {
  application_exception ex;
  ex.type = exception_type::internal_error;
  if (auto c = code_of(e)) {
    std::string text;
    if (e.context().match_element<std::string>(0))
      text = e.context().get_as<std::string>(0);
    if (*c == errc::panic)
      ex.message = "[happened in biz handler, method=" + m.name + "] " + text;
    else
      ex.message = "biz error: " + render_error(e);
  } else if (e == caf::sec::request_timeout) {
    ex.message = "handler of method " + m.name + " timed out";
  } else if (e == caf::sec::request_receiver_down || !e) {
    ex.message = "worker of method " + m.name + " went down";
  } else {
    ex.message = "biz error: " + render_error(e);
  }
  return ex;
}

/// A two-way call awaiting its worker's reply, with its frame so a call whose
/// worker died before reading it can be dispatched again.
struct awaiting_call {
  reply_token tok;
  frame_slot frame;
  /// The call's metainfo (null on Framed and Buffered): the handler's
  /// backward values go into the reply's headers.
  std::shared_ptr<metainfo::call_meta> meta;
};

using deadline_entry = std::pair<clock_type::time_point, uint64_t>;

/// Min-heap of handler deadlines (they differ once callers' RPC timeouts
/// count).
using deadline_heap
  = std::priority_queue<deadline_entry, std::vector<deadline_entry>,
                        std::greater<>>;

/// The body of a Reply whose result has no field set (a business status, the
/// mux control frame's empty ControlFrame).
constexpr auto write_empty_struct = [](auto& w) {
  w.write_struct_begin();
  w.write_field_stop();
  w.write_struct_end();
};

struct worker_cache {
  uint64_t version = ~uint64_t{0};
  runtime::child_handles::snapshot_type handles;
};

} // namespace

struct server_connection_state : reply_sink {
  static inline const char* name = "kitex.server_connection";

  caf::event_based_actor* self = nullptr;
  std::shared_ptr<remote::tcp_connection> conn;
  std::shared_ptr<server_context> ctx;
  uint64_t id = 0;
  std::vector<worker_cache> workers;
  uint32_t rr = 0;
  int64_t inflight = 0;
  bool draining = false;
  /// The client set TTHeader's out-of-order flag (a Kitex mux connection):
  /// a graceful stop tells it at once with a control frame.
  bool mux = false;
  uint64_t activity = 0;
  std::vector<frame_slot> held;
  bool retry_armed = false;
  // Calls awaiting a worker's reply, and their handler-timeout deadlines.
  std::unordered_map<uint64_t, awaiting_call> awaiting;
  deadline_heap deadlines;
  uint64_t next_call_id = 0;
  bool sweep_armed = false;

  ~server_connection_state() override {
    // Calls this connection can no longer answer stop counting as in
    // flight (CAF destroys the state when the actor exits).
    if (ctx && inflight > 0)
      ctx->inflight.fetch_sub(inflight, std::memory_order_relaxed);
  }

  /// Registers a two-way call for the handler-timeout sweep.
  uint64_t track(const reply_token& tok, const frame_slot& frame,
                 std::shared_ptr<metainfo::call_meta> meta) {
    auto id = ++next_call_id;
    auto timeout = ctx->opts.handler_timeout;
    if (ctx->opts.context_timeout && meta && meta->rpc_timeout.count() > 0)
      timeout = std::min(timeout, meta->rpc_timeout);
    auto& stored
      = awaiting.emplace(id, awaiting_call{tok, frame, std::move(meta)})
          .first->second;
    stored.tok.call_id = id;
    deadlines.emplace(clock_type::now() + timeout, id);
    if (!sweep_armed) {
      sweep_armed = true;
      self->delayed_send(self, sweep_interval(), sweep_atom::value);
    }
    return id;
  }

  /// False if the call already ended (timed out): drop the late reply.
  bool finish(const reply_token& tok) {
    if (tok.call_id == 0)
      return true;
    if (awaiting.erase(tok.call_id) == 0)
      return false;
    // Calls mostly finish in deadline order: drop answered entries at the
    // top so the heap holds about the calls still open.
    while (!deadlines.empty() && awaiting.count(deadlines.top().second) == 0)
      deadlines.pop();
    return true;
  }

  std::chrono::milliseconds sweep_interval() const {
    auto t = ctx->opts.handler_timeout / 4;
    return std::clamp(t, std::chrono::milliseconds{1},
                      std::chrono::milliseconds{1000});
  }

  void sweep() {
    sweep_armed = false;
    auto now = clock_type::now();
    while (!deadlines.empty() && deadlines.top().first <= now) {
      auto id = deadlines.top().second;
      deadlines.pop();
      auto i = awaiting.find(id);
      if (i == awaiting.end())
        continue;
      auto tok = i->second.tok;
      fail(tok, caf::sec::request_timeout);
    }
    if (!deadlines.empty()) {
      sweep_armed = true;
      self->delayed_send(self, sweep_interval(), sweep_atom::value);
    }
  }

  /// The metainfo of an open call, or null.
  std::shared_ptr<metainfo::call_meta> meta_of(const reply_token& tok) const {
    auto i = awaiting.find(tok.call_id);
    return i == awaiting.end() ? nullptr : i->second.meta;
  }

  /// Ends an open call: its reply header, with the handler's backward
  /// values, in `hdr`. False if the call already ended (timed out).
  bool take(const reply_token& tok, remote::ttheader::header& hdr) {
    auto meta = meta_of(tok);
    if (!finish(tok))
      return false;
    hdr = reply_header(tok);
    if (meta)
      metainfo::write_reply(*meta, hdr);
    return true;
  }

  /// Encodes one frame, its struct written by `body(writer)`, and posts it.
  template<class Body>
  void post_frame(transport tp, protocol proto,
                  const remote::ttheader::header& hdr, std::string_view method,
                  message_type type, int32_t seq, Body&& body) {
    byte_buffer buf;
    buf.reserve(256);
    remote::frame_encoder enc{buf};
    enc.begin(tp, proto, &hdr, method, type, seq);
    enc.write_body(body);
    enc.finish();
    conn->post_write(std::move(buf));
  }

  void reply(const reply_token& tok, body_writer body) override {
    remote::ttheader::header hdr;
    if (!take(tok, hdr))
      return;
    post_frame(static_cast<transport>(tok.transport),
               static_cast<protocol>(tok.protocol), hdr, tok.method->name,
               message_type::reply, tok.seq_id, [&](auto& w) { body(w); });
    call_done();
  }

  void fail(const reply_token& tok, const caf::error& e) override {
    if (e == caf::sec::request_receiver_down && redispatch(tok))
      return;
    if (auto biz = get_biz_status(e);
        biz && remote::has_headers(static_cast<transport>(tok.transport))) {
      reply_biz(tok, *biz);
      return;
    }
    if (!finish(tok))
      return;
    auto ex = to_exception(*tok.method, e);
    klog::warn("{}: {} failed: {}", conn->peer(), tok.method->name, ex.message);
    write_exception(static_cast<transport>(tok.transport),
                    static_cast<protocol>(tok.protocol), reply_header(tok),
                    tok.method->name, tok.seq_id, ex);
    call_done();
  }

  /// A business status: a Reply whose result struct has no field set, with
  /// biz-status, biz-message and biz-extra headers (Kitex's
  /// ServerTTHeaderHandler), and the handler's backward values.
  void reply_biz(const reply_token& tok, const biz_status& biz) {
    remote::ttheader::header hdr;
    if (!take(tok, hdr))
      return;
    hdr.str_kv.emplace_back(remote::ttheader::key_biz_status,
                            std::to_string(biz.code));
    hdr.str_kv.emplace_back(remote::ttheader::key_biz_message, biz.message);
    if (!biz.extra.empty())
      hdr.str_kv.emplace_back(remote::ttheader::key_biz_extra,
                              encode_biz_extra(biz.extra));
    post_frame(static_cast<transport>(tok.transport),
               static_cast<protocol>(tok.protocol), hdr, tok.method->name,
               message_type::reply, tok.seq_id, write_empty_struct);
    call_done();
  }

  remote::ttheader::header reply_header(const reply_token& tok) const {
    remote::ttheader::header h;
    h.flags = tok.header_flags;
    if (tok.checksum)
      h.str_kv.emplace_back(remote::ttheader::key_crc32c,
                            remote::ttheader::crc32c_placeholder);
    if (draining)
      h.str_kv.emplace_back(remote::ttheader::key_conn_reset, "1");
    return h;
  }

  void write_exception(transport tp, protocol proto,
                       const remote::ttheader::header& hdr,
                       std::string_view method, int32_t seq,
                       const application_exception& ex) {
    post_frame(
      tp, proto, hdr, method, message_type::exception, seq,
      [&](auto& w) { remote::thrift::write_application_exception(w, ex); });
  }

  /// The worker went down before it answered: it died (a panic of another
  /// call, or its restart) with this call still in its mailbox, so the call
  /// never ran. It waits for the restarted worker like a call that arrived
  /// during the restart, within the same hold time.
  bool redispatch(const reply_token& tok) {
    auto i = awaiting.find(tok.call_id);
    if (i == awaiting.end())
      return false;
    auto frame = i->second.frame;
    if (!hold(frame))
      return false;
    finish(tok);
    call_done();
    return true;
  }

  /// Kitex netpollmux's control frame: a TTHeader Reply with seq id 0,
  /// method "none", an empty struct and `crrst`, telling a mux client to
  /// stop using the connection.
  void write_control_frame() {
    remote::ttheader::header hdr;
    hdr.flags = remote::ttheader::flag_out_of_order;
    hdr.str_kv.emplace_back(remote::ttheader::key_conn_reset, "1");
    post_frame(transport::ttheader, protocol::binary, hdr, "none",
               message_type::reply, 0, write_empty_struct);
  }

  void call_done() {
    --inflight;
    ctx->inflight.fetch_sub(1, std::memory_order_relaxed);
    if (draining && inflight == 0)
      schedule_drain_close();
  }

  void schedule_drain_close() {
    self->delayed_send(self, drain_grace, drain_atom_v, activity);
  }

  caf::actor pick_worker(size_t service_index, const service_entry& svc) {
    if (workers.size() <= service_index)
      workers.resize(ctx->services.size());
    auto& cache = workers[service_index];
    auto v = svc.workers->version();
    if (v != cache.version) {
      cache.handles = svc.workers->snapshot();
      cache.version = v;
    }
    auto& hs = *cache.handles;
    for (size_t i = 0; i < hs.size(); ++i) {
      auto& h = hs[(rr + i) % hs.size()];
      if (h) {
        rr = static_cast<uint32_t>((rr + i + 1) % hs.size());
        return h;
      }
    }
    return {};
  }

  size_t index_of(const service_entry* svc) const {
    for (size_t i = 0; i < ctx->services.size(); ++i)
      if (ctx->services[i].get() == svc)
        return i;
    return 0;
  }

  void handle_batch(remote::frame_batch& batch);
  void handle_frame(const frame_slot& f);
  void dispatch(envelope& env, const service_entry& svc,
                const serviceinfo::method_info& m, const frame_slot& f);
  bool hold(const frame_slot& f);
  void retry_held();
  void reject(const envelope& env, exception_type type, std::string text,
              bool close_after);
};

namespace {

class call_context_impl : public call_context {
public:
  call_context_impl(server_connection_state& st, const envelope& env,
                    const serviceinfo::method_info& m, caf::actor worker,
                    const frame_slot& frame)
    : st_(st), env_(env), m_(m), worker_(std::move(worker)), frame_(frame) {
    if (remote::has_headers(env.tp)) {
      meta_ = metainfo::read_request(env.header);
      meta_->method = m.name;
    }
  }

  metainfo::handle meta() override {
    return metainfo::handle{meta_};
  }

  caf::event_based_actor* self() override {
    return st_.self;
  }

  remote::byte_span args() override {
    return env_.body;
  }

  remote::protocol protocol() override {
    return env_.proto;
  }

  const remote::limits& limits() override {
    return st_.ctx->opts.limits;
  }

  const caf::actor& worker() override {
    return worker_;
  }

  caf::duration timeout() override {
    return caf::infinite;
  }

  void reject_args(remote::protocol_error e) override {
    st_.write_exception(
      env_.tp, env_.proto, st_.reply_header(token()), m_.name, env_.msg.seq_id,
      {"decode args of " + m_.name + " failed: " + remote::to_string(e),
       exception_type::protocol_error});
    st_.call_done();
  }

  void oneway_sent() override {
    st_.call_done();
  }

  reply_token token() override {
    reply_token tok;
    tok.sink = &st_;
    tok.method = &m_;
    tok.seq_id = env_.msg.seq_id;
    tok.header_flags = env_.header.flags;
    tok.transport = static_cast<uint8_t>(env_.tp);
    tok.protocol = static_cast<uint8_t>(env_.proto);
    tok.checksum = remote::is_ttheader(env_.tp)
                   && env_.header.find(remote::ttheader::key_crc32c) != nullptr;
    tok.call_id = st_.track(tok, frame_, meta_);
    return tok;
  }

private:
  server_connection_state& st_;
  const envelope& env_;
  const serviceinfo::method_info& m_;
  caf::actor worker_;
  const frame_slot& frame_;
  std::shared_ptr<metainfo::call_meta> meta_;
};

} // namespace

void server_connection_state::handle_batch(remote::frame_batch& batch) {
  ++activity;
  auto now = clock_type::now();
  for (auto& item : batch.frames) {
    if (self->getf(caf::abstract_actor::is_terminated_flag))
      return;
    handle_frame(frame_slot{batch.block, item, now});
  }
}

void server_connection_state::handle_frame(const frame_slot& f) {
  auto w = f.item.wire;
  envelope env;
  auto err = remote::decode_envelope(w, f.bytes(), ctx->opts.limits, env);
  if (err != remote::protocol_error::none) {
    // Framing-level errors get no reply (as Kitex): log and close.
    klog::warn("{}: closing connection: {} in {} frame", conn->peer(),
               remote::to_string(err), remote::detection::to_string(w));
    self->quit();
    return;
  }
  if (remote::is_ttheader(env.tp)
      && (env.header.flags & remote::ttheader::flag_out_of_order) != 0)
    mux = true;
  if (!remote::payload_checksum_ok(env)) {
    reject(env, exception_type::protocol_error,
           "payload checksum (crc32c) mismatch", true);
    return;
  }
  auto t = env.msg.type;
  if (t != message_type::call && t != message_type::oneway) {
    reject(env, exception_type::invalid_message_type,
           "invalid message type " + std::to_string(static_cast<int>(t)), true);
    return;
  }
  std::string_view isn;
  if (auto v = env.header.find(remote::ttheader::key_idl_service_name))
    isn = *v;
  auto svc = ctx->find_service(isn);
  if (!svc) {
    reject(env, exception_type::unknown_service,
           "unknown service " + std::string{isn}, false);
    return;
  }
  auto m = svc->info.find(env.msg.name);
  if (!m) {
    reject(env, exception_type::unknown_method,
           "unknown method " + std::string{env.msg.name}, false);
    return;
  }
  dispatch(env, *svc, *m, f);
}

void server_connection_state::dispatch(envelope& env, const service_entry& svc,
                                       const serviceinfo::method_info& m,
                                       const frame_slot& f) {
  auto worker = pick_worker(index_of(&svc), svc);
  if (!worker) {
    if (hold(f))
      return;
    reject(env, exception_type::internal_error,
           "service " + svc.info.name + " has no running worker", false);
    return;
  }
  ++inflight;
  ctx->inflight.fetch_add(1, std::memory_order_relaxed);
  ctx->requests.fetch_add(1, std::memory_order_relaxed);
  call_context_impl call{*this, env, m, std::move(worker), f};
  m.serve(call);
}

bool server_connection_state::hold(const frame_slot& f) {
  auto limit = std::min(max_hold_time, ctx->opts.handler_timeout);
  if (held.size() >= max_held_calls || clock_type::now() - f.since >= limit)
    return false;
  held.push_back(f);
  // Held calls count as in flight, so a graceful stop waits for them.
  ++inflight;
  ctx->inflight.fetch_add(1, std::memory_order_relaxed);
  if (!retry_armed) {
    retry_armed = true;
    self->delayed_send(self, hold_retry, retry_atom::value);
  }
  return true;
}

void server_connection_state::retry_held() {
  retry_armed = false;
  std::vector<frame_slot> frames;
  frames.swap(held);
  for (auto& f : frames) {
    --inflight;
    ctx->inflight.fetch_sub(1, std::memory_order_relaxed);
    if (self->getf(caf::abstract_actor::is_terminated_flag))
      return;
    handle_frame(f);
  }
  if (draining && inflight == 0)
    schedule_drain_close();
}

void server_connection_state::reject(const envelope& env, exception_type type,
                                     std::string text, bool close_after) {
  if (env.msg.type == message_type::oneway && !close_after) {
    klog::warn("{}: dropped oneway call: {}", conn->peer(), text);
    return;
  }
  auto hdr = remote::ttheader::header{};
  hdr.flags = env.header.flags;
  if (draining || close_after)
    hdr.str_kv.emplace_back(remote::ttheader::key_conn_reset, "1");
  write_exception(env.tp, env.proto, hdr, env.msg.name, env.msg.seq_id,
                  {std::move(text), type});
  if (close_after) {
    conn->post_close("protocol error");
    self->quit();
  }
}

namespace {

caf::behavior
server_connection_impl(caf::stateful_actor<server_connection_state>* self,
                       std::shared_ptr<remote::tcp_connection> conn,
                       std::shared_ptr<server_context> ctx) {
  auto& st = self->state;
  st.self = self;
  st.conn = std::move(conn);
  st.ctx = std::move(ctx);
  st.id = st.ctx->add_connection(caf::actor_cast<caf::actor>(self));
  if (st.ctx->draining.load())
    st.draining = true;
  self->attach_functor([c = st.conn, x = st.ctx, id = st.id] {
    c->post_close("connection actor exited");
    x->remove_connection(id);
  });
  return {
    [=](remote::frame_batch& batch) { self->state.handle_batch(batch); },
    [=](retry_atom) { self->state.retry_held(); },
    [=](sweep_atom) { self->state.sweep(); },
    [=](closed_atom, std::string& reason) {
      if (self->state.inflight > 0)
        klog::info("{}: closed with {} calls in flight: {}",
                   self->state.conn->peer(), self->state.inflight, reason);
      self->quit();
    },
    [=](drain_atom) {
      auto& s = self->state;
      s.draining = true;
      if (s.mux)
        s.write_control_frame();
      if (s.inflight == 0)
        s.schedule_drain_close();
    },
    [=](drain_atom, uint64_t activity) {
      // Close once no call came in during the grace period.
      auto& s = self->state;
      if (s.inflight == 0 && s.activity == activity)
        self->quit();
    },
  };
}

} // namespace

caf::actor spawn_server_connection(caf::actor_system& sys,
                                   std::shared_ptr<remote::tcp_connection> conn,
                                   std::shared_ptr<server_context> ctx) {
  auto a = sys.spawn(server_connection_impl, conn, std::move(ctx));
  auto hdl = caf::actor_cast<caf::actor>(a);
  conn->set_handlers(
    [hdl](remote::frame_batch&& b) { caf::anon_send(hdl, std::move(b)); },
    [hdl](std::string reason) {
      caf::anon_send(hdl, closed_atom_v, std::move(reason));
    });
  conn->start();
  return hdl;
}

} // namespace kitex::server
