/* rawframe: what an attacker with a packet socket does from a lab container's network namespace
 * (tests run it there with `nsenter -t <pid> -n`). Every command prints one result line.
 *
 *   rawframe arp IF SRC_IP TARGET_IP
 *       ARP who-has TARGET_IP; waits 1 s: "arp-reply" or "arp-none".
 *   rawframe syn IF DST_MAC SRC_IP DST_IP PORT
 *       TCP SYN (IPv4 or IPv6); waits 1 s for any IP packet from DST_IP: "tcp-answer" or "tcp-none".
 *   rawframe udp IF DST_MAC SRC_IP DST_IP PORT PAYLOAD [VNI INNER_MAC INNER_SRC INNER_DST INNER_PORT]
 *       Ethernet/IPv4/UDP frame; with VNI, a VXLAN frame whose inner IPv4/UDP carries PAYLOAD: "sent".
 *   rawframe listen PORT MARKER BARRIER TIMEOUT_MS
 *       UDP listener: prints "ready", then "count=N barrier=yes|no" (datagrams starting with MARKER)
 *       when BARRIER arrives or the timeout passes.
 */
#include <arpa/inet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what) { perror(what); exit(2); }

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static void parse_mac(const char *s, uint8_t mac[6]) {
  if (sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4], &mac[5]) != 6) die("mac");
}

static uint32_t sum16(const void *data, size_t len, uint32_t sum) {
  const uint8_t *p = data;
  for (; len > 1; p += 2, len -= 2) sum += (uint32_t)(p[0] << 8 | p[1]);
  if (len) sum += (uint32_t)(p[0] << 8);
  return sum;
}

static uint16_t fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return htons((uint16_t)~sum);
}

/* A packet socket bound to IF; fills its index and MAC. */
static int packet_socket(const char *ifname, int *ifindex, uint8_t mac[6]) {
  int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
  if (fd < 0) die("socket(AF_PACKET)");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
  if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) die("SIOCGIFINDEX");
  *ifindex = ifr.ifr_ifindex;
  if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) die("SIOCGIFHWADDR");
  memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
  struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = *ifindex};
  if (bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0) die("bind(AF_PACKET)");
  return fd;
}

static void send_frame(int fd, int ifindex, const uint8_t *frame, size_t len) {
  struct sockaddr_ll to = {.sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_halen = 6};
  memcpy(to.sll_addr, frame, 6);
  if (sendto(fd, frame, len, 0, (struct sockaddr *)&to, sizeof to) != (ssize_t)len) die("sendto");
}

/* Waits up to 1 s for a frame accepted by `match`; returns 1 if one came. */
static int await_frame(int fd, int (*match)(const uint8_t *, ssize_t, const void *), const void *arg) {
  uint8_t buf[2048];
  long long deadline = now_ms() + 1000;
  for (long long left; (left = deadline - now_ms()) > 0;) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, (int)left) <= 0) continue;
    struct sockaddr_ll from;
    socklen_t fromlen = sizeof from;
    ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen);
    if (n > 14 && from.sll_pkttype != PACKET_OUTGOING && match(buf, n, arg)) return 1;
  }
  return 0;
}

/* Ethernet header; returns its length. */
static size_t eth(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint16_t type) {
  memcpy(f, dst, 6);
  memcpy(f + 6, src, 6);
  f[12] = type >> 8;
  f[13] = type & 0xff;
  return 14;
}

/* IPv4 header with its checksum; returns its length. */
static size_t ipv4(uint8_t *p, struct in_addr src, struct in_addr dst, uint8_t proto, size_t payload) {
  memset(p, 0, 20);
  p[0] = 0x45;
  uint16_t total = htons((uint16_t)(20 + payload));
  memcpy(p + 2, &total, 2);
  p[8] = 64;
  p[9] = proto;
  memcpy(p + 12, &src, 4);
  memcpy(p + 16, &dst, 4);
  uint16_t ck = fold(sum16(p, 20, 0));
  memcpy(p + 10, &ck, 2);
  return 20;
}

/* UDP header and payload (checksum 0: allowed for IPv4). */
static size_t udp(uint8_t *p, uint16_t sport, uint16_t dport, const void *payload, size_t len) {
  uint16_t v[4] = {htons(sport), htons(dport), htons((uint16_t)(8 + len)), 0};
  memcpy(p, v, 8);
  memcpy(p + 8, payload, len);
  return 8 + len;
}

static int arp_match(const uint8_t *f, ssize_t n, const void *target) {
  return n >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[21] == 2 && memcmp(f + 28, target, 4) == 0;
}

static int cmd_arp(char **argv) {
  int ifindex;
  uint8_t mac[6], f[42], bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  struct in_addr src, dst;
  if (!inet_pton(AF_INET, argv[1], &src) || !inet_pton(AF_INET, argv[2], &dst)) die("address");
  int fd = packet_socket(argv[0], &ifindex, mac);
  size_t o = eth(f, bcast, mac, ETH_P_ARP);
  const uint8_t head[8] = {0, 1, 8, 0, 6, 4, 0, 1}; /* Ethernet, IPv4, request */
  memcpy(f + o, head, 8);
  memcpy(f + o + 8, mac, 6);
  memcpy(f + o + 14, &src, 4);
  memset(f + o + 18, 0, 6);
  memcpy(f + o + 24, &dst, 4);
  send_frame(fd, ifindex, f, sizeof f);
  puts(await_frame(fd, arp_match, &dst) ? "arp-reply" : "arp-none");
  return 0;
}

struct from_ip { int v6; uint8_t addr[16]; };

