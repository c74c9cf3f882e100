/*
 * ftstate - a stateful randomized test of the DTCP control plane (SPEC
 * 2, 3, 5, docs/dtcp.md). It drives the engine's tasking API directly:
 * sessions of several control sources are opened, closed and reopened,
 * the router restarts now and then, and every step sends one random
 * request - well formed, with a framing defect, unauthenticated, with a
 * stale Seq, or over the size cap. After every request the answer (or
 * its absence) and the criterion table are checked against a model
 * written from the specification, never from the engine's output alone:
 *
 *   1. an unauthenticated, stale or oversized request is never answered
 *      (and is logged as a drop with the SPEC's code)
 *   2. every reply is well-formed DTCP: "DTCP/x.y CODE REASON", the
 *      request's version, TIMESTAMP = the engine clock, a verifying
 *      AUTHENTICATION-INFO (our own HMAC-SHA1), CRLF CRLF at the end
 *   3. no reply names another control source's criterion or name
 *   4. the table holds at most FT_CRITERIA_MAX criteria, exactly the
 *      model's (Criteria-ID, owner) pairs
 *   5. an answered error carries "SEQ: <seq>" as its second line when
 *      the Seq was readable; an authenticated framing defect gets 400
 *   6. a well-formed authenticated request gets the code, ids and
 *      counts the model predicts; sessions open and refuse as modelled
 *
 * MACs of requests and replies are computed here with OpenSSL's one-shot
 * HMAC(), not with the engine's auth module, so one bug cannot hide in
 * both. Criteria-ID forms of the draft ('*', 'N-*', '*-N', '!N') are
 * being introduced: their codes are not asserted (200, 400 or 431), only
 * the invariants and, on 200, their effect.
 *
 * Usage: ftstate [--seed N] [--iterations N | --seconds S]
 *                [--config FILE] [--keep-going] [--verbose]
 *
 * The last line is "ftstate: N requests, V violations". Exit 0 when V is
 * 0, 1 on the first violation (with --keep-going: after the run), 2 on
 * bad usage. A violation prints the invariant, the seed, the iteration
 * and the request and reply bytes (escaped); the same seed and
 * --iterations replay it exactly.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "classify.h"
#include "dtcp.h"
#include "err.h"
#include "limits.h"
#include "num.h"
#include "routercfg.h"
#include "rule.h"
#include "tasking.h"

#define KEY		"Juniper"	/* SPEC 2: the default DTCP key */
#define OTHER_KEY	"juniper"	/* a MAC by another key */
#define SLOTS		6		/* session names s0..s5 */
#define CD_POOL		6		/* Cdest-IDs cd1..cd6, shared by all */
#define SEL_MAX		4		/* entries of a Criteria-ID selector */
#define LINES_MAX	192		/* lines of one generated request */
#define ARENA_MAX	(3 * FT_DTCP_MSG_MAX)
#define CODES_MAX	32
#define T0_NS		1798761600000000000ULL	/* 2027-01-01 00:00 UTC */
#define WINDOW_NS	(60ULL * 1000000000ULL)	/* SPEC 4 rate-limit */
#define DETAIL_MAX	20	/* violations printed in full (keep-going) */

/* The built-in router: three agencies, an operator without the right. */
static const char builtin_cfg[] =
    "system {\n"
    "  login {\n"
    "    class LEA {\n"
    "      permissions [ flow-tap flow-tap-operation ];\n"
    "    }\n"
    "    class NOC {\n"
    "      permissions [ view flow-tap ];\n"
    "    }\n"
    "    user lea1 {\n"
    "      uid 3001;\n"
    "      class LEA;\n"
    "      authentication {\n"
    "        encrypted-password \"$1$lea1SaLt$U/8S3BTZ3PETMpGp5.NzP/\";\n"
    "      }\n"
    "    }\n"
    "    user lea2 {\n"
    "      uid 3002;\n"
    "      class LEA;\n"
    "      authentication {\n"
    "        encrypted-password \"$1$lea2SaLt$XlMK55xYhtoZKjE.acVu3.\";\n"
    "      }\n"
    "    }\n"
    "    user lea3 {\n"
    "      uid 3003;\n"
    "      class LEA;\n"
    "      authentication {\n"
    "        encrypted-password \"$1$lea3SaLt$v23u1b8ykR4gGzDyHLerx0\";\n"
    "      }\n"
    "    }\n"
    "    user noc {\n"
    "      uid 3010;\n"
    "      class NOC;\n"
    "      authentication {\n"
    "        encrypted-password \"$1$nocSaLt$yPj2KwJJq6GCNW7uje3oF/\";\n"
    "      }\n"
    "    }\n"
    "  }\n"
    "  services {\n"
    "    flow-tap-dtcp {\n"
    "      ssh {\n"
    "        connection-limit 5;\n"
    "        rate-limit 40;\n"
    "      }\n"
    "    }\n"
    "  }\n"
    "}\n"
    "services {\n"
    "  flow-tap {\n"
    "    interface sp-0/2/0.100;\n"
    "  }\n"
    "}\n"
    "interfaces {\n"
    "  sp-0/2/0 {\n"
    "    unit 100 {\n"
    "      family inet;\n"
    "      family inet6;\n"
    "    }\n"
    "  }\n"
    "}\n";

/* Passwords of the built-in users (their MD5-crypt hashes above). */
static const struct {
	const char *user, *password;
} builtin_pw[] = {
	{ "lea1", "lea1pass" },
	{ "lea2", "lea2pass" },
	{ "lea3", "lea3pass" },
	{ "noc", "nocpass" },
};

/* Reason phrases of SPEC 2. */
static const struct {
	int code;
	const char *reason;
} reasons[] = {
	{ 200, "OK" }, { 400, "Bad Request" },
	{ 430, "Unknown Content Destination" },
	{ 431, "Unknown Criteria ID" },
	{ 432, "Improper Filter Specification" },
	{ 433, "Improper Timeout Specification" },
	{ 500, "Server Internal Error" }, { 501, "Not Implemented" },
	{ 505, "DTCP Version Not Supported" },
	{ 550, "Max Criteria Limit Exceeded" },
	{ 551, "Max Content Destination Exceeded" },
	{ 901, "JTap-Failure" },
};

/* A deterministic generator (splitmix64): no rand(), same on any host. */
struct rng {
	uint64_t s;
};

/* The model: what SPEC 2-5 say the router holds. */
struct mcrit {
	uint64_t id;
	unsigned src;			/* owner */
	unsigned ncd;
	char cd[FT_CDEST_MAX][FT_NAME_MAX + 1];
};

struct msource {
	char name[FT_NAME_MAX + 1];
	const char *password;	/* NULL: unknown, sessions open implicit */
	int can_tap;		/* the class has flow-tap-operation */
	int seq_known;		/* a request was answered since the restart */
	uint64_t last_ok;	/* Seq of the last answered request */
	int sent;		/* an authenticated Seq was sent since then */
	uint64_t auth_max;	/* the largest such Seq */
};

struct mslot {
	char name[8];
	int open;
	int sid;
	unsigned src;
};

struct model {
	struct msource src[FT_CFG_USERS_MAX];
	unsigned nsrc;
	struct mcrit crit[FT_CRITERIA_MAX];	/* in Criteria-ID order */
	unsigned ncrit;
	uint64_t max_id;			/* largest id ever given */
	struct mslot slot[SLOTS];
	unsigned climit, rlimit;
	uint64_t opens[FT_CFG_SSH_LIMIT_MAX];	/* accepted opens, a ring */
	unsigned nopens, opens_head;
	uint64_t now;
};

/* One request under construction: lines, then the assembled bytes. */
struct msgb {
	char arena[ARENA_MAX];
	size_t used;
	size_t off[LINES_MAX], len[LINES_MAX];
	unsigned n;
	int full;
	char out[ARENA_MAX + 128];
	size_t outlen;
};

enum kind {
	K_ADD,		/* well-formed ADD: 200, 550 (500 in 0.6) when full */
	K_ADD_BAD,	/* an ADD SPEC 3 rejects: plan.code */
	K_DELETE,
	K_LIST,
	K_ERROR,	/* version, method, parameter or Seq error */
	K_DEFECT,	/* authenticated framing defect: 400 */
	K_UNAUTH,	/* never answered */
	K_STALE,	/* stale Seq: never answered */
	K_OVERSIZE,	/* over 8 KiB: never answered */
	K_CLOSED,	/* on a handle that is not open: never answered */
	K_NKINDS
};

static const char *const kind_name[K_NKINDS] = {
	"add", "add-bad", "delete", "list", "error", "defect", "unauth",
	"stale", "oversize", "closed",
};

enum defect {
	D_NOCOLON, D_BARE_LF, D_BARE_CR, D_NUL, D_UTF8, D_LONGLINE,
	D_PARAMS, D_NDEFECTS
};

static const char *const defect_name[D_NDEFECTS] = {
	"a line without a colon", "a bare LF", "a bare CR", "a NUL byte",
	"invalid UTF-8", "a line over 1024 bytes", "more than 64 parameters",
};

enum macmode {
	MAC_OK, MAC_FLIP, MAC_NONE, MAC_OTHERKEY, MAC_SPAN, MAC_SHORT,
};

/* A Criteria-ID / Cdest-ID selector of DELETE and LIST. */
struct selector {
	int has_cid, has_cd;
	char cid[256];
	char cd[2 * (FT_NAME_MAX + 1)];
	int cd_list;		/* a comma list: 400 */
	int star;		/* a draft form: code not asserted */
	struct {
		uint64_t lo, hi;
		int neg;
	} e[SEL_MAX];
	unsigned ne;
};

/* What one step sends and what the model expects of it. */
struct plan {
	enum kind kind;
	char what[512];		/* for messages */
	unsigned slot;
	int sid;
	unsigned src;		/* the session's user */
	unsigned version;	/* 6, 7, 8, or 0 when not one of them */
	uint64_t seq;
	int seq_readable;
	int authentic;		/* MAC, Csource-ID and permission good */
	unsigned seq_src;	/* whose Seq the request carries */
	int expect_drop;
	int drop_code[2];	/* logged drop code(s) SPEC 2 names */
	int code;		/* expected code; 0 with loose */
	int loose;		/* 200, 400 or 431 */
	int is_delete, is_list;
	int del_static;		/* DELETE carries Flags: STATIC */
	int trailer;		/* lines after Authentication-Info */
	size_t padded;		/* the message must be this long */
	struct mcrit add;	/* K_ADD: the new criterion's cdests */
	uint64_t sel[FT_CRITERIA_MAX];	/* selected by DELETE / LIST */
	unsigned nsel;
};

/* Events the engine logged during one request. */
struct evlog {
	unsigned nreply, ndrop;
	int drop_code;
	size_t reply_len;
};

struct opts {
	uint64_t seed;
	uint64_t iterations;
	uint64_t seconds;
	const char *config;
	int keep_going;
	int verbose;
};

struct stats {
	uint64_t requests, kind[K_NKINDS];
	int code[CODES_MAX];
	uint64_t count[CODES_MAX];
	unsigned ncodes;
	uint64_t drops;
	uint64_t opened, refused, closed, restarts;
	unsigned peak;
	uint64_t violations;
};

struct run {
	struct opts o;
	struct rng rng;
	struct ft_routercfg cfg;
	struct ft_tasking *t;
	struct model m;
	struct msgb b;
	struct ft_dtcp_reply *reply;
	struct evlog ev;
	struct stats st;
	uint64_t iter;
};

/* Random numbers. */

static uint64_t
rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0 (the modulo bias does not matter here). */
static unsigned
rnd(struct run *R, unsigned n)
{
	return (unsigned)(rng_next(&R->rng) % n);
}

/* 1 with probability pct percent. */
static int
chance(struct run *R, unsigned pct)
{
	return rnd(R, 100) < pct;
}

