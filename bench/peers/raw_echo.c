/* raw_echo: the ceiling of the benchmarks. One thread, one epoll set, a
 * 4-byte big-endian length prefix. A reply goes out only once the whole
 * frame has arrived, and it is a COPY of the frame (netpoll-benchmark's
 * rules 2 and 3), so the server pays what any real server pays at least:
 * read, frame, copy, write.
 *
 *   raw_echo [--addr HOST:PORT]     (default 127.0.0.1:9000)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum { max_frame = 64 * 1024 * 1024 + 16, min_buf = 64 * 1024 };

struct buf {
  char* data;
  size_t begin, end, cap;
};

struct conn {
  int fd;
  struct buf in, out;
  int polling_out;
};

static void buf_reserve(struct buf* b, size_t extra) {
  if (b->begin > 0 && b->cap - b->end < extra) {
    memmove(b->data, b->data + b->begin, b->end - b->begin);
    b->end -= b->begin;
    b->begin = 0;
  }
  if (b->cap - b->end >= extra)
    return;
  size_t cap = b->cap ? b->cap : min_buf;
  while (cap - b->end < extra)
    cap *= 2;
  b->data = realloc(b->data, cap);
  if (!b->data) {
    perror("raw_echo: realloc");
    exit(1);
  }
  b->cap = cap;
}

static void conn_close(int ep, struct conn* c) {
  epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  free(c->in.data);
  free(c->out.data);
  free(c);
}

static void set_out_polling(int ep, struct conn* c, int on) {
  if (c->polling_out == on)
    return;
  struct epoll_event ev
    = {.events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c};
  epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
  c->polling_out = on;
}

/* Writes what it can; returns -1 if the connection failed. */
static int conn_flush(int ep, struct conn* c) {
  struct buf* o = &c->out;
  while (o->begin < o->end) {
    ssize_t n
      = send(c->fd, o->data + o->begin, o->end - o->begin, MSG_NOSIGNAL);
    if (n > 0) {
      o->begin += (size_t)n;
    } else if (n < 0 && errno == EAGAIN) {
      set_out_polling(ep, c, 1);
      return 0;
    } else if (n < 0 && errno != EINTR) {
      return -1;
    }
  }
  o->begin = o->end = 0;
  set_out_polling(ep, c, 0);
  return 0;
}

/* Copies every complete frame of the input into the output. */
static int conn_echo_frames(struct conn* c) {
  struct buf* in = &c->in;
  while (in->end - in->begin >= 4) {
    const unsigned char* p = (const unsigned char*)in->data + in->begin;
    size_t len = ((size_t)p[0] << 24) | ((size_t)p[1] << 16)
                 | ((size_t)p[2] << 8) | p[3];
    if (len > max_frame)
      return -1;
    if (in->end - in->begin < 4 + len)
      break;
    buf_reserve(&c->out, 4 + len);
    memcpy(c->out.data + c->out.end, in->data + in->begin, 4 + len);
    c->out.end += 4 + len;
    in->begin += 4 + len;
  }
  if (in->begin == in->end)
    in->begin = in->end = 0;
  return 0;
}

static int conn_read(struct conn* c) {
  for (;;) {
    buf_reserve(&c->in, min_buf);
    size_t room = c->in.cap - c->in.end;
    ssize_t n = read(c->fd, c->in.data + c->in.end, room);
    if (n > 0) {
      c->in.end += (size_t)n;
      if (conn_echo_frames(c) != 0)
        return -1;
      if ((size_t)n < room)
        return 0;
    } else if (n == 0) {
      return -1;
    } else if (errno == EAGAIN) {
      return 0;
    } else if (errno != EINTR) {
      return -1;
    }
  }
}

static int listen_on(const char* addr) {
  char host[256];
  const char* colon = strrchr(addr, ':');
  if (!colon || (size_t)(colon - addr) >= sizeof host) {
    fprintf(stderr, "raw_echo: --addr wants HOST:PORT\n");
    exit(2);
  }
  memcpy(host, addr, (size_t)(colon - addr));
  host[colon - addr] = 0;
  struct addrinfo hints = {
    .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
  struct addrinfo* res = NULL;
  if (getaddrinfo(host[0] ? host : NULL, colon + 1, &hints, &res) != 0) {
    fprintf(stderr, "raw_echo: cannot resolve %s\n", addr);
    exit(2);
  }
  int fd
    = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) != 0
      || listen(fd, 1024) != 0) {
    perror("raw_echo: listen");
    exit(1);
  }
  freeaddrinfo(res);
  return fd;
}

static void accept_all(int ep, int lfd) {
  for (;;) {
    int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0)
      return;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct conn* c = calloc(1, sizeof *c);
    c->fd = fd;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  }
}

int main(int argc, char** argv) {
  const char* addr = "127.0.0.1:9000";
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--addr") == 0 && i + 1 < argc) {
      addr = argv[++i];
    } else {
      fprintf(stderr, "usage: raw_echo [--addr HOST:PORT]\n");
      return 2;
    }
  }
  signal(SIGPIPE, SIG_IGN);
  int lfd = listen_on(addr);
  int ep = epoll_create1(EPOLL_CLOEXEC);
  static int listener_tag;
  struct epoll_event lev = {.events = EPOLLIN, .data.ptr = &listener_tag};
  epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev);
  struct epoll_event evs[256];
  for (;;) {
    int n = epoll_wait(ep, evs, 256, -1);
    for (int i = 0; i < n; ++i) {
      if (evs[i].data.ptr == &listener_tag) {
        accept_all(ep, lfd);
        continue;
      }
      struct conn* c = evs[i].data.ptr;
      int failed = 0;
      if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
        failed = conn_read(c);
      if (!failed)
        failed = conn_flush(ep, c);
      if (failed)
        conn_close(ep, c);
    }
  }
}
