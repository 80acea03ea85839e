/*
 * A hand-written TCP server for interop.x's GREET that answers the calls of a connection out of
 * order, as a server with many calls outstanding may (RFC 5531 matches a reply to its call by
 * xid alone):
 *
 *   interop_reordering_server batch [lifetime-seconds]
 *
 * It holds every call until `batch` have come on the connection, then answers them last first
 * ("hello, " + who, as interop_impl.c does), all in one write: each reply split into record
 * fragments of 1 to 7 bytes after an empty one, and the first reply sent followed by a copy of
 * itself, which no call awaits any more. Other procedures get PROC_UNAVAIL in their turn, but
 * NULL, the ping a client may send first on a connection, is answered at once, in order. It
 * then reads the next batch on the same connection. libtirpc's svc cannot answer an earlier call
 * after a later one (svc_vc_reply takes the xid of the last call read), so this server decodes
 * and encodes with libtirpc's XDR routines itself.
 *
 * It listens on 127.0.0.1, prints the port on stdout and serves one connection at a time until
 * killed or its lifetime ends.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "interop.h"
#include "same_port.h"

#define MAX_BATCH 1024
#define MAX_RECORD 4096 /* a GREET call is far smaller; a longer record ends the connection */
#define MAX_FRAGMENT 7

struct held {
  u_int32_t xid;
  u_int32_t proc;
  char who[MAX_NAME + 1];
};

static struct held calls[MAX_BATCH];

static int read_fully(int fd, char *buffer, size_t length) {
  while (length > 0) {
    ssize_t n = read(fd, buffer, length);
    if (n <= 0) {
      return 0;
    }
    buffer += n;
    length -= (size_t) n;
  }
  return 1;
}

/* One record, its fragments joined; its length, or -1 at the end of the connection. */
static int read_record(int fd, char *record) {
  int length = 0;
  for (;;) {
    u_int32_t mark;
    if (!read_fully(fd, (char *) &mark, sizeof mark)) {
      return -1;
    }
    mark = ntohl(mark);
    u_int32_t fragment = mark & 0x7fffffffu;
    if (fragment > (u_int32_t) (MAX_RECORD - length)
        || !read_fully(fd, record + length, fragment)) {
      return -1;
    }
    length += (int) fragment;
    if (mark & 0x80000000u) {
      return length;
    }
  }
}

/* Decodes a call into `held`; 0 if it is no call. */
static int decode_call(char *record, int length, struct held *held) {
  char cred[MAX_AUTH_BYTES];
  char verf[MAX_AUTH_BYTES];
  struct rpc_msg call;
  memset(&call, 0, sizeof call);
  call.rm_call.cb_cred.oa_base = cred;
  call.rm_call.cb_verf.oa_base = verf;
  XDR xdrs;
  xdrmem_create(&xdrs, record, (u_int) length, XDR_DECODE);
  if (!xdr_callmsg(&xdrs, &call)) {
    return 0;
  }
  held->xid = call.rm_xid;
  held->proc = call.rm_call.cb_proc;
  held->who[0] = '\0';
  if (held->proc == GREET) {
    char *who = held->who;
    if (!xdr_string(&xdrs, &who, MAX_NAME)) {
      return 0;
    }
  }
  return 1;
}

/* Appends `reply` to `out` as an empty fragment, then fragments of 1..MAX_FRAGMENT bytes. */
static size_t append_fragments(char *out, const char *reply, u_int length, unsigned *size) {
  size_t at = 0;
  u_int32_t mark = htonl(0);
  memcpy(out + at, &mark, 4);
  at += 4;
  for (u_int sent = 0; sent < length;) {
    u_int n = 1 + (*size)++ % MAX_FRAGMENT;
    if (n > length - sent) {
      n = length - sent;
    }
    mark = htonl(n | (sent + n == length ? 0x80000000u : 0));
    memcpy(out + at, &mark, 4);
    memcpy(out + at + 4, reply + sent, n);
    at += 4 + n;
    sent += n;
  }
  return at;
}

