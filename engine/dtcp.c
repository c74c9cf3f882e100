/*
 * dtcp.c - DTCP bytes <-> messages (SPEC 2).
 *
 * The parser works line by line over a private copy of the request:
 * every line up to Authentication-Info is checked for NUL, bare CR/LF,
 * UTF-8 and the line cap before its meaning is looked at; lines after
 * Authentication-Info are ignored entirely (only the message size cap
 * covers them).
 */
#include "dtcp.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "err.h"

/* Bytes of a bad line echoed in errparam. */
#define ECHO_MAX 64

static void
set_err(char *errparam, size_t cap, const char *s, size_t len)
{
	if (errparam == NULL || cap == 0)
		return;
	if (len > cap - 1)
		len = cap - 1;
	memcpy(errparam, s, len);
	errparam[len] = '\0';
}

static void
set_errs(char *errparam, size_t cap, const char *s)
{
	set_err(errparam, cap, s, strlen(s));
}

/* Echo the first ECHO_MAX bytes of a line, not cutting a UTF-8 sequence. */
static void
set_err_line(char *errparam, size_t cap, const char *s, size_t len)
{
	if (len > ECHO_MAX) {
		len = ECHO_MAX;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	set_err(errparam, cap, s, len);
}

/*
 * 1 if s[0..len) is well-formed UTF-8 (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF, no truncated sequence).
 */
static int
utf8_ok(const unsigned char *s, size_t len)
{
	size_t i = 0, k, n;
	unsigned char c, lo, hi;

	while (i < len) {
		c = s[i];
		lo = 0x80;
		hi = 0xbf;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			if (c == 0xe0)
				lo = 0xa0;	/* overlong */
			else if (c == 0xed)
				hi = 0x9f;	/* surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			if (c == 0xf0)
				lo = 0x90;	/* overlong */
			else if (c == 0xf4)
				hi = 0x8f;	/* above U+10FFFF */
		} else {
			return 0;	/* continuation, C0, C1, F5..FF */
		}
		if (len - i - 1 < n)
			return 0;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (k = 2; k <= n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		i += n + 1;
	}
	return 1;
}

static int
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* ASCII case-insensitive compare of s[0..len) with the string z. */
static int
eq_nocase(const char *s, size_t len, const char *z)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (z[i] == '\0' || lower(s[i]) != lower(z[i]))
			return 0;
	return z[len] == '\0';
}

static const struct {
	const char *name;
	enum ft_dtcp_method m;
} methods[] = {
	{ "ADD", FT_DTCP_M_ADD },
	{ "DELETE", FT_DTCP_M_DELETE },
	{ "LIST", FT_DTCP_M_LIST },
	{ "REFRESH", FT_DTCP_M_REFRESH },
	{ "NOOP", FT_DTCP_M_NOOP },
};

/*
 * Request line: METHOD SP "DTCP/" 1*DIGIT "." 1*DIGIT, trailing
 * whitespace ignored (D03 5). Sets method, m and version; -1 when the
 * line does not have that shape.
 */
