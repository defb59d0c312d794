#include "kitex/runtime/runtime.hpp"

#include <malloc.h>
#include <sys/prctl.h>

#include <algorithm>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include "io_scheduler.hpp"
#include "kitex/klog/klog.hpp"
#include "kitex/runtime/type_ids.hpp"

namespace kitex::runtime {

closeable::~closeable() = default;

namespace {

size_t default_scheduler_threads(size_t io_threads) {
  size_t cores = std::max(1u, std::thread::hardware_concurrency());
  return cores > io_threads ? cores - io_threads : 1;
}

std::optional<size_t> parse_size(std::string_view s) {
  size_t x = 0;
  if (s.empty())
    return std::nullopt;
  for (auto c : s) {
    if (c < '0' || c > '9')
      return std::nullopt;
    x = x * 10 + static_cast<size_t>(c - '0');
  }
  return x;
}

} // namespace

runtime_options parse_runtime_options(int argc, char** argv,
                                      runtime_options opts) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg{argv[i]};
    auto value_of
      = [&](std::string_view key) -> std::optional<std::string_view> {
      if (arg.substr(0, key.size()) == key && arg.size() > key.size()
          && arg[key.size()] == '=')
        return arg.substr(key.size() + 1);
      return std::nullopt;
    };
    if (auto v = value_of("--scheduler-policy"))
      opts.scheduler_policy = std::string{*v};
    else if (auto v = value_of("--scheduler-threads"); v && parse_size(*v))
      opts.scheduler_threads = *parse_size(*v);
    else if (auto v = value_of("--io-threads"); v && parse_size(*v))
      opts.io_threads = *parse_size(*v);
  }
  return opts;
}

struct runtime::impl {
  runtime_options opts;
  caf::actor_system_config cfg;
  // Declared before io so it is destroyed after it (step 5).
  std::optional<caf::actor_system> sys;
  std::optional<asio::io_context> io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>>
    work;
  std::optional<asio::signal_set> signals;
  std::vector<std::thread> io_threads;
  // Set when the CAF workers run the io_context (io_threads == 0).
  detail::io_scheduler_link* io_link = nullptr;

  std::mutex mtx;
  std::condition_variable cv;
  bool stop_requested = false;
  int stop_signal = 0;
  bool down = false;
  std::vector<std::function<void()>> hooks;
  std::vector<caf::actor> roots;
  std::vector<std::weak_ptr<closeable>> io_objects;

  explicit impl(runtime_options o) : opts(std::move(o)) {
    if (opts.low_timer_slack)
      prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL); // threads inherit it
    if (opts.keep_freed_memory) {
      mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
      mallopt(M_TRIM_THRESHOLD, 32 * 1024 * 1024);
    }
    if (opts.scheduler_threads == 0)
      opts.scheduler_threads = default_scheduler_threads(opts.io_threads);
    cfg.add_message_types<caf::id_block::kitex_actor>();
    for (auto& f : opts.configure)
      f(cfg);
    cfg.set("scheduler.policy", caf::atom_from_string(opts.scheduler_policy));
    cfg.set("scheduler.max-threads", opts.scheduler_threads);
    // The io_context exists before the actor system: with io_threads == 0
    // the scheduler's workers run it from the moment they start, one at a
    // time (io_scheduler.hpp), which is asio's single-thread case.
    size_t io_runners = opts.io_threads > 0 ? opts.io_threads : 1;
    io.emplace(static_cast<int>(io_runners));
    work.emplace(io->get_executor());
    if (opts.io_threads == 0)
      cfg.module_factories.push_back([this](caf::actor_system& s) {
        return detail::make_io_scheduler(s, *io, io_link);
      });
    sys.emplace(cfg);
    if (opts.handle_signals)
      watch_signals();
    for (size_t i = 0; i < opts.io_threads; ++i)
      io_threads.emplace_back([this] { io->run(); });
  }

  void watch_signals() {
    signals.emplace(*io, SIGINT, SIGTERM);
    signals->async_wait([this](const asio::error_code& ec, int sig) {
      if (ec)
        return;
      klog::info("received signal {}, stopping", sig);
      notify_stop(sig);
    });
  }

  void notify_stop(int sig) {
    std::lock_guard<std::mutex> guard{mtx};
    stop_requested = true;
    stop_signal = sig;
    cv.notify_all();
  }

  void run_hooks() {
    std::vector<std::function<void()>> hs;
    {
      std::lock_guard<std::mutex> guard{mtx};
      hs.swap(hooks);
    }
    for (auto i = hs.rbegin(); i != hs.rend(); ++i)
      (*i)();
  }

  void stop_io() {
    if (signals) {
      asio::error_code ignored;
      signals->cancel(ignored);
    }
    work.reset();
    io->stop();
    for (auto& t : io_threads)
      t.join();
    io_threads.clear();
    if (io_link != nullptr)
      detail::detach_io(*io_link);
  }

  void close_io_objects() {
    std::vector<std::weak_ptr<closeable>> objs;
    {
      std::lock_guard<std::mutex> guard{mtx};
      objs.swap(io_objects);
    }
    for (auto& weak : objs)
      if (auto obj = weak.lock())
        obj->close_now();
  }

  void stop_actors() {
    std::vector<caf::actor> rs;
    {
      std::lock_guard<std::mutex> guard{mtx};
      rs.swap(roots);
    }
    for (auto& r : rs)
      caf::anon_send_exit(r, caf::exit_reason::user_shutdown);
    rs.clear();
    sys->await_all_actors_done();
  }
};

runtime::runtime(runtime_options opts)
  : impl_(std::make_unique<impl>(std::move(opts))) {}

runtime::runtime(int argc, char** argv)
  : runtime(parse_runtime_options(argc, argv)) {}

runtime::~runtime() {
  shutdown();
}

caf::actor_system& runtime::system() noexcept {
  return *impl_->sys;
}

asio::io_context& runtime::io_context() noexcept {
  return *impl_->io;
}

const runtime_options& runtime::options() const noexcept {
  return impl_->opts;
}

int runtime::wait_for_stop() {
  std::unique_lock<std::mutex> guard{impl_->mtx};
  impl_->cv.wait(guard, [this] { return impl_->stop_requested; });
  return impl_->stop_signal;
}

int runtime::wait_for_stop(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> guard{impl_->mtx};
  if (!impl_->cv.wait_for(guard, timeout,
                          [this] { return impl_->stop_requested; }))
    return -1;
  return impl_->stop_signal;
}

void runtime::request_stop() {
  impl_->notify_stop(0);
}

void runtime::add_shutdown_hook(std::function<void()> hook) {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  impl_->hooks.push_back(std::move(hook));
}

void runtime::track_root(const caf::actor& root) {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  impl_->roots.push_back(root);
}

void runtime::track_io_object(std::weak_ptr<closeable> obj) {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  auto& objs = impl_->io_objects;
  // Compact now and then so churn of short connections stays bounded.
  if (objs.size() >= 64 && (objs.size() & (objs.size() - 1)) == 0)
    objs.erase(std::remove_if(objs.begin(), objs.end(),
                              [](auto& w) { return w.expired(); }),
               objs.end());
  objs.push_back(std::move(obj));
}

void runtime::shutdown() {
  {
    std::lock_guard<std::mutex> guard{impl_->mtx};
    if (impl_->down)
      return;
    impl_->down = true;
  }
  impl_->run_hooks();
  impl_->stop_io();
  impl_->close_io_objects();
  impl_->stop_actors();
  impl_->io.reset();
  impl_->sys.reset();
}

} // namespace kitex::runtime