static u_int encode_reply(const struct held *held, char *reply, u_int capacity) {
  char greeting[sizeof "hello, " + MAX_NAME];
  char *text = greeting;
  snprintf(greeting, sizeof greeting, "hello, %s", held->who);
  struct rpc_msg msg;
  memset(&msg, 0, sizeof msg);
  msg.rm_xid = held->xid;
  msg.rm_direction = REPLY;
  msg.rm_reply.rp_stat = MSG_ACCEPTED;
  msg.acpted_rply.ar_verf = _null_auth;
  if (held->proc == GREET) {
    msg.acpted_rply.ar_stat = SUCCESS;
    msg.acpted_rply.ar_results.where = (caddr_t) &text;
    msg.acpted_rply.ar_results.proc = (xdrproc_t) xdr_text;
  } else if (held->proc == NULLPROC) {
    msg.acpted_rply.ar_stat = SUCCESS;
    msg.acpted_rply.ar_results.where = NULL;
    msg.acpted_rply.ar_results.proc = (xdrproc_t) xdr_void;
  } else {
    msg.acpted_rply.ar_stat = PROC_UNAVAIL;
  }
  XDR xdrs;
  xdrmem_create(&xdrs, reply, capacity, XDR_ENCODE);
  if (!xdr_replymsg(&xdrs, &msg)) {
    fprintf(stderr, "cannot encode a reply\n");
    exit(1);
  }
  return xdr_getpos(&xdrs);
}

/* Answers calls[batch - 1] .. calls[0] (the first one twice) in one write. */
static int answer_last_first(int fd, int batch) {
  /* Each reply byte is at most 5 on the wire (a 1-byte fragment), plus the empty fragment. */
  size_t capacity = (size_t) (batch + 1) * (5 * 256 + 4);
  char *out = malloc(capacity);
  char reply[256];
  unsigned size = 0;
  size_t at = 0;
  for (int i = batch - 1; i >= 0; i--) {
    u_int length = encode_reply(&calls[i], reply, sizeof reply);
    at += append_fragments(out + at, reply, length, &size);
    if (i == batch - 1) {
      at += append_fragments(out + at, reply, length, &size); /* answered already: no call awaits */
    }
  }
  const char *next = out;
  while (at > 0) {
    ssize_t n = write(fd, next, at);
    if (n <= 0) {
      free(out);
      return 0;
    }
    next += n;
    at -= (size_t) n;
  }
  free(out);
  return 1;
}

static void serve(int fd, int batch) {
  static char record[MAX_RECORD];
  int held = 0;
  for (;;) {
    int length = read_record(fd, record);
    if (length < 0 || !decode_call(record, length, &calls[held])) {
      return;
    }
    if (calls[held].proc == NULLPROC) { /* the ping a client may send first: answered at once */
      char reply[256];
      char out[4 + sizeof reply];
      u_int32_t mark = htonl(0x80000000u | encode_reply(&calls[held], reply, sizeof reply));
      memcpy(out, &mark, 4);
      memcpy(out + 4, reply, ntohl(mark) & 0x7fffffffu);
      size_t n = 4 + (ntohl(mark) & 0x7fffffffu);
      if (write(fd, out, n) != (ssize_t) n) {
        return;
      }
      continue;
    }
    if (++held == batch) {
      if (!answer_last_first(fd, batch)) {
        return;
      }
      held = 0;
    }
  }
}

int main(int argc, char **argv) {
  int batch = argc > 1 ? atoi(argv[1]) : 0;
  if (batch < 1 || batch > MAX_BATCH) {
    fprintf(stderr, "usage: interop_reordering_server batch(1..%d) [seconds]\n", MAX_BATCH);
    return 2;
  }
  alarm(argc > 2 ? (unsigned) atoi(argv[2]) : 300);
  in_port_t port;
  int listener = loopback_socket("interop_reordering_server", SOCK_STREAM, &port);
  if (listener < 0) {
    return 1;
  }
  printf("%d\n", (int) port);
  fflush(stdout);
  for (;;) {
    int fd = accept(listener, NULL, NULL);
    if (fd < 0) {
      perror("accept");
      return 1;
    }
    serve(fd, batch);
    close(fd);
  }
}
