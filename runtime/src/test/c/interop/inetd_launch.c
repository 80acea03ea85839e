/*
 * Starts a program as inetd starts an RPC server: with a socket of its own on descriptor 0.
 *
 *   inetd_launch tcp|udp program [arguments...]
 *
 * It binds a TCP (listening, as inetd's "wait" entries pass it) or UDP socket to 127.0.0.1 and
 * a free port, prints the port on stdout, makes the socket descriptor 0 and executes program,
 * which is then a server that inetd started: rpcgen -I's main serves that socket, registers
 * with no rpcbind, and exits when idle (-K).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "same_port.h"

int main(int argc, char **argv) {
  int stream = argc > 2 && strcmp(argv[1], "tcp") == 0;
  if (argc < 3 || (!stream && strcmp(argv[1], "udp") != 0)) {
    fprintf(stderr, "usage: inetd_launch tcp|udp program [arguments...]\n");
    return 2;
  }
  in_port_t port;
  int fd = loopback_socket("inetd_launch", stream ? SOCK_STREAM : SOCK_DGRAM, &port);
  if (fd < 0) {
    return 1;
  }
  if (dup2(fd, 0) != 0) {
    perror("inetd_launch");
    return 1;
  }
  if (fd != 0) {
    close(fd);
  }
  printf("%d\n", (int) port);
  fflush(stdout);
  execv(argv[2], argv + 2);
  perror("inetd_launch: exec");
  return 1;
}