static int
parse_reqline(struct ft_dtcp_msg *m, const char *s, size_t len)
{
	size_t i, mlen, maj0, majn, min0, minn;

	while (len > 0 && is_wsp(s[len - 1]))
		len--;
	for (i = 0; i < len && s[i] > ' ' && s[i] < 0x7f; i++)
		;
	mlen = i;
	if (mlen == 0 || i >= len || s[i] != ' ')
		return -1;
	i++;
	if (len - i < 5 || memcmp(s + i, "DTCP/", 5) != 0)
		return -1;
	i += 5;
	maj0 = i;
	while (i < len && is_digit(s[i]))
		i++;
	majn = i - maj0;
	if (majn == 0 || i >= len || s[i] != '.')
		return -1;
	i++;
	min0 = i;
	while (i < len && is_digit(s[i]))
		i++;
	minn = i - min0;
	if (minn == 0 || i != len)
		return -1;

	/*
	 * Versions compare with one digit each side of the point (D03
	 * 6.7); anything else ("0.10", "10.1", "0.0") is a version the
	 * syntax allows but no DTCP has: FT_DTCP_V_OTHER, which the
	 * caller answers 505.
	 */
	if (majn == 1 && minn == 1)
		m->version = (unsigned)(s[maj0] - '0') * 10 +
		    (unsigned)(s[min0] - '0');
	else
		m->version = FT_DTCP_V_OTHER;
	if (m->version == 0)
		m->version = FT_DTCP_V_OTHER;

	/* Longer tokens are kept truncated; they are OTHER anyway. */
	i = mlen < FT_DTCP_METHOD_MAX ? mlen : FT_DTCP_METHOD_MAX;
	memcpy(m->method, s, i);
	m->method[i] = '\0';
	m->m = FT_DTCP_M_OTHER;
	if (mlen <= FT_DTCP_METHOD_MAX) {
		for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
			if (strlen(methods[i].name) == mlen &&
			    memcmp(methods[i].name, s, mlen) == 0) {
				m->m = methods[i].m;
				break;
			}
		}
	}
	return 0;
}

/* End of the first line of s[0..len): index of its LF, or len. */
static size_t
line_end(const char *s, size_t len)
{
	const char *lf = memchr(s, '\n', len);

	return lf != NULL ? (size_t)(lf - s) : len;
}

static void
msg_reset(struct ft_dtcp_msg *m)
{
	m->buf[0] = '\0';
	m->len = 0;
	m->method[0] = '\0';
	m->m = FT_DTCP_M_OTHER;
	m->version = 0;
	m->nparams = 0;
	m->mac_len = 0;
	m->auth = NULL;
	m->auth_len = 0;
	m->defect = NULL;
	m->oversize = 0;
}

/*
 * Note a framing defect: the first one is the one reported, in errparam
 * as its description or, for a line, up to ECHO_MAX bytes of the line.
 */
static void
defect(struct ft_dtcp_msg *m, char *errparam, size_t cap, const char *what,
    const char *line, size_t len)
{
	if (m->defect != NULL)
		return;
	m->defect = what;
	if (line != NULL)
		set_err_line(errparam, cap, line, len);
	else
		set_errs(errparam, cap, what);
}

/* What is wrong with the bytes of one line (CRLF excluded), or NULL. */
static const char *
line_defect(const char *s, size_t len)
{
	if (memchr(s, '\0', len) != NULL)
		return "NUL byte";
	/* A CR inside the line (or ending the data). */
	if (memchr(s, '\r', len) != NULL)
		return "bare CR";
	if (!utf8_ok((const unsigned char *)s, len))
		return "invalid UTF-8";
	if (len > FT_DTCP_LINE_MAX)
		return "line too long";
	return NULL;
}

enum state { ST_REQ, ST_PARAMS, ST_AFTER_AUTH, ST_ENDED };

/*
 * The parser never stops at a framing defect: it notes the first one,
 * skips the line it is in and reads on to Authentication-Info, so that
 * the request can still be authenticated before anyone answers it
 * (SPEC 2: no answer, and no echo, before authentication). Lines after
 * Authentication-Info are not read at all.
 */
