/*
 * test_tasking.c - DTCP semantics (SPEC 2, 3, 5): sessions, the request
 * processing order, drops, every rejection code, Seq per profile, LEA
 * isolation and restarts.
 *
 * Expected values come from SPEC.md, the published HMAC vectors of
 * dtcp-facts.md 5.4 (Juniper DELETE/ADD replies, LIST/DELETE requests)
 * and MD5-crypt hashes made with `openssl passwd -1`.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "classify.h"
#include "dtcp.h"
#include "routercfg.h"
#include "rule.h"
#include "rules.h"
#include "tasking.h"

#define KEY "Juniper"
#define SEC 1000000000ULL
/* 2011-02-13 15:56:49.609 UTC (date -u -d ... +%s), plus sub-ms noise. */
#define T0 (1297612609ULL * SEC + 609000000ULL + 123456ULL)
/* 2011-02-13 16:00:02.802 UTC */
#define T1 (1297612802ULL * SEC + 802000000ULL)
#define TS0 "2011-02-13 15:56:49.609"

/*
 * Two LEAs with flow-tap-operation (verint, lea2), Juniper's doc user
 * dtcp1, and a user whose class has only the view permission.
 * Passwords: verint123, lea2pass, dtcp1pass, viewpass.
 */
static const char two_leas_conf[] =
    "system {\n"
    "    login {\n"
    "        class VERINT {\n"
    "            idle-timeout 30;\n"
    "            permissions flow-tap-operation;\n"
    "        }\n"
    "        class VIEW {\n"
    "            permissions flow-tap;\n"
    "        }\n"
    "        user verint {\n"
    "            uid 2008;\n"
    "            class VERINT;\n"
    "            authentication {\n"
    "                encrypted-password "
    "\"$1$cUeV8XKs$28nf0JiRoDeYdE71j4/9q.\";\n"
    "            }\n"
    "        }\n"
    "        user lea2 {\n"
    "            uid 2009;\n"
    "            class VERINT;\n"
    "            authentication {\n"
    "                encrypted-password "
    "\"$1$Lea2salt$yruX1v0BhD39Y1.a14wDj/\";\n"
    "            }\n"
    "        }\n"
    "        user dtcp1 {\n"
    "            uid 2010;\n"
    "            class VERINT;\n"
    "            authentication {\n"
    "                encrypted-password "
    "\"$1$Dtcp1slt$qYRYBmk4WaLBgHvDi4BYe1\";\n"
    "            }\n"
    "        }\n"
    "        user viewer {\n"
    "            uid 2011;\n"
    "            class VIEW;\n"
    "            authentication {\n"
    "                encrypted-password "
    "\"$1$Viewsalt$.9gPi8gI5kXFbNUWy/nND/\";\n"
    "            }\n"
    "        }\n"
    "    }\n"
    "    services {\n"
    "        flow-tap-dtcp {\n"
    "            ssh {\n"
    "                connection-limit 20;\n"
    "                rate-limit 20;\n"
    "            }\n"
    "        }\n"
    "    }\n"
    "}\n"
    "services {\n"
    "    flow-tap {\n"
    "        interface sp-0/2/0.100;\n"
    "    }\n"
    "}\n"
    "interfaces {\n"
    "    sp-0/2/0 {\n"
    "        unit 100 {\n"
    "            family inet;\n"
    "            family inet6;\n"
    "        }\n"
    "    }\n"
    "    ge-0/0/0 {\n"
    "        unit 0 {\n"
    "            family inet;\n"
    "        }\n"
    "    }\n"
    "}\n";

/* The seed guide's sample ADD (dfcd log), Seq left to the caller. */
#define SEED_ADD_HEAD \
	"ADD DTCP/0.6\n" \
	"Csource-ID: verint\n" \
	"Cdest-ID: cd1\n" \
	"Source-Address: *\n" \
	"Dest-Address: *\n" \
	"Source-Port: *\n" \
	"Dest-Port: *\n" \
	"Protocol: 17\n" \
	"Flags: STATIC\n" \
	"X-JTap-Cdest-Dest-Address: 192.168.3.2\n" \
	"X-JTap-Cdest-Dest-Port: 1814\n" \
	"X-JTap-Cdest-Source-Address: 10.209.74.183\n" \
	"X-JTap-Cdest-Source-Port: 65534\n" \
	"X-JTap-Cdest-TTL: 255\n"

#define LOG_MAX 1024

struct logrec {
	enum ft_event_kind kind;
	int code;
	int rule;			/* enum ft_rules_id */
	char reason[256];
	char origin[128];
	char detail[2048];
	char session[FT_NAME_MAX + 1];
};

struct fx {
	struct ft_routercfg rc;
	struct ft_tasking *t;
	struct ft_dtcp_reply *r;
	char out[FT_DTCP_REPLY_MAX + 1];
	struct logrec log[LOG_MAX];
	unsigned nlog;
	uint64_t now;
};

static void
logger(void *ctx, const struct ft_event *ev)
{
	struct fx *f = ctx;
	struct logrec *l;

	if (f->nlog == LOG_MAX)
		return;
	l = &f->log[f->nlog++];
	l->kind = ev->kind;
	l->code = ev->code;
	l->rule = ev->rule;
	snprintf(l->origin, sizeof(l->origin), "%s",
	    ev->origin != NULL ? ev->origin : "");
	snprintf(l->detail, sizeof(l->detail), "%s",
	    ev->detail != NULL ? ev->detail : "");
	snprintf(l->reason, sizeof(l->reason), "%s",
	    ev->reason != NULL ? ev->reason : "");
	snprintf(l->session, sizeof(l->session), "%s",
	    ev->session != NULL ? ev->session : "");
}

static struct fx *
fx_new(const char *conf, enum ft_profile profile)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct ft_tasking_cfg cfg;
	struct ft_err e;

	assert_non_null(f);
	if (conf == NULL) {
		assert_int_equal(ft_routercfg_default(&f->rc), 0);
	} else {
		memset(&e, 0, sizeof(e));
		if (ft_routercfg_parse(&f->rc, conf, strlen(conf), "test.conf",
		    &e) != 0)
			fail_msg("config: %s", e.msg);
	}
	f->r = calloc(1, sizeof(*f->r));
	assert_non_null(f->r);
	memset(&cfg, 0, sizeof(cfg));
	cfg.router = &f->rc;
	cfg.profile = profile;
	cfg.key = NULL;		/* the default, "Juniper" */
	cfg.log = logger;
	cfg.log_ctx = f;
	f->t = ft_tasking_new(&cfg);
	assert_non_null(f->t);
	f->now = T0;
	return f;
}

static void
fx_free(struct fx *f)
{
	ft_tasking_free(f->t);
	free(f->r);
	free(f);
}

static int
open_s(struct fx *f, const char *name, const char *user, const char *pw)
{
	int sid = ft_tasking_open(f->t, name, user, pw, NULL, f->now);

	assert_true(sid >= 0);
	return sid;
}

/* Send raw bytes; the reply text (or "") lands in f->out. */
static int
send_raw(struct fx *f, int sid, const char *bytes, size_t len)
{
	int code;

	memset(f->r, 0, sizeof(*f->r));
	code = ft_tasking_request(f->t, sid, bytes, len, f->now, f->r);
	if (code == 0) {
		f->out[0] = '\0';
	} else {
		assert_true(f->r->len <= FT_DTCP_REPLY_MAX);
		memcpy(f->out, f->r->buf, f->r->len);
		f->out[f->r->len] = '\0';
	}
	return code;
}

/*
 * Send body (lines ending "\n", no Authentication-Info) as a mediation
 * device does: CRLF line ends, MAC over every line, then the empty line.
 * macmode 0: correct MAC, 1: no Authentication-Info, 2: wrong MAC,
 * 3: correct MAC in upper case.
 */
static int
send_mac(struct fx *f, int sid, const char *body, int macmode)
{
	static char buf[FT_DTCP_MSG_MAX + 256];
	char hex[FT_AUTH_HEX_LEN + 1];
	size_t n = 0, i;
	int w;

	for (i = 0; body[i] != '\0'; i++) {
		assert_true(n + 2 < sizeof(buf) - 80);
		if (body[i] == '\n')
			buf[n++] = '\r';
		buf[n++] = body[i];
	}
	assert_int_equal(ft_auth_hex(KEY, strlen(KEY), buf, n, hex), 0);
	if (macmode == 2)
		hex[7] = hex[7] == '0' ? '1' : '0';
	if (macmode == 3)
		for (i = 0; i < FT_AUTH_HEX_LEN; i++)
			if (hex[i] >= 'a' && hex[i] <= 'f')
				hex[i] = (char)(hex[i] - 'a' + 'A');
	if (macmode != 1) {
		w = snprintf(buf + n, sizeof(buf) - n,
		    "Authentication-Info: %s\r\n", hex);
		assert_true(w > 0);
		n += (size_t)w;
	}
	memcpy(buf + n, "\r\n", 2);
	n += 2;
	return send_raw(f, sid, buf, n);
}

static int
send_msg(struct fx *f, int sid, const char *body)
{
	return send_mac(f, sid, body, 0);
}

/* printf into a static body buffer. */
static const char *
fmt(const char *format, ...) FT_PRINTF(1, 2);

static const char *
fmt(const char *format, ...)
{
	static char b[FT_DTCP_MSG_MAX];
	va_list ap;
	int n;

	va_start(ap, format);
	n = vsnprintf(b, sizeof(b), format, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof(b));
	return b;
}

/* A STATIC ADD of cs with one content destination. */
static const char *
add_body(const char *ver, const char *cs, const char *cdest,
    const char *srcaddr, const char *cdaddr, uint64_t seq)
{
	return fmt("ADD DTCP/%s\n"
	    "Csource-ID: %s\n"
	    "Cdest-ID: %s\n"
	    "Source-Address: %s\n"
	    "Protocol: 6\n"
	    "Flags: STATIC\n"
	    "X-JTap-Cdest-Dest-Address: %s\n"
	    "X-JTap-Cdest-Dest-Port: 1814\n"
	    "X-JTap-Cdest-Source-Address: 10.209.74.183\n"
	    "X-JTap-Cdest-Source-Port: 65534\n"
	    "Seq: %llu\n", ver, cs, cdest, srcaddr, cdaddr,
	    (unsigned long long)seq);
}

static int
add_v4(struct fx *f, int sid, const char *cs, uint64_t seq)
{
	return send_msg(f, sid, add_body("0.7", cs, "cd1", "10.0.0.1",
	    "192.168.3.2", seq));
}

