/*
 * lint.c - `flowtap lint` (lint.h): every message of a script, a
 * parameter file or a transcript through the engine's own tasking, each
 * outcome explained by the rule catalogue, plus the checks a router does
 * not make.
 */
#include "lint.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "dtcp.h"
#include "limits.h"
#include "num.h"
#include "rule.h"
#include "script.h"

/* The suites' trace start, 2011-02-13 15:56:40 UTC: scripts' time 0. */
#define T0_NS		1297612600000000000ULL
#define NS_PER_S	1000000000ULL
/* Findings of one file: past this, one last finding says so. */
#define FINDINGS_MAX	100000
/* Criteria-IDs remembered as lost at restarts. */
#define LOST_MAX	4096
#define TEXT_MAX	1024
#define KEY_DEFAULT	FT_AUTH_DEFAULT_KEY

/* A criterion as the linter follows it (from the engine's replies). */
struct crit {
	uint64_t id;
	char owner[FT_NAME_MAX + 1];
	int is_static;
	unsigned ncd;
	char cd[FT_CDEST_MAX][FT_NAME_MAX + 1];
};

/* A criterion a restart deleted. */
struct lost {
	uint64_t id;
	char owner[FT_NAME_MAX + 1];
	unsigned restart_line;
};

/* Since the last restart: criteria lost and re-added per control source. */
struct readd {
	char owner[FT_NAME_MAX + 1];
	unsigned lost, added;
	uint64_t first_id;
};

struct seqlast {
	char cs[FT_NAME_MAX + 1];
	uint64_t last;
	int have;
};

/* One message's bytes and where its lines are in the file. */
struct mtext {
	const char *bytes;
	size_t len;
	unsigned first;		/* file line of its first line */
	const unsigned *lmap;	/* file line of message line i+1 */
	unsigned nl;
	int auth_auto;		/* its MAC line was "auto" (script) */
};

struct lint {
	const struct ft_lint_opts *o;
	struct ft_lint_file *f;
	size_t fcap, mcap;
	const char *key;
	size_t keylen;

	struct ft_routercfg *router;	/* ours when o->router is NULL */
	const struct ft_routercfg *rc;
	struct ft_tasking *t;
	uint64_t now;

	/* What the engine logged for the current request. */
	enum ft_lint_outcome got;
	int code;
	enum ft_rules_id got_rule;	/* the engine's rule of it */
	char reason[256];
	char *reply;
	size_t reply_len;
	char refuse[256];
	int refused;

	struct crit crit[FT_CRITERIA_MAX];
	unsigned ncrit;
	struct lost lost[LOST_MAX];
	unsigned nlost;
	struct readd readd[FT_CSOURCES_MAX];
	unsigned nreadd;
	unsigned restart_line;		/* of the last restart, 0: none */
	struct seqlast seq[FT_CSOURCES_MAX];
	unsigned nseq;

	struct ft_dtcp_msg *m;
	struct ft_rule *rule;
	struct ft_dtcp_reply *replybuf;
	int explicit_sessions;
	int cur_sid;
	char cur_name[FT_NAME_MAX + 1];
};

/* --- small helpers ------------------------------------------------------ */

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int
ieqn(const char *a, size_t alen, const char *b)
{
	size_t i;

	if (alen != strlen(b))
		return 0;
	for (i = 0; i < alen; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	return 1;
}

static int
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static int
same_name(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	return 1;
}

static char *
dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* s[0..n) quoted for a one-line message: printable ASCII, else \xHH. */
static void
quote(char *out, size_t cap, const char *s, size_t n, size_t max)
{
	size_t o = 0, i;

	if (cap == 0)
		return;
	for (i = 0; i < n && i < max && o + 5 < cap; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			out[o++] = (char)c;
		} else if (c == '\\') {
			out[o++] = '\\';
			out[o++] = '\\';
		} else {
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
		}
	}
	if (i < n && o + 4 < cap) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o < cap ? o : cap - 1] = '\0';
}

/* --- findings ---------------------------------------------------------- */

static int add_finding_v(struct lint *L, unsigned line, enum ft_rules_id rule,
    unsigned msg, const char *detail, const char *fmt, va_list ap)
    FT_PRINTF(6, 0);

static int
add_finding_v(struct lint *L, unsigned line, enum ft_rules_id rule,
    unsigned msg, const char *detail, const char *fmt, va_list ap)
{
	struct ft_lint_file *f = L->f;
	struct ft_lint_finding *x;
	char text[TEXT_MAX];

	if (f->nf >= FINDINGS_MAX)
		return 0;
	if (f->nf == L->fcap) {
		size_t ncap = L->fcap ? L->fcap * 2 : 32;
		struct ft_lint_finding *n = realloc(f->f, ncap * sizeof(*n));

		if (n == NULL)
			return FT_ENOMEM;
		f->f = n;
		L->fcap = ncap;
	}
	vsnprintf(text, sizeof(text), fmt, ap);
	x = &f->f[f->nf];
	memset(x, 0, sizeof(*x));
	x->line = line;
	x->rule = rule;
	x->msg = msg;
	x->text = dupn(text, strlen(text));
	if (x->text == NULL)
		return FT_ENOMEM;
	if (detail != NULL && (x->detail = dupn(detail, strlen(detail))) ==
	    NULL) {
		free(x->text);
		return FT_ENOMEM;
	}
	f->nf++;
	f->count[ft_rules_get(rule)->severity]++;
	return 0;
}

static int add_finding(struct lint *L, unsigned line, enum ft_rules_id rule,
    unsigned msg, const char *fmt, ...) FT_PRINTF(5, 6);

