/*
 * A C server for interop.x whose TCP connections fail as some old servers' do:
 *
 *   interop_faulty_server close-after-reply|die-mid-reply|odd-replies|exit-mid-call|strict|maxrec
 *       |bad-values [lifetime-seconds]
 *
 * "close-after-reply" shuts a connection down once it has answered a call on it, as inetd-style
 * servers close theirs (a call already read behind that one still runs, and its reply is lost);
 * each REVERSE it runs counts as a run of COUNT_RUNS. "die-mid-reply" answers REVERSE by exiting in the middle of its reply, after the
 * first 96-byte record fragments went out; it answers other procedures as interop_server does.
 * "odd-replies" answers as C servers may but libtirpc's own never does: WHOAMI with an AUTH_SHORT
 * verifier (a handle RFC 5531 lets a client use instead of its AUTH_SYS credential, or ignore);
 * GREET("weak") with svcerr_weakauth (AUTH_TOOWEAK); GREET("ran") by counting a run of
 * COUNT_RUNS, then svcerr_systemerr; GREET("noproc"), GREET("noprog") and GREET("decode") the
 * same with svcerr_noproc, svcerr_noprog and svcerr_decode; GREET("progvers") with svcerr_progvers 2..5; GREET("rejected")
 * with svcerr_auth(AUTH_REJECTEDCRED); GREET("silent") by counting a run and sending nothing;
 * NEXT_COLOR(GREEN) by counting a run and answering 3, a color interop.x does not declare;
 * NEXT_COLOR of another color with no result at all. It serves version 3 as well (the same
 * dispatcher), so that libtirpc answers a call of version 2 PROG_MISMATCH 1..3, and serves UDP at
 * the same port (svcudp_create, no reply cache). "exit-mid-call" serves
 * UDP at the same port as well, and answers GREET("exit") by calling svc_exit() with no reply, as
 * a server told to stop in a procedure does: svc_run returns and the process exits, its sockets
 * closed.
 * "strict" serves as interop_server does, TCP and UDP at the same port, to the callers it admits, as
 * a server that requires AUTH_SYS refuses the others before any procedure: AUTH_NONE with
 * svcerr_weakauth (AUTH_TOOWEAK), AUTH_SYS of uid 666 with svcerr_auth(AUTH_REJECTEDCRED) and of
 * uid 667 with svcerr_auth(AUTH_BADCRED), the NULL procedure included.
 * "maxrec" serves as interop_server does, but its connections are read as nfs-utils' daemons
 * (rpc.mountd, rpc.statd) have libtirpc read theirs: non-blocking, with records of at most
 * MAXREC bytes (rpc_control RPC_SVC_CONNMAXREC_SET); a longer record kills its connection.
 * "bad-values" serves TCP and UDP at the same port and answers TRANSFORM with a result whose
 * words it writes itself, after counting a run: a valid profile, except where the argument's
 * title says (see bad_words): a bool of 2, a shape of no arm, a title or values or blob over
 * its bound, an optional-data flag of 7, the result cut short, a word after it; and GREET("huge")
 * with a string that says it holds 2^31 - 16 bytes and holds 4. Other calls as interop_server.
 * It listens on 127.0.0.1, prints the port on stdout and serves until killed (or svc_exit).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "interop.h"
#include "same_port.h"

void interop_prog_1(struct svc_req *request, SVCXPRT *transport); /* from rpcgen -m */
list *reverse_1_svc(list in, struct svc_req *request);            /* interop_impl.c */
u_int *count_runs_1_svc(u_int delay_ms, struct svc_req *request); /* interop_impl.c */
text *greet_1_svc(name who, struct svc_req *request);            /* interop_impl.c */

/* libtirpc's xdrrec: 100 is the smallest buffer it accepts; 4 bytes go to the record mark. */
#define TCP_BUFFER 100
/* "maxrec": the longest call record a connection takes, as rpc_control sets it. */
#define MAXREC 2048
/* Nodes of REVERSE's result encoded before "die-mid-reply" exits: a few fragments' worth. */
#define NODES_BEFORE_DEATH 20

static int nodes_encoded;

static bool_t xdr_dying_node(XDR *xdrs, node *n);

/* rpcgen's xdr_list, except that the process exits after NODES_BEFORE_DEATH nodes. */
static bool_t xdr_dying_list(XDR *xdrs, list *l) {
  if (xdrs->x_op == XDR_ENCODE && ++nodes_encoded > NODES_BEFORE_DEATH) {
    _exit(3);
  }
  return xdr_pointer(xdrs, (char **) l, sizeof(node), (xdrproc_t) xdr_dying_node);
}