/* The line of f->out that starts with prefix, or NULL. */
static const char *
line_with(const struct fx *f, const char *prefix)
{
	const char *p = f->out;
	size_t n = strlen(prefix);

	while (p != NULL && *p != '\0') {
		if (strncmp(p, prefix, n) == 0)
			return p;
		p = strstr(p, "\r\n");
		if (p != NULL)
			p += 2;
	}
	return NULL;
}

static int
has_line(const struct fx *f, const char *line)
{
	char want[1200];

	snprintf(want, sizeof(want), "%s\r\n", line);
	return line_with(f, want) != NULL;
}

/*
 * Check the reply's MAC independently: HMAC-SHA1 of the bytes before
 * "AUTHENTICATION-INFO: " equals the hex that follows; the reply ends
 * with that line and the empty line.
 */
static void
assert_reply_mac(const struct fx *f)
{
	const char *a = strstr(f->out, "AUTHENTICATION-INFO: ");
	char hex[FT_AUTH_HEX_LEN + 1];

	assert_non_null(a);
	assert_int_equal(ft_auth_hex(KEY, strlen(KEY), f->out,
	    (size_t)(a - f->out), hex), 0);
	assert_memory_equal(a + 21, hex, FT_AUTH_HEX_LEN);
	assert_string_equal(a + 21 + FT_AUTH_HEX_LEN, "\r\n\r\n");
}

/* The error layout of SPEC 2: status, SEQ, ERROR-PARAMETERS, TIMESTAMP. */
static void
assert_error(const struct fx *f, const char *status, const char *seq,
    const char *errparam)
{
	char want[2048];
	int n;

	n = snprintf(want, sizeof(want), "%s\r\n", status);
	if (seq != NULL)
		n += snprintf(want + n, sizeof(want) - (size_t)n,
		    "SEQ: %s\r\n", seq);
	if (errparam != NULL)
		n += snprintf(want + n, sizeof(want) - (size_t)n,
		    "ERROR-PARAMETERS: %s\r\n", errparam);
	snprintf(want + n, sizeof(want) - (size_t)n,
	    "TIMESTAMP: " TS0 "\r\nAUTHENTICATION-INFO: ");
	assert_memory_equal(f->out, want, strlen(want));
	assert_int_equal(strlen(f->out), strlen(want) + FT_AUTH_HEX_LEN + 4);
	assert_reply_mac(f);
}

/* The reply starts with want (then the MAC line follows). */
static void
assert_prefix(const struct fx *f, const char *want)
{
	if (strncmp(f->out, want, strlen(want)) != 0)
		fail_msg("reply:\n%s\nwanted a start of:\n%s", f->out, want);
}

static const struct logrec *
last_log(const struct fx *f)
{
	assert_true(f->nlog > 0);
	return &f->log[f->nlog - 1];
}

static void
assert_dropped(const struct fx *f, int rc, int code)
{
	assert_int_equal(rc, 0);
	assert_int_equal(last_log(f)->kind, FT_EV_DROP);
	assert_int_equal(last_log(f)->code, code);
}

/* ---- ADD ---- */

static void
test_tasking_seed_add_accepted(void **state)
{
	struct fx *f = fx_new(NULL, FT_PROFILE_FLOWTAP);
	int sid = open_s(f, "s1", "verint", "verint123");
	unsigned n0 = f->nlog;
	struct ft_rule *r;

	(void)state;
	assert_int_equal(send_msg(f, sid, SEED_ADD_HEAD "Seq: 1\n"), 200);
	/* Exact layout (SPEC 2); MAC computed with python's hmac. */
	assert_string_equal(f->out,
	    "DTCP/0.6 200 OK\r\n"
	    "SEQ: 1\r\n"
	    "CRITERIA-ID: 1\r\n"
	    "TIMESTAMP: " TS0 "\r\n"
	    "AUTHENTICATION-INFO: e28f7256b271eb4dc9c316363e0f6530b8180a0d"
	    "\r\n\r\n");
	assert_reply_mac(f);
	/* Logged: the request first, then its reply. */
	assert_int_equal(f->nlog, n0 + 2);
	assert_int_equal(f->log[n0].kind, FT_EV_REQUEST);
	assert_int_equal(f->log[n0 + 1].kind, FT_EV_REPLY);
	assert_int_equal(f->log[n0 + 1].code, 200);
	assert_string_equal(f->log[n0 + 1].session, "s1");

	assert_int_equal(ft_classify_count(ft_tasking_table(f->t)), 1);
	r = ft_classify_get(ft_tasking_table(f->t), 1);
	assert_non_null(r);
	assert_string_equal(r->csource, "verint");
	assert_true(r->flags & FT_RULE_STATIC);
	assert_true(r->added_ns == f->now);
	fx_free(f);
}

/*
 * Juniper's published exchange (dtcp-facts 5.4 vectors 5-8, key
 * Juniper): the ADD reply for Seq 7 / Criteria-ID 2, the LIST and
 * DELETE requests with their published MACs, the DELETE reply.
 */
static void
test_tasking_juniper_vectors(void **state)
{
	static const char list_req[] =
	    "LIST DTCP/0.7\r\nCsource-ID: dtcp1\r\nCdest-ID: cd1\r\n"
	    "Seq: 9\r\n"
	    "Authentication-Info: f6dd64643021debb167ce2fb2d3c7b6622a87e09\r\n"
	    "\r\n";
	static const char del_req[] =
	    "DELETE DTCP/0.7\r\nCsource-ID: dtcp1\r\nCRITERIA-ID: 2\r\n"
	    "Flags: STATIC\r\nSeq: 10\r\n"
	    "Authentication-Info: 7e84ae871b12f2da023b038774115bb8d955f17e\r\n"
	    "\r\n";
	struct fx *f = fx_new(two_leas_conf, FT_PROFILE_FLOWTAP);
	int sv = open_s(f, "v", "verint", "verint123");
	int sd = open_s(f, "d", "dtcp1", "dtcp1pass");

	(void)state;
	assert_int_equal(add_v4(f, sv, "verint", 1), 200);
	assert_true(has_line(f, "CRITERIA-ID: 1"));
	assert_int_equal(send_msg(f, sd, add_body("0.7", "dtcp1", "cd1",
	    "10.0.0.2", "192.168.3.2", 7)), 200);
	assert_string_equal(f->out,
	    "DTCP/0.7 200 OK\r\nSEQ: 7\r\nCRITERIA-ID: 2\r\n"
	    "TIMESTAMP: 2011-02-13 15:56:49.609\r\n"
	    "AUTHENTICATION-INFO: 4880de4b8cead98c95813fd9b95e240b107d4693"
	    "\r\n\r\n");

	assert_int_equal(send_raw(f, sd, list_req, strlen(list_req)), 200);
	assert_true(has_line(f, "DTCP/0.7 200 OK"));
	assert_true(has_line(f, "SEQ: 9"));
	assert_true(has_line(f, "CRITERIA-COUNT: 1"));
	assert_true(has_line(f, "CRITERIA-ID: 2"));
	assert_false(has_line(f, "CRITERIA-ID: 1"));
	assert_reply_mac(f);

	f->now = T1;
	assert_int_equal(send_raw(f, sd, del_req, strlen(del_req)), 200);
	assert_string_equal(f->out,
	    "DTCP/0.7 200 OK\r\nSEQ: 10\r\nCRITERIA-COUNT: 1\r\n"
	    "TIMESTAMP: 2011-02-13 16:00:02.802\r\n"
	    "AUTHENTICATION-INFO: 2834ff32ec07d84753a046cfb552e072cc27d50b"
	    "\r\n\r\n");
	assert_null(ft_classify_get(ft_tasking_table(f->t), 2));
	assert_non_null(ft_classify_get(ft_tasking_table(f->t), 1));
	fx_free(f);
}

static void
test_tasking_add_rejections(void **state)
{
	struct fx *f = fx_new(two_leas_conf, FT_PROFILE_FLOWTAP);
	int sid = open_s(f, "s", "verint", "verint123");
	uint64_t seq = 1;

	(void)state;
	/* 432: a port condition with protocol ICMP only. */
	assert_int_equal(send_msg(f, sid, fmt("ADD DTCP/0.7\n"
	    "Csource-ID: verint\nCdest-ID: cd1\nProtocol: 1\n"
	    "Dest-Port: 80\nFlags: STATIC\n"
	    "X-JTap-Cdest-Dest-Address: 192.168.3.2\n"
	    "X-JTap-Cdest-Dest-Port: 1814\n"
	    "X-JTap-Cdest-Source-Address: 10.209.74.183\n"
	    "X-JTap-Cdest-Source-Port: 65534\nSeq: %llu\n",
	    (unsigned long long)seq++)), 432);
	assert_true(has_line(f, "DTCP/0.7 432 Improper Filter Specification"));
	assert_true(has_line(f, "SEQ: 1"));
	assert_non_null(line_with(f, "ERROR-PARAMETERS: "));
	assert_reply_mac(f);

	/* 432: Cdest-ID and destination address counts differ. */
	assert_int_equal(send_msg(f, sid, fmt("ADD DTCP/0.7\n"
	    "Csource-ID: verint\nCdest-ID: cd1,cd2\nFlags: STATIC\n"
	    "X-JTap-Cdest-Dest-Address: 192.168.3.2\n"
	    "X-JTap-Cdest-Dest-Port: 1814\n"
	    "X-JTap-Cdest-Source-Address: 10.209.74.183\n"
	    "X-JTap-Cdest-Source-Port: 65534\nSeq: %llu\n",
	    (unsigned long long)seq++)), 432);

	/* 433: no STATIC in profile flowtap. */
	assert_int_equal(send_msg(f, sid, fmt("ADD DTCP/0.7\n"
	    "Csource-ID: verint\nCdest-ID: cd1\n"
	    "X-JTap-Cdest-Dest-Address: 192.168.3.2\n"
	    "X-JTap-Cdest-Dest-Port: 1814\n"
	    "X-JTap-Cdest-Source-Address: 10.209.74.183\n"
	    "X-JTap-Cdest-Source-Port: 65534\nSeq: %llu\n",
	    (unsigned long long)seq++)), 433);
	assert_true(has_line(f,
	    "DTCP/0.7 433 Improper Timeout Specification"));

	/* 551: three content destinations. */
	assert_int_equal(send_msg(f, sid, fmt("ADD DTCP/0.7\n"
	    "Csource-ID: verint\nCdest-ID: a,b,c\nFlags: STATIC\n"
	    "X-JTap-Cdest-Dest-Address: 192.168.3.2,192.168.3.3,"
	    "192.168.3.4\n"
	    "X-JTap-Cdest-Dest-Port: 1,2,3\n"
	    "X-JTap-Cdest-Source-Address: 10.209.74.183\n"
	    "X-JTap-Cdest-Source-Port: 65534\nSeq: %llu\n",
	    (unsigned long long)seq++)), 551);
	assert_true(has_line(f,
	    "DTCP/0.7 551 Max Content Destination Exceeded"));

	/* 901: an input interface the configuration does not declare... */
	assert_int_equal(send_msg(f, sid, fmt("ADD DTCP/0.7\n"
	    "Csource-ID: verint\nCdest-ID: cd1\nFlags: STATIC\n"
	    "X-JTap-Cdest-Dest-Address: 192.168.3.2\n"
	    "X-JTap-Cdest-Dest-Port: 1814\n"
	    "X-JTap-Cdest-Source-Address: 10.209.74.183\n"
	    "X-JTap-Cdest-Source-Port: 65534\n"
	    "X-JTap-Input-Interface: ge-9/9/9.0\nSeq: %llu\n",
	    (unsigned long long)seq++)), 901);
	assert_true(has_line(f, "DTCP/0.7 901 JTap-Failure"));
	assert_int_equal(ft_classify_count(ft_tasking_table(f->t)), 0);

	/* ... while a declared one is accepted and gets the first id. */
	assert_int_equal(send_msg(f, sid, fmt("ADD DTCP/0.7\n"
	    "Csource-ID: verint\nCdest-ID: cd1\nFlags: STATIC\n"
	    "X-JTap-Cdest-Dest-Address: 192.168.3.2\n"
	    "X-JTap-Cdest-Dest-Port: 1814\n"
	    "X-JTap-Cdest-Source-Address: 10.209.74.183\n"
	    "X-JTap-Cdest-Source-Port: 65534\n"
	    "X-JTap-Input-Interface: ge-0/0/0.0\nSeq: %llu\n",
	    (unsigned long long)seq++)), 200);
	assert_true(has_line(f, "CRITERIA-ID: 1"));
	fx_free(f);
}

