/*
 * test_client.c - flowtap client: reply framing, the reply check (MAC,
 * status, SEQ), JSON strings, and the run loop over a scripted transport
 * with a fake clock (no network, no sleeps).
 *
 * The vectors are published replies (Juniper's documentation, key
 * Juniper; draft-cavuto-dtcp, key secret) whose MACs were recomputed
 * with Python's hmac, not taken from running this code.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "client.h"
#include "dtcp.h"
#include "json.h"
#include "script.h"

#define KEY "Juniper"

/* Vector 8: a Junos ADD reply. */
#define V8 "DTCP/0.7 200 OK\r\nSEQ: 7\r\nCRITERIA-ID: 2\r\n" \
	"TIMESTAMP: 2011-02-13 15:56:49.609\r\n" \
	"AUTHENTICATION-INFO: 4880de4b8cead98c95813fd9b95e240b107d4693\r\n" \
	"\r\n"
/* Vector 7: a Junos DELETE reply. */
#define V7 "DTCP/0.7 200 OK\r\nSEQ: 10\r\nCRITERIA-COUNT: 1\r\n" \
	"TIMESTAMP: 2011-02-13 16:00:02.802\r\n" \
	"AUTHENTICATION-INFO: 2834ff32ec07d84753a046cfb552e072cc27d50b\r\n" \
	"\r\n"
/* Vector 4: the draft's 431 reply, key secret, trailing spaces. */
#define V4 "DTCP/0.6 431 Unknown Criteria ID \r\nCriteria-ID: 55331 \r\n" \
	"Timestamp: 2005-02-02 12:02:02.222 \r\nSeq: 2655371 \r\n" \
	"Authentication-Info: 5de4552e98832c2d2c3a9ffa8a2958c967b4e1e8\r\n" \
	"\r\n"

/* ---- framing ---- */

static void
frame_ok(const char *buf, size_t want_start, size_t want_end)
{
	size_t start, end;

	assert_int_equal(ft_client_reply_frame(buf, strlen(buf), &start,
	    &end), 1);
	assert_int_equal(start, want_start);
	assert_int_equal(end, want_end);
}

static void
frame_more(const char *buf)
{
	size_t start, end;

	assert_int_equal(ft_client_reply_frame(buf, strlen(buf), &start,
	    &end), 0);
}

static void
test_client_frame_whole_reply(void **state)
{
	(void)state;
	frame_ok(V8, 0, strlen(V8));
	/* Two replies in one read: the first only. */
	frame_ok(V8 V7, 0, strlen(V8));
}

static void
test_client_frame_needs_more(void **state)
{
	size_t i, start, end;

	(void)state;
	frame_more("");
	frame_more("DTCP/0.7 200 OK\r\nSEQ: 7\r\n");
	/* The MAC line without the empty line after it. */
	frame_more("DTCP/0.7 200 OK\r\nAUTHENTICATION-INFO: x\r\n");
	/* The empty line's CR but not its LF yet. */
	frame_more("DTCP/0.7 200 OK\r\nAUTHENTICATION-INFO: x\r\n\r");
	/* Every prefix of a reply is incomplete. */
	for (i = 0; i < strlen(V8); i++)
		assert_int_equal(ft_client_reply_frame(V8, i, &start, &end),
		    0);
}

static void
test_client_frame_empty_line_before_mac(void **state)
{
	static const char r[] = "DTCP/0.7 200 OK\r\nSEQ: 1\r\n\r\n"
	    "CRITERIA-NUM: 1\r\nAUTHENTICATION-INFO: x\r\n\r\n";

	(void)state;
	/* An empty line before AUTHENTICATION-INFO does not end it. */
	frame_ok(r, 0, sizeof(r) - 1);
	frame_more("DTCP/0.7 200 OK\r\nSEQ: 1\r\n\r\n");
}

static void
test_client_frame_skips_leading_empty_lines(void **state)
{
	(void)state;
	frame_ok("\r\n\n" V8, 3, 3 + strlen(V8));
	frame_more("\r\n\r\n");
}