static bool_t xdr_dying_node(XDR *xdrs, node *n) {
  return xdr_string(xdrs, &n->label, MAX_NAME) && xdr_quad_t(xdrs, &n->value)
      && xdr_dying_list(xdrs, &n->next);
}

static void dying_dispatch(struct svc_req *request, SVCXPRT *transport) {
  if (request->rq_proc != REVERSE) {
    interop_prog_1(request, transport);
    return;
  }
  list in = NULL;
  if (!svc_getargs(transport, (xdrproc_t) xdr_list, (char *) &in)) {
    svcerr_decode(transport);
    return;
  }
  svc_sendreply(transport, (xdrproc_t) xdr_dying_list, (char *) reverse_1_svc(in, request));
  _exit(3); /* a list too short to die in: die anyway, after the whole reply */
}

/* The odd answers of "odd-replies" (see above); every other call as interop_server answers it. */
static void odd_dispatch(struct svc_req *request, SVCXPRT *transport) {
  if (request->rq_proc == WHOAMI) {
    static char handle[8] = {'s', 'h', 'o', 'r', 't', 'h', 'n', 'd'};
    struct opaque_auth verifier = transport->xp_verf;
    transport->xp_verf.oa_flavor = AUTH_SHORT;
    transport->xp_verf.oa_base = handle;
    transport->xp_verf.oa_length = sizeof handle;
    interop_prog_1(request, transport);
    transport->xp_verf = verifier;
    return;
  }
  if (request->rq_proc == NEXT_COLOR) {
    color c;
    if (!svc_getargs(transport, (xdrproc_t) xdr_color, (char *) &c)) {
      svcerr_decode(transport);
      return;
    }
    if (c == GREEN) {
      int undeclared = 3; /* a color interop.x does not declare, after a run */
      count_runs_1_svc(0, request);
      svc_sendreply(transport, (xdrproc_t) xdr_int, (char *) &undeclared);
    } else {
      svc_sendreply(transport, (xdrproc_t) xdr_void, NULL);
    }
    return;
  }
  if (request->rq_proc == GREET) {
    name who = NULL;
    if (!svc_getargs(transport, (xdrproc_t) xdr_name, (char *) &who)) {
      svcerr_decode(transport);
      return;
    }
    if (strcmp(who, "weak") == 0) {
      svcerr_weakauth(transport);
    } else if (strcmp(who, "ran") == 0) {
      count_runs_1_svc(0, request);
      svcerr_systemerr(transport);
    } else if (strcmp(who, "noproc") == 0) {
      count_runs_1_svc(0, request);
      svcerr_noproc(transport);
    } else if (strcmp(who, "noprog") == 0) {
      count_runs_1_svc(0, request);
      svcerr_noprog(transport);
    } else if (strcmp(who, "decode") == 0) {
      count_runs_1_svc(0, request);
      svcerr_decode(transport);
    } else if (strcmp(who, "progvers") == 0) {
      svcerr_progvers(transport, 2, 5);
    } else if (strcmp(who, "rejected") == 0) {
      svcerr_auth(transport, AUTH_REJECTEDCRED);
    } else if (strcmp(who, "silent") == 0) {
      count_runs_1_svc(0, request); /* and no reply at all, as a dispatcher that returns */
    } else {
      text *greeting = greet_1_svc(who, request);
      if (greeting == NULL || !svc_sendreply(transport, (xdrproc_t) xdr_text, (char *) greeting)) {
        svcerr_systemerr(transport);
      }
    }
    svc_freeargs(transport, (xdrproc_t) xdr_name, (char *) &who);
    return;
  }
  interop_prog_1(request, transport);
}

/* The words of a result as the server writes them, in network order. */
struct words {
  u_int count;
  u_int word[40];
};

static bool_t xdr_words(XDR *xdrs, struct words *w) {
  for (u_int i = 0; i < w->count; i++) {
    if (!xdr_u_int(xdrs, &w->word[i])) {
      return FALSE;
    }
  }
  return TRUE;
}

static void add(struct words *w, u_int word) {
  w->word[w->count++] = word;
}

/*
 * TRANSFORM's outcome: status 0 and a profile of title "ok", RED, true, 5, 7, 0.5, {1, 2, 3},
 * <9>, "abc", <>, (4, 5), no items, BLUE; but for the title "bool" a flag of 2, "arm" a shape
 * of discriminant 3 (no arm: no color either), "title" a title of 17 bytes (MAX_NAME is 16),
 * "values" 9 values and "blob" 9 bytes (MAX_VALUES is 8), "optional" an items flag of 7,
 * "truncated" the profile cut after its origin, "trailing" a word after the outcome.
 */