/* 550 at the 101st criterion, IPv4 and IPv6 counted together. */
static void
test_tasking_chassis_limit(void **state)
{
	struct fx *f = fx_new(two_leas_conf, FT_PROFILE_FLOWTAP);
	int sv = open_s(f, "v", "verint", "verint123");
	int sl = open_s(f, "l", "lea2", "lea2pass");
	uint64_t i;

	(void)state;
	for (i = 1; i <= 100; i++) {
		const char *src = i % 2 ? "10.0.0.1" : "2001:db8::1";
		int sid = i % 3 ? sv : sl;
		const char *cs = i % 3 ? "verint" : "lea2";

		assert_int_equal(send_msg(f, sid, add_body("0.7", cs, "cd1",
		    src, "192.168.3.2", i)), 200);
	}
	assert_int_equal(ft_classify_count(ft_tasking_table(f->t)), 100);
	assert_int_equal(send_msg(f, sv, add_body("0.7", "verint", "cd1",
	    "2001:db8::2", "192.168.3.2", 101)), 550);
	assert_error(f, "DTCP/0.7 550 Max Criteria Limit Exceeded", "101",
	    NULL);
	/* DTCP/0.6 (old flow-tap): 500. */
	assert_int_equal(send_msg(f, sv, add_body("0.6", "verint", "cd1",
	    "10.0.0.9", "192.168.3.2", 102)), 500);
	assert_error(f, "DTCP/0.6 500 Server Internal Error", "102", NULL);
	assert_int_equal(ft_classify_count(ft_tasking_table(f->t)), 100);

	/* After a DELETE there is room again; ids are not reused. */
	assert_int_equal(send_msg(f, sv, "DELETE DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: 1\nFlags: STATIC\n"
	    "Seq: 103\n"), 200);
	assert_true(has_line(f, "CRITERIA-COUNT: 1"));
	assert_int_equal(send_msg(f, sv, add_body("0.7", "verint", "cd1",
	    "10.0.0.9", "192.168.3.2", 104)), 200);
	assert_true(has_line(f, "CRITERIA-ID: 101"));
	fx_free(f);
}

/* ---- syntax, Seq, version, method, parameters ---- */

/*
 * Sign raw bytes (CR and LF exactly as given, defects included): append
 * "Authentication-Info: <HMAC of raw>" CRLF and the empty line.
 */
static int
send_signed(struct fx *f, int sid, const char *raw, size_t len,
    const char *key)
{
	static char buf[FT_DTCP_MSG_MAX + 256];
	char hex[FT_AUTH_HEX_LEN + 1];
	int w;

	assert_true(len < sizeof(buf) - 80);
	memcpy(buf, raw, len);
	assert_int_equal(ft_auth_hex(key, strlen(key), buf, len, hex), 0);
	w = snprintf(buf + len, sizeof(buf) - len,
	    "Authentication-Info: %s\r\n\r\n", hex);
	assert_true(w > 0);
	return send_raw(f, sid, buf, len + (size_t)w);
}

/*
 * Dropped with code, logged with the rule (rules.h: its plain reason
 * first) and the specifics given (a substring of the reason).
 */
static void
assert_drop_rule(const struct fx *f, int rc, int code, const char *rule,
    const char *specifics)
{
	const struct ft_rules_entry *r = ft_rules_get(ft_rules_find(rule));

	assert_dropped(f, rc, code);
	assert_string_equal(ft_rules_get(last_log(f)->rule)->id, rule);
	assert_int_equal(r->code, code);
	assert_int_equal(strncmp(last_log(f)->reason, r->explain,
	    strlen(r->explain)), 0);
	if (strstr(last_log(f)->reason, specifics) == NULL)
		fail_msg("reason '%s' lacks '%s'", last_log(f)->reason,
		    specifics);
	assert_string_equal(f->out, "");
}

/* SPEC 2: a framing defect is answered only once the request authenticated. */
static void
test_tasking_framing_needs_auth(void **state)
{
	static const char nocolon[] =
	    "ADD DTCP/0.7\r\nCsource-ID: verint\r\nProtocol 17\r\n"
	    "Seq: 5\r\n";
	static const char barelf[] =
	    "LIST DTCP/0.6\nCsource-ID: verint\nSeq: 6\n";
	static const char noseq[] =
	    "LIST DTCP/0.7\r\nCsource-ID: verint\r\nX-A: \xc0\xaf\r\n";
	static const char badreq[] =
	    "LIST  DTCP/0.7\r\nCsource-ID: verint\r\nSeq: 8\r\n";
	static const char viewer[] =
	    "LIST DTCP/0.7\r\nCsource-ID: viewer\r\nA B\r\nSeq: 1\r\n";
	struct fx *f = fx_new(two_leas_conf, FT_PROFILE_FLOWTAP);
	int sid = open_s(f, "s", "verint", "verint123");
	int sw = open_s(f, "w", "viewer", "viewpass");
	char *big;

	(void)state;
	/* Not signed: dropped 497, the defect named, nothing echoed. */
	assert_drop_rule(f, send_raw(f, sid, nocolon, strlen(nocolon)),
	    497, "DTCP-AUTH-MAC-MISSING", "; framing: line without ':'");
	/* Signed with another key: 497. */
	assert_drop_rule(f, send_signed(f, sid, nocolon, strlen(nocolon),
	    "secret"), 497, "DTCP-AUTH-MAC-WRONG",
	    "; framing: line without ':'");
	/* Signed, but by a user without flow-tap-operation: 499. */
	assert_drop_rule(f, send_signed(f, sw, viewer, strlen(viewer), KEY),
	    499, "DTCP-AUTH-PERMISSION", "; framing: line without ':'");
	/* Signed, Csource-ID of another user: 499. */
	assert_drop_rule(f, send_signed(f, sw, nocolon, strlen(nocolon),
	    KEY), 499, "DTCP-AUTH-CSOURCE-USER",
	    "; framing: line without ':'");

	/* Authenticated: 400 with SEQ and the offending line. */
	assert_int_equal(send_signed(f, sid, nocolon, strlen(nocolon), KEY),
	    400);
	assert_error(f, "DTCP/0.7 400 Bad Request", "5", "Protocol 17");
	/* Its Seq was used: the same request again is stale. */
	assert_drop_rule(f, send_signed(f, sid, nocolon, strlen(nocolon),
	    KEY), 498, "DTCP-SEQ-STALE", "; stale sequence number 5 (last 5)");
	/* Bare LF: answered in the request's version. */
	assert_int_equal(send_signed(f, sid, barelf, strlen(barelf), KEY),
	    400);
	assert_error(f, "DTCP/0.6 400 Bad Request", "6", "bare LF");
	/* No Seq to read: no SEQ line. */
	assert_int_equal(send_signed(f, sid, noseq, strlen(noseq), KEY), 400);
	assert_error(f, "DTCP/0.7 400 Bad Request", NULL, "invalid UTF-8");
	/* An unreadable request line: DTCP/0.7. */
	assert_int_equal(send_signed(f, sid, badreq, strlen(badreq), KEY),
	    400);
	assert_error(f, "DTCP/0.7 400 Bad Request", "8", "request line");

	/* Over the size cap: dropped with code 400, never answered. */
	big = malloc(FT_DTCP_MSG_MAX + 1);
	assert_non_null(big);
	memset(big, 'a', FT_DTCP_MSG_MAX + 1);
	memcpy(big, "LIST DTCP/0.7\r\n", 15);
	assert_drop_rule(f, send_signed(f, sid, big, FT_DTCP_MSG_MAX - 10,
	    KEY), 400, "DTCP-FRAME-MSG-CAP", "; 8247 bytes, cap 8192");
	free(big);
	fx_free(f);
}

static void
test_tasking_seq_400(void **state)
{
	static const char *const bad[] = {
		"", "abc", "-1", "1.5", "123456789012345678901",
		"18446744073709551616",
	};
	struct fx *f = fx_new(NULL, FT_PROFILE_FLOWTAP);
	int sid = open_s(f, "s", "verint", "verint123");
	size_t i;

	(void)state;
	assert_int_equal(send_msg(f, sid, "LIST DTCP/0.7\n"
	    "Csource-ID: verint\n"), 400);
	assert_error(f, "DTCP/0.7 400 Bad Request", NULL, "Seq");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(send_msg(f, sid, fmt("LIST DTCP/0.7\n"
		    "Csource-ID: verint\nSeq: %s\n", bad[i])), 400);
		assert_error(f, "DTCP/0.7 400 Bad Request", NULL, "Seq");
	}
	/* The largest u64 is a Seq. */
	assert_int_equal(send_msg(f, sid, "LIST DTCP/0.7\n"
	    "Csource-ID: verint\nSeq: 18446744073709551615\n"), 200);
	assert_true(has_line(f, "SEQ: 18446744073709551615"));
	fx_free(f);
}

