/*
 * Decodes and re-encodes XDR values with rpcgen's routines, for XdrDifferentialTest. Each line
 * of standard input is "ROUTINE HEX" (HEX is "-" for no bytes); each line of standard output is
 * "ok CONSUMED HEX" (the bytes ROUTINE decoded and the bytes it encodes again), "reject" (the
 * decoder refused them) or "encodefail". table.h, written by the test, includes the .x file's
 * XDR routines as rpcgen wrote them (so gcc builds one translation unit), with its header, and
 * defines TABLE: one { "xdr_NAME", xdr_NAME, sizeof (NAME) } per routine, sorted by name, and
 * VALUES: one { "NAME", (long long) (NAME) } per constant and enum constant of the
 * file, which "harness FILE" writes to FILE as "NAME VALUE" lines before it reads standard input
 * (one run of the harness answers both, rather than one run for each). The harness's own names
 * start with harness_, apart from the file's.
 */
#include <rpc/rpc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef bool_t (*harness_routine)(XDR *, void *);

struct harness_entry {
	const char *name;
	harness_routine xdr;
	size_t size;
};

#include "table.h"

static const struct harness_entry harness_table[] = { TABLE };

struct harness_value {
	const char *name;
	long long value;
};

static const struct harness_value harness_values[] = { VALUES { NULL, 0 } };

static int harness_compare(const void *name, const void *entry)
{
	return strcmp(name, ((const struct harness_entry *) entry)->name);
}

static int harness_nibble(char c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

int main(int argc, char **argv)
{
	char *line = NULL;
	size_t capacity = 0;
	ssize_t length;
	static const char digits[] = "0123456789abcdef";

	if (argc > 1) {
		FILE *values = fopen(argv[1], "w");
		if (values == NULL) {
			perror(argv[1]);
			return 1;
		}
		for (const struct harness_value *v = harness_values; v->name != NULL; v++) {
			fprintf(values, "%s %lld\n", v->name, v->value);
		}
		if (fclose(values) != 0) {
			perror(argv[1]);
			return 1;
		}
	}

	while ((length = getline(&line, &capacity, stdin)) > 0) {
		/* Not strlen: a file's procedure of that name is a #define (dart-oncrpc's strlen.x). */
		char *end = line + strcspn(line, "\n");
		*end = '\0';
		char *hex = strchr(line, ' ');
		if (hex == NULL) {
			printf("badline\n");
			continue;
		}
		*hex++ = '\0';
		const struct harness_entry *entry = bsearch(line, harness_table,
		    sizeof harness_table / sizeof harness_table[0], sizeof harness_table[0], harness_compare);
		if (entry == NULL) {
			printf("unknown\n");
			continue;
		}
		size_t size = strcmp(hex, "-") == 0 ? 0 : (size_t) (end - hex) / 2;
		char *in = malloc(size + 1);
		for (size_t i = 0; i < size; i++) {
			in[i] = (char) (harness_nibble(hex[2 * i]) << 4 | harness_nibble(hex[2 * i + 1]));
		}
		/* Room for the largest C type; scalars' routines take 8 bytes at most. */
		void *value = calloc(1, entry->size < 64 ? 64 : entry->size);
		XDR xdr;
		xdrmem_create(&xdr, in, (u_int) size, XDR_DECODE);
		if (!entry->xdr(&xdr, value)) {
			printf("reject\n");
		} else {
			u_int consumed = xdr_getpos(&xdr);
			size_t room = 4 * size + 65536;
			char *out = malloc(room);
			XDR encoder;
			xdrmem_create(&encoder, out, (u_int) room, XDR_ENCODE);
			if (!entry->xdr(&encoder, value)) {
				printf("encodefail\n");
			} else {
				u_int written = xdr_getpos(&encoder);
				printf("ok %u ", consumed);
				if (written == 0) {
					putchar('-');
				}
				for (u_int i = 0; i < written; i++) {
					putchar(digits[(unsigned char) out[i] >> 4]);
					putchar(digits[(unsigned char) out[i] & 15]);
				}
				putchar('\n');
			}
			free(out);
			xdr_free((xdrproc_t) entry->xdr, value);
		}
		free(value);
		free(in);
	}
	free(line);
	return 0;
}
