/*
 * A C client of the Onyx directory's names protocol, built by rpcgen from the onyx_names.x that
 * the runtime ships (org/onyxrpc/directory/onyx_names.x): it registers a name with a lease, looks
 * it up (over TCP and UDP), renews it, lists it, and removes it, printing one deterministic line
 * per call for NamesProtocolCClientTest.
 *
 *   names_client PORT
 *
 * The directory listens on 127.0.0.1 at PORT; the instance registered is program 0x20000777
 * version 1 over tcp at 127.0.0.1 port 1025 ("127.0.0.1.4.1"), which the directory takes from
 * a caller on this machine without checking that anything listens there.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onyx_names.h"

static struct timeval timeout = {30, 0};

static void fail(CLIENT *client, const char *what) {
  clnt_perror(client, what);
  exit(1);
}

static void print_instances(const char *label, onyx_instances *found) {
  printf("%s %u\n", label, found->onyx_instances_len);
  for (u_int i = 0; i < found->onyx_instances_len; i++) {
    onyx_instance *e = &found->onyx_instances_val[i];
    printf("  %s %#x %u %s %s\n", e->name, e->prog, e->vers, e->netid, e->addr);
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: names_client PORT\n");
    return 2;
  }
  struct sockaddr_in server = {0};
  server.sin_family = AF_INET;
  server.sin_port = htons((unsigned short) atoi(argv[1]));
  server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int sock = RPC_ANYSOCK;
  CLIENT *tcp = clnttcp_create(&server, ONYX_DIRECTORY, ONYX_DIRECTORY_V1, &sock, 0, 0);
  if (tcp == NULL) {
    clnt_pcreateerror("names_client tcp");
    return 1;
  }
  clnt_control(tcp, CLSET_TIMEOUT, (char *) &timeout);

  onyx_registration r = {0};
  r.name = "org.example.CNames";
  r.prog = 0x20000777;
  r.vers = 1;
  r.netid = "tcp";
  r.addr = "127.0.0.1.4.1";
  r.lease_ms = 5000;
  u_int *granted = onyx_register_1(&r, tcp);
  if (granted == NULL) fail(tcp, "ONYX_REGISTER");
  printf("register %u\n", *granted);

  onyx_name name = r.name;
  onyx_instances *found = onyx_lookup_1(&name, tcp);
  if (found == NULL) fail(tcp, "ONYX_LOOKUP");
  print_instances("lookup tcp", found);

  /* Over UDP too: the directory serves the names program on both transports. */
  int usock = RPC_ANYSOCK;
  struct timeval wait = {1, 0};
  CLIENT *udp = clntudp_create(&server, ONYX_DIRECTORY, ONYX_DIRECTORY_V1, wait, &usock);
  if (udp == NULL) {
    clnt_pcreateerror("names_client udp");
    return 1;
  }
  clnt_control(udp, CLSET_TIMEOUT, (char *) &timeout);
  onyx_instances *found_udp = onyx_lookup_1(&name, udp);
  if (found_udp == NULL) fail(udp, "ONYX_LOOKUP over udp");
  print_instances("lookup udp", found_udp);
  clnt_destroy(udp);

  /* Renewing is registering again, with the lease wanted from now on. */
  r.lease_ms = 60000;
  granted = onyx_register_1(&r, tcp);
  if (granted == NULL) fail(tcp, "ONYX_REGISTER (renew)");
  printf("renew %u\n", *granted);

  onyx_listing *listing = onyx_list_1(NULL, tcp);
  if (listing == NULL) fail(tcp, "ONYX_LIST");
  for (u_int i = 0; i < listing->onyx_listing_len; i++) {
    onyx_listed *l = &listing->onyx_listing_val[i];
    if (strcmp(l->entry.name, r.name) == 0) {
      /* At most the lease granted, and more than the first lease had: the renewal's. */
      int fresh = l->lease_left_ms <= 60000 && l->lease_left_ms > 5000;
      printf("list %s %#x %s %s lease %s\n", l->entry.name, l->entry.prog, l->entry.netid,
          l->entry.addr, fresh ? "renewed" : "stale");
    }
  }

  /* A lease asked beyond the directory's bound is granted at it. */
  onyx_registration other = r;
  other.vers = 2;
  other.lease_ms = 0xFFFFFFFFu;
  granted = onyx_register_1(&other, tcp);
  if (granted == NULL) fail(tcp, "ONYX_REGISTER (long lease)");
  printf("register v2 %u\n", *granted);

  /* A netid that is not IP's, nor "local": refused, 0. */
  onyx_registration bad = r;
  bad.netid = "ticotsord";
  granted = onyx_register_1(&bad, tcp);
  if (granted == NULL) fail(tcp, "ONYX_REGISTER (bad netid)");
  printf("register ticotsord %u\n", *granted);

  bool_t *removed = onyx_unregister_1(&r, tcp);
  if (removed == NULL) fail(tcp, "ONYX_UNREGISTER");
  printf("unregister %s\n", *removed ? "TRUE" : "FALSE");
  removed = onyx_unregister_1(&r, tcp);
  if (removed == NULL) fail(tcp, "ONYX_UNREGISTER (again)");
  printf("unregister again %s\n", *removed ? "TRUE" : "FALSE");
  removed = onyx_unregister_1(&other, tcp);
  if (removed == NULL) fail(tcp, "ONYX_UNREGISTER v2");
  printf("unregister v2 %s\n", *removed ? "TRUE" : "FALSE");

  found = onyx_lookup_1(&name, tcp);
  if (found == NULL) fail(tcp, "ONYX_LOOKUP (after)");
  print_instances("lookup after", found);
  clnt_destroy(tcp);
  return 0;
}
