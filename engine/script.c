/*
 * script.c - fixture scripts (SPEC 9): DTCP messages separated by empty
 * lines, '@' directives and '#' comments, parsed into timed events.
 *
 * The text is untrusted: every line is bounded by the text length, every
 * number goes through ft_num_seconds_ns, every name is length- and
 * charset-checked, and every error names "file:line".
 */
#include "script.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "num.h"

/* Longest "@at" token that can parse: 20 digits, '.', 9 digits. */
#define AT_TEXT_MAX	32
/* Directive words and bad tokens are quoted at most this long. */
#define QUOTE_MAX	64

static const char auth_name[] = "Authentication-Info";
static const char csource_name[] = "Csource-ID";
static const char seq_name[] = "Seq";

/*
 * "Seq: auto": the last Seq of each control source so far in the script,
 * in an open-addressing table (FNV-1a, linear probing, at most half
 * full). A script of FT_SCRIPT_EVENTS_MAX messages of as many control
 * sources stays linear.
 */
struct seqent {
	char name[FT_NAME_MAX + 1];	/* "" = free slot */
	uint64_t last;			/* highest Seq seen for it */
};

struct parser {
	struct ft_script *s;
	size_t cap;			/* entries allocated in s->ev */
	const char *name;
	const void *key;
	size_t keylen;
	struct ft_err *e;
	uint64_t at_ns;			/* current @at offset */
	char at_text[AT_TEXT_MAX + 1];	/* the last @at as written */
	/* The message being collected (CRLF line ends), reused. */
	char *buf;
	size_t blen;
	size_t bcap;
	unsigned msg_line;		/* its first line; 0 = none open */
	int have_csource;
	char csource[FT_NAME_MAX + 1];
	int after_auth;			/* an Authentication-Info line seen */
	int have_seq;			/* the message's first Seq line seen */
	int seq_ok;			/* ... and it is a number: seq */
	uint64_t seq;
	struct seqent *seqs;		/* Seq per control source */
	size_t nseqs, seqcap;
	uint64_t seq_first;		/* a control source's first "auto" */
};

static int perr(struct parser *, unsigned, int, const char *, ...)
    FT_PRINTF(4, 5);

/* Report "name:line: ..." into the caller's ft_err and return code. */
static int
perr(struct parser *p, unsigned line, int code, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->e == NULL)
		return code;
	n = snprintf(p->e->msg, sizeof(p->e->msg), "%s:%u: ", p->name, line);
	if (n < 0 || (size_t)n >= sizeof(p->e->msg))
		return code;
	va_start(ap, fmt);
	vsnprintf(p->e->msg + n, sizeof(p->e->msg) - (size_t)n, fmt, ap);
	va_end(ap);
	return code;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* ASCII case-insensitive comparison of n bytes. */
static int
same_fold(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

/*
 * If line l[0..n) is "NAME:" (name case-insensitive) followed by a value,
 * return 1 and the value with spaces and tabs trimmed on both sides.
 */
static int
param_value(const char *l, size_t n, const char *pname, const char **v,
    size_t *vlen)
{
	size_t nl = strlen(pname), a, b;

	if (n < nl + 1 || l[nl] != ':' || !same_fold(l, pname, nl))
		return 0;
	a = nl + 1;
	b = n;
	while (a < b && is_blank(l[a]))
		a++;
	while (b > a && is_blank(l[b - 1]))
		b--;
	*v = l + a;
	*vlen = b - a;
	return 1;
}

/* 1 if t[0..n) is 1..FT_NAME_MAX printable ASCII bytes without spaces. */
static int
name_ok(const char *t, size_t n)
{
	size_t i;

	if (n == 0 || n > FT_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)t[i] < 0x21 || (unsigned char)t[i] > 0x7e)
			return 0;
	return 1;
}

/* Next token of l[0..n) from *pos, split on spaces and tabs; 0 at end. */
static int
next_token(const char *l, size_t n, size_t *pos, const char **t, size_t *tn)
{
	size_t i = *pos, j;

	while (i < n && is_blank(l[i]))
		i++;
	if (i == n) {
		*pos = i;
		return 0;
	}
	j = i;
	while (j < n && !is_blank(l[j]))
		j++;
	*t = l + i;
	*tn = j - i;
	*pos = j;
	return 1;
}