/* Output helpers. */

static void
put_escaped(FILE *f, const char *s, size_t n)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r')
			fputs("\\r", f);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '\\' || c == '"')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static const char *const inv_name[] = {
	"",
	"1 (no reply to an unauthenticated, stale or oversized request)",
	"2 (every reply is well-formed DTCP with a verifying MAC)",
	"3 (no reply names another control source's criterion)",
	"4 (the table agrees with the model, at most 100 criteria)",
	"5 (errors carry SEQ; authenticated framing defects get 400)",
	"6 (answers and sessions as the model predicts)",
};

/*
 * Report a violation of invariant inv during the current request (p and
 * code; p may be NULL for a session step). Exits unless --keep-going.
 */
static void violation(struct run *R, const struct plan *p, int code, int inv,
    const char *fmt, ...) FT_PRINTF(5, 6);

static void
violation(struct run *R, const struct plan *p, int code, int inv,
    const char *fmt, ...)
{
	va_list ap;

	R->st.violations++;
	if (R->o.keep_going && R->st.violations > DETAIL_MAX) {
		fprintf(stderr, "ftstate: iteration %llu: invariant %d: ",
		    (unsigned long long)R->iter, inv);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
		return;
	}
	fprintf(stderr, "ftstate: violation of invariant %s: ", inv_name[inv]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fprintf(stderr, "ftstate: seed %llu, iteration %llu (replay: ftstate "
	    "--seed %llu --iterations %llu%s%s)\n",
	    (unsigned long long)R->o.seed, (unsigned long long)R->iter,
	    (unsigned long long)R->o.seed, (unsigned long long)R->iter + 1,
	    R->o.config != NULL ? " --config " : "",
	    R->o.config != NULL ? R->o.config : "");
	if (p != NULL) {
		fprintf(stderr, "ftstate: %s on session %s (user %s, handle "
		    "%d), Seq %llu\n", p->what, R->m.slot[p->slot].name,
		    R->m.src[p->src].name, p->sid,
		    (unsigned long long)p->seq);
		fprintf(stderr, "ftstate: request (%zu bytes): ",
		    R->b.outlen);
		put_escaped(stderr, R->b.out, R->b.outlen);
		fputc('\n', stderr);
		if (code != 0) {
			fprintf(stderr, "ftstate: reply %d (%zu bytes): ",
			    code, R->reply->len);
			put_escaped(stderr, R->reply->buf, R->reply->len);
			fputc('\n', stderr);
		}
	}
	if (!R->o.keep_going) {
		fprintf(stderr, "ftstate: %llu requests, %llu violations\n",
		    (unsigned long long)R->st.requests,
		    (unsigned long long)R->st.violations);
		exit(1);
	}
}

static void
fatal(const char *msg)
{
	fprintf(stderr, "ftstate: %s\n", msg);
	exit(1);
}

/* HMAC-SHA1 as 40 lower-case hex digits (SPEC 2), by OpenSSL. */
static void
mac_hex(const char *key, const void *data, size_t len, char out[41])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	if (HMAC(EVP_sha1(), key, (int)strlen(key), data, len, md,
	    &mdlen) == NULL || mdlen != 20)
		fatal("HMAC-SHA1 failed");
	for (i = 0; i < 20; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[40] = '\0';
}

/* The request builder. */

static void
mb_reset(struct msgb *b)
{
	b->used = 0;
	b->n = 0;
	b->full = 0;
	b->outlen = 0;
}

/* Append s[0..n) as one line; it carries its own line end. */
static void
mb_raw(struct msgb *b, const char *s, size_t n)
{
	if (b->n == LINES_MAX || n > sizeof(b->arena) - b->used) {
		b->full = 1;
		return;
	}
	memcpy(b->arena + b->used, s, n);
	b->off[b->n] = b->used;
	b->len[b->n] = n;
	b->used += n;
	b->n++;
}

static void mb_line(struct msgb *b, const char *fmt, ...) FT_PRINTF(2, 3);

/* Append one formatted line and its CRLF. */
static void
mb_line(struct msgb *b, const char *fmt, ...)
{
	char line[2 * FT_DTCP_LINE_MAX];
	va_list ap;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(line, sizeof(line) - 2, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= sizeof(line) - 2) {
		b->full = 1;
		return;
	}
	line[w] = '\r';
	line[w + 1] = '\n';
	mb_raw(b, line, (size_t)w + 2);
}

/* Move the last line to index pos (1 <= pos < n). */
static void
mb_move_last(struct msgb *b, unsigned pos)
{
	size_t off, len;
	unsigned i;

	if (b->n < 2 || pos >= b->n - 1)
		return;
	off = b->off[b->n - 1];
	len = b->len[b->n - 1];
	for (i = b->n - 1; i > pos; i--) {
		b->off[i] = b->off[i - 1];
		b->len[i] = b->len[i - 1];
	}
	b->off[pos] = off;
	b->len[pos] = len;
}

/* Index of the last line of parameter name (any case), or 0. */
static unsigned
mb_find(const struct msgb *b, const char *name)
{
	size_t n = strlen(name);
	unsigned i, found = 0;

	for (i = 1; i < b->n; i++)
		if (b->len[i] > n && b->arena[b->off[i] + n] == ':' &&
		    strncasecmp(b->arena + b->off[i], name, n) == 0)
			found = i;
	return found;
}

/* Remove line i (i >= 1). */
static void
mb_remove(struct msgb *b, unsigned i)
{
	if (i == 0 || i >= b->n)
		return;
	memmove(&b->off[i], &b->off[i + 1], (b->n - i - 1) *
	    sizeof(b->off[0]));
	memmove(&b->len[i], &b->len[i + 1], (b->n - i - 1) *
	    sizeof(b->len[0]));
	b->n--;
}

/* Bytes of the lines so far. */
static size_t
mb_size(const struct msgb *b)
{
	size_t n = 0;
	unsigned i;

	for (i = 0; i < b->n; i++)
		n += b->len[i];
	return n;
}

/*
 * Lines after Authentication-Info are ignored entirely (SPEC 2): none of
 * them may change the outcome, not even a defect or another Seq.
 */
static const char trailer[] = "Seq: 1\r\nthis line has no colon\r\n"
    "X-After: \xff\xfe\r\nCsource-ID: nobody\r\n";

/*
 * Join the lines, then append Authentication-Info (as mode says), the
 * trailer if asked, and the empty line that ends the message.
 */
static void
mb_finish(struct msgb *b, enum macmode mode, int with_trailer)
{
	char mac[41];
	size_t n = 0, span;
	unsigned i;

	for (i = 0; i < b->n; i++) {
		memcpy(b->out + n, b->arena + b->off[i], b->len[i]);
		n += b->len[i];
	}
	span = n;
	if (mode == MAC_SPAN && b->n > 1)
		span -= b->len[b->n - 1];	/* misses the last line */
	mac_hex(mode == MAC_OTHERKEY ? OTHER_KEY : KEY, b->out, span, mac);
	if (mode == MAC_FLIP)
		mac[17] = mac[17] == '0' ? '1' : '0';
	if (mode == MAC_SHORT)
		mac[39] = '\0';
	if (mode != MAC_NONE)
		n += (size_t)snprintf(b->out + n, sizeof(b->out) - n,
		    "Authentication-Info: %s\r\n", mac);
	if (with_trailer && mode != MAC_NONE) {
		memcpy(b->out + n, trailer, sizeof(trailer) - 1);
		n += sizeof(trailer) - 1;
	}
	memcpy(b->out + n, "\r\n", 2);
	b->outlen = n + 2;
}

/* A parameter name, now and then in another case (SPEC 2: case-free). */
static const char *
pname(struct run *R, const char *name, char *buf, size_t cap)
{
	size_t i, n = strlen(name);
	unsigned how = rnd(R, 20);

	if (how > 1 || n >= cap)
		return name;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (how == 0 && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		else if (how == 1 && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		buf[i] = c;
	}
	buf[n] = '\0';
	return buf;
}

static void param(struct run *R, const char *name, const char *fmt, ...)
    FT_PRINTF(3, 4);

/* Append "Name: value". */
static void
param(struct run *R, const char *name, const char *fmt, ...)
{
	char nb[64], value[2 * FT_DTCP_LINE_MAX];
	va_list ap;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= sizeof(value)) {
		R->b.full = 1;
		return;
	}
	mb_line(&R->b, "%s: %s", pname(R, name, nb, sizeof(nb)), value);
}

/* Filter values (SPEC 3 grammar). */

static void
addr_one(struct run *R, int fam, char *out, size_t cap)
{
	if (fam == 4)
		snprintf(out, cap, "10.%u.%u.%u", rnd(R, 4), rnd(R, 256),
		    rnd(R, 256));
	else
		snprintf(out, cap, "2001:db8:%x::%x", rnd(R, 4),
		    rnd(R, 0x10000));
}

/* One address entry: an address, a prefix or a range. */
static void
addr_entry(struct run *R, int fam, int alone, char *out, size_t cap)
{
	unsigned a = rnd(R, 256), b = rnd(R, 256), how = rnd(R, 100);

	if (a > b) {
		unsigned x = a;

		a = b;
		b = x;
	}
	if (how < 35)
		addr_one(R, fam, out, cap);
	else if (how < 60 && fam == 4)
		snprintf(out, cap, "10.%u.0.0/%u", rnd(R, 4), 8 + rnd(R, 25));
	else if (how < 60)
		snprintf(out, cap, "2001:db8:%x::/%u", rnd(R, 4),
		    32 + rnd(R, 97));
	else if (how < 80 && fam == 4)
		snprintf(out, cap, "10.1.2.%u-10.1.2.%u", a, b);
	else if (how < 80)
		snprintf(out, cap, "2001:db8::%x-2001:db8::%x", a, b);
	else if (how < 88 && fam == 4)
		snprintf(out, cap, "10.1.%u.0-*", a);
	else if (how < 88)
		snprintf(out, cap, "2001:db8:%x::-*", a);
	else if ((how < 96 || !alone) && fam == 4)
		snprintf(out, cap, "*-10.2.%u.255", a);
	else if (how < 96 || !alone)
		snprintf(out, cap, "*-2001:db8:%x::ffff", a);
	else
		snprintf(out, cap, "*");
}

/* A list of 1..3 entries, some negated with '!'. */
static void
addr_list(struct run *R, int fam, char *out, size_t cap)
{
	unsigned i, n = chance(R, 70) ? 1 : 2 + rnd(R, 2);
	size_t off = 0;

	for (i = 0; i < n && off < cap; i++) {
		char ent[96];
		int neg = i > 0 ? chance(R, 40) : chance(R, 8);

		addr_entry(R, fam, n == 1 && !neg, ent, sizeof(ent));
		off += (size_t)snprintf(out + off, cap - off, "%s%s%s",
		    i > 0 ? "," : "", neg ? "!" : "", ent);
	}
}

/* Ports, protocols, ICMP: N, N-M, '*', comma lists with '!'. */
static void
num_list(struct run *R, unsigned max, char *out, size_t cap)
{
	unsigned i, n = chance(R, 70) ? 1 : 2 + rnd(R, 2);
	size_t off = 0;

	if (chance(R, 8)) {
		snprintf(out, cap, "*");
		return;
	}
	for (i = 0; i < n && off < cap; i++) {
		unsigned a = rnd(R, max + 1), b = rnd(R, max + 1);
		int neg = i > 0 ? chance(R, 35) : chance(R, 5);

		if (a > b) {
			unsigned x = a;

			a = b;
			b = x;
		}
		if (chance(R, 60))
			off += (size_t)snprintf(out + off, cap - off,
			    "%s%s%u", i > 0 ? "," : "", neg ? "!" : "", a);
		else
			off += (size_t)snprintf(out + off, cap - off,
			    "%s%s%u-%u", i > 0 ? "," : "", neg ? "!" : "", a,
			    b);
	}
}

/* Protocol sets that include 6, 17 or 132 (a port condition's need). */
static const char *const l4_protos[] = {
	"*", "6", "17", "132", "6,17", "6-17", "!1", "6,!17", "17,132",
};

/* The request line, Csource-ID and Seq of every request. */

static unsigned
pick_version(struct run *R)
{
	unsigned r = rnd(R, 10);

	return r < 2 ? FT_DTCP_V06 : r < 7 ? FT_DTCP_V07 : FT_DTCP_V08;
}

static void
request_line(struct run *R, const char *method, unsigned version)
{
	mb_line(&R->b, "%s DTCP/%u.%u", method, version / 10, version % 10);
}

/* Insert "Seq: N" at a random position after the request line. */
static void
add_seq(struct run *R, const char *value)
{
	param(R, "Seq", "%s", value);
	mb_move_last(&R->b, 1 + rnd(R, R->b.n - 1));
}

/* A Seq this source has not used: above everything it sent since restart. */
static uint64_t
fresh_seq(struct run *R, unsigned src)
{
	struct msource *s = &R->m.src[src];
	uint64_t base = s->sent ? s->auth_max + 1 : 0;

	if (!s->sent && chance(R, 50))
		return rnd(R, 4);	/* a device replaying its files */
	if (chance(R, 2))
		return base + rnd(R, 1000000000);
	return base + rnd(R, 4);
}

/* Model queries. */

static int
src_by_name(const struct model *m, const char *name)
{
	unsigned i;

	for (i = 0; i < m->nsrc; i++)
		if (strcmp(m->src[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Owner of criterion id, or -1. */
static int
crit_owner(const struct model *m, uint64_t id)
{
	unsigned i;

	for (i = 0; i < m->ncrit; i++)
		if (m->crit[i].id == id)
			return (int)m->crit[i].src;
	return -1;
}

static int
names_cd(const struct mcrit *c, const char *cd)
{
	unsigned i;

	for (i = 0; i < c->ncd; i++)
		if (strcmp(c->cd[i], cd) == 0)
			return 1;
	return 0;
}

/* A random id of src's criteria (or of anybody's if src < 0), else 0. */
static uint64_t
some_id(struct run *R, int src, int other)
{
	uint64_t ids[FT_CRITERIA_MAX];
	unsigned i, n = 0;

	for (i = 0; i < R->m.ncrit; i++) {
		unsigned o = R->m.crit[i].src;

		if (src < 0 || (other ? o != (unsigned)src :
		    o == (unsigned)src))
			ids[n++] = R->m.crit[i].id;
	}
	return n == 0 ? 0 : ids[rnd(R, n)];
}

/* ADD. */

enum addbad {
	B_NONE, B_NOSTATIC, B_CD3, B_CDCOUNT, B_PORTPROTO,
	B_MIXFAM, B_V6IN06, B_IPVER06, B_CDSRCFAM, B_BADADDR, B_PROTO,
	B_UNKNOWN, B_NBAD
};

static const struct {
	int code;
	const char *what;
} addbad[B_NBAD] = {
	{ 200, "ADD" },
	{ 433, "ADD without Flags: STATIC" },
	{ 551, "ADD with 3 content destinations" },
	{ 432, "ADD with 2 Cdest-IDs and 1 address" },
	{ 432, "ADD with a port and Protocol: 1" },
	{ 432, "ADD with IPv4 and IPv6 match addresses" },
	{ 432, "ADD with an IPv6 match address in DTCP/0.6" },
	{ 901, "ADD with X-JTap-IP-Version: ipv6 in DTCP/0.6" },
	{ 901, "ADD with a cdest source of the other family" },
	{ 432, "ADD with Source-Address 10.0.0.300" },
	{ 432, "ADD with Protocol: 256" },
	{ 501, "ADD with an undefined parameter Frob-Level" },
};

/* The match fields of an ADD: addresses of family fam, ports, ICMP. */
static void
add_filters(struct run *R, int fam, enum addbad bad)
{
	char v[512];
	int ports = chance(R, 45) || bad == B_PORTPROTO;
	int icmp = !ports && chance(R, 15);

	if (bad == B_MIXFAM) {
		param(R, "Source-Address", "10.0.0.%u", rnd(R, 256));
		param(R, "Dest-Address", "2001:db8::%x", rnd(R, 0x10000));
	} else if (bad == B_V6IN06) {
		param(R, "Dest-Address", "2001:db8::%x", rnd(R, 0x10000));
	} else if (bad == B_BADADDR) {
		param(R, "Source-Address", "10.0.0.300");
	} else if (bad != B_IPVER06) {
		/* (IPv4 addresses beside ipv6 in 0.6 would be 432 or 901.) */
		if (chance(R, 50)) {
			addr_list(R, fam, v, sizeof(v));
			param(R, "Source-Address", "%s", v);
		}
		if (chance(R, 50)) {
			addr_list(R, fam, v, sizeof(v));
			param(R, "Dest-Address", "%s", v);
		}
	}
	if (bad == B_PORTPROTO) {
		param(R, "Dest-Port", "%u", rnd(R, 65536));
	} else if (ports) {
		if (chance(R, 60)) {
			num_list(R, 65535, v, sizeof(v));
			param(R, "Source-Port", "%s", v);
		}
		num_list(R, 65535, v, sizeof(v));
		param(R, "Dest-Port", "%s", v);
	}
	if (bad == B_PORTPROTO)
		param(R, "Protocol", "1");
	else if (bad == B_PROTO)
		param(R, "Protocol", "256");
	else if (ports && chance(R, 70))
		param(R, "Protocol", "%s", l4_protos[rnd(R,
		    sizeof(l4_protos) / sizeof(l4_protos[0]))]);
	else if (icmp && chance(R, 70))
		param(R, "Protocol", "%s", fam == 4 ? "1" : "58");
	else if (!ports && !icmp && chance(R, 50)) {
		num_list(R, 255, v, sizeof(v));
		param(R, "Protocol", "%s", v);
	}
	if (icmp) {
		num_list(R, 255, v, sizeof(v));
		param(R, "ICMP-Type", "%s", v);
		if (chance(R, 40))
			param(R, "ICMP-Code", "%u", rnd(R, 16));
	}
}

/* Content destinations (1-2 of the shared pool) and the outer header. */
static void
add_cdests(struct run *R, struct plan *p, enum addbad bad)
{
	unsigned i, n = chance(R, 30) ? 2 : 1, first = rnd(R, CD_POOL);
	int cfam = p->version >= FT_DTCP_V07 && chance(R, 25) ? 6 : 4;
	char ids[64], addrs[160], ports[32];
	size_t io = 0, ao = 0, po = 0;

	if (bad == B_CD3)
		n = 3;
	p->add.ncd = 0;
	for (i = 0; i < n; i++) {
		unsigned cd = (first + i) % CD_POOL + 1;

		io += (size_t)snprintf(ids + io, sizeof(ids) - io, "%scd%u",
		    i > 0 ? "," : "", cd);
		if (i < FT_CDEST_MAX) {
			snprintf(p->add.cd[i], sizeof(p->add.cd[i]), "cd%u",
			    cd);
			p->add.ncd++;
		}
		if (bad == B_CDCOUNT && i > 0)
			continue;
		if (cfam == 4)
			ao += (size_t)snprintf(addrs + ao, sizeof(addrs) - ao,
			    "%s192.168.%u.%u", i > 0 ? "," : "", 3 + i,
			    1 + rnd(R, 254));
		else
			ao += (size_t)snprintf(addrs + ao, sizeof(addrs) - ao,
			    "%s2001:db8:1::%x", i > 0 ? "," : "",
			    1 + rnd(R, 0xfffe));
		po += (size_t)snprintf(ports + po, sizeof(ports) - po, "%s%u",
		    i > 0 ? "," : "", 1024 + rnd(R, 60000));
	}
	if (bad == B_CDCOUNT) {
		/* Two Cdest-IDs, one address and one port. */
		if (n < 2) {
			io += (size_t)snprintf(ids + io, sizeof(ids) - io,
			    ",cd%u", (first + 1) % CD_POOL + 1);
		}
	}
	param(R, "Cdest-ID", "%s", ids);
	param(R, "X-JTap-Cdest-Dest-Address", "%s", addrs);
	param(R, "X-JTap-Cdest-Dest-Port", "%s", ports);
	if ((cfam == 4) != (bad == B_CDSRCFAM))
		param(R, "X-JTap-Cdest-Source-Address", "10.209.74.183");
	else
		param(R, "X-JTap-Cdest-Source-Address", "2001:db8::1");
	param(R, "X-JTap-Cdest-Source-Port", "%u", 1024 + rnd(R, 64000));
	if (chance(R, 25))
		param(R, "X-JTap-Cdest-TTL", "%u", rnd(R, 256));
}

/* Optional parameters an ADD may carry; none changes its outcome. */
static void
add_extras(struct run *R, int fam, enum addbad bad)
{
	if (bad == B_IPVER06)
		param(R, "X-JTap-IP-Version", "ipv6");
	else if (chance(R, 20))
		param(R, "X-JTap-IP-Version", "%s", fam == 4 ?
		    (chance(R, 50) ? "ipv4" : "IPv4") : "ipv6");
	if (chance(R, 10))
		param(R, "Priority", "%u", rnd(R, 8));
	if (chance(R, 15))
		param(R, "X-MD-Intercept-Id", "%s%x%07x",
		    chance(R, 50) ? "0x" : "", rnd(R, 4),
		    rnd(R, 0x10000000));
	if (chance(R, 8))
		param(R, "X-Vendor-Note", "caf\xc3\xa9 \xe2\x9c\x93 "
		    "\xe6\x97\xa5\xe6\x9c\xac");
	if (bad == B_UNKNOWN)
		param(R, "Frob-Level", "3");
}

/*
 * Write an ADD (without Seq) for Csource-ID csource; the family of the
 * match addresses is IPv6 only from DTCP/0.7 (else 432).
 */
static void
write_add(struct run *R, struct plan *p, const char *csource,
    enum addbad bad)
{
	int fam;

	if (bad == B_V6IN06 || bad == B_IPVER06)
		p->version = FT_DTCP_V06;
	if ((bad == B_MIXFAM || bad == B_CDSRCFAM) &&
	    p->version == FT_DTCP_V06)
		p->version = FT_DTCP_V07;
	fam = p->version >= FT_DTCP_V07 && chance(R, 30) ? 6 : 4;
	if (bad == B_MIXFAM)
		fam = 4;
	request_line(R, "ADD", p->version);
	param(R, "Csource-ID", "%s", csource);
	add_cdests(R, p, bad);
	add_filters(R, fam, bad);
	add_extras(R, fam, bad);
	if (bad != B_NOSTATIC)
		param(R, "Flags", "STATIC");
}

/* DELETE and LIST selectors. */

/* One Criteria-ID entry: own, another's, unknown, a range or a draft form. */
static void
sel_entry(struct run *R, struct selector *s, unsigned src, int allow_star)
{
	unsigned how = rnd(R, 100), k = s->ne;
	uint64_t id;
	size_t off = strlen(s->cid);
	char *o = s->cid + off;
	size_t cap = sizeof(s->cid) - off;
	const char *comma = k > 0 ? "," : "";

	s->e[k].neg = 0;
	if (allow_star && how < 12) {
		unsigned form = rnd(R, 4);

		id = some_id(R, chance(R, 70) ? (int)src : -1, 0);
		if (id == 0)
			id = 1 + rnd(R, (unsigned)R->m.max_id + 2);
		s->star = 1;
		if (form == 0) {
			snprintf(o, cap, "%s*", comma);
			s->e[k].lo = 0;
			s->e[k].hi = UINT64_MAX;
		} else if (form == 1) {
			snprintf(o, cap, "%s%llu-*", comma,
			    (unsigned long long)id);
			s->e[k].lo = id;
			s->e[k].hi = UINT64_MAX;
		} else if (form == 2) {
			snprintf(o, cap, "%s*-%llu", comma,
			    (unsigned long long)id);
			s->e[k].lo = 0;
			s->e[k].hi = id;
		} else {
			snprintf(o, cap, "%s!%llu", comma,
			    (unsigned long long)id);
			s->e[k].lo = s->e[k].hi = id;
			s->e[k].neg = 1;
		}
		s->ne++;
		return;
	}
	if (how < 55)
		id = some_id(R, (int)src, 0);
	else if (how < 75)
		id = some_id(R, (int)src, 1);
	else
		id = 0;
	if (id == 0)
		id = how < 88 ? R->m.max_id + 1 + rnd(R, 3) :
		    rnd(R, (unsigned)R->m.max_id + 1);
	if (how >= 88 || chance(R, 15)) {
		uint64_t lo = id > 3 ? id - rnd(R, 4) : 0;
		uint64_t hi = id + rnd(R, 6);

		snprintf(o, cap, "%s%llu-%llu", comma, (unsigned long long)lo,
		    (unsigned long long)hi);
		s->e[k].lo = lo;
		s->e[k].hi = hi;
		/* Ids start at 1: "0-N" reads as the draft's "*-N". */
		if (lo == 0)
			s->star = 1;
	} else {
		snprintf(o, cap, "%s%llu", comma, (unsigned long long)id);
		s->e[k].lo = s->e[k].hi = id;
	}
	s->ne++;
}

/* A Cdest-ID: mostly one of the caller's, else any of the pool. */
static void
sel_cdest(struct run *R, struct selector *s, unsigned src)
{
	uint64_t id = some_id(R, (int)src, 0);
	unsigned i;

	s->has_cd = 1;
	if (chance(R, 8)) {
		s->cd_list = 1;
		snprintf(s->cd, sizeof(s->cd), "cd%u,cd%u",
		    1 + rnd(R, CD_POOL), 1 + rnd(R, CD_POOL));
		return;
	}
	for (i = 0; i < R->m.ncrit && id != 0 && chance(R, 75); i++) {
		const struct mcrit *c = &R->m.crit[i];

		if (c->id == id) {
			snprintf(s->cd, sizeof(s->cd), "%s",
			    c->cd[rnd(R, c->ncd)]);
			return;
		}
	}
	snprintf(s->cd, sizeof(s->cd), "cd%u", 1 + rnd(R, CD_POOL));
}

static void
make_selector(struct run *R, struct selector *s, unsigned src, int is_list)
{
	unsigned how = rnd(R, 100), n, i;

	memset(s, 0, sizeof(*s));
	if (how < 55 || (is_list && how < 70)) {
		s->has_cid = 1;
	} else if (how < 88) {
		sel_cdest(R, s, src);
	} else if (how < 94) {
		s->has_cid = 1;
		sel_cdest(R, s, src);
		s->cd_list = 0;
		if (strchr(s->cd, ',') != NULL)
			snprintf(s->cd, sizeof(s->cd), "cd1");
	}
	if (s->has_cid) {
		n = chance(R, 75) ? 1 : 2 + rnd(R, SEL_MAX - 1);
		for (i = 0; i < n; i++)
			sel_entry(R, s, src, 1);
	}
}

/* 1 if criterion id is selected by the Criteria-ID list (SPEC 3 rule). */
static int
cid_match(const struct selector *s, uint64_t id)
{
	unsigned i, npos = 0;
	int pos = 0;

	for (i = 0; i < s->ne; i++) {
		int in = id >= s->e[i].lo && id <= s->e[i].hi;

		if (s->e[i].neg) {
			if (in)
				return 0;
			continue;
		}
		npos++;
		if (in)
			pos = 1;
	}
	return npos == 0 || pos;
}

/*
 * The caller's criteria a selector picks, into p->sel. Returns the code
 * docs/dtcp.md gives the selector: 431 when an entry selects none of the
 * caller's criteria (strict forms only), else 0.
 */
static int
model_select(struct run *R, struct plan *p, const struct selector *s)
{
	unsigned i, j;

	p->nsel = 0;
	for (i = 0; s->has_cid && !s->star && i < s->ne; i++) {
		int found = 0;

		for (j = 0; j < R->m.ncrit && !found; j++) {
			const struct mcrit *c = &R->m.crit[j];

			found = c->src == p->src && c->id >= s->e[i].lo &&
			    c->id <= s->e[i].hi;
		}
		if (!found)
			return 431;
	}
	for (i = 0; i < R->m.ncrit; i++) {
		const struct mcrit *c = &R->m.crit[i];

		if (c->src != p->src)
			continue;
		if (s->has_cid && !cid_match(s, c->id))
			continue;
		if (s->has_cd && !names_cd(c, s->cd))
			continue;
		p->sel[p->nsel++] = c->id;
	}
	return 0;
}

static void
write_selector(struct run *R, const struct selector *s)
{
	if (s->has_cid)
		param(R, "Criteria-ID", "%s", s->cid);
	if (s->has_cd)
		param(R, "Cdest-ID", "%s", s->cd);
}

static void
write_delete(struct run *R, struct plan *p, const char *csource)
{
	struct selector s;
	int rc;

	make_selector(R, &s, p->src, 0);
	if (!s.has_cid && !s.has_cd && chance(R, 50))
		make_selector(R, &s, p->src, 0);
	p->is_delete = 1;
	p->del_static = chance(R, 75);
	request_line(R, "DELETE", p->version);
	param(R, "Csource-ID", "%s", csource);
	write_selector(R, &s);
	if (p->del_static)
		param(R, "Flags", "%s", chance(R, 80) ? "STATIC" : "static");
	if (s.has_cid && s.has_cd) {
		p->code = 400;
		snprintf(p->what, sizeof(p->what), "DELETE by Criteria-ID "
		    "and Cdest-ID");
		return;
	}
	if (!s.has_cid && !s.has_cd) {
		p->code = 400;
		snprintf(p->what, sizeof(p->what), "DELETE without selector");
		return;
	}
	if (s.cd_list) {
		p->code = 400;
		snprintf(p->what, sizeof(p->what), "DELETE Cdest-ID: %s",
		    s.cd);
		return;
	}
	rc = model_select(R, p, &s);
	if (s.has_cid)
		snprintf(p->what, sizeof(p->what), "DELETE Criteria-ID: %s%s",
		    s.cid, p->del_static ? " (STATIC)" : "");
	else
		snprintf(p->what, sizeof(p->what), "DELETE Cdest-ID: %s%s",
		    s.cd, p->del_static ? " (STATIC)" : "");
	if (s.star) {
		p->loose = 1;
		p->code = 0;
	} else if (rc != 0) {
		p->code = rc;
	} else if (s.has_cd && p->nsel == 0) {
		p->code = 430;
	} else {
		p->code = 200;
	}
}

static void
write_list(struct run *R, struct plan *p, const char *csource)
{
	struct selector s;
	int rc, badflags = 0;

	make_selector(R, &s, p->src, 1);
	if (chance(R, 30)) {
		memset(&s, 0, sizeof(s));
		badflags = chance(R, 15);
	}
	p->is_list = 1;
	request_line(R, "LIST", p->version);
	param(R, "Csource-ID", "%s", csource);
	write_selector(R, &s);
	if (badflags)
		param(R, "Flags", "%s", chance(R, 50) ? "CRITERIA" : "STATS");
	else if (chance(R, 30))
		param(R, "Flags", "%s", chance(R, 50) ? "BOTH" : "both");
	snprintf(p->what, sizeof(p->what), "LIST%s%s%s%s%s",
	    s.has_cid ? " Criteria-ID: " : "", s.has_cid ? s.cid : "",
	    s.has_cd ? " Cdest-ID: " : "", s.has_cd ? s.cd : "",
	    badflags ? " Flags: (not BOTH)" : "");
	if (badflags) {
		p->code = 501;
		return;
	}
	if (s.cd_list) {
		p->code = s.has_cid ? 0 : 400;
		p->loose = s.has_cid;
		return;
	}
	rc = model_select(R, p, &s);
	if (s.star) {
		p->loose = 1;
		p->code = 0;
	} else {
		p->code = rc != 0 ? rc : 200;
	}
}

/* Any well-formed body (used under drops, where the body does not count). */
static void
write_any(struct run *R, struct plan *p, const char *csource)
{
	unsigned how = rnd(R, 3);

	if (how == 0)
		write_add(R, p, csource, B_NONE);
	else if (how == 1)
		write_delete(R, p, csource);
	else
		write_list(R, p, csource);
}

/*
 * Framing defects (SPEC 2), inserted after the Seq and Csource-ID lines:
 * the request stays readable enough to authenticate and to answer with
 * its Seq.
 */

static void
insert_defect(struct run *R, enum defect d)
{
	static const char *const bad_utf8[] = {
		"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x82",
		"\xf4\x90\x80\x80", "\x80", "caf\xc3(",
	};
	char line[FT_DTCP_LINE_MAX + 128];
	unsigned after = mb_find(&R->b, "Seq"), i, n, pos;
	int w;

	i = mb_find(&R->b, "Csource-ID");
	if (i > after)
		after = i;
	pos = after + 1 + rnd(R, R->b.n - after);
	switch (d) {
	case D_NOCOLON:
		mb_line(&R->b, "this line has no colon");
		break;
	case D_BARE_LF:
		mb_raw(&R->b, "X-Note: one\ntwo\r\n", 17);
		break;
	case D_BARE_CR:
		mb_raw(&R->b, "X-Note: one\rtwo\r\n", 17);
		break;
	case D_NUL:
		mb_raw(&R->b, "X-Note: one\0two\r\n", 17);
		break;
	case D_UTF8:
		mb_line(&R->b, "X-Note: %s",
		    bad_utf8[rnd(R, sizeof(bad_utf8) / sizeof(bad_utf8[0]))]);
		break;
	case D_LONGLINE:
		n = FT_DTCP_LINE_MAX + 1 + rnd(R, 64);
		w = snprintf(line, sizeof(line), "X-Note: ");
		memset(line + w, 'a', n - (size_t)w);
		memcpy(line + n, "\r\n", 2);
		mb_raw(&R->b, line, n + 2);
		break;
	case D_PARAMS:
		n = FT_DTCP_PARAMS_MAX + 1 + rnd(R, 8);
		for (i = 0; i < n; i++) {
			mb_line(&R->b, "X-P%u: v", i);
			mb_move_last(&R->b, pos);
		}
		return;
	case D_NDEFECTS:
		break;
	}
	mb_move_last(&R->b, pos);
}

/* Padding lines "X-Pad-N: aaa" until the message is exactly target bytes. */
static void
pad_to(struct run *R, size_t target)
{
	/* Authentication-Info line and the final empty line. */
	const size_t tail = 21 + 40 + 2 + 2;
	char line[FT_DTCP_LINE_MAX + 16];
	size_t have = mb_size(&R->b) + tail;
	unsigned k = 0;

	while (have < target && !R->b.full) {
		size_t left = target - have, n;
		int w;

		n = left <= 1000 ? left : (left - 1000 < 16 ? left - 16 :
		    1000);
		w = snprintf(line, sizeof(line), "X-Pad-%02u: ", k++);
		if ((size_t)w + 3 > n)
			fatal("pad_to: cannot pad by so few bytes");
		memset(line + w, 'a', n - 2 - (size_t)w);
		memcpy(line + n - 2, "\r\n", 2);
		mb_raw(&R->b, line, n);
		have += n;
	}
}

/* Planning one request. */

static const char *
other_user(struct run *R, unsigned src)
{
	unsigned i = rnd(R, R->m.nsrc);

	if (R->m.nsrc < 2 || chance(R, 15))
		return "lea9";	/* not configured */
	if (i == src)
		i = (i + 1) % R->m.nsrc;
	return R->m.src[i].name;
}

static void
plan_seq(struct run *R, struct plan *p, unsigned src, uint64_t seq)
{
	char v[24];

	p->seq = seq;
	p->seq_src = src;
	p->seq_readable = 1;
	snprintf(v, sizeof(v), "%llu", (unsigned long long)seq);
	add_seq(R, v);
}

/* A well-formed, authenticated request of the session's own source. */
static void
plan_good(struct run *R, struct plan *p)
{
	const char *me = R->m.src[p->src].name;
	unsigned how = rnd(R, 100);
	enum addbad bad;

	p->authentic = 1;
	if (p->kind == K_ADD) {
		write_add(R, p, me, B_NONE);
		snprintf(p->what, sizeof(p->what), "ADD DTCP/0.%u",
		    p->version % 10);
		p->code = R->m.ncrit < FT_CRITERIA_MAX ? 200 :
		    p->version == FT_DTCP_V06 ? 500 : 550;
	} else if (p->kind == K_ADD_BAD) {
		bad = (enum addbad)(1 + rnd(R, B_NBAD - 1));
		write_add(R, p, me, bad);
		snprintf(p->what, sizeof(p->what), "%s", addbad[bad].what);
		p->code = addbad[bad].code;
	} else if (p->kind == K_DELETE) {
		write_delete(R, p, me);
	} else if (p->kind == K_LIST) {
		write_list(R, p, me);
		plan_seq(R, p, p->src, fresh_seq(R, p->src));
		if (how < 4) {
			/* Exactly the size cap: still a message (SPEC 2). */
			p->padded = FT_DTCP_MSG_MAX - (how < 2 ? 0 : 1);
			pad_to(R, p->padded);
			snprintf(p->what + strlen(p->what),
			    sizeof(p->what) - strlen(p->what),
			    ", padded to %zu bytes", p->padded);
		}
		return;
	}
	plan_seq(R, p, p->src, fresh_seq(R, p->src));
}

/* Version, method, parameter and Seq errors of an authenticated request. */
static void
plan_error(struct run *R, struct plan *p)
{
	static const char *const badseq[] = {
		"abc", "-1", "18446744073709551616", "", "1 2", "0x10",
		"123456789012345678901",
	};
	static const char *const methods[] = { "FROB", "REFRESH", "NOOP",
	    "GET" };
	const char *me = R->m.src[p->src].name;
	unsigned how = rnd(R, 4);

	p->authentic = 1;
	if (how == 0) {
		static const char *const vers[] = { "0.9", "1.0", "0.5",
		    "2.7" };
		const char *v = vers[rnd(R, 4)];

		mb_line(&R->b, "LIST DTCP/%s", v);
		param(R, "Csource-ID", "%s", me);
		snprintf(p->what, sizeof(p->what), "LIST DTCP/%s", v);
		p->code = 505;
		p->version = FT_DTCP_V08;	/* answered in 0.8 */
	} else if (how == 1) {
		const char *mt = methods[rnd(R, 4)];

		request_line(R, mt, p->version);
		param(R, "Csource-ID", "%s", me);
		snprintf(p->what, sizeof(p->what), "method %s", mt);
		p->code = 501;
	} else if (how == 2) {
		request_line(R, "LIST", p->version);
		param(R, "Csource-ID", "%s", me);
		param(R, "Frob-Level", "%u", rnd(R, 9));
		snprintf(p->what, sizeof(p->what), "LIST with Frob-Level");
		p->code = 501;
	} else {
		const char *v = badseq[rnd(R, sizeof(badseq) /
		    sizeof(badseq[0]))];

		request_line(R, "LIST", p->version);
		param(R, "Csource-ID", "%s", me);
		if (chance(R, 80)) {
			add_seq(R, v);
			snprintf(p->what, sizeof(p->what), "Seq '%s'", v);
		} else {
			snprintf(p->what, sizeof(p->what), "no Seq");
		}
		p->code = 400;
		return;		/* Seq not readable */
	}
	plan_seq(R, p, p->src, fresh_seq(R, p->src));
}

/* An authenticated request with one framing defect: 400, with SEQ. */
static void
plan_defect(struct run *R, struct plan *p)
{
	enum defect d = (enum defect)rnd(R, D_NDEFECTS);

	p->authentic = 1;
	write_any(R, p, R->m.src[p->src].name);
	plan_seq(R, p, p->src, fresh_seq(R, p->src));
	insert_defect(R, d);
	snprintf(p->what, sizeof(p->what), "authenticated %s",
	    defect_name[d]);
	p->is_delete = p->is_list = 0;
	p->loose = 0;
	p->code = 400;
}

/*
 * An unauthenticated request. Its Seq is far above the source's so that
 * a counter it wrongly advanced makes the next good request stale.
 */
static void
plan_unauth(struct run *R, struct plan *p, enum macmode *mode)
{
	static const char *const how_name[] = {
		"wrong MAC", "no MAC", "MAC by another key",
		"MAC over a shorter span", "a 39-digit MAC",
		"Csource-ID of another user", "no Csource-ID",
		"first Csource-ID of another user",
	};
	const struct msource *me = &R->m.src[p->src];
	const char *cs = me->name;
	unsigned how = rnd(R, 8);
	int defect = chance(R, 30), seqsrc;
	uint64_t seq;

	p->expect_drop = 1;
	p->drop_code[0] = p->drop_code[1] = 499;
	*mode = MAC_OK;
	if (!me->can_tap) {
		/* A user without flow-tap-operation: everything is 499. */
		write_any(R, p, cs);
		snprintf(p->what, sizeof(p->what), "request by '%s' (no "
		    "flow-tap-operation)", cs);
		how = 99;
	} else if (how <= 4) {
		static const enum macmode mm[] = { MAC_FLIP, MAC_NONE,
		    MAC_OTHERKEY, MAC_SPAN, MAC_SHORT };

		*mode = mm[how];
		write_any(R, p, cs);
		p->drop_code[0] = p->drop_code[1] = 497;
	} else if (how == 5) {
		cs = other_user(R, p->src);
		write_any(R, p, cs);
	} else if (how == 6) {
		write_any(R, p, cs);
		mb_remove(&R->b, mb_find(&R->b, "Csource-ID"));
	} else {
		cs = other_user(R, p->src);
		write_any(R, p, cs);
		/* The first occurrence counts (SPEC 2); ours comes second. */
		param(R, "Csource-ID", "%s", me->name);
	}
	seqsrc = src_by_name(&R->m, cs);
	if (seqsrc < 0)
		seqsrc = (int)p->src;
	seq = fresh_seq(R, (unsigned)seqsrc) + 1000 + rnd(R, 1000);
	plan_seq(R, p, (unsigned)seqsrc, seq);
	if (defect) {
		enum defect d = (enum defect)rnd(R, D_NDEFECTS);

		insert_defect(R, d);
		snprintf(p->what, sizeof(p->what), "%s and %s",
		    how <= 7 ? how_name[how] : "no flow-tap-operation",
		    defect_name[d]);
		p->drop_code[0] = 497;
		p->drop_code[1] = 499;
	} else if (how <= 7) {
		snprintf(p->what, sizeof(p->what), "%s", how_name[how]);
	}
	p->is_delete = p->is_list = 0;
}

/* A well-formed request with a Seq not above the last accepted one. */
static int
plan_stale(struct run *R, struct plan *p)
{
	const struct msource *me = &R->m.src[p->src];
	uint64_t seq;

	if (!me->seq_known)
		return -1;
	seq = chance(R, 50) ? me->last_ok : me->last_ok -
	    rng_next(&R->rng) % (me->last_ok + 1);
	p->authentic = 1;
	write_any(R, p, me->name);
	plan_seq(R, p, p->src, seq);
	snprintf(p->what, sizeof(p->what), "stale Seq %llu (last %llu)",
	    (unsigned long long)seq, (unsigned long long)me->last_ok);
	p->expect_drop = 1;
	p->drop_code[0] = p->drop_code[1] = 498;
	p->is_delete = p->is_list = 0;
	return 0;
}

/* An authenticated LIST over the 8 KiB cap: dropped, logged 400. */
static void
plan_oversize(struct run *R, struct plan *p)
{
	uint64_t seq;

	p->padded = FT_DTCP_MSG_MAX + 1 + rnd(R, 1500);
	write_list(R, p, R->m.src[p->src].name);
	seq = fresh_seq(R, p->src) + 1000 + rnd(R, 1000);
	plan_seq(R, p, p->src, seq);
	pad_to(R, p->padded);
	snprintf(p->what, sizeof(p->what), "LIST of %zu bytes", p->padded);
	p->expect_drop = 1;
	p->drop_code[0] = p->drop_code[1] = 400;
	p->is_delete = p->is_list = 0;
}

/* A good request on a handle no open session has: dropped 499. */
static void
plan_closed(struct run *R, struct plan *p)
{
	static const int odd[] = { -1, FT_SESSIONS_MAX, 1000000 };
	unsigned i;
	int sid, busy;

	do {
		sid = chance(R, 20) ? odd[rnd(R, 3)] : (int)rnd(R, 12);
		busy = 0;
		for (i = 0; i < SLOTS; i++)
			if (R->m.slot[i].open && R->m.slot[i].sid == sid)
				busy = 1;
	} while (busy);
	p->sid = sid;
	write_any(R, p, R->m.src[p->src].name);
	plan_seq(R, p, p->src, fresh_seq(R, p->src) + 1000 +
	    rnd(R, 1000));
	snprintf(p->what, sizeof(p->what), "request on closed handle %d",
	    sid);
	p->expect_drop = 1;
	p->drop_code[0] = p->drop_code[1] = 499;
	p->is_delete = p->is_list = 0;
}

static enum kind
pick_kind(struct run *R)
{
	static const struct {
		enum kind k;
		unsigned w;
	} wt[] = {
		{ K_ADD, 30 }, { K_ADD_BAD, 5 }, { K_DELETE, 14 },
		{ K_LIST, 12 }, { K_ERROR, 4 }, { K_DEFECT, 8 },
		{ K_UNAUTH, 16 }, { K_STALE, 5 }, { K_OVERSIZE, 3 },
		{ K_CLOSED, 3 },
	};
	unsigned r = rnd(R, 100), i;

	for (i = 0; i < sizeof(wt) / sizeof(wt[0]); i++) {
		if (r < wt[i].w)
			return wt[i].k;
		r -= wt[i].w;
	}
	return K_LIST;
}

/* Build the request of this step into R->b and the expectations into p. */
static void
plan_request(struct run *R, struct plan *p, unsigned slot)
{
	enum macmode mode = MAC_OK;

	memset(p, 0, sizeof(*p));
	mb_reset(&R->b);
	p->slot = slot;
	p->sid = R->m.slot[slot].sid;
	p->src = R->m.slot[slot].src;
	p->version = pick_version(R);
	p->kind = pick_kind(R);
	if (!R->m.src[p->src].can_tap && p->kind != K_CLOSED &&
	    p->kind != K_OVERSIZE)
		p->kind = K_UNAUTH;
	if (p->kind == K_STALE && plan_stale(R, p) != 0)
		p->kind = K_LIST;
	switch (p->kind) {
	case K_ADD:
	case K_ADD_BAD:
	case K_DELETE:
	case K_LIST:
		plan_good(R, p);
		break;
	case K_ERROR:
		plan_error(R, p);
		break;
	case K_DEFECT:
		plan_defect(R, p);
		break;
	case K_UNAUTH:
		plan_unauth(R, p, &mode);
		break;
	case K_OVERSIZE:
		plan_oversize(R, p);
		break;
	case K_CLOSED:
		plan_closed(R, p);
		break;
	case K_STALE:
	case K_NKINDS:
		break;
	}
	if (p->expect_drop) {
		p->code = 0;
		p->loose = 0;
	}
	/* (Not on a message padded to the size cap: that counts the lines.) */
	if ((p->kind == K_ADD || p->kind == K_DELETE || p->kind == K_LIST ||
	    p->kind == K_ERROR) && mb_size(&R->b) < 4096 && chance(R, 4)) {
		p->trailer = 1;
		snprintf(p->what + strlen(p->what), sizeof(p->what) -
		    strlen(p->what), ", lines after Authentication-Info");
	}
	mb_finish(&R->b, mode, p->trailer);
	if (R->b.full)
		fatal("a generated request did not fit its buffer");
	if (p->padded != 0 && R->b.outlen != p->padded)
		fatal("a padded request is not of the planned size");
}

/* Reading a reply. */

struct rline {
	const char *s;		/* the line without CRLF */
	size_t len;
	const char *name, *value;	/* "NAME: value" split, or NULL */
	size_t nlen, vlen;
};

/* The next CRLF-ended line at *pos. Returns 0 at the end or on a defect. */
static int
next_line(const char *buf, size_t len, size_t *pos, struct rline *l)
{
	size_t i = *pos, c;

	if (i >= len)
		return 0;
	l->s = buf + i;
	while (i < len && buf[i] != '\r' && buf[i] != '\n')
		i++;
	if (i + 1 >= len || buf[i] != '\r' || buf[i + 1] != '\n')
		return 0;
	l->len = (size_t)(buf + i - l->s);
	*pos = i + 2;
	l->name = l->value = NULL;
	l->nlen = l->vlen = 0;
	for (c = 0; c < l->len && l->s[c] != ':'; c++)
		;
	if (c < l->len && c + 1 < l->len && l->s[c + 1] == ' ') {
		l->name = l->s;
		l->nlen = c;
		l->value = l->s + c + 2;
		l->vlen = l->len - c - 2;
	}
	return 1;
}

static int
is_name(const struct rline *l, const char *name)
{
	return l->name != NULL && l->nlen == strlen(name) &&
	    memcmp(l->name, name, l->nlen) == 0;
}

static int
value_u64(const struct rline *l, uint64_t *v)
{
	return l->value != NULL && ft_num_u64(l->value, l->vlen, 20, 0,
	    UINT64_MAX, v) == 0;
}

static int
value_is(const struct rline *l, const char *s)
{
	return l->value != NULL && l->vlen == strlen(s) &&
	    memcmp(l->value, s, l->vlen) == 0;
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t k, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4;
	else
		return 0;
	if (n < k)
		return 0;
	cp = s[0] & (0x7f >> k);
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return k;
}

/* SPEC 2 framing of a reply: no control bytes, lines <= cap, UTF-8. */
static const char *
reply_framing(const char *buf, size_t len)
{
	size_t i = 0, linelen = 0, k;

	while (i < len) {
		unsigned char c = (unsigned char)buf[i];

		if (c == '\r') {
			if (i + 1 >= len || buf[i + 1] != '\n')
				return "a bare CR";
			i += 2;
			linelen = 0;
			continue;
		}
		if (c == '\n')
			return "a bare LF";
		if (c < 0x20 || c == 0x7f)
			return "a control byte";
		k = utf8_len((const unsigned char *)buf + i, len - i);
		if (k == 0)
			return "invalid UTF-8";
		i += k;
		linelen += k;
		if (linelen > FT_DTCP_LINE_MAX)
			return "a line over 1024 bytes";
	}
	return NULL;
}

static const char *
spec_reason(int code)
{
	size_t i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].code == code)
			return reasons[i].reason;
	return NULL;
}

/* The engine clock as TIMESTAMP (SPEC 2: UTC, ms truncated). */
static void
timestamp(uint64_t ns, char out[80])
{
	time_t sec = (time_t)(ns / 1000000000ULL);
	struct tm tm;

	if (gmtime_r(&sec, &tm) == NULL)
		fatal("gmtime_r failed");
	snprintf(out, 80, "%04d-%02d-%02d %02d:%02d:%02d.%03u",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec,
	    (unsigned)(ns % 1000000000ULL / 1000000ULL));
}

/* 1 if the decimal number v appears as a whole number in s[0..n). */
static int
text_has_number(const char *s, size_t n, uint64_t v)
{
	size_t i = 0;

	while (i < n) {
		uint64_t x = 0;
		size_t j = i;
		int over = 0;

		if (s[i] < '0' || s[i] > '9') {
			i++;
			continue;
		}
		while (j < n && s[j] >= '0' && s[j] <= '9') {
			if (x > (UINT64_MAX - 9) / 10)
				over = 1;
			x = x * 10 + (uint64_t)(s[j] - '0');
			j++;
		}
		if (!over && x == v)
			return 1;
		i = j;
	}
	return 0;
}

/* 1 if word appears in s[0..n) delimited by non-alphanumerics. */
static int
text_has_word(const char *s, size_t n, const char *word)
{
	size_t wl = strlen(word), i;

	for (i = 0; wl > 0 && i + wl <= n; i++) {
		int before = i > 0 ? (unsigned char)s[i - 1] : ' ';
		int after = i + wl < n ? (unsigned char)s[i + wl] : ' ';

		if (memcmp(s + i, word, wl) != 0)
			continue;
		if ((before >= '0' && before <= '9') ||
		    (before >= 'a' && before <= 'z') ||
		    (before >= 'A' && before <= 'Z'))
			continue;
		if ((after >= '0' && after <= '9') ||
		    (after >= 'a' && after <= 'z') ||
		    (after >= 'A' && after <= 'Z'))
			continue;
		return 1;
	}
	return 0;
}

/* Checks of one answered request. */

/*
 * Invariant 2: framing, status line, version, reason, TIMESTAMP, and the
 * MAC over everything before AUTHENTICATION-INFO. Returns 0 when the
 * reply can be read further.
 */
static int
check_format(struct run *R, const struct plan *p, int code)
{
	const char *buf = R->reply->buf;
	size_t len = R->reply->len, pos = 0, macpos = 0, before = 0;
	struct rline l, last;
	char want[64], ts[80], mac[41];
	const char *why, *reason = spec_reason(code);
	int nts = 0, nmac = 0, n = 0;

	if (len < 4 || memcmp(buf + len - 4, "\r\n\r\n", 4) != 0) {
		violation(R, p, code, 2, "reply does not end with CRLF CRLF");
		return -1;
	}
	why = reply_framing(buf, len);
	if (why != NULL) {
		violation(R, p, code, 2, "reply has %s", why);
		return -1;
	}
	memset(&last, 0, sizeof(last));
	while (next_line(buf, len, &pos, &l) && l.len > 0) {
		if (n == 0) {
			snprintf(want, sizeof(want), "DTCP/0.%u %d %s",
			    p->version % 10, code, reason != NULL ? reason :
			    "?");
			if (reason == NULL || p->version < FT_DTCP_V06 ||
			    l.len != strlen(want) ||
			    memcmp(l.s, want, l.len) != 0) {
				violation(R, p, code, 2, "status line is not "
				    "'%s'", want);
				return -1;
			}
		}
		if (is_name(&l, "TIMESTAMP")) {
			timestamp(R->m.now, ts);
			if (!value_is(&l, ts)) {
				violation(R, p, code, 2, "TIMESTAMP is not the "
				    "engine clock %s", ts);
				return -1;
			}
			nts++;
		}
		if (is_name(&l, "AUTHENTICATION-INFO")) {
			nmac++;
			macpos = (size_t)(l.s - buf);
		}
		last = l;
		before = pos;
		n++;
	}
	if (pos != len || before + 2 != len) {
		violation(R, p, code, 2, "reply has an empty line before its "
		    "end");
		return -1;
	}
	if (nts != 1 || nmac != 1 || !is_name(&last, "AUTHENTICATION-INFO")) {
		violation(R, p, code, 2, "reply needs one TIMESTAMP and "
		    "AUTHENTICATION-INFO last (%d, %d)", nts, nmac);
		return -1;
	}
	mac_hex(KEY, buf, macpos, mac);
	if (!value_is(&last, mac)) {
		violation(R, p, code, 2, "AUTHENTICATION-INFO does not verify "
		    "(want %s)", mac);
		return -1;
	}
	return 0;
}

/* Invariant 5: "SEQ: <seq>" is the second line of an error. */
static void
check_seq_line(struct run *R, const struct plan *p, int code)
{
	size_t pos = 0;
	struct rline l;
	uint64_t v;

	(void)next_line(R->reply->buf, R->reply->len, &pos, &l);
	if (!next_line(R->reply->buf, R->reply->len, &pos, &l) ||
	    !is_name(&l, "SEQ") || !value_u64(&l, &v) || v != p->seq)
		violation(R, p, code, 5, "the second line of the %d reply is "
		    "not 'SEQ: %llu'", code, (unsigned long long)p->seq);
}

/*
 * The first number in s[0..n) that is another source's Criteria-ID and
 * that the request did not name itself: its owner, or -1 (*id set).
 */
static int
foreign_id(const struct run *R, const struct plan *p, const char *s,
    size_t n, uint64_t *id)
{
	size_t k = 0, j;
	int owner;

	while (k < n) {
		uint64_t x = 0;

		if (s[k] < '0' || s[k] > '9') {
			k++;
			continue;
		}
		for (j = k; j < n && s[j] >= '0' && s[j] <= '9' &&
		    x < UINT64_MAX / 10; j++)
			x = x * 10 + (uint64_t)(s[j] - '0');
		owner = crit_owner(&R->m, x);
		if (owner >= 0 && owner != (int)p->src &&
		    !text_has_number(R->b.out, R->b.outlen, x)) {
			*id = x;
			return owner;
		}
		k = j;
	}
	return -1;
}

/* One reply line against invariant 3. Returns 0 when it is fine. */
static int
check_line_isolation(struct run *R, const struct plan *p, int code,
    const struct rline *l)
{
	const char *me = R->m.src[p->src].name;
	uint64_t v;
	int owner, fresh;

	if (is_name(l, "CRITERIA-ID")) {
		if (!value_u64(l, &v)) {
			violation(R, p, code, 3, "CRITERIA-ID is not a number");
			return -1;
		}
		owner = crit_owner(&R->m, v);
		/* An ADD's id is new: above every id given so far. */
		fresh = p->kind == K_ADD && code == 200;
		if (fresh ? v <= R->m.max_id : owner != (int)p->src) {
			violation(R, p, code, 3, "CRITERIA-ID %llu is %s",
			    (unsigned long long)v, owner >= 0 ?
			    R->m.src[owner].name : "not the caller's");
			return -1;
		}
	}
	if (is_name(l, "CSOURCE-ID") && !value_is(l, me)) {
		violation(R, p, code, 3, "CSOURCE-ID is not '%s'", me);
		return -1;
	}
	/* Only a Criteria-ID item can name a criterion. */
	if (is_name(l, "ERROR-PARAMETERS") && l->vlen > 12 &&
	    strncasecmp(l->value, "Criteria-ID:", 12) == 0) {
		owner = foreign_id(R, p, l->value, l->vlen, &v);
		if (owner >= 0) {
			violation(R, p, code, 3, "ERROR-PARAMETERS names %s's "
			    "criterion %llu", R->m.src[owner].name,
			    (unsigned long long)v);
			return -1;
		}
	}
	return 0;
}

/*
 * Invariant 3: CRITERIA-ID lines name the caller's criteria (or, for an
 * ADD, a new id), CSOURCE-ID lines the caller, ERROR-PARAMETERS only
 * another's id the request itself named; no other source's name appears
 * unless the request carried it.
 */
static void
check_isolation(struct run *R, const struct plan *p, int code)
{
	size_t pos = 0;
	struct rline l;
	unsigned i;

	while (next_line(R->reply->buf, R->reply->len, &pos, &l) &&
	    l.len > 0)
		if (check_line_isolation(R, p, code, &l) != 0)
			return;
	for (i = 0; i < R->m.nsrc; i++) {
		const char *o = R->m.src[i].name;

		if (i == p->src || strlen(o) < 3)
			continue;
		if (text_has_word(R->reply->buf, R->reply->len, o) &&
		    !text_has_word(R->b.out, R->b.outlen, o)) {
			violation(R, p, code, 3, "reply names control source "
			    "'%s'", o);
			return;
		}
	}
}

/* Cdest-IDs of model criterion id as LIST writes them ("cd1,cd2"). */
static void
model_cdests(const struct model *m, uint64_t id, char *out, size_t cap)
{
	unsigned i;

	out[0] = '\0';
	for (i = 0; i < m->ncrit; i++)
		if (m->crit[i].id == id)
			snprintf(out, cap, "%s%s%s", m->crit[i].cd[0],
			    m->crit[i].ncd > 1 ? "," : "",
			    m->crit[i].ncd > 1 ? m->crit[i].cd[1] : "");
}

/*
 * A LIST reply line: entry n (0-based) must be the model's n-th selected
 * criterion with its Cdest-IDs. *n counts CRITERIA-ID lines.
 */
static int
check_list_line(struct run *R, const struct plan *p, int code,
    const struct rline *l, unsigned *n)
{
	char cds[2 * (FT_NAME_MAX + 1)];
	uint64_t v;

	if (is_name(l, "CRITERIA-ID") && value_u64(l, &v)) {
		if (*n >= p->nsel || p->sel[*n] != v) {
			violation(R, p, code, 6, "LIST entry %u is criterion "
			    "%llu, not the model's %llu", *n + 1,
			    (unsigned long long)v, (unsigned long long)
			    (*n < p->nsel ? p->sel[*n] : 0));
			return -1;
		}
		(*n)++;
	}
	if (is_name(l, "CDEST-ID") && *n > 0) {
		model_cdests(&R->m, p->sel[*n - 1], cds, sizeof(cds));
		if (!value_is(l, cds)) {
			violation(R, p, code, 6, "LIST entry %u: CDEST-ID is "
			    "not '%s'", *n, cds);
			return -1;
		}
	}
	return 0;
}

/* Invariant 6 for 200 replies: the ids and counts the model predicts. */
static void
check_content(struct run *R, const struct plan *p, int code,
    uint64_t *new_id)
{
	size_t pos = 0;
	struct rline l;
	uint64_t v, count = UINT64_MAX;
	/* Every criterion is STATIC (profile flowtap requires it). */
	unsigned n = 0, deleted = p->del_static ? p->nsel : 0;

	*new_id = 0;
	while (next_line(R->reply->buf, R->reply->len, &pos, &l) &&
	    l.len > 0) {
		if (is_name(&l, "CRITERIA-COUNT") && value_u64(&l, &v))
			count = v;
		if (p->kind == K_ADD && is_name(&l, "CRITERIA-ID") &&
		    value_u64(&l, &v))
			*new_id = v;
		if (p->is_list && check_list_line(R, p, code, &l, &n) != 0)
			return;
	}
	if (p->kind == K_ADD && *new_id == 0)
		violation(R, p, code, 6, "ADD reply without CRITERIA-ID");
	if (p->is_list && (n != p->nsel || count != p->nsel))
		violation(R, p, code, 6, "LIST has %u entries (CRITERIA-COUNT "
		    "%llu), the model %u", n, (unsigned long long)count,
		    p->nsel);
	if (p->is_delete && count != deleted)
		violation(R, p, code, 6, "DELETE CRITERIA-COUNT %llu, the "
		    "model %u", (unsigned long long)count, deleted);
}

/* Invariant 1's log side: one DROP with the SPEC's code, no REPLY. */
static void
check_log(struct run *R, const struct plan *p, int code)
{
	const struct evlog *e = &R->ev;

	if (code != 0) {
		if (e->nreply != 1 || e->ndrop != 0 ||
		    e->reply_len != R->reply->len)
			violation(R, p, code, 6, "answered request logged %u "
			    "replies and %u drops", e->nreply, e->ndrop);
		return;
	}
	if (e->nreply != 0 || e->ndrop != 1)
		violation(R, p, code, 1, "dropped request logged %u replies "
		    "and %u drops", e->nreply, e->ndrop);
	else if (p->expect_drop && e->drop_code != p->drop_code[0] &&
	    e->drop_code != p->drop_code[1])
		violation(R, p, code, 1, "drop logged with code %d, SPEC 2 "
		    "says %d", e->drop_code, p->drop_code[0]);
}

/* Every check of one request; returns the new Criteria-ID of an ADD. */
static uint64_t
check_request(struct run *R, const struct plan *p, int code)
{
	uint64_t new_id = 0;

	check_log(R, p, code);
	if (p->expect_drop) {
		if (code != 0)
			violation(R, p, code, 1, "%s answered %d (must be "
			    "dropped unanswered)", p->what, code);
		return 0;
	}
	if (code == 0) {
		violation(R, p, code, 6, "%s dropped; the model expects %d",
		    p->what, p->code);
		return 0;
	}
	if (check_format(R, p, code) != 0)
		return 0;
	if (p->loose ? code != 200 && code != 400 && code != 431 :
	    code != p->code) {
		violation(R, p, code, p->kind == K_DEFECT ? 5 : 6,
		    "%s answered %d; the model expects %d", p->what, code,
		    p->code);
		if (code != 200)
			return 0;
	}
	if (code != 200 && p->seq_readable)
		check_seq_line(R, p, code);
	check_isolation(R, p, code);
	if (code == 200 && p->kind != K_DEFECT)
		check_content(R, p, code, &new_id);
	return new_id;
}

/* Applying an outcome to the model. */

static void
model_restart(struct model *m)
{
	unsigned i;

	m->ncrit = 0;
	for (i = 0; i < m->nsrc; i++) {
		m->src[i].seq_known = 0;
		m->src[i].last_ok = 0;
		m->src[i].sent = 0;
		m->src[i].auth_max = 0;
	}
	for (i = 0; i < SLOTS; i++)
		m->slot[i].open = 0;
}

static void
model_remove(struct model *m, uint64_t id)
{
	unsigned i;

	for (i = 0; i < m->ncrit; i++) {
		if (m->crit[i].id != id)
			continue;
		memmove(&m->crit[i], &m->crit[i + 1],
		    (m->ncrit - i - 1) * sizeof(m->crit[0]));
		m->ncrit--;
		return;
	}
}

/*
 * Seq bookkeeping from what happened (SPEC 2, docs/dtcp.md): an answered
 * authenticated request with a readable Seq is the source's last one.
 */
static void
model_seq(struct run *R, const struct plan *p, int code)
{
	struct msource *s = &R->m.src[p->seq_src];

	if (!p->seq_readable)
		return;
	if (p->authentic || code != 0) {
		/* A wrongly answered drop may have moved the counter too. */
		if (!s->sent || p->seq > s->auth_max)
			s->auth_max = p->seq;
		s->sent = 1;
	}
	if (code != 0 && p->authentic && p->kind != K_DEFECT) {
		s->last_ok = p->seq;
		s->seq_known = 1;
	}
}

static void
model_apply(struct run *R, const struct plan *p, int code, uint64_t new_id)
{
	struct model *m = &R->m;
	unsigned i;

	model_seq(R, p, code);
	if (code != 200 || p->expect_drop)
		return;
	if (p->kind == K_ADD && new_id != 0 && m->ncrit < FT_CRITERIA_MAX) {
		m->crit[m->ncrit] = p->add;
		m->crit[m->ncrit].id = new_id;
		m->crit[m->ncrit].src = p->src;
		m->ncrit++;
		if (new_id > m->max_id)
			m->max_id = new_id;
	}
	if (p->is_delete && p->del_static)
		for (i = 0; i < p->nsel; i++)
			model_remove(m, p->sel[i]);
}

/* Invariant 4: count <= 100 and the same (id, owner) pairs, in order. */
static void
check_table(struct run *R, const struct plan *p, int code)
{
	struct ft_classify *c = ft_tasking_table(R->t);
	unsigned n = ft_classify_count(c), i;
	struct model *m = &R->m;
	int bad = 0;

	if (n > FT_CRITERIA_MAX) {
		violation(R, p, code, 4, "the table holds %u criteria", n);
		bad = 1;
	}
	for (i = 0; !bad && i < n && i < m->ncrit; i++) {
		const struct ft_rule *r = ft_classify_at(c, i);

		if (r->id != m->crit[i].id ||
		    strcmp(r->csource, m->src[m->crit[i].src].name) != 0) {
			violation(R, p, code, 4, "table entry %u is (%llu, "
			    "%s), the model's (%llu, %s)", i,
			    (unsigned long long)r->id, r->csource,
			    (unsigned long long)m->crit[i].id,
			    m->src[m->crit[i].src].name);
			bad = 1;
		}
	}
	if (!bad && n != m->ncrit) {
		violation(R, p, code, 4, "the table holds %u criteria, the "
		    "model %u", n, m->ncrit);
		bad = 1;
	}
	if (n > R->st.peak)
		R->st.peak = n;
	if (!bad)
		return;
	/* --keep-going: take the engine's table so errors do not cascade. */
	m->ncrit = 0;
	for (i = 0; i < n && i < FT_CRITERIA_MAX; i++) {
		const struct ft_rule *r = ft_classify_at(c, i);
		struct mcrit *mc = &m->crit[m->ncrit];
		int s = src_by_name(m, r->csource);
		unsigned k;

		if (s < 0)
			continue;
		mc->id = r->id;
		mc->src = (unsigned)s;
		mc->ncd = r->ncdest < FT_CDEST_MAX ? r->ncdest : FT_CDEST_MAX;
		for (k = 0; k < mc->ncd; k++)
			snprintf(mc->cd[k], sizeof(mc->cd[k]), "%s",
			    r->cdest[k].id);
		if (r->id > m->max_id)
			m->max_id = r->id;
		m->ncrit++;
	}
}

/* Sessions. */

static unsigned
opens_in_window(const struct model *m)
{
	unsigned i, n = 0;

	for (i = 0; i < m->nopens; i++)
		if (m->opens[i] <= m->now && m->now - m->opens[i] < WINDOW_NS)
			n++;
	return n;
}

static unsigned
open_slots(const struct model *m)
{
	unsigned i, n = 0;

	for (i = 0; i < SLOTS; i++)
		n += m->slot[i].open != 0;
	return n;
}

/*
 * Open slot si as a random user: the right password, none (an implicit
 * session) or a wrong one; SPEC 4 limits decide the rest.
 */
static void
session_open(struct run *R, unsigned si)
{
	struct model *m = &R->m;
	struct mslot *s = &m->slot[si];
	unsigned src = rnd(R, m->nsrc), how = rnd(R, 100), i;
	const char *pw = NULL;
	int expect, sid;

	if (!m->src[src].can_tap && chance(R, 50))
		src = rnd(R, m->nsrc);	/* operators connect less often */
	if (how < 10)
		pw = "wrong-password";
	else if (how < 80 && m->src[src].password != NULL)
		pw = m->src[src].password;
	expect = how >= 10 && open_slots(m) < m->climit &&
	    opens_in_window(m) < m->rlimit;
	sid = ft_tasking_open(R->t, s->name, m->src[src].name, pw,
	    chance(R, 50) ? "192.0.2.10" : NULL, m->now);
	if ((sid >= 0) != expect) {
		violation(R, NULL, 0, 6, "session %s for '%s' (%s password) "
		    "%s; the model expects it %s (%u open, limit %u, %u "
		    "opens in 60 s, limit %u)", s->name, m->src[src].name,
		    pw == NULL ? "no" : how < 10 ? "a wrong" : "the right",
		    sid >= 0 ? "opened" : "refused", expect ? "opened" :
		    "refused", open_slots(m), m->climit, opens_in_window(m),
		    m->rlimit);
	}
	if (sid < 0) {
		R->st.refused++;
		return;
	}
	for (i = 0; i < SLOTS; i++)
		if (m->slot[i].open && m->slot[i].sid == sid)
			violation(R, NULL, 0, 6, "handle %d given to %s "
			    "is %s's", sid, s->name, m->slot[i].name);
	R->st.opened++;
	s->open = 1;
	s->sid = sid;
	s->src = src;
	m->opens[m->opens_head] = m->now;
	m->opens_head = (m->opens_head + 1) % FT_CFG_SSH_LIMIT_MAX;
	if (m->nopens < FT_CFG_SSH_LIMIT_MAX)
		m->nopens++;
}

/* A name already open, or an unknown user: refused, nothing counted. */
static void
session_open_bad(struct run *R)
{
	struct model *m = &R->m;
	unsigned i = rnd(R, SLOTS);
	int sid;

	if (m->slot[i].open)
		sid = ft_tasking_open(R->t, m->slot[i].name,
		    m->src[m->slot[i].src].name, NULL, NULL, m->now);
	else
		sid = ft_tasking_open(R->t, m->slot[i].name, "ghost", NULL,
		    NULL, m->now);
	if (sid >= 0) {
		violation(R, NULL, 0, 6, "session %s opened %s",
		    m->slot[i].name, m->slot[i].open ? "twice" :
		    "for unknown user 'ghost'");
		(void)ft_tasking_close(R->t, sid, m->now);
	}
	R->st.refused++;
}

static void
session_close(struct run *R, unsigned si)
{
	struct mslot *s = &R->m.slot[si];

	if (ft_tasking_close(R->t, s->sid, R->m.now) != 0)
		violation(R, NULL, 0, 6, "closing open session %s (handle %d) "
		    "failed", s->name, s->sid);
	s->open = 0;
	R->st.closed++;
	/* Closing again: no open session has that handle now. */
	if (chance(R, 10) && ft_tasking_close(R->t, s->sid, R->m.now) !=
	    FT_ENOENT)
		violation(R, NULL, 0, 6, "closing handle %d twice did not "
		    "fail", s->sid);
}

static void
restart(struct run *R)
{
	ft_tasking_restart(R->t, "ftstate", R->m.now);
	model_restart(&R->m);
	R->st.restarts++;
	check_table(R, NULL, 0);
}

/*
 * Session events of this step: returns the slot to send on, or -1 when
 * this step had no request.
 */
static int
session_step(struct run *R)
{
	struct model *m = &R->m;
	unsigned r = rnd(R, 1000), i, n = open_slots(m), k;

	if (r < 2) {
		restart(R);
		return -1;
	}
	if (r < 4) {
		session_open_bad(R);
		return -1;
	}
	if (n == 0 || (n < SLOTS && r < 20)) {
		if (n == 0 && opens_in_window(m) >= m->rlimit)
			m->now += WINDOW_NS;	/* wait for the window */
		k = rnd(R, SLOTS - n);
		for (i = 0; i < SLOTS; i++)
			if (!m->slot[i].open && k-- == 0)
				break;
		session_open(R, i);
		return -1;
	}
	k = rnd(R, n);
	for (i = 0; i < SLOTS; i++)
		if (m->slot[i].open && k-- == 0)
			break;
	if (r < 32) {
		session_close(R, i);
		return -1;
	}
	return (int)i;
}

/* The engine's log: count replies and drops of the current request. */
static void
on_event(void *ctx, const struct ft_event *ev)
{
	struct evlog *e = ctx;

	if (ev->kind == FT_EV_REPLY) {
		e->nreply++;
		e->reply_len = ev->text_len;
	} else if (ev->kind == FT_EV_DROP) {
		e->ndrop++;
		e->drop_code = ev->code;
	}
}

static void
count_code(struct stats *st, int code)
{
	unsigned i;

	for (i = 0; i < st->ncodes && st->code[i] != code; i++)
		;
	if (i == st->ncodes) {
		if (st->ncodes == CODES_MAX)
			return;
		while (i > 0 && st->code[i - 1] > code) {
			st->code[i] = st->code[i - 1];
			st->count[i] = st->count[i - 1];
			i--;
		}
		st->code[i] = code;
		st->count[i] = 0;
		st->ncodes++;
	}
	st->count[i]++;
}

/* One step: maybe a session event, else one request and its checks. */
static void
step(struct run *R)
{
	/* A plan holds a selection of up to 100 ids: kept off the stack. */
	static struct plan plan;
	struct plan *p = &plan;
	uint64_t new_id;
	int slot, code;

	R->m.now += rnd(R, 40) * 1000000ULL + rnd(R, 1000000);
	slot = session_step(R);
	if (slot < 0)
		return;
	plan_request(R, p, (unsigned)slot);
	memset(&R->ev, 0, sizeof(R->ev));
	R->reply->len = 0;
	code = ft_tasking_request(R->t, p->sid, R->b.out, R->b.outlen,
	    R->m.now, R->reply);
	R->st.requests++;
	R->st.kind[p->kind]++;
	if (code == 0)
		R->st.drops++;
	else
		count_code(&R->st, code);
	if (R->o.verbose)
		printf("%llu %s %s: %s -> %d\n", (unsigned long long)R->iter,
		    R->m.slot[slot].name, R->m.src[p->src].name, p->what,
		    code);
	new_id = check_request(R, p, code);
	model_apply(R, p, code, new_id);
	check_table(R, p, code);
}

/* Setup. */

static int
usage(void)
{
	fprintf(stderr, "usage: ftstate [--seed N] [--iterations N | "
	    "--seconds S] [--config FILE]\n"
	    "               [--keep-going] [--verbose]\n");
	return 2;
}

static int
parse_u64(const char *opt, const char *s, uint64_t min, uint64_t *out)
{
	if (s == NULL || ft_num_u64(s, strlen(s), 20, min, UINT64_MAX,
	    out) != 0) {
		fprintf(stderr, "ftstate: option '%s' needs a number >= "
		    "%llu\n", opt, (unsigned long long)min);
		return -1;
	}
	return 0;
}

static int
parse_opts(struct opts *o, int argc, char **argv)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->iterations = 20000;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] :
		    NULL;

		if (strcmp(a, "--seed") == 0) {
			if (parse_u64(a, v, 0, &o->seed) != 0)
				return -1;
			i++;
		} else if (strcmp(a, "--iterations") == 0) {
			if (parse_u64(a, v, 1, &o->iterations) != 0)
				return -1;
			i++;
		} else if (strcmp(a, "--seconds") == 0) {
			if (parse_u64(a, v, 1, &o->seconds) != 0)
				return -1;
			i++;
		} else if (strcmp(a, "--config") == 0 && v != NULL) {
			o->config = v;
			i++;
		} else if (strcmp(a, "--keep-going") == 0) {
			o->keep_going = 1;
		} else if (strcmp(a, "--verbose") == 0) {
			o->verbose = 1;
		} else {
			return -1;
		}
	}
	return 0;
}

