/*
 * A Unix-domain peer that hands file descriptors (SCM_RIGHTS) to an RPC server along with its
 * call bytes, for FileDescriptorsPassedTest; Java cannot send them itself.
 *
 *   fd_passer PATH COUNT PROGRAM VERSION
 *       connects to PATH and makes COUNT NULL calls (AUTH_NONE) to PROGRAM, VERSION, one at a
 *       time, each record sent in two writes: the first carries four descriptors of /dev/null,
 *       the second the rest of the call; reads each reply, which must be SUCCESS, and prints
 *       "replies N" at the end. Exits 1 on any failure, saying why.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <arpa/inet.h>

#define PASSED 4

static void fail(const char *what) {
  fprintf(stderr, "fd_passer: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void read_fully(int s, unsigned char *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(s, buf + got, n - got);
    if (r == 0) {
      errno = ECONNRESET;
      fail("reply cut short");
    }
    if (r < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail("read");
    }
    got += (size_t) r;
  }
}

/* Writes the first half of buf with the descriptors attached, then the rest. */
static void send_with_fds(int s, const unsigned char *buf, size_t n, const int *fds) {
  size_t first = n / 2;
  struct iovec iov = {(void *) buf, first};
  union {
    char bytes[CMSG_SPACE(sizeof(int) * PASSED)];
    struct cmsghdr align;
  } control;
  memset(&control, 0, sizeof control);
  struct msghdr msg = {0};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.bytes;
  msg.msg_controllen = sizeof control.bytes;
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int) * PASSED);
  memcpy(CMSG_DATA(c), fds, sizeof(int) * PASSED);
  if (sendmsg(s, &msg, 0) != (ssize_t) first) {
    fail("sendmsg");
  }
  if (write(s, buf + first, n - first) != (ssize_t) (n - first)) {
    fail("write");
  }
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: fd_passer PATH COUNT PROGRAM VERSION\n");
    return 2;
  }
  long count = strtol(argv[2], NULL, 10);
  uint32_t program = (uint32_t) strtoul(argv[3], NULL, 0);
  uint32_t version = (uint32_t) strtoul(argv[4], NULL, 0);
  int fds[PASSED];
  for (int i = 0; i < PASSED; i++) {
    fds[i] = open("/dev/null", O_RDONLY);
    if (fds[i] < 0) {
      fail("open /dev/null");
    }
  }
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  if (s < 0) {
    fail("socket");
  }
  struct sockaddr_un addr = {0};
  addr.sun_family = AF_UNIX;
  strncpy(addr.sun_path, argv[1], sizeof addr.sun_path - 1);
  if (connect(s, (struct sockaddr *) &addr, sizeof addr) < 0) {
    fail("connect");
  }
  long replies = 0;
  for (long i = 0; i < count; i++) {
    /* Record mark, then xid, CALL, RPC version 2, program, version, procedure 0, two AUTH_NONE. */
    uint32_t words[] = {htonl(0x80000000u | 40), htonl((uint32_t) i + 1), 0, htonl(2), htonl(program),
        htonl(version), 0, 0, 0, 0, 0};
    send_with_fds(s, (const unsigned char *) words, sizeof words, fds);
    unsigned char mark[4];
    read_fully(s, mark, 4);
    uint32_t length = ((uint32_t) mark[0] << 24 | (uint32_t) mark[1] << 16 | (uint32_t) mark[2] << 8 | mark[3])
        & 0x7fffffffu;
    if (length < 24 || length > 4096) {
      errno = EPROTO;
      fail("reply of an unexpected length");
    }
    unsigned char reply[4096];
    read_fully(s, reply, length);
    uint32_t xid;
    uint32_t accepted;
    memcpy(&xid, reply, 4);
    memcpy(&accepted, reply + 20, 4);
    if (ntohl(xid) != (uint32_t) i + 1 || reply[11] != 0 || ntohl(accepted) != 0) {
      errno = EPROTO;
      fail("not the SUCCESS reply of the call");
    }
    replies++;
  }
  printf("replies %ld\n", replies);
  close(s);
  return 0;
}