static void
test_tasking_version_505(void **state)
{
	struct fx *f = fx_new(NULL, FT_PROFILE_FLOWTAP);
	int sid = open_s(f, "s", "verint", "verint123");

	(void)state;
	assert_int_equal(send_msg(f, sid, add_body("0.9", "verint", "cd1",
	    "10.0.0.1", "192.168.3.2", 1)), 505);
	assert_error(f, "DTCP/0.8 505 DTCP Version Not Supported", "1", NULL);
	assert_int_equal(send_msg(f, sid, "LIST DTCP/1.0\n"
	    "Csource-ID: verint\nSeq: 2\n"), 505);
	assert_error(f, "DTCP/0.8 505 DTCP Version Not Supported", "2", NULL);
	assert_int_equal(ft_classify_count(ft_tasking_table(f->t)), 0);
	/* Replies use the request's version. */
	assert_int_equal(send_msg(f, sid, "LIST DTCP/0.8\n"
	    "Csource-ID: verint\nSeq: 3\n"), 200);
	assert_prefix(f, "DTCP/0.8 200 OK\r\n");
	fx_free(f);
}

static void
test_tasking_not_implemented_501(void **state)
{
	struct fx *f = fx_new(NULL, FT_PROFILE_FLOWTAP);
	int sid = open_s(f, "s", "verint", "verint123");
	struct fx *j = fx_new(NULL, FT_PROFILE_JUNOS);
	int sj = open_s(j, "s", "verint", "verint123");

	(void)state;
	assert_int_equal(send_msg(f, sid, "FROB DTCP/0.7\n"
	    "Csource-ID: verint\nSeq: 1\n"), 501);
	assert_error(f, "DTCP/0.7 501 Not Implemented", "1", "FROB");
	/* REFRESH and NOOP exist in profile draft only. */
	assert_int_equal(send_msg(f, sid, "REFRESH DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: 1\nTimeout-Idle: 5\n"
	    "Seq: 2\n"), 501);
	assert_error(f, "DTCP/0.7 501 Not Implemented", "2", "REFRESH");
	assert_int_equal(send_msg(j, sj, "NOOP DTCP/0.7\n"
	    "Csource-ID: verint\nSeq: 2\n"), 501);
	assert_true(has_line(j, "ERROR-PARAMETERS: NOOP"));
	/* An unknown parameter; an unknown X- one is ignored. */
	assert_int_equal(send_msg(f, sid, "LIST DTCP/0.7\n"
	    "Csource-ID: verint\nFrob-Level: 3\nSeq: 3\n"), 501);
	assert_error(f, "DTCP/0.7 501 Not Implemented", "3", "Frob-Level");
	assert_int_equal(send_msg(f, sid, "LIST DTCP/0.7\n"
	    "Csource-ID: verint\nX-Vendor-Thing: 3\nSeq: 4\n"), 200);
	/* X-JTap-Filter-Family needs DTCP/0.8. */
	assert_int_equal(send_msg(f, sid, "LIST DTCP/0.7\n"
	    "Csource-ID: verint\nX-JTap-Filter-Family: ccc\nSeq: 5\n"), 501);
	assert_error(f, "DTCP/0.7 501 Not Implemented", "5",
	    "X-JTap-Filter-Family");
	/* DELETE Flags other than STATIC, LIST Flags other than BOTH. */
	assert_int_equal(send_msg(f, sid, "DELETE DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: 1\nFlags: SendAsync\n"
	    "Seq: 6\n"), 501);
	assert_error(f, "DTCP/0.7 501 Not Implemented", "6",
	    "Flags: SendAsync");
	assert_int_equal(send_msg(f, sid, "LIST DTCP/0.7\n"
	    "Csource-ID: verint\nFlags: STATS\nSeq: 7\n"), 501);
	assert_int_equal(send_msg(f, sid, "LIST DTCP/0.7\n"
	    "Csource-ID: verint\nFlags: both\nSeq: 8\n"), 200);
	fx_free(j);
	fx_free(f);
}

/* ---- drops ---- */

static void
test_tasking_drop_497(void **state)
{
	struct fx *f = fx_new(NULL, FT_PROFILE_FLOWTAP);
	int sid = open_s(f, "s", "verint", "verint123");

	(void)state;
	/* 497 says whether the MAC was missing, wrong or in upper case. */
	assert_dropped(f, send_mac(f, sid, SEED_ADD_HEAD "Seq: 1\n", 1), 497);
	assert_string_equal(ft_rules_get(last_log(f)->rule)->id,
	    "DTCP-AUTH-MAC-MISSING");
	assert_string_equal(f->out, "");
	assert_dropped(f, send_mac(f, sid, SEED_ADD_HEAD "Seq: 2\n", 2), 497);
	assert_string_equal(ft_rules_get(last_log(f)->rule)->id,
	    "DTCP-AUTH-MAC-WRONG");
	assert_dropped(f, send_mac(f, sid, SEED_ADD_HEAD "Seq: 3\n", 3), 497);
	assert_string_equal(ft_rules_get(last_log(f)->rule)->id,
	    "DTCP-AUTH-MAC-CASE");
	assert_int_equal(ft_classify_count(ft_tasking_table(f->t)), 0);
	/* A dropped request does not consume its Seq. */
	assert_int_equal(send_msg(f, sid, SEED_ADD_HEAD "Seq: 1\n"), 200);
	fx_free(f);
}

static void
test_tasking_drop_499(void **state)
{
	struct fx *f = fx_new(two_leas_conf, FT_PROFILE_FLOWTAP);
	int sv = open_s(f, "v", "verint", "verint123");
	int sw = open_s(f, "w", "viewer", "viewpass");

	(void)state;
	/* Csource-ID other than the login user (even another LEA's). */
	assert_dropped(f, add_v4(f, sv, "lea2", 1), 499);
	assert_string_equal(ft_rules_get(last_log(f)->rule)->id,
	    "DTCP-AUTH-CSOURCE-USER");
	/* Case-sensitive. */
	assert_dropped(f, add_v4(f, sv, "Verint", 1), 499);
	/* Missing Csource-ID. */
	assert_dropped(f, send_msg(f, sv, "LIST DTCP/0.7\nSeq: 1\n"), 499);
	assert_string_equal(ft_rules_get(last_log(f)->rule)->id,
	    "DTCP-AUTH-CSOURCE-MISSING");
	/* A user without flow-tap-operation. */
	assert_dropped(f, add_v4(f, sw, "viewer", 1), 499);
	assert_string_equal(ft_rules_get(last_log(f)->rule)->id,
	    "DTCP-AUTH-PERMISSION");
	/* A closed session. */
	assert_int_equal(ft_tasking_close(f->t, sv, f->now), 0);
	assert_dropped(f, add_v4(f, sv, "verint", 1), 499);
	assert_string_equal(ft_rules_get(last_log(f)->rule)->id,
	    "DTCP-AUTH-NO-SESSION");
	assert_int_equal(ft_tasking_close(f->t, sv, f->now), FT_ENOENT);
	assert_int_equal(ft_classify_count(ft_tasking_table(f->t)), 0);
	fx_free(f);
}

/* The kind-th last log record of kind (1: the last). */
static const struct logrec *
last_of(const struct fx *f, enum ft_event_kind kind, unsigned nth)
{
	unsigned i;

	for (i = f->nlog; i-- > 0;)
		if (f->log[i].kind == kind && --nth == 0)
			return &f->log[i];
	fail_msg("no such log record");
	return NULL;
}

/*
 * Issue 10: every non-200 reply and every drop names its rule and the
 * plain reason in the log (the wire reply is unchanged); request lines
 * name their origin; a typo of an X-JTap name is a warning; a DELETE of
 * an id from before a restart is the restart's rule.
 */
static void
test_tasking_rules_named(void **state)
{
	struct fx *f = fx_new(NULL, FT_PROFILE_FLOWTAP);
	int sid = open_s(f, "s", "verint", "verint123");
	const struct logrec *l;

	(void)state;
	/* SPEC 3: no STATIC, 433; the reply itself is the usual one. */
	assert_int_equal(send_msg(f, sid, SEED_ADD_HEAD "Seq: 1\n"), 200);
	assert_int_equal(last_log(f)->rule, FT_RULES_NONE);
	assert_int_equal(send_msg(f, sid, "ADD DTCP/0.7\n"
	    "Csource-ID: verint\nCdest-ID: cd1\n"
	    "X-JTap-Cdest-Dest-Address: 192.168.3.2\n"
	    "X-JTap-Cdest-Dest-Port: 1814\n"
	    "X-JTap-Cdest-Source-Address: 10.209.74.183\n"
	    "X-JTap-Cdest-Source-Port: 65534\nSeq: 2\n"), 433);
	l = last_log(f);
	assert_int_equal(l->kind, FT_EV_REPLY);
	assert_string_equal(ft_rules_get(l->rule)->id, "DTCP-ADD-STATIC");
	assert_string_equal(l->reason,
	    "flow-tap criteria must carry Flags: STATIC");
	assert_error(f, "DTCP/0.7 433 Improper Timeout Specification", "2",
	    "Flags");

	/* The typo: a warning, the request still accepted. */
	assert_int_equal(send_msg(f, sid, SEED_ADD_HEAD
	    "X-JTap-Cdest-TL: 64\nSeq: 3\n"), 200);
	l = last_of(f, FT_EV_WARN, 1);
	assert_string_equal(ft_rules_get(l->rule)->id, "DTCP-PARAM-X-NEAR");
	assert_non_null(strstr(l->reason, "X-JTap-Cdest-TTL"));
	assert_int_equal(ft_tasking_stats(f->t)->x_near, 1);
	assert_non_null(strstr(ft_tasking_stats(f->t)->x_near_first,
	    "'X-JTap-Cdest-TL'"));

	/* Origins: the caller's word, else the session's peer. */
	assert_int_equal(ft_tasking_request_from(f->t, sid, "script=x:7",
	    "LIST DTCP/0.7\r\n\r\n", 17, f->now, f->r), 0);
	assert_string_equal(last_of(f, FT_EV_REQUEST, 1)->origin,
	    "script=x:7");
	assert_string_equal(ft_rules_get(last_log(f)->rule)->id,
	    "DTCP-AUTH-MAC-MISSING");
	assert_int_equal(ft_tasking_close(f->t, sid, f->now), 0);
	sid = ft_tasking_open(f->t, "p", "verint", NULL, "192.0.2.7", f->now);
	assert_true(sid >= 0);
	assert_int_equal(add_v4(f, sid, "verint", 4), 200);
	assert_string_equal(last_of(f, FT_EV_REQUEST, 1)->origin,
	    "peer=192.0.2.7");

	/* SPEC 5: an id from before a restart is gone (431, its rule). */
	ft_tasking_restart(f->t, "test", f->now);
	sid = open_s(f, "s2", "verint", "verint123");
	assert_int_equal(send_msg(f, sid, "DELETE DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: 1\nFlags: STATIC\n"
	    "Seq: 1\n"), 431);
	assert_string_equal(ft_rules_get(last_log(f)->rule)->id,
	    "DTCP-CRITERIA-ID-RESTART");
	assert_int_equal(send_msg(f, sid, "DELETE DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: 99\nFlags: STATIC\n"
	    "Seq: 2\n"), 431);
	assert_string_equal(ft_rules_get(last_log(f)->rule)->id,
	    "DTCP-CRITERIA-ID-UNKNOWN");
	/* Without explain_mac a 497 has no detail. */
	assert_dropped(f, send_mac(f, sid, SEED_ADD_HEAD "Seq: 9\n", 2), 497);
	assert_string_equal(last_log(f)->detail, "");
	fx_free(f);
}