static void
test_client_frame_lf_and_lines_after_mac(void **state)
{
	static const char lf[] = "DTCP/0.7 200 OK\nSEQ: 1\n"
	    "Authentication-Info: x\n\nDTCP";
	static const char after[] = "DTCP/0.7 200 OK\r\n"
	    "AUTHENTICATION-INFO: x\r\nX-After: 1\r\n\r\n";

	(void)state;
	frame_ok(lf, 0, sizeof(lf) - 1 - 4);
	/* Lines after the MAC line belong to the reply up to the empty line. */
	frame_ok(after, 0, sizeof(after) - 1);
	/* A name that only starts like it is not it. */
	frame_more("DTCP/0.7 200 OK\r\nAUTHENTICATION-INFOX: x\r\n\r\n");
	frame_more("DTCP/0.7 200 OK\r\nAUTHENTICATION-INFO x\r\n\r\n");
}

/* ---- the reply check ---- */

static void
check(const char *r, const char *key, struct ft_client_reply *out)
{
	ft_client_reply_check(r, strlen(r), key, strlen(key), out);
}

static void
test_client_check_junos_vectors(void **state)
{
	struct ft_client_reply rep;

	(void)state;
	check(V8, KEY, &rep);
	assert_int_equal(rep.code, 200);
	assert_int_equal(rep.version, 7);
	assert_string_equal(rep.reason, "OK");
	assert_int_equal(rep.has_mac, 1);
	assert_int_equal(rep.mac_ok, 1);
	assert_int_equal(rep.has_seq, 1);
	assert_int_equal(rep.seq, 7);
	check(V7, KEY, &rep);
	assert_int_equal(rep.mac_ok, 1);
	assert_int_equal(rep.seq, 10);
	/* Another key: the MAC does not verify. */
	check(V8, "juniper", &rep);
	assert_int_equal(rep.has_mac, 1);
	assert_int_equal(rep.mac_ok, 0);
	assert_int_equal(rep.code, 200);
}

static void
test_client_check_draft_error_vector(void **state)
{
	struct ft_client_reply rep;

	(void)state;
	check(V4, "secret", &rep);
	assert_int_equal(rep.code, 431);
	assert_int_equal(rep.version, 6);
	assert_string_equal(rep.reason, "Unknown Criteria ID");
	assert_int_equal(rep.mac_ok, 1);
	assert_int_equal(rep.has_seq, 1);
	assert_int_equal(rep.seq, 2655371);
}

static void
test_client_check_tampered(void **state)
{
	struct ft_client_reply rep;
	char r[sizeof(V8)];

	(void)state;
	/* One byte of the covered part changed. */
	memcpy(r, V8, sizeof(V8));
	r[strlen("DTCP/0.7 200 OK\r\nSEQ: ")] = '8';
	check(r, KEY, &rep);
	assert_int_equal(rep.mac_ok, 0);
	assert_int_equal(rep.seq, 8);
	/* Upper-case hex is not the MAC (SPEC 2: lower case). */
	memcpy(r, V8, sizeof(V8));
	r[strstr(r, "4880de4b") - r + 4] = 'D';
	check(r, KEY, &rep);
	assert_int_equal(rep.has_mac, 1);
	assert_int_equal(rep.mac_ok, 0);
}

static void
test_client_check_missing_parts(void **state)
{
	struct ft_client_reply rep;

	(void)state;
	check("DTCP/0.7 200 OK\r\nSEQ: 1\r\n\r\n", KEY, &rep);
	assert_int_equal(rep.code, 200);
	assert_int_equal(rep.has_mac, 0);
	assert_int_equal(rep.mac_ok, 0);
	check("DTCP/0.7 200 OK\r\nSEQ: x1\r\nAUTHENTICATION-INFO: 0\r\n\r\n",
	    KEY, &rep);
	assert_int_equal(rep.has_seq, 0);
	/* Status lines that are not one. */
	check("HTTP/1.1 200 OK\r\n\r\n", KEY, &rep);
	assert_int_equal(rep.code, 0);
	check("DTCP/0.7 20 OK\r\n\r\n", KEY, &rep);
	assert_int_equal(rep.code, 0);
	check("DTCP/0.7 2000 OK\r\n\r\n", KEY, &rep);
	assert_int_equal(rep.code, 0);
	check("DTCP/0.7 099 Low\r\n\r\n", KEY, &rep);
	assert_int_equal(rep.code, 0);
	check("DTCP/0.7 200\r\n\r\n", KEY, &rep);
	assert_int_equal(rep.code, 200);
	assert_string_equal(rep.reason, "");
	/* A non-printable reason byte is shown as '?'. */
	check("DTCP/0.7 400 Bad\x1b[0m\r\n\r\n", KEY, &rep);
	assert_string_equal(rep.reason, "Bad?[0m");
}