static size_t
qlen(size_t n)
{
	return n > QUOTE_MAX ? QUOTE_MAX : n;
}

/* Append a zeroed event stamped with the current offset and line. */
static int
add_event(struct parser *p, unsigned line, enum ft_script_kind kind,
    struct ft_script_event **out)
{
	struct ft_script *s = p->s;
	struct ft_script_event *ev;

	if (s->n >= FT_SCRIPT_EVENTS_MAX)
		return perr(p, line, FT_ELIMIT, "more than %d events",
		    FT_SCRIPT_EVENTS_MAX);
	if (s->n == p->cap) {
		size_t ncap = p->cap == 0 ? 64 : p->cap * 2;
		struct ft_script_event *nev;

		if (ncap > FT_SCRIPT_EVENTS_MAX)
			ncap = FT_SCRIPT_EVENTS_MAX;
		nev = realloc(s->ev, ncap * sizeof(*nev));
		if (nev == NULL)
			return perr(p, line, FT_ENOMEM, "out of memory");
		s->ev = nev;
		p->cap = ncap;
	}
	ev = &s->ev[s->n++];
	memset(ev, 0, sizeof(*ev));
	ev->kind = kind;
	ev->at_ns = p->at_ns;
	ev->line = line;
	*out = ev;
	return 0;
}

static int
buf_put(struct parser *p, const void *d, size_t n, unsigned line)
{
	if (n > p->bcap - p->blen) {
		size_t ncap = p->bcap == 0 ? 1024 : p->bcap;
		char *nb;

		while (n > ncap - p->blen)
			ncap *= 2;
		nb = realloc(p->buf, ncap);
		if (nb == NULL)
			return perr(p, line, FT_ENOMEM, "out of memory");
		p->buf = nb;
		p->bcap = ncap;
	}
	memcpy(p->buf + p->blen, d, n);
	p->blen += n;
	return 0;
}

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The slot of control source name: its entry, or the free slot for it. */
static struct seqent *
seq_slot(struct seqent *t, size_t cap, const char *name)
{
	size_t i = (size_t)(fnv1a(name) & (cap - 1));

	while (t[i].name[0] != '\0' && strcmp(t[i].name, name) != 0)
		i = (i + 1) & (cap - 1);
	return &t[i];
}

/* The entry of control source name, created (last 0) if new. */
static int
seq_entry(struct parser *p, const char *name, unsigned line,
    struct seqent **out)
{
	struct seqent *se;

	if (p->nseqs + 1 > p->seqcap / 2) {
		size_t ncap = p->seqcap == 0 ? 64 : p->seqcap * 2, i;
		struct seqent *nt = calloc(ncap, sizeof(*nt));

		if (nt == NULL)
			return perr(p, line, FT_ENOMEM, "out of memory");
		for (i = 0; i < p->seqcap; i++)
			if (p->seqs[i].name[0] != '\0')
				*seq_slot(nt, ncap, p->seqs[i].name) =
				    p->seqs[i];
		free(p->seqs);
		p->seqs = nt;
		p->seqcap = ncap;
	}
	se = seq_slot(p->seqs, p->seqcap, name);
	if (se->name[0] == '\0') {
		memcpy(se->name, name, strlen(name) + 1);
		/* seq_first >= 1: its first "auto" is seq_first. */
		se->last = p->seq_first - 1;
		p->nseqs++;
	}
	*out = se;
	return 0;
}

/*
 * "Seq: auto" on line `line`: the next number of the message's control
 * source, one more than the highest Seq of its earlier messages (literal
 * or auto), at least seq_first, written into out as decimal.
 */
static int
seq_auto(struct parser *p, unsigned line, char *out, size_t cap)
{
	struct seqent *se;
	int rc;

	if (!p->have_csource)
		return perr(p, line, FT_EINVAL,
		    "Seq: auto needs a Csource-ID line before it in the "
		    "message");
	if (p->csource[0] == '\0')
		return perr(p, line, FT_EINVAL,
		    "Seq: auto needs a Csource-ID of 1 to %d bytes",
		    FT_NAME_MAX);
	if ((rc = seq_entry(p, p->csource, line, &se)) != 0)
		return rc;
	if (se->last == UINT64_MAX)
		return perr(p, line, FT_ELIMIT,
		    "Seq: auto would go past %llu for Csource-ID '%s'",
		    (unsigned long long)UINT64_MAX, p->csource);
	snprintf(out, cap, "%llu", (unsigned long long)(se->last + 1));
	return 0;
}