/* explain_mac: the expected MAC and the bytes it covers, escaped. */
static void
test_tasking_explain_mac(void **state)
{
	struct fx *f = fx_new(NULL, FT_PROFILE_FLOWTAP);
	struct ft_tasking_cfg cfg;
	static const char msg[] = "LIST DTCP/0.7\r\nCsource-ID: verint \r\n"
	    "Seq: 1\r\nAuthentication-Info: "
	    "0000000000000000000000000000000000000000\r\n\r\n";
	char hex[FT_AUTH_HEX_LEN + 1], want[128];
	int sid;

	(void)state;
	ft_tasking_free(f->t);
	memset(&cfg, 0, sizeof(cfg));
	cfg.router = &f->rc;
	cfg.log = logger;
	cfg.log_ctx = f;
	cfg.explain_mac = 1;
	f->t = ft_tasking_new(&cfg);
	assert_non_null(f->t);
	sid = open_s(f, "s", "verint", "verint123");
	assert_int_equal(send_raw(f, sid, msg, strlen(msg)), 0);
	assert_string_equal(ft_rules_get(last_log(f)->rule)->id,
	    "DTCP-AUTH-MAC-WRONG");
	/* The MAC covers lines 1-3 with their CRLFs, 44 bytes (SPEC 2). */
	assert_int_equal(ft_auth_hex(KEY, strlen(KEY), msg, 44, hex), 0);
	snprintf(want, sizeof(want), "expected MAC %s over these 44 bytes:\n",
	    hex);
	assert_int_equal(strncmp(last_log(f)->detail, want, strlen(want)), 0);
	/* The trailing space and the CRLFs are visible. */
	assert_non_null(strstr(last_log(f)->detail,
	    "| Csource-ID: verint\\x20\\r\\n\n| Seq: 1\\r\\n"));
	fx_free(f);
}

static void
test_tasking_seq_flowtap(void **state)
{
	struct fx *f = fx_new(two_leas_conf, FT_PROFILE_FLOWTAP);
	int sv = open_s(f, "v", "verint", "verint123");
	int sv2 = open_s(f, "v2", "verint", "verint123");
	int sl = open_s(f, "l", "lea2", "lea2pass");

	(void)state;
	assert_int_equal(add_v4(f, sv, "verint", 10), 200);
	/* Equal and lower: dropped 498 (SPEC 2). */
	assert_dropped(f, add_v4(f, sv, "verint", 10), 498);
	assert_string_equal(ft_rules_get(last_log(f)->rule)->id,
	    "DTCP-SEQ-STALE");
	assert_non_null(strstr(last_log(f)->reason,
	    "stale sequence number 10 (last 10)"));
	assert_dropped(f, add_v4(f, sv, "verint", 9), 498);
	/* Per control source, not per session. */
	assert_dropped(f, add_v4(f, sv2, "verint", 10), 498);
	assert_int_equal(add_v4(f, sl, "lea2", 1), 200);
	/* Any step up; an answered error still consumes its Seq. */
	assert_int_equal(send_msg(f, sv, "FROB DTCP/0.7\n"
	    "Csource-ID: verint\nSeq: 1000\n"), 501);
	assert_dropped(f, add_v4(f, sv, "verint", 1000), 498);
	assert_int_equal(add_v4(f, sv2, "verint", 1001), 200);
	assert_int_equal(ft_classify_count(ft_tasking_table(f->t)), 3);
	fx_free(f);
}

static void
test_tasking_seq_junos_and_draft(void **state)
{
	struct fx *j = fx_new(NULL, FT_PROFILE_JUNOS);
	struct fx *d = fx_new(NULL, FT_PROFILE_DRAFT);
	int sj = open_s(j, "s", "verint", "verint123");
	int sd = open_s(d, "s", "verint", "verint123");

	(void)state;
	/* junos: Seq not checked. */
	assert_int_equal(add_v4(j, sj, "verint", 5), 200);
	assert_int_equal(add_v4(j, sj, "verint", 5), 200);
	assert_int_equal(add_v4(j, sj, "verint", 1), 200);
	/* draft: first any, then a step of 1..256. */
	assert_int_equal(send_msg(d, sd, "NOOP DTCP/0.7\n"
	    "Csource-ID: verint\nSeq: 1000\n"), 200);
	assert_dropped(d, send_msg(d, sd, "NOOP DTCP/0.7\n"
	    "Csource-ID: verint\nSeq: 1257\n"), 498);
	assert_dropped(d, send_msg(d, sd, "NOOP DTCP/0.7\n"
	    "Csource-ID: verint\nSeq: 1000\n"), 498);
	assert_int_equal(send_msg(d, sd, "NOOP DTCP/0.7\n"
	    "Csource-ID: verint\nSeq: 1256\n"), 200);
	assert_int_equal(send_msg(d, sd, "NOOP DTCP/0.7\n"
	    "Csource-ID: verint\nSeq: 1257\n"), 200);
	fx_free(d);
	fx_free(j);
}

/* ---- DELETE ---- */

static void
test_tasking_delete_selectors(void **state)
{
	struct fx *f = fx_new(two_leas_conf, FT_PROFILE_FLOWTAP);
	int sv = open_s(f, "v", "verint", "verint123");
	int sl = open_s(f, "l", "lea2", "lea2pass");
	struct ft_classify *c = ft_tasking_table(f->t);

	(void)state;
	assert_int_equal(add_v4(f, sv, "verint", 1), 200);	/* 1 */
	assert_int_equal(add_v4(f, sv, "verint", 2), 200);	/* 2 */
	assert_int_equal(add_v4(f, sl, "lea2", 1), 200);	/* 3 */
	assert_int_equal(add_v4(f, sv, "verint", 3), 200);	/* 4 */
	assert_int_equal(send_msg(f, sv, add_body("0.7", "verint", "cdX",
	    "10.0.0.7", "192.168.3.9", 4)), 200);		/* 5 */

	/* 400: both selectors, neither. */
	assert_int_equal(send_msg(f, sv, "DELETE DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: 1\nCdest-ID: cd1\n"
	    "Flags: STATIC\nSeq: 10\n"), 400);
	assert_true(has_line(f, "DTCP/0.7 400 Bad Request"));
	assert_true(has_line(f, "SEQ: 10"));
	assert_int_equal(send_msg(f, sv, "DELETE DTCP/0.7\n"
	    "Csource-ID: verint\nFlags: STATIC\nSeq: 11\n"), 400);
	/* 400: bad syntax. */
	assert_int_equal(send_msg(f, sv, "DELETE DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: one\nSeq: 12\n"), 400);
	assert_int_equal(send_msg(f, sv, "DELETE DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: 1-*-2\nSeq: 13\n"), 400);
	assert_int_equal(send_msg(f, sv, "DELETE DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: !\nSeq: 14\n"), 400);

	/* 431: unknown, another LEA's, and nothing deleted with them. */
	assert_int_equal(send_msg(f, sv, "DELETE DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: 1,77\nFlags: STATIC\n"
	    "Seq: 15\n"), 431);
	assert_error(f, "DTCP/0.7 431 Unknown Criteria ID", "15",
	    "Criteria-ID: 77");
	assert_int_equal(send_msg(f, sv, "DELETE DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: 2,3\nFlags: STATIC\n"
	    "Seq: 16\n"), 431);
	assert_error(f, "DTCP/0.7 431 Unknown Criteria ID", "16",
	    "Criteria-ID: 3");
	assert_int_equal(ft_classify_count(c), 5);
	/* A range holding only another LEA's id. */
	assert_int_equal(send_msg(f, sv, "DELETE DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: 3-3\nFlags: STATIC\n"
	    "Seq: 17\n"), 431);

	/* STATIC without the flag: skipped, 200 with count 0. */
	assert_int_equal(send_msg(f, sv, "DELETE DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: 1\nSeq: 18\n"), 200);
	assert_true(has_line(f, "CRITERIA-COUNT: 0"));
	assert_non_null(ft_classify_get(c, 1));
	/* With it (case-insensitive): 1. */
	assert_int_equal(send_msg(f, sv, "DELETE DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: 1\nFlags: Static\nSeq: 19\n"),
	    200);
	assert_true(has_line(f, "CRITERIA-COUNT: 1"));
	assert_null(ft_classify_get(c, 1));

	/* 430: a Cdest-ID the caller does not use (lea2 uses cd1 too). */
	assert_int_equal(send_msg(f, sl, "DELETE DTCP/0.7\n"
	    "Csource-ID: lea2\nCdest-ID: cdX\nFlags: STATIC\nSeq: 2\n"), 430);
	assert_error(f, "DTCP/0.7 430 Unknown Content Destination", "2",
	    "Cdest-ID: cdX");
	assert_int_equal(send_msg(f, sv, "DELETE DTCP/0.7\n"
	    "Csource-ID: verint\nCdest-ID: cd1,cdX\nFlags: STATIC\n"
	    "Seq: 20\n"), 400);
	/* By Cdest-ID: only the caller's criteria naming it. */
	assert_int_equal(send_msg(f, sv, "DELETE DTCP/0.7\n"
	    "Csource-ID: verint\nCdest-ID: cd1\nFlags: STATIC\nSeq: 21\n"),
	    200);
	assert_true(has_line(f, "CRITERIA-COUNT: 2"));
	assert_null(ft_classify_get(c, 2));
	assert_null(ft_classify_get(c, 4));
	assert_non_null(ft_classify_get(c, 3));
	assert_non_null(ft_classify_get(c, 5));

	/* A range selects the caller's ids inside it. */
	assert_int_equal(add_v4(f, sv, "verint", 22), 200);	/* 6 */
	assert_int_equal(send_msg(f, sv, "DELETE DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: 2-100\nFlags: STATIC\n"
	    "Seq: 23\n"), 200);
	assert_true(has_line(f, "CRITERIA-COUNT: 2"));
	assert_int_equal(ft_classify_count(c), 1);
	assert_non_null(ft_classify_get(c, 3));
	fx_free(f);
}

