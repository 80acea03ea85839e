#include "same_port.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BIND_ATTEMPTS 50

static int bound_socket(int type, in_port_t port) {
  int fd = socket(AF_INET, type, 0);
  int on = 1;
  /* So that a server restarted at this port (SAME_PORT) may bind it beside this one's connections
     in TIME_WAIT: Linux lets it only if both sockets set SO_REUSEADDR. */
  if (fd >= 0 && type == SOCK_STREAM) {
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  }
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (fd < 0 || bind(fd, (struct sockaddr *) &addr, sizeof addr) != 0) {
    if (fd >= 0) {
      close(fd);
    }
    return -1;
  }
  return fd;
}

in_port_t same_port_sockets(const char *who, int *tcp, int *udp) {
  *tcp = -1;
  *udp = -1;
  in_port_t port = 0;
  const char *fixed = getenv("SAME_PORT");
  if (fixed != NULL) {
    /* A server restarted at the port it had (its old connections may be in TIME_WAIT there). */
    port = (in_port_t) atoi(fixed);
    if ((*tcp = bound_socket(SOCK_STREAM, port)) < 0
        || (*udp = bound_socket(SOCK_DGRAM, port)) < 0 || listen(*tcp, SOMAXCONN) != 0) {
      fprintf(stderr, "%s: cannot listen at SAME_PORT %s: ", who, fixed);
      perror(NULL);
      return 0;
    }
    return port;
  }
  for (int attempt = 0; attempt < BIND_ATTEMPTS && *udp < 0; attempt++) {
    if (*tcp >= 0) {
      close(*tcp);
    }
    *tcp = bound_socket(SOCK_STREAM, 0);
    struct sockaddr_in addr;
    socklen_t length = sizeof addr;
    if (*tcp < 0 || getsockname(*tcp, (struct sockaddr *) &addr, &length) != 0) {
      fprintf(stderr, "%s: cannot bind TCP on 127.0.0.1: ", who);
      perror(NULL);
      return 0;
    }
    port = ntohs(addr.sin_port);
    *udp = bound_socket(SOCK_DGRAM, port);
  }
  if (*udp < 0) {
    fprintf(stderr, "%s: no port free for both TCP and UDP after %d attempts\n", who, BIND_ATTEMPTS);
    return 0;
  }
  if (listen(*tcp, SOMAXCONN) != 0) {
    fprintf(stderr, "%s: listen: ", who);
    perror(NULL);
    return 0;
  }
  return port;
}

int loopback_socket(const char *who, int type, in_port_t *port) {
  int fd = bound_socket(type, 0);
  struct sockaddr_in addr;
  socklen_t length = sizeof addr;
  if (fd < 0 || (type == SOCK_STREAM && listen(fd, SOMAXCONN) != 0)
      || getsockname(fd, (struct sockaddr *) &addr, &length) != 0) {
    fprintf(stderr, "%s: cannot listen on 127.0.0.1: ", who);
    perror(NULL);
    if (fd >= 0) {
      close(fd);
    }
    return -1;
  }
  *port = ntohs(addr.sin_port);
  return fd;
}
