#include "proc_stats.hpp"

#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

namespace bench {

namespace {

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in{path};
  if (!in)
    return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

/// The number after "<key>:" in a /proc status file, or 0.
uint64_t status_value(const std::string& text, const char* key) {
  auto at = text.find(key);
  if (at == std::string::npos)
    return 0;
  return std::strtoull(text.c_str() + at + std::strlen(key), nullptr, 10);
}

/// utime + stime from /proc/<pid>/stat; the comm field may hold spaces and
/// parentheses, so fields are counted after the last ')'.
bool read_cpu_ticks(pid_t pid, uint64_t& ticks) {
  std::string text;
  if (!read_file("/proc/" + std::to_string(pid) + "/stat", text))
    return false;
  auto close = text.rfind(')');
  if (close == std::string::npos)
    return false;
  std::istringstream fields{text.substr(close + 2)};
  std::string field;
  uint64_t utime = 0, stime = 0;
  // After ')': state is field 3; utime is field 14, stime field 15.
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14)
      utime = std::strtoull(field.c_str(), nullptr, 10);
    if (i == 15)
      stime = std::strtoull(field.c_str(), nullptr, 10);
  }
  ticks = utime + stime;
  return true;
}

void add_thread_switches(pid_t pid, process_sample& s) {
  auto dir_path = "/proc/" + std::to_string(pid) + "/task";
  DIR* dir = opendir(dir_path.c_str());
  if (dir == nullptr)
    return;
  while (auto* e = readdir(dir)) {
    if (e->d_name[0] == '.')
      continue;
    std::string text;
    if (!read_file(dir_path + "/" + e->d_name + "/status", text))
      continue;
    s.voluntary_switches += status_value(text, "\nvoluntary_ctxt_switches:");
    s.involuntary_switches
      += status_value(text, "\nnonvoluntary_ctxt_switches:");
  }
  closedir(dir);
}

} // namespace

process_sample sample_process(pid_t pid) {
  process_sample s;
  std::string status;
  if (!read_cpu_ticks(pid, s.cpu_ticks)
      || !read_file("/proc/" + std::to_string(pid) + "/status", status))
    return s;
  s.rss_kb = status_value(status, "\nVmRSS:");
  s.hwm_kb = status_value(status, "\nVmHWM:");
  add_thread_switches(pid, s);
  s.ok = true;
  return s;
}

machine_sample sample_machine() {
  machine_sample s;
  std::ifstream in{"/proc/stat"};
  std::string cpu;
  uint64_t user, nice, system, idle, iowait, irq, softirq, steal;
  if (!(in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq
        >> steal)
      || cpu != "cpu")
    return s;
  s.busy = user + nice + system + irq + softirq;
  s.idle = idle + iowait;
  s.steal = steal;
  s.ok = true;
  return s;
}

uint64_t self_cpu_us() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto us = [](const timeval& tv) {
    return static_cast<uint64_t>(tv.tv_sec) * 1'000'000
           + static_cast<uint64_t>(tv.tv_usec);
  };
  return us(ru.ru_utime) + us(ru.ru_stime);
}

double ticks_per_second() {
  return static_cast<double>(sysconf(_SC_CLK_TCK));
}

} // namespace bench