/* ---- LIST and isolation ---- */

/* The CRITERIA-ID lines of f->out, as "a,b,c" into out. */
static const char *
listed_ids(const struct fx *f)
{
	static char out[512];
	const char *p = f->out;
	size_t n = 0;

	out[0] = '\0';
	while ((p = strstr(p, "\r\nCRITERIA-ID: ")) != NULL) {
		p += 15;
		if (n > 0)
			out[n++] = ',';
		while (*p >= '0' && *p <= '9' && n < sizeof(out) - 2)
			out[n++] = *p++;
		out[n] = '\0';
	}
	return out;
}

static int
list_sel(struct fx *f, int sid, const char *cs, const char *sel,
    uint64_t seq)
{
	return send_msg(f, sid, fmt("LIST DTCP/0.7\nCsource-ID: %s\n"
	    "Criteria-ID: %s\nSeq: %llu\n", cs, sel,
	    (unsigned long long)seq));
}

/* SPEC 3: the draft's N-*, *-N, * and !N, over the caller's own criteria. */
static void
test_tasking_criteria_id_forms(void **state)
{
	struct fx *f = fx_new(two_leas_conf, FT_PROFILE_FLOWTAP);
	int sv = open_s(f, "v", "verint", "verint123");
	int sl = open_s(f, "l", "lea2", "lea2pass");
	struct ft_classify *c = ft_tasking_table(f->t);

	(void)state;
	assert_int_equal(add_v4(f, sv, "verint", 1), 200);	/* 1 */
	assert_int_equal(add_v4(f, sv, "verint", 2), 200);	/* 2 */
	assert_int_equal(add_v4(f, sl, "lea2", 1), 200);	/* 3 */
	assert_int_equal(add_v4(f, sv, "verint", 3), 200);	/* 4 */
	assert_int_equal(add_v4(f, sv, "verint", 4), 200);	/* 5 */

	assert_int_equal(list_sel(f, sv, "verint", "2-*", 10), 200);
	assert_string_equal(listed_ids(f), "2,4,5");
	assert_int_equal(list_sel(f, sv, "verint", "*-3", 11), 200);
	assert_string_equal(listed_ids(f), "1,2");
	assert_int_equal(list_sel(f, sv, "verint", "!4", 12), 200);
	assert_string_equal(listed_ids(f), "1,2,5");
	assert_int_equal(list_sel(f, sv, "verint", "*", 13), 200);
	assert_string_equal(listed_ids(f), "1,2,4,5");
	assert_int_equal(list_sel(f, sv, "verint", "1-4, !2", 14), 200);
	assert_string_equal(listed_ids(f), "1,4");
	/* An open form may select nothing; an explicit id may not. */
	assert_int_equal(list_sel(f, sv, "verint", "6-*", 15), 200);
	assert_true(has_line(f, "CRITERIA-COUNT: 0"));
	assert_int_equal(list_sel(f, sv, "verint", "3", 16), 431);
	assert_error(f, "DTCP/0.7 431 Unknown Criteria ID", "16",
	    "Criteria-ID: 3");
	assert_int_equal(list_sel(f, sl, "lea2", "*", 2), 200);
	assert_string_equal(listed_ids(f), "3");

	/* DELETE !1: verint's 2, 4 and 5; lea2's 3 stays. */
	assert_int_equal(send_msg(f, sv, "DELETE DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: !1\nFlags: STATIC\n"
	    "Seq: 17\n"), 200);
	assert_true(has_line(f, "CRITERIA-COUNT: 3"));
	assert_int_equal(ft_classify_count(c), 2);
	assert_non_null(ft_classify_get(c, 1));
	assert_non_null(ft_classify_get(c, 3));
	/* DELETE * by lea2: its own only. */
	assert_int_equal(send_msg(f, sl, "DELETE DTCP/0.7\n"
	    "Csource-ID: lea2\nCriteria-ID: *\nFlags: STATIC\nSeq: 3\n"),
	    200);
	assert_true(has_line(f, "CRITERIA-COUNT: 1"));
	assert_non_null(ft_classify_get(c, 1));
	assert_null(ft_classify_get(c, 3));
	/* Nothing left of lea2's: * deletes nothing, 200. */
	assert_int_equal(send_msg(f, sl, "DELETE DTCP/0.7\n"
	    "Csource-ID: lea2\nCriteria-ID: *\nFlags: STATIC\nSeq: 4\n"),
	    200);
	assert_true(has_line(f, "CRITERIA-COUNT: 0"));
	fx_free(f);
}

static const char *draft_add(uint64_t seq, const char *timeouts);

/* SPEC 3: profile draft's empty selections and STATIC with timeouts. */
static void
test_tasking_draft_follows_draft(void **state)
{
	struct fx *d = fx_new(NULL, FT_PROFILE_DRAFT);
	struct fx *j = fx_new(NULL, FT_PROFILE_FLOWTAP);
	int sd = open_s(d, "s", "verint", "verint123");
	int sj = open_s(j, "s", "verint", "verint123");
	static const char del_id[] = "DELETE DTCP/0.7\nCsource-ID: verint\n"
	    "Criteria-ID: 9\nSeq: %d\n";
	static const char del_cd[] = "DELETE DTCP/0.7\nCsource-ID: verint\n"
	    "Cdest-ID: nope\nSeq: %d\n";

	(void)state;
	/* Selecting nothing: draft 200 count 0, flowtap 431 / 430. */
	assert_int_equal(send_msg(d, sd, fmt(del_id, 1)), 200);
	assert_true(has_line(d, "CRITERIA-COUNT: 0"));
	assert_int_equal(send_msg(d, sd, fmt(del_cd, 2)), 200);
	assert_true(has_line(d, "CRITERIA-COUNT: 0"));
	assert_int_equal(send_msg(j, sj, fmt(del_id, 1)), 431);
	assert_int_equal(send_msg(j, sj, fmt(del_cd, 2)), 430);

	/* STATIC ignores timeouts, even unreadable ones (D03 5.4.1). */
	assert_int_equal(send_msg(d, sd, draft_add(3, "Flags: STATIC\n"
	    "Timeout-Total: abc\nTimeout-Idle: 5\n")), 200);
	assert_int_equal(ft_classify_at(ft_tasking_table(d->t), 0)->
	    timeout_idle_ns, 0);
	/* Without STATIC a bad timeout is still 433. */
	assert_int_equal(send_msg(d, sd, draft_add(4,
	    "Timeout-Total: abc\n")), 433);
	/* Profile flowtap keeps its answer: no timeouts at all (433). */
	assert_int_equal(send_msg(j, sj, draft_add(3, "Flags: STATIC\n"
	    "Timeout-Idle: 5\n")), 433);
	fx_free(d);
	fx_free(j);
}

static void
test_tasking_list_layout(void **state)
{
	struct fx *f = fx_new(NULL, FT_PROFILE_FLOWTAP);
	int sid = open_s(f, "s", "verint", "verint123");

	(void)state;
	assert_int_equal(send_msg(f, sid, SEED_ADD_HEAD "Seq: 1\n"), 200);
	f->now = T1;
	assert_int_equal(send_msg(f, sid, "LIST DTCP/0.7\n"
	    "Csource-ID: verint\nFlags: BOTH\nSeq: 2\n"), 200);
	/* docs/dtcp.md: the LIST layout. */
	assert_prefix(f,
	    "DTCP/0.7 200 OK\r\n"
	    "SEQ: 2\r\n"
	    "CRITERIA-COUNT: 1\r\n"
	    "TIMESTAMP: 2011-02-13 16:00:02.802\r\n"
	    "CRITERIA-NUM: 1\r\n"
	    "CRITERIA-ID: 1\r\n"
	    "CSOURCE-ID: verint\r\n"
	    "CDEST-ID: cd1\r\n"
	    "FLAGS: Static\r\n"
	    "SOURCE-ADDRESS: *\r\n"
	    "DEST-ADDRESS: *\r\n"
	    "SOURCE-PORT: *\r\n"
	    "DEST-PORT: *\r\n"
	    "PROTOCOL: 17\r\n"
	    "X-JTAP-CDEST-DEST-ADDRESS: 192.168.3.2\r\n"
	    "X-JTAP-CDEST-DEST-PORT: 1814\r\n"
	    "X-JTAP-CDEST-SOURCE-ADDRESS: 10.209.74.183\r\n"
	    "X-JTAP-CDEST-SOURCE-PORT: 65534\r\n"
	    "X-JTAP-CDEST-TTL: 255\r\n"
	    "MATCHING-PACKETS: 0\r\n"
	    "MATCHING-BYTES: 0\r\n"
	    "LAST-REFRESH: " TS0 "\r\n"
	    "AUTHENTICATION-INFO: ");
	assert_reply_mac(f);

	/* Counters the data path keeps show up. */
	ft_classify_get(ft_tasking_table(f->t), 1)->match_packets = 12;
	ft_classify_get(ft_tasking_table(f->t), 1)->match_bytes = 3456;
	assert_int_equal(send_msg(f, sid, "LIST DTCP/0.7\n"
	    "Csource-ID: verint\nSeq: 3\n"), 200);
	assert_true(has_line(f, "MATCHING-PACKETS: 12"));
	assert_true(has_line(f, "MATCHING-BYTES: 3456"));
	/* Selectors. */
	assert_int_equal(send_msg(f, sid, "LIST DTCP/0.7\n"
	    "Csource-ID: verint\nCdest-ID: nope\nSeq: 4\n"), 200);
	assert_true(has_line(f, "CRITERIA-COUNT: 0"));
	assert_null(line_with(f, "CRITERIA-NUM"));
	assert_int_equal(send_msg(f, sid, "LIST DTCP/0.7\n"
	    "Csource-ID: verint\nCdest-ID: a,b\nSeq: 5\n"), 400);
	f->now = T0;
	assert_int_equal(send_msg(f, sid, "LIST DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: 2\nSeq: 6\n"), 431);
	assert_error(f, "DTCP/0.7 431 Unknown Criteria ID", "6",
	    "Criteria-ID: 2");
	fx_free(f);
}

/* Nothing of verint's appears in anything lea2 gets back. */
static void
assert_no_leak(const struct fx *f)
{
	static const char *const secret[] = {
		"verint", "cdV", "10.1.1.1", "203.0.113.5", "CRITERIA-ID: 1\r",
		"CRITERIA-ID: 2\r", "CRITERIA-COUNT: 2",
	};
	size_t i;

	for (i = 0; i < sizeof(secret) / sizeof(secret[0]); i++)
		if (strstr(f->out, secret[i]) != NULL)
			fail_msg("reply leaks '%s':\n%s", secret[i], f->out);
}

