/*
 * A C client of an Onyx queue server, built by rpcgen from the onyx_mq.x that the mq module ships
 * (org/onyxrpc/mq/onyx_mq.x), printing one deterministic line per call for MqCClientTest.
 *
 *   mq_client PORT
 *
 * The queue /from-java exists (made by the test) and holds one message; this client receives it
 * in the protocol's two steps (MQ_RECEIVE reserves, MQ_COMMIT takes), sends and receives its own,
 * puts a reservation back with MQ_RELEASE, reads the queue's status and attributes, sees the
 * failures a C caller must handle (arm 1: MQ_ENOENT, MQ_EAGAIN, MQ_EBADF, MQ_ECANCELED for an
 * arrival notification whose cancel came first), and leaves one message
 * for the test to receive in Java. Calls go over TCP to 127.0.0.1:PORT with AUTH_SYS as uid 1000.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onyx_mq.h"

static CLIENT *client;
static struct timeval timeout = {30, 0};

static void check(void *reply, const char *what) {
  if (reply == NULL) {
    clnt_perror(client, what);
    exit(1);
  }
}

static const char *error_name(mq_errno e) {
  switch (e) {
    case MQ_ENOENT: return "MQ_ENOENT";
    case MQ_EBADF: return "MQ_EBADF";
    case MQ_EAGAIN: return "MQ_EAGAIN";
    case MQ_EACCES: return "MQ_EACCES";
    case MQ_EEXIST: return "MQ_EEXIST";
    case MQ_EINVAL: return "MQ_EINVAL";
    case MQ_EMSGSIZE: return "MQ_EMSGSIZE";
    case MQ_ETIMEDOUT: return "MQ_ETIMEDOUT";
    case MQ_ECANCELED: return "MQ_ECANCELED";
    default: return "other";
  }
}

/* Prints "<what> ok" for arm 0, else the failure's error number, its name and whether it has a detail. */
static void print_void(const char *what, mq_void_reply *r) {
  check(r, what);
  if (r->arm == 0) {
    printf("%s ok\n", what);
  } else {
    printf("%s failed %d %s%s\n", what, r->mq_void_reply_u.failure.error,
        error_name(r->mq_void_reply_u.failure.error),
        r->mq_void_reply_u.failure.detail[0] ? " (detail)" : "");
  }
}

static void print_received(const char *what, mq_receive_reply *r) {
  check(r, what);
  if (r->arm == 0) {
    mq_message *m = &r->mq_receive_reply_u.message;
    printf("%s priority %d \"%.*s\"\n", what, m->priority, (int) m->message.mq_payload_len,
        m->message.mq_payload_val);
  } else {
    printf("%s failed %d %s\n", what, r->mq_receive_reply_u.failure.error,
        error_name(r->mq_receive_reply_u.failure.error));
  }
}

static mq_send_request send_request(quad_t handle, quad_t sequence, int priority, char *text) {
  mq_send_request s = {{handle, sequence}, priority, {(u_int) strlen(text), text}, 0};
  return s;
}

/*
 * Opens as `request` asks, prints "open NAME with HOW" and the attributes it got (or the error),
 * then closes and unlinks what it opened.
 */