int
ft_dtcp_parse(struct ft_dtcp_msg *m, const char *data, size_t len,
    char *errparam, size_t errparam_cap)
{
	struct ft_dtcp_param *p;
	enum state st = ST_REQ;
	size_t pos, eol, cend, next, i, nlen, v0, v1;
	unsigned lineno = 0, nplines = 0;
	const char *s, *bad;

	set_errs(errparam, errparam_cap, "");
	msg_reset(m);
	if (data == NULL)
		len = 0;
	if (len > FT_DTCP_MSG_MAX) {
		m->oversize = 1;
		defect(m, errparam, errparam_cap, "message too long", NULL, 0);
		return 400;
	}
	if (len > 0)
		memcpy(m->buf, data, len);
	m->buf[len] = '\0';
	m->len = len;
	s = m->buf;

	for (pos = 0; pos < len && st != ST_AFTER_AUTH; pos = next) {
		lineno++;
		if (st == ST_ENDED) {
			defect(m, errparam, errparam_cap,
			    "data after end of message", NULL, 0);
			break;
		}
		eol = pos + line_end(s + pos, len - pos);
		if (eol < len) {
			if (eol == pos || s[eol - 1] != '\r') {
				defect(m, errparam, errparam_cap, "bare LF",
				    NULL, 0);
				cend = eol;
			} else {
				cend = eol - 1;
			}
			next = eol + 1;
		} else {
			cend = eol;
			next = eol;
		}
		bad = line_defect(s + pos, cend - pos);
		if (bad != NULL) {
			defect(m, errparam, errparam_cap, bad, NULL, 0);
			if (st == ST_REQ)
				st = ST_PARAMS;
			continue;	/* the line itself is not read */
		}

		if (st == ST_REQ) {
			if (parse_reqline(m, s + pos, cend - pos) != 0)
				defect(m, errparam, errparam_cap,
				    "request line", NULL, 0);
			st = ST_PARAMS;
			continue;
		}
		if (cend == pos) {
			m->mac_len = pos;
			st = ST_ENDED;
			continue;
		}
		if (++nplines > FT_DTCP_PARAMS_MAX) {
			defect(m, errparam, errparam_cap,
			    "too many parameters", NULL, 0);
			/* Read on: Authentication-Info may follow. */
		}

		/* Name COL Value, COL = *WSP ":" *WSP */
		for (i = pos; i < cend && is_name_char(s[i]); i++)
			;
		nlen = i - pos;
		while (i < cend && is_wsp(s[i]))
			i++;
		if (nlen == 0 || i >= cend || s[i] != ':') {
			defect(m, errparam, errparam_cap, "line without ':'",
			    s + pos, cend - pos);
			continue;
		}
		i++;
		while (i < cend && is_wsp(s[i]))
			i++;
		v0 = i;
		v1 = cend;
		while (v1 > v0 && is_wsp(s[v1 - 1]))
			v1--;

		if (eq_nocase(s + pos, nlen, "Authentication-Info")) {
			m->mac_len = pos;
			m->auth = s + v0;
			m->auth_len = v1 - v0;
			st = ST_AFTER_AUTH;	/* the rest is ignored (D03 5) */
			continue;
		}
		if (m->nparams == FT_DTCP_PARAMS_MAX)
			continue;
		p = &m->p[m->nparams++];
		p->name = s + pos;
		p->name_len = nlen;
		p->value = s + v0;
		p->value_len = v1 - v0;
		p->line = lineno;
	}
	if (st == ST_REQ)
		defect(m, errparam, errparam_cap, "request line", NULL, 0);
	/* The empty line may be missing at the very end of data. */
	if (st == ST_PARAMS)
		m->mac_len = len;
	return m->defect != NULL ? 400 : 0;
}

const struct ft_dtcp_param *
ft_dtcp_find(const struct ft_dtcp_msg *m, const char *name)
{
	unsigned i;

	if (m == NULL || name == NULL)
		return NULL;
	for (i = 0; i < m->nparams; i++)
		if (eq_nocase(m->p[i].name, m->p[i].name_len, name))
			return &m->p[i];
	return NULL;
}