static void bad_words(const char *title, struct words *w) {
  w->count = 0;
  add(w, 0); /* outcome's status: a profile follows */
  if (strcmp(title, "title") == 0) {
    add(w, 17);
    add(w, 0x61616161); add(w, 0x61616161); add(w, 0x61616161); add(w, 0x61616161);
    add(w, 0x61000000);
  } else {
    add(w, 2);
    add(w, 0x6f6b0000); /* "ok" */
  }
  add(w, RED);
  add(w, strcmp(title, "bool") == 0 ? 2 : 1);
  add(w, 5);
  add(w, 0); add(w, 7);          /* big */
  add(w, 0x3fe00000); add(w, 0); /* 0.5 */
  add(w, 1); add(w, 2); add(w, 3);
  if (strcmp(title, "values") == 0) {
    add(w, 9);
    for (int i = 0; i < 9; i++) {
      add(w, i);
    }
  } else {
    add(w, 1);
    add(w, 9);
  }
  add(w, 0x61626300); /* tag "abc" */
  if (strcmp(title, "blob") == 0) {
    add(w, 9);
    add(w, 0x01020304); add(w, 0x05060708); add(w, 0x09000000);
  } else {
    add(w, 0);
  }
  add(w, 4); add(w, 5); /* origin */
  if (strcmp(title, "truncated") == 0) {
    return;
  }
  add(w, strcmp(title, "optional") == 0 ? 7 : 0);
  add(w, strcmp(title, "arm") == 0 ? 3 : BLUE);
  if (strcmp(title, "trailing") == 0) {
    add(w, 0);
  }
}

/* "bad-values": TRANSFORM and GREET("huge") answered with the words above, after a run. */
static void bad_values_dispatch(struct svc_req *request, SVCXPRT *transport) {
  struct words w;
  if (request->rq_proc == TRANSFORM) {
    profile in;
    memset(&in, 0, sizeof in);
    if (!svc_getargs(transport, (xdrproc_t) xdr_profile, (char *) &in)) {
      svcerr_decode(transport);
      return;
    }
    count_runs_1_svc(0, request);
    bad_words(in.title, &w);
    svc_sendreply(transport, (xdrproc_t) xdr_words, (char *) &w);
    svc_freeargs(transport, (xdrproc_t) xdr_profile, (char *) &in);
    return;
  }
  if (request->rq_proc == GREET) {
    name who = NULL;
    if (!svc_getargs(transport, (xdrproc_t) xdr_name, (char *) &who)) {
      svcerr_decode(transport);
      return;
    }
    if (strcmp(who, "huge") == 0) {
      count_runs_1_svc(0, request);
      w.count = 0;
      add(&w, 0x7ffffff0); /* a length of 2 GiB, and 4 bytes */
      add(&w, 0x68756765);
      svc_sendreply(transport, (xdrproc_t) xdr_words, (char *) &w);
    } else {
      text *greeting = greet_1_svc(who, request);
      if (greeting == NULL || !svc_sendreply(transport, (xdrproc_t) xdr_text, (char *) greeting)) {
        svcerr_systemerr(transport);
      }
    }
    svc_freeargs(transport, (xdrproc_t) xdr_name, (char *) &who);
    return;
  }
  interop_prog_1(request, transport);
}

/* "strict": AUTH_SYS callers other than uids 666 and 667 are served, the rest refused (above). */
static void strict_dispatch(struct svc_req *request, SVCXPRT *transport) {
  if (request->rq_cred.oa_flavor != AUTH_SYS) {
    svcerr_weakauth(transport);
    return;
  }
  const struct authunix_parms *sys = (const struct authunix_parms *) request->rq_clntcred;
  if (sys->aup_uid == 666) {
    svcerr_auth(transport, AUTH_REJECTEDCRED);
  } else if (sys->aup_uid == 667) {
    svcerr_auth(transport, AUTH_BADCRED);
  } else {
    interop_prog_1(request, transport);
  }
}

/* GREET("exit") runs, then ends svc_run with no reply; every other call as interop_server. */
static void exiting_dispatch(struct svc_req *request, SVCXPRT *transport) {
  if (request->rq_proc != GREET) {
    interop_prog_1(request, transport);
    return;
  }
  name who = NULL;
  if (!svc_getargs(transport, (xdrproc_t) xdr_name, (char *) &who)) {
    svcerr_decode(transport);
    return;
  }
  if (strcmp(who, "exit") == 0) {
    svc_exit();
  } else {
    text *greeting = greet_1_svc(who, request);
    if (greeting == NULL || !svc_sendreply(transport, (xdrproc_t) xdr_text, (char *) greeting)) {
      svcerr_systemerr(transport);
    }
  }
  svc_freeargs(transport, (xdrproc_t) xdr_name, (char *) &who);
}