/* Control sources = configured users; slots s0..s5 closed. */
static int
model_init(struct run *R)
{
	struct model *m = &R->m;
	unsigned i, k, ntap = 0;

	memset(m, 0, sizeof(*m));
	m->now = T0_NS;
	m->climit = R->cfg.connection_limit != 0 ?
	    R->cfg.connection_limit : FT_CFG_CONN_LIMIT_DEF;
	m->rlimit = R->cfg.rate_limit != 0 ? R->cfg.rate_limit :
	    FT_CFG_RATE_LIMIT_DEF;
	for (i = 0; i < R->cfg.nusers && i < FT_CFG_USERS_MAX; i++) {
		struct msource *s = &m->src[m->nsrc++];

		snprintf(s->name, sizeof(s->name), "%s", R->cfg.users[i].name);
		s->can_tap = (ft_routercfg_perms(&R->cfg, s->name) &
		    FT_PERM_FLOW_TAP_OPERATION) != 0;
		ntap += s->can_tap != 0;
		for (k = 0; R->o.config == NULL &&
		    k < sizeof(builtin_pw) / sizeof(builtin_pw[0]); k++)
			if (strcmp(builtin_pw[k].user, s->name) == 0)
				s->password = builtin_pw[k].password;
	}
	for (i = 0; i < SLOTS; i++)
		snprintf(m->slot[i].name, sizeof(m->slot[i].name), "s%u", i);
	if (ntap == 0) {
		fprintf(stderr, "ftstate: no user of the configuration has "
		    "flow-tap-operation\n");
		return -1;
	}
	return 0;
}