/* Add one line (without its line end) to the message being collected. */
static int
msg_line(struct parser *p, const char *l, size_t n, unsigned line)
{
	const char *v;
	size_t vn;
	int rc;

	if (p->msg_line == 0) {
		p->msg_line = line;
		p->blen = 0;
		p->have_csource = 0;
		p->csource[0] = '\0';
		p->have_seq = 0;
		p->seq_ok = 0;
		p->after_auth = 0;
	}
	if (!p->have_csource && param_value(l, n, csource_name, &v, &vn)) {
		/* Too long for a DSTRING: no implicit session name. */
		p->have_csource = 1;
		if (vn <= FT_NAME_MAX) {
			memcpy(p->csource, v, vn);
			p->csource[vn] = '\0';
		}
	}
	if (param_value(l, n, auth_name, &v, &vn) && vn == 4 &&
	    memcmp(v, "auto", 4) == 0) {
		char hex[FT_AUTH_HEX_LEN + 1];

		if (ft_auth_hex(p->key, p->keylen, p->buf, p->blen, hex) != 0)
			return perr(p, line, FT_EINVAL,
			    "cannot compute the MAC");
		if ((rc = buf_put(p, auth_name, sizeof(auth_name) - 1,
		    line)) != 0 || (rc = buf_put(p, ": ", 2, line)) != 0 ||
		    (rc = buf_put(p, hex, FT_AUTH_HEX_LEN, line)) != 0)
			return rc;
	} else if (param_value(l, n, seq_name, &v, &vn) && vn == 4 &&
	    memcmp(v, "auto", 4) == 0) {
		char num[24];

		if ((rc = seq_auto(p, line, num, sizeof(num))) != 0)
			return rc;
		if (!p->have_seq && !p->after_auth) {
			p->have_seq = p->seq_ok = 1;
			/* seq_auto wrote a number it can parse back. */
			(void)ft_num_u64(num, strlen(num), 20, 0, UINT64_MAX,
			    &p->seq);
		}
		if ((rc = buf_put(p, seq_name, sizeof(seq_name) - 1,
		    line)) != 0 || (rc = buf_put(p, ": ", 2, line)) != 0 ||
		    (rc = buf_put(p, num, strlen(num), line)) != 0)
			return rc;
	} else {
		if (!p->have_seq && !p->after_auth &&
		    param_value(l, n, seq_name, &v, &vn)) {
			p->have_seq = 1;
			p->seq_ok = ft_num_u64(v, vn, 20, 0, UINT64_MAX,
			    &p->seq) == 0;
		}
		if ((rc = buf_put(p, l, n, line)) != 0)
			return rc;
	}
	if (param_value(l, n, auth_name, &v, &vn))
		p->after_auth = 1;
	return buf_put(p, "\r\n", 2, line);
}

/* End the message being collected, if any: it becomes an event. */
static int
msg_flush(struct parser *p)
{
	struct ft_script_event *ev;
	unsigned line = p->msg_line;
	int rc;

	if (line == 0)
		return 0;
	p->msg_line = 0;
	if ((rc = buf_put(p, "\r\n", 2, line)) != 0)
		return rc;
	if ((rc = add_event(p, line, FT_SCRIPT_MSG, &ev)) != 0)
		return rc;
	ev->msg = malloc(p->blen);
	if (ev->msg == NULL) {
		p->s->n--;
		return perr(p, line, FT_ENOMEM, "out of memory");
	}
	memcpy(ev->msg, p->buf, p->blen);
	ev->msg_len = p->blen;
	memcpy(ev->csource, p->csource, sizeof(ev->csource));
	ev->has_seq = p->seq_ok;
	ev->seq = p->seq_ok ? p->seq : 0;
	/* Later "Seq: auto" lines of this control source count from it. */
	if (p->seq_ok && p->csource[0] != '\0') {
		struct seqent *se;

		if ((rc = seq_entry(p, p->csource, line, &se)) != 0)
			return rc;
		if (p->seq > se->last)
			se->last = p->seq;
	}
	return 0;
}

