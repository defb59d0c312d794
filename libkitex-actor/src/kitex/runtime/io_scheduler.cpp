#include "kitex/runtime/io_scheduler.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <caf/policy/unprofiled.hpp>
#include <caf/resumable.hpp>
#include <caf/scheduler/coordinator.hpp>

namespace kitex::runtime::detail {

// The coordinator's shared state; the runtime holds a pointer to it.
class io_scheduler_link {
public:
  explicit io_scheduler_link(caf::scheduler::abstract_coordinator*) {}

  std::mutex mtx;
  std::condition_variable cv;
  std::deque<caf::resumable*> queue;
  asio::io_context* io = nullptr; // null once detached or out of work
  size_t in_io = 0;               // the worker inside io (0 or 1)
  size_t in_cv = 0;               // workers waiting on cv for a job
  bool wake_posted = false;       // a no-op handler is on its way

  /// Wakes one idle worker. Requires `mtx`.
  void wake_one() {
    if (in_cv > 0) {
      cv.notify_one();
    } else if (in_io > 0 && io != nullptr && !wake_posted) {
      wake_posted = true;
      asio::post(*io, [] {});
    }
  }
};

namespace {

// The link whose worker runs on this thread (null on any other thread).
thread_local const io_scheduler_link* current_link = nullptr;

// Work this worker runs before it next waits for io (defer_until_idle).
struct deferred_call {
  std::shared_ptr<void> obj;
  void (*fn)(void*);
};
thread_local std::vector<deferred_call> deferred;
// Jobs run since the first deferred call; bounds how long one may wait.
thread_local size_t jobs_since_deferred = 0;
constexpr size_t max_jobs_before_deferred = 32;
// How often an idle worker looks whether io is left unattended.
constexpr auto io_check_interval = std::chrono::milliseconds{2};

void run_deferred() {
  auto calls = std::move(deferred);
  deferred.clear();
  jobs_since_deferred = 0;
  for (auto& c : calls)
    c.fn(c.obj.get());
}

class io_policy : public caf::policy::unprofiled {
public:
  using coordinator_data = io_scheduler_link;

  struct worker_data {
    explicit worker_data(caf::scheduler::abstract_coordinator*) {}
  };

  template<class Coordinator>
  void central_enqueue(Coordinator* self, caf::resumable* job) {
    push(self->data(), job);
  }

  template<class Worker>
  void external_enqueue(Worker* self, caf::resumable* job) {
    push(self->parent()->data(), job);
  }

  template<class Worker>
  void internal_enqueue(Worker* self, caf::resumable* job) {
    push(self->parent()->data(), job);
  }

  template<class Worker>
  void resume_job_later(Worker* self, caf::resumable* job) {
    push(self->parent()->data(), job);
  }

  template<class Worker>
  caf::resumable* dequeue(Worker* self) {
    auto& d = self->parent()->data();
    current_link = &d;
    if (!deferred.empty() && ++jobs_since_deferred > max_jobs_before_deferred)
      run_deferred();
    std::unique_lock<std::mutex> guard{d.mtx};
    for (;;) {
      if (d.queue.empty() && !deferred.empty()) {
        guard.unlock();
        run_deferred();
        guard.lock();
        continue;
      }
      if (!d.queue.empty()) {
        auto* job = d.queue.front();
        d.queue.pop_front();
        if (!d.queue.empty())
          d.wake_one();
        return job;
      }
      // One worker at a time runs io: asio then never hands its reactor
      // from thread to thread (a wake-up per call with two workers).
      if (auto* io = d.io; io != nullptr && d.in_io == 0) {
        ++d.in_io;
        guard.unlock();
        // One blocking step, then whatever else is ready: a batch of reads
        // becomes a batch of jobs, and their replies leave together.
        auto ran = io->run_one();
        if (ran > 0)
          ran += io->poll();
        guard.lock();
        --d.in_io;
        d.wake_posted = false;
        if (ran == 0) // stopped or out of work: it runs nothing any more
          d.io = nullptr;
        if (d.io == nullptr)
          d.cv.notify_all(); // detach_io() waits for in_io == 0
        continue;
      }
      ++d.in_cv;
      if (d.io != nullptr) // io may go unattended while its worker runs a
        d.cv.wait_for(guard, io_check_interval); // long job: look again
      else
        d.cv.wait(guard);
      --d.in_cv;
    }
  }

  template<class Worker, class F>
  void foreach_resumable(Worker*, F) {
    // Workers hold no jobs of their own.
  }

  template<class Coordinator, class F>
  void foreach_central_resumable(Coordinator* self, F f) {
    std::deque<caf::resumable*> jobs;
    {
      std::lock_guard<std::mutex> guard{self->data().mtx};
      jobs.swap(self->data().queue);
    }
    for (auto* job : jobs)
      f(job);
  }

private:
  static void push(io_scheduler_link& d, caf::resumable* job) {
    std::lock_guard<std::mutex> guard{d.mtx};
    d.queue.push_back(job);
    // A worker looks at the queue before it blocks again, so a job it
    // enqueued itself needs nobody woken unless work piles up.
    if (current_link != &d || d.queue.size() > 1)
      d.wake_one();
  }
};

using io_coordinator = caf::scheduler::coordinator<io_policy>;

} // namespace

caf::actor_system::module* make_io_scheduler(caf::actor_system& sys,
                                             asio::io_context& io,
                                             io_scheduler_link*& link) {
  auto* coordinator = new io_coordinator(sys);
  link = &coordinator->data();
  link->io = &io;
  return coordinator;
}

bool defer_until_idle(std::shared_ptr<void> obj, void (*fn)(void*)) {
  if (current_link == nullptr)
    return false;
  deferred.push_back({std::move(obj), fn});
  return true;
}

void detach_io(io_scheduler_link& link) {
  std::unique_lock<std::mutex> guard{link.mtx};
  link.io = nullptr;
  link.cv.wait(guard, [&] { return link.in_io == 0; });
}

} // namespace kitex::runtime::detail