static void
test_client_check_first_mac_counts(void **state)
{
	struct ft_client_reply rep;
	char r[512];

	(void)state;
	/* Lines after the first AUTHENTICATION-INFO are not looked at. */
	snprintf(r, sizeof(r), "%.*sSEQ: 99\r\nAUTHENTICATION-INFO: 0\r\n\r\n",
	    (int)(strlen(V8) - 2), V8);
	check(r, KEY, &rep);
	assert_int_equal(rep.mac_ok, 1);
	assert_int_equal(rep.seq, 7);
}

/* ---- JSON ---- */

static char *
json(const char *s, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);

	assert_non_null(fp);
	ft_client_json_string(fp, s, len);
	fclose(fp);
	return buf;
}

static void
expect_json(const char *s, size_t len, const char *want)
{
	char *got = json(s, len);

	assert_string_equal(got, want);
	free(got);
}

static void
test_client_json_escapes(void **state)
{
	(void)state;
	expect_json("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
	expect_json("L\r\n\t", 4, "\"L\\r\\n\\t\"");
	expect_json("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\\u007f\"");
	expect_json("nul\0x", 5, "\"nul\\u0000x\"");
	expect_json("", 0, "\"\"");
}

static void
test_client_json_utf8(void **state)
{
	(void)state;
	/* Valid UTF-8 is kept: é, €, U+1F600. */
	expect_json("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9,
	    "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
	/* Invalid: a lone continuation byte, an overlong '/', a surrogate,
	 * a cut sequence, 0xff. Each byte becomes its code point. */
	expect_json("\x80", 1, "\"\\u0080\"");
	expect_json("\xc0\xaf", 2, "\"\\u00c0\\u00af\"");
	expect_json("\xed\xa0\x80", 3, "\"\\u00ed\\u00a0\\u0080\"");
	expect_json("\xe2\x82", 2, "\"\\u00e2\\u0082\"");
	expect_json("\xff", 1, "\"\\u00ff\"");
	expect_json("\xf4\x90\x80\x80", 4,
	    "\"\\u00f4\\u0090\\u0080\\u0080\"");
}

static void
test_client_json_reads_back(void **state)
{
	static const char *const in[] = {
		"DTCP/0.7 200 OK\r\nSEQ: 1\r\n\r\n",
		"quote \" backslash \\ tab \t esc \x1b del \x7f",
		"\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		"",
	};
	struct ft_json *j;
	struct ft_err e;
	size_t i;
	char *out;

	(void)state;
	/* The project's JSON reader (json.c) gives back the same bytes. */
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		out = json(in[i], strlen(in[i]));
		assert_int_equal(ft_json_parse(&j, out, strlen(out), &e), 0);
		assert_int_equal(ft_json_root(j)->type, FT_JSON_STR);
		assert_string_equal(ft_json_str(ft_json_root(j), NULL), in[i]);
		ft_json_free(j);
		free(out);
	}
}

/* ---- the run loop over a fake transport ---- */

#define FAKE_REPLIES_MAX 16

/* What the fake router does for each request, in order. */
enum fake_do { F_REPLY, F_NONE, F_CLOSE };

struct fake {
	uint64_t now;			/* the clock, ns */
	uint64_t slept[8];		/* sleep_until targets */
	unsigned nslept;
	enum fake_do act[FAKE_REPLIES_MAX];
	const char *reply[FAKE_REPLIES_MAX];
	unsigned nsent;			/* requests received */
	char *pending;			/* reply bytes not read yet */
	size_t plen;
	size_t chunk;			/* bytes per recv (0: all) */
	int closed;
	int fail_open;			/* open fails */
	unsigned opens, closes;
	char users[4][32];		/* who opened, in order */
	char passwords[4][32];
	char sent[FAKE_REPLIES_MAX][512];
};

static int
f_open(void *ctx, const char *user, const char *password, void **conn,
    struct ft_err *e)
{
	struct fake *f = ctx;

	if (f->fail_open)
		return ft_err_set(e, FT_EIO, "cannot connect to 'fake'");
	if (f->opens < 4) {
		snprintf(f->users[f->opens], 32, "%s", user);
		snprintf(f->passwords[f->opens], 32, "%s",
		    password != NULL ? password : "(null)");
	}
	f->opens++;
	*conn = f;
	return 0;
}

static int
f_send(void *ctx, void *conn, const void *buf, size_t len, struct ft_err *e)
{
	struct fake *f = ctx;
	unsigned i = f->nsent++;
	const char *r;

	(void)conn;
	if (f->closed)
		return ft_err_set(e, FT_EIO, "the router closed the channel");
	assert_true(i < FAKE_REPLIES_MAX);
	snprintf(f->sent[i], sizeof(f->sent[i]), "%.*s", (int)len,
	    (const char *)buf);
	if (f->act[i] == F_CLOSE) {
		f->closed = 1;
		return 0;
	}
	if (f->act[i] == F_NONE)
		return 0;
	r = f->reply[i];
	f->pending = realloc(f->pending, f->plen + strlen(r));
	assert_non_null(f->pending);
	memcpy(f->pending + f->plen, r, strlen(r));
	f->plen += strlen(r);
	return 0;
}

static int
f_recv(void *ctx, void *conn, void *buf, size_t cap, uint64_t timeout_ns,
    size_t *got, struct ft_err *e)
{
	struct fake *f = ctx;
	size_t n;

	(void)conn;
	*got = 0;
	if (f->plen == 0) {
		if (f->closed)
			return ft_err_set(e, FT_EIO,
			    "the router closed the channel");
		f->now += timeout_ns;	/* nothing came in that time */
		return 0;
	}
	n = f->chunk != 0 && f->chunk < f->plen ? f->chunk : f->plen;
	if (n > cap)
		n = cap;
	memcpy(buf, f->pending, n);
	memmove(f->pending, f->pending + n, f->plen - n);
	f->plen -= n;
	f->now += 1000;
	*got = n;
	return 0;
}

static void
f_close(void *ctx, void *conn)
{
	(void)conn;
	((struct fake *)ctx)->closes++;
}

static uint64_t
f_now(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

static void
f_sleep_until(void *ctx, uint64_t t)
{
	struct fake *f = ctx;

	if (f->nslept < 8)
		f->slept[f->nslept++] = t;
	if (t > f->now)
		f->now = t;
}

static const struct ft_client_ops fake_ops = {
	.open = f_open, .send = f_send, .recv = f_recv, .close = f_close,
	.now = f_now, .sleep_until = f_sleep_until,
};

/* A reply signed with key: code and SEQ seq. Static storage, slot i. */
static const char *
mkreply(unsigned i, int code, unsigned seq, const char *key)
{
	static struct ft_dtcp_reply r[FAKE_REPLIES_MAX];

	ft_dtcp_reply_start(&r[i], FT_DTCP_V07, code);
	ft_dtcp_reply_addu(&r[i], "SEQ", seq);
	ft_dtcp_reply_add(&r[i], "TIMESTAMP", "2011-02-13 15:56:49.609");
	assert_int_equal(ft_dtcp_reply_finish(&r[i], key, strlen(key)), 0);
	r[i].buf[r[i].len] = '\0';
	return r[i].buf;
}

struct run {
	struct ft_script s;
	struct ft_client_opts o;
	struct ft_client_result res;
	struct ft_err e;
	char *out, *note;
	size_t outlen, notelen;
	FILE *outf, *notef;
	int rc;
};

static void
run(struct run *r, struct fake *f, const char *script,
    void (*tweak)(struct ft_client_opts *))
{
	memset(&r->e, 0, sizeof(r->e));
	assert_int_equal(ft_script_parse(&r->s, script, strlen(script),
	    "t.dtcp", KEY, strlen(KEY), &r->e), 0);
	ft_client_opts_default(&r->o);
	r->o.host = "router";
	r->o.user = "lea1";
	r->o.script = "t.dtcp";
	r->outf = open_memstream(&r->out, &r->outlen);
	r->notef = open_memstream(&r->note, &r->notelen);
	r->o.out = r->outf;
	r->o.note = r->notef;
	if (tweak != NULL)
		tweak(&r->o);
	r->rc = ft_client_exec(&r->o, &r->s, "pw1", &fake_ops, f, &r->res,
	    &r->e);
	fclose(r->outf);
	fclose(r->notef);
	free(f->pending);
	f->pending = NULL;
	f->plen = 0;
}

static void
run_free(struct run *r)
{
	ft_script_release(&r->s);
	free(r->out);
	free(r->note);
}

#define LIST(seq) "LIST DTCP/0.7\nCsource-ID: lea1\nSeq: " seq "\n" \
	"Authentication-Info: auto\n\n"

static void
test_client_exec_all_200(void **state)
{
	struct fake f;
	struct run r;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.reply[0] = mkreply(0, 200, 1, KEY);
	f.reply[1] = mkreply(1, 200, 2, KEY);
	run(&r, &f, "# two\n" LIST("auto") LIST("auto"), NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.messages, 2);
	assert_int_equal(r.res.sent, 2);
	assert_int_equal(r.res.ok, 2);
	assert_int_equal(r.res.failed, 0);
	assert_int_equal(r.res.stopped, 0);
	/* One connection, as --user with the password given. */
	assert_int_equal(f.opens, 1);
	assert_string_equal(f.users[0], "lea1");
	assert_string_equal(f.passwords[0], "pw1");
	assert_int_equal(f.closes, 1);
	/* The request as the script made it, Seq numbered. */
	assert_non_null(strstr(f.sent[1], "\r\nSeq: 2\r\n"));
	assert_non_null(strstr(r.out, "request t.dtcp:2 session=- user=lea1 "
	    "seq=1: LIST\n"));
	assert_non_null(strstr(r.out, "reply t.dtcp:7 code=200 mac=ok: OK\n"
	    "  DTCP/0.7 200 OK\n  SEQ: 2\n"));
	assert_string_equal(r.note, "flowtap client: 2 messages, 2 sent, "
	    "2 answered 200, 0 failed\n");
	run_free(&r);
}

static void
test_client_exec_non200_goes_on(void **state)
{
	struct fake f;
	struct run r;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.reply[0] = mkreply(0, 431, 1, KEY);
	f.reply[1] = mkreply(1, 200, 2, KEY);
	run(&r, &f, LIST("auto") LIST("auto"), NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.sent, 2);
	assert_int_equal(r.res.ok, 1);
	assert_int_equal(r.res.failed, 1);
	assert_int_equal(r.res.stopped, 0);
	assert_non_null(strstr(r.note, "flowtap client: t.dtcp:1: LIST: the "
	    "router answered 431 Unknown Criteria ID\n"));
	run_free(&r);
}

static void
stop_on_error(struct ft_client_opts *o)
{
	o->stop_on_error = 1;
}

static void
test_client_exec_stop_on_error(void **state)
{
	struct fake f;
	struct run r;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.reply[0] = mkreply(0, 400, 1, KEY);
	run(&r, &f, LIST("auto") LIST("auto"), stop_on_error);
	assert_int_equal(r.res.messages, 2);
	assert_int_equal(r.res.sent, 1);
	assert_int_equal(r.res.failed, 1);
	assert_int_equal(r.res.stopped, 1);
	assert_non_null(strstr(r.note, "; stopped at t.dtcp:1\n"));
	run_free(&r);
}

static void
test_client_exec_timeout_stops(void **state)
{
	struct fake f;
	struct run r;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.act[0] = F_NONE;
	run(&r, &f, LIST("auto") LIST("auto"), NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.sent, 1);
	assert_int_equal(r.res.failed, 1);
	assert_int_equal(r.res.stopped, 1);
	assert_int_equal(f.nsent, 1);
	/* The fake clock moved by exactly the timeout. */
	assert_int_equal(f.now, 10000000000ULL);
	assert_non_null(strstr(r.note, "flowtap client: t.dtcp:1: LIST: no "
	    "reply within 10 s (the router drops requests it cannot "
	    "authenticate: check the key, Csource-ID and Seq)\n"));
	run_free(&r);
}

static void
short_timeout(struct ft_client_opts *o)
{
	o->timeout_ns = 1500000000u;
	o->keep_going = 1;
}

static void
keep_going(struct ft_client_opts *o)
{
	o->keep_going = 1;
}

static void
test_client_exec_keep_going_drops_late_reply(void **state)
{
	struct fake f;
	struct run r;
	char both[1024];

	(void)state;
	memset(&f, 0, sizeof(f));
	f.act[0] = F_NONE;
	/* The first request's reply comes late, just before the second's. */
	snprintf(both, sizeof(both), "%s", mkreply(0, 200, 1, KEY));
	snprintf(both + strlen(both), sizeof(both) - strlen(both), "%s",
	    mkreply(1, 200, 2, KEY));
	f.reply[1] = both;
	f.act[2] = F_NONE;
	run(&r, &f, LIST("auto") LIST("auto") LIST("auto"), keep_going);
	assert_int_equal(r.res.sent, 3);
	assert_int_equal(r.res.ok, 1);
	assert_int_equal(r.res.failed, 2);
	assert_int_equal(r.res.stopped, 0);
	assert_non_null(strstr(r.note, "t.dtcp:6: a late reply (SEQ 1) to an "
	    "earlier request that timed out: dropped\n"));
	assert_non_null(strstr(r.out, "reply t.dtcp:6 code=200 mac=ok: OK\n"
	    "  DTCP/0.7 200 OK\n  SEQ: 2\n"));
	assert_non_null(strstr(r.note, "t.dtcp:11: LIST: no reply within"));
	run_free(&r);
}

static void
test_client_exec_incomplete_reply(void **state)
{
	struct fake f;
	struct run r;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.reply[0] = "DTCP/0.7 200 OK\r\nSEQ: 1\r\n";
	/* Even with --keep-going: the stream is in an unknown state. */
	run(&r, &f, LIST("auto") LIST("auto"), short_timeout);
	assert_int_equal(r.res.failed, 1);
	assert_int_equal(r.res.stopped, 1);
	assert_non_null(strstr(r.note, "LIST: incomplete reply within 1.5 s "
	    "(25 bytes, no empty line after AUTHENTICATION-INFO)\n"));
	run_free(&r);
}

static void
test_client_exec_split_reply(void **state)
{
	struct fake f;
	struct run r;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.chunk = 1;
	f.reply[0] = mkreply(0, 200, 1, KEY);
	f.reply[1] = mkreply(1, 200, 2, KEY);
	run(&r, &f, LIST("auto") LIST("auto"), NULL);
	assert_int_equal(r.res.ok, 2);
	assert_int_equal(r.res.failed, 0);
	run_free(&r);
}

static void
test_client_exec_bad_mac_and_seq(void **state)
{
	struct fake f;
	struct run r;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.reply[0] = mkreply(0, 200, 1, "other");
	f.reply[1] = mkreply(1, 200, 7, KEY);
	f.reply[2] = mkreply(2, 200, 3, KEY);
	run(&r, &f, LIST("auto") LIST("auto") LIST("auto"), NULL);
	assert_int_equal(r.res.sent, 3);
	assert_int_equal(r.res.ok, 1);
	assert_int_equal(r.res.failed, 2);
	assert_int_equal(r.res.stopped, 0);
	assert_non_null(strstr(r.note, "t.dtcp:1: LIST: the reply's "
	    "AUTHENTICATION-INFO does not verify with the DTCP key (check "
	    "--dtcp-key)\n"));
	assert_non_null(strstr(r.out, "reply t.dtcp:1 code=200 mac=bad: OK"));
	assert_non_null(strstr(r.note, "t.dtcp:6: LIST: the reply's SEQ 7 is "
	    "not the request's Seq 2\n"));
	run_free(&r);
}

static void
test_client_exec_garbage_status(void **state)
{
	struct fake f;
	struct run r;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.reply[0] = "HELLO\r\nAUTHENTICATION-INFO: 0\r\n\r\n";
	run(&r, &f, LIST("auto"), NULL);
	assert_int_equal(r.res.failed, 1);
	assert_non_null(strstr(r.note, "t.dtcp:1: LIST: the reply does not "
	    "start with a DTCP status line\n"));
	assert_non_null(strstr(r.out, "reply t.dtcp:1 mac=bad\n  HELLO\n"));
	run_free(&r);
}

static void
test_client_exec_closed_channel(void **state)
{
	struct fake f;
	struct run r;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.act[0] = F_CLOSE;
	run(&r, &f, LIST("auto") LIST("auto"), NULL);
	assert_int_equal(r.res.sent, 1);
	assert_int_equal(r.res.failed, 1);
	assert_int_equal(r.res.stopped, 1);
	assert_non_null(strstr(r.note, "t.dtcp:1: LIST: no reply: the "
	    "router closed the channel\n"));
	run_free(&r);
}

static void
test_client_exec_open_fails(void **state)
{
	struct fake f;
	struct run r;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.fail_open = 1;
	run(&r, &f, LIST("auto"), NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.messages, 1);
	assert_int_equal(r.res.sent, 0);
	assert_int_equal(r.res.failed, 1);
	assert_int_equal(r.res.stopped, 1);
	assert_int_equal(f.nsent, 0);
	assert_non_null(strstr(r.note, "flowtap client: cannot connect to "
	    "'fake'\nflowtap client: 1 messages, 0 sent, 0 answered 200, 1 "
	    "failed\n"));
	run_free(&r);
}

static void
test_client_exec_at_waits(void **state)
{
	struct fake f;
	struct run r;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.now = 5000;
	f.reply[0] = mkreply(0, 200, 1, KEY);
	f.reply[1] = mkreply(1, 200, 2, KEY);
	f.reply[2] = mkreply(2, 200, 3, KEY);
	run(&r, &f, LIST("auto") "@at 1.5\n" LIST("auto") "@at 1.5\n"
	    LIST("auto"), NULL);
	assert_int_equal(r.res.ok, 3);
	/* Offsets from the start (after connecting), once each. */
	assert_int_equal(f.nslept, 1);
	assert_int_equal(f.slept[0], 5000 + 1500000000ULL);
	run_free(&r);
}

static void
no_wait(struct ft_client_opts *o)
{
	o->no_wait = 1;
}

static void
test_client_exec_no_wait(void **state)
{
	struct fake f;
	struct run r;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.reply[0] = mkreply(0, 200, 1, KEY);
	f.reply[1] = mkreply(1, 200, 2, KEY);
	run(&r, &f, "@at 3\n" LIST("auto") "@at 9\n" LIST("auto"), no_wait);
	assert_int_equal(r.res.ok, 2);
	assert_int_equal(f.nslept, 0);
	run_free(&r);
}

static void
test_client_exec_sessions(void **state)
{
	struct fake f;
	struct run r;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.reply[0] = mkreply(0, 200, 1, KEY);
	f.reply[1] = mkreply(1, 200, 1, KEY);
	f.reply[2] = mkreply(2, 200, 2, KEY);
	run(&r, &f,
	    "@session a user=lea1 password=p1\n" LIST("auto")
	    "@session b user=lea2 password=p2\n"
	    "LIST DTCP/0.7\nCsource-ID: lea2\nSeq: auto\n"
	    "Authentication-Info: auto\n\n"
	    "@session a user=lea1 password=p1\n" LIST("auto")
	    "@close b\n@close\n@close b\n@restart r\n" LIST("auto"), NULL);
	/* No --user connection: the script opens its own. */
	assert_int_equal(ft_client_default_line(&r.s), 0);
	assert_int_equal(f.opens, 2);
	assert_string_equal(f.users[0], "lea1");
	assert_string_equal(f.passwords[0], "p1");
	assert_string_equal(f.users[1], "lea2");
	assert_string_equal(f.passwords[1], "p2");
	assert_int_equal(f.closes, 2);
	assert_int_equal(r.res.messages, 4);
	assert_int_equal(r.res.sent, 3);
	assert_int_equal(r.res.ok, 3);
	assert_int_equal(r.res.failed, 1);
	assert_non_null(strstr(r.out, "open t.dtcp:1 session=a user=lea1\n"));
	assert_non_null(strstr(r.out, "request t.dtcp:14 session=a user=lea1 "
	    "seq=2: LIST\n"));
	assert_non_null(strstr(r.out, "close t.dtcp:19 session=b "
	    "user=lea2\nclose t.dtcp:20 session=a user=lea1\n"));
	assert_non_null(strstr(r.note, "t.dtcp:21: @close b: no such open "
	    "session (ignored)\n"));
	assert_non_null(strstr(r.note, "t.dtcp:22: @restart skipped: a "
	    "mediation device cannot restart the router\n"));
	assert_non_null(strstr(r.note, "t.dtcp:23: LIST: not sent: no open "
	    "session (the script closed it)\n"));
	run_free(&r);
}

static void
test_client_exec_csource_warning(void **state)
{
	struct fake f;
	struct run r;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.reply[0] = mkreply(0, 200, 1, KEY);
	run(&r, &f, "LIST DTCP/0.7\nCsource-ID: lea9\nSeq: auto\n"
	    "Authentication-Info: auto\n", NULL);
	assert_int_equal(r.res.ok, 1);
	assert_non_null(strstr(r.note, "t.dtcp:1: LIST: warning: Csource-ID "
	    "'lea9' is not the login user 'lea1': the router drops it "
	    "unanswered (499)\n"));
	run_free(&r);
}

static void
test_client_default_line(void **state)
{
	struct ft_script s;
	struct ft_err e;
	static const char a[] = "@at 1\n# c\nLIST DTCP/0.7\n\n"
	    "@session s user=u password=p\n";
	static const char b[] = "@restart\n@session s user=u password=p\n"
	    "LIST DTCP/0.7\n";

	(void)state;
	assert_int_equal(ft_script_parse(&s, a, sizeof(a) - 1, "t", KEY, 7,
	    &e), 0);
	assert_int_equal(ft_client_default_line(&s), 3);
	ft_script_release(&s);
	assert_int_equal(ft_script_parse(&s, b, sizeof(b) - 1, "t", KEY, 7,
	    &e), 0);
	assert_int_equal(ft_client_default_line(&s), 0);
	ft_script_release(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_frame_whole_reply),
		cmocka_unit_test(test_client_frame_needs_more),
		cmocka_unit_test(test_client_frame_empty_line_before_mac),
		cmocka_unit_test(test_client_frame_skips_leading_empty_lines),
		cmocka_unit_test(test_client_frame_lf_and_lines_after_mac),
		cmocka_unit_test(test_client_check_junos_vectors),
		cmocka_unit_test(test_client_check_draft_error_vector),
		cmocka_unit_test(test_client_check_tampered),
		cmocka_unit_test(test_client_check_missing_parts),
		cmocka_unit_test(test_client_check_first_mac_counts),
		cmocka_unit_test(test_client_json_escapes),
		cmocka_unit_test(test_client_json_utf8),
		cmocka_unit_test(test_client_json_reads_back),
		cmocka_unit_test(test_client_exec_all_200),
		cmocka_unit_test(test_client_exec_non200_goes_on),
		cmocka_unit_test(test_client_exec_stop_on_error),
		cmocka_unit_test(test_client_exec_timeout_stops),
		cmocka_unit_test(test_client_exec_keep_going_drops_late_reply),
		cmocka_unit_test(test_client_exec_incomplete_reply),
		cmocka_unit_test(test_client_exec_split_reply),
		cmocka_unit_test(test_client_exec_bad_mac_and_seq),
		cmocka_unit_test(test_client_exec_garbage_status),
		cmocka_unit_test(test_client_exec_closed_channel),
		cmocka_unit_test(test_client_exec_open_fails),
		cmocka_unit_test(test_client_exec_at_waits),
		cmocka_unit_test(test_client_exec_no_wait),
		cmocka_unit_test(test_client_exec_sessions),
		cmocka_unit_test(test_client_exec_csource_warning),
		cmocka_unit_test(test_client_default_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
