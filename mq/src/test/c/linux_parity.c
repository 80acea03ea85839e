/*
 * The cases of LinuxParityTest run against Linux's own mq_* (mq_overview(7)): one line per case,
 * "<case> <outcome>", where an outcome is "ok", a value, or the errno's name. LinuxParityTest runs
 * the same cases through Onyx and compares them with the lines this printed
 * (src/test/resources/org/onyxrpc/mq/linux-parity.txt), except the differences the README
 * keeps. To run it again (as root, for the permission cases: it drops to uid 1000 for them):
 *
 *   gcc -Wall -O2 -o /tmp/linux_parity mq/src/test/c/linux_parity.c -lrt -lpthread
 *   /tmp/linux_parity > mq/src/test/resources/org/onyxrpc/mq/linux-parity.txt
 *
 * Queue names start with /onyx-parity- so that the program leaves nothing else alone; each case
 * unlinks its queues. The attributes stay within Linux's unprivileged defaults (msg_max 10,
 * msgsize_max 8192).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char outcome[4096];

static const char *err(int e) {
  switch (e) {
    case ENOENT: return "ENOENT";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case EACCES: return "EACCES";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case EMSGSIZE: return "EMSGSIZE";
    case ETIMEDOUT: return "ETIMEDOUT";
    default: return strerrorname_np(e);
  }
}

/* "ok" for 0 or more, else the errno's name. */
static const char *rc(long r) {
  return r >= 0 ? "ok" : err(errno);
}

static void line(const char *name, const char *result) {
  printf("%s %s\n", name, result);
  fflush(stdout);
}

static mqd_t create(const char *name, long maxmsg, long msgsize) {
  struct mq_attr a = {.mq_maxmsg = maxmsg, .mq_msgsize = msgsize};
  mq_unlink(name);
  return mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
}

static struct timespec past(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  t.tv_sec -= 1;
  return t;
}

static void names(void) {
  char longest[300] = "/";
  memset(longest + 1, 'n', 255);
  longest[256] = 0;
  mqd_t q = create(longest, 1, 1);
  line("name-255-bytes", rc(q));
  mq_close(q);
  mq_unlink(longest);
  strcat(longest, "n");
  line("name-256-bytes", rc(mq_open(longest, O_RDWR | O_CREAT, 0600, NULL)));
  line("name-two-slashes", rc(mq_open("/onyx-parity-a/b", O_RDWR | O_CREAT, 0600, NULL)));
  line("name-no-slash", rc(mq_open("onyx-parity-noslash", O_RDWR | O_CREAT, 0600, NULL)));
  line("name-slash-alone", rc(mq_open("/", O_RDWR | O_CREAT, 0600, NULL)));
}

static void opening(void) {
  line("open-missing", rc(mq_open("/onyx-parity-missing", O_RDWR)));
  mqd_t q = create("/onyx-parity-open", 2, 16);
  line("open-exclusive-exists", rc(mq_open("/onyx-parity-open", O_RDWR | O_CREAT | O_EXCL, 0600, NULL)));
  struct mq_attr other = {.mq_maxmsg = 5, .mq_msgsize = 99};
  mqd_t again = mq_open("/onyx-parity-open", O_RDWR | O_CREAT, 0600, &other);
  struct mq_attr a;
  mq_getattr(again, &a);
  snprintf(outcome, sizeof outcome, "%ld,%ld", a.mq_maxmsg, a.mq_msgsize);
  line("open-create-existing-keeps-attributes", outcome);
  struct mq_attr zero = {.mq_maxmsg = 0, .mq_msgsize = 8};
  line("open-create-maxmsg-0", rc(mq_open("/onyx-parity-bad", O_RDWR | O_CREAT, 0600, &zero)));
  struct mq_attr zeroSize = {.mq_maxmsg = 1, .mq_msgsize = 0};
  line("open-create-msgsize-0", rc(mq_open("/onyx-parity-bad", O_RDWR | O_CREAT, 0600, &zeroSize)));
  mq_close(again);
  mq_close(q);
  mq_unlink("/onyx-parity-open");
}