static int
dir_at(struct parser *p, const char *l, size_t n, size_t pos, unsigned line)
{
	const char *t, *extra;
	size_t tn, en;
	uint64_t ns;

	if (!next_token(l, n, &pos, &t, &tn))
		return perr(p, line, FT_EINVAL, "@at needs SECONDS");
	if (next_token(l, n, &pos, &extra, &en))
		return perr(p, line, FT_EINVAL,
		    "@at takes one argument, not '%.*s'", (int)qlen(en),
		    extra);
	if (ft_num_seconds_ns(t, tn, UINT64_MAX / 1000000000u, &ns) != 0 ||
	    tn > AT_TEXT_MAX)
		return perr(p, line, FT_EINVAL,
		    "bad time '%.*s' (decimal seconds, up to 9 fractional "
		    "digits)", (int)qlen(tn), t);
	if (ns < p->at_ns)
		return perr(p, line, FT_EINVAL,
		    "@at %.*s goes back in time (last %s)", (int)tn, t,
		    p->at_text);
	p->at_ns = ns;
	memcpy(p->at_text, t, tn);
	p->at_text[tn] = '\0';
	return 0;
}

/* Copy value v[0..vn) of key k into dst, checked as a name. */
static int
set_key(struct parser *p, unsigned line, const char *k, char *dst,
    const char *v, size_t vn)
{
	if (dst[0] != '\0')
		return perr(p, line, FT_EINVAL, "@session: duplicate key '%s'",
		    k);
	if (vn == 0)
		return perr(p, line, FT_EINVAL, "@session: empty %s=", k);
	if (vn > FT_NAME_MAX)
		return perr(p, line, FT_EINVAL,
		    "@session: %s= longer than %d bytes", k, FT_NAME_MAX);
	if (!name_ok(v, vn))
		return perr(p, line, FT_EINVAL,
		    "@session: %s= has a byte that is not printable ASCII", k);
	memcpy(dst, v, vn);
	dst[vn] = '\0';
	return 0;
}

static int
check_name(struct parser *p, unsigned line, const char *d, const char *t,
    size_t tn)
{
	if (tn > FT_NAME_MAX)
		return perr(p, line, FT_EINVAL,
		    "%s: name '%.*s...' longer than %d bytes", d,
		    (int)qlen(tn), t, FT_NAME_MAX);
	if (!name_ok(t, tn))
		return perr(p, line, FT_EINVAL,
		    "%s: name has a byte that is not printable ASCII", d);
	if (memchr(t, '=', tn) != NULL)
		return perr(p, line, FT_EINVAL,
		    "%s needs a NAME before 'KEY=VALUE'", d);
	return 0;
}

static int
dir_session(struct parser *p, const char *l, size_t n, size_t pos,
    unsigned line)
{
	struct ft_script_event *ev;
	char name[FT_NAME_MAX + 1], user[FT_NAME_MAX + 1];
	char password[FT_NAME_MAX + 1], from[FT_NAME_MAX + 1];
	unsigned char addr[16];
	const char *t, *eq;
	size_t tn;
	int rc = 0;

	name[0] = user[0] = password[0] = from[0] = '\0';
	if (!next_token(l, n, &pos, &t, &tn))
		return perr(p, line, FT_EINVAL,
		    "@session needs NAME user=U password=P [from=ADDR]");
	if ((rc = check_name(p, line, "@session", t, tn)) != 0)
		return rc;
	memcpy(name, t, tn);
	name[tn] = '\0';
	while (rc == 0 && next_token(l, n, &pos, &t, &tn)) {
		size_t kn, vn;

		eq = memchr(t, '=', tn);
		if (eq == NULL) {
			rc = perr(p, line, FT_EINVAL,
			    "@session: '%.*s' is not KEY=VALUE",
			    (int)qlen(tn), t);
			break;
		}
		kn = (size_t)(eq - t);
		vn = tn - kn - 1;
		if (kn == 4 && memcmp(t, "user", 4) == 0)
			rc = set_key(p, line, "user", user, eq + 1, vn);
		else if (kn == 8 && memcmp(t, "password", 8) == 0)
			rc = set_key(p, line, "password", password, eq + 1,
			    vn);
		else if (kn == 4 && memcmp(t, "from", 4) == 0)
			rc = set_key(p, line, "from", from, eq + 1, vn);
		else
			rc = perr(p, line, FT_EINVAL,
			    "@session: unknown key '%.*s'", (int)qlen(kn), t);
	}
	if (rc != 0)
		goto out;
	if (user[0] == '\0') {
		rc = perr(p, line, FT_EINVAL, "@session: missing user=");
		goto out;
	}
	if (password[0] == '\0') {
		rc = perr(p, line, FT_EINVAL, "@session: missing password=");
		goto out;
	}
	if (from[0] != '\0' && inet_pton(AF_INET, from, addr) != 1 &&
	    inet_pton(AF_INET6, from, addr) != 1) {
		rc = perr(p, line, FT_EINVAL,
		    "@session: from= '%s' is not an IPv4 or IPv6 address",
		    from);
		goto out;
	}
	if ((rc = add_event(p, line, FT_SCRIPT_SESSION, &ev)) != 0)
		goto out;
	memcpy(ev->name, name, sizeof(name));
	memcpy(ev->user, user, sizeof(user));
	memcpy(ev->password, password, sizeof(password));
	memcpy(ev->from, from, sizeof(from));
out:
	ft_auth_wipe(password, sizeof(password));
	return rc;
}

