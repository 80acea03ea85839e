/*
 * A C server for bulk.x from rpcgen -M -N stubs (results in the caller's storage, freed by
 * bulk_prog_1_freeresult), with libtirpc's default buffers: 8800 blob for a UDP message, so a
 * result that does not fit is answered SYSTEM_ERR by rpcgen's dispatcher. It listens on
 * 127.0.0.1, TCP and UDP on one port number, prints the port and serves until killed.
 *
 *   bulk_server [lifetime-seconds [udp-buffer-bytes]]
 *
 * Given a UDP buffer size (svcudp_bufcreate's, up to 65507: a whole IPv4 datagram), it serves in
 * a loop of its own, select() and svc_getreqset(), as servers that wait on other files too do.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bulk.h"
#include "same_port.h"

void bulk_prog_1(struct svc_req *request, SVCXPRT *transport); /* from rpcgen -M -N -m */

bool_t fill_1_svc(u_int size, blob *result, struct svc_req *request) {
  (void) request;
  result->blob_len = size;
  result->blob_val = malloc(size + 1);
  if (result->blob_val == NULL) {
    return FALSE;
  }
  for (u_int i = 0; i < size; i++) {
    result->blob_val[i] = (char) (i % 251);
  }
  return TRUE;
}

bool_t echo_1_svc(blob data, blob *result, struct svc_req *request) {
  (void) request;
  result->blob_len = data.blob_len;
  result->blob_val = malloc(data.blob_len + 1);
  if (result->blob_val == NULL) {
    return FALSE;
  }
  memcpy(result->blob_val, data.blob_val, data.blob_len);
  return TRUE;
}

bool_t text_length_1_svc(char *text, u_int *result, struct svc_req *request) {
  (void) request;
  *result = (u_int) strlen(text);
  return TRUE;
}

bool_t long_length_1_svc(longtext text, u_int *result, struct svc_req *request) {
  (void) request;
  *result = (u_int) strlen(text);
  return TRUE;
}

static bool_t text_of(u_int size, char **result) {
  *result = malloc(size + 1);
  if (*result == NULL) {
    return FALSE;
  }
  memset(*result, 'x', size);
  (*result)[size] = '\0';
  return TRUE;
}

bool_t text_fill_1_svc(u_int size, char **result, struct svc_req *request) {
  (void) request;
  return text_of(size, result);
}

bool_t long_fill_1_svc(u_int size, longtext *result, struct svc_req *request) {
  (void) request;
  return text_of(size, result);
}

int bulk_prog_1_freeresult(SVCXPRT *transport, xdrproc_t xdr_result, caddr_t result) {
  (void) transport;
  xdr_free(xdr_result, result);
  return 1;
}

int main(int argc, char **argv) {
  alarm(argc > 1 ? (unsigned) atoi(argv[1]) : 300);
  int tcp, udp;
  in_port_t port = same_port_sockets("bulk_server", &tcp, &udp);
  if (port == 0) {
    return 1;
  }
  u_int udp_buffer = argc > 2 ? (u_int) atoi(argv[2]) : 0;
  SVCXPRT *tcp_transport = svctcp_create(tcp, 0, 0);
  SVCXPRT *udp_transport =
      udp_buffer > 0 ? svcudp_bufcreate(udp, udp_buffer, udp_buffer) : svcudp_create(udp);
  /* Protocol 0: register with the dispatcher only, not with rpcbind. */
  if (tcp_transport == NULL || udp_transport == NULL
      || !svc_register(tcp_transport, BULK_PROG, BULK_V1, bulk_prog_1, 0)
      || !svc_register(udp_transport, BULK_PROG, BULK_V1, bulk_prog_1, 0)) {
    fprintf(stderr, "bulk_server: cannot serve\n");
    return 1;
  }
  printf("%d\n", (int) port);
  fflush(stdout);
  while (udp_buffer > 0) {
    fd_set readable = svc_fdset;
    if (select(svc_maxfd + 1, &readable, NULL, NULL, NULL) < 0) {
      if (errno == EINTR) {
        continue;
      }
      perror("bulk_server: select");
      return 1;
    }
    svc_getreqset(&readable);
  }
  svc_run();
  fprintf(stderr, "svc_run returned\n");
  return 1;
}