/* As uid 1000 (not the owner, not root): the queue is root's, mode 0600 or 0644. */
static void permissions(void) {
  mqd_t q = create("/onyx-parity-perm", 2, 8);
  mq_close(q);
  mqd_t r = create("/onyx-parity-perm-r", 2, 8);
  fchmod(r, 0644);
  mq_close(r);
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    if (setresgid(1000, 1000, 1000) != 0 || setresuid(1000, 1000, 1000) != 0) {
      line("permissions", "cannot-drop-root");
      _exit(0);
    }
    line("open-no-permission", rc(mq_open("/onyx-parity-perm", O_RDONLY)));
    line("open-exclusive-exists-no-permission",
         rc(mq_open("/onyx-parity-perm", O_RDWR | O_CREAT | O_EXCL, 0600, NULL)));
    line("open-read-only-allowed", rc(mq_open("/onyx-parity-perm-r", O_RDONLY)));
    line("open-write-not-allowed", rc(mq_open("/onyx-parity-perm-r", O_WRONLY)));
    line("unlink-not-owner", rc(mq_unlink("/onyx-parity-perm")));
    _exit(0);
  }
  waitpid(child, NULL, 0);
  mq_unlink("/onyx-parity-perm");
  mq_unlink("/onyx-parity-perm-r");
}

static void messages(void) {
  mqd_t q = create("/onyx-parity-msg", 8, 16);
  char buf[16];
  unsigned prio;
  line("send-exactly-msgsize", rc(mq_send(q, "0123456789abcdef", 16, 0)));
  line("send-msgsize-plus-1", rc(mq_send(q, "0123456789abcdefg", 17, 0)));
  ssize_t n = mq_receive(q, buf, sizeof buf, &prio);
  snprintf(outcome, sizeof outcome, "%zd", n);
  line("receive-exactly-msgsize-length", outcome);
  line("send-zero-length", rc(mq_send(q, "", 0, 3)));
  n = mq_receive(q, buf, sizeof buf, &prio);
  snprintf(outcome, sizeof outcome, "%zd,%u", n, prio);
  line("receive-zero-length", outcome);
  line("send-priority-max", rc(mq_send(q, "x", 1, 32768) /* MQ_PRIO_MAX on Linux */));
  const char *order[][2] = {{"a", "1"}, {"b", "5"}, {"c", "5"}, {"d", "0"}, {"e", "32767"}, {"f", "1"}};
  for (int i = 0; i < 6; i++) {
    mq_send(q, order[i][0], 1, atoi(order[i][1]));
  }
  outcome[0] = 0;
  for (int i = 0; i < 6; i++) {
    n = mq_receive(q, buf, sizeof buf, &prio);
    char one[32];
    snprintf(one, sizeof one, "%s%.*s:%u", i == 0 ? "" : ",", (int) n, buf, prio);
    strcat(outcome, one);
  }
  line("priority-order", outcome);
  mq_close(q);
  mq_unlink("/onyx-parity-msg");
}

static void fullAndEmpty(void) {
  struct mq_attr nb = {.mq_maxmsg = 1, .mq_msgsize = 8};
  mq_unlink("/onyx-parity-full");
  mqd_t q = mq_open("/onyx-parity-full", O_RDWR | O_CREAT | O_NONBLOCK, 0600, &nb);
  char buf[8];
  struct timespec t = past();
  line("nonblocking-receive-empty", rc(mq_receive(q, buf, sizeof buf, NULL)));
  line("nonblocking-timedreceive-empty-past", rc(mq_timedreceive(q, buf, sizeof buf, NULL, &t)));
  line("nonblocking-send", rc(mq_send(q, "1", 1, 0)));
  line("nonblocking-send-full", rc(mq_send(q, "2", 1, 0)));
  struct mq_attr none = {0}, old;
  mq_setattr(q, &none, &old);
  t = past();
  line("timedsend-full-past", rc(mq_timedsend(q, "2", 1, 0, &t)));
  t = past();
  line("timedreceive-past-with-message", rc(mq_timedreceive(q, buf, sizeof buf, NULL, &t)));
  t = past();
  line("timedreceive-empty-past", rc(mq_timedreceive(q, buf, sizeof buf, NULL, &t)));
  t = past();
  line("timedsend-room-past", rc(mq_timedsend(q, "3", 1, 0, &t)));
  mq_close(q);
  mq_unlink("/onyx-parity-full");
}