static int ip_match(const uint8_t *f, ssize_t n, const void *arg) {
  const struct from_ip *want = arg;
  if (!want->v6) return n >= 34 && f[12] == 0x08 && f[13] == 0x00 && memcmp(f + 26, want->addr, 4) == 0;
  return n >= 54 && f[12] == 0x86 && f[13] == 0xdd && memcmp(f + 22, want->addr, 16) == 0;
}

static int cmd_syn(char **argv) {
  int ifindex;
  uint8_t mac[6], dmac[6], f[128], tcp[20];
  struct from_ip want = {.v6 = strchr(argv[3], ':') != NULL};
  uint8_t src[16];
  int family = want.v6 ? AF_INET6 : AF_INET;
  if (!inet_pton(family, argv[2], src) || !inet_pton(family, argv[3], want.addr)) die("address");
  parse_mac(argv[1], dmac);
  int fd = packet_socket(argv[0], &ifindex, mac);
  memset(tcp, 0, sizeof tcp);
  uint16_t sport = htons(40000 + (uint16_t)(getpid() % 20000)), dport = htons((uint16_t)atoi(argv[4]));
  memcpy(tcp, &sport, 2);
  memcpy(tcp + 2, &dport, 2);
  tcp[7] = 1;       /* sequence number 1 */
  tcp[12] = 5 << 4; /* header length */
  tcp[13] = 0x02;   /* SYN */
  tcp[14] = 0xff;   /* window */
  size_t alen = want.v6 ? 16 : 4;
  uint32_t sum = sum16(src, alen, 0);
  sum = sum16(want.addr, alen, sum);
  sum += 6 + sizeof tcp; /* protocol + TCP length (pseudo header) */
  uint16_t ck = fold(sum16(tcp, sizeof tcp, sum));
  memcpy(tcp + 16, &ck, 2);
  size_t o;
  if (want.v6) {
    o = eth(f, dmac, mac, 0x86dd);
    memset(f + o, 0, 40);
    f[o] = 0x60;
    f[o + 5] = sizeof tcp;
    f[o + 6] = 6;
    f[o + 7] = 64;
    memcpy(f + o + 8, src, 16);
    memcpy(f + o + 24, want.addr, 16);
    o += 40;
  } else {
    o = eth(f, dmac, mac, ETH_P_IP);
    struct in_addr s, d;
    memcpy(&s, src, 4);
    memcpy(&d, want.addr, 4);
    o += ipv4(f + o, s, d, 6, sizeof tcp);
  }
  memcpy(f + o, tcp, sizeof tcp);
  send_frame(fd, ifindex, f, o + sizeof tcp);
  puts(await_frame(fd, ip_match, &want) ? "tcp-answer" : "tcp-none");
  return 0;
}

static int cmd_udp(int argc, char **argv) {
  int ifindex;
  uint8_t mac[6], dmac[6], f[512], inner[256];
  struct in_addr src, dst;
  if (!inet_pton(AF_INET, argv[2], &src) || !inet_pton(AF_INET, argv[3], &dst)) die("address");
  parse_mac(argv[1], dmac);
  int fd = packet_socket(argv[0], &ifindex, mac);
  const char *payload = argv[5];
  const void *body = payload;
  size_t blen = strlen(payload);
  if (argc >= 11) { /* VXLAN: flags, VNI, then an inner Ethernet/IPv4/UDP frame */
    uint8_t imac[6], isrcmac[6] = {0x02, 0x42, 0xde, 0xad, 0xbe, 0xef};
    struct in_addr isrc, idst;
    parse_mac(argv[7], imac);
    if (!inet_pton(AF_INET, argv[8], &isrc) || !inet_pton(AF_INET, argv[9], &idst)) die("inner address");
    uint32_t vni = (uint32_t)strtoul(argv[6], NULL, 10);
    memset(inner, 0, 8);
    inner[0] = 0x08;
    inner[4] = (uint8_t)(vni >> 16);
    inner[5] = (uint8_t)(vni >> 8);
    inner[6] = (uint8_t)vni;
    size_t o = 8 + eth(inner + 8, imac, isrcmac, ETH_P_IP);
    o += ipv4(inner + o, isrc, idst, 17, 8 + blen);
    o += udp(inner + o, 40000, (uint16_t)atoi(argv[10]), payload, blen);
    body = inner;
    blen = o;
  }
  size_t o = eth(f, dmac, mac, ETH_P_IP);
  o += ipv4(f + o, src, dst, 17, 8 + blen);
  o += udp(f + o, 40001, (uint16_t)atoi(argv[4]), body, blen);
  send_frame(fd, ifindex, f, o);
  puts("sent");
  return 0;
}

static int cmd_listen(char **argv) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) die("socket");
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[0]))};
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
  puts("ready");
  fflush(stdout);
  long long deadline = now_ms() + atoi(argv[3]);
  int count = 0, barrier = 0;
  char buf[1500];
  for (long long left; !barrier && (left = deadline - now_ms()) > 0;) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, (int)left) <= 0) continue;
    ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
    if (n < 0) continue;
    buf[n] = 0;
    if (strncmp(buf, argv[1], strlen(argv[1])) == 0) count++;
    if (strncmp(buf, argv[2], strlen(argv[2])) == 0) barrier = 1;
  }
  printf("count=%d barrier=%s\n", count, barrier ? "yes" : "no");
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc == 5 && !strcmp(argv[1], "arp")) return cmd_arp(argv + 2);
  if (argc == 7 && !strcmp(argv[1], "syn")) return cmd_syn(argv + 2);
  if ((argc == 8 || argc == 13) && !strcmp(argv[1], "udp")) return cmd_udp(argc - 2, argv + 2);
  if (argc == 6 && !strcmp(argv[1], "listen")) return cmd_listen(argv + 2);
  fprintf(stderr, "usage: see the comment at the top of rawframe.c\n");
  return 2;
}
