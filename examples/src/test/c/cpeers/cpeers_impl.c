/*
 * The procedures of cpeers.x for rpcgen's MT-safe dispatcher (rpcgen -M -N): each fills the
 * result the dispatcher passes and cpeers_prog_N_freeresult frees it with xdr_free, so every
 * pointer in a result is malloc'd. The rules are implemented twice, here and in
 * org.onyxrpc.examples.cpeers.CPeersService, and must stay the same.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpeers.h"

static char *upper(const char *s) {
  char *copy = strdup(s);
  for (char *p = copy; *p; p++) {
    if (*p >= 'a' && *p <= 'z') {
      *p = (char) (*p - 'a' + 'A');
    }
  }
  return copy;
}

/* LOW -> MID -> HIGH -> LOW. */
static level next_level(level l) {
  return l == LEVEL_LOW ? LEVEL_MID : l == LEVEL_MID ? LEVEL_HIGH : LEVEL_LOW;
}

/* Name upper-cased, level advanced, flag flipped, integers' bits inverted, float negated,
   double doubled, digest reversed. */
static void change_item(const item *in, item *out) {
  out->name = upper(in->name);
  out->lvl = next_level(in->lvl);
  out->on = !in->on;
  out->h = ~in->h;
  out->uh = ~in->uh;
  out->f = -in->f;
  out->d = in->d * 2;
  for (int i = 0; i < 5; i++) {
    out->digest[i] = in->digest[4 - i];
  }
}

static void change_verdict(const verdict *in, verdict *out) {
  out->lvl = in->lvl;
  switch (in->lvl) {
    case LEVEL_LOW:
      out->verdict_u.code = in->verdict_u.code + 1;
      break;
    case LEVEL_HIGH:
      change_item(&in->verdict_u.best, &out->verdict_u.best);
      break;
    default:
      out->verdict_u.why = upper(in->verdict_u.why);
      break;
  }
}

/* The pair swapped, the items reversed, the cells negated in place, each item and the verdict
   changed by the rules above. */
bool_t echo_1_svc(bundle in, bundle *out, struct svc_req *request) {
  (void) request;
  memset(out, 0, sizeof *out);
  change_item(&in.pair[1], &out->pair[0]);
  change_item(&in.pair[0], &out->pair[1]);
  u_int n = in.items.cp_items_len;
  out->items.cp_items_len = n;
  out->items.cp_items_val = calloc(n ? n : 1, sizeof(item));
  for (u_int i = 0; i < n; i++) {
    change_item(&in.items.cp_items_val[i], &out->items.cp_items_val[n - 1 - i]);
  }
  cell **tail = &out->cells;
  for (cell *c = in.cells; c != NULL; c = c->next) {
    *tail = calloc(1, sizeof(cell));
    (*tail)->value = -c->value;
    tail = &(*tail)->next;
  }
  change_verdict(&in.v, &out->v);
  return TRUE;
}

/* LOW: the code n; HIGH: an item made of name and n; any other level: the default arm. */
bool_t judge_1_svc(level l, int n, cp_alias name, verdict *out, struct svc_req *request) {
  (void) request;
  memset(out, 0, sizeof *out);
  out->lvl = l;
  switch (l) {
    case LEVEL_LOW:
      out->verdict_u.code = n;
      break;
    case LEVEL_HIGH: {
      item *best = &out->verdict_u.best;
      best->name = strdup(name);
      best->lvl = LEVEL_HIGH;
      best->on = n > 0;
      best->h = n;
      best->uh = (u_quad_t) (quad_t) n;
      best->f = (float) n / 2;
      best->d = (double) n / 4;
      for (int i = 0; i < 5; i++) {
        best->digest[i] = (char) (i + 1);
      }
      break;
    }
    default:
      out->verdict_u.why = strdup(name);
      break;
  }
  return TRUE;
}

bool_t who_1_svc(char **out, struct svc_req *request) {
  char text[1024];
  if (request->rq_cred.oa_flavor == AUTH_SYS) {
    struct authunix_parms *sys = (struct authunix_parms *) request->rq_clntcred;
    int used = snprintf(text, sizeof text, "AUTH_SYS machine=%s uid=%u gid=%u gids=[",
        sys->aup_machname, sys->aup_uid, sys->aup_gid);
    for (u_int i = 0; i < sys->aup_len && used < (int) sizeof text; i++) {
      used += snprintf(text + used, sizeof text - used, "%s%u", i ? ", " : "", sys->aup_gids[i]);
    }
    snprintf(text + used, sizeof text - used, "]");
  } else if (request->rq_cred.oa_flavor == AUTH_NONE) {
    snprintf(text, sizeof text, "AUTH_NONE");
  } else {
    snprintf(text, sizeof text, "flavor %d", (int) request->rq_cred.oa_flavor);
  }
  *out = strdup(text);
  return TRUE;
}

bool_t fill_1_svc(u_int n, cp_blob *out, struct svc_req *request) {
  (void) request;
  out->cp_blob_len = n;
  out->cp_blob_val = malloc(n ? n : 1);
  for (u_int i = 0; i < n; i++) {
    out->cp_blob_val[i] = (char) (i % 251);
  }
  return TRUE;
}

bool_t shout_1_svc(cp_name name, cp_name *out, struct svc_req *request) {
  (void) request;
  *out = upper(name);
  return TRUE;
}

bool_t sum_3_svc(cp_cells cells, quad_t *out, struct svc_req *request) {
  (void) request;
  *out = 0;
  for (cell *c = cells; c != NULL; c = c->next) {
    *out += c->value;
  }
  return TRUE;
}

int cpeers_prog_1_freeresult(SVCXPRT *transport, xdrproc_t xdr_result, caddr_t result) {
  (void) transport;
  xdr_free(xdr_result, result);
  return 1;
}

int cpeers_prog_3_freeresult(SVCXPRT *transport, xdrproc_t xdr_result, caddr_t result) {
  (void) transport;
  xdr_free(xdr_result, result);
  return 1;
}