static void attributes(void) {
  mqd_t q = create("/onyx-parity-attr", 3, 16);
  mq_send(q, "1", 1, 0);
  struct mq_attr set = {.mq_flags = O_NONBLOCK, .mq_maxmsg = 99, .mq_msgsize = 99, .mq_curmsgs = 99}, old, now;
  mq_setattr(q, &set, &old);
  mq_getattr(q, &now);
  snprintf(outcome, sizeof outcome, "old=%s,%ld,%ld,%ld now=%s,%ld,%ld,%ld",
           old.mq_flags & O_NONBLOCK ? "nonblock" : "block", old.mq_maxmsg, old.mq_msgsize, old.mq_curmsgs,
           now.mq_flags & O_NONBLOCK ? "nonblock" : "block", now.mq_maxmsg, now.mq_msgsize, now.mq_curmsgs);
  line("setattr-only-nonblock", outcome);
  char buf[16];
  mq_receive(q, buf, sizeof buf, NULL);
  line("setattr-nonblock-receive-empty", rc(mq_receive(q, buf, sizeof buf, NULL)));
  /* O_NONBLOCK is the descriptor's: another one of the same queue still blocks (a past deadline shows it) */
  mqd_t other = mq_open("/onyx-parity-attr", O_RDWR);
  mq_getattr(other, &now);
  struct timespec t = past();
  snprintf(outcome, sizeof outcome, "%s,%s", now.mq_flags & O_NONBLOCK ? "nonblock" : "block",
           rc(mq_timedreceive(other, buf, sizeof buf, NULL, &t)));
  line("setattr-other-descriptor", outcome);
  mq_close(other);
  mq_close(q);
  line("getattr-closed", rc(mq_getattr(q, &now)));
  line("setattr-closed", rc(mq_setattr(q, &set, NULL)));
  mq_unlink("/onyx-parity-attr");
}

static void badDescriptors(void) {
  mqd_t q = create("/onyx-parity-badf", 2, 8);
  mq_close(q);
  mqd_t r = mq_open("/onyx-parity-badf", O_RDONLY);
  mqd_t w = mq_open("/onyx-parity-badf", O_WRONLY);
  char buf[8];
  line("send-read-only", rc(mq_send(r, "x", 1, 0)));
  line("receive-write-only", rc(mq_receive(w, buf, sizeof buf, NULL)));
  mq_close(r);
  line("send-closed", rc(mq_send(r, "x", 1, 0)));
  line("receive-closed", rc(mq_receive(r, buf, sizeof buf, NULL)));
  line("notify-closed", rc(mq_notify(r, NULL)));
  mq_close(w);
  mq_unlink("/onyx-parity-badf");
}

static mqd_t blocked;
static void *receiveOne(void *unused) {
  char buf[8];
  mq_receive(blocked, buf, sizeof buf, NULL);
  return NULL;
}

static void notification(void) {
  struct sigevent none = {.sigev_notify = SIGEV_NONE};
  mqd_t q = create("/onyx-parity-notify", 4, 8);
  line("notify-register", rc(mq_notify(q, &none)));
  line("notify-register-again", rc(mq_notify(q, &none)));
  mqd_t other = mq_open("/onyx-parity-notify", O_RDWR);
  line("notify-register-other-descriptor", rc(mq_notify(other, &none)));
  mq_send(q, "1", 1, 0); /* empty to not empty, nobody receiving: delivered, and removed */
  line("notify-after-delivery", rc(mq_notify(other, &none)));
  mq_send(q, "2", 1, 0); /* not empty before: nothing delivered, registration stays */
  line("notify-after-send-to-nonempty", rc(mq_notify(q, &none)));
  char buf[8];
  mq_receive(q, buf, sizeof buf, NULL);
  mq_receive(q, buf, sizeof buf, NULL);
  /* a receiver blocked in mq_receive takes the message: nothing delivered, registration stays */
  blocked = q;
  pthread_t t;
  pthread_create(&t, NULL, receiveOne, NULL);
  usleep(200 * 1000);
  mq_send(q, "3", 1, 0);
  pthread_join(t, NULL);
  line("notify-after-send-to-blocked-receiver", rc(mq_notify(q, &none)));
  line("notify-cancel", rc(mq_notify(other, NULL)));
  line("notify-after-cancel", rc(mq_notify(q, &none)));
  line("notify-cancel-not-registered", rc(mq_notify(other, NULL)));
  mq_close(q);
  mq_close(other);
  mq_unlink("/onyx-parity-notify");
}

