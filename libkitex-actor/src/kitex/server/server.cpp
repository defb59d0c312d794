#include "kitex/server/server.hpp"

#include <atomic>
#include <future>
#include <thread>

#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/system_messages.hpp>

#include "connection.hpp"
#include "kitex/klog/klog.hpp"
#include "kitex/remote/host_port.hpp"
#include "kitex/runtime/type_ids.hpp"
#include "server_context.hpp"

namespace kitex::server {

caf::error worker_exception_handler(caf::scheduled_actor* self,
                                    std::exception_ptr& eptr) {
  std::string what;
  try {
    std::rethrow_exception(eptr);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
    what = "unknown exception";
  }
  klog::error("worker {} crashed: {}", self->id(), what);
  return make_error(errc::panic, "panic: " + what);
}

struct server::impl {
  runtime::runtime& rt;
  std::shared_ptr<server_context> ctx = std::make_shared<server_context>();
  std::optional<asio::ip::tcp::acceptor> acceptor;
  std::optional<asio::steady_timer> accept_retry;
  caf::actor top;
  std::weak_ptr<impl> weak_self;
  uint16_t port = 0;
  bool started = false;
  bool stopped = false;
  std::atomic<bool> failed{false};

  impl(runtime::runtime& r, server_options opts) : rt(r) {
    ctx->opts = std::move(opts);
  }

  remote::connection_options conn_options() const {
    remote::connection_options co;
    co.lim = ctx->opts.limits;
    co.read_timeout = ctx->opts.read_write_timeout;
    co.max_pending_write = ctx->opts.max_pending_write;
    return co;
  }

  void spawn_tree() {
    std::vector<runtime::child_spec> specs;
    for (auto& svc : ctx->services) {
      std::vector<runtime::child_spec> workers;
      for (size_t i = 0; i < svc->opts.workers; ++i) {
        runtime::child_spec w;
        w.id = svc->info.name + ".worker." + std::to_string(i);
        w.start = svc->factory;
        workers.push_back(std::move(w));
      }
      specs.push_back(
        runtime::supervisor_child("service." + svc->info.name, svc->opts.policy,
                                  std::move(workers), svc->workers));
    }
    auto h = runtime::spawn_supervisor(rt.system(), "server", ctx->opts.policy,
                                       std::move(specs));
    top = h.actor;
    rt.track_root(top);
    watch_tree();
  }

  /// If the tree gives up (restart intensity exceeded all the way up), the
  /// server must not stay half alive with an open port: stop it and make
  /// run() return non-zero.
  void watch_tree() {
    auto on_down = [weak = weak_self, r = &rt](const caf::error& reason) {
      if (reason == caf::exit_reason::user_shutdown
          || reason == caf::exit_reason::normal)
        return;
      klog::error("server supervisor gave up ({}); stopping the server",
                  render_error(reason));
      if (auto p = weak.lock())
        p->failed = true;
      r->request_stop();
    };
    rt.system().spawn([t = top, on_down](caf::event_based_actor* self) {
      self->monitor(t);
      self->set_down_handler([self, on_down](caf::down_msg& dm) {
        on_down(dm.reason);
        self->quit();
      });
      return caf::behavior{[](caf::ok_atom) {}}; // lives for the down_msg
    });
  }

  bool services_ready() const {
    for (auto& svc : ctx->services) {
      auto snap = svc->workers->snapshot();
      if (snap->size() != svc->opts.workers)
        return false;
      for (auto& h : *snap)
        if (!h)
          return false;
    }
    return true;
  }

  /// Accepting before the workers exist would refuse the first calls.
  bool wait_services_ready(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!services_ready()) {
      if (std::chrono::steady_clock::now() >= deadline)
        return false;
      std::this_thread::sleep_for(std::chrono::milliseconds{1});
    }
    return true;
  }

