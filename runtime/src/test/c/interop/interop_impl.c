/*
 * The procedures of interop.x in C, called by the dispatcher that `rpcgen -N -m` generates.
 * org.onyxrpc.interop.InteropService implements the same rules in Java; keep them in step.
 *
 * rpcgen's classic (non -M) convention: each procedure returns a pointer to a static result,
 * which is freed with xdr_free when the procedure runs next. Results never alias arguments,
 * which the dispatcher frees after replying.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "interop.h"

static char *ascii_upper(const char *s) {
  char *copy = strdup(s);
  for (char *p = copy; *p; p++) {
    if (*p >= 'a' && *p <= 'z') {
      *p = (char) (*p - 'a' + 'A');
    }
  }
  return copy;
}

static color next_of(color c) {
  switch (c) {
    case RED: return GREEN;
    case GREEN: return BLUE;
    default: return RED;
  }
}

static node *reversed(const node *in) {
  node *out = NULL;
  for (const node *n = in; n != NULL; n = n->next) {
    node *copy = calloc(1, sizeof *copy);
    copy->label = ascii_upper(n->label);
    copy->value = n->value * 2;
    copy->next = out;
    out = copy;
  }
  return out;
}

static shape morphed(shape in) {
  shape out;
  memset(&out, 0, sizeof out);
  switch (in.kind) {
    case RED:
      out.kind = GREEN;
      out.shape_u.corners[0].x = -in.shape_u.radius;
      out.shape_u.corners[0].y = -in.shape_u.radius;
      out.shape_u.corners[1].x = in.shape_u.radius;
      out.shape_u.corners[1].y = in.shape_u.radius;
      break;
    case GREEN:
      out.kind = BLUE;
      break;
    default:
      out.kind = RED;
      out.shape_u.radius = 7;
      break;
  }
  return out;
}

static void transform_into(const profile *in, profile *out) {
  u_int n = in->values.values_len;
  out->title = ascii_upper(in->title);
  out->tint = next_of(in->tint);
  out->flag = !in->flag;
  out->count = in->count + 1;
  out->big = in->big + 1;
  out->ratio = in->ratio * 2;
  for (int i = 0; i < 3; i++) {
    out->fixed[i] = in->fixed[2 - i];
  }
  /* values, then their sum (wrapping, as Java's int arithmetic does). */
  out->values.values_len = n + 1;
  out->values.values_val = calloc(n + 1, sizeof(int));
  u_int sum = 0;
  for (u_int i = 0; i < n; i++) {
    out->values.values_val[i] = in->values.values_val[i];
    sum += (u_int) in->values.values_val[i];
  }
  out->values.values_val[n] = (int) sum;
  for (int i = 0; i < 3; i++) {
    out->tag[i] = (char) (in->tag[i] + 1);
  }
  u_int blob_len = in->blob.blob_len;
  out->blob.blob_len = blob_len;
  out->blob.blob_val = calloc(blob_len + 1, 1);
  for (u_int i = 0; i < blob_len; i++) {
    out->blob.blob_val[i] = in->blob.blob_val[blob_len - 1 - i];
  }
  out->origin.x = in->origin.y;
  out->origin.y = in->origin.x;
  out->items = reversed(in->items);
  out->form = morphed(in->form);
}

outcome *transform_1_svc(profile in, struct svc_req *request) {
  static outcome result;
  (void) request;
  xdr_free((xdrproc_t) xdr_outcome, (char *) &result);
  memset(&result, 0, sizeof result);
  if (in.title[0] == '\0') {
    result.status = 1;
    result.outcome_u.error = strdup("empty title");
  } else if (in.values.values_len >= MAX_VALUES) {
    result.status = 2;
    result.outcome_u.error = strdup("values full");
  } else {
    result.status = 0;
    transform_into(&in, &result.outcome_u.value);
  }
  return &result;
}

quad_t *add3_1_svc(int a, quad_t b, u_int c, struct svc_req *request) {
  static quad_t result;
  (void) request;
  result = a + b + (quad_t) c;
  return &result;
}

list *reverse_1_svc(list in, struct svc_req *request) {
  static list result;
  (void) request;
  xdr_free((xdrproc_t) xdr_list, (char *) &result);
  result = reversed(in);
  return &result;
}

shape *morph_1_svc(shape in, struct svc_req *request) {
  static shape result;
  (void) request;
  result = morphed(in);
  return &result;
}

color *next_color_1_svc(color in, struct svc_req *request) {
  static color result;
  (void) request;
  result = next_of(in);
  return &result;
}

text *greet_1_svc(name who, struct svc_req *request) {
  static text result;
  xdr_free((xdrproc_t) xdr_text, (char *) &result);
  if (strcmp(who, "crash") == 0) {
    svcerr_systemerr(request->rq_xprt);
    return NULL; /* the dispatcher sends nothing more for a NULL result */
  }
  static const char hello[] = "hello, ";
  result = malloc(sizeof hello + strlen(who));
  strcpy(result, hello);
  strcat(result, who);
  return &result;
}

text *whoami_1_svc(struct svc_req *request) {
  static char buffer[512];
  static text result = buffer;
  if (request->rq_cred.oa_flavor == AUTH_NONE) {
    snprintf(buffer, sizeof buffer, "AUTH_NONE");
  } else if (request->rq_cred.oa_flavor == AUTH_SYS) {
    const struct authunix_parms *sys = (const struct authunix_parms *) request->rq_clntcred;
    int n = snprintf(buffer, sizeof buffer, "AUTH_SYS machine=%s uid=%u gid=%u gids=[",
        sys->aup_machname, (unsigned) sys->aup_uid, (unsigned) sys->aup_gid);
    for (u_int i = 0; i < sys->aup_len && n < (int) sizeof buffer; i++) {
      n += snprintf(buffer + n, sizeof buffer - n, "%s%u", i == 0 ? "" : ", ",
          (unsigned) sys->aup_gids[i]);
    }
    if (n < (int) sizeof buffer) {
      snprintf(buffer + n, sizeof buffer - n, "]");
    }
  } else {
    snprintf(buffer, sizeof buffer, "flavor %d", (int) request->rq_cred.oa_flavor);
  }
  return &result;
}

u_int *count_runs_1_svc(u_int delay_ms, struct svc_req *request) {
  static u_int runs;
  (void) request;
  if (delay_ms > 0) { /* tests that need the server busy wait for this line */
    fprintf(stderr, "COUNT_RUNS(%u) running\n", delay_ms);
  }
  struct timespec delay = {delay_ms / 1000, (long) (delay_ms % 1000) * 1000000L};
  nanosleep(&delay, NULL);
  runs++;
  return &runs;
}
