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

int main(int argc, char **argv) {
  int stream = argc > 2 && strcmp(argv[1], "tcp") == 0;
  if (argc < 3 || (!stream && strcmp(argv[1], "udp") != 0)) {
    fprintf(stderr, "usage: inetd_launch tcp|udp program [arguments...]\n");
    return 2;
  }
  int fd = socket(AF_INET, stream ? SOCK_STREAM : SOCK_DGRAM, 0);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof addr;
  if (fd < 0 || bind(fd, (struct sockaddr *) &addr, sizeof addr) != 0
      || (stream && listen(fd, SOMAXCONN) != 0)
      || getsockname(fd, (struct sockaddr *) &addr, &length) != 0 || dup2(fd, 0) != 0) {
    perror("inetd_launch");
    return 1;
  }
  if (fd != 0) {
    close(fd);
  }
  printf("%d\n", (int) ntohs(addr.sin_port));
  fflush(stdout);
  execv(argv[2], argv + 2);
  perror("inetd_launch: exec");
  return 1;
}
