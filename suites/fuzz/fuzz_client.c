/*
 * fuzz_client.c - libFuzzer target: the bytes a router sends flowtap
 * client (docs/client.md).
 *
 * The input is a reply stream. ft_client_reply_frame takes replies off
 * its front as the client does; each one goes through
 * ft_client_reply_check and ft_client_json_string. Contracts checked:
 * a framed reply lies inside the input and ends with LF, its start skips
 * only empty lines, a code is 0 or 100..999, the reason is printable
 * and NUL-terminated, mac_ok implies has_mac, and the JSON string has no
 * raw control byte and ends with a quote.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "client.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_json(const char *s, size_t len)
{
	char *buf = NULL;
	size_t n = 0, i;
	FILE *fp = open_memstream(&buf, &n);

	if (fp == NULL)
		return;
	ft_client_json_string(fp, s, len);
	fclose(fp);
	if (n < 2 || buf[0] != '"' || buf[n - 1] != '"')
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			abort();
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char key[] = FT_AUTH_DEFAULT_KEY;
	const char *p = (const char *)data;
	struct ft_client_reply rep;
	size_t len = size, start, end, i;

	check_json(p, len);
	while (ft_client_reply_frame(p, len, &start, &end)) {
		if (start >= end || end > len || p[end - 1] != '\n')
			abort();
		for (i = 0; i < start; i++)
			if (p[i] != '\r' && p[i] != '\n')
				abort();
		ft_client_reply_check(p + start, end - start, key,
		    sizeof(key) - 1, &rep);
		if (rep.code != 0 && (rep.code < 100 || rep.code > 999))
			abort();
		if (memchr(rep.reason, '\0', sizeof(rep.reason)) == NULL)
			abort();
		for (i = 0; rep.reason[i] != '\0'; i++)
			if ((unsigned char)rep.reason[i] < 0x20 ||
			    (unsigned char)rep.reason[i] > 0x7e)
				abort();
		if (rep.mac_ok && !rep.has_mac)
			abort();
		if (rep.code == 0 && rep.version != 0)
			abort();
		check_json(p + start, end - start);
		p += end;
		len -= end;
	}
	return 0;
}
