#include "kitex/client/client.hpp"

#include <string>
#include <vector>

#include <caf/message_view.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>

#include "connection.hpp"
#include "kitex/klog/klog.hpp"
#include "kitex/remote/host_port.hpp"
#include "kitex/runtime/type_ids.hpp"

namespace kitex::client {

namespace {

struct address_pool {
  std::string host;
  std::string port;
  std::vector<caf::actor> conns;
  size_t rr = 0;
};

// The client actor: the per-address long-connection pool. It only picks a
// connection and delegates, so the reply goes from the connection actor
// straight to the caller.
struct client_state {
  static inline const char* name = "kitex.client";

  runtime::runtime* rt = nullptr;
  std::shared_ptr<const serviceinfo::service_info> info;
  std::shared_ptr<const client_options> opts;
  // Shared with the exit functor, which runs after the state is gone.
  std::shared_ptr<std::vector<address_pool>> pools
    = std::make_shared<std::vector<address_pool>>();
  size_t next_pool = 0;

  caf::actor pick(caf::event_based_actor* self) {
    if (pools->empty())
      return {};
    auto& pool = (*pools)[next_pool++ % pools->size()];
    if (pool.conns.size() < opts->connections_per_host) {
      auto c = spawn_client_connection(
        *rt, info, opts, caf::actor_cast<caf::weak_actor_ptr>(self), pool.host,
        pool.port);
      self->monitor(c);
      pool.conns.push_back(c);
      return c;
    }
    return pool.conns[pool.rr++ % pool.conns.size()];
  }

  void forget(const caf::actor_addr& who) {
    for (auto& pool : *pools)
      for (auto i = pool.conns.begin(); i != pool.conns.end(); ++i)
        if (i->address() == who) {
          pool.conns.erase(i);
          return;
        }
  }
};

void stop_all(std::vector<address_pool>& pools) {
  for (auto& pool : pools)
    for (auto& c : pool.conns)
      caf::anon_send_exit(c, caf::exit_reason::user_shutdown);
  pools.clear();
}

caf::behavior client_impl(caf::stateful_actor<client_state>* self,
                          runtime::runtime* rt,
                          std::shared_ptr<const serviceinfo::service_info> info,
                          std::shared_ptr<const client_options> opts) {
  auto& st = self->state;
  st.rt = rt;
  st.info = std::move(info);
  st.opts = std::move(opts);
  for (auto& hp : st.opts->host_ports) {
    if (auto p = remote::parse_host_port(hp))
      st.pools->push_back({p->host, p->port, {}, 0});
    else
      klog::error("client {}: ignoring bad address '{}'", st.opts->dest_service,
                  hp);
  }
  self->set_down_handler(
    [self](caf::down_msg& dm) { self->state.forget(dm.source); });
  self->attach_functor([pools = st.pools] { stop_all(*pools); });
  self->set_default_handler(
    [self](caf::scheduled_actor*,
           caf::message_view& mv) -> caf::result<caf::message> {
      auto& s = self->state;
      auto idx = s.info->find_by_args(mv.content());
      if (idx < 0)
        return caf::make_error(caf::sec::unexpected_message);
      auto conn = s.pick(self);
      if (!conn)
        return make_error(errc::no_more_instance,
                          "no instance for " + s.opts->dest_service);
      return self->delegate(conn, call_atom_v, static_cast<uint32_t>(idx),
                            mv.move_content_to_message());
    });
  return {
    [self](retire_atom, caf::actor& conn) {
      self->state.forget(conn.address());
    },
  };
}

} // namespace

caf::actor spawn_client(runtime::runtime& rt,
                        const serviceinfo::service_info& info,
                        client_options opts) {
  auto a = rt.system().spawn(
    client_impl, &rt, std::make_shared<const serviceinfo::service_info>(info),
    std::make_shared<const client_options>(std::move(opts)));
  auto hdl = caf::actor_cast<caf::actor>(a);
  rt.track_root(hdl);
  return hdl;
}

} // namespace kitex::client