static int
setup(struct run *R)
{
	struct ft_tasking_cfg tc;
	struct ft_err e;
	int rc;

	if (R->o.config != NULL)
		rc = ft_routercfg_load(&R->cfg, R->o.config, &e);
	else
		rc = ft_routercfg_parse(&R->cfg, builtin_cfg,
		    sizeof(builtin_cfg) - 1, "ftstate built-in", &e);
	if (rc != 0) {
		fprintf(stderr, "ftstate: %s\n", e.msg);
		return -1;
	}
	if (model_init(R) != 0)
		return -1;
	memset(&tc, 0, sizeof(tc));
	tc.router = &R->cfg;
	tc.profile = FT_PROFILE_FLOWTAP;
	tc.key = NULL;			/* the default: "Juniper" */
	tc.log = on_event;
	tc.log_ctx = &R->ev;
	R->t = ft_tasking_new(&tc);
	R->reply = malloc(sizeof(*R->reply));
	if (R->t == NULL || R->reply == NULL) {
		fprintf(stderr, "ftstate: out of memory\n");
		return -1;
	}
	R->rng.s = R->o.seed;
	return 0;
}

static double
elapsed(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
summary(const struct run *R, double secs)
{
	const struct stats *st = &R->st;
	unsigned i;

	printf("ftstate: seed %llu, %llu iterations in %.1f s (%.0f "
	    "requests/s)\n", (unsigned long long)R->o.seed,
	    (unsigned long long)R->iter, secs,
	    secs > 0 ? (double)st->requests / secs : 0.0);
	printf("executions: %llu requests:", (unsigned long long)st->requests);
	for (i = 0; i < K_NKINDS; i++)
		printf(" %s %llu", kind_name[i],
		    (unsigned long long)st->kind[i]);
	printf("\nreplies:");
	for (i = 0; i < st->ncodes; i++)
		printf(" %d: %llu", st->code[i],
		    (unsigned long long)st->count[i]);
	printf("\ndrops: %llu\n", (unsigned long long)st->drops);
	printf("sessions: %llu opened, %llu refused, %llu closed; restarts: "
	    "%llu; peak criteria: %u\n", (unsigned long long)st->opened,
	    (unsigned long long)st->refused, (unsigned long long)st->closed,
	    (unsigned long long)st->restarts, st->peak);
	printf("ftstate: %llu requests, %llu violations\n",
	    (unsigned long long)st->requests,
	    (unsigned long long)st->violations);
}

int
main(int argc, char **argv)
{
	static struct run run;
	struct run *R = &run;
	struct timespec t0;
	int rc = 0;

	if (parse_opts(&R->o, argc, argv) != 0)
		return usage();
	if (setup(R) != 0) {
		rc = 1;
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (R->iter = 0;; R->iter++) {
		if (R->o.seconds != 0) {
			if ((R->iter & 63) == 0 &&
			    elapsed(&t0) >= (double)R->o.seconds)
				break;
		} else if (R->iter >= R->o.iterations) {
			break;
		}
		step(R);
	}
	summary(R, elapsed(&t0));
	rc = R->st.violations != 0;
out:
	ft_tasking_free(R->t);
	free(R->reply);
	return rc;
}