/* Names of D00/D03 section 5 and 8, every version. */
static const char *const std_names[] = {
	"Csource-ID", "Cdest-ID", "Seq", "Authentication-Info",
	"Source-Address", "Dest-Address", "Source-Port", "Dest-Port",
	"Protocol", "ICMP-Type", "ICMP-Code", "Timeout-Idle",
	"Timeout-Total", "Timeout-Packets", "Timeout-Bytes", "Priority",
	"Action", "Flags", "Criteria-ID", "Csource-Address", "Timestamp",
	"Criteria-Count", "Criteria-Num",
	/* D03 Appendix B and the subscriber-LI intercept id. */
	"X-JTap-Cdest-Dest-Address", "X-JTap-Cdest-Dest-Port",
	"X-JTap-Cdest-Source-Address", "X-JTap-Cdest-Source-Port",
	"X-JTap-Cdest-TTL", "X-JTap-VRF-Name", "X-JTap-Input-Interface",
	"X-JTap-Output-Interface", "X-JTap-IP-Version", "X-MD-Intercept-Id",
};

int
ft_dtcp_param_known(const char *name, size_t len, unsigned version)
{
	size_t i;

	if (name == NULL)
		return 0;
	for (i = 0; i < sizeof(std_names) / sizeof(std_names[0]); i++)
		if (eq_nocase(name, len, std_names[i]))
			return 1;
	/* J-FTL: X-JTap-Filter-Family needs DTCP/0.8. */
	if (version >= FT_DTCP_V08 && version != FT_DTCP_V_OTHER &&
	    eq_nocase(name, len, "X-JTap-Filter-Family"))
		return 1;
	return 0;
}

const char *
ft_dtcp_param_name(unsigned i, unsigned version)
{
	size_t n = sizeof(std_names) / sizeof(std_names[0]);

	if (i < n)
		return std_names[i];
	if (i == n && version >= FT_DTCP_V08 && version != FT_DTCP_V_OTHER)
		return "X-JTap-Filter-Family";
	return NULL;
}

/* Names are compared with ASCII case and '_' / '-' folded. */
static char
fold(char c)
{
	return c == '_' ? '-' : lower(c);
}

/*
 * Optimal string alignment distance of a[0..la) and b[0..lb), folded,
 * or NEAR_MAX + 1 when it is larger than NEAR_MAX (or a name is longer
 * than NEAR_LEN_MAX).
 */
#define NEAR_MAX	2
#define NEAR_LEN_MAX	64

static unsigned
near_distance(const char *a, size_t la, const char *b, size_t lb)
{
	unsigned d[NEAR_LEN_MAX + 1][NEAR_LEN_MAX + 1];
	size_t i, j;

	if (la > NEAR_LEN_MAX || lb > NEAR_LEN_MAX ||
	    (la > lb ? la - lb : lb - la) > NEAR_MAX)
		return NEAR_MAX + 1;
	for (i = 0; i <= la; i++)
		d[i][0] = (unsigned)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			unsigned c = fold(a[i - 1]) != fold(b[j - 1]);
			unsigned v = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + c < v)
				v = d[i - 1][j - 1] + c;
			if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
			    fold(a[i - 2]) == fold(b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb] > NEAR_MAX ? NEAR_MAX + 1 : d[la][lb];
}

/* 1 if removing one '-' segment of the longer name gives the shorter. */
static int
segment_off(const char *a, size_t la, const char *b, size_t lb)
{
	const char *l = a, *s = b;
	size_t ll = la, ls = lb, p, q, k;

	if (la < lb) {
		l = b;
		ll = lb;
		s = a;
		ls = la;
	}
	if (ll <= ls)
		return 0;
	/* Drop l[p..q] (a segment and one of its '-') and compare. */
	for (p = 0; p < ll; p = q + 1) {
		for (q = p; q < ll && fold(l[q]) != '-'; q++)
			;
		if (q >= ll)
			break;	/* the last segment is never the one off */
		if (ll - (q + 1 - p) != ls)
			continue;
		for (k = 0; k < ls; k++) {
			char c = k < p ? l[k] : l[k + (q + 1 - p)];

			if (fold(c) != fold(s[k]))
				break;
		}
		if (k == ls)
			return 1;
	}
	return 0;
}

