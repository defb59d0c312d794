#pragma once

// klog: the framework's logger (spdlog). One logger named "kitex"; users may
// replace its sinks or level through spdlog or set_level().

#include <memory>

#include <spdlog/spdlog.h>

namespace kitex::klog {

/// The framework logger (created on first use, stderr sink).
spdlog::logger& logger();

/// Sets the level of the framework logger.
void set_level(spdlog::level::level_enum lvl);

template<class... Ts>
void debug(spdlog::format_string_t<Ts...> fmt, Ts&&... xs) {
  logger().debug(fmt, std::forward<Ts>(xs)...);
}

template<class... Ts>
void info(spdlog::format_string_t<Ts...> fmt, Ts&&... xs) {
  logger().info(fmt, std::forward<Ts>(xs)...);
}

template<class... Ts>
void warn(spdlog::format_string_t<Ts...> fmt, Ts&&... xs) {
  logger().warn(fmt, std::forward<Ts>(xs)...);
}

template<class... Ts>
void error(spdlog::format_string_t<Ts...> fmt, Ts&&... xs) {
  logger().error(fmt, std::forward<Ts>(xs)...);
}

} // namespace kitex::klog
