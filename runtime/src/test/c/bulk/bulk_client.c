/*
 * A C client for bulk.x from rpcgen -M -N stubs: calls FILL(size) for each size given (ECHO of
 * size bytes for echo:SIZE), over TCP or over UDP (libtirpc's default buffers: 8800 bytes for a
 * UDP message; udp-BYTES: clntudp_bufcreate's buffers of BYTES, up to 65507, a whole IPv4
 * datagram), and prints one line per call: the result's length and whether every byte is as
 * bulk.x says, or clnt_sperrno. text:SIZE and long:SIZE send SIZE bytes of 'x' to TEXT_LENGTH and
 * LONG_LENGTH and print the length answered; textfill:SIZE and longfill:SIZE call TEXT_FILL and
 * LONG_FILL and print the length of the string answered.
 *
 *   bulk_client tcp|udp|udp-BYTES HOST PORT SIZE|echo:SIZE|text:SIZE|long:SIZE|textfill:SIZE|longfill:SIZE...
 *
 * With BULK_RCVBUF=BYTES in the environment, a TCP client's socket gets SO_RCVBUF of BYTES.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bulk.h"

/* One call of TEXT_LENGTH, LONG_LENGTH, TEXT_FILL or LONG_FILL as ARGUMENT (text:SIZE...) says. */
static void print_text_call(CLIENT *client, const char *argument) {
  const char *colon = strchr(argument, ':');
  u_int size = colon == NULL ? 0 : (u_int) strtoul(colon + 1, NULL, 10);
  int is_long = strncmp(argument, "long", 4) == 0;
  enum clnt_stat status;
  if (strstr(argument, "fill:") != NULL) {
    char *result = NULL;
    status = is_long ? long_fill_1(size, &result, client) : text_fill_1(size, &result, client);
    printf("%s(%u) -> ", is_long ? "LONG_FILL" : "TEXT_FILL", size);
    if (status == RPC_SUCCESS) {
      printf("%zu bytes\n", strlen(result));
      xdr_free((xdrproc_t) xdr_wrapstring, (char *) &result);
      return;
    }
  } else {
    char *text = malloc(size + 1);
    memset(text, 'x', size);
    text[size] = '\0';
    u_int length = 0;
    status = is_long ? long_length_1(text, &length, client) : text_length_1(text, &length, client);
    free(text);
    printf("%s(%u bytes) -> ", is_long ? "LONG_LENGTH" : "TEXT_LENGTH", size);
    if (status == RPC_SUCCESS) {
      printf("%u\n", length);
      return;
    }
  }
  printf("%s\n", clnt_sperrno(status));
}

int main(int argc, char **argv) {
  if (argc < 5 || (strncmp(argv[1], "tcp", 3) != 0 && strncmp(argv[1], "udp", 3) != 0)) {
    fprintf(stderr, "usage: bulk_client tcp|tcp-BYTES|udp|udp-BYTES HOST PORT SIZE|echo:SIZE...\n");
    return 2;
  }
  alarm(120); /* never outlive a test that forgot us */
  struct sockaddr_in server;
  memset(&server, 0, sizeof server);
  server.sin_family = AF_INET;
  server.sin_port = htons((in_port_t) atoi(argv[3]));
  if (inet_pton(AF_INET, argv[2], &server.sin_addr) != 1) {
    fprintf(stderr, "bulk_client: bad IPv4 address %s\n", argv[2]);
    return 2;
  }
  int sock = RPC_ANYSOCK;
  const char *rcvbuf = getenv("BULK_RCVBUF");
  if (rcvbuf != NULL && strncmp(argv[1], "tcp", 3) == 0) {
    /* A receive buffer of this size, set before connecting so that the kernel does not grow it
       (tcp_rmem lets it reach tens of MB): a stopped client then leaves a large reply unsent. */
    int bytes = atoi(rcvbuf);
    sock = socket(AF_INET, SOCK_STREAM, 0);
    if (sock < 0 || setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) != 0
        || connect(sock, (struct sockaddr *) &server, sizeof server) != 0) {
      perror("bulk_client: BULK_RCVBUF");
      return 2;
    }
  }
  struct timeval retry = {1, 0};
  u_int udp_buffer = strncmp(argv[1], "udp-", 4) == 0 ? (u_int) atoi(argv[1] + 4) : 0;
  /* tcp-BYTES: xdrrec's send and receive buffers of BYTES, so a call leaves in record
     fragments of BYTES - 4 (libtirpc's smallest is 100). */
  u_int tcp_buffer = strncmp(argv[1], "tcp-", 4) == 0 ? (u_int) atoi(argv[1] + 4) : 0;
  CLIENT *client = strncmp(argv[1], "tcp", 3) == 0
      ? clnttcp_create(&server, BULK_PROG, BULK_V1, &sock, tcp_buffer, tcp_buffer)
      : udp_buffer > 0
      ? clntudp_bufcreate(&server, BULK_PROG, BULK_V1, retry, &sock, udp_buffer, udp_buffer)
      : clntudp_create(&server, BULK_PROG, BULK_V1, retry, &sock);
  if (client == NULL) {
    clnt_pcreateerror("bulk_client");
    return 2;
  }
  struct timeval total = {10, 0};
  clnt_control(client, CLSET_TIMEOUT, (char *) &total);
  for (int i = 4; i < argc; i++) {
    if (strncmp(argv[i], "text", 4) == 0 || strncmp(argv[i], "long", 4) == 0) {
      print_text_call(client, argv[i]);
      continue;
    }
    int echo = strncmp(argv[i], "echo:", 5) == 0;
    u_int size = (u_int) strtoul(argv[i] + (echo ? 5 : 0), NULL, 10);
    blob result;
    memset(&result, 0, sizeof result);
    enum clnt_stat status;
    if (echo) {
      blob data = {size, malloc(size + 1)};
      for (u_int b = 0; b < size; b++) {
        data.blob_val[b] = (char) (b % 251);
      }
      status = echo_1(data, &result, client);
      free(data.blob_val);
      printf("ECHO(%u bytes) -> ", size);
    } else {
      status = fill_1(size, &result, client);
      printf("FILL(%u) -> ", size);
    }
    if (status != RPC_SUCCESS) {
      printf("%s\n", clnt_sperrno(status));
      continue;
    }
    int intact = 1;
    for (u_int b = 0; b < result.blob_len; b++) {
      intact &= result.blob_val[b] == (char) (b % 251);
    }
    printf("%u bytes, %s\n", result.blob_len, intact ? "intact" : "corrupt");
    xdr_free((xdrproc_t) xdr_blob, (char *) &result);
  }
  clnt_destroy(client);
  return 0;
}