static void
test_tasking_lea_isolation(void **state)
{
	struct fx *f = fx_new(two_leas_conf, FT_PROFILE_FLOWTAP);
	int sv = open_s(f, "v", "verint", "verint123");
	int sl = open_s(f, "l", "lea2", "lea2pass");

	(void)state;
	assert_int_equal(send_msg(f, sv, add_body("0.7", "verint", "cdV",
	    "10.1.1.1", "203.0.113.5", 1)), 200);		/* 1 */
	assert_int_equal(send_msg(f, sv, add_body("0.7", "verint", "cdV",
	    "10.1.1.2", "203.0.113.5", 2)), 200);		/* 2 */
	assert_int_equal(send_msg(f, sl, add_body("0.7", "lea2", "cdL",
	    "198.51.100.77", "172.16.9.9", 1)), 200);		/* 3 */
	assert_no_leak(f);
	assert_true(has_line(f, "CRITERIA-ID: 3"));

	assert_int_equal(send_msg(f, sl, "LIST DTCP/0.7\n"
	    "Csource-ID: lea2\nSeq: 2\n"), 200);
	assert_no_leak(f);
	assert_true(has_line(f, "CRITERIA-COUNT: 1"));
	assert_true(has_line(f, "CRITERIA-ID: 3"));
	assert_true(has_line(f, "CDEST-ID: cdL"));
	assert_true(has_line(f, "SOURCE-ADDRESS: 198.51.100.77"));

	assert_int_equal(send_msg(f, sl, "LIST DTCP/0.7\n"
	    "Csource-ID: lea2\nCdest-ID: cdV\nSeq: 3\n"), 200);
	assert_no_leak(f);
	assert_true(has_line(f, "CRITERIA-COUNT: 0"));
	assert_int_equal(send_msg(f, sl, "LIST DTCP/0.7\n"
	    "Csource-ID: lea2\nCriteria-ID: 1\nSeq: 4\n"), 431);
	assert_no_leak(f);
	assert_int_equal(send_msg(f, sl, "LIST DTCP/0.7\n"
	    "Csource-ID: lea2\nCriteria-ID: 1-2\nSeq: 5\n"), 431);
	assert_no_leak(f);
	/* An id of another LEA reads exactly like one that never existed. */
	assert_error(f, "DTCP/0.7 431 Unknown Criteria ID", "5",
	    "Criteria-ID: 1-2");
	assert_int_equal(send_msg(f, sl, "DELETE DTCP/0.7\n"
	    "Csource-ID: lea2\nCriteria-ID: 1\nFlags: STATIC\nSeq: 6\n"),
	    431);
	assert_no_leak(f);
	assert_int_equal(send_msg(f, sl, "DELETE DTCP/0.7\n"
	    "Csource-ID: lea2\nCriteria-ID: 1-2\nFlags: STATIC\nSeq: 7\n"),
	    431);
	assert_no_leak(f);
	/*
	 * verint's Cdest-ID: the same 430 as for one nobody uses, only
	 * the caller's own item echoed.
	 */
	assert_int_equal(send_msg(f, sl, "DELETE DTCP/0.7\n"
	    "Csource-ID: lea2\nCdest-ID: cdV\nFlags: STATIC\nSeq: 8\n"), 430);
	assert_error(f, "DTCP/0.7 430 Unknown Content Destination", "8",
	    "Cdest-ID: cdV");
	assert_int_equal(send_msg(f, sl, "FROB DTCP/0.7\n"
	    "Csource-ID: lea2\nSeq: 9\n"), 501);
	assert_no_leak(f);
	assert_int_equal(send_msg(f, sl, "DELETE DTCP/0.7\n"
	    "Csource-ID: lea2\nCriteria-ID: 1-100\nFlags: STATIC\n"
	    "Seq: 10\n"), 200);
	assert_no_leak(f);
	assert_true(has_line(f, "CRITERIA-COUNT: 1"));
	/* verint's criteria are untouched. */
	assert_non_null(ft_classify_get(ft_tasking_table(f->t), 1));
	assert_non_null(ft_classify_get(ft_tasking_table(f->t), 2));
	assert_null(ft_classify_get(ft_tasking_table(f->t), 3));
	fx_free(f);
}

/* ---- restart ---- */

static void
test_tasking_restart(void **state)
{
	struct fx *f = fx_new(NULL, FT_PROFILE_FLOWTAP);
	int sid = open_s(f, "s", "verint", "verint123");
	unsigned i, closes = 0, restarts = 0;

	(void)state;
	assert_int_equal(send_msg(f, sid, SEED_ADD_HEAD "Seq: 10\n"), 200);
	f->nlog = 0;
	ft_tasking_restart(f->t, "pic reboot", f->now);
	for (i = 0; i < f->nlog; i++) {
		if (f->log[i].kind == FT_EV_RESTART) {
			restarts++;
			assert_string_equal(f->log[i].reason, "pic reboot");
			assert_int_equal(i, 0);
		}
		if (f->log[i].kind == FT_EV_CLOSE) {
			closes++;
			assert_string_equal(f->log[i].reason, "restart");
		}
	}
	assert_int_equal(restarts, 1);
	assert_int_equal(closes, 1);
	assert_int_equal(ft_classify_count(ft_tasking_table(f->t)), 0);
	assert_int_equal(ft_tasking_find(f->t, "s"), -1);
	/* The old session is gone. */
	assert_dropped(f, send_msg(f, sid, SEED_ADD_HEAD "Seq: 11\n"), 499);

	/* Reconnect and replay unchanged: the same Seq is accepted. */
	sid = open_s(f, "s", "verint", "verint123");
	assert_int_equal(send_msg(f, sid, SEED_ADD_HEAD "Seq: 10\n"), 200);
	assert_true(has_line(f, "CRITERIA-ID: 2"));
	/* The old id is unknown after the restart. */
	assert_int_equal(send_msg(f, sid, "DELETE DTCP/0.6\n"
	    "Csource-ID: verint\nCriteria-ID: 1\nFlags: STATIC\nSeq: 11\n"),
	    431);
	assert_error(f, "DTCP/0.6 431 Unknown Criteria ID", "11",
	    "Criteria-ID: 1");
	assert_int_equal(ft_tasking_stats(f->t)->restarts, 1);
	fx_free(f);
}

/* ---- sessions ---- */

static void
test_tasking_session_refusals(void **state)
{
	struct fx *f = fx_new(NULL, FT_PROFILE_FLOWTAP);
	char name[16];
	int sids[5], i, sid;

	(void)state;
	assert_int_equal(ft_tasking_open(f->t, "x", "verint", "wrong", NULL,
	    f->now), -1);
	assert_int_equal(last_log(f)->kind, FT_EV_REFUSE);
	assert_string_equal(last_log(f)->reason,
	    "authentication failed for user 'verint'");
	assert_int_equal(ft_tasking_open(f->t, "x", "nobody", NULL, NULL,
	    f->now), -1);
	assert_string_equal(last_log(f)->reason,
	    "authentication failed for user 'nobody'");

	/* The seed: connection-limit 5, rate-limit 5. */
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		sids[i] = ft_tasking_open(f->t, name, "verint",
		    i == 0 ? NULL : "verint123", "172.24.18.168", f->now);
		assert_true(sids[i] >= 0);
		assert_int_equal(last_log(f)->kind, FT_EV_OPEN);
		assert_string_equal(last_log(f)->reason, "from 172.24.18.168");
		f->now += SEC;
	}
	assert_int_equal(ft_tasking_find(f->t, "s3"), sids[3]);
	assert_int_equal(ft_tasking_open(f->t, "s0", "verint", "verint123",
	    NULL, f->now), -1);
	assert_string_equal(last_log(f)->reason, "session 's0' already open");
	assert_int_equal(ft_tasking_open(f->t, "s5", "verint", "verint123",
	    NULL, f->now), -1);
	assert_string_equal(last_log(f)->reason,
	    "connection-limit 5 reached");

	/* Room for one more, but 5 were opened in the last minute. */
	assert_int_equal(ft_tasking_close(f->t, sids[4], f->now), 0);
	assert_int_equal(last_log(f)->kind, FT_EV_CLOSE);
	assert_int_equal(ft_tasking_open(f->t, "s5", "verint", "verint123",
	    NULL, f->now), -1);
	assert_string_equal(last_log(f)->reason,
	    "rate-limit 5 per minute reached");
	/* The first open was at T0: at T0 + 60 s it left the window. */
	f->now = T0 + 60 * SEC - 1;
	assert_int_equal(ft_tasking_open(f->t, "s5", "verint", "verint123",
	    NULL, f->now), -1);
	f->now = T0 + 60 * SEC;
	sid = ft_tasking_open(f->t, "s5", "verint", "verint123", NULL, f->now);
	assert_true(sid >= 0);
	assert_int_equal(ft_tasking_stats(f->t)->sessions_opened, 6);
	assert_int_equal(ft_tasking_stats(f->t)->sessions_refused, 6);
	fx_free(f);
}

/*
 * A login authenticated by the caller (serve's SSH, replay --radius):
 * ft_tasking_open_as with the login's permissions. A RADIUS-only user is
 * a control source; without flow-tap-operation its requests are 499.
 */
static void
test_tasking_open_as_permissions(void **state)
{
	struct fx *f = fx_new(NULL, FT_PROFILE_FLOWTAP);
	int sid;

	(void)state;
	sid = ft_tasking_open_as(f->t, "r1", "Bob", FT_PERM_FLOW_TAP_OPERATION,
	    "admitted by radius", "192.0.2.7", f->now);
	assert_true(sid >= 0);
	assert_int_equal(last_log(f)->kind, FT_EV_OPEN);
	assert_string_equal(last_log(f)->reason,
	    "from 192.0.2.7; admitted by radius");
	assert_int_equal(add_v4(f, sid, "Bob", 1), 200);
	/* Admitted, but without the permission: dropped 499. */
	sid = ft_tasking_open_as(f->t, "r2", "carol", FT_PERM_FLOW_TAP, NULL,
	    NULL, f->now);
	assert_true(sid >= 0);
	assert_string_equal(last_log(f)->reason, "");
	assert_int_equal(add_v4(f, sid, "carol", 1), 0);
	assert_int_equal(last_log(f)->code, 499);
	/* A configured user's class does not matter: the login's bits do. */
	sid = ft_tasking_open_as(f->t, "r3", "verint", 0, "admitted by radius",
	    NULL, f->now);
	assert_int_equal(add_v4(f, sid, "verint", 1), 0);
	assert_int_equal(last_log(f)->code, 499);
	ft_tasking_refuse(f->t, "r4", "Bob", "authentication failed (radius "
	    "127.0.0.1:1812 rejected)", f->now);
	assert_int_equal(last_log(f)->kind, FT_EV_REFUSE);
	assert_string_equal(last_log(f)->reason, "authentication failed "
	    "(radius 127.0.0.1:1812 rejected)");
	assert_int_equal(ft_tasking_open_as(f->t, "r5", "", 0, NULL, NULL,
	    f->now), -1);
	fx_free(f);
}

