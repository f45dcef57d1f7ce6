/*
 * link: the host terminal's client of the session's link settings (delay, jitter, loss, rate on one
 * interface of a container of the session). It sends its arguments to the session's endpoint and
 * prints the answer; the endpoint validates everything.
 *
 *   link show | link set CONTAINER IFACE [delay 200ms] [jitter 20ms] [loss 5%] [rate 1mbit]
 *   link clear CONTAINER IFACE | link help
 *
 * The request is `POST /wireroom/link` (HTTP/1.0) over /var/run/docker.sock with the arguments
 * joined by "\n" as a text/plain body. The answer's body goes to stdout on 2xx (exit 0), else to
 * stderr (exit 1). Built statically and copied into the wireroom/labhost image (rootfs.sh).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define SOCKET_PATH "/var/run/docker.sock"
#define MAX_BODY 4096
#define MAX_ANSWER 65536

static int fail(const char *msg) {
  fprintf(stderr, "link: %s\n", msg);
  return 1;
}

static int write_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

int main(int argc, char **argv) {
  static char body[MAX_BODY], head[256], answer[MAX_ANSWER + 1];
  size_t blen = 0;
  for (int i = 1; i < argc; i++) {
    size_t alen = strlen(argv[i]);
    if (strchr(argv[i], '\n') || strchr(argv[i], '\r')) return fail("arguments cannot contain a line break");
    if (blen + alen + 1 >= MAX_BODY) return fail("arguments too long (at most 4095 bytes in all)");
    if (i > 1) body[blen++] = '\n';
    memcpy(body + blen, argv[i], alen);
    blen += alen;
  }

  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) return fail("cannot create a socket");
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  strncpy(addr.sun_path, SOCKET_PATH, sizeof addr.sun_path - 1);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) return fail("cannot reach the session at " SOCKET_PATH);

  int hlen = snprintf(head, sizeof head,
                      "POST /wireroom/link HTTP/1.0\r\nHost: docker\r\nContent-Type: text/plain\r\n"
                      "Content-Length: %zu\r\n\r\n",
                      blen);
  /* A refusal may come before the whole body is read: read the answer even if sending stopped. No
   * shutdown(SHUT_WR): Node's HTTP server drops a request whose client half-closes before the answer. */
  if (write_all(fd, head, (size_t)hlen) == 0) write_all(fd, body, blen);

  size_t got = 0;
  for (;;) {
    if (got >= MAX_ANSWER) break;
    ssize_t n = read(fd, answer + got, MAX_ANSWER - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += (size_t)n;
  }
  close(fd);
  answer[got] = '\0';

  int status = 0;
  if (sscanf(answer, "HTTP/%*d.%*d %d", &status) != 1) return fail("the session sent no valid answer");
  char *text = strstr(answer, "\r\n\r\n");
  text = text ? text + 4 : answer + got;
  size_t tlen = (size_t)(answer + got - text);
  FILE *out = status >= 200 && status < 300 ? stdout : stderr;
  fwrite(text, 1, tlen, out);
  if (tlen > 0 && text[tlen - 1] != '\n') fputc('\n', out);
  return out == stdout ? 0 : 1;
}
