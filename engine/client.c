/*
 * client.c - flowtap client, a mediation device (docs/client.md): the
 * script's messages go to a router over SSH, one request at a time, and
 * every reply is framed, printed and checked (status, MAC, SEQ).
 *
 * Replies are untrusted bytes: they are framed within a fixed cap
 * (FT_CLIENT_REPLY_MAX), printed with non-printable bytes escaped (as in
 * dtcp.log) and written to JSON escaped.
 */
#include "client.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "num.h"
#include "sshc.h"
#include "translog.h"

/* A password (file, environment, prompt): longer is refused. */
#define PASSWORD_MAX	1024
/* The request's method token, as quoted in messages. */
#define METHOD_MAX	FT_DTCP_METHOD_MAX
/* Reply bytes read from the transport at a time. */
#define READ_CHUNK	16384
/* Seqs of unanswered requests remembered per connection (--keep-going). */
#define LATE_MAX	16

static const char reply_mac_name[] = "AUTHENTICATION-INFO";
static const char reply_seq_name[] = "SEQ";

/* ---- pure helpers: framing, reply check, JSON ---- */

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* 1 if line l[0..n) is "NAME:" (name any case) and more. */
static int
line_named(const char *l, size_t n, const char *name, size_t *vpos)
{
	size_t nl = strlen(name), i;

	if (n < nl + 1 || l[nl] != ':')
		return 0;
	for (i = 0; i < nl; i++)
		if (lower((unsigned char)l[i]) != lower((unsigned char)name[i]))
			return 0;
	*vpos = nl + 1;
	return 1;
}

/* Length of line l[0..n) without its CR (the LF is excluded already). */
static size_t
strip_cr(const char *l, size_t n)
{
	return n > 0 && l[n - 1] == '\r' ? n - 1 : n;
}