/* ---- profile draft: REFRESH, NOOP, timeouts ---- */

static const char *
draft_add(uint64_t seq, const char *timeouts)
{
	return fmt("ADD DTCP/0.7\nCsource-ID: verint\nCdest-ID: cd1\n"
	    "%s"
	    "X-JTap-Cdest-Dest-Address: 192.168.3.2\n"
	    "X-JTap-Cdest-Dest-Port: 1814\n"
	    "X-JTap-Cdest-Source-Address: 10.209.74.183\n"
	    "X-JTap-Cdest-Source-Port: 65534\nSeq: %llu\n", timeouts,
	    (unsigned long long)seq);
}

static void
test_tasking_draft_refresh_noop(void **state)
{
	struct fx *f = fx_new(NULL, FT_PROFILE_DRAFT);
	int sid = open_s(f, "s", "verint", "verint123");
	struct ft_classify *c = ft_tasking_table(f->t);

	(void)state;
	assert_int_equal(send_msg(f, sid, "NOOP DTCP/0.7\n"
	    "Csource-ID: verint\nSeq: 1\n"), 200);
	assert_string_equal(f->out + strlen(f->out) - 4, "\r\n\r\n");
	assert_prefix(f, "DTCP/0.7 200 OK\r\nSEQ: 1\r\n"
	    "TIMESTAMP: " TS0 "\r\nAUTHENTICATION-INFO: ");
	/* No timeout and no STATIC: 433. */
	assert_int_equal(send_msg(f, sid, draft_add(2, "")), 433);
	assert_int_equal(send_msg(f, sid, draft_add(3,
	    "Timeout-Total: 10\n")), 200);			/* 1 */
	assert_int_equal(send_msg(f, sid, draft_add(4,
	    "Flags: STATIC\n")), 200);				/* 2 */

	/* REFRESH: all-zero timeouts -> 433; unknown id -> 431. */
	assert_int_equal(send_msg(f, sid, "REFRESH DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: 1\nTimeout-Idle: 0\n"
	    "Seq: 5\n"), 433);
	/* The draft: a REFRESH selecting nothing is 200 with count 0. */
	assert_int_equal(send_msg(f, sid, "REFRESH DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: 9\nTimeout-Idle: 5\n"
	    "Seq: 6\n"), 200);
	assert_true(has_line(f, "CRITERIA-COUNT: 0"));
	/* Criteria 1 and 2: only the non-STATIC one is refreshed. */
	f->now = T0 + 5 * SEC;
	assert_int_equal(send_msg(f, sid, "REFRESH DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: 1-2\nTimeout-Total: 20\n"
	    "Seq: 7\n"), 200);
	assert_true(has_line(f, "CRITERIA-COUNT: 1"));

	/* Total 20 s from the refresh at T0 + 5 s. */
	ft_tasking_tick(f->t, T0 + 24 * SEC);
	assert_non_null(ft_classify_get(c, 1));
	ft_tasking_tick(f->t, T0 + 25 * SEC);
	assert_null(ft_classify_get(c, 1));
	assert_int_equal(last_log(f)->kind, FT_EV_EXPIRE);
	assert_string_equal(last_log(f)->reason,
	    "criterion 1 expired (total)");
	/* STATIC never expires. */
	ft_tasking_tick(f->t, T0 + 100000 * SEC);
	assert_non_null(ft_classify_get(c, 2));
	fx_free(f);
}

static void
test_tasking_draft_expiry_kinds(void **state)
{
	struct fx *f = fx_new(NULL, FT_PROFILE_DRAFT);
	int sid = open_s(f, "s", "verint", "verint123");
	struct ft_classify *c = ft_tasking_table(f->t);
	struct ft_rule *r;

	(void)state;
	assert_int_equal(send_msg(f, sid, draft_add(1,
	    "Timeout-Idle: 10\n")), 200);			/* 1 */
	assert_int_equal(send_msg(f, sid, draft_add(2,
	    "Timeout-Packets: 3\n")), 200);			/* 2 */
	assert_int_equal(send_msg(f, sid, draft_add(3,
	    "Timeout-Bytes: 1000\n")), 200);			/* 3 */

	/* A match at +8 s keeps the idle one alive until +18 s. */
	r = ft_classify_get(c, 1);
	assert_non_null(r);
	r->last_match_ns = T0 + 8 * SEC;
	ft_tasking_tick(f->t, T0 + 17 * SEC);
	assert_non_null(ft_classify_get(c, 1));
	ft_tasking_tick(f->t, T0 + 18 * SEC);
	assert_null(ft_classify_get(c, 1));
	assert_string_equal(last_log(f)->reason, "criterion 1 expired (idle)");

	r = ft_classify_get(c, 2);
	r->match_packets = 2;
	ft_tasking_tick(f->t, T0 + 19 * SEC);
	assert_non_null(ft_classify_get(c, 2));
	r->match_packets = 3;
	ft_tasking_tick(f->t, T0 + 19 * SEC);
	assert_null(ft_classify_get(c, 2));
	assert_string_equal(last_log(f)->reason,
	    "criterion 2 expired (packets)");

	r = ft_classify_get(c, 3);
	r->match_bytes = 1000;
	ft_tasking_tick(f->t, T0 + 19 * SEC);
	assert_null(ft_classify_get(c, 3));
	assert_string_equal(last_log(f)->reason,
	    "criterion 3 expired (bytes)");
	/* Non-STATIC ones are deleted without the flag. */
	assert_int_equal(send_msg(f, sid, draft_add(4,
	    "Timeout-Idle: 10\n")), 200);			/* 4 */
	assert_int_equal(send_msg(f, sid, "DELETE DTCP/0.7\n"
	    "Csource-ID: verint\nCriteria-ID: 4\nSeq: 5\n"), 200);
	assert_true(has_line(f, "CRITERIA-COUNT: 1"));
	fx_free(f);
}

/* ---- stats, profile names ---- */

static void
test_tasking_stats_counts(void **state)
{
	struct fx *f = fx_new(NULL, FT_PROFILE_FLOWTAP);
	int sid = open_s(f, "s", "verint", "verint123");
	const struct ft_tasking_stats *s;
	unsigned i;

	(void)state;
	assert_int_equal(send_msg(f, sid, SEED_ADD_HEAD "Seq: 1\n"), 200);
	assert_int_equal(send_msg(f, sid, SEED_ADD_HEAD "Seq: 2\n"), 200);
	assert_int_equal(send_msg(f, sid, "LIST DTCP/0.7\n"
	    "Csource-ID: verint\nSeq: 3\n"), 200);
	assert_int_equal(send_msg(f, sid, "FROB DTCP/0.7\n"
	    "Csource-ID: verint\nSeq: 4\n"), 501);
	assert_dropped(f, send_mac(f, sid, SEED_ADD_HEAD "Seq: 5\n", 2), 497);
	assert_dropped(f, send_msg(f, sid, SEED_ADD_HEAD "Seq: 1\n"), 498);
	ft_tasking_restart(f->t, "test", f->now);

	s = ft_tasking_stats(f->t);
	assert_true(s->requests[FT_DTCP_M_ADD] == 4);
	assert_true(s->requests[FT_DTCP_M_LIST] == 1);
	assert_true(s->requests[FT_DTCP_M_OTHER] == 1);
	assert_true(s->requests[FT_DTCP_M_DELETE] == 0);
	/* Answered and dropped apart: a 400 can be either (SPEC 2). */
	assert_int_equal(s->replies.n, 2);
	assert_int_equal(s->replies.code[0], 200);
	assert_true(s->replies.count[0] == 3);
	assert_int_equal(s->replies.code[1], 501);
	assert_true(s->replies.count[1] == 1);
	assert_int_equal(s->drops.n, 2);
	for (i = 1; i < s->drops.n; i++)
		assert_true(s->drops.code[i - 1] < s->drops.code[i]);
	assert_int_equal(s->drops.code[0], 497);
	assert_true(s->drops.count[0] == 1);
	assert_int_equal(s->drops.code[1], 498);
	assert_true(s->sessions_opened == 1);
	assert_true(s->sessions_refused == 0);
	assert_true(s->restarts == 1);
	fx_free(f);
}

static void
test_tasking_profile_names(void **state)
{
	enum ft_profile p = FT_PROFILE_FLOWTAP;

	(void)state;
	assert_int_equal(ft_profile_parse("draft", &p), 0);
	assert_int_equal(p, FT_PROFILE_DRAFT);
	assert_string_equal(ft_profile_name(p), "draft");
	assert_int_equal(ft_profile_parse("junos", &p), 0);
	assert_int_equal(p, FT_PROFILE_JUNOS);
	assert_int_equal(ft_profile_parse("flowtap", &p), 0);
	assert_string_equal(ft_profile_name(p), "flowtap");
	assert_int_equal(ft_profile_parse("Junos", &p), FT_EINVAL);
	assert_int_equal(ft_profile_parse("", &p), FT_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tasking_seed_add_accepted),
		cmocka_unit_test(test_tasking_juniper_vectors),
		cmocka_unit_test(test_tasking_add_rejections),
		cmocka_unit_test(test_tasking_chassis_limit),
		cmocka_unit_test(test_tasking_framing_needs_auth),
		cmocka_unit_test(test_tasking_seq_400),
		cmocka_unit_test(test_tasking_version_505),
		cmocka_unit_test(test_tasking_not_implemented_501),
		cmocka_unit_test(test_tasking_drop_497),
		cmocka_unit_test(test_tasking_drop_499),
		cmocka_unit_test(test_tasking_rules_named),
		cmocka_unit_test(test_tasking_explain_mac),
		cmocka_unit_test(test_tasking_seq_flowtap),
		cmocka_unit_test(test_tasking_seq_junos_and_draft),
		cmocka_unit_test(test_tasking_delete_selectors),
		cmocka_unit_test(test_tasking_criteria_id_forms),
		cmocka_unit_test(test_tasking_draft_follows_draft),
		cmocka_unit_test(test_tasking_list_layout),
		cmocka_unit_test(test_tasking_lea_isolation),
		cmocka_unit_test(test_tasking_restart),
		cmocka_unit_test(test_tasking_session_refusals),
		cmocka_unit_test(test_tasking_open_as_permissions),
		cmocka_unit_test(test_tasking_draft_refresh_noop),
		cmocka_unit_test(test_tasking_draft_expiry_kinds),
		cmocka_unit_test(test_tasking_stats_counts),
		cmocka_unit_test(test_tasking_profile_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
