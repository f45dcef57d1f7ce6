/*
 * labdns: the lab's own DNS server. Answers A queries for a fixed zone given on the command
 * line and NXDOMAIN for everything else, so a learner's nslookup never leaves the machine.
 *
 *   labdns [-p PORT] NAME=IPV4 [NAME=IPV4 ...]
 *
 * UDP only, one question per query (what nslookup, ping and wget send). Built statically and
 * copied into the wireroom/labhost image (images/labhost/build.sh).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_RECORDS 64
#define MAX_NAME 256

struct record { char name[MAX_NAME]; struct in_addr addr; };
static struct record zone[MAX_RECORDS];
static int zone_size;

static void lower(char *s) { for (; *s; s++) *s = (char)tolower((unsigned char)*s); }

/* Reads the question name at buf[off] into out (dotted, lower case); returns the offset after it or -1. */
static int read_qname(const unsigned char *buf, int len, int off, char *out) {
  int n = 0;
  while (off < len) {
    int label = buf[off++];
    if (label == 0) { out[n ? n - 1 : 0] = '\0'; if (!n) out[0] = '\0'; return off; }
    if (label > 63 || off + label > len || n + label + 1 >= MAX_NAME) return -1;
    memcpy(out + n, buf + off, (size_t)label);
    n += label;
    out[n++] = '.';
    off += label;
  }
  return -1;
}

int main(int argc, char **argv) {
  int port = 53, i = 1;
  if (argc > 2 && strcmp(argv[1], "-p") == 0) { port = atoi(argv[2]); i = 3; }
  for (; i < argc && zone_size < MAX_RECORDS; i++) {
    char *eq = strchr(argv[i], '=');
    if (!eq || eq - argv[i] >= MAX_NAME) { fprintf(stderr, "labdns: bad record '%s' (want name=ipv4)\n", argv[i]); return 2; }
    *eq = '\0';
    if (inet_pton(AF_INET, eq + 1, &zone[zone_size].addr) != 1) { fprintf(stderr, "labdns: bad address '%s'\n", eq + 1); return 2; }
    snprintf(zone[zone_size].name, MAX_NAME, "%s", argv[i]);
    lower(zone[zone_size].name);
    zone_size++;
  }

  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_ANY) };
  if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) { perror("labdns: bind"); return 1; }

  for (;;) {
    unsigned char q[512], r[512];
    struct sockaddr_in peer;
    socklen_t plen = sizeof peer;
    ssize_t len = recvfrom(fd, q, sizeof q, 0, (struct sockaddr *)&peer, &plen);
    if (len < 12 || (q[2] & 0x80)) continue;           /* too short, or a response */
    if (q[4] != 0 || q[5] != 1) continue;              /* exactly one question */
    char name[MAX_NAME];
    int end = read_qname(q, (int)len, 12, name);
    if (end < 0 || end + 4 > len) continue;
    lower(name);
    uint16_t qtype = (uint16_t)(q[end] << 8 | q[end + 1]);
    int qlen = end + 4;

    memcpy(r, q, (size_t)qlen);
    r[2] = (unsigned char)(0x84 | (q[2] & 0x01));      /* QR, AA, copy RD */
    r[3] = 0;                                          /* RA=0, RCODE=0 */
    r[6] = r[7] = r[8] = r[9] = r[10] = r[11] = 0;     /* AN, NS, AR counts */
    int out = qlen, found = 0, answers = 0;
    for (int k = 0; k < zone_size; k++) {
      if (strcasecmp(zone[k].name, name) != 0) continue;
      found = 1;
      if ((qtype != 1 && qtype != 255) || out + 16 > (int)sizeof r) continue;
      unsigned char rr[16] = { 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4 };
      memcpy(rr + 12, &zone[k].addr, 4);
      memcpy(r + out, rr, 16);
      out += 16;
      answers++;
    }
    if (!found) r[3] = 3;                              /* NXDOMAIN */
    r[7] = (unsigned char)answers;
    sendto(fd, r, (size_t)out, 0, (struct sockaddr *)&peer, plen);
  }
}
