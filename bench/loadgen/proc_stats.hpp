#pragma once

// Samples of /proc used to charge CPU to the server under test, to the load
// generator itself and to everyone else on the machine (the contention
// guard of docs/benchmarks.md).

#include <cstdint>
#include <sys/types.h>

namespace bench {

/// One process (all of its threads).
struct process_sample {
  bool ok = false;
  uint64_t cpu_ticks = 0; // utime + stime, in clock ticks
  uint64_t rss_kb = 0;
  uint64_t hwm_kb = 0;               // peak RSS
  uint64_t voluntary_switches = 0;   // summed over its threads
  uint64_t involuntary_switches = 0; // summed over its threads
};

/// The whole machine, from the "cpu" line of /proc/stat, in clock ticks.
struct machine_sample {
  bool ok = false;
  uint64_t busy = 0; // user nice system irq softirq
  uint64_t idle = 0; // idle iowait
  uint64_t steal = 0;
  uint64_t total() const {
    return busy + idle + steal;
  }
};

process_sample sample_process(pid_t pid);
machine_sample sample_machine();

/// CPU time of the calling process (all threads) in microseconds, from
/// getrusage: finer than clock ticks.
uint64_t self_cpu_us();

/// Clock ticks per second (sysconf(_SC_CLK_TCK)).
double ticks_per_second();

} // namespace bench
