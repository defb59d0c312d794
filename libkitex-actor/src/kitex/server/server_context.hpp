#pragma once

// Private: what a server shares with its connection actors.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <caf/actor.hpp>

#include "kitex/runtime/supervisor.hpp"
#include "kitex/server/options.hpp"
#include "kitex/server/server.hpp"
#include "kitex/serviceinfo/service_info.hpp"

namespace kitex::server {

struct service_entry {
  serviceinfo::service_info info;
  worker_factory factory;
  service_options opts;
  std::shared_ptr<runtime::child_handles> workers;
};

struct server_context {
  server_options opts;
  std::vector<std::unique_ptr<service_entry>> services;

  std::atomic<bool> draining{false};
  std::atomic<int64_t> inflight{0};
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> connections{0};

  std::mutex conns_mtx;
  std::unordered_map<uint64_t, caf::actor> conns;
  uint64_t next_conn_id = 0;

  /// Service by IDL name; the default (first) service for an empty name.
  const service_entry* find_service(std::string_view isn) const {
    if (isn.empty())
      return services.empty() ? nullptr : services.front().get();
    for (auto& s : services)
      if (s->info.name == isn)
        return s.get();
    return nullptr;
  }

  uint64_t add_connection(const caf::actor& a) {
    std::lock_guard<std::mutex> guard{conns_mtx};
    auto id = ++next_conn_id;
    conns.emplace(id, a);
    connections.fetch_add(1, std::memory_order_relaxed);
    return id;
  }

  void remove_connection(uint64_t id) {
    std::lock_guard<std::mutex> guard{conns_mtx};
    if (conns.erase(id) > 0)
      connections.fetch_sub(1, std::memory_order_relaxed);
  }

  std::vector<caf::actor> connection_actors() {
    std::lock_guard<std::mutex> guard{conns_mtx};
    std::vector<caf::actor> out;
    out.reserve(conns.size());
    for (auto& kv : conns)
      out.push_back(kv.second);
    return out;
  }
};

} // namespace kitex::server