static void unlinkWhileOpen(void) {
  mqd_t q = create("/onyx-parity-unlink", 2, 8);
  mq_send(q, "1", 1, 0);
  line("unlink-open", rc(mq_unlink("/onyx-parity-unlink")));
  line("open-unlinked", rc(mq_open("/onyx-parity-unlink", O_RDWR)));
  line("unlink-unlinked", rc(mq_unlink("/onyx-parity-unlink")));
  line("send-unlinked-open", rc(mq_send(q, "2", 1, 0)));
  struct mq_attr a;
  mq_getattr(q, &a);
  snprintf(outcome, sizeof outcome, "%ld", a.mq_curmsgs);
  line("unlinked-open-curmsgs", outcome);
  mqd_t fresh = create("/onyx-parity-unlink", 2, 8);
  mq_getattr(fresh, &a);
  snprintf(outcome, sizeof outcome, "%s,%ld", rc(fresh), a.mq_curmsgs);
  line("recreate-unlinked-name", outcome);
  mq_close(fresh);
  mq_close(q);
  mq_unlink("/onyx-parity-unlink");
}

/* Cases added in a second pass: bytes, not characters; the checks' order; any descriptor may notify. */
static void morecases(void) {
  char name[300] = "/";
  for (int i = 0; i < 127; i++) {
    strcat(name, "\xc3\xa9"); /* U+00E9, two bytes of UTF-8 */
  }
  strcat(name, "n");
  mqd_t q = create(name, 1, 1);
  line("name-255-bytes-of-utf8", rc(q));
  mq_close(q);
  mq_unlink(name);
  name[strlen(name) - 1] = 0;
  strcat(name, "\xc3\xa9");
  line("name-256-bytes-of-utf8", rc(mq_open(name, O_RDWR | O_CREAT, 0600, NULL)));
  struct mq_attr huge = {.mq_maxmsg = 65537, .mq_msgsize = 8};
  line("open-create-maxmsg-65537", rc(mq_open("/onyx-parity-huge", O_RDWR | O_CREAT, 0600, &huge)));

  struct mq_attr one = {.mq_maxmsg = 1, .mq_msgsize = 8};
  mq_unlink("/onyx-parity-more");
  q = mq_open("/onyx-parity-more", O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 0, &one);
  line("create-mode-0-creator-sends", rc(mq_send(q, "1", 1, 0)));
  line("send-oversize-full-nonblocking", rc(mq_send(q, "123456789", 9, 0)));
  line("send-priority-max-full-nonblocking", rc(mq_send(q, "1", 1, 32768)));
  mqd_t w = mq_open("/onyx-parity-more", O_WRONLY);
  struct mq_attr a;
  line("getattr-write-only", rc(mq_getattr(w, &a)));
  struct sigevent none = {.sigev_notify = SIGEV_NONE};
  line("notify-write-only", rc(mq_notify(w, &none)));
  line("notify-cancel-write-only", rc(mq_notify(w, NULL)));
  mq_close(w);
  mq_close(q);
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    if (setresgid(1000, 1000, 1000) != 0 || setresuid(1000, 1000, 1000) != 0) {
      _exit(0);
    }
    line("open-create-existing-no-permission",
         rc(mq_open("/onyx-parity-more", O_RDONLY | O_CREAT, 0600, NULL)));
    line("unlink-missing-not-owner", rc(mq_unlink("/onyx-parity-missing")));
    _exit(0);
  }
  waitpid(child, NULL, 0);
  line("unlink-mode-0-owner", rc(mq_unlink("/onyx-parity-more")));
  /* Differences the README keeps: Linux's mqueue directory entries, and a second close. */
  line("name-dot", rc(mq_open("/.", O_RDWR | O_CREAT, 0600, NULL)));
  line("name-dot-dot", rc(mq_open("/..", O_RDWR | O_CREAT, 0600, NULL)));
  q = create("/onyx-parity-close", 1, 8);
  mq_close(q);
  line("close-twice", rc(mq_close(q)));
  mq_unlink("/onyx-parity-close");
  mq_unlink("/.");
  mq_unlink("/..");
}

