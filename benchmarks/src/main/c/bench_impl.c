/* The procedures of bench.x: add two ints; echo the bytes received. */
#include "bench.h"

int *add_1_svc(int a, int b, struct svc_req *request) {
  static int sum;
  (void) request;
  sum = a + b;
  return &sum;
}

/*
 * The reply points into the decoded argument: rpcgen's dispatcher sends the reply before it
 * frees the arguments, so the bytes are copied once, into the reply stream.
 */
bench_bytes *echo_1_svc(bench_bytes data, struct svc_req *request) {
  static bench_bytes result;
  (void) request;
  result = data;
  return &result;
}
