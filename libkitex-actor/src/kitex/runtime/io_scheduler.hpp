#pragma once

// io_scheduler — a CAF scheduler whose worker threads also run the asio
// io_context (runtime_options::io_threads == 0, the default).
//
// A worker takes jobs (actors with mail) from one shared queue; when the
// queue is empty it runs one io handler (blocking in epoll when nothing is
// ready) and then every ready one, instead of sleeping on a condition
// variable. One worker at a time runs io; the others wait for jobs on the
// condition variable and look every 2 ms whether io went unattended (its
// worker busy with a long job), so io never stalls for longer than that. A
// request is then read, decoded, handled and answered by one thread: no
// hand-off between an io thread and a scheduler thread, no futex wake-up and no
// context switch per call. See docs/architecture.md, "Threads".
//
// Wake-ups: a job enqueued by a thread that is not one of the workers (the
// CAF clock, a detached actor, the user's thread) wakes one idle worker:
// through a no-op io handler if it sleeps in io, through the condition
// variable otherwise. A job enqueued by a worker wakes another one only when
// the queue already holds more than that worker takes next, and a worker
// that dequeues while more jobs wait passes the wake on.
//
// Shutdown: the runtime stops the io_context, then calls detach(); from then
// on idle workers sleep on the condition variable and the io_context may be
// destroyed while the actor system still runs.

#include <cstddef>
#include <memory>

#include <caf/actor_system.hpp>

namespace asio {
class io_context;
} // namespace asio

namespace kitex::runtime::detail {

class io_scheduler_link;

/// Creates the scheduler module for `sys`, bound to `io`; `link` receives the
/// handle the runtime uses to detach it.
caf::actor_system::module* make_io_scheduler(caf::actor_system& sys,
                                             asio::io_context& io,
                                             io_scheduler_link*& link);

/// Stops the workers from running `io` (which must already be stopped) and
/// waits until none is inside it. Safe to call more than once.
void detach_io(io_scheduler_link& link);

/// On a worker of an io scheduler: queues `fn(obj)` to run on this thread
/// once its job queue is empty (or after a bounded number of further jobs),
/// before it waits for io again, and returns true. Elsewhere returns false
/// and does nothing. Sockets use it to gather the replies of one batch into
/// one write.
bool defer_until_idle(std::shared_ptr<void> obj, void (*fn)(void*));

} // namespace kitex::runtime::detail