static mqd_t waiter;
static const char *waiterMessage;
static unsigned waiterPriority;
static char received[2][8];

static void *sendOne(void *unused) {
  mq_send(waiter, waiterMessage, 1, waiterPriority);
  return NULL;
}

static void *receiveInto(void *slot) {
  char buf[8];
  ssize_t n = mq_receive(waiter, buf, sizeof buf, NULL);
  snprintf(slot, 8, "%.*s", (int) (n < 0 ? 0 : n), buf);
  return NULL;
}

/*
 * A third pass: whose a registration is once its holder goes (mq_notify), and in what order
 * waiting senders and receivers are served (mq_send, mq_receive: "the thread of highest priority
 * that has been waiting the longest"; all threads here have the same priority).
 */
static void waiters(void) {
  struct sigevent none = {.sigev_notify = SIGEV_NONE};
  mqd_t q = create("/onyx-parity-holder", 4, 8);
  mqd_t other = mq_open("/onyx-parity-holder", O_RDWR);
  mq_notify(other, &none);
  mq_close(other);
  line("notify-after-registering-descriptor-closed", rc(mq_notify(q, &none)));
  mq_notify(q, NULL);
  int up[2], down[2];
  if (pipe(up) != 0 || pipe(down) != 0) {
    return;
  }
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    mqd_t c = mq_open("/onyx-parity-holder", O_RDWR);
    char ok = mq_notify(c, &none) == 0 ? 'y' : 'n';
    if (write(up[1], &ok, 1) != 1 || read(down[0], &ok, 1) != 1) {
      _exit(1);
    }
    _exit(0); /* dies holding the registration and its descriptor */
  }
  char ok = 'n';
  if (read(up[0], &ok, 1) != 1) {
    ok = 'n';
  }
  line("notify-register-other-process", ok == 'y' ? "ok" : "failed");
  line("notify-register-while-other-process-holds", rc(mq_notify(q, &none)));
  if (write(down[1], &ok, 1) != 1) {
    return;
  }
  waitpid(child, NULL, 0);
  line("notify-after-registering-process-exits", rc(mq_notify(q, &none)));
  mq_close(q);
  mq_unlink("/onyx-parity-holder");

  /* Two senders wait on a full queue, the first with the lower priority: it goes in first. */
  waiter = create("/onyx-parity-senders", 1, 8);
  mq_send(waiter, "0", 1, 0);
  pthread_t first, second;
  waiterMessage = "a";
  waiterPriority = 0;
  pthread_create(&first, NULL, sendOne, NULL);
  usleep(200 * 1000);
  waiterMessage = "b";
  waiterPriority = 5;
  pthread_create(&second, NULL, sendOne, NULL);
  usleep(200 * 1000);
  outcome[0] = 0;
  for (int i = 0; i < 3; i++) {
    char buf[8], one[16];
    unsigned prio;
    ssize_t n = mq_receive(waiter, buf, sizeof buf, &prio);
    snprintf(one, sizeof one, "%s%.*s:%u", i == 0 ? "" : ",", (int) (n < 0 ? 0 : n), buf, prio);
    strcat(outcome, one);
  }
  pthread_join(first, NULL);
  pthread_join(second, NULL);
  line("waiting-senders-order", outcome);
  mq_close(waiter);
  mq_unlink("/onyx-parity-senders");

  /* Two receivers wait on an empty queue: the first to wait gets the first message. */
  waiter = create("/onyx-parity-receivers", 4, 8);
  pthread_create(&first, NULL, receiveInto, received[0]);
  usleep(200 * 1000);
  pthread_create(&second, NULL, receiveInto, received[1]);
  usleep(200 * 1000);
  mq_send(waiter, "1", 1, 0);
  mq_send(waiter, "2", 1, 9);
  pthread_join(first, NULL);
  pthread_join(second, NULL);
  snprintf(outcome, sizeof outcome, "first:%s,second:%s", received[0], received[1]);
  line("waiting-receivers-order", outcome);
  mq_close(waiter);
  mq_unlink("/onyx-parity-receivers");

  /* mq_unlink checks a name as mq_open does. */
  char longest[300] = "/";
  memset(longest + 1, 'n', 256);
  longest[257] = 0;
  line("unlink-256-bytes", rc(mq_unlink(longest)));
  line("unlink-two-slashes", rc(mq_unlink("/onyx-parity-a/b")));
  line("unlink-no-slash", rc(mq_unlink("onyx-parity-noslash")));
}

