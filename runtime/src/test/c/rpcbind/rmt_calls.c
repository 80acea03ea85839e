/*
 * libtirpc's indirect calls through a host's portmapper, as C programs make them:
 *
 *   rmt_calls HOST PROGRAM PORT
 *
 * pmap_rmtcall (portmap version 2's CALLIT, over UDP) and rpcb_rmtcall (rpcbind's CALLIT, version
 * 4 first and then 3, over the netconfig given) of procedure 2 of PROGRAM version 1, which echoes
 * a string (TestService's ECHO); then calls that must go unanswered, as CALLIT is silent when the
 * forwarded call fails (RFC 1833): a version the program lacks, a procedure that fails with
 * SYSTEM_ERR (and, at rpcbind, any CALLIT over TCP: it forwards datagrams only); and calls that
 * rpcbind refuses with AUTH_TOOWEAK whatever is registered, as a forwarded call comes from its
 * machine (check_callit): MOUNT's MNT, and procedures of the portmapper itself other than NULL.
 * PORT is the
 * port the program listens at; the transcript says whether the answers named it, so that it is
 * the same for every run and for rpcbind and the Onyx directory. The calls after the echoes run
 * at once, in children, since each unanswered one waits out its timeout: a run takes the longest
 * timeout (3 s) rather than their sum (11 s), and prints the same lines in the same order.
 */
#include <netconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/wait.h>

#include <arpa/inet.h>
#include <rpc/pmap_clnt.h>
#include <rpc/rpc.h>
#include <rpc/rpcb_clnt.h>

#define ECHO 2
#define FAIL 4

static const char *host;
static u_long program;
static u_long port;

static void via_pmap(const char *label, u_long version, u_long procedure, long seconds) {
  struct sockaddr_in address;
  memset(&address, 0, sizeof address);
  address.sin_family = AF_INET;
  inet_pton(AF_INET, host, &address.sin_addr);
  char *in = "hi";
  char *out = NULL;
  u_long answered = 0;
  struct timeval total = {seconds, 0};
  enum clnt_stat status = pmap_rmtcall(&address, program, version, procedure,
      (xdrproc_t) xdr_wrapstring, (caddr_t) &in, (xdrproc_t) xdr_wrapstring, (caddr_t) &out,
      total, &answered);
  printf("pmap_rmtcall(%s) -> %s", label, clnt_sperrno(status));
  if (status == RPC_SUCCESS) {
    printf(", \"%s\", %s\n", out, answered == port ? "the server's port" : "another port");
    xdr_free((xdrproc_t) xdr_wrapstring, (char *) &out);
  } else {
    printf("\n");
  }
}

static void via_rpcb(const char *netid, const char *label, u_long version, u_long procedure,
    long seconds) {
  struct netconfig *nconf = getnetconfigent(netid);
  char *in = "hi";
  char *out = NULL;
  struct sockaddr_storage storage;
  struct netbuf answered = {sizeof storage, 0, &storage};
  struct timeval total = {seconds, 0};
  enum clnt_stat status = rpcb_rmtcall(nconf, host, program, version, procedure,
      (xdrproc_t) xdr_wrapstring, (caddr_t) &in, (xdrproc_t) xdr_wrapstring, (caddr_t) &out,
      total, &answered);
  printf("rpcb_rmtcall(%s, %s) -> %s", netid, label, clnt_sperrno(status));
  if (status == RPC_SUCCESS) {
    char *uaddr = answered.len > 0 ? taddr2uaddr(nconf, &answered) : NULL;
    char expected[64];
    snprintf(expected, sizeof expected, ".%lu.%lu", port >> 8, port & 0xff);
    size_t n = uaddr == NULL ? 0 : strlen(uaddr);
    printf(", \"%s\", %s\n", out,
        uaddr == NULL ? "no address"
        : n > strlen(expected) && strcmp(uaddr + n - strlen(expected), expected) == 0
            ? "the server's port" : uaddr);
    free(uaddr);
    xdr_free((xdrproc_t) xdr_wrapstring, (char *) &out);
  } else {
    printf("\n");
  }
  freenetconfigent(nconf);
}

#define SILENT 9
#define PORTMAPPER 100000
#define PMAP_DUMP 4
#define MOUNT 100005
#define MOUNT_MNT 1

/* Makes call i of those that may go unanswered (in a child: it may change program). */
static void silent_call(int i) {
  switch (i) {
  case 0: via_rpcb("tcp", "v1, ECHO", 1, ECHO, 3); break;
  case 1: via_pmap("v2, ECHO", 2, ECHO, 2); break;
  case 2: via_rpcb("udp", "v2, ECHO", 2, ECHO, 2); break;
  case 3: via_pmap("v1, FAIL", 1, FAIL, 2); break;
  case 4: via_rpcb("udp", "v1, FAIL", 1, FAIL, 2); break;
  case 5: program = MOUNT; via_pmap("mount v3, MNT", 3, MOUNT_MNT, 2); break;
  case 6: program = MOUNT; via_rpcb("udp", "mount v3, MNT", 3, MOUNT_MNT, 2); break;
  case 7: program = PORTMAPPER; via_pmap("portmap v2, DUMP", 2, PMAP_DUMP, 2); break;
  default: program = PORTMAPPER; via_rpcb("udp", "rpcbind v3, DUMP", 3, PMAP_DUMP, 2); break;
  }
}

/* Starts silent call i in a child whose output is a pipe; returns the pipe's reading end. */
static int in_child(int i) {
  int ends[2];
  if (pipe(ends) != 0) {
    perror("pipe");
    exit(1);
  }
  pid_t child = fork();
  if (child < 0) {
    perror("fork");
    exit(1);
  }
  if (child == 0) {
    close(ends[0]);
    dup2(ends[1], STDOUT_FILENO);
    close(ends[1]);
    silent_call(i);
    fflush(stdout);
    _exit(0);
  }
  close(ends[1]);
  return ends[0];
}

/* Copies a child's line to standard output; non-zero when it did not end well. */
static int copy_out(int line) {
  char buffer[512];
  ssize_t n;
  while ((n = read(line, buffer, sizeof buffer)) > 0) {
    fwrite(buffer, 1, (size_t) n, stdout);
  }
  close(line);
  int status;
  return wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: rmt_calls HOST PROGRAM PORT\n");
    return 2;
  }
  alarm(120); /* never outlive a test that forgot us */
  host = argv[1];
  program = strtoul(argv[2], NULL, 0);
  port = strtoul(argv[3], NULL, 0);
  via_pmap("v1, ECHO", 1, ECHO, 10);
  via_rpcb("udp", "v1, ECHO", 1, ECHO, 10);
  fflush(stdout);
  /* The calls that may go unanswered wait out their whole timeout when they do, so they wait
   * together, each in a child of its own, and their lines are printed in this order. */
  int lines[SILENT];
  for (int i = 0; i < SILENT; i++) {
    lines[i] = in_child(i);
  }
  int failed = 0;
  for (int i = 0; i < SILENT; i++) {
    failed |= copy_out(lines[i]);
  }
  return failed;
}
