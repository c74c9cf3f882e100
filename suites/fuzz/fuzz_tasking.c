/*
 * fuzz_tasking.c - libFuzzer target: a DTCP session (SPEC 2, 3, 5).
 *
 * Input byte 0 is a control byte, the rest a stream of DTCP messages
 * split at "\r\n\r\n" (the terminating empty line). Control byte:
 *   bit 0 clear: each message that frames has its MAC replaced by the
 *               correct one (Authentication-Info added as its last
 *               parameter if missing), so the fuzzer gets past the
 *               497 drop into Seq, parameter and semantic checks;
 *   bits 1-7:   the profile, modulo 3 (flowtap, junos, draft).
 * A segment starting "@restart" restarts the tasking (SPEC 5) and
 * reopens the session. Every message goes through ft_tasking_request
 * on one session of the seed configuration's user verint, 1 ms of
 * engine clock apart. Every reply must be CRLF text ending in the
 * empty line with a correct AUTHENTICATION-INFO; the criterion table
 * must stay within the chassis limit with increasing Criteria-IDs.
 *
 * One tasking per profile lives across inputs: a fresh one costs ~5 ms
 * under ASan (its criterion table is a large allocation), which would
 * make the target 20 times slower. Each input starts with a restart
 * (no criterion, no session, no Seq) and 61 s of clock later (past the
 * rate-limit window), so only Criteria-ID values, timestamps and the
 * statistics carry over from earlier inputs.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "classify.h"
#include "dtcp.h"
#include "limits.h"
#include "routercfg.h"
#include "tasking.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define KEY FT_AUTH_DEFAULT_KEY
#define KEYLEN (sizeof(KEY) - 1)
#define AUTH_PFX "Authentication-Info: "
#define REPLY_AUTH_PFX "AUTHENTICATION-INFO: "
#define T0 1297612609000000000ULL	/* 2011-02-13 15:56:49 UTC */
#define STEP 1000000ULL			/* 1 ms between messages */
#define RESTART_STEP 61000000000ULL	/* past the seed's rate-limit window */

static struct ft_routercfg router;
static int router_ok;
static struct ft_tasking *tasks[3];	/* by enum ft_profile */
static uint64_t now = T0;
static struct ft_dtcp_msg msg;
static struct ft_dtcp_reply reply;
static char fixed[FT_DTCP_MSG_MAX + 128];
static volatile unsigned sink;

/* Touch every byte an event hands out, so ASan sees a bad pointer. */
static void
logger(void *ctx, const struct ft_event *ev)
{
	size_t i;
	unsigned h = 0;

	(void)ctx;
	if (ev->session != NULL)
		h += (unsigned)strlen(ev->session);
	if (ev->user != NULL)
		h += (unsigned)strlen(ev->user);
	if (ev->reason != NULL)
		h += (unsigned)strlen(ev->reason);
	if (ev->text != NULL)
		for (i = 0; i < ev->text_len; i++)
			h += (unsigned char)ev->text[i];
	sink += h;
}

static void
check_reply(int code)
{
	size_t n = reply.len, m = reply.mac_len, pl = strlen(REPLY_AUTH_PFX);

	if (code == 0)
		return;
	if (code < 200 || code > 999 || reply.overflow || n > sizeof(reply.buf))
		abort();
	if (n < 4 || memcmp(reply.buf + n - 4, "\r\n\r\n", 4) != 0)
		abort();
	if (memcmp(reply.buf, "DTCP/", 5) != 0)
		abort();
	/* The last line is the MAC of everything before it. */
	if (m + pl + FT_AUTH_HEX_LEN + 4 != n ||
	    memcmp(reply.buf + m, REPLY_AUTH_PFX, pl) != 0 ||
	    !ft_auth_check(KEY, KEYLEN, reply.buf, m, reply.buf + m + pl,
	    FT_AUTH_HEX_LEN))
		abort();
}

static void
check_table(struct ft_tasking *t)
{
	struct ft_classify *c = ft_tasking_table(t);
	struct ft_rule *r;
	unsigned i, n = ft_classify_count(c);
	uint64_t last = 0;

	if (n > FT_CRITERIA_MAX)
		abort();
	for (i = 0; i < n; i++) {
		r = ft_classify_at(c, i);
		if (r == NULL || r->id <= last ||
		    strcmp(r->csource, "verint") != 0)
			abort();
		last = r->id;
	}
}