static int
dir_close(struct parser *p, const char *l, size_t n, size_t pos,
    unsigned line)
{
	struct ft_script_event *ev;
	const char *t = NULL, *extra;
	size_t tn = 0, en;
	int rc;

	if (next_token(l, n, &pos, &t, &tn)) {
		if (next_token(l, n, &pos, &extra, &en))
			return perr(p, line, FT_EINVAL,
			    "@close takes at most one NAME, not '%.*s'",
			    (int)qlen(en), extra);
		if ((rc = check_name(p, line, "@close", t, tn)) != 0)
			return rc;
	}
	if ((rc = add_event(p, line, FT_SCRIPT_CLOSE, &ev)) != 0)
		return rc;
	if (t != NULL) {
		memcpy(ev->name, t, tn);
		ev->name[tn] = '\0';
	}
	return 0;
}

static int
dir_restart(struct parser *p, const char *l, size_t n, size_t pos,
    unsigned line)
{
	struct ft_script_event *ev;
	size_t i;
	int rc;

	while (pos < n && is_blank(l[pos]))
		pos++;
	while (n > pos && is_blank(l[n - 1]))
		n--;
	if (n - pos > FT_DTCP_LINE_MAX)
		return perr(p, line, FT_EINVAL,
		    "@restart: reason longer than %d bytes", FT_DTCP_LINE_MAX);
	for (i = pos; i < n; i++) {
		unsigned char c = (unsigned char)l[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return perr(p, line, FT_EINVAL,
			    "@restart: control character in the reason");
	}
	if ((rc = add_event(p, line, FT_SCRIPT_RESTART, &ev)) != 0)
		return rc;
	memcpy(ev->reason, l + pos, n - pos);
	ev->reason[n - pos] = '\0';
	return 0;
}

static int
directive(struct parser *p, const char *l, size_t n, unsigned line)
{
	size_t w = 0;

	while (w < n && !is_blank(l[w]))
		w++;
	if (w == 3 && memcmp(l, "@at", 3) == 0)
		return dir_at(p, l, n, w, line);
	if (w == 8 && memcmp(l, "@session", 8) == 0)
		return dir_session(p, l, n, w, line);
	if (w == 6 && memcmp(l, "@close", 6) == 0)
		return dir_close(p, l, n, w, line);
	if (w == 8 && memcmp(l, "@restart", 8) == 0)
		return dir_restart(p, l, n, w, line);
	return perr(p, line, FT_EINVAL, "unknown directive '%.*s'",
	    (int)qlen(w), l);
}

static int
parse_lines(struct parser *p, const char *text, size_t len)
{
	size_t off = 0;
	unsigned line = 0;
	int rc;

	while (off < len) {
		const char *l = text + off;
		const char *nl = memchr(l, '\n', len - off);
		size_t n, i;

		line++;	/* FT_SCRIPT_FILE_MAX bounds the count */
		if (nl != NULL) {
			n = (size_t)(nl - l);
			off += n + 1;
			if (n > 0 && l[n - 1] == '\r')
				n--;
		} else {
			n = len - off;
			off = len;
		}
		if (memchr(l, '\0', n) != NULL)
			return perr(p, line, FT_EINVAL, "NUL byte");
		for (i = 0; i < n && is_blank(l[i]); i++)
			;
		if (i == n) {
			rc = msg_flush(p);
		} else if (l[0] == '#') {
			rc = 0;
		} else if (l[0] == '@') {
			if ((rc = msg_flush(p)) == 0)
				rc = directive(p, l, n, line);
		} else {
			rc = msg_line(p, l, n, line);
		}
		if (rc != 0)
			return rc;
	}
	return msg_flush(p);
}

int
ft_script_parse(struct ft_script *s, const char *text, size_t len,
    const char *name, const char *key, size_t keylen, struct ft_err *e)
{
	return ft_script_parse_seq(s, text, len, name, key, keylen, 1, e);
}

int
ft_script_parse_seq(struct ft_script *s, const char *text, size_t len,
    const char *name, const char *key, size_t keylen, uint64_t seq_first,
    struct ft_err *e)
{
	struct parser p;
	int rc;

	s->ev = NULL;
	s->n = 0;
	if (name == NULL)
		name = "script";
	if (len > FT_SCRIPT_FILE_MAX)
		return ft_err_set(e, FT_ELIMIT,
		    "script '%s': %zu bytes, over the cap of %d", name, len,
		    FT_SCRIPT_FILE_MAX);
	if (text == NULL && len > 0)
		return ft_err_set(e, FT_EINVAL, "script '%s': no text", name);
	memset(&p, 0, sizeof(p));
	p.s = s;
	p.name = name;
	p.key = key;
	p.keylen = key == NULL ? 0 : keylen;
	p.e = e;
	p.seq_first = seq_first == 0 ? 1 : seq_first;
	p.at_text[0] = '0';
	rc = parse_lines(&p, text, len);
	free(p.buf);
	free(p.seqs);
	if (rc != 0)
		ft_script_release(s);
	return rc;
}

int
ft_script_load(struct ft_script *s, const char *path, const char *key,
    size_t keylen, struct ft_err *e)
{
	return ft_script_load_seq(s, path, key, keylen, 1, e);
}

int
ft_script_load_seq(struct ft_script *s, const char *path, const char *key,
    size_t keylen, uint64_t seq_first, struct ft_err *e)
{
	FILE *f;
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0, got;
	int rc, err;

	s->ev = NULL;
	s->n = 0;
	/* "-" is standard input (replay -s -), left open. */
	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "rb")) == NULL)
		return ft_err_set(e, FT_EIO, "script '%s': %s", path,
		    strerror(errno));
	for (;;) {
		if (len == cap) {
			if (cap > FT_SCRIPT_FILE_MAX) {
				rc = ft_err_set(e, FT_ELIMIT,
				    "script '%s': over the cap of %d bytes",
				    path, FT_SCRIPT_FILE_MAX);
				goto out;
			}
			cap = cap == 0 ? 65536 : cap * 2;
			if (cap > (size_t)FT_SCRIPT_FILE_MAX + 1)
				cap = (size_t)FT_SCRIPT_FILE_MAX + 1;
			if ((nb = realloc(buf, cap)) == NULL) {
				rc = ft_err_set(e, FT_ENOMEM,
				    "script '%s': out of memory", path);
				goto out;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		err = errno;
		rc = ft_err_set(e, FT_EIO, "script '%s': %s", path,
		    strerror(err != 0 ? err : EIO));
		goto out;
	}
	rc = ft_script_parse_seq(s, buf, len, path, key, keylen, seq_first,
	    e);
out:
	if (buf != NULL) {
		/* The text holds @session passwords. */
		ft_auth_wipe(buf, cap);
		free(buf);
	}
	if (f != stdin)
		fclose(f);
	return rc;
}

void
ft_script_release(struct ft_script *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		ft_auth_wipe(s->ev[i].password, sizeof(s->ev[i].password));
		free(s->ev[i].msg);
	}
	free(s->ev);
	s->ev = NULL;
	s->n = 0;
}