int
ft_client_reply_frame(const char *buf, size_t len, size_t *start,
    size_t *end)
{
	size_t off = 0, b, n, v;
	const char *nl;
	int begun = 0, mac_seen = 0;

	*start = *end = 0;
	while (off < len) {
		nl = memchr(buf + off, '\n', len - off);
		if (nl == NULL)
			return 0;
		b = off;
		n = strip_cr(buf + b, (size_t)(nl - (buf + b)));
		off = (size_t)(nl - buf) + 1;
		if (n == 0) {
			if (!begun)
				continue;	/* between replies */
			if (mac_seen) {
				*end = off;
				return 1;
			}
			continue;
		}
		if (!begun) {
			begun = 1;
			*start = b;
		}
		if (!mac_seen && line_named(buf + b, n, reply_mac_name, &v))
			mac_seen = 1;
	}
	return 0;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Trim spaces and tabs around v[a..b). */
static void
trim(const char *v, size_t *a, size_t *b)
{
	while (*a < *b && is_blank(v[*a]))
		(*a)++;
	while (*b > *a && is_blank(v[*b - 1]))
		(*b)--;
}

/* "DTCP/x.y CODE[ REASON]" in l[0..n). */
static void
parse_status(const char *l, size_t n, struct ft_client_reply *out)
{
	uint64_t code;
	size_t i, j;

	if (n < 12 || memcmp(l, "DTCP/", 5) != 0 || l[5] < '0' ||
	    l[5] > '9' || l[6] != '.' || l[7] < '0' || l[7] > '9' ||
	    l[8] != ' ')
		return;
	if (ft_num_u64(l + 9, 3, 3, 100, 999, &code) != 0 ||
	    (n > 12 && l[12] != ' '))
		return;
	out->version = (unsigned)(l[5] - '0') * 10 + (unsigned)(l[7] - '0');
	out->code = (int)code;
	i = 13;
	trim(l, &i, &n);
	for (j = 0; i < n && j + 1 < sizeof(out->reason); i++) {
		unsigned char c = (unsigned char)l[i];

		out->reason[j++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	out->reason[j] = '\0';
}

void
ft_client_reply_check(const char *r, size_t len, const void *key,
    size_t keylen, struct ft_client_reply *out)
{
	size_t off = 0, b, n, v, ve;
	const char *nl;
	uint64_t seq;
	int first = 1;

	memset(out, 0, sizeof(*out));
	while (off < len) {
		nl = memchr(r + off, '\n', len - off);
		b = off;
		n = nl == NULL ? len - off : (size_t)(nl - (r + off));
		off = nl == NULL ? len : (size_t)(nl - r) + 1;
		n = strip_cr(r + b, n);
		if (first) {
			parse_status(r + b, n, out);
			first = 0;
			continue;
		}
		if (!out->has_seq && line_named(r + b, n, reply_seq_name,
		    &v)) {
			ve = n;
			trim(r + b, &v, &ve);
			if (ft_num_u64(r + b + v, ve - v, 20, 0, UINT64_MAX,
			    &seq) == 0) {
				out->has_seq = 1;
				out->seq = seq;
			}
		} else if (line_named(r + b, n, reply_mac_name, &v)) {
			ve = n;
			trim(r + b, &v, &ve);
			out->has_mac = 1;
			out->mac_ok = ft_auth_check(key, keylen, r, b,
			    r + b + v, ve - v);
			return;	/* lines after it are not the reply's */
		}
	}
}

/* Length of the valid UTF-8 sequence at s[0..n), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t need, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (n < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return need;
}

void
ft_client_json_string(FILE *fp, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;

	fputc('"', fp);
	while (i < len) {
		unsigned char c = u[i];

		if (c == '"' || c == '\\') {
			fputc('\\', fp);
			fputc(c, fp);
			i++;
		} else if (c == '\n') {
			fputs("\\n", fp);
			i++;
		} else if (c == '\r') {
			fputs("\\r", fp);
			i++;
		} else if (c == '\t') {
			fputs("\\t", fp);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(fp, "\\u%04x", c);
			i++;
		} else if ((k = utf8_len(u + i, len - i)) > 0) {
			fwrite(u + i, 1, k, fp);
			i += k;
		} else {
			fprintf(fp, "\\u%04x", c);
			i++;
		}
	}
	fputc('"', fp);
}

void
ft_client_opts_default(struct ft_client_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->port = FT_CLIENT_PORT_DEF;
	o->timeout_ns = (uint64_t)FT_CLIENT_TIMEOUT_DEF * 1000000000u;
	o->out = stdout;
	o->note = stderr;
}

unsigned
ft_client_default_line(const struct ft_script *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (s->ev[i].kind == FT_SCRIPT_SESSION)
			return 0;
		if (s->ev[i].kind == FT_SCRIPT_MSG)
			return s->ev[i].line;
	}
	return 0;
}

/* ---- the run ---- */

/* One SSH connection of the run: the --user one or a @session. */
struct conn {
	const char *name;	/* NULL: the --user connection */
	const char *user;
	void *h;		/* transport handle; NULL: closed */
	char *buf;		/* received, not yet taken as a reply */
	size_t len;
	/* --keep-going: Seqs of requests that timed out, a ring. */
	uint64_t late[LATE_MAX];
	unsigned nlate;
};

struct run {
	const struct ft_client_opts *o;
	const char *script;	/* name for messages */
	const struct ft_client_ops *ops;
	void *ctx;
	const void *key;
	size_t keylen;
	struct conn *conns;	/* FT_SESSIONS_MAX + 1, [0] = --user */
	struct conn *cur;
	struct ft_client_result *res;
	FILE *json;
	unsigned njson;
	char tmo[32];		/* the timeout as text, "10" */
};

static void note(struct run *, const char *, ...) FT_PRINTF(2, 3);

/* "flowtap client: " and one line on the note stream. */
static void
note(struct run *r, const char *fmt, ...)
{
	va_list ap;

	if (r->o->note == NULL)
		return;
	fputs("flowtap client: ", r->o->note);
	va_start(ap, fmt);
	vfprintf(r->o->note, fmt, ap);
	va_end(ap);
	fputc('\n', r->o->note);
	fflush(r->o->note);
}

/* Seconds as the shortest decimal: 10, 0.5, 1.000000001. */
static void
format_seconds(uint64_t ns, char *out, size_t cap)
{
	char frac[10];
	int i;

	snprintf(frac, sizeof(frac), "%09llu",
	    (unsigned long long)(ns % 1000000000u));
	for (i = 8; i >= 0 && frac[i] == '0'; i--)
		frac[i] = '\0';
	if (frac[0] == '\0')
		snprintf(out, cap, "%llu",
		    (unsigned long long)(ns / 1000000000u));
	else
		snprintf(out, cap, "%llu.%s",
		    (unsigned long long)(ns / 1000000000u), frac);
}

/* The request's method token, printable, for messages ("ADD"). */
static void
method_of(const struct ft_script_event *ev, char out[METHOD_MAX + 1])
{
	size_t i;

	for (i = 0; i < ev->msg_len && i < METHOD_MAX; i++) {
		unsigned char c = (unsigned char)ev->msg[i];

		if (c <= 0x20 || c >= 0x7f)
			break;
		out[i] = (char)c;
	}
	out[i] = '\0';
	if (i == 0)
		memcpy(out, "message", sizeof("message"));
}

static struct conn *
find_conn(struct run *r, const char *name)
{
	size_t i;

	for (i = 1; i <= FT_SESSIONS_MAX; i++)
		if (r->conns[i].h != NULL && strcmp(r->conns[i].name,
		    name) == 0)
			return &r->conns[i];
	return NULL;
}

static void
close_conn(struct run *r, struct conn *c)
{
	if (c->h != NULL)
		r->ops->close(r->ctx, c->h);
	c->h = NULL;
	free(c->buf);
	c->buf = NULL;
	c->len = 0;
	if (r->cur == c)
		r->cur = NULL;
}

static int
open_conn(struct run *r, struct conn *c, const char *name, const char *user,
    const char *password, struct ft_err *e)
{
	void *h = NULL;
	int rc;

	if ((c->buf = malloc(FT_CLIENT_REPLY_MAX)) == NULL)
		return ft_err_set(e, FT_ENOMEM, "out of memory");
	if ((rc = r->ops->open(r->ctx, user, password, &h, e)) != 0) {
		free(c->buf);
		c->buf = NULL;
		return rc;
	}
	c->name = name;
	c->user = user;
	c->h = h;
	c->len = 0;
	c->nlate = 0;
	return 0;
}

/* Print the session part of a header line. */
static void
print_session(FILE *fp, const struct conn *c)
{
	fprintf(fp, " session=%s user=%s", c->name != NULL ? c->name : "-",
	    c->user);
}

/* One JSON entry (objects separated by ",\n"). */
static void
json_entry(struct run *r, const struct ft_script_event *ev,
    const struct conn *c, const char *reply, size_t rlen,
    const struct ft_client_reply *rep, const char *error)
{
	FILE *fp = r->json;

	if (fp == NULL)
		return;
	fputs(r->njson++ == 0 ? "\n  {" : ",\n  {", fp);
	fprintf(fp, "\"line\": %u, \"session\": ", ev->line);
	if (c != NULL && c->name != NULL)
		ft_client_json_string(fp, c->name, strlen(c->name));
	else
		fputs("null", fp);
	fputs(", \"user\": ", fp);
	if (c != NULL)
		ft_client_json_string(fp, c->user, strlen(c->user));
	else
		fputs("null", fp);
	fputs(",\n   \"request\": ", fp);
	ft_client_json_string(fp, ev->msg, ev->msg_len);
	fputs(",\n   \"reply\": ", fp);
	if (reply != NULL)
		ft_client_json_string(fp, reply, rlen);
	else
		fputs("null", fp);
	fputs(",\n   \"code\": ", fp);
	if (rep != NULL && rep->code != 0)
		fprintf(fp, "%d", rep->code);
	else
		fputs("null", fp);
	fprintf(fp, ", \"mac_ok\": %s, \"error\": ", rep == NULL ? "null" :
	    rep->mac_ok ? "true" : "false");
	if (error != NULL)
		ft_client_json_string(fp, error, strlen(error));
	else
		fputs("null", fp);
	fputc('}', fp);
}

/* 1 if seq is the Seq of a request on c that timed out. */
static int
is_late(const struct conn *c, uint64_t seq)
{
	unsigned i, n = c->nlate < LATE_MAX ? c->nlate : LATE_MAX;

	for (i = 0; i < n; i++)
		if (c->late[i] == seq)
			return 1;
	return 0;
}

/*
 * Wait for one whole reply to ev on c (within the timeout). 0 with
 * *rlen set and the reply at c->buf + *rstart; else the failure in e,
 * and *silent = 1 when nothing at all came. A reply whose SEQ is that of
 * an earlier request that timed out (--keep-going) is a late one: noted
 * and dropped.
 */
static int
read_reply(struct run *r, struct conn *c, const struct ft_script_event *ev,
    size_t *rstart, size_t *rlen, int *silent, struct ft_err *e)
{
	uint64_t deadline = r->ops->now(r->ctx) + r->o->timeout_ns, now;
	struct ft_client_reply rep;
	size_t start, end, got;
	int rc;

	*silent = 0;
	for (;;) {
		while (ft_client_reply_frame(c->buf, c->len, &start, &end)) {
			ft_client_reply_check(c->buf + start, end - start,
			    r->key, r->keylen, &rep);
			if (!rep.has_seq || !ev->has_seq ||
			    rep.seq == ev->seq || !is_late(c, rep.seq)) {
				*rstart = start;
				*rlen = end - start;
				return 0;
			}
			note(r, "%s:%u: a late reply (SEQ %llu) to an earlier "
			    "request that timed out: dropped", r->script,
			    ev->line, (unsigned long long)rep.seq);
			memmove(c->buf, c->buf + end, c->len - end);
			c->len -= end;
		}
		if (c->len == FT_CLIENT_REPLY_MAX)
			return ft_err_set(e, FT_ELIMIT, "a reply longer than "
			    "%d bytes", FT_CLIENT_REPLY_MAX);
		now = r->ops->now(r->ctx);
		if (now >= deadline)
			break;
		rc = r->ops->recv(r->ctx, c->h, c->buf + c->len,
		    FT_CLIENT_REPLY_MAX - c->len > READ_CHUNK ? READ_CHUNK :
		    FT_CLIENT_REPLY_MAX - c->len, deadline - now, &got, e);
		if (rc != 0) {
			char why[FT_ERR_MSG_MAX];

			memcpy(why, e->msg, sizeof(why));
			return ft_err_set(e, rc, "no reply: %s%s", why,
			    c->len > 0 ? " (in the middle of a reply)" : "");
		}
		c->len += got;
	}
	for (start = 0; start < c->len && (c->buf[start] == '\r' ||
	    c->buf[start] == '\n'); start++)
		;
	if (start < c->len)
		return ft_err_set(e, FT_EIO, "incomplete reply within %s s "
		    "(%zu bytes, no empty line after AUTHENTICATION-INFO)",
		    r->tmo, c->len - start);
	*silent = 1;
	return ft_err_set(e, FT_EIO, "no reply within %s s (the router "
	    "drops requests it cannot authenticate: check the key, "
	    "Csource-ID and Seq)", r->tmo);
}

/* A failure of the message at ev: one line, counted. */
static void
fail_msg(struct run *r, const struct ft_script_event *ev,
    const char *method, const char *what)
{
	note(r, "%s:%u: %s: %s", r->script, ev->line, method, what);
	r->res->failed++;
}

/* Send one message and check its reply. 0, or 1 when the run must stop. */
static int
do_msg(struct run *r, const struct ft_script_event *ev)
{
	const struct ft_client_opts *o = r->o;
	struct conn *c = r->cur;
	struct ft_client_reply rep;
	struct ft_err e;
	char method[METHOD_MAX + 1], why[FT_ERR_MSG_MAX + 160];
	size_t rstart = 0, rlen = 0;
	int rc, bad = 0, silent = 0;

	method_of(ev, method);
	if (c == NULL) {
		fail_msg(r, ev, method, "not sent: no open session (the "
		    "script closed it)");
		json_entry(r, ev, NULL, NULL, 0, NULL,
		    "not sent: no open session");
		return 0;
	}
	if (ev->csource[0] != '\0' && strcmp(ev->csource, c->user) != 0)
		note(r, "%s:%u: %s: warning: Csource-ID '%s' is not the login "
		    "user '%s': the router drops it unanswered (499)",
		    r->script, ev->line, method, ev->csource, c->user);
	if (o->out != NULL && !o->quiet) {
		fprintf(o->out, "request %s:%u", r->script, ev->line);
		print_session(o->out, c);
		if (ev->has_seq)
			fprintf(o->out, " seq=%llu",
			    (unsigned long long)ev->seq);
		fprintf(o->out, ": %s\n", method);
		if (o->verbose)
			ft_translog_text(o->out, ev->msg, ev->msg_len);
		fflush(o->out);
	}
	e.msg[0] = '\0';
	if ((rc = r->ops->send(r->ctx, c->h, ev->msg, ev->msg_len, &e)) !=
	    0) {
		snprintf(why, sizeof(why), "not sent: %s", e.msg);
		fail_msg(r, ev, method, why);
		json_entry(r, ev, c, NULL, 0, NULL, why);
		return 1;
	}
	r->res->sent++;
	if ((rc = read_reply(r, c, ev, &rstart, &rlen, &silent, &e)) != 0) {
		fail_msg(r, ev, method, e.msg);
		json_entry(r, ev, c, NULL, 0, NULL, e.msg);
		/*
		 * Nothing came: with --keep-going, go on, and know its reply
		 * by its SEQ if it comes late. Anything else leaves the
		 * stream in an unknown state.
		 */
		if (silent && o->keep_going && !o->stop_on_error) {
			if (ev->has_seq)
				c->late[c->nlate++ % LATE_MAX] = ev->seq;
			return 0;
		}
		return 1;
	}
	ft_client_reply_check(c->buf + rstart, rlen, r->key, r->keylen, &rep);
	why[0] = '\0';
	if (rep.code == 0)
		snprintf(why, sizeof(why), "the reply does not start with a "
		    "DTCP status line");
	else if (!rep.has_mac)
		snprintf(why, sizeof(why), "the reply has no "
		    "AUTHENTICATION-INFO");
	else if (!rep.mac_ok)
		snprintf(why, sizeof(why), "the reply's AUTHENTICATION-INFO "
		    "does not verify with the DTCP key (check --dtcp-key)");
	else if (rep.has_seq && ev->has_seq && rep.seq != ev->seq)
		snprintf(why, sizeof(why), "the reply's SEQ %llu is not the "
		    "request's Seq %llu", (unsigned long long)rep.seq,
		    (unsigned long long)ev->seq);
	else if (rep.code != 200)
		snprintf(why, sizeof(why), "the router answered %d %s",
		    rep.code, rep.reason);
	bad = why[0] != '\0';
	if (o->out != NULL && !o->quiet) {
		fprintf(o->out, "reply %s:%u", r->script, ev->line);
		if (rep.code != 0)
			fprintf(o->out, " code=%d", rep.code);
		fprintf(o->out, " mac=%s", rep.mac_ok ? "ok" : rep.has_mac ?
		    "bad" : "none");
		if (rep.code != 0)
			fprintf(o->out, ": %s", rep.reason);
		fputc('\n', o->out);
		ft_translog_text(o->out, c->buf + rstart, rlen);
		fflush(o->out);
	}
	json_entry(r, ev, c, c->buf + rstart, rlen, &rep, bad ? why : NULL);
	/* What follows the reply stays for the next one. */
	memmove(c->buf, c->buf + rstart + rlen, c->len - rstart - rlen);
	c->len -= rstart + rlen;
	if (bad) {
		fail_msg(r, ev, method, why);
		return o->stop_on_error;
	}
	r->res->ok++;
	return 0;
}

/* @session: switch to an open session of that name, or open one. */
static int
do_session(struct run *r, const struct ft_script_event *ev)
{
	struct conn *c = find_conn(r, ev->name);
	struct ft_err e;
	size_t i;
	int rc;

	if (c != NULL) {
		r->cur = c;
		return 0;
	}
	for (i = 1; i <= FT_SESSIONS_MAX && r->conns[i].h != NULL; i++)
		;
	if (i > FT_SESSIONS_MAX) {
		note(r, "%s:%u: @session %s: more than %d open sessions",
		    r->script, ev->line, ev->name, FT_SESSIONS_MAX);
		r->res->failed++;
		return 1;
	}
	e.msg[0] = '\0';
	if ((rc = open_conn(r, &r->conns[i], ev->name, ev->user, ev->password,
	    &e)) != 0) {
		note(r, "%s:%u: @session %s: %s", r->script, ev->line,
		    ev->name, e.msg);
		r->res->failed++;
		return 1;
	}
	r->cur = &r->conns[i];
	if (r->o->out != NULL && !r->o->quiet) {
		fprintf(r->o->out, "open %s:%u", r->script, ev->line);
		print_session(r->o->out, r->cur);
		fputc('\n', r->o->out);
	}
	return 0;
}

static void
do_close(struct run *r, const struct ft_script_event *ev)
{
	struct conn *c = ev->name[0] != '\0' ? find_conn(r, ev->name) :
	    r->cur;

	if (c == NULL) {
		note(r, "%s:%u: @close%s%s: no such open session (ignored)",
		    r->script, ev->line, ev->name[0] != '\0' ? " " : "",
		    ev->name);
		return;
	}
	if (r->o->out != NULL && !r->o->quiet) {
		fprintf(r->o->out, "close %s:%u", r->script, ev->line);
		print_session(r->o->out, c);
		fputc('\n', r->o->out);
	}
	close_conn(r, c);
}

int
ft_client_exec(const struct ft_client_opts *o, const struct ft_script *s,
    const char *password, const struct ft_client_ops *ops, void *ctx,
    struct ft_client_result *res, struct ft_err *e)
{
	struct run r;
	char tmp[4096];
	uint64_t t0;
	size_t i;
	int rc = 0, stop = 0;
	unsigned stop_line = 0;

	memset(res, 0, sizeof(*res));
	memset(&r, 0, sizeof(r));
	r.o = o;
	r.script = o->script != NULL ? o->script : "script";
	r.ops = ops;
	r.ctx = ctx;
	r.res = res;
	r.key = o->key != NULL ? o->key : FT_AUTH_DEFAULT_KEY;
	r.keylen = strlen(r.key);
	format_seconds(o->timeout_ns, r.tmo, sizeof(r.tmo));
	for (i = 0; i < s->n; i++)
		if (s->ev[i].kind == FT_SCRIPT_MSG)
			res->messages++;
	if ((r.conns = calloc(FT_SESSIONS_MAX + 1, sizeof(*r.conns))) == NULL)
		return ft_err_set(e, FT_ENOMEM, "out of memory");
	if (o->json != NULL) {
		if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", o->json) >=
		    sizeof(tmp)) {
			rc = ft_err_set(e, FT_EINVAL, "--json path too long");
			goto out;
		}
		if ((r.json = fopen(tmp, "w")) == NULL) {
			rc = ft_err_set(e, FT_EIO, "cannot write '%s': %s", tmp,
			    strerror(errno));
			goto out;
		}
		fputc('[', r.json);
	}
	if (ft_client_default_line(s) != 0) {
		struct ft_err oe;

		oe.msg[0] = '\0';
		if (open_conn(&r, &r.conns[0], NULL, o->user, password,
		    &oe) != 0) {
			note(&r, "%s", oe.msg);
			res->failed++;
			res->stopped = 1;
			goto done;
		}
		r.cur = &r.conns[0];
	}
	t0 = ops->now(ctx);
	for (i = 0; i < s->n && !stop; i++) {
		const struct ft_script_event *ev = &s->ev[i];

		if (!o->no_wait && ev->at_ns > 0 &&
		    ops->now(ctx) < t0 + ev->at_ns)
			ops->sleep_until(ctx, t0 + ev->at_ns);
		switch (ev->kind) {
		case FT_SCRIPT_MSG:
			stop = do_msg(&r, ev);
			break;
		case FT_SCRIPT_SESSION:
			stop = do_session(&r, ev);
			break;
		case FT_SCRIPT_CLOSE:
			do_close(&r, ev);
			break;
		case FT_SCRIPT_RESTART:
			note(&r, "%s:%u: @restart skipped: a mediation device "
			    "cannot restart the router", r.script, ev->line);
			break;
		}
		if (stop)
			stop_line = ev->line;
	}
	if (stop)
		res->stopped = 1;
done:
	if (!o->quiet) {
		if (stop_line != 0)
			note(&r, "%u messages, %u sent, %u answered 200, %u "
			    "failed; stopped at %s:%u", res->messages,
			    res->sent, res->ok, res->failed, r.script,
			    stop_line);
		else
			note(&r, "%u messages, %u sent, %u answered 200, %u "
			    "failed", res->messages, res->sent, res->ok,
			    res->failed);
	}
out:
	for (i = 0; i <= FT_SESSIONS_MAX; i++)
		close_conn(&r, &r.conns[i]);
	free(r.conns);
	if (r.json != NULL) {
		fputs(r.njson > 0 ? "\n]\n" : "]\n", r.json);
		if (fclose(r.json) != 0 && rc == 0)
			rc = ft_err_set(e, FT_EIO, "cannot write '%s'", tmp);
		if (rc == 0 && rename(tmp, o->json) != 0)
			rc = ft_err_set(e, FT_EIO, "cannot rename '%s' to "
			    "'%s': %s", tmp, o->json, strerror(errno));
		if (rc != 0)
			remove(tmp);
	}
	return rc;
}

/* ---- the libssh transport and the real clock ---- */

static uint64_t
real_now(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
real_sleep_until(void *ctx, uint64_t t)
{
	struct timespec ts;
	uint64_t now;

	while ((now = real_now(ctx)) < t) {
		ts.tv_sec = (time_t)((t - now) / 1000000000u);
		ts.tv_nsec = (long)((t - now) % 1000000000u);
		nanosleep(&ts, NULL);
	}
}

static int
ssh_open(void *ctx, const char *user, const char *password, void **conn,
    struct ft_err *e)
{
	struct ft_sshc *c = NULL;
	int rc;

	rc = ft_sshc_open(ctx, user, password, &c, e);
	*conn = c;
	return rc;
}

static int
ssh_send(void *ctx, void *conn, const void *buf, size_t len,
    struct ft_err *e)
{
	(void)ctx;
	return ft_sshc_send(conn, buf, len, e);
}

static int
ssh_recv(void *ctx, void *conn, void *buf, size_t cap, uint64_t timeout_ns,
    size_t *got, struct ft_err *e)
{
	(void)ctx;
	return ft_sshc_recv(conn, buf, cap, timeout_ns, got, e);
}

static void
ssh_close(void *ctx, void *conn)
{
	(void)ctx;
	ft_sshc_free(conn);
}

/* ---- the password ---- */

/* Cut s at its first CR or LF; 0, or FT_EINVAL when nothing is left. */
static int
first_line(char *s)
{
	s[strcspn(s, "\r\n")] = '\0';
	return s[0] == '\0' ? FT_EINVAL : 0;
}

static int
password_file(const char *path, char *pw, size_t cap, struct ft_err *e)
{
	FILE *f;
	size_t n;
	int rc = 0;

	if ((f = fopen(path, "r")) == NULL)
		return ft_err_set(e, FT_EIO, "password file '%s': %s", path,
		    strerror(errno));
	n = fread(pw, 1, cap - 1, f);
	pw[n] = '\0';
	if (ferror(f))
		rc = ft_err_set(e, FT_EIO, "password file '%s': read error",
		    path);
	else if (strlen(pw) < n)
		rc = ft_err_set(e, FT_EINVAL, "password file '%s': NUL byte",
		    path);
	else if (n == cap - 1 && strcspn(pw, "\r\n") == n)
		rc = ft_err_set(e, FT_ELIMIT, "password file '%s': first line "
		    "longer than %zu bytes", path, cap - 2);
	else if (first_line(pw) != 0)
		rc = ft_err_set(e, FT_EINVAL, "password file '%s': the first "
		    "line is empty", path);
	fclose(f);
	return rc;
}

/* Ask on /dev/tty without echo. 1 when there is no terminal. */
static int
password_prompt(const char *user, const char *host, unsigned port,
    char *pw, size_t cap, struct ft_err *e)
{
	struct termios old, quiet;
	size_t n = 0;
	ssize_t got;
	char c, prompt[512];
	int fd, rc = 0, restore = 0;

	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY)) < 0)
		return 1;
	if (tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		if (tcsetattr(fd, TCSAFLUSH, &quiet) == 0)
			restore = 1;
	}
	snprintf(prompt, sizeof(prompt), "%s@%s port %u password: ", user,
	    host, port);
	if (write(fd, prompt, strlen(prompt)) < 0)
		rc = ft_err_set(e, FT_EIO, "cannot write to the terminal");
	while (rc == 0 && (got = read(fd, &c, 1)) == 1 && c != '\n') {
		if (n + 1 >= cap) {
			rc = ft_err_set(e, FT_ELIMIT, "password longer than "
			    "%zu bytes", cap - 1);
			break;
		}
		pw[n++] = c;
	}
	pw[n] = '\0';
	c = 0;
	if (restore)
		tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* The prompt's line end only. */
	}
	close(fd);
	if (rc == 0 && first_line(pw) != 0)
		rc = ft_err_set(e, FT_EINVAL, "empty password");
	return rc;
}

