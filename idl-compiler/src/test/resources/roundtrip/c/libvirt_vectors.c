/*
 * Encodes values of libvirt's remote_protocol.x with the XDR routines rpcgen makes from it and
 * prints each as "name hex", for LibvirtRoundTripTest to compare with the Java Onyx generates.
 * The values are those of ../LibvirtVectors.java.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "remote_protocol.h"

static void print(const char *name, xdrproc_t proc, void *value) {
  static char buf[8192];
  XDR xdrs;
  xdrmem_create(&xdrs, buf, sizeof buf, XDR_ENCODE);
  if (!proc(&xdrs, value)) {
    fprintf(stderr, "cannot encode %s\n", name);
    exit(1);
  }
  printf("%s ", name);
  for (u_int i = 0; i < xdr_getpos(&xdrs); i++) {
    printf("%02x", (unsigned char) buf[i]);
  }
  printf("\n");
  xdr_destroy(&xdrs);
}

int main(void) {
  remote_domain_get_info_ret info = {1, 0x100000001ULL, 4096, 4, UINT64_MAX};
  print("info", (xdrproc_t) xdr_remote_domain_get_info_ret, &info);

  remote_nonnull_domain dom = {"guest-\xc3\xa9", {0}, 7};
  remote_nonnull_network net = {"default", {0}};
  for (int i = 0; i < VIR_UUID_BUFLEN; i++) {
    dom.uuid[i] = (char) (0xf0 + i);
    net.uuid[i] = (char) (0xf0 + i);
  }
  print("domain", (xdrproc_t) xdr_remote_nonnull_domain, &dom);

  remote_typed_param params[7];
  memset(params, 0, sizeof params);
  params[0].field = "period";
  params[0].value.type = VIR_TYPED_PARAM_INT;
  params[0].value.remote_typed_param_value_u.i = -5;
  params[1].field = "weight";
  params[1].value.type = VIR_TYPED_PARAM_UINT;
  params[1].value.remote_typed_param_value_u.ui = 0x80000000U;
  params[2].field = "vcpu_quota";
  params[2].value.type = VIR_TYPED_PARAM_LLONG;
  params[2].value.remote_typed_param_value_u.l = INT64_MIN;
  params[3].field = "cpu_shares";
  params[3].value.type = VIR_TYPED_PARAM_ULLONG;
  params[3].value.remote_typed_param_value_u.ul = UINT64_MAX;
  params[4].field = "ratio";
  params[4].value.type = VIR_TYPED_PARAM_DOUBLE;
  params[4].value.remote_typed_param_value_u.d = 0.25;
  params[5].field = "enabled";
  params[5].value.type = VIR_TYPED_PARAM_BOOLEAN;
  params[5].value.remote_typed_param_value_u.b = 1;
  params[6].field = "label";
  params[6].value.type = VIR_TYPED_PARAM_STRING;
  params[6].value.remote_typed_param_value_u.s = "syst\xc3\xa8me";
  remote_domain_get_scheduler_parameters_ret scheduler = {{7, params}};
  print("scheduler", (xdrproc_t) xdr_remote_domain_get_scheduler_parameters_ret, &scheduler);

  remote_domain_event_callback_tunable_msg tunable = {3, dom, {7, params}};
  print("tunable", (xdrproc_t) xdr_remote_domain_event_callback_tunable_msg, &tunable);

  remote_error bare = {1, 2, NULL, 3, NULL, NULL, NULL, NULL, 4, 5, NULL};
  print("error_bare", (xdrproc_t) xdr_remote_error, &bare);

  char *message = "Domain not found", *str1 = "a", *str3 = "c";
  remote_error full = {42, 10, &message, 2, &dom, &str1, NULL, &str3, -1, 1, &net};
  print("error_full", (xdrproc_t) xdr_remote_error, &full);
  return 0;
}