/*
 * The message s[0..len) with its MAC made right, into fixed[]. Returns
 * the new length, or 0 to send the message as it is.
 */
static size_t
fix_mac(const char *s, size_t len)
{
	char hex[FT_AUTH_HEX_LEN + 1];
	size_t span, n, pl = strlen(AUTH_PFX);

	if (ft_dtcp_parse(&msg, s, len, NULL, 0) != 0)
		return 0;
	if (msg.auth != NULL) {
		span = msg.mac_len;
	} else {
		/* Every line: drop the empty line at the end, if any. */
		span = len;
		if (span >= 4 && memcmp(s + span - 4, "\r\n\r\n", 4) == 0)
			span -= 2;
	}
	if (span > len || span + 2 + pl + FT_AUTH_HEX_LEN + 4 > sizeof(fixed))
		return 0;
	memcpy(fixed, s, span);
	n = span;
	if (n < 2 || memcmp(fixed + n - 2, "\r\n", 2) != 0) {
		memcpy(fixed + n, "\r\n", 2);
		n += 2;
	}
	if (ft_auth_hex(KEY, KEYLEN, fixed, n, hex) != 0)
		abort();
	memcpy(fixed + n, AUTH_PFX, pl);
	n += pl;
	memcpy(fixed + n, hex, FT_AUTH_HEX_LEN);
	n += FT_AUTH_HEX_LEN;
	memcpy(fixed + n, "\r\n\r\n", 4);
	return n + 4;
}

static const uint8_t *
find_end(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 4 <= len; i++)
		if (p[i] == '\r' && memcmp(p + i, "\r\n\r\n", 4) == 0)
			return p + i;
	return NULL;
}

/* The tasking of a profile, made on first use. */
static struct ft_tasking *
tasking(enum ft_profile profile)
{
	struct ft_tasking_cfg tc;

	if (!router_ok) {
		if (ft_routercfg_default(&router) != 0)
			abort();
		router_ok = 1;
	}
	if (tasks[profile] != NULL)
		return tasks[profile];
	memset(&tc, 0, sizeof(tc));
	tc.router = &router;
	tc.profile = profile;
	tc.key = NULL;
	tc.log = logger;
	if ((tasks[profile] = ft_tasking_new(&tc)) == NULL)
		abort();
	return tasks[profile];
}

/* Start over: no criterion, no session, no Seq; one new session. */
static int
start(struct ft_tasking *t)
{
	int sid;

	now += RESTART_STEP;
	ft_tasking_restart(t, "fuzz", now);
	if (ft_classify_count(ft_tasking_table(t)) != 0)
		abort();
	if ((sid = ft_tasking_open(t, "md", "verint", NULL, NULL, now)) < 0)
		abort();
	return sid;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ft_tasking *t;
	enum ft_profile profile;
	const uint8_t *p, *end, *stop;
	const char *s;
	size_t len, flen;
	int fixmac, sid, code;

	if (size < 1)
		return 0;
	fixmac = (data[0] & 1) == 0;
	profile = (enum ft_profile)((data[0] >> 1) % 3);
	t = tasking(profile);
	sid = start(t);

	p = data + 1;
	stop = data + size;
	while (p < stop) {
		end = find_end(p, (size_t)(stop - p));
		len = end != NULL ? (size_t)(end - p) + 4 : (size_t)(stop - p);
		s = (const char *)p;
		p += len;
		now += STEP;
		if (len >= 8 && memcmp(s, "@restart", 8) == 0) {
			check_table(t);
			sid = start(t);
			continue;
		}
		if (fixmac && (flen = fix_mac(s, len)) != 0) {
			s = fixed;
			len = flen;
		}
		code = ft_tasking_request(t, sid, s, len, now, &reply);
		check_reply(code);
		if (profile == FT_PROFILE_DRAFT)
			ft_tasking_tick(t, now);
	}
	check_table(t);
	return 0;
}