static int
get_password(const struct ft_client_opts *o, char *pw, size_t cap,
    struct ft_client_result *res, struct ft_err *e)
{
	const char *env;
	int rc;

	if (o->password != NULL) {
		if (strlen(o->password) >= cap)
			return ft_err_set(e, FT_ELIMIT, "password longer than "
			    "%zu bytes", cap - 1);
		memcpy(pw, o->password, strlen(o->password) + 1);
		return 0;
	}
	if (o->password_file != NULL)
		return password_file(o->password_file, pw, cap, e);
	if ((env = getenv("FLOWTAP_PASSWORD")) != NULL) {
		if (strlen(env) >= cap)
			return ft_err_set(e, FT_ELIMIT, "FLOWTAP_PASSWORD "
			    "longer than %zu bytes", cap - 1);
		if (env[0] == '\0')
			return ft_err_set(e, FT_EINVAL,
			    "FLOWTAP_PASSWORD is empty");
		memcpy(pw, env, strlen(env) + 1);
		return 0;
	}
	rc = password_prompt(o->user, o->host, o->port, pw, cap, e);
	if (rc == 1) {
		res->usage = 1;
		return ft_err_set(e, FT_EINVAL, "no password for user '%s': "
		    "give --password-file FILE, set FLOWTAP_PASSWORD, or run "
		    "on a terminal", o->user);
	}
	return rc;
}