  caf::expected<uint16_t> listen() {
    auto hp = remote::parse_host_port(ctx->opts.address);
    if (!hp)
      return make_error(errc::internal_exception,
                        "bad service address: " + ctx->opts.address);
    asio::error_code ec;
    asio::ip::tcp::resolver resolver{rt.io_context()};
    auto eps = resolver.resolve(hp->host, hp->port,
                                asio::ip::tcp::resolver::passive, ec);
    if (ec || eps.empty())
      return make_error(errc::internal_exception,
                        "cannot resolve " + ctx->opts.address);
    auto ep = eps.begin()->endpoint();
    acceptor.emplace(rt.io_context());
    acceptor->open(ep.protocol(), ec);
    if (!ec)
      acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec)
      acceptor->bind(ep, ec);
    if (!ec)
      acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
      return make_error(errc::internal_exception, "cannot listen on "
                                                    + ctx->opts.address + ": "
                                                    + ec.message());
    accept_retry.emplace(rt.io_context());
    return acceptor->local_endpoint().port();
  }

  void do_accept() {
    acceptor->async_accept(
      [this](const asio::error_code& ec, asio::ip::tcp::socket sock) {
        if (ec == asio::error::operation_aborted || !acceptor->is_open())
          return;
        if (ec) {
          // EMFILE and friends: back off instead of spinning (Kitex: 10 ms).
          klog::warn("accept failed: {}", ec.message());
          accept_retry->expires_after(std::chrono::milliseconds{10});
          accept_retry->async_wait([this](const asio::error_code& e) {
            if (!e)
              do_accept();
          });
          return;
        }
        on_accept(std::move(sock));
        do_accept();
      });
  }

  void on_accept(asio::ip::tcp::socket sock) {
    if (ctx->connections.load() >= ctx->opts.max_connections
        || ctx->draining.load()) {
      asio::error_code ignored;
      sock.close(ignored);
      return;
    }
    auto conn = std::make_shared<remote::tcp_connection>(
      rt.io_context(), std::move(sock), conn_options());
    rt.track_io_object(conn);
    spawn_server_connection(rt.system(), std::move(conn), ctx);
  }

  void close_acceptor() {
    std::promise<void> done;
    asio::post(rt.io_context(), [this, &done] {
      asio::error_code ignored;
      acceptor->close(ignored);
      accept_retry->cancel();
      done.set_value();
    });
    if (done.get_future().wait_for(std::chrono::seconds{2})
        != std::future_status::ready)
      klog::warn("acceptor did not close in time");
  }

  void wait_drained(std::chrono::steady_clock::time_point deadline) {
    using namespace std::chrono_literals;
    while (std::chrono::steady_clock::now() < deadline) {
      if (ctx->inflight.load() == 0 && ctx->connections.load() == 0)
        return;
      std::this_thread::sleep_for(5ms);
    }
    klog::warn("exit wait time over with {} calls in flight on {} "
               "connections",
               ctx->inflight.load(), ctx->connections.load());
  }

  void stop_tree() {
    caf::scoped_actor self{rt.system()};
    for (auto& c : ctx->connection_actors())
      self->send_exit(c, caf::exit_reason::user_shutdown);
    if (!top)
      return;
    self->monitor(top);
    self->send_exit(top, caf::exit_reason::user_shutdown);
    self->receive([](const caf::down_msg&) {},
                  caf::after(std::chrono::seconds{10}) >>
                    [] { klog::warn("server supervisor did not stop"); });
    top = nullptr;
  }
};

server::server(runtime::runtime& rt, server_options opts)
  : impl_(std::make_shared<impl>(rt, std::move(opts))) {
  impl_->weak_self = impl_;
}

server::~server() {
  if (impl_)
    stop();
}

server::server(server&&) noexcept = default;
server& server::operator=(server&&) noexcept = default;

void server::add_service(const serviceinfo::service_info& info,
                         worker_factory factory, service_options opts) {
  auto svc = std::make_unique<service_entry>();
  svc->info = info;
  svc->factory = std::move(factory);
  svc->opts = opts;
  svc->workers = std::make_shared<runtime::child_handles>();
  impl_->ctx->services.push_back(std::move(svc));
}

caf::expected<uint16_t> server::start() {
  auto& d = *impl_;
  if (d.started)
    return d.port;
  if (d.ctx->services.empty())
    return make_error(errc::internal_exception, "no service registered");
  auto port = d.listen();
  if (!port)
    return port;
  d.port = *port;
  d.spawn_tree();
  if (!d.wait_services_ready(std::chrono::seconds{5})) {
    d.stop_tree();
    asio::error_code ignored;
    d.acceptor->close(ignored);
    return make_error(errc::internal_exception,
                      "service workers did not start");
  }
  d.started = true;
  asio::post(d.rt.io_context(), [&d] { d.do_accept(); });
  d.rt.add_shutdown_hook([weak = std::weak_ptr<impl>{impl_}] {
    // The runtime goes down while the server object still lives.
    if (auto p = weak.lock(); p && p->started && !p->stopped) {
      p->stopped = true;
      p->close_acceptor();
      p->stop_tree();
    }
  });
  klog::info("server listening on {} (port {})", d.ctx->opts.address, d.port);
  return d.port;
}

int server::run() {
  auto port = start();
  if (!port) {
    klog::error("server failed to start: {}", render_error(port.error()));
    return 1;
  }
  impl_->rt.wait_for_stop();
  stop();
  return impl_->failed ? 1 : 0;
}

void server::stop() {
  auto& d = *impl_;
  if (!d.started || d.stopped)
    return;
  d.stopped = true;
  auto deadline = std::chrono::steady_clock::now() + d.ctx->opts.exit_wait_time;
  d.close_acceptor();
  d.ctx->draining = true;
  for (auto& c : d.ctx->connection_actors())
    caf::anon_send(c, drain_atom_v);
  d.wait_drained(deadline);
  d.stop_tree();
  klog::info("server on port {} stopped", d.port);
}

uint16_t server::port() const noexcept {
  return impl_->port;
}

caf::actor server::supervisor() const {
  return impl_->top;
}

std::shared_ptr<runtime::child_handles>
server::workers(const std::string& service) const {
  for (auto& s : impl_->ctx->services)
    if (s->info.name == service)
      return s->workers;
  return nullptr;
}

server_stats server::stats() const {
  auto& c = *impl_->ctx;
  return {c.connections.load(), c.inflight.load(), c.requests.load()};
}

} // namespace kitex::server