/* Answers, then shuts the connection: libtirpc then finds it dead and destroys it. */
static void closing_dispatch(struct svc_req *request, SVCXPRT *transport) {
  if (request->rq_proc == REVERSE) {
    count_runs_1_svc(0, request); /* so that a test can tell how many ran */
  }
  interop_prog_1(request, transport);
  shutdown(transport->xp_fd, SHUT_RDWR);
}

int main(int argc, char **argv) {
  if (argc < 2 || (strcmp(argv[1], "close-after-reply") != 0
                   && strcmp(argv[1], "die-mid-reply") != 0
                   && strcmp(argv[1], "odd-replies") != 0
                   && strcmp(argv[1], "exit-mid-call") != 0
                   && strcmp(argv[1], "strict") != 0
                   && strcmp(argv[1], "maxrec") != 0
                   && strcmp(argv[1], "bad-values") != 0)) {
    fprintf(stderr, "usage: interop_faulty_server"
        " close-after-reply|die-mid-reply|odd-replies|exit-mid-call|strict|maxrec|bad-values"
        " [seconds]\n");
    return 2;
  }
  alarm(argc > 2 ? (unsigned) atoi(argv[2]) : 300);
  signal(SIGPIPE, SIG_IGN); /* replies to calls behind a closed one go nowhere */
  int fd;
  int udp = -1;
  in_port_t port = 0;
  int datagrams_too = strcmp(argv[1], "exit-mid-call") == 0 || strcmp(argv[1], "odd-replies") == 0
      || strcmp(argv[1], "strict") == 0 || strcmp(argv[1], "bad-values") == 0;
  if (datagrams_too) {
    port = same_port_sockets("interop_faulty_server", &fd, &udp); /* served over UDP too */
  } else {
    fd = loopback_socket("interop_faulty_server", SOCK_STREAM, &port);
  }
  if (fd < 0 || port == 0) {
    return 1;
  }
  if (strcmp(argv[1], "maxrec") == 0) {
    int maxrec = MAXREC; /* before the listener accepts: each new connection takes it */
    if (!rpc_control(RPC_SVC_CONNMAXREC_SET, &maxrec)) {
      fprintf(stderr, "cannot set RPC_SVC_CONNMAXREC_SET\n");
      return 1;
    }
  }
  SVCXPRT *transport = svctcp_create(fd, TCP_BUFFER, TCP_BUFFER);
  void (*dispatch)(struct svc_req *, SVCXPRT *) =
      strcmp(argv[1], "die-mid-reply") == 0 ? dying_dispatch
      : strcmp(argv[1], "odd-replies") == 0 ? odd_dispatch
      : strcmp(argv[1], "exit-mid-call") == 0 ? exiting_dispatch
      : strcmp(argv[1], "strict") == 0 ? strict_dispatch
      : strcmp(argv[1], "maxrec") == 0 ? interop_prog_1
      : strcmp(argv[1], "bad-values") == 0 ? bad_values_dispatch
      : closing_dispatch;
  /* Protocol 0: register with the dispatcher only, not with rpcbind. */
  if (transport == NULL || !svc_register(transport, INTEROP_PROG, INTEROP_V1, dispatch, 0)) {
    fprintf(stderr, "cannot serve\n");
    return 1;
  }
  SVCXPRT *datagrams = NULL; /* no reply cache: a call sent twice runs twice */
  if (datagrams_too) {
    datagrams = svcudp_create(udp);
    if (datagrams == NULL || !svc_register(datagrams, INTEROP_PROG, INTEROP_V1, dispatch, 0)) {
      fprintf(stderr, "cannot serve UDP at the TCP port\n");
      return 1;
    }
  }
  /* Versions 1 and 3 only: libtirpc answers a call of 2 with the range it has, 1..3. */
  if (dispatch == odd_dispatch && (!svc_register(transport, INTEROP_PROG, 3, dispatch, 0)
                                   || !svc_register(datagrams, INTEROP_PROG, 3, dispatch, 0))) {
    fprintf(stderr, "cannot serve version 3\n");
    return 1;
  }
  printf("%d\n", (int) port);
  fflush(stdout);
  svc_run();
  if (dispatch == exiting_dispatch) {
    return 0; /* svc_exit: the end asked for */
  }
  fprintf(stderr, "svc_run returned\n");
  return 1;
}