static int
add_finding(struct lint *L, unsigned line, enum ft_rules_id rule,
    unsigned msg, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = add_finding_v(L, line, rule, msg, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

static int add_finding_d(struct lint *L, unsigned line, enum ft_rules_id rule,
    unsigned msg, const char *detail, const char *fmt, ...) FT_PRINTF(6, 7);

static int
add_finding_d(struct lint *L, unsigned line, enum ft_rules_id rule,
    unsigned msg, const char *detail, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = add_finding_v(L, line, rule, msg, detail, fmt, ap);
	va_end(ap);
	return rc;
}

static int
has_finding(const struct lint *L, unsigned msg, enum ft_rules_id rule)
{
	size_t i;

	for (i = 0; i < L->f->nf; i++)
		if (L->f->f[i].msg == msg && L->f->f[i].rule == rule)
			return 1;
	return 0;
}

static struct ft_lint_message *
new_message(struct lint *L)
{
	struct ft_lint_file *f = L->f;

	if (f->nmsgs == L->mcap) {
		size_t ncap = L->mcap ? L->mcap * 2 : 32;
		struct ft_lint_message *n = realloc(f->msgs,
		    ncap * sizeof(*n));

		if (n == NULL)
			return NULL;
		f->msgs = n;
		L->mcap = ncap;
	}
	memset(&f->msgs[f->nmsgs], 0, sizeof(f->msgs[0]));
	return &f->msgs[f->nmsgs++];
}

/* --- the engine ---------------------------------------------------------- */

/* "criterion N expired (...)": the model forgets N. */
static void model_forget(struct lint *L, uint64_t id);

static void
on_event(void *ctx, const struct ft_event *ev)
{
	struct lint *L = ctx;
	const char *r;
	uint64_t id;
	size_t n;

	switch (ev->kind) {
	case FT_EV_REPLY:
		L->got = FT_LINT_OUT_REPLY;
		L->code = ev->code;
		L->got_rule = (enum ft_rules_id)ev->rule;
		free(L->reply);
		L->reply = dupn(ev->text != NULL ? ev->text : "",
		    ev->text != NULL ? ev->text_len : 0);
		L->reply_len = L->reply != NULL ? ev->text_len : 0;
		break;
	case FT_EV_DROP:
		L->got = FT_LINT_OUT_DROP;
		L->code = ev->code;
		L->got_rule = (enum ft_rules_id)ev->rule;
		/* The specifics after the rule's plain reason ("; ..."). */
		r = ev->reason != NULL ? ev->reason : "";
		n = strlen(ft_rules_get(ev->rule)->explain);
		if (ev->rule != 0 && strncmp(r, ft_rules_get(ev->rule)->explain,
		    n) == 0)
			r += r[n] == ';' && r[n + 1] == ' ' ? n + 2 : n;
		snprintf(L->reason, sizeof(L->reason), "%s", r);
		break;
	case FT_EV_REFUSE:
		L->refused = 1;
		snprintf(L->refuse, sizeof(L->refuse), "%s",
		    ev->reason != NULL ? ev->reason : "");
		break;
	case FT_EV_EXPIRE:
		r = ev->reason;
		if (r == NULL || strncmp(r, "criterion ", 10) != 0)
			break;
		for (n = 10; r[n] >= '0' && r[n] <= '9'; n++)
			;
		if (ft_num_u64(r + 10, n - 10, 20, 0, UINT64_MAX, &id) == 0)
			model_forget(L, id);
		break;
	case FT_EV_OPEN:
	case FT_EV_CLOSE:
	case FT_EV_REQUEST:
	case FT_EV_RESTART:
	case FT_EV_WARN:	/* lint makes the same checks itself */
		break;
	}
}

static int
env_has_ifl(void *ctx, const char *name, size_t len)
{
	const struct lint *L = ctx;

	return ft_routercfg_has_ifl(L->rc, name, len);
}

static int
env_has_vrf(void *ctx, const char *name, size_t len)
{
	const struct lint *L = ctx;

	return ft_routercfg_has_vrf(L->rc, name, len);
}

/* The ADD environment tasking gives ft_rule_from_add (docs/dtcp.md). */
static void
rule_env(struct lint *L, struct ft_rule_env *env)
{
	memset(env, 0, sizeof(*env));
	env->require_static = L->o->profile != FT_PROFILE_DRAFT;
	env->allow_timeouts = L->o->profile == FT_PROFILE_DRAFT;
	env->has_ifl = env_has_ifl;
	env->has_vrf = env_has_vrf;
	env->ctx = L;
}

static void
reset_capture(struct lint *L)
{
	L->got = FT_LINT_OUT_NONE;
	L->code = 0;
	L->got_rule = FT_RULES_NONE;
	L->reason[0] = '\0';
	free(L->reply);
	L->reply = NULL;
	L->reply_len = 0;
	L->refused = 0;
	L->refuse[0] = '\0';
}

/* --- the model ---------------------------------------------------------- */

static struct crit *
model_get(struct lint *L, uint64_t id)
{
	unsigned i;

	for (i = 0; i < L->ncrit; i++)
		if (L->crit[i].id == id)
			return &L->crit[i];
	return NULL;
}

static void
model_forget(struct lint *L, uint64_t id)
{
	struct crit *c = model_get(L, id);

	if (c == NULL)
		return;
	*c = L->crit[--L->ncrit];
}

static struct readd *
readd_of(struct lint *L, const char *owner, int create)
{
	unsigned i;

	for (i = 0; i < L->nreadd; i++)
		if (strcmp(L->readd[i].owner, owner) == 0)
			return &L->readd[i];
	if (!create || L->nreadd == FT_CSOURCES_MAX)
		return NULL;
	memset(&L->readd[L->nreadd], 0, sizeof(L->readd[0]));
	memcpy(L->readd[L->nreadd].owner, owner, strnlen(owner, FT_NAME_MAX));
	return &L->readd[L->nreadd++];
}

/* The SHOULD of seed-19 for the restart that ends here (or at the end). */
static int
readd_report(struct lint *L)
{
	unsigned i;
	int rc = 0;

	for (i = 0; i < L->nreadd && rc == 0; i++) {
		const struct readd *r = &L->readd[i];

		if (r->lost == 0 || r->added >= r->lost)
			continue;
		if (r->added == 0)
			rc = add_finding(L, L->restart_line,
			    FT_RULES_RESTART_READD, 0, "after a restart a "
			    "mediation device re-sends its ADDs: '%s' lost %u "
			    "criteri%s at this restart and sends no ADD after "
			    "it", r->owner, r->lost, r->lost == 1 ? "on" : "a");
		else
			rc = add_finding(L, L->restart_line,
			    FT_RULES_RESTART_READD, 0, "after a restart a "
			    "mediation device re-sends its ADDs: '%s' lost %u "
			    "criteria at this restart and re-adds %u",
			    r->owner, r->lost, r->added);
	}
	L->nreadd = 0;
	return rc;
}

static int
model_restart(struct lint *L, unsigned line)
{
	unsigned i;
	int rc;

	rc = readd_report(L);
	L->restart_line = line;
	for (i = 0; i < L->ncrit; i++) {
		struct readd *r = readd_of(L, L->crit[i].owner, 1);

		if (r != NULL)
			r->lost++;
		if (L->nlost < LOST_MAX) {
			L->lost[L->nlost].id = L->crit[i].id;
			memcpy(L->lost[L->nlost].owner, L->crit[i].owner,
			    sizeof(L->lost[0].owner));
			L->lost[L->nlost].restart_line = line;
			L->nlost++;
		}
	}
	L->ncrit = 0;
	L->nseq = 0;
	return rc;
}

static const struct lost *
lost_of(const struct lint *L, uint64_t id)
{
	unsigned i;

	for (i = 0; i < L->nlost; i++)
		if (L->lost[i].id == id)
			return &L->lost[i];
	return NULL;
}

/* --- a reply's lines ----------------------------------------------------- */

/* The value of the first line "NAME: value" of a reply, or 0. */
static int
reply_value(const char *r, size_t len, const char *name, char *out,
    size_t cap)
{
	size_t pos = 0, nl = strlen(name);

	while (pos < len) {
		const char *l = r + pos;
		const char *e = memchr(l, '\n', len - pos);
		size_t n = e != NULL ? (size_t)(e - l) : len - pos;

		pos += n + 1;
		if (n > 0 && l[n - 1] == '\r')
			n--;
		if (n > nl + 1 && ieqn(l, nl, name) && l[nl] == ':') {
			size_t v = nl + 1;

			while (v < n && is_wsp(l[v]))
				v++;
			if (n - v >= cap)
				n = v + cap - 1;
			memcpy(out, l + v, n - v);
			out[n - v] = '\0';
			return 1;
		}
	}
	return 0;
}

/* --- what a MAC covers -------------------------------------------------- */

/*
 * The MAC findings (497): missing, malformed, upper case, wrong - the
 * wrong one with the expected value, the bytes covered, and the usual
 * mistakes tried (LF line ends, no final CRLF, trailing spaces dropped,
 * the empty line included).
 */
static enum ft_rules_id
mac_rule(const struct lint *L, const struct ft_dtcp_msg *m)
{
	switch (ft_dtcp_mac_check(m, L->key, L->keylen)) {
	case FT_DTCP_MAC_OK:
		return FT_RULES_NONE;
	case FT_DTCP_MAC_MISSING:
		return FT_RULES_AUTH_MAC_MISSING;
	case FT_DTCP_MAC_MALFORMED:
		return FT_RULES_AUTH_MAC_MALFORMED;
	case FT_DTCP_MAC_UPPER:
		return FT_RULES_AUTH_MAC_CASE;
	case FT_DTCP_MAC_WRONG:
		break;
	}
	return FT_RULES_AUTH_MAC_WRONG;
}

/* The bytes a MAC covers, one message line per detail line, escaped. */
static char *
covered_detail(const char *b, size_t len)
{
	size_t need = ft_dtcp_escape_lines(b, len, "    | ", NULL, 0) + 64;
	char *d = malloc(need);
	int n;

	if (d == NULL)
		return NULL;
	n = snprintf(d, need, "    covered bytes (%zu):\n", len);
	(void)ft_dtcp_escape_lines(b, len, "    | ", d + n, need - (size_t)n);
	return d;
}

/* HMAC of a variant of the covered bytes; 1 if it is the given MAC. */
static int
variant_matches(const struct lint *L, const struct ft_dtcp_msg *m, int kind)
{
	static char buf[2 * FT_DTCP_MSG_MAX + 4];
	const char *b = m->buf;
	size_t len = m->mac_len, o = 0, i;
	char hex[FT_AUTH_HEX_LEN + 1];

	for (i = 0; i < len; i++) {
		char c = b[i];

		if (kind == 0 && c == '\r' && i + 1 < len && b[i + 1] == '\n')
			continue;	/* LF line ends */
		if (kind == 2 && is_wsp(c)) {
			size_t j = i;

			while (j < len && is_wsp(b[j]))
				j++;
			if (j + 1 < len && b[j] == '\r' && b[j + 1] == '\n') {
				i = j - 1;
				continue;	/* trailing spaces dropped */
			}
		}
		buf[o++] = c;
	}
	if (kind == 1) {
		if (o < 2 || buf[o - 2] != '\r' || buf[o - 1] != '\n')
			return 0;
		o -= 2;		/* without the last CRLF */
	}
	if (kind == 3) {
		buf[o++] = '\r';	/* with the empty line */
		buf[o++] = '\n';
	}
	if (kind == 2 && o == len)
		return 0;	/* no trailing space: no variant */
	if (ft_auth_hex(L->key, L->keylen, buf, o, hex) != 0)
		return 0;
	return m->auth_len == FT_AUTH_HEX_LEN &&
	    strncmp(hex, m->auth, FT_AUTH_HEX_LEN) == 0;
}

/* Line number of message line k (1-based) in the file. */
static unsigned
file_line(const struct mtext *mt, unsigned k)
{
	if (k >= 1 && k <= mt->nl && mt->lmap != NULL)
		return mt->lmap[k - 1];
	return mt->first + (k > 0 ? k - 1 : 0);
}

/* The message line where Authentication-Info is, or the last line. */
static unsigned
auth_line(const struct ft_dtcp_msg *m)
{
	size_t i;
	unsigned line = 1;

	for (i = 0; i < m->len && i < m->mac_len; i++)
		if (m->buf[i] == '\n')
			line++;
	return line;
}

static int
mac_finding(struct lint *L, const struct mtext *mt,
    const struct ft_dtcp_msg *m, enum ft_rules_id rule, unsigned msg,
    const char *outcome)
{
	static const char *const hints[] = {
		"it is the MAC of the same lines ended with LF only: hash "
		    "them with CR LF line ends",
		"it is the MAC of the lines without the last line's CRLF: "
		    "the CRLF ending the line before Authentication-Info is "
		    "covered",
		"it is the MAC of the lines without their trailing spaces: "
		    "hash the bytes exactly as sent",
		"it is the MAC of the lines and an empty line: the MAC "
		    "stops at the CRLF ending the line before "
		    "Authentication-Info",
	};
	char hex[FT_AUTH_HEX_LEN + 1], got[64], keyname[64];
	const char *hint = NULL;
	char *detail = NULL;
	unsigned line = file_line(mt, auth_line(m)), last;
	int rc, k;

	if (L->o->key == NULL)
		snprintf(keyname, sizeof(keyname), "the default key Juniper");
	else
		snprintf(keyname, sizeof(keyname), "the --key key");
	last = auth_line(m) > 1 ? auth_line(m) - 1 : 1;
	switch (rule) {
	case FT_RULES_AUTH_MAC_MISSING:
		if (ft_auth_hex(L->key, L->keylen, m->buf, m->mac_len, hex) !=
		    0)
			hex[0] = '\0';
		return add_finding(L, file_line(mt, last), rule, msg,
		    "no Authentication-Info line: every request ends with "
		    "Authentication-Info: the HMAC-SHA1 of its lines "
		    "(with %s: %s); %s", keyname, hex, outcome);
	case FT_RULES_AUTH_MAC_MALFORMED:
		quote(got, sizeof(got), m->auth, m->auth_len, 48);
		return add_finding(L, line, rule, msg,
		    "Authentication-Info '%s' is not 40 lower-case hex "
		    "digits (%zu characters); %s", got, m->auth_len, outcome);
	case FT_RULES_AUTH_MAC_CASE:
		quote(got, sizeof(got), m->auth, m->auth_len, 48);
		return add_finding(L, line, rule, msg,
		    "Authentication-Info '%s' is the right MAC in upper case: "
		    "it must be lower-case hex; %s", got, outcome);
	default:
		break;
	}
	if (ft_auth_hex(L->key, L->keylen, m->buf, m->mac_len, hex) != 0)
		hex[0] = '\0';
	for (k = 0; k < 4 && hint == NULL; k++)
		if (variant_matches(L, m, k))
			hint = hints[k];
	if (L->o->explain_mac && (detail = covered_detail(m->buf,
	    m->mac_len)) == NULL)
		return FT_ENOMEM;
	quote(got, sizeof(got), m->auth, m->auth_len, 48);
	rc = add_finding_d(L, line, rule, msg, detail,
	    "Authentication-Info %s does not verify with %s over the %zu "
	    "bytes of lines %u-%u (request line through the CRLF before "
	    "Authentication-Info): expected %s%s%s; %s", got, keyname,
	    m->mac_len, mt->first, file_line(mt, last), hex,
	    hint != NULL ? "; " : "", hint != NULL ? hint : "", outcome);
	free(detail);
	return rc;
}

/* --- one message ---------------------------------------------------------- */

/* The message line of the first parameter called name, or 0. */
static unsigned
param_line(const struct ft_dtcp_msg *m, const char *ep)
{
	const struct ft_dtcp_param *p;
	char name[FT_DTCP_LINE_MAX + 1];
	size_t n = 0;

	while (ep[n] != '\0' && ep[n] != ':' && ep[n] != ',' &&
	    n < sizeof(name) - 1) {
		name[n] = ep[n];
		n++;
	}
	name[n] = '\0';
	p = ft_dtcp_find(m, name);
	return p != NULL ? p->line : 0;
}

/*
 * The criterion a 431's ERROR-PARAMETERS ("Criteria-ID: N") names, when
 * a restart took it from user; else NULL.
 */
static const struct lost *
lost_id(const struct lint *L, const char *ep, const char *user,
    uint64_t *id)
{
	const struct lost *lo;

	*id = 0;
	if (user == NULL || strncmp(ep, "Criteria-ID: ", 13) != 0 ||
	    ft_num_u64(ep + 13, strcspn(ep + 13, "-"), 20, 0, UINT64_MAX,
	    id) != 0)
		return NULL;
	lo = lost_of(L, *id);
	return lo != NULL && strcmp(lo->owner, user) == 0 ? lo : NULL;
}

/* 1 if l[0..n) is valid UTF-8 (RFC 3629), as dtcp.c checks it. */
static int
utf8_line(const char *l, size_t n)
{
	const unsigned char *s = (const unsigned char *)l;
	size_t i = 0, k, w;

	while (i < n) {
		unsigned char c = s[i], lo = 0x80, hi = 0xbf;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			w = 1;
		else if (c >= 0xe0 && c <= 0xef)
			w = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			w = 3;
		else
			return 0;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		else if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (n - i - 1 < w || s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (k = 2; k <= w; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		i += w + 1;
	}
	return 1;
}

/*
 * The message line of a framing defect (the first such), else dflt: the
 * parser names the defect but not its line.
 */
static unsigned
defect_line(const struct ft_dtcp_msg *m, enum ft_rules_id rule,
    const char *ep, unsigned dflt)
{
	const char *b = m->buf;
	size_t pos = 0, len = m->len, epl = strlen(ep);
	unsigned line = 0;
	int seen_end = 0;

	while (pos < len) {
		const char *l = b + pos;
		const char *e = memchr(l, '\n', len - pos);
		size_t n = e != NULL ? (size_t)(e - l) : len - pos;
		int bad = 0;

		line++;
		pos += n + 1;
		switch (rule) {
		case FT_RULES_FRAME_BARE_LF:
			bad = e != NULL && (n == 0 || l[n - 1] != '\r');
			break;
		case FT_RULES_FRAME_BARE_CR:
			bad = memchr(l, '\r', n > 0 ? n - 1 : 0) != NULL ||
			    (e == NULL && n > 0 && l[n - 1] == '\r');
			break;
		case FT_RULES_FRAME_NUL:
			bad = memchr(l, '\0', n) != NULL;
			break;
		case FT_RULES_FRAME_LINE_CAP:
			bad = n - (n > 0 && l[n - 1] == '\r') >
			    FT_DTCP_LINE_MAX;
			break;
		case FT_RULES_FRAME_PARAM:
			bad = epl > 0 && n >= epl && memcmp(l, ep, epl) == 0;
			break;
		case FT_RULES_FRAME_PARAM_CAP:
			bad = line == FT_DTCP_PARAMS_MAX + 2;
			break;
		case FT_RULES_FRAME_UTF8:
			bad = !utf8_line(l, n);
			break;
		case FT_RULES_FRAME_AFTER_END:
			bad = seen_end && n > 0;
			if (n == 0 || (n == 1 && l[0] == '\r'))
				seen_end = 1;
			break;
		default:
			return dflt;
		}
		if (bad)
			return line;
	}
	return dflt;
}

/* "answered 433 Improper Timeout Specification (ERROR-PARAMETERS: x)". */
static void
outcome_text(char *out, size_t cap, enum ft_lint_outcome o, int code,
    const char *ep)
{
	char q[128];

	switch (o) {
	case FT_LINT_OUT_REPLY:
		quote(q, sizeof(q), ep, strlen(ep), 80);
		snprintf(out, cap, "answered %d %s%s%s%s", code,
		    ft_dtcp_reason(code), ep[0] ? " (ERROR-PARAMETERS: " : "",
		    q, ep[0] ? ")" : "");
		break;
	case FT_LINT_OUT_DROP:
		snprintf(out, cap, "dropped unanswered, logged %d", code);
		break;
	case FT_LINT_OUT_NOT_SENT:
		snprintf(out, cap, "never sent");
		break;
	case FT_LINT_OUT_NONE:
		snprintf(out, cap, "no answer");
		break;
	}
}

/*
 * The engine's rejection as a finding: the rule's plain reason, what in
 * the message broke it, and the answer.
 */
static int
primary_finding(struct lint *L, const struct mtext *mt,
    const struct ft_dtcp_msg *m, const char *user, unsigned msg,
    enum ft_rules_id rule, const char *ep, const char *outcome)
{
	const struct ft_rules_entry *e = ft_rules_get(rule);
	const struct ft_dtcp_param *p;
	char what[FT_DTCP_LINE_MAX + 128], q[160], *k2;
	unsigned k = 1, line;
	const struct lost *lo;
	uint64_t id;

	what[0] = '\0';
	switch (rule) {
	case FT_RULES_AUTH_MAC_MISSING:
	case FT_RULES_AUTH_MAC_MALFORMED:
	case FT_RULES_AUTH_MAC_CASE:
	case FT_RULES_AUTH_MAC_WRONG:
		return mac_finding(L, mt, m, rule, msg, outcome);
	case FT_RULES_AUTH_CSOURCE_USER:
		p = ft_dtcp_find(m, "Csource-ID");
		k = p != NULL ? p->line : 1;
		quote(q, sizeof(q), p ? p->value : "", p ? p->value_len : 0,
		    64);
		snprintf(what, sizeof(what), "Csource-ID '%s' on a session "
		    "of login user '%s'", q, user ? user : "");
		break;
	case FT_RULES_AUTH_PERMISSION:
		snprintf(what, sizeof(what), "user '%s' has no "
		    "flow-tap-operation in its class", user ? user : "");
		break;
	case FT_RULES_SEQ_STALE:
	case FT_RULES_SEQ_STEP:
		p = ft_dtcp_find(m, "Seq");
		k = p != NULL ? p->line : 1;
		/* "stale sequence number N (last L)" -> "... N, last L" */
		snprintf(what, sizeof(what), "%s", L->reason);
		if ((k2 = strstr(what, " (last ")) != NULL) {
			k2[0] = ',';
			k2[1] = ' ';
			if (what[strlen(what) - 1] == ')')
				what[strlen(what) - 1] = '\0';
		}
		break;
	case FT_RULES_VERSION:
		snprintf(what, sizeof(what), "version %u.%u", m->version / 10,
		    m->version % 10);
		if (m->version == FT_DTCP_V_OTHER)
			snprintf(what, sizeof(what), "a version outside "
			    "0.6-0.8");
		break;
	case FT_RULES_METHOD_UNKNOWN:
	case FT_RULES_METHOD_PROFILE:
		quote(q, sizeof(q), m->method, strlen(m->method), 32);
		snprintf(what, sizeof(what), "'%s'", q);
		break;
	case FT_RULES_CRITERIA_ID_RESTART:
		lo = lost_id(L, ep, user, &id);
		if (lo != NULL)
			snprintf(what, sizeof(what), "Criteria-ID %llu of '%s' "
			    "was deleted by the restart at line %u",
			    (unsigned long long)id, user ? user : "",
			    lo->restart_line);
		else
			snprintf(what, sizeof(what), "%s dates from before the "
			    "restart at line %u", ep, L->restart_line);
		k = param_line(m, "Criteria-ID");
		break;
	case FT_RULES_CRITERIA_ID_UNKNOWN:
		snprintf(what, sizeof(what), "%s is not a criterion of '%s'",
		    ep, user ? user : "");
		k = param_line(m, "Criteria-ID");
		break;
	case FT_RULES_CDEST_ID_UNKNOWN:
		snprintf(what, sizeof(what), "no criterion of '%s' names %s",
		    user ? user : "", ep);
		k = param_line(m, "Cdest-ID");
		break;
	case FT_RULES_FRAME_MSG_CAP:
		snprintf(what, sizeof(what), "%s", L->reason);
		break;
	case FT_RULES_AUTH_NO_SESSION:
	case FT_RULES_AUTH_CSOURCE_MISSING:
		break;
	default:
		/* ERROR-PARAMETERS names the item; a missing one is said. */
		if (ep[0] != '\0' && strchr(ep, ':') == NULL &&
		    ft_dtcp_find(m, ep) == NULL && e->code != 400) {
			quote(q, sizeof(q), ep, strlen(ep), 120);
			snprintf(what, sizeof(what), "no %s line", q);
		}
		if (ep[0] != '\0')
			k = param_line(m, ep);
		if (k == 0 || e->code == 400)
			k = defect_line(m, rule, ep, k);
		if (e->outcome != FT_RULES_REPLY && L->reason[0] != '\0')
			snprintf(what, sizeof(what), "%s", L->reason);
		break;
	}
	line = file_line(mt, k != 0 ? k : 1);
	return add_finding(L, line, rule, msg, "%s%s%s%s; %s", e->explain,
	    what[0] ? " (" : "", what, what[0] ? ")" : "", outcome);
}

/*
 * Rules a rejected message breaks besides the engine's first: each one
 * a router checks without looking at its state (framing, MAC, control
 * source, Seq syntax, version, method, parameters, the ADD's fields).
 */
static int
secondary_findings(struct lint *L, const struct mtext *mt,
    const struct ft_dtcp_msg *m, int parse_rc, const char *user,
    unsigned msg, enum ft_rules_id primary)
{
	const struct ft_dtcp_param *p;
	struct ft_rule_env env;
	enum ft_rules_id r;
	char ep[FT_DTCP_LINE_MAX + 64], q[160];
	uint64_t v;
	unsigned i;
	int rc = 0, truncated = 0;

#define ALSO(rule_, line_, ...) do {					\
	if ((rule_) != primary && !has_finding(L, msg, (rule_)) && rc == 0) \
		rc = add_finding(L, (line_), (rule_), msg, __VA_ARGS__); \
} while (0)

	if (m->oversize)
		return 0;
	/* Over the parameter cap the parser keeps the first 64 only. */
	if (parse_rc != 0 &&
	    ft_rules_for_defect(m->defect) == FT_RULES_FRAME_PARAM_CAP)
		truncated = 1;
	if (parse_rc != 0 && (r = ft_rules_for_defect(m->defect)) !=
	    FT_RULES_NONE)
		ALSO(r, file_line(mt, defect_line(m, r, "", 1)), "also: %s "
		    "(%s); answered 400 once the request authenticates",
		    ft_rules_get(r)->explain, m->defect);
	r = mac_rule(L, m);
	if (r != FT_RULES_NONE && r != primary)
		rc = rc == 0 ? mac_finding(L, mt, m, r, msg,
		    "dropped unanswered, logged 497") : rc;
	p = ft_dtcp_find(m, "Csource-ID");
	if (p == NULL && truncated)
		;	/* past the cap: not read, not missing */
	else if (p == NULL)
		ALSO(FT_RULES_AUTH_CSOURCE_MISSING, mt->first, "also: %s; "
		    "dropped unanswered, logged 499",
		    ft_rules_get(FT_RULES_AUTH_CSOURCE_MISSING)->explain);
	else if (user != NULL && (p->value_len != strlen(user) ||
	    memcmp(p->value, user, p->value_len) != 0)) {
		quote(q, sizeof(q), p->value, p->value_len, 64);
		ALSO(FT_RULES_AUTH_CSOURCE_USER, file_line(mt, p->line),
		    "also: %s (Csource-ID '%s' on a session of login user "
		    "'%s'); dropped unanswered, logged 499",
		    ft_rules_get(FT_RULES_AUTH_CSOURCE_USER)->explain, q, user);
	} else if (user != NULL && !(ft_routercfg_perms(L->rc, user) &
	    FT_PERM_FLOW_TAP_OPERATION) && primary != FT_RULES_AUTH_NO_SESSION)
		ALSO(FT_RULES_AUTH_PERMISSION, mt->first, "also: %s (user "
		    "'%s'); dropped unanswered, logged 499",
		    ft_rules_get(FT_RULES_AUTH_PERMISSION)->explain, user);
	p = ft_dtcp_find(m, "Seq");
	if (p == NULL && truncated)
		;
	else if (p == NULL)
		ALSO(FT_RULES_SEQ_MISSING, mt->first, "also: %s; answered 400 "
		    "(ERROR-PARAMETERS: Seq)",
		    ft_rules_get(FT_RULES_SEQ_MISSING)->explain);
	else if (ft_num_u64(p->value, p->value_len, 20, 0, UINT64_MAX, &v) !=
	    0) {
		quote(q, sizeof(q), p->value, p->value_len, 40);
		ALSO(FT_RULES_SEQ_SYNTAX, file_line(mt, p->line), "also: %s "
		    "('%s'); answered 400 (ERROR-PARAMETERS: Seq)",
		    ft_rules_get(FT_RULES_SEQ_SYNTAX)->explain, q);
	}
	if (parse_rc != 0 && m->method[0] == '\0')
		return rc;
	if (m->version < FT_DTCP_V_MIN || m->version > FT_DTCP_V_MAX) {
		ALSO(FT_RULES_VERSION, mt->first, "also: %s; answered 505",
		    ft_rules_get(FT_RULES_VERSION)->explain);
		return rc;
	}
	if (m->m == FT_DTCP_M_OTHER) {
		quote(q, sizeof(q), m->method, strlen(m->method), 32);
		ALSO(FT_RULES_METHOD_UNKNOWN, mt->first, "also: %s ('%s'); "
		    "answered 501", ft_rules_get(FT_RULES_METHOD_UNKNOWN)->explain,
		    q);
		return rc;
	}
	if ((m->m == FT_DTCP_M_REFRESH || m->m == FT_DTCP_M_NOOP) &&
	    L->o->profile != FT_PROFILE_DRAFT) {
		ALSO(FT_RULES_METHOD_PROFILE, mt->first, "also: %s ('%s'); "
		    "answered 501", ft_rules_get(FT_RULES_METHOD_PROFILE)->explain,
		    m->method);
		return rc;
	}
	for (i = 0; i < m->nparams; i++) {
		p = &m->p[i];
		if (ft_dtcp_param_known(p->name, p->name_len, m->version))
			continue;
		if (ieqn(p->name, p->name_len, "X-JTap-Filter-Family")) {
			ALSO(FT_RULES_PARAM_VERSION, file_line(mt, p->line),
			    "also: %s; answered 501",
			    ft_rules_get(FT_RULES_PARAM_VERSION)->explain);
			return rc;
		}
		if (p->name_len >= 2 && lower(p->name[0]) == 'x' &&
		    p->name[1] == '-')
			continue;
		quote(q, sizeof(q), p->name, p->name_len, 64);
		ALSO(FT_RULES_PARAM_UNKNOWN, file_line(mt, p->line), "also: "
		    "%s ('%s'); answered 501",
		    ft_rules_get(FT_RULES_PARAM_UNKNOWN)->explain, q);
		return rc;
	}
	if (m->m == FT_DTCP_M_ADD && ft_dtcp_find(m, "Csource-ID") != NULL &&
	    !truncated) {
		rule_env(L, &env);
		if (ft_rule_from_add_why(L->rule, m, &env, ep, sizeof(ep),
		    &r) != 0 && r != FT_RULES_NONE) {
			quote(q, sizeof(q), ep, strlen(ep), 120);
			ALSO(r, file_line(mt, param_line(m, ep) ?
			    param_line(m, ep) : 1), "also: %s ('%s'); answered "
			    "%d", ft_rules_get(r)->explain, q,
			    ft_rules_get(r)->code);
		}
	}
#undef ALSO
	return rc;
}

/* 1 if f selects no value of 0..max at all (a list that excludes all). */
static int
num_selects_nothing(const struct ft_num_filter *f, uint64_t max)
{
	uint64_t v;

	if (f->n == 0)
		return 0;
	for (v = 0; v <= max; v++)
		if (ft_rule_num_match(f, v))
			return 0;
	return 1;
}

/* 1 if the protocol filter selects only values inside [lo, hi] set s. */
static int
proto_only(const struct ft_num_filter *f, const uint64_t *s, size_t n)
{
	uint64_t v;
	size_t i;
	int any = 0;

	if (f->n == 0)
		return 0;
	for (v = 0; v <= 255; v++) {
		int in = 0;

		if (!ft_rule_num_match(f, v))
			continue;
		for (i = 0; i < n; i++)
			if (s[i] == v)
				in = 1;
		if (!in)
			return 0;
		any = 1;
	}
	return any;
}

/* 1 if every positive entry of an address filter is inside a negated one. */
static int
addr_selects_nothing(const struct ft_addr_filter *f, unsigned alen)
{
	static const uint8_t zero[16], ones[16] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	unsigned i, j;
	int pos = 0;

	if (f->n == 0)
		return 0;
	for (i = 0; i < f->n; i++) {
		const struct ft_addr_ent *e = &f->e[i];
		int covered = 0;

		if (e->neg)
			continue;
		pos = 1;
		for (j = 0; j < f->n; j++)
			if (f->e[j].neg && memcmp(f->e[j].lo, e->lo, alen) <= 0 &&
			    memcmp(f->e[j].hi, e->hi, alen) >= 0)
				covered = 1;
		if (!covered)
			return 0;
	}
	if (pos)
		return 1;
	/* Only negations: nothing left when one of them is everything. */
	for (j = 0; j < f->n; j++)
		if (memcmp(f->e[j].lo, zero, alen) == 0 &&
		    memcmp(f->e[j].hi, ones, alen) == 0)
			return 1;
	return 0;
}

/* SHOULD/INFO of an ADD the engine accepts (or would, its fields). */
static int
add_analysis(struct lint *L, const struct mtext *mt,
    const struct ft_dtcp_msg *m, unsigned msg)
{
	static const uint64_t icmp4[] = { 1 }, icmp6[] = { 58 };
	const struct ft_rule *r = L->rule;
	const struct ft_dtcp_param *p, *pv;
	struct ft_rule_env env;
	char ep[FT_DTCP_LINE_MAX + 64];
	const char *why = NULL, *at = NULL;
	unsigned alen;
	int rc = 0;

	rule_env(L, &env);
	if (ft_rule_from_add(L->rule, m, &env, ep, sizeof(ep)) != 0)
		return 0;
	alen = r->family == 6 ? 16 : 4;
	if (num_selects_nothing(&r->proto, 255)) {
		why = "its Protocol list selects no protocol";
		at = "Protocol";
	} else if (num_selects_nothing(&r->sport, 65535)) {
		why = "its Source-Port list selects no port";
		at = "Source-Port";
	} else if (num_selects_nothing(&r->dport, 65535)) {
		why = "its Dest-Port list selects no port";
		at = "Dest-Port";
	} else if (num_selects_nothing(&r->icmp_type, 255)) {
		why = "its ICMP-Type list selects no type";
		at = "ICMP-Type";
	} else if (num_selects_nothing(&r->icmp_code, 255)) {
		why = "its ICMP-Code list selects no code";
		at = "ICMP-Code";
	} else if (addr_selects_nothing(&r->src, alen)) {
		why = "its Source-Address list excludes every address it "
		    "includes";
		at = "Source-Address";
	} else if (addr_selects_nothing(&r->dst, alen)) {
		why = "its Dest-Address list excludes every address it "
		    "includes";
		at = "Dest-Address";
	} else if (r->family == 6 && proto_only(&r->proto, icmp4, 1)) {
		why = r->need_icmp ? "its ICMP condition is on protocol 1 "
		    "(ICMP for IPv4) but the criterion is IPv6, whose ICMP "
		    "is protocol 58" : "it selects protocol 1 (ICMP for IPv4) "
		    "on IPv6 packets, whose ICMP is protocol 58";
		at = "Protocol";
	} else if (r->family == 4 && proto_only(&r->proto, icmp6, 1)) {
		pv = ft_dtcp_find(m, "X-JTap-IP-Version");
		why = r->need_icmp ? "its ICMP condition is on protocol 58 "
		    "(ICMPv6) but the criterion is IPv4 (no IPv6 address, no "
		    "X-JTap-IP-Version: ipv6), whose ICMP is protocol 1" :
		    "it selects protocol 58 (ICMPv6) on IPv4 packets";
		if (pv != NULL)
			why = "it selects protocol 58 (ICMPv6) on IPv4 packets";
		at = "Protocol";
	}
	if (why != NULL) {
		p = ft_dtcp_find(m, at);
		rc = add_finding(L, file_line(mt, p != NULL ? p->line : 1),
		    FT_RULES_ADD_NEVER_MATCHES, msg, "the criterion can never "
		    "match a packet: %s", why);
	}
	/* Wildcards or nothing: "everything" is IPv4 only (seed-74). */
	if (rc == 0 && r->src.n == 0 && r->dst.n == 0 && r->family == 4 &&
	    ft_dtcp_find(m, "X-JTap-IP-Version") == NULL)
		rc = add_finding(L, mt->first, FT_RULES_ADD_IPV4_ONLY, msg,
		    "without an address or X-JTap-IP-Version the criterion "
		    "taps IPv4 packets only (add X-JTap-IP-Version: ipv6, or a "
		    "second ADD, for IPv6)");
	if (rc == 0 && r->ncdest > 1 && m->version == FT_DTCP_V06) {
		p = ft_dtcp_find(m, "Cdest-ID");
		rc = add_finding(L, file_line(mt, p != NULL ? p->line : 1),
		    FT_RULES_ADD_CDEST_LIST_V06, msg, "a list of content "
		    "destinations is DTCP/0.7's (draft-cavuto-dtcp-03 ID-List): "
		    "a DTCP/0.6 router may reject it; send it as DTCP/0.7");
	}
	return rc;
}

/* SHOULD/INFO of every message: its lines and names. */
static int
text_checks(struct lint *L, const struct mtext *mt,
    const struct ft_dtcp_msg *m, unsigned msg)
{
	const char *b = m->buf;
	size_t pos = 0, len = m->len;
	unsigned line = 0, ntrail = 0, first_trail = 0, i, j;
	int rc = 0, after_auth = 0, seen_auth = 0;
	char q[160], q2[160];

	/* Lines: trailing blanks, lines after Authentication-Info. */
	while (pos < len && rc == 0) {
		const char *l = b + pos;
		const char *e = memchr(l, '\n', len - pos);
		size_t n = e != NULL ? (size_t)(e - l) : len - pos;

		line++;
		pos += n + 1;
		if (n > 0 && l[n - 1] == '\r')
			n--;
		if (n == 0)
			break;	/* the empty line: the end */
		if (after_auth) {
			quote(q, sizeof(q), l, n, 60);
			rc = add_finding(L, file_line(mt, line),
			    FT_RULES_AUTH_NOT_LAST, msg, "'%s' comes after "
			    "Authentication-Info: lines after it are ignored "
			    "(not parsed, not covered by the MAC)", q);
			break;	/* one finding: the first such line */
		}
		if (is_wsp(l[n - 1])) {
			if (ntrail++ == 0)
				first_trail = line;
		}
		if (n >= 20 && ieqn(l, 19, "Authentication-Info") &&
		    (l[19] == ':' || is_wsp(l[19])) && !seen_auth) {
			seen_auth = 1;
			after_auth = 1;
		}
	}
	if (rc == 0 && ntrail > 0)
		rc = add_finding(L, file_line(mt, first_trail),
		    FT_RULES_LINE_TRAILING_SPACE, msg, "%u line%s end%s in "
		    "spaces or tabs (the first: line %u): values ignore them "
		    "but the MAC covers them, so a sender that strips them "
		    "computes another MAC", ntrail, ntrail > 1 ? "s" : "",
		    ntrail > 1 ? "" : "s", file_line(mt, first_trail));

	/* Names: duplicates, unknown X- parameters. */
	for (i = 0; i < m->nparams && rc == 0; i++) {
		const struct ft_dtcp_param *p = &m->p[i];
		const char *near;

		for (j = 0; j < i; j++)
			if (same_name(p->name, p->name_len, m->p[j].name,
			    m->p[j].name_len))
				break;
		if (j < i) {
			quote(q, sizeof(q), p->name, p->name_len, 64);
			quote(q2, sizeof(q2), m->p[j].value, m->p[j].value_len,
			    60);
			rc = add_finding(L, file_line(mt, p->line),
			    FT_RULES_PARAM_DUPLICATE, msg, "'%s' is given again "
			    "(first on line %u, value '%s'): only the first "
			    "counts", q, file_line(mt, m->p[j].line), q2);
			continue;
		}
		if (p->name_len < 2 || lower(p->name[0]) != 'x' ||
		    p->name[1] != '-' || m->version < FT_DTCP_V_MIN ||
		    m->version > FT_DTCP_V_MAX ||
		    ft_dtcp_param_known(p->name, p->name_len, m->version))
			continue;
		quote(q, sizeof(q), p->name, p->name_len, 64);
		near = ft_dtcp_param_near(p->name, p->name_len, m->version);
		if (near != NULL) {
			quote(q2, sizeof(q2), p->value, p->value_len, 60);
			rc = add_finding(L, file_line(mt, p->line),
			    FT_RULES_PARAM_X_NEAR, msg, "'%s' is not a "
			    "parameter: did you mean %s? It is ignored (as every "
			    "unknown X- parameter), "
			    "so its value '%s' has no effect%s", q, near, q2,
			    ieqn(near, strlen(near), "X-JTap-Cdest-TTL") ?
			    " (the copies keep TTL 255)" : "");
		} else {
			rc = add_finding(L, file_line(mt, p->line),
			    FT_RULES_PARAM_X_IGNORED, msg, "'%s' is an X- "
			    "parameter flow-tap does not know: ignored", q);
		}
	}
	return rc;
}

/* The criteria a 200 DELETE selected and kept because they are STATIC. */
static int
delete_static_kept(struct lint *L, const struct mtext *mt,
    const struct ft_dtcp_msg *m, const char *user, unsigned msg)
{
	const struct ft_dtcp_param *cid = ft_dtcp_find(m, "Criteria-ID");
	const struct ft_dtcp_param *cd = ft_dtcp_find(m, "Cdest-ID");
	const struct ft_dtcp_param *fl = ft_dtcp_find(m, "Flags");
	struct ft_num_filter f;
	unsigned i, k, kept = 0;
	uint64_t first = 0;

	if (fl != NULL || (cid == NULL) == (cd == NULL))
		return 0;
	if (cid != NULL && ft_rule_parse_nums(cid->value, cid->value_len,
	    UINT64_MAX, 20, 1, &f) != 0)
		return 0;
	for (i = 0; i < L->ncrit; i++) {
		const struct crit *c = &L->crit[i];
		int sel = 0;

		if (strcmp(c->owner, user) != 0 || !c->is_static)
			continue;
		if (cid != NULL)
			sel = ft_rule_num_match(&f, c->id);
		else
			for (k = 0; k < c->ncd; k++)
				if (strlen(c->cd[k]) == cd->value_len &&
				    memcmp(c->cd[k], cd->value,
				    cd->value_len) == 0)
					sel = 1;
		if (sel && kept++ == 0)
			first = c->id;
	}
	if (kept == 0)
		return 0;
	return add_finding(L, file_line(mt, (cid ? cid : cd)->line),
	    FT_RULES_DELETE_STATIC_KEPT, msg, "STATIC criteria are deleted "
	    "only with Flags: STATIC: this DELETE selects %u STATIC "
	    "criteri%s (Criteria-ID %llu%s) and keeps %s; add Flags: STATIC",
	    kept, kept > 1 ? "a" : "on", (unsigned long long)first,
	    kept > 1 ? ", ..." : "", kept > 1 ? "them" : "it");
}

/* After the engine answered 200: follow the criteria it holds. */
static void
model_apply(struct lint *L, const struct ft_dtcp_msg *m, const char *user)
{
	const struct ft_dtcp_param *p;
	char v[32];
	uint64_t id;
	unsigned i, k;
	struct ft_num_filter f;

	if (m->m == FT_DTCP_M_ADD) {
		struct crit *c;
		struct readd *r;

		if (!reply_value(L->reply, L->reply_len, "CRITERIA-ID", v,
		    sizeof(v)) || ft_num_u64(v, strlen(v), 20, 0, UINT64_MAX,
		    &id) != 0 || L->ncrit == FT_CRITERIA_MAX)
			return;
		c = &L->crit[L->ncrit++];
		memset(c, 0, sizeof(*c));
		c->id = id;
		snprintf(c->owner, sizeof(c->owner), "%s", user);
		c->is_static = (L->rule->flags & FT_RULE_STATIC) != 0;
		c->ncd = L->rule->ncdest;
		for (k = 0; k < c->ncd && k < FT_CDEST_MAX; k++)
			memcpy(c->cd[k], L->rule->cdest[k].id,
			    sizeof(c->cd[k]));
		if ((r = readd_of(L, user, 0)) != NULL)
			r->added++;
		return;
	}
	if (m->m != FT_DTCP_M_DELETE)
		return;
	/* Which criteria the DELETE took: the engine's rule, as SPEC 3. */
	p = ft_dtcp_find(m, "Criteria-ID");
	if (p != NULL && ft_rule_parse_nums(p->value, p->value_len,
	    UINT64_MAX, 20, 1, &f) != 0)
		return;
	for (i = 0; i < L->ncrit;) {
		const struct crit *c = &L->crit[i];
		const struct ft_dtcp_param *cd = ft_dtcp_find(m, "Cdest-ID");
		int sel = 0;

		if (strcmp(c->owner, user) == 0 && (!c->is_static ||
		    ft_dtcp_find(m, "Flags") != NULL)) {
			if (p != NULL)
				sel = ft_rule_num_match(&f, c->id);
			else if (cd != NULL)
				for (k = 0; k < c->ncd; k++)
					if (strlen(c->cd[k]) == cd->value_len &&
					    memcmp(c->cd[k], cd->value,
					    cd->value_len) == 0)
						sel = 1;
		}
		if (sel)
			L->crit[i] = L->crit[--L->ncrit];
		else
			i++;
	}
}

static struct seqlast *
seq_of(struct lint *L, const char *cs)
{
	unsigned i;

	for (i = 0; i < L->nseq; i++)
		if (strcmp(L->seq[i].cs, cs) == 0)
			return &L->seq[i];
	if (L->nseq == FT_CSOURCES_MAX)
		return NULL;
	memset(&L->seq[L->nseq], 0, sizeof(L->seq[0]));
	snprintf(L->seq[L->nseq].cs, sizeof(L->seq[0].cs), "%s", cs);
	return &L->seq[L->nseq++];
}

/*
 * Judge one message: sid is its session (-1: none, not_sent says why),
 * user the session's login user. The engine is asked first; its answer
 * decides MUST; then what the router does not check.
 */
static int
judge(struct lint *L, const struct mtext *mt, int sid, const char *user,
    enum ft_rules_id not_sent, const char *not_sent_why,
    struct ft_lint_message **outm)
{
	struct ft_dtcp_msg *m = L->m;
	struct ft_lint_message *rec;
	const struct ft_dtcp_param *p;
	char ep[FT_DTCP_LINE_MAX + 64], outcome[256];
	enum ft_rules_id rule = FT_RULES_NONE;
	unsigned msg;
	uint64_t seqv;
	int parse_rc, rc = 0;

	if ((rec = new_message(L)) == NULL)
		return FT_ENOMEM;
	msg = (unsigned)L->f->nmsgs;
	rec->line = mt->first;
	*outm = rec;
	parse_rc = ft_dtcp_parse(m, mt->bytes, mt->len, NULL, 0);
	snprintf(rec->method, sizeof(rec->method), "%s", m->method);
	p = ft_dtcp_find(m, "Csource-ID");
	if (p != NULL && p->value_len <= FT_NAME_MAX) {
		memcpy(rec->csource, p->value, p->value_len);
		rec->csource[p->value_len] = '\0';
	}

	reset_capture(L);
	if (sid >= 0 || not_sent == FT_RULES_NONE) {
		(void)ft_tasking_request(L->t, sid, mt->bytes, mt->len, L->now,
		    L->replybuf);
		/* The engine's own parse of the same bytes, for what follows. */
		parse_rc = ft_dtcp_parse(m, mt->bytes, mt->len, NULL, 0);
		rec->outcome = L->got;
		rec->code = L->code;
	} else {
		rec->outcome = FT_LINT_OUT_NOT_SENT;
	}

	ep[0] = '\0';
	if (L->got == FT_LINT_OUT_REPLY)
		(void)reply_value(L->reply, L->reply_len, "ERROR-PARAMETERS",
		    ep, sizeof(ep));
	if (rec->outcome == FT_LINT_OUT_NOT_SENT) {
		rule = not_sent;
		rc = add_finding(L, mt->first, rule, msg, "%s: %s",
		    ft_rules_get(rule)->explain, not_sent_why);
	} else if (!(rec->outcome == FT_LINT_OUT_REPLY && rec->code == 200)) {
		/* The engine names the rule of every rejection itself. */
		rule = L->got_rule != FT_RULES_NONE ? L->got_rule :
		    FT_RULES_SERVER_ERROR;
		outcome_text(outcome, sizeof(outcome), rec->outcome, rec->code,
		    ep);
		rc = primary_finding(L, mt, m, user, msg, rule, ep, outcome);
		if (rc == 0)
			rc = secondary_findings(L, mt, m, parse_rc, user, msg,
			    rule);
	}
	rec->rule = rule;
	if (rc != 0)
		return rc;

	/* What the router does not check. */
	if (parse_rc == 0 || m->nparams > 0)
		rc = text_checks(L, mt, m, msg);
	if (rc == 0 && m->m == FT_DTCP_M_ADD && rule == FT_RULES_NONE)
		rc = add_analysis(L, mt, m, msg);
	if (rc == 0 && rec->outcome == FT_LINT_OUT_REPLY && rec->code == 200 &&
	    m->m == FT_DTCP_M_DELETE && user != NULL)
		rc = delete_static_kept(L, mt, m, user, msg);
	/* Seq in profile junos: accepted, but a flowtap router drops it. */
	p = ft_dtcp_find(m, "Seq");
	if (rc == 0 && rec->outcome == FT_LINT_OUT_REPLY && user != NULL &&
	    p != NULL && ft_num_u64(p->value, p->value_len, 20, 0, UINT64_MAX,
	    &seqv) == 0) {
		struct seqlast *s = seq_of(L, user);

		if (s != NULL && s->have && seqv <= s->last &&
		    L->o->profile == FT_PROFILE_JUNOS)
			rc = add_finding(L, file_line(mt, p->line),
			    FT_RULES_SEQ_JUNOS, msg, "Seq %llu is not greater "
			    "than %llu: profile junos accepts it, a router of "
			    "profile flowtap or draft drops it (498)",
			    (unsigned long long)seqv,
			    (unsigned long long)s->last);
		if (s != NULL && (!s->have || seqv > s->last))
			s->last = seqv;
		if (s != NULL)
			s->have = 1;
	}
	if (rec->outcome == FT_LINT_OUT_REPLY && rec->code == 200 &&
	    user != NULL) {
		/* The rule for the model: the engine's scratch was reused. */
		if (m->m == FT_DTCP_M_ADD) {
			struct ft_rule_env env;

			rule_env(L, &env);
			(void)ft_rule_from_add(L->rule, m, &env, ep,
			    sizeof(ep));
		}
		model_apply(L, m, user);
	}
	return rc;
}

/* --- scripts and parameter files -------------------------------------- */

/* Where each message's lines are in the file (script.c's line rules). */
struct linemap {
	unsigned *lines;	/* every message line, in order */
	size_t n, cap;
	size_t *start;		/* index into lines of each message */
	unsigned *auto_mac;	/* 1 if its Authentication-Info was auto */
	size_t nmsg, mcap;
	int crlf, last_open, any_auth, any_directive;
};

static int
lm_push(struct linemap *lm, unsigned line, int first, int is_auto)
{
	if (lm->n == lm->cap) {
		size_t nc = lm->cap ? lm->cap * 2 : 256;
		unsigned *n = realloc(lm->lines, nc * sizeof(*n));

		if (n == NULL)
			return FT_ENOMEM;
		lm->lines = n;
		lm->cap = nc;
	}
	if (first) {
		if (lm->nmsg == lm->mcap) {
			size_t nc = lm->mcap ? lm->mcap * 2 : 64;
			size_t *s = realloc(lm->start, nc * sizeof(*s));
			unsigned *a;

			if (s == NULL)
				return FT_ENOMEM;
			lm->start = s;
			a = realloc(lm->auto_mac, nc * sizeof(*a));
			if (a == NULL)
				return FT_ENOMEM;
			lm->auto_mac = a;
			lm->mcap = nc;
		}
		lm->start[lm->nmsg] = lm->n;
		lm->auto_mac[lm->nmsg] = 0;
		lm->nmsg++;
	}
	if (is_auto)
		lm->auto_mac[lm->nmsg - 1] = 1;
	lm->lines[lm->n++] = line;
	return 0;
}

static int
linemap_build(struct linemap *lm, const char *text, size_t len)
{
	size_t off = 0;
	unsigned line = 0;
	int open = 0, rc;

	memset(lm, 0, sizeof(*lm));
	while (off < len) {
		const char *l = text + off;
		const char *nl = memchr(l, '\n', len - off);
		size_t n, i, v;
		int is_auto = 0;

		line++;
		if (nl != NULL) {
			n = (size_t)(nl - l);
			off += n + 1;
			if (n > 0 && l[n - 1] == '\r') {
				n--;
				lm->crlf = 1;
			}
		} else {
			n = len - off;
			off = len;
		}
		for (i = 0; i < n && is_wsp(l[i]); i++)
			;
		if (i == n) {
			open = 0;
			continue;
		}
		if (l[0] == '#')
			continue;
		if (l[0] == '@') {
			lm->any_directive = 1;
			open = 0;
			continue;
		}
		if (n >= 20 && ieqn(l, 19, "Authentication-Info") &&
		    l[19] == ':') {
			lm->any_auth = 1;
			for (v = 20; v < n && is_wsp(l[v]); v++)
				;
			is_auto = n - v >= 4 && memcmp(l + v, "auto", 4) == 0;
		}
		if ((rc = lm_push(lm, line, !open, is_auto)) != 0)
			return rc;
		open = 1;
	}
	lm->last_open = open;
	return 0;
}

static void
linemap_free(struct linemap *lm)
{
	free(lm->lines);
	free(lm->start);
	free(lm->auto_mac);
}

static void
mtext_of(struct mtext *mt, const struct linemap *lm, size_t k,
    const char *bytes, size_t len, unsigned first)
{
	size_t end = k + 1 < lm->nmsg ? lm->start[k + 1] : lm->n;

	mt->bytes = bytes;
	mt->len = len;
	mt->first = first;
	mt->lmap = NULL;
	mt->nl = 0;
	mt->auth_auto = 0;
	if (k < lm->nmsg && lm->lines[lm->start[k]] == first) {
		mt->lmap = lm->lines + lm->start[k];
		mt->nl = (unsigned)(end - lm->start[k]);
		mt->auth_auto = (int)lm->auto_mac[k];
	}
}

/* "name:LINE: what" of a script error: the line, else 0. */
static unsigned
err_line(const char *msg, const char *name)
{
	size_t nl = strlen(name), n;
	uint64_t v;

	if (strncmp(msg, name, nl) != 0 || msg[nl] != ':')
		return 0;
	n = strspn(msg + nl + 1, "0123456789");
	if (ft_num_u64(msg + nl + 1, n, 10, 1, UINT32_MAX, &v) != 0)
		return 0;
	return (unsigned)v;
}

static int
open_implicit(struct lint *L, const char *user, enum ft_rules_id *why,
    char *reason, size_t cap)
{
	int sid = ft_tasking_find(L->t, user);

	if (sid >= 0)
		return sid;
	reset_capture(L);
	sid = ft_tasking_open(L->t, user, user, NULL, NULL, L->now);
	if (sid < 0) {
		*why = FT_RULES_SESSION_REFUSED;
		snprintf(reason, cap, "the router refuses the implicit session "
		    "of '%s': %s", user, L->refuse);
	}
	return sid;
}

static int
lint_script(struct lint *L, const char *name, const char *text, size_t len,
    int dfcclient)
{
	struct ft_script s;
	struct ft_err e;
	struct linemap lm;
	size_t i, k = 0;
	int rc;
	char *buf = NULL;

	if ((rc = linemap_build(&lm, text, len)) != 0)
		return rc;
	e.msg[0] = '\0';
	rc = ft_script_parse(&s, text, len, name, L->key, L->keylen, &e);
	if (rc == FT_ENOMEM) {
		linemap_free(&lm);
		return rc;
	}
	if (rc != 0) {
		const char *m = e.msg;
		unsigned line = err_line(e.msg, name);

		if (line != 0)
			m = strchr(strchr(e.msg + strlen(name), ':') + 1, ':')
			    + 2;
		rc = add_finding(L, line, FT_RULES_FILE_SYNTAX, 0, "%s: %s",
		    ft_rules_get(FT_RULES_FILE_SYNTAX)->explain, m);
		linemap_free(&lm);
		return rc;
	}
	for (i = 0; i < s.n; i++)
		if (s.ev[i].kind == FT_SCRIPT_SESSION)
			L->explicit_sessions = 1;
	if (dfcclient && lm.crlf)
		rc = add_finding(L, 1, FT_RULES_DFCCLIENT_CRLF, 0, "the file "
		    "has CRLF line ends: dfcclient.pl's chomp removes the LF "
		    "only, so every line goes out as CR CR LF and no line is "
		    "empty (convert it to LF line ends)");
	buf = malloc(FT_DTCP_MSG_MAX + 256);
	if (buf == NULL)
		rc = FT_ENOMEM;

	for (i = 0; i < s.n && rc == 0; i++) {
		const struct ft_script_event *ev = &s.ev[i];
		struct ft_lint_message *rec;
		struct mtext mt;
		enum ft_rules_id why = FT_RULES_SCRIPT_NO_SESSION;
		char reason[512];
		const char *user = NULL;
		int sid = -1;

		L->now = T0_NS + ev->at_ns;
		ft_tasking_tick(L->t, L->now);
		switch (ev->kind) {
		case FT_SCRIPT_SESSION:
			sid = ft_tasking_find(L->t, ev->name);
			if (sid < 0) {
				reset_capture(L);
				sid = ft_tasking_open(L->t, ev->name, ev->user,
				    ev->password, ev->from[0] ? ev->from : NULL,
				    L->now);
				if (sid < 0)
					rc = add_finding(L, ev->line,
					    FT_RULES_SESSION_REFUSED, 0,
					    "the router refuses session '%s' "
					    "of user '%s': %s", ev->name,
					    ev->user, L->refuse);
			}
			L->cur_sid = sid;
			snprintf(L->cur_name, sizeof(L->cur_name), "%s",
			    ev->name);
			continue;
		case FT_SCRIPT_CLOSE:
			sid = ft_tasking_find(L->t, ev->name[0] ? ev->name :
			    L->cur_name);
			if (sid >= 0)
				ft_tasking_close(L->t, sid, L->now);
			if (sid >= 0 && sid == L->cur_sid)
				L->cur_sid = -1;
			continue;
		case FT_SCRIPT_RESTART:
			ft_tasking_restart(L->t, ev->reason, L->now);
			L->cur_sid = -1;
			rc = model_restart(L, ev->line);
			continue;
		case FT_SCRIPT_MSG:
			break;
		}

		/* A parameter file: the sender appends the MAC (seed-79). */
		mtext_of(&mt, &lm, k, ev->msg, ev->msg_len, ev->line);
		k++;
		if (dfcclient) {
			struct ft_dtcp_msg *m = L->m;
			char hex[FT_AUTH_HEX_LEN + 1];
			size_t n = ev->msg_len;

			(void)ft_dtcp_parse(m, ev->msg, n, NULL, 0);
			if (m->auth == NULL && n >= 2 && n + 64 <
			    FT_DTCP_MSG_MAX + 256 && ft_auth_hex(L->key,
			    L->keylen, ev->msg, n - 2, hex) == 0) {
				memcpy(buf, ev->msg, n - 2);
				n = n - 2 + (size_t)snprintf(buf + n - 2, 80,
				    "Authentication-Info: %s\r\n\r\n", hex);
				mt.bytes = buf;
				mt.len = n;
			}
		}

		snprintf(reason, sizeof(reason), "no session is open "
		    "(@session, or a @close/@restart before it)");
		if (L->explicit_sessions) {
			sid = L->cur_sid;
			if (sid >= 0 && ft_tasking_find(L->t, L->cur_name) !=
			    sid)
				sid = -1;
		} else if (L->o->user != NULL) {
			sid = open_implicit(L, L->o->user, &why, reason,
			    sizeof(reason));
		} else if (ev->csource[0] != '\0') {
			sid = open_implicit(L, ev->csource, &why, reason,
			    sizeof(reason));
		} else {
			snprintf(reason, sizeof(reason), "without @session a "
			    "message goes on the session of its Csource-ID, "
			    "and it has none");
		}
		if (sid >= 0)
			user = L->explicit_sessions ? NULL : L->o->user != NULL
			    ? L->o->user : ev->csource;
		if (sid >= 0 && user == NULL) {
			size_t j;

			/* The user of the current @session. */
			for (j = i; j-- > 0;)
				if (s.ev[j].kind == FT_SCRIPT_SESSION &&
				    strcmp(s.ev[j].name, L->cur_name) == 0) {
					user = s.ev[j].user;
					break;
				}
		}
		rc = judge(L, &mt, sid, user, why, reason, &rec);
	}
	if (rc == 0 && dfcclient && lm.last_open && lm.nmsg > 0)
		rc = add_finding(L, lm.lines[lm.start[lm.nmsg - 1]],
		    FT_RULES_DFCCLIENT_LAST, L->f->nmsgs > 0 ?
		    (unsigned)L->f->nmsgs : 0, "%s (add an empty line at the "
		    "end of the file)",
		    ft_rules_get(FT_RULES_DFCCLIENT_LAST)->explain);
	if (rc == 0)
		rc = readd_report(L);
	free(buf);
	ft_script_release(&s);
	linemap_free(&lm);
	return rc;
}

/* --- transcripts ---------------------------------------------------------- */

/* One header line of dtcp.log: "[S.NNNNNNNNN DATE TIME] KIND k=v...: r". */
struct hdr {
	uint64_t t_ns;
	char kind[16];
	char session[FT_NAME_MAX + 1];
	char user[FT_NAME_MAX + 1];
	int code;
	const char *reason;	/* after ": ", or NULL */
	size_t reason_len;
};

static int
parse_hdr(const char *l, size_t n, struct hdr *h)
{
	size_t i = 1, s0, w;
	uint64_t sec, ns, v;

	memset(h, 0, sizeof(*h));
	if (n < 40 || l[0] != '[')
		return -1;
	s0 = i;
	while (i < n && l[i] >= '0' && l[i] <= '9')
		i++;
	if (i == s0 || i >= n || l[i] != '.' || ft_num_u64(l + s0, i - s0,
	    20, 0, UINT64_MAX / NS_PER_S - 1, &sec) != 0)
		return -1;
	if (n - i < 11 || ft_num_u64(l + i + 1, 9, 9, 0, NS_PER_S - 1, &ns) !=
	    0 || l[i + 10] != ' ')
		return -1;
	h->t_ns = sec * NS_PER_S + ns;
	i += 11;
	while (i < n && l[i] != ']')
		i++;
	if (i + 2 >= n || l[i + 1] != ' ')
		return -1;
	i += 2;
	s0 = i;
	while (i < n && l[i] != ' ' && l[i] != ':')
		i++;
	w = i - s0;
	if (w == 0 || w >= sizeof(h->kind))
		return -1;
	memcpy(h->kind, l + s0, w);
	h->kind[w] = '\0';
	/* key=value words up to ": " */
	while (i < n && l[i] == ' ') {
		const char *k = l + ++i;
		size_t kl, vl;

		while (i < n && l[i] != ' ' && !(l[i] == ':' && (i + 1 == n ||
		    l[i + 1] == ' ')))
			i++;
		kl = (size_t)(l + i - k);
		if (kl > 8 && memcmp(k, "session=", 8) == 0) {
			vl = kl - 8 < FT_NAME_MAX ? kl - 8 : FT_NAME_MAX;
			memcpy(h->session, k + 8, vl);
			h->session[vl] = '\0';
		} else if (kl > 5 && memcmp(k, "user=", 5) == 0) {
			vl = kl - 5 < FT_NAME_MAX ? kl - 5 : FT_NAME_MAX;
			memcpy(h->user, k + 5, vl);
			h->user[vl] = '\0';
		} else if (kl > 5 && memcmp(k, "code=", 5) == 0 &&
		    ft_num_u64(k + 5, kl - 5, 3, 100, 999, &v) == 0) {
			h->code = (int)v;
		}
	}
	if (i + 1 < n && l[i] == ':' && l[i + 1] == ' ') {
		h->reason = l + i + 2;
		h->reason_len = n - i - 2;
	}
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The text lines below a header, un-escaped (ft_translog_text's
 * layout): each "  LINE" is LINE CRLF, "\xHH" a byte, "\\" a
 * backslash, a final "\ (no line end)" marks bytes without CRLF.
 * Returns the bytes written (at most cap) and sets *nlines.
 */
static size_t
unescape_text(const char *text, size_t len, size_t *pos, unsigned *nlines,
    char *out, size_t cap, int *over)
{
	size_t o = 0;

	*nlines = 0;
	*over = 0;
	while (*pos < len) {
		const char *l = text + *pos;
		const char *e = memchr(l, '\n', len - *pos);
		size_t n = e != NULL ? (size_t)(e - l) : len - *pos, i;
		int end = 1;

		if (n < 2 || l[0] != ' ' || l[1] != ' ')
			break;
		*pos += n + (e != NULL);
		(*nlines)++;
		for (i = 2; i < n; i++) {
			char c = l[i];

			if (c == '\\' && i + 1 < n && l[i + 1] == '\\') {
				i++;
			} else if (c == '\\' && i + 3 < n && l[i + 1] == 'x' &&
			    hexval(l[i + 2]) >= 0 && hexval(l[i + 3]) >= 0) {
				c = (char)(hexval(l[i + 2]) * 16 +
				    hexval(l[i + 3]));
				i += 3;
			} else if (c == '\\' && n - i == 15 &&
			    memcmp(l + i, "\\ (no line end)", 15) == 0) {
				end = 0;
				break;
			}
			if (o < cap)
				out[o++] = c;
			else
				*over = 1;
		}
		if (end) {
			if (o + 2 <= cap) {
				out[o++] = '\r';
				out[o++] = '\n';
			} else {
				*over = 1;
			}
		}
	}
	return o;
}

/* The router's side of one answered request. */
static int
router_checks(struct lint *L, const struct ft_dtcp_msg *req,
    const char *r, size_t rlen, unsigned line, unsigned msg, int engine_code)
{
	char v[64], want[8];
	const char *mac;
	size_t mac_at = 0, pos = 0, n;
	unsigned ver;
	uint64_t rs, qs;
	const struct ft_dtcp_param *p;
	int rc = 0, code;

	/* Status line. */
	n = strcspn(r, "\r\n");
	if (rlen < 13 || memcmp(r, "DTCP/", 5) != 0 || r[6] != '.' ||
	    r[8] != ' ')
		return add_finding(L, line, FT_RULES_REPLY_LAYOUT, msg,
		    "the reply's first line is not 'DTCP/x.y CODE REASON'");
	ver = (unsigned)(r[5] - '0') * 10 + (unsigned)(r[7] - '0');
	code = (r[9] - '0') * 100 + (r[10] - '0') * 10 + (r[11] - '0');
	snprintf(want, sizeof(want), "0.%u", code == 505 ? FT_DTCP_V_MAX % 10 :
	    req->version >= FT_DTCP_V_MIN && req->version <= FT_DTCP_V_MAX ?
	    req->version % 10 : FT_DTCP_V07 % 10);
	if (ver != (code == 505 ? FT_DTCP_V_MAX : req->version >=
	    FT_DTCP_V_MIN && req->version <= FT_DTCP_V_MAX ? req->version :
	    FT_DTCP_V07))
		rc = add_finding(L, line, FT_RULES_REPLY_VERSION, msg,
		    "the reply is DTCP/%u.%u, the request's version gives "
		    "DTCP/%s", ver / 10, ver % 10, want);
	if (rc == 0 && engine_code != 0 && code != engine_code)
		rc = add_finding(L, line, FT_RULES_REPLY_CODE, msg, "the router "
		    "answered %d, flowtap's engine %d %s", code,
		    engine_code, ft_dtcp_reason(engine_code));
	(void)n;
	/* SEQ echoes the request's Seq. */
	p = ft_dtcp_find(req, "Seq");
	if (rc == 0 && p != NULL && ft_num_u64(p->value, p->value_len, 20, 0,
	    UINT64_MAX, &qs) == 0) {
		if (!reply_value(r, rlen, "SEQ", v, sizeof(v)))
			rc = add_finding(L, line, FT_RULES_REPLY_SEQ, msg,
			    "the reply has no SEQ line; the request's Seq is "
			    "%llu", (unsigned long long)qs);
		else if (ft_num_u64(v, strlen(v), 20, 0, UINT64_MAX, &rs) !=
		    0 || rs != qs)
			rc = add_finding(L, line, FT_RULES_REPLY_SEQ, msg,
			    "the reply's SEQ is '%s', the request's Seq %llu",
			    v, (unsigned long long)qs);
	}
	/* AUTHENTICATION-INFO last, over everything before it. */
	while (pos < rlen) {
		const char *l = r + pos;
		const char *e = memchr(l, '\n', rlen - pos);
		size_t ln = e != NULL ? (size_t)(e - l) + 1 : rlen - pos;

		if (ln > 20 && ieqn(l, 19, "AUTHENTICATION-INFO") &&
		    l[19] == ':') {
			mac_at = pos;
			break;
		}
		pos += ln;
	}
	if (rc != 0)
		return rc;
	if (mac_at == 0)
		return add_finding(L, line, FT_RULES_REPLY_MAC, msg,
		    "the reply has no AUTHENTICATION-INFO line");
	mac = r + mac_at + 20;
	while (is_wsp(*mac))
		mac++;
	n = strcspn(mac, "\r\n");
	while (n > 0 && is_wsp(mac[n - 1]))
		n--;
	if (!ft_auth_check(L->key, L->keylen, r, mac_at, mac, n)) {
		char hex[FT_AUTH_HEX_LEN + 1];

		if (ft_auth_hex(L->key, L->keylen, r, mac_at, hex) != 0)
			hex[0] = '\0';
		quote(v, sizeof(v), mac, n, 48);
		return add_finding(L, line, FT_RULES_REPLY_MAC, msg,
		    "the reply's AUTHENTICATION-INFO %s does not verify over "
		    "its %zu bytes before it: expected %s", v, mac_at, hex);
	}
	/* Junos layout: upper-case names; SEQ right after the status line. */
	pos = strcspn(r, "\n") + 1;
	if (pos < rlen && !(code != 200 && (engine_code == 505 ||
	    ft_dtcp_find(req, "Seq") == NULL)) && rlen - pos > 4 &&
	    memcmp(r + pos, "SEQ:", 4) != 0)
		return add_finding(L, line, FT_RULES_REPLY_LAYOUT, msg,
		    "SEQ is not the line after the status line (Junos "
		    "layout)");
	while (pos < mac_at) {
		const char *l = r + pos;
		size_t ln = strcspn(l, "\n") + 1, i;

		for (i = 0; i < ln && l[i] != ':'; i++)
			if (l[i] >= 'a' && l[i] <= 'z')
				return add_finding(L, line,
				    FT_RULES_REPLY_LAYOUT, msg, "the reply's "
				    "parameter names are not all upper case "
				    "(Junos layout)");
		pos += ln;
	}
	return 0;
}

static int
lint_transcript(struct lint *L, const char *text, size_t len)
{
	static char buf[FT_DTCP_MSG_MAX + 2], rbuf[FT_DTCP_REPLY_MAX];
	size_t pos = 0;
	unsigned line = 0, nl;
	int rc = 0, over;
	struct hdr h;
	struct ft_dtcp_msg *req;
	/* The request waiting for its reply or drop line. */
	struct ft_lint_message *pend = NULL;
	unsigned pend_line = 0, pend_msg = 0;
	int pend_code = 0;
	enum ft_lint_outcome pend_out = FT_LINT_OUT_NONE;

	req = malloc(sizeof(*req));
	if (req == NULL)
		return FT_ENOMEM;
	while (pos < len && rc == 0) {
		const char *l = text + pos;
		const char *e = memchr(l, '\n', len - pos);
		size_t n = e != NULL ? (size_t)(e - l) : len - pos;

		pos += n + (e != NULL);
		line++;
		nl = 0;
		if (n == 0)
			continue;
		if (parse_hdr(l, n, &h) != 0) {
			char q[80];

			quote(q, sizeof(q), l, n, 60);
			rc = add_finding(L, line, FT_RULES_FILE_SYNTAX, 0,
			    "%s: '%s' is not a dtcp.log line",
			    ft_rules_get(FT_RULES_FILE_SYNTAX)->explain, q);
			break;
		}
		L->now = h.t_ns;
		if (strcmp(h.kind, "reply") == 0 || strcmp(h.kind, "drop") ==
		    0) {
			size_t rl;

			rl = unescape_text(text, len, &pos, &nl, rbuf,
			    sizeof(rbuf) - 1, &over);
			rbuf[rl] = '\0';
			line += nl;
			if (pend == NULL)
				continue;
			pend->recorded = strcmp(h.kind, "reply") == 0 ?
			    FT_LINT_OUT_REPLY : FT_LINT_OUT_DROP;
			pend->recorded_code = h.code;
			if (pend->recorded != pend_out && pend_out ==
			    FT_LINT_OUT_DROP)
				rc = add_finding(L, line - nl,
				    FT_RULES_REPLY_TO_DROP, pend_msg, "the "
				    "router answered a request flowtap drops "
				    "unanswered (%d, %s)", pend_code,
				    ft_rules_get(pend->rule)->id);
			else if (pend->recorded != pend_out)
				rc = add_finding(L, line, FT_RULES_REPLY_MISSING,
				    pend_msg, "the router dropped a request flowtap "
				    "answers %d", pend_code);
			else if (pend->recorded == FT_LINT_OUT_DROP &&
			    h.code != pend_code)
				rc = add_finding(L, line, FT_RULES_REPLY_CODE,
				    pend_msg, "the router logged the drop with "
				    "code %d, flowtap %d", h.code, pend_code);
			else if (pend->recorded == FT_LINT_OUT_REPLY)
				rc = router_checks(L, req, rbuf, rl, line - nl,
				    pend_msg, pend_code);
			pend = NULL;
			continue;
		}
		if (pend != NULL && pend_out != FT_LINT_OUT_NOT_SENT &&
		    pend_out != FT_LINT_OUT_DROP)
			rc = add_finding(L, pend_line, FT_RULES_REPLY_MISSING,
			    pend_msg, "no reply recorded; flowtap answers %d",
			    pend_code);
		pend = NULL;
		if (rc != 0)
			break;
		if (strcmp(h.kind, "open") == 0) {
			char from[FT_NAME_MAX + 1];

			from[0] = '\0';
			if (h.reason != NULL && h.reason_len > 5 &&
			    memcmp(h.reason, "from ", 5) == 0) {
				size_t fl = strcspn(h.reason + 5, ";\n");

				if (fl > FT_NAME_MAX)
					fl = FT_NAME_MAX;
				memcpy(from, h.reason + 5, fl);
				from[fl] = '\0';
			}
			reset_capture(L);
			if (ft_tasking_open(L->t, h.session, h.user, NULL,
			    from[0] ? from : NULL, L->now) < 0)
				rc = add_finding(L, line,
				    FT_RULES_SESSION_REFUSED, 0, "flowtap's "
				    "engine refuses session '%s' of user '%s' "
				    "that the router opened: %s (pass the "
				    "router's --config)", h.session, h.user,
				    L->refuse);
		} else if (strcmp(h.kind, "close") == 0) {
			int sid = ft_tasking_find(L->t, h.session);

			if (sid >= 0 && !(h.reason != NULL && h.reason_len ==
			    7 && memcmp(h.reason, "restart", 7) == 0))
				ft_tasking_close(L->t, sid, L->now);
		} else if (strcmp(h.kind, "restart") == 0) {
			ft_tasking_restart(L->t, "transcript", L->now);
			rc = model_restart(L, line);
		} else if (strcmp(h.kind, "request") == 0) {
			struct mtext mt;
			size_t ml;
			int sid = ft_tasking_find(L->t, h.session);
			unsigned first = line + 1;

			ml = unescape_text(text, len, &pos, &nl, buf,
			    sizeof(buf) - 1, &over);
			/* Over the cap: the engine reads no byte of it. */
			if (over)
				ml = sizeof(buf) - 1;
			buf[ml] = '\0';
			line += nl;
			memset(&mt, 0, sizeof(mt));
			mt.bytes = buf;
			mt.len = ml;
			mt.first = first;
			ft_tasking_tick(L->t, L->now);
			/* The engine itself decides a request off-session. */
			rc = judge(L, &mt, sid, sid >= 0 ? h.user : NULL,
			    FT_RULES_NONE, NULL, &pend);
			if (rc != 0)
				break;
			(void)ft_dtcp_parse(req, buf, ml, NULL, 0);
			pend_line = first;
			pend_msg = (unsigned)L->f->nmsgs;
			pend_out = pend->outcome;
			pend_code = pend->code;
			pend->line = first;
		} else {
			/*
			 * note, refuse, expire, and serve's listen, ssh, stop:
			 * skip their text lines, if any.
			 */
			(void)unescape_text(text, len, &pos, &nl, buf,
			    sizeof(buf) - 1, &over);
			line += nl;
		}
	}
	if (rc == 0 && pend != NULL && pend_out == FT_LINT_OUT_REPLY)
		rc = add_finding(L, pend_line, FT_RULES_REPLY_MISSING, pend_msg,
		    "no reply recorded; flowtap answers %d", pend_code);
	if (rc == 0)
		rc = readd_report(L);
	free(req);
	return rc;
}

/* --- entry points --------------------------------------------------------- */

static enum ft_lint_form
detect(const char *text, size_t len)
{
	struct hdr h;
	struct linemap lm;
	size_t pos = 0;
	enum ft_lint_form f = FT_LINT_SCRIPT;

	while (pos < len) {
		const char *l = text + pos;
		const char *e = memchr(l, '\n', len - pos);
		size_t n = e != NULL ? (size_t)(e - l) : len - pos;

		if (n > 0 && !(n == 1 && l[0] == '\r')) {
			if (parse_hdr(l, n, &h) == 0)
				return FT_LINT_TRANSCRIPT;
			break;
		}
		pos += n + 1;
	}
	if (linemap_build(&lm, text, len) != 0)
		return FT_LINT_SCRIPT;
	if (!lm.any_auth && !lm.any_directive && lm.nmsg > 0)
		f = FT_LINT_DFCCLIENT;
	linemap_free(&lm);
	return f;
}

int
ft_lint_text(struct ft_lint_file **out, const char *name, const char *text,
    size_t len, const struct ft_lint_opts *o, struct ft_err *e)
{
	struct ft_tasking_cfg tc;
	struct lint *L;
	int rc;

	*out = NULL;
	if (o == NULL || name == NULL || (text == NULL && len > 0))
		return ft_err_set(e, FT_EINVAL, "lint: bad arguments");
	L = calloc(1, sizeof(*L));
	if (L == NULL)
		return ft_err_set(e, FT_ENOMEM, "lint: out of memory");
	L->o = o;
	L->cur_sid = -1;
	L->key = o->key != NULL ? o->key : KEY_DEFAULT;
	L->keylen = o->key != NULL ? (o->keylen ? o->keylen : strlen(o->key)) :
	    strlen(KEY_DEFAULT);
	L->f = calloc(1, sizeof(*L->f));
	L->m = malloc(sizeof(*L->m));
	L->rule = malloc(sizeof(*L->rule));
	L->replybuf = malloc(sizeof(*L->replybuf));
	if (L->f == NULL || L->m == NULL || L->rule == NULL ||
	    L->replybuf == NULL ||
	    (L->f->name = dupn(name, strlen(name))) == NULL) {
		rc = ft_err_set(e, FT_ENOMEM, "lint: out of memory");
		goto out;
	}
	L->rc = o->router;
	if (L->rc == NULL) {
		L->router = calloc(1, sizeof(*L->router));
		if (L->router == NULL || ft_routercfg_default(L->router) != 0) {
			rc = ft_err_set(e, FT_ENOMEM, "lint: out of memory");
			goto out;
		}
		L->rc = L->router;
	}
	memset(&tc, 0, sizeof(tc));
	tc.router = L->rc;
	tc.profile = o->profile;
	tc.key = L->key;
	tc.keylen = L->keylen;
	tc.log = on_event;
	tc.log_ctx = L;
	L->t = ft_tasking_new(&tc);
	if (L->t == NULL) {
		rc = ft_err_set(e, FT_ENOMEM, "lint: out of memory");
		goto out;
	}
	L->f->form = o->form != FT_LINT_AUTO ? o->form : detect(text, len);
	if (L->f->form == FT_LINT_TRANSCRIPT)
		rc = lint_transcript(L, text, len);
	else
		rc = lint_script(L, name, text, len,
		    L->f->form == FT_LINT_DFCCLIENT);
	if (rc != 0) {
		ft_err_set(e, rc, "lint '%s': %s", name, ft_err_name(rc));
		goto out;
	}
	*out = L->f;
	L->f = NULL;
out:
	ft_lint_file_free(L->f);
	ft_tasking_free(L->t);
	if (L->router != NULL) {
		ft_routercfg_wipe(L->router);
		free(L->router);
	}
	free(L->reply);
	free(L->m);
	free(L->rule);
	free(L->replybuf);
	free(L);
	return rc;
}

int
ft_lint_path(struct ft_lint_file **out, const char *path,
    const struct ft_lint_opts *o, struct ft_err *e)
{
	FILE *fp;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int rc;

	*out = NULL;
	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "rb")) == NULL)
		return ft_err_set(e, FT_EIO, "cannot read '%s': %s", path,
		    strerror(errno));
	for (;;) {
		if (len == cap) {
			char *nb;

			if (cap >= FT_SCRIPT_FILE_MAX) {
				rc = ft_err_set(e, FT_ELIMIT, "'%s': over %d "
				    "bytes", path, FT_SCRIPT_FILE_MAX);
				goto out;
			}
			cap = cap ? cap * 2 : 65536;
			if ((nb = realloc(buf, cap + 1)) == NULL) {
				rc = ft_err_set(e, FT_ENOMEM, "out of memory");
				goto out;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		rc = ft_err_set(e, FT_EIO, "cannot read '%s'", path);
		goto out;
	}
	rc = ft_lint_text(out, strcmp(path, "-") == 0 ? "<stdin>" : path,
	    buf != NULL ? buf : "", len, o, e);
out:
	if (buf != NULL) {
		ft_auth_wipe(buf, cap);
		free(buf);
	}
	if (fp != stdin)
		fclose(fp);
	return rc;
}

void
ft_lint_file_free(struct ft_lint_file *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nf; i++) {
		free(f->f[i].text);
		free(f->f[i].detail);
	}
	free(f->f);
	free(f->msgs);
	free(f->name);
	free(f);
}

int
ft_lint_status(struct ft_lint_file *const *files, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (files[i]->count[FT_RULES_MUST] > 0)
			return 1;
	return 0;
}

/* --- output ------------------------------------------------------------- */

static const char *
form_name(enum ft_lint_form f)
{
	switch (f) {
	case FT_LINT_SCRIPT:
		return "script";
	case FT_LINT_DFCCLIENT:
		return "dfcclient";
	case FT_LINT_TRANSCRIPT:
		return "transcript";
	case FT_LINT_AUTO:
		break;
	}
	return "auto";
}

static const char *
outcome_name(enum ft_lint_outcome o)
{
	switch (o) {
	case FT_LINT_OUT_REPLY:
		return "reply";
	case FT_LINT_OUT_DROP:
		return "drop";
	case FT_LINT_OUT_NOT_SENT:
		return "not-sent";
	case FT_LINT_OUT_NONE:
		break;
	}
	return "none";
}

/* Findings in line order (stable: same line keeps discovery order). */
static int
cmp_finding(const void *a, const void *b)
{
	const struct ft_lint_finding *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x < y ? -1 : x > y;
}

static void
sort_findings(struct ft_lint_file *f)
{
	size_t i, j;

	/* Insertion sort: stable, and the lists are short and near sorted. */
	for (i = 1; i < f->nf; i++) {
		struct ft_lint_finding x = f->f[i];

		for (j = i; j > 0 && f->f[j - 1].line > x.line; j--)
			f->f[j] = f->f[j - 1];
		f->f[j] = x;
	}
	(void)cmp_finding;
}

static void
json_str(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", fp);
		else if (c < 0x20 || c == 0x7f)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}

static void
xml_str(FILE *fp, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '&':
			fputs("&amp;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		default:
			if (c < 0x20 && c != '\n' && c != '\t')
				fprintf(fp, "&#x%x;", c);
			else
				fputc(c, fp);
		}
	}
}

static void
write_text(FILE *fp, struct ft_lint_file *const *files, size_t n)
{
	unsigned tot[3] = { 0, 0, 0 };
	size_t i, j, msgs = 0;

	for (i = 0; i < n; i++) {
		const struct ft_lint_file *f = files[i];

		for (j = 0; j < f->nf; j++) {
			const struct ft_lint_finding *x = &f->f[j];
			const struct ft_rules_entry *r = ft_rules_get(x->rule);

			fprintf(fp, "%s:%u: %s %s: %s (%s)\n", f->name, x->line,
			    r->id, ft_rules_severity_name(r->severity),
			    x->text, r->ref);
			if (x->detail != NULL)
				fprintf(fp, "%s\n", x->detail);
		}
		for (j = 0; j < 3; j++)
			tot[j] += f->count[j];
		msgs += f->nmsgs;
	}
	fprintf(fp, "%zu file%s, %zu message%s: %u MUST, %u SHOULD, %u INFO\n",
	    n, n == 1 ? "" : "s", msgs, msgs == 1 ? "" : "s", tot[0], tot[1],
	    tot[2]);
}

static void
write_json(FILE *fp, struct ft_lint_file *const *files, size_t n)
{
	unsigned tot[3] = { 0, 0, 0 };
	size_t i, j, msgs = 0;

	fputs("{\n  \"lint\": 1,\n  \"files\": [", fp);
	for (i = 0; i < n; i++) {
		const struct ft_lint_file *f = files[i];

		fprintf(fp, "%s\n    {\n      \"file\": ", i ? "," : "");
		json_str(fp, f->name);
		fprintf(fp, ",\n      \"form\": \"%s\",\n      \"messages\": [",
		    form_name(f->form));
		for (j = 0; j < f->nmsgs; j++) {
			const struct ft_lint_message *m = &f->msgs[j];

			fprintf(fp, "%s\n        { \"index\": %zu, \"line\": %u, "
			    "\"method\": ", j ? "," : "", j + 1, m->line);
			json_str(fp, m->method);
			fputs(", \"csource\": ", fp);
			json_str(fp, m->csource);
			fprintf(fp, ", \"outcome\": \"%s\", \"code\": %d, "
			    "\"rule\": ", outcome_name(m->outcome), m->code);
			if (m->rule == FT_RULES_NONE)
				fputs("null", fp);
			else
				json_str(fp, ft_rules_get(m->rule)->id);
			if (f->form == FT_LINT_TRANSCRIPT)
				fprintf(fp, ", \"recorded\": \"%s\", "
				    "\"recorded_code\": %d",
				    outcome_name(m->recorded), m->recorded_code);
			fputs(" }", fp);
		}
		fprintf(fp, "%s],\n      \"findings\": [", f->nmsgs ?
		    "\n      " : "");
		for (j = 0; j < f->nf; j++) {
			const struct ft_lint_finding *x = &f->f[j];
			const struct ft_rules_entry *r = ft_rules_get(x->rule);

			fprintf(fp, "%s\n        { \"line\": %u, \"message\": "
			    "%u, \"rule\": ", j ? "," : "", x->line, x->msg);
			json_str(fp, r->id);
			fprintf(fp, ", \"severity\": \"%s\", \"code\": %d, "
			    "\"text\": ", ft_rules_severity_name(r->severity),
			    r->code);
			json_str(fp, x->text);
			fputs(", \"ref\": ", fp);
			json_str(fp, r->ref);
			if (x->detail != NULL) {
				fputs(", \"detail\": ", fp);
				json_str(fp, x->detail);
			}
			fputs(" }", fp);
		}
		fprintf(fp, "%s],\n      \"summary\": { \"messages\": %zu, "
		    "\"must\": %u, \"should\": %u, \"info\": %u }\n    }",
		    f->nf ? "\n      " : "", f->nmsgs, f->count[0],
		    f->count[1], f->count[2]);
		for (j = 0; j < 3; j++)
			tot[j] += f->count[j];
		msgs += f->nmsgs;
	}
	fprintf(fp, "%s],\n  \"summary\": { \"files\": %zu, \"messages\": %zu, "
	    "\"must\": %u, \"should\": %u, \"info\": %u }\n}\n",
	    n ? "\n  " : "", n, msgs, tot[0], tot[1], tot[2]);
}

static void
junit_case(FILE *fp, const struct ft_lint_file *f, unsigned msg,
    const char *name)
{
	size_t j;
	int out = 0;

	fputs("    <testcase classname=\"", fp);
	xml_str(fp, f->name);
	fputs("\" name=\"", fp);
	xml_str(fp, name);
	fputs("\">\n", fp);
	for (j = 0; j < f->nf; j++) {
		const struct ft_lint_finding *x = &f->f[j];
		const struct ft_rules_entry *r = ft_rules_get(x->rule);

		if (x->msg != msg || r->severity != FT_RULES_MUST)
			continue;
		fputs("      <failure type=\"", fp);
		xml_str(fp, r->id);
		fputs("\" message=\"", fp);
		xml_str(fp, x->text);
		fprintf(fp, "\">%s:%u: ", "", x->line);
		xml_str(fp, r->id);
		fputs(" MUST: ", fp);
		xml_str(fp, x->text);
		fputs(" (", fp);
		xml_str(fp, r->ref);
		fputs(")</failure>\n", fp);
	}
	for (j = 0; j < f->nf; j++) {
		const struct ft_lint_finding *x = &f->f[j];
		const struct ft_rules_entry *r = ft_rules_get(x->rule);

		if (x->msg != msg || r->severity == FT_RULES_MUST)
			continue;
		if (!out++)
			fputs("      <system-out>", fp);
		fprintf(fp, "%u: ", x->line);
		xml_str(fp, r->id);
		fprintf(fp, " %s: ", ft_rules_severity_name(r->severity));
		xml_str(fp, x->text);
		fputs("\n", fp);
	}
	if (out)
		fputs("</system-out>\n", fp);
	fputs("    </testcase>\n", fp);
}

static void
write_junit(FILE *fp, struct ft_lint_file *const *files, size_t n)
{
	size_t i, j;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "
	    "name=\"flowtap lint\">\n", fp);
	for (i = 0; i < n; i++) {
		const struct ft_lint_file *f = files[i];
		unsigned fails = 0;
		char name[64];

		for (j = 0; j <= f->nmsgs; j++) {
			size_t k;

			for (k = 0; k < f->nf; k++)
				if (f->f[k].msg == j && ft_rules_get(
				    f->f[k].rule)->severity == FT_RULES_MUST) {
					fails++;
					break;
				}
		}
		fputs("  <testsuite name=\"", fp);
		xml_str(fp, f->name);
		fprintf(fp, "\" tests=\"%zu\" failures=\"%u\" errors=\"0\">\n",
		    f->nmsgs + 1, fails);
		junit_case(fp, f, 0, "file");
		for (j = 0; j < f->nmsgs; j++) {
			snprintf(name, sizeof(name), "line %u %s",
			    f->msgs[j].line, f->msgs[j].method[0] ?
			    f->msgs[j].method : "(no method)");
			junit_case(fp, f, (unsigned)j + 1, name);
		}
		fputs("  </testsuite>\n", fp);
	}
	fputs("</testsuites>\n", fp);
}