const char *
ft_dtcp_param_near(const char *name, size_t len, unsigned version)
{
	const char *best = NULL, *k;
	unsigned i, d, bestd = NEAR_MAX + 1;

	if (name == NULL || len < 2 || fold(name[0]) != 'x' ||
	    name[1] != '-' || ft_dtcp_param_known(name, len, version))
		return NULL;
	for (i = 0; (k = ft_dtcp_param_name(i, version)) != NULL; i++) {
		size_t kl = strlen(k);

		if (!eq_nocase(k, 7, "X-JTap-") && !eq_nocase(k, 5, "X-MD-"))
			continue;
		d = near_distance(name, len, k, kl);
		if (d > NEAR_MAX && segment_off(name, len, k, kl))
			d = NEAR_MAX;
		if (d < bestd) {
			bestd = d;
			best = k;
		}
	}
	return best;
}

enum ft_dtcp_mac
ft_dtcp_mac_check(const struct ft_dtcp_msg *m, const void *key,
    size_t keylen)
{
	char low[FT_AUTH_HEX_LEN];
	size_t i;
	int upper = 0;

	if (m->auth == NULL)
		return FT_DTCP_MAC_MISSING;
	if (m->mac_len <= m->len && ft_auth_check(key, keylen, m->buf,
	    m->mac_len, m->auth, m->auth_len))
		return FT_DTCP_MAC_OK;
	if (m->auth_len != FT_AUTH_HEX_LEN)
		return FT_DTCP_MAC_MALFORMED;
	for (i = 0; i < FT_AUTH_HEX_LEN; i++) {
		char c = m->auth[i];

		if (c >= 'A' && c <= 'F')
			upper = 1;
		else if (!is_digit(c) && !(c >= 'a' && c <= 'f'))
			return FT_DTCP_MAC_MALFORMED;
		low[i] = lower(c);
	}
	if (upper && m->mac_len <= m->len && ft_auth_check(key, keylen,
	    m->buf, m->mac_len, low, FT_AUTH_HEX_LEN))
		return FT_DTCP_MAC_UPPER;
	return upper ? FT_DTCP_MAC_MALFORMED : FT_DTCP_MAC_WRONG;
}

/* Append s[0..n) to out[0..cap) at *o, counting what would not fit. */
static void
esc_put(char *out, size_t cap, size_t *o, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++, (*o)++)
		if (*o + 1 < cap)
			out[*o] = s[i];
}

size_t
ft_dtcp_escape_lines(const char *b, size_t len, const char *prefix,
    char *out, size_t cap)
{
	size_t o = 0, i, pl = strlen(prefix);
	int bol = 1;
	char x[5];

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)b[i];

		if (bol) {
			if (i > 0)
				esc_put(out, cap, &o, "\n", 1);
			esc_put(out, cap, &o, prefix, pl);
			bol = 0;
		}
		if (c == '\r')
			esc_put(out, cap, &o, "\\r", 2);
		else if (c == '\n') {
			esc_put(out, cap, &o, "\\n", 2);
			bol = 1;
		} else if (c == '\t')
			esc_put(out, cap, &o, "\\t", 2);
		else if (c == '\\')
			esc_put(out, cap, &o, "\\\\", 2);
		else if (c == ' ' && (i + 1 == len || b[i + 1] == '\r' ||
		    b[i + 1] == '\n'))
			esc_put(out, cap, &o, "\\x20", 4);
		else if (c < 0x20 || c >= 0x7f) {
			snprintf(x, sizeof(x), "\\x%02x", c);
			esc_put(out, cap, &o, x, 4);
		} else
			esc_put(out, cap, &o, (const char *)&b[i], 1);
	}
	if (cap > 0)
		out[o < cap ? o : cap - 1] = '\0';
	return o;
}

