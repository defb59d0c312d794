#include "kitex/klog/klog.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace kitex::klog {

spdlog::logger& logger() {
  static std::shared_ptr<spdlog::logger> instance = [] {
    auto existing = spdlog::get("kitex");
    if (existing)
      return existing;
    auto lg = spdlog::stderr_color_mt("kitex");
    lg->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ [kitex] %v");
    return lg;
  }();
  return *instance;
}

void set_level(spdlog::level::level_enum lvl) {
  logger().set_level(lvl);
}

} // namespace kitex::klog