static void open_and_remove(mq_open_request *request, const char *how) {
  mq_open_reply *o = mq_open_1(request, client);
  check(o, "MQ_OPEN");
  if (o->arm != 0) {
    printf("open %s with %s %s\n", request->name, how, error_name(o->mq_open_reply_u.failure.error));
    return;
  }
  quad_t h = o->mq_open_reply_u.opened.handle;
  printf("open %s with %s max %lld size %lld\n", request->name, how,
      (long long) o->mq_open_reply_u.opened.attributes.max_messages,
      (long long) o->mq_open_reply_u.opened.attributes.message_size);
  char what[300];
  snprintf(what, sizeof what, "close %s", request->name);
  print_void(what, mq_close_1(&h, client));
  snprintf(what, sizeof what, "unlink %s", request->name);
  print_void(what, mq_unlink_1(&request->name, client));
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: mq_client PORT\n");
    return 2;
  }
  struct sockaddr_in server = {0};
  server.sin_family = AF_INET;
  server.sin_port = htons((unsigned short) atoi(argv[1]));
  server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int sock = RPC_ANYSOCK;
  client = clnttcp_create(&server, MQ_PROG, MQ_VERS, &sock, 0, 0);
  if (client == NULL) {
    clnt_pcreateerror("mq_client");
    return 1;
  }
  clnt_control(client, CLSET_TIMEOUT, (char *) &timeout);
  gid_t groups[] = {100};
  client->cl_auth = authunix_create("c-peer", 1000, 1000, 1, groups);

  mq_open_request missing = {"/no-such-queue", MQ_READ_ONLY, FALSE, FALSE, 0, 0, 0, FALSE};
  mq_open_reply *o = mq_open_1(&missing, client);
  check(o, "MQ_OPEN");
  printf("open /no-such-queue %s\n", o->arm == 0 ? "opened"
      : error_name(o->mq_open_reply_u.failure.error));

  /* Attributes of 0 are refused; mq_open's NULL attr is the mode bit MQ_DEFAULT_ATTRIBUTES. */
  mq_open_request zero = {"/c-made", MQ_READ_WRITE, TRUE, TRUE, 0600, 0, 0, FALSE};
  o = mq_open_1(&zero, client);
  check(o, "MQ_OPEN");
  printf("open /c-made with 0 and 0 %s\n", o->arm == 0 ? "opened"
      : error_name(o->mq_open_reply_u.failure.error));
  mq_open_request made = {"/c-made", MQ_READ_WRITE, TRUE, TRUE, 0600, 10, 8192, FALSE};
  open_and_remove(&made, "10 and 8192");

  /* With the bit the server's defaults are used, not the numbers beside it (here 1 and 1). */
  mq_open_request defaults = {"/c-defaults", MQ_READ_WRITE, TRUE, TRUE, 0600 | MQ_DEFAULT_ATTRIBUTES, 1, 1, FALSE};
  open_and_remove(&defaults, "MQ_DEFAULT_ATTRIBUTES");

  mq_open_request open = {"/from-java", MQ_READ_WRITE, FALSE, FALSE, 0, 0, 0, FALSE};
  o = mq_open_1(&open, client);
  check(o, "MQ_OPEN");
  if (o->arm != 0) {
    printf("open /from-java failed %s\n", error_name(o->mq_open_reply_u.failure.error));
    return 1;
  }
  mq_opened opened = o->mq_open_reply_u.opened;
  quad_t handle = opened.handle;
  printf("open /from-java max %lld size %lld current %lld lease %s\n",
      (long long) opened.attributes.max_messages, (long long) opened.attributes.message_size,
      (long long) opened.attributes.current_messages, opened.lease_ms > 0 ? "positive" : "none");

  quad_t sequence = 1;
  mq_receive_request receive = {{handle, sequence++}, 0};
  print_received("receive", mq_receive_1(&receive, client));
  print_void("commit", mq_commit_1(&receive.receipt, client));

  mq_send_request low = send_request(handle, sequence++, 1, "low from C");
  print_void("send low", mq_send_1(&low, client));
  mq_send_request high = send_request(handle, sequence++, 9, "high from C");
  print_void("send high", mq_send_1(&high, client));

  /* The best message first; put back, it is the best again. */
  mq_receive_request first = {{handle, sequence++}, 0};
  print_received("receive", mq_receive_1(&first, client));
  print_void("release", mq_release_1(&first.receipt, client));
  mq_status_reply *st = mq_status_1(&open.name, client);
  check(st, "MQ_STATUS");
  if (st->arm == 0) {
    printf("status depth %lld reserved %lld handles %d\n",
        (long long) st->mq_status_reply_u.status.depth,
        (long long) st->mq_status_reply_u.status.reserved, st->mq_status_reply_u.status.open_handles);
  }
  /* The names, one page from the first. */
  mq_list_request page = {"", MQ_LIST_MAX};
  mq_list_reply *names = mq_list_1(&page, client);
  check(names, "MQ_LIST");
  if (names->arm == 0) {
    printf("list");
    for (u_int i = 0; i < names->mq_list_reply_u.list.names.names_len; i++) {
      printf(" %s", names->mq_list_reply_u.list.names.names_val[i]);
    }
    printf(" more %d\n", names->mq_list_reply_u.list.more);
  }
  mq_receive_request again = {{handle, sequence++}, 0};
  print_received("receive", mq_receive_1(&again, client));
  print_void("commit", mq_commit_1(&again.receipt, client));
  mq_receive_request next = {{handle, sequence++}, 0};
  print_received("receive", mq_receive_1(&next, client));
  print_void("commit", mq_commit_1(&next.receipt, client));

  /* Empty now: a receive that may not wait fails at once. */
  mq_receive_request empty = {{handle, sequence++}, 0};
  print_received("receive empty", mq_receive_1(&empty, client));

  mq_send_request for_java = send_request(handle, sequence++, 7, "for java");
  print_void("send for java", mq_send_1(&for_java, client));
  mq_attributes_reply *a = mq_attributes_1(&handle, client);
  check(a, "MQ_ATTRIBUTES");
  printf("attributes current %lld\n", (long long) a->mq_attributes_reply_u.attributes.current_messages);

  /* mq_notify without waiting for an arrival: a registration whose cancel came first is refused. */
  mq_receipt registration = {handle, sequence++};
  print_void("cancel notify for", mq_cancel_notify_for_1(&registration, client));
  print_void("notify on arrival for", mq_notify_on_arrival_for_1(&registration, client));
  print_void("cancel notify", mq_cancel_notify_1(&handle, client));

  print_void("close", mq_close_1(&handle, client));
  print_void("close again", mq_close_1(&handle, client));
  mq_name gone = "/no-such-queue";
  print_void("unlink /no-such-queue", mq_unlink_1(&gone, client));
  auth_destroy(client->cl_auth);
  clnt_destroy(client);
  return 0;
}