/*
 * A fourth pass: queues in use by more than one descriptor. Attributes by default, what another
 * descriptor sees and does while a receive blocks (mq_setattr, mq_getattr, mq_unlink, mq_close),
 * the buffer mq_receive checks, the highest priority, FIFO across descriptors, a far deadline.
 */
static void inUse(void) {
  struct mq_attr a;
  mq_unlink("/onyx-parity-defaults");
  mqd_t d = mq_open("/onyx-parity-defaults", O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
  mq_getattr(d, &a);
  snprintf(outcome, sizeof outcome, "%ld,%ld", a.mq_maxmsg, a.mq_msgsize);
  line("open-null-attr-defaults", outcome);
  mq_close(d);
  mq_unlink("/onyx-parity-defaults");

  mqd_t q = create("/onyx-parity-inuse", 4, 8); /* 8: receiveInto's buffer */
  mqd_t other = mq_open("/onyx-parity-inuse", O_RDWR);
  mq_send(q, "1", 1, 0);
  mq_getattr(other, &a);
  snprintf(outcome, sizeof outcome, "%ld", a.mq_curmsgs);
  line("getattr-other-descriptor-after-send", outcome);
  char buf[16];
  unsigned prio;
  mq_receive(other, buf, sizeof buf, NULL);

  /* O_NONBLOCK set on another descriptor, then on the blocked one itself: the receive waits on */
  struct mq_attr nb = {.mq_flags = O_NONBLOCK};
  pthread_t thread;
  waiter = q;
  received[0][0] = 0;
  pthread_create(&thread, NULL, receiveInto, received[0]);
  usleep(200 * 1000);
  mq_setattr(other, &nb, NULL);
  usleep(200 * 1000);
  mq_getattr(q, &a);
  snprintf(outcome, sizeof outcome, "%s,curmsgs=%ld", a.mq_flags & O_NONBLOCK ? "nonblock" : "block", a.mq_curmsgs);
  line("setattr-nonblock-other-while-blocked", outcome);
  mq_send(other, "x", 1, 0);
  pthread_join(thread, NULL);
  snprintf(outcome, sizeof outcome, "received:%s", received[0]);
  line("blocked-receive-after-other-setattr", outcome);
  received[0][0] = 0;
  pthread_create(&thread, NULL, receiveInto, received[0]);
  usleep(200 * 1000);
  line("setattr-nonblock-while-own-receive-blocked", rc(mq_setattr(q, &nb, NULL)));
  usleep(200 * 1000);
  mq_send(other, "y", 1, 0);
  pthread_join(thread, NULL);
  snprintf(outcome, sizeof outcome, "received:%s", received[0]);
  line("blocked-receive-after-own-setattr", outcome);

  /* mq_receive checks msg_len against mq_msgsize, not against the message */
  mq_send(q, "z", 1, 0);
  char small[7];
  long r = mq_receive(q, small, sizeof small, NULL);
  mq_getattr(q, &a);
  snprintf(outcome, sizeof outcome, "%s,curmsgs=%ld", rc(r), a.mq_curmsgs);
  line("receive-buffer-below-msgsize", outcome);
  mq_receive(q, buf, sizeof buf, NULL);

  line("send-priority-max-minus-1", rc(mq_send(q, "p", 1, 32767)));
  long n = mq_receive(q, buf, sizeof buf, &prio);
  snprintf(outcome, sizeof outcome, "%.*s:%u", (int) (n < 0 ? 0 : n), buf, prio);
  line("receive-priority-max-minus-1", outcome);

  /* equal priorities through two descriptors, interleaved: oldest first */
  mq_send(q, "a", 1, 7);
  mq_send(other, "b", 1, 7);
  mq_send(q, "c", 1, 7);
  mq_send(other, "d", 1, 7);
  outcome[0] = 0;
  for (int i = 0; i < 4; i++) {
    char one[16];
    n = mq_receive(i % 2 == 0 ? other : q, buf, sizeof buf, &prio);
    snprintf(one, sizeof one, "%s%.*s", i == 0 ? "" : ",", (int) (n < 0 ? 0 : n), buf);
    strcat(outcome, one);
  }
  line("fifo-equal-priority-two-descriptors", outcome);

  /* a deadline as far as a timespec goes: no overflow, no wait with room or a message */
  struct mq_attr block = {0};
  mq_setattr(q, &block, NULL);
  struct timespec far = {.tv_sec = LONG_MAX, .tv_nsec = 999999999};
  line("timedsend-farthest-deadline-room", rc(mq_timedsend(q, "f", 1, 0, &far)));
  line("timedreceive-farthest-deadline-message", rc(mq_timedreceive(q, buf, sizeof buf, NULL, &far)));
  mq_close(other);
  mq_close(q);
  mq_unlink("/onyx-parity-inuse");

  /* unlinked while a receive blocks on it and another descriptor closes; a third still sends */
  waiter = create("/onyx-parity-unlink-blocked", 2, 8);
  mqd_t sender = mq_open("/onyx-parity-unlink-blocked", O_WRONLY);
  mqd_t closer = mq_open("/onyx-parity-unlink-blocked", O_RDWR);
  received[0][0] = 0;
  pthread_create(&thread, NULL, receiveInto, received[0]);
  usleep(200 * 1000);
  line("unlink-while-receive-blocked", rc(mq_unlink("/onyx-parity-unlink-blocked")));
  line("close-other-while-receive-blocked", rc(mq_close(closer)));
  mqd_t fresh = create("/onyx-parity-unlink-blocked", 2, 8);
  mq_getattr(fresh, &a);
  snprintf(outcome, sizeof outcome, "%s,curmsgs=%ld", rc(fresh), a.mq_curmsgs);
  line("recreate-while-receive-blocked", outcome);
  mq_send(sender, "s", 1, 0);
  pthread_join(thread, NULL);
  mq_getattr(fresh, &a);
  snprintf(outcome, sizeof outcome, "received:%s,new-curmsgs=%ld", received[0], a.mq_curmsgs);
  line("unlinked-blocked-receive", outcome);

  /* the blocked receive's own descriptor closed by another thread: the receive waits on */
  received[0][0] = 0;
  pthread_create(&thread, NULL, receiveInto, received[0]);
  usleep(200 * 1000);
  line("close-own-while-receive-blocked", rc(mq_close(waiter)));
  usleep(200 * 1000);
  mq_send(sender, "t", 1, 0);
  pthread_join(thread, NULL);
  snprintf(outcome, sizeof outcome, "received:%s", received[0]);
  line("receive-blocked-on-closed-descriptor", outcome);
  mq_close(sender);
  mq_close(fresh);
  mq_unlink("/onyx-parity-unlink-blocked");
}

static struct timespec soon(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  t.tv_nsec += 100 * 1000 * 1000;
  if (t.tv_nsec >= 1000 * 1000 * 1000) {
    t.tv_sec += 1;
    t.tv_nsec -= 1000 * 1000 * 1000;
  }
  return t;
}

/*
 * A fifth pass: a registration made on a queue that is not empty (it waits for the next empty to
 * not-empty change), a notification on an unlinked queue, mq_curmsgs and O_NONBLOCK while a
 * sender waits on a full queue, deadlines that pass while waiting, the largest mq_msgsize, and
 * another user on a queue whose mode lets it read and write: it may open and register, not unlink.
 */
static void edges(void) {
  struct sigevent none = {.sigev_notify = SIGEV_NONE};
  char buf[8];
  mqd_t q = create("/onyx-parity-edges", 4, 8);
  mq_send(q, "1", 1, 0);
  line("notify-register-nonempty", rc(mq_notify(q, &none)));
  mq_send(q, "2", 1, 0);
  line("notify-registered-nonempty-after-send", rc(mq_notify(q, &none)));
  mq_receive(q, buf, sizeof buf, NULL);
  mq_receive(q, buf, sizeof buf, NULL);
  line("notify-registered-nonempty-after-drain", rc(mq_notify(q, &none)));
  mq_send(q, "3", 1, 0); /* empty to not empty: delivered, and removed */
  line("notify-registered-nonempty-after-drain-and-send", rc(mq_notify(q, &none)));
  mq_receive(q, buf, sizeof buf, NULL);
  line("unlink-notifying", rc(mq_unlink("/onyx-parity-edges")));
  mq_send(q, "4", 1, 0);
  line("notify-unlinked-after-send", rc(mq_notify(q, &none)));
  mq_close(q);

  waiter = create("/onyx-parity-waiting-sender", 1, 8);
  mq_send(waiter, "0", 1, 0);
  waiterMessage = "w";
  waiterPriority = 0;
  pthread_t thread;
  pthread_create(&thread, NULL, sendOne, NULL);
  usleep(200 * 1000);
  struct mq_attr a;
  mq_getattr(waiter, &a);
  snprintf(outcome, sizeof outcome, "%ld", a.mq_curmsgs);
  line("full-sender-waiting-curmsgs", outcome);
  mqd_t nb = mq_open("/onyx-parity-waiting-sender", O_RDWR | O_NONBLOCK);
  line("nonblocking-send-full-sender-waiting", rc(mq_send(nb, "n", 1, 9)));
  mq_receive(waiter, buf, sizeof buf, NULL);
  pthread_join(thread, NULL);
  struct timespec t = soon();
  line("timedsend-full-deadline-passes", rc(mq_timedsend(waiter, "x", 1, 0, &t)));
  mq_receive(waiter, buf, sizeof buf, NULL);
  t = soon();
  line("timedreceive-empty-deadline-passes", rc(mq_timedreceive(waiter, buf, sizeof buf, NULL, &t)));
  mq_close(nb);
  mq_close(waiter);
  mq_unlink("/onyx-parity-waiting-sender");

  struct mq_attr big = {.mq_maxmsg = 1, .mq_msgsize = 16777217}; /* HARD_MSGSIZEMAX + 1 */
  line("open-create-msgsize-16777217", rc(mq_open("/onyx-parity-big", O_RDWR | O_CREAT, 0600, &big)));

  q = create("/onyx-parity-shared", 2, 8);
  fchmod(q, 0666);
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    if (setresgid(1000, 1000, 1000) != 0 || setresuid(1000, 1000, 1000) != 0) {
      _exit(0);
    }
    mqd_t theirs = mq_open("/onyx-parity-shared", O_RDWR);
    line("open-read-write-allowed", rc(theirs));
    line("notify-not-owner", rc(mq_notify(theirs, &none)));
    line("unlink-not-owner-read-write-allowed", rc(mq_unlink("/onyx-parity-shared")));
    _exit(0);
  }
  waitpid(child, NULL, 0);
  mq_close(q);
  mq_unlink("/onyx-parity-shared");
}

int main(void) {
  names();
  opening();
  permissions();
  messages();
  fullAndEmpty();
  attributes();
  badDescriptors();
  notification();
  unlinkWhileOpen();
  morecases();
  waiters();
  inUse();
  edges();
  return 0;
}