int
ft_client_run(const struct ft_client_opts *o, struct ft_client_result *res,
    struct ft_err *e)
{
	static const struct ft_client_ops ops = {
		.open = ssh_open,
		.send = ssh_send,
		.recv = ssh_recv,
		.close = ssh_close,
		.now = real_now,
		.sleep_until = real_sleep_until,
	};
	struct ft_sshc_opts so;
	struct ft_script s;
	const char *key = o->key != NULL ? o->key : FT_AUTH_DEFAULT_KEY;
	char *pw = NULL;
	unsigned line;
	int rc;

	memset(res, 0, sizeof(*res));
	if ((rc = ft_script_load_seq(&s, o->script, key, strlen(key),
	    o->seq_from, e)) != 0)
		return rc;
	line = ft_client_default_line(&s);
	if (line != 0) {
		if (o->user == NULL) {
			res->usage = 1;
			rc = ft_err_set(e, FT_EINVAL, "missing --user: '%s' "
			    "sends messages before any @session (line %u)",
			    o->script, line);
			goto out;
		}
		if ((pw = calloc(1, PASSWORD_MAX + 1)) == NULL) {
			rc = ft_err_set(e, FT_ENOMEM, "out of memory");
			goto out;
		}
		if ((rc = get_password(o, pw, PASSWORD_MAX + 1, res, e)) != 0)
			goto out;
	}
	memset(&so, 0, sizeof(so));
	so.host = o->host;
	so.port = o->port;
	so.known_hosts = o->known_hosts;
	so.accept_new = o->accept_new;
	so.timeout_ns = o->timeout_ns;
	so.subsystem = FT_CLIENT_SUBSYSTEM;
	so.note = o->note;
	rc = ft_client_exec(o, &s, pw, &ops, &so, res, e);
out:
	if (pw != NULL) {
		ft_auth_wipe(pw, PASSWORD_MAX + 1);
		free(pw);
	}
	ft_script_release(&s);
	return rc;
}
