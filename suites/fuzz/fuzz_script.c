/*
 * fuzz_script.c - libFuzzer target: fixture script text (SPEC 9).
 *
 * The input is a whole script file. ft_script_parse must either fail
 * with one message line, or return events whose fields are
 * NUL-terminated and whose messages are CRLF text ending in the empty
 * line; then ft_script_release frees it all (LeakSanitizer checks).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "err.h"
#include "script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
terminated(const char *s, size_t cap)
{
	return memchr(s, '\0', cap) != NULL;
}

static void
check_event(const struct ft_script_event *ev)
{
	if (!terminated(ev->name, sizeof(ev->name)) ||
	    !terminated(ev->user, sizeof(ev->user)) ||
	    !terminated(ev->password, sizeof(ev->password)) ||
	    !terminated(ev->from, sizeof(ev->from)) ||
	    !terminated(ev->reason, sizeof(ev->reason)) ||
	    !terminated(ev->csource, sizeof(ev->csource)))
		abort();
	if (ev->kind != FT_SCRIPT_MSG)
		return;
	if (ev->msg == NULL || ev->msg_len < 2 ||
	    ev->msg[ev->msg_len - 2] != '\r' ||
	    ev->msg[ev->msg_len - 1] != '\n')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char key[] = FT_AUTH_DEFAULT_KEY;
	struct ft_script s;
	struct ft_err e;
	uint64_t last = 0;
	size_t i;
	int rc;

	memset(&s, 0, sizeof(s));
	memset(&e, 0, sizeof(e));
	rc = ft_script_parse(&s, (const char *)data, size, "fuzz.dtcp", key,
	    sizeof(key) - 1, &e);
	if (rc != 0) {
		/* One line naming where: never empty, never two lines. */
		if (rc > 0 || e.msg[0] == '\0' ||
		    !terminated(e.msg, sizeof(e.msg)) ||
		    strchr(e.msg, '\n') != NULL)
			abort();
	} else {
		for (i = 0; i < s.n; i++) {
			check_event(&s.ev[i]);
			/* @at times never go back (SPEC 9). */
			if (s.ev[i].at_ns < last)
				abort();
			last = s.ev[i].at_ns;
		}
	}
	ft_script_release(&s);
	return 0;
}