const char *
ft_dtcp_reason(int code)
{
	switch (code) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 430:
		return "Unknown Content Destination";
	case 431:
		return "Unknown Criteria ID";
	case 432:
		return "Improper Filter Specification";
	case 433:
		return "Improper Timeout Specification";
	case 497:
		return "Invalid Authentication";
	case 498:
		return "Invalid Sequence Number";
	case 499:
		return "Unknown Control Source";
	case 500:
		return "Server Internal Error";
	case 501:
		return "Not Implemented";
	case 505:
		return "DTCP Version Not Supported";
	case 550:
		return "Max Criteria Limit Exceeded";
	case 551:
		return "Max Content Destination Exceeded";
	case 901:
		return "JTap-Failure";
	}
	return "Unknown";
}

/* Append s[0..n) or mark the reply overflowed. */
static void
put(struct ft_dtcp_reply *r, const char *s, size_t n)
{
	if (r->overflow || n > sizeof(r->buf) - r->len) {
		r->overflow = 1;
		return;
	}
	memcpy(r->buf + r->len, s, n);
	r->len += n;
}

static void
put_str(struct ft_dtcp_reply *r, const char *s)
{
	put(r, s, strlen(s));
}

void
ft_dtcp_reply_start(struct ft_dtcp_reply *r, unsigned version, int code)
{
	char line[64];
	int n;

	r->len = 0;
	r->mac_len = 0;
	r->overflow = 0;
	if (version == 0 || version > 99)
		version = FT_DTCP_V_MAX;
	n = snprintf(line, sizeof(line), "DTCP/%u.%u %d ", version / 10,
	    version % 10, code);
	if (n < 0 || (size_t)n >= sizeof(line)) {
		r->overflow = 1;
		return;
	}
	put(r, line, (size_t)n);
	put_str(r, ft_dtcp_reason(code));
	put(r, "\r\n", 2);
}

void
ft_dtcp_reply_add(struct ft_dtcp_reply *r, const char *name,
    const char *value)
{
	char esc[5];
	const unsigned char *v;
	size_t start = r->len;

	put_str(r, name);
	put(r, ": ", 2);
	/*
	 * Control characters other than TAB would break the framing: write
	 * them as backslash and three decimal digits (D03 5).
	 */
	for (v = (const unsigned char *)value; v != NULL && *v != '\0'; v++) {
		if ((*v < 0x20 && *v != '\t') || *v == 0x7f) {
			snprintf(esc, sizeof(esc), "\\%03u", (unsigned)*v);
			put(r, esc, 4);
		} else {
			put(r, (const char *)v, 1);
		}
	}
	put(r, "\r\n", 2);
	if (r->overflow)
		r->len = start;
}

void
ft_dtcp_reply_addu(struct ft_dtcp_reply *r, const char *name,
    uint64_t value)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRIu64, value);
	ft_dtcp_reply_add(r, name, num);
}

int
ft_dtcp_reply_finish(struct ft_dtcp_reply *r, const void *key,
    size_t keylen)
{
	char hex[FT_AUTH_HEX_LEN + 1];
	size_t start = r->len;
	int rc;

	if (r->overflow)
		return FT_ELIMIT;
	rc = ft_auth_hex(key, keylen, r->buf, r->len, hex);
	if (rc != 0)
		return rc;
	r->mac_len = r->len;
	put_str(r, "AUTHENTICATION-INFO: ");
	put(r, hex, FT_AUTH_HEX_LEN);
	put(r, "\r\n\r\n", 4);
	if (r->overflow) {
		r->len = start;
		return FT_ELIMIT;
	}
	return 0;
}

void
ft_dtcp_timestamp(uint64_t ns, char out[24])
{
	char tmp[64];
	struct tm tm;
	time_t t = (time_t)(ns / 1000000000u);
	unsigned ms = (unsigned)(ns / 1000000u % 1000u);
	int n;

	if (gmtime_r(&t, &tm) == NULL) {
		memcpy(out, "1970-01-01 00:00:00.000", 24);
		return;
	}
	n = snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d %02d:%02d:%02d.%03u",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, ms);
	if (n != 23) {
		memcpy(out, "1970-01-01 00:00:00.000", 24);
		return;
	}
	memcpy(out, tmp, 24);
}
