/*
 * nfdelay: delays (and drops a share of) the packets of one netfilter queue (the kernel has no netem
 * here). It binds queue QUEUE (an `iptables ... -j NFQUEUE --queue-num QUEUE --queue-bypass` rule
 * sends packets to it), drops each packet with probability LOSS_PCT/100 (default 0) and gives the
 * others their NF_ACCEPT verdict DELAY_MS +/- JITTER_MS after they arrived (uniform; with a jitter,
 * packets can be reordered, as with netem). A drop here is silent, as netem's: an iptables DROP of a
 * packet the namespace sends fails the sender's send() with EPERM (busybox ping exits on it). At most MAX_HELD packets wait at once: the kernel
 * queue is that long and drops beyond it, and a packet that still does not fit here is dropped. On
 * SIGTERM or SIGINT it lets every waiting packet go, unbinds the queue and exits 0 (with
 * --queue-bypass, packets then pass undelayed until the rule is removed).
 * Usage: nfdelay QUEUE DELAY_MS JITTER_MS [LOSS_PCT]      (needs CAP_NET_ADMIN in the namespace)
 * Built by images/nettools/rootfs.sh against Debian's libnetfilter-queue.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_HELD 10000
#define MAX_MS 60000

typedef struct {
  uint64_t due_ns;
  uint32_t id;
} held_t;

static held_t heap[MAX_HELD];
static size_t held;
static struct nfq_q_handle *queue;
static long delay_ms, jitter_ms;
static double loss;
static volatile sig_atomic_t stopping;
static unsigned long long dropped;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void swap(size_t a, size_t b) {
  held_t t = heap[a];
  heap[a] = heap[b];
  heap[b] = t;
}

static void push(held_t h) {
  size_t i = held++;
  heap[i] = h;
  while (i > 0 && heap[(i - 1) / 2].due_ns > heap[i].due_ns) {
    swap(i, (i - 1) / 2);
    i = (i - 1) / 2;
  }
}

static held_t pop(void) {
  held_t top = heap[0];
  heap[0] = heap[--held];
  size_t i = 0;
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < held && heap[l].due_ns < heap[m].due_ns) m = l;
    if (r < held && heap[r].due_ns < heap[m].due_ns) m = r;
    if (m == i) break;
    swap(i, m);
    i = m;
  }
  return top;
}

/* Uniform in [delay - jitter, delay + jitter] ms, never below 0. */
static uint64_t delay_ns(void) {
  long long us = delay_ms * 1000LL;
  if (jitter_ms > 0) us += (long long)(random() % (2 * jitter_ms * 1000 + 1)) - jitter_ms * 1000LL;
  return us < 0 ? 0 : (uint64_t)us * 1000ull;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa, void *data) {
  (void)msg;
  (void)data;
  struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
  if (!ph) return 0;
  uint32_t id = ntohl(ph->packet_id);
  if (held >= MAX_HELD) {
    dropped++;
    return nfq_set_verdict(qh, id, NF_DROP, 0, NULL);
  }
  if (loss > 0 && drand48() < loss) return nfq_set_verdict(qh, id, NF_DROP, 0, NULL);
  uint64_t d = delay_ns();
  if (d == 0 && held == 0) return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
  push((held_t){now_ns() + d, id});
  return 0;
}

static void release_due(uint64_t until) {
  while (held > 0 && heap[0].due_ns <= until) nfq_set_verdict(queue, pop().id, NF_ACCEPT, 0, NULL);
}

static void on_signal(int sig) {
  (void)sig;
  stopping = 1;
}

static long parse_ms(const char *what, const char *text) {
  char *end;
  errno = 0;
  long v = strtol(text, &end, 10);
  if (errno || end == text || *end || v < 0 || v > MAX_MS) {
    fprintf(stderr, "nfdelay: %s must be a whole number of milliseconds from 0 to %d, got '%s'\n", what, MAX_MS, text);
    exit(2);
  }
  return v;
}

int main(int argc, char **argv) {
  if (argc != 4 && argc != 5) {
    fprintf(stderr, "usage: nfdelay QUEUE DELAY_MS JITTER_MS [LOSS_PCT]\n");
    return 2;
  }
  char *end;
  long qnum = strtol(argv[1], &end, 10);
  if (end == argv[1] || *end || qnum < 0 || qnum > 65535) {
    fprintf(stderr, "nfdelay: QUEUE must be a queue number from 0 to 65535, got '%s'\n", argv[1]);
    return 2;
  }
  delay_ms = parse_ms("DELAY_MS", argv[2]);
  jitter_ms = parse_ms("JITTER_MS", argv[3]);
  if (argc == 5) {
    loss = strtod(argv[4], &end);
    if (end == argv[4] || *end || !(loss >= 0 && loss <= 100)) {
      fprintf(stderr, "nfdelay: LOSS_PCT must be a percentage from 0 to 100, got '%s'\n", argv[4]);
      return 2;
    }
    loss /= 100;
  }
  srandom((unsigned)now_ns() ^ (unsigned)getpid());
  srand48((long)now_ns() ^ getpid());

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* no SA_RESTART: poll returns EINTR */
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  struct nfq_handle *h = nfq_open();
  if (!h) {
    perror("nfdelay: cannot open the netfilter queue socket (CAP_NET_ADMIN?)");
    return 1;
  }
  queue = nfq_create_queue(h, (uint16_t)qnum, on_packet, NULL);
  if (!queue) {
    fprintf(stderr, "nfdelay: cannot bind queue %ld (in use by another program, or no CAP_NET_ADMIN)\n", qnum);
    nfq_close(h);
    return 1;
  }
  if (nfq_set_mode(queue, NFQNL_COPY_META, 0) < 0) {
    fprintf(stderr, "nfdelay: cannot set the queue's copy mode\n");
    return 1;
  }
  nfq_set_queue_maxlen(queue, MAX_HELD);
  /* Whole GSO packets: one verdict per super-packet instead of a segmentation in the kernel. */
  nfq_set_queue_flags(queue, NFQA_CFG_F_GSO, NFQA_CFG_F_GSO);
  int fd = nfq_fd(h);
  int rcvbuf = 8 << 20;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);

  fprintf(stderr, "nfdelay: queue %ld, delay %ld ms, jitter %ld ms, loss %g %%\n", qnum, delay_ms, jitter_ms, loss * 100);
  static char buf[65536] __attribute__((aligned));
  while (!stopping) {
    int timeout = -1;
    if (held > 0) {
      uint64_t now = now_ns();
      timeout = heap[0].due_ns <= now ? 0 : (int)((heap[0].due_ns - now + 999999) / 1000000);
    }
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int n = poll(&p, 1, timeout);
    if (n < 0 && errno != EINTR) {
      perror("nfdelay: poll");
      break;
    }
    if (n > 0) {
      /* Read everything that is there without blocking. */
      for (;;) {
        ssize_t len = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (len < 0) {
          /* ENOBUFS: the socket overflowed and the kernel dropped some packets' messages (they are lost). */
          if (errno == ENOBUFS) continue;
          break;
        }
        nfq_handle_packet(h, buf, (int)len);
      }
    }
    release_due(now_ns());
  }
  release_due(UINT64_MAX);
  nfq_destroy_queue(queue);
  nfq_close(h);
  if (dropped) fprintf(stderr, "nfdelay: dropped %llu packets beyond %d waiting\n", dropped, MAX_HELD);
  return 0;
}