int
ft_lint_write(FILE *fp, enum ft_lint_format fmt,
    struct ft_lint_file *const *files, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sort_findings(files[i]);
	switch (fmt) {
	case FT_LINT_JSON:
		write_json(fp, files, n);
		break;
	case FT_LINT_JUNIT:
		write_junit(fp, files, n);
		break;
	case FT_LINT_TEXT:
		write_text(fp, files, n);
		break;
	}
	return fflush(fp) != 0 || ferror(fp) ? FT_EIO : 0;
}

static const char *
outcome_word(const struct ft_rules_entry *r)
{
	switch (r->outcome) {
	case FT_RULES_REPLY:
		return "reply";
	case FT_RULES_DROP:
		return "drop";
	case FT_RULES_ACCEPT:
		return "accepted";
	case FT_RULES_NOT_SENT:
		return "not sent";
	case FT_RULES_ROUTER:
		return "router";
	}
	return "";
}

/* Markdown table cell: '|' escaped, backquotes kept. */
static void
md_cell(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|')
			fputs("\\|", fp);
		else
			fputc(*s, fp);
	}
}

int
ft_lint_write_rules(FILE *fp, int markdown)
{
	unsigned i;

	if (markdown) {
		fputs("# Rules\n\n"
		    "<!-- Generated by `flowtap lint --rules markdown` from "
		    "engine/rules.c: edit the table there, then `make "
		    "rules-doc`. -->\n\n"
		    "Every check the engine makes on a DTCP request and every "
		    "check `flowtap lint` adds\n(docs/lint.md). The engine "
		    "names the rule of each non-200 reply and each drop in\n"
		    "dtcp.log; lint reports findings by the same ids. "
		    "Severity: **MUST** - the router\nrejects the request (or "
		    "never receives it); **SHOULD** - accepted, but almost\n"
		    "certainly not what the device meant, or not portable; "
		    "**INFO** - worth knowing.\nCode: the reply (or, for a "
		    "drop, the logged) code a router gives.\n\n"
		    "| rule | severity | outcome | code | enforces | reason |\n"
		    "| --- | --- | --- | --- | --- | --- |\n", fp);
		for (i = 1; i < FT_RULES_COUNT; i++) {
			const struct ft_rules_entry *r = ft_rules_get(i);

			fprintf(fp, "| `%s` | %s | %s | %s%.0d | ", r->id,
			    ft_rules_severity_name(r->severity),
			    outcome_word(r), r->code ? "" : "-", r->code);
			md_cell(fp, r->ref);
			fputs(": \"", fp);
			md_cell(fp, r->source);
			fputs("\" | ", fp);
			md_cell(fp, r->explain);
			fputs(" |\n", fp);
		}
	} else {
		for (i = 1; i < FT_RULES_COUNT; i++) {
			const struct ft_rules_entry *r = ft_rules_get(i);

			fprintf(fp, "%-28s %-6s %-8s %3d  %s (%s)\n", r->id,
			    ft_rules_severity_name(r->severity),
			    outcome_word(r), r->code, r->explain, r->ref);
		}
	}
	return fflush(fp) != 0 || ferror(fp) ? FT_EIO : 0;
}
