/*
 * routercfg.c - the Junos configuration subset flowtap reads (SPEC 4).
 *
 * The text is read in two layers. The tokenizer turns bytes into words,
 * braces, brackets and semicolons, with line numbers, skipping comments.
 * The statement reader keeps the headers of the open blocks as a path of
 * words; every statement (and every block header) is handed to apply()
 * as that full path, so "system login user x class y;" at the top level
 * means the same as the nested form. Unknown paths are ignored. The
 * commit checks run once the whole text has been read.
 */
#include "routercfg.h"

#include <arpa/inet.h>
#include <crypt.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"

/* The longest stretch of a word quoted back in an error message. */
#define SHOW_MAX 64

enum tok_type {
	T_EOF,
	T_WORD,
	T_LBRACE,
	T_RBRACE,
	T_SEMI,
	T_LBRACK,
	T_RBRACK,
};

struct word {
	const char *p;
	size_t len;
	int quoted;		/* the inside of "...", escapes kept */
};

struct tok {
	enum tok_type type;
	struct word w;
	unsigned line;
};

struct frame {
	unsigned nwords;	/* words this block adds to the path */
	unsigned line;		/* line of its header */
	int inactive;		/* "inactive: name {" */
};

struct pstate {
	struct ft_routercfg *cfg;
	const char *name;
	struct ft_err *e;
	const char *text;
	size_t len;
	size_t pos;
	unsigned line;		/* line of text[pos] */
	unsigned last_line;	/* line of the last token read */

	struct word path[FT_CFG_WORDS_MAX];
	unsigned npath;		/* words of the open block headers */
	struct frame frames[FT_CFG_DEPTH_MAX];
	unsigned depth;
	unsigned inactive;	/* open inactive blocks */

	unsigned nstmt;		/* words of the statement being read */
	unsigned stmt_line;
	unsigned prev_line;	/* line of the statement's last token */
	int in_list;
	unsigned list_line;

	/* Where things were configured, for the commit checks (0: not). */
	unsigned class_block[FT_CFG_CLASSES_MAX];
	unsigned user_line[FT_CFG_USERS_MAX];
	unsigned user_block[FT_CFG_USERS_MAX];
	unsigned user_class_line[FT_CFG_USERS_MAX];
	unsigned char ifl_fam[FT_CFG_IFLS_MAX];
	unsigned flowtap_line;
	unsigned flowtap_ifl_line;
	unsigned dfc_line;
	unsigned syslog_line;
	char syslog_filter[SHOW_MAX + 1];
	char syslog_term[SHOW_MAX + 1];
	unsigned auth_order_line;
	unsigned radius_secret_line[FT_CFG_RADIUS_MAX];
};

#define FAM_INET	0x01
#define FAM_INET6	0x02

/*
 * Junos' login permission flags, bit i = 1 << i. The three of flow-tap
 * come first (FT_PERM_*); the rest in Junos' alphabetical order. "all"
 * is not a bit: every bit but flow-tap-operation, which Junos leaves out
 * of "all" (it must be granted by name).
 */
static const char *const perm_names[] = {
	"flow-tap", "flow-tap-control", "flow-tap-operation",
	"access", "access-control", "admin", "admin-control", "clear",
	"configure", "control", "field", "firewall", "firewall-control",
	"floppy", "idp-profiler-operation", "interface",
	"interface-control", "maintenance", "network",
	"pgcp-session-mirroring", "pgcp-session-mirroring-control", "reset",
	"rollback", "routing", "routing-control", "secret", "secret-control",
	"security", "security-control", "shell", "snmp", "snmp-control",
	"storage", "storage-control", "system", "system-control", "trace",
	"trace-control", "unified-edge", "unified-edge-control", "view",
	"view-configuration",
};
#define NPERMS (sizeof(perm_names) / sizeof(perm_names[0]))
#define PERMS_ALL (((1ULL << NPERMS) - 1) & ~FT_PERM_FLOW_TAP_OPERATION)

/* Junos' predefined login classes. */
static const struct {
	const char *name;
	uint64_t perms;
} predefined[] = {
	{ "super-user", PERMS_ALL },
	{ "operator", 0 },
	{ "read-only", 0 },
	{ "unauthorized", 0 },
};

static int fail(struct pstate *st, int code, unsigned line,
    const char *fmt, ...) FT_PRINTF(4, 5);

static int
fail(struct pstate *st, int code, unsigned line, const char *fmt, ...)
{
	char buf[FT_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return ft_err_set(st->e, code, "%s:%u: %s", st->name, line, buf);
}

/* printf arguments for a word quoted in a message: "%.*s". */
#define SHOW(w) (int)((w)->len < SHOW_MAX ? (w)->len : SHOW_MAX), (w)->p

static int
eq(const struct word *w, const char *s)
{
	size_t n = strlen(s);

	return w->len == n && memcmp(w->p, s, n) == 0;
}

/*
 * Copy a word into dst[cap] with the backslash escapes of a quoted
 * string removed. Returns the length, or -1 when it does not fit.
 */
static long
copy_word(char *dst, size_t cap, const struct word *w)
{
	size_t i, n = 0;

	for (i = 0; i < w->len; i++) {
		char c = w->p[i];

		if (w->quoted && c == '\\' && i + 1 < w->len)
			c = w->p[++i];
		if (n + 1 >= cap)
			return -1;
		dst[n++] = c;
	}
	dst[n] = '\0';
	return (long)n;
}

/* Copy a name (user, class, interface...) of 1..FT_NAME_MAX bytes. */
static int
copy_name(struct pstate *st, char dst[FT_NAME_MAX + 1], const struct word *w,
    const char *what, unsigned line)
{
	long n = copy_word(dst, FT_NAME_MAX + 1, w);

	if (n < 0)
		return fail(st, FT_ELIMIT, line,
		    "%s '%.*s' longer than %d bytes", what, SHOW(w),
		    FT_NAME_MAX);
	if (n == 0)
		return fail(st, FT_EINVAL, line, "empty %s", what);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Tokenizer */

static int
is_special(char c)
{
	return c == '{' || c == '}' || c == ';' || c == '[' || c == ']' ||
	    c == '"';
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
bad_byte(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f;
}

static int
next_token(struct pstate *st, struct tok *t)
{
	const char *s = st->text;
	size_t n = st->len;

	for (;;) {
		while (st->pos < n && is_space(s[st->pos])) {
			if (s[st->pos] == '\n')
				st->line++;
			st->pos++;
		}
		if (st->pos >= n) {
			t->type = T_EOF;
			t->line = st->line;
			return 0;
		}
		if (s[st->pos] == '#') {
			while (st->pos < n && s[st->pos] != '\n')
				st->pos++;
			continue;
		}
		if (s[st->pos] == '/' && st->pos + 1 < n &&
		    s[st->pos + 1] == '*') {
			unsigned start = st->line;

			st->pos += 2;
			for (;;) {
				if (st->pos + 1 >= n)
					return fail(st, FT_EINVAL, start,
					    "unterminated comment");
				if (s[st->pos] == '*' && s[st->pos + 1] == '/')
					break;
				if (s[st->pos] == '\n')
					st->line++;
				st->pos++;
			}
			st->pos += 2;
			continue;
		}
		break;
	}

	t->line = st->line;
	st->last_line = st->line;
	t->w.quoted = 0;
	switch (s[st->pos]) {
	case '{':
		t->type = T_LBRACE;
		st->pos++;
		return 0;
	case '}':
		t->type = T_RBRACE;
		st->pos++;
		return 0;
	case ';':
		t->type = T_SEMI;
		st->pos++;
		return 0;
	case '[':
		t->type = T_LBRACK;
		st->pos++;
		return 0;
	case ']':
		t->type = T_RBRACK;
		st->pos++;
		return 0;
	case '"':
		st->pos++;
		t->type = T_WORD;
		t->w.p = s + st->pos;
		t->w.quoted = 1;
		for (;;) {
			if (st->pos >= n || s[st->pos] == '\n')
				return fail(st, FT_EINVAL, t->line,
				    "unterminated string");
			if (bad_byte((unsigned char)s[st->pos]))
				return fail(st, FT_EINVAL, t->line,
				    "control character 0x%02x in string",
				    (unsigned char)s[st->pos]);
			if (s[st->pos] == '"')
				break;
			if (s[st->pos] == '\\' && st->pos + 1 < n &&
			    s[st->pos + 1] != '\n')
				st->pos++;
			st->pos++;
		}
		t->w.len = (size_t)(s + st->pos - t->w.p);
		st->pos++;
		return 0;
	default:
		break;
	}

	t->type = T_WORD;
	t->w.p = s + st->pos;
	while (st->pos < n && !is_space(s[st->pos]) &&
	    !is_special(s[st->pos])) {
		if (bad_byte((unsigned char)s[st->pos]))
			return fail(st, FT_EINVAL, t->line,
			    "control character 0x%02x",
			    (unsigned char)s[st->pos]);
		st->pos++;
	}
	t->w.len = (size_t)(s + st->pos - t->w.p);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Values */

/*
 * The single value of "keyword value;" at w[k]: the statement must be a
 * leaf with exactly that one value.
 */
static int
one_value(struct pstate *st, const struct word *w, unsigned n, unsigned k,
    int block, unsigned line)
{
	if (block)
		return fail(st, FT_EINVAL, line,
		    "'%.*s' takes a value, not a block", SHOW(&w[k]));
	if (n != k + 2)
		return fail(st, FT_EINVAL, line, "'%.*s' needs one value",
		    SHOW(&w[k]));
	return 0;
}

static int
all_digits(const struct word *w)
{
	size_t i;

	if (w->len == 0)
		return 0;
	for (i = 0; i < w->len; i++)
		if (w->p[i] < '0' || w->p[i] > '9')
			return 0;
	return 1;
}

/* "keyword N;" with N in [min, max]. */
static int
number(struct pstate *st, const struct word *w, unsigned n, unsigned k,
    int block, unsigned line, uint64_t min, uint64_t max, uint64_t *out)
{
	const struct word *v = &w[k + 1];
	int rc;

	if ((rc = one_value(st, w, n, k, block, line)) != 0)
		return rc;
	rc = ft_num_u64(v->p, v->len, 20, min, max, out);
	if (rc == FT_ELIMIT || (rc != 0 && all_digits(v)))
		return fail(st, FT_EINVAL, line,
		    "%.*s %.*s out of range %llu..%llu", SHOW(&w[k]), SHOW(v),
		    (unsigned long long)min, (unsigned long long)max);
	if (rc != 0)
		return fail(st, FT_EINVAL, line, "%.*s '%.*s' is not a number",
		    SHOW(&w[k]), SHOW(v));
	return 0;
}

static int
crypt_char(char c)
{
	return c == '.' || c == '/' || (c >= '0' && c <= '9') ||
	    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* "$1$" salt (1..8 chars) "$" hash (22 chars): MD5-crypt's layout. */
static int
md5crypt_ok(const char *s)
{
	size_t i = 3, salt = 0, hash = 0;

	if (strncmp(s, "$1$", 3) != 0)
		return 0;
	while (s[i] != '\0' && s[i] != '$') {
		if (!crypt_char(s[i]))
			return 0;
		salt++;
		i++;
	}
	if (salt == 0 || salt > 8 || s[i] != '$')
		return 0;
	for (i++; s[i] != '\0'; i++) {
		if (!crypt_char(s[i]))
			return 0;
		hash++;
	}
	return hash == 22;
}

/* ------------------------------------------------------------------ */
/* Tables */

static int
find_class(const struct ft_routercfg *cfg, const char *name)
{
	unsigned i;

	for (i = 0; i < cfg->nclasses; i++)
		if (strcmp(cfg->classes[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int
find_user(const struct ft_routercfg *cfg, const char *name)
{
	unsigned i;

	for (i = 0; i < cfg->nusers; i++)
		if (strcmp(cfg->users[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int
find_ifl(const struct ft_routercfg *cfg, const char *name, size_t len)
{
	unsigned i;

	for (i = 0; i < cfg->nifls; i++)
		if (strlen(cfg->ifls[i]) == len &&
		    memcmp(cfg->ifls[i], name, len) == 0)
			return (int)i;
	return -1;
}

static int
find_vrf(const struct ft_routercfg *cfg, const char *name, size_t len)
{
	unsigned i;

	for (i = 0; i < cfg->nvrfs; i++)
		if (strlen(cfg->vrfs[i]) == len &&
		    memcmp(cfg->vrfs[i], name, len) == 0)
			return (int)i;
	return -1;
}

/* Permission bits of a class name: configured first, then predefined. */
static int
class_perms(const struct ft_routercfg *cfg, const char *name,
    uint64_t *perms)
{
	size_t i;
	int c = find_class(cfg, name);

	if (c >= 0) {
		*perms = cfg->classes[c].perms;
		return 0;
	}
	for (i = 0; i < sizeof(predefined) / sizeof(predefined[0]); i++) {
		if (strcmp(predefined[i].name, name) == 0) {
			*perms = predefined[i].perms;
			return 0;
		}
	}
	return FT_ENOENT;
}

/* The bit of one permission name (p[0..len)), 0 when unknown. */
static uint64_t
perm_bit_n(const char *p, size_t len)
{
	size_t i;

	if (len == 3 && memcmp(p, "all", 3) == 0)
		return PERMS_ALL;
	for (i = 0; i < NPERMS; i++)
		if (strlen(perm_names[i]) == len &&
		    memcmp(perm_names[i], p, len) == 0)
			return 1ULL << i;
	return 0;
}

static uint64_t
perm_bit(const struct word *w)
{
	return perm_bit_n(w->p, w->len);
}

/* ------------------------------------------------------------------ */
/* Statements: w[0..n) is the full path, line the statement's line. */

/* system login class NAME ... (w[0] is NAME) */
static int
apply_class(struct pstate *st, const struct word *w, unsigned n, int block,
    unsigned line)
{
	struct ft_routercfg *cfg = st->cfg;
	char name[FT_NAME_MAX + 1];
	unsigned i;
	int rc, c;

	if ((rc = copy_name(st, name, &w[0], "class name", line)) != 0)
		return rc;
	c = find_class(cfg, name);
	if (c < 0) {
		if (cfg->nclasses >= FT_CFG_CLASSES_MAX)
			return fail(st, FT_ELIMIT, line,
			    "more than %d login classes", FT_CFG_CLASSES_MAX);
		c = (int)cfg->nclasses++;
		memcpy(cfg->classes[c].name, name, sizeof(name));
	}
	if (n == 1) {
		if (block && st->class_block[c] != 0)
			return fail(st, FT_EINVAL, line,
			    "duplicate class '%s' (first at line %u)", name,
			    st->class_block[c]);
		if (block)
			st->class_block[c] = line;
		return 0;
	}
	if (eq(&w[1], "permissions")) {
		if (block)
			return fail(st, FT_EINVAL, line,
			    "'permissions' takes a value, not a block");
		if (n < 3)
			return fail(st, FT_EINVAL, line,
			    "'permissions' needs a value");
		for (i = 2; i < n; i++)
			cfg->classes[c].perms |= perm_bit(&w[i]);
		return 0;
	}
	if (eq(&w[1], "idle-timeout")) {
		uint64_t v;

		/* Validated, not used: flowtap has no idle sessions. */
		return number(st, w, n, 1, block, line, 0, 100000, &v);
	}
	return 0;
}

/* system login user NAME ... (w[0] is NAME) */
static int
apply_user(struct pstate *st, const struct word *w, unsigned n, int block,
    unsigned line)
{
	struct ft_routercfg *cfg = st->cfg;
	char name[FT_NAME_MAX + 1];
	struct ft_cfg_user *u;
	int rc, k;

	if ((rc = copy_name(st, name, &w[0], "user name", line)) != 0)
		return rc;
	k = find_user(cfg, name);
	if (k < 0) {
		if (cfg->nusers >= FT_CFG_USERS_MAX)
			return fail(st, FT_ELIMIT, line,
			    "more than %d login users", FT_CFG_USERS_MAX);
		k = (int)cfg->nusers++;
		memcpy(cfg->users[k].name, name, sizeof(name));
		st->user_line[k] = line;
	}
	u = &cfg->users[k];
	if (n == 1) {
		if (block && st->user_block[k] != 0)
			return fail(st, FT_EINVAL, line,
			    "duplicate user '%s' (first at line %u)", name,
			    st->user_block[k]);
		if (block)
			st->user_block[k] = line;
		return 0;
	}
	if (eq(&w[1], "uid")) {
		uint64_t v;

		/* Junos' range for uid. */
		rc = number(st, w, n, 1, block, line, 100, 64000, &v);
		if (rc == 0)
			u->uid = (uint32_t)v;
		return rc;
	}
	if (eq(&w[1], "class")) {
		if ((rc = one_value(st, w, n, 1, block, line)) != 0)
			return rc;
		rc = copy_name(st, u->class_name, &w[2], "class name", line);
		if (rc == 0)
			st->user_class_line[k] = line;
		return rc;
	}
	if (n >= 3 && eq(&w[1], "authentication") &&
	    eq(&w[2], "encrypted-password")) {
		if ((rc = one_value(st, w, n, 2, block, line)) != 0)
			return rc;
		if (copy_word(u->crypt, sizeof(u->crypt), &w[3]) < 0 ||
		    !md5crypt_ok(u->crypt)) {
			u->crypt[0] = '\0';
			return fail(st, FT_EINVAL, line,
			    "user '%s': only MD5-crypt ($1$salt$hash) "
			    "encrypted-password is supported", name);
		}
		return 0;
	}
	return 0;
}

/* system authentication-order [ METHOD... ] (w[0] is the keyword) */
static int
apply_auth_order(struct pstate *st, const struct word *w, unsigned n,
    int block, unsigned line)
{
	struct ft_routercfg *cfg = st->cfg;
	enum ft_auth_method m;
	unsigned i, j;

	if (block)
		return fail(st, FT_EINVAL, line,
		    "'authentication-order' takes a value, not a block");
	if (n < 2)
		return fail(st, FT_EINVAL, line,
		    "'authentication-order' needs a value");
	/* A later statement replaces an earlier one, as in Junos. */
	cfg->nauth = 0;
	for (i = 1; i < n; i++) {
		if (eq(&w[i], "radius"))
			m = FT_AUTH_RADIUS;
		else if (eq(&w[i], "password"))
			m = FT_AUTH_PASSWORD;
		else
			return fail(st, FT_EINVAL, line,
			    "authentication-order '%.*s' is not supported "
			    "(radius, password)", SHOW(&w[i]));
		for (j = 0; j < cfg->nauth; j++)
			if (cfg->auth_order[j] == m)
				return fail(st, FT_EINVAL, line,
				    "authentication-order lists '%.*s' twice",
				    SHOW(&w[i]));
		cfg->auth_order[cfg->nauth++] = m;
	}
	st->auth_order_line = line;
	return 0;
}

/* A numeric IPv4 or IPv6 address into dst; its family, or 0. */
static int
copy_addr(char dst[FT_CFG_ADDR_MAX], const struct word *w)
{
	unsigned char buf[16];

	if (copy_word(dst, FT_CFG_ADDR_MAX, w) < 0)
		return 0;
	if (inet_pton(AF_INET, dst, buf) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, dst, buf) == 1)
		return AF_INET6;
	return 0;
}

/* system radius-server ADDRESS ... (w[0] is ADDRESS) */
static int
apply_radius(struct pstate *st, const struct word *w, unsigned n, int block,
    unsigned line)
{
	struct ft_routercfg *cfg = st->cfg;
	struct ft_cfg_radius *r;
	char addr[FT_CFG_ADDR_MAX], src[FT_CFG_ADDR_MAX];
	uint64_t v;
	unsigned i;
	long len;
	int rc, fam, k = -1;

	fam = copy_addr(addr, &w[0]);
	if (fam == 0)
		return fail(st, FT_EINVAL, line,
		    "radius-server '%.*s' is not an IPv4 or IPv6 address",
		    SHOW(&w[0]));
	for (i = 0; i < cfg->nradius; i++)
		if (strcmp(cfg->radius[i].addr, addr) == 0)
			k = (int)i;
	if (k < 0) {
		if (cfg->nradius >= FT_CFG_RADIUS_MAX)
			return fail(st, FT_ELIMIT, line,
			    "more than %d radius-server entries",
			    FT_CFG_RADIUS_MAX);
		k = (int)cfg->nradius++;
		r = &cfg->radius[k];
		memcpy(r->addr, addr, sizeof(addr));
		r->port = 1812;
		r->timeout_s = 3;
		r->retry = 3;
		r->line = line;
	}
	r = &cfg->radius[k];
	if (n == 1)
		return 0;
	if (eq(&w[1], "secret")) {
		if ((rc = one_value(st, w, n, 1, block, line)) != 0)
			return rc;
		len = copy_word(r->secret, sizeof(r->secret), &w[2]);
		if (len < 0) {
			explicit_bzero(r->secret, sizeof(r->secret));
			return fail(st, FT_ELIMIT, line,
			    "radius-server %s: secret longer than %d bytes",
			    r->addr, FT_RADIUS_SECRET_MAX);
		}
		if (len == 0)
			return fail(st, FT_EINVAL, line,
			    "radius-server %s: empty secret", r->addr);
		if (strncmp(r->secret, "$9$", 3) == 0) {
			explicit_bzero(r->secret, sizeof(r->secret));
			return fail(st, FT_EINVAL, line,
			    "radius-server %s: Junos-encrypted ($9$) secrets "
			    "are not supported; give the secret in clear",
			    r->addr);
		}
		r->secret_len = (size_t)len;
		st->radius_secret_line[k] = line;
		return 0;
	}
	if (eq(&w[1], "port")) {
		rc = number(st, w, n, 1, block, line, 1, 65535, &v);
		if (rc == 0)
			r->port = (unsigned)v;
		return rc;
	}
	if (eq(&w[1], "timeout")) {
		/* Junos' range, seconds per attempt. */
		rc = number(st, w, n, 1, block, line, 1, 1000, &v);
		if (rc == 0)
			r->timeout_s = (unsigned)v;
		return rc;
	}
	if (eq(&w[1], "retry")) {
		/* Junos' range: attempts per server. */
		rc = number(st, w, n, 1, block, line, 1, 100, &v);
		if (rc == 0)
			r->retry = (unsigned)v;
		return rc;
	}
	if (eq(&w[1], "source-address")) {
		if ((rc = one_value(st, w, n, 1, block, line)) != 0)
			return rc;
		i = (unsigned)copy_addr(src, &w[2]);
		if (i == 0)
			return fail(st, FT_EINVAL, line,
			    "radius-server %s: source-address '%.*s' is not an "
			    "IPv4 or IPv6 address", r->addr, SHOW(&w[2]));
		if ((int)i != fam)
			return fail(st, FT_EINVAL, line,
			    "radius-server %s: source-address %s is of the "
			    "other address family", r->addr, src);
		memcpy(r->source, src, sizeof(src));
		return 0;
	}
	/* accounting-port, routing-instance...: not emulated, ignored. */
	return 0;
}

/* system ... */
static int
apply_system(struct pstate *st, const struct word *w, unsigned n, int block,
    unsigned line)
{
	struct ft_routercfg *cfg = st->cfg;
	uint64_t v;
	int rc;

	if (n >= 4 && eq(&w[1], "login")) {
		if (eq(&w[2], "class"))
			return apply_class(st, w + 3, n - 3, block, line);
		if (eq(&w[2], "user"))
			return apply_user(st, w + 3, n - 3, block, line);
		return 0;
	}
	if (n >= 2 && eq(&w[1], "authentication-order"))
		return apply_auth_order(st, w + 1, n - 1, block, line);
	if (n >= 3 && eq(&w[1], "radius-server"))
		return apply_radius(st, w + 2, n - 2, block, line);
	if (n >= 2 && eq(&w[1], "host-name")) {
		if ((rc = one_value(st, w, n, 1, block, line)) != 0)
			return rc;
		return copy_name(st, cfg->host_name, &w[2], "host-name", line);
	}
	if (n < 3 || !eq(&w[1], "services") || !eq(&w[2], "flow-tap-dtcp"))
		return 0;
	cfg->dtcp_service = 1;
	if (n < 5 || !eq(&w[3], "ssh"))
		return 0;
	if (eq(&w[4], "connection-limit")) {
		rc = number(st, w, n, 4, block, line, 1, FT_CFG_SSH_LIMIT_MAX,
		    &v);
		if (rc == 0)
			cfg->connection_limit = (unsigned)v;
		return rc;
	}
	if (eq(&w[4], "rate-limit")) {
		rc = number(st, w, n, 4, block, line, 1, FT_CFG_SSH_LIMIT_MAX,
		    &v);
		if (rc == 0)
			cfg->rate_limit = (unsigned)v;
		return rc;
	}
	return 0;
}

/* services ... */
static int
apply_services(struct pstate *st, const struct word *w, unsigned n,
    int block, unsigned line)
{
	struct ft_routercfg *cfg = st->cfg;
	char ifl[FT_NAME_MAX + 1];
	int rc, lite;
	long len;

	if (n >= 2 && eq(&w[1], "dynamic-flow-capture")) {
		if (st->dfc_line == 0)
			st->dfc_line = line;
		return 0;
	}
	if (n < 2 || !eq(&w[1], "flow-tap"))
		return 0;
	if (st->flowtap_line == 0)
		st->flowtap_line = line;
	if (n < 3)
		return 0;
	if (eq(&w[2], "interface"))
		lite = 0;
	else if (eq(&w[2], "tunnel-interface"))
		lite = 1;
	else
		return 0;
	if ((rc = one_value(st, w, n, 2, block, line)) != 0)
		return rc;
	if (st->flowtap_ifl_line != 0)
		return fail(st, FT_EINVAL, line,
		    "flow-tap interface already configured at line %u",
		    st->flowtap_ifl_line);
	if ((rc = copy_name(st, ifl, &w[3], "interface name", line)) != 0)
		return rc;
	/* "sp-0/2/0" names unit 0, as everywhere in Junos. */
	len = (long)strlen(ifl);
	if (strchr(ifl, '.') == NULL) {
		if (len + 2 > FT_NAME_MAX)
			return fail(st, FT_ELIMIT, line,
			    "interface name '%s.0' longer than %d bytes", ifl,
			    FT_NAME_MAX);
		memcpy(ifl + len, ".0", 3);
	}
	memcpy(cfg->flowtap_ifl, ifl, sizeof(ifl));
	cfg->flowtap_lite = lite;
	st->flowtap_ifl_line = line;
	return 0;
}

/* interfaces IFD unit N [family inet|inet6] ... */
static int
apply_interfaces(struct pstate *st, const struct word *w, unsigned n,
    unsigned line)
{
	struct ft_routercfg *cfg = st->cfg;
	char ifd[FT_NAME_MAX + 1], ifl[FT_NAME_MAX + 1];
	uint64_t unit;
	int rc, i, len;

	if (n < 4 || !eq(&w[2], "unit"))
		return 0;
	if ((rc = copy_name(st, ifd, &w[1], "interface name", line)) != 0)
		return rc;
	rc = ft_num_u64(w[3].p, w[3].len, 10, 0, 1073741823, &unit);
	if (rc != 0)
		return fail(st, FT_EINVAL, line,
		    "interface '%s' unit '%.*s' is not a number in "
		    "0..1073741823", ifd, SHOW(&w[3]));
	len = snprintf(ifl, sizeof(ifl), "%s.%llu", ifd,
	    (unsigned long long)unit);
	if (len < 0 || (size_t)len >= sizeof(ifl))
		return fail(st, FT_ELIMIT, line,
		    "interface name '%s.%llu' longer than %d bytes", ifd,
		    (unsigned long long)unit, FT_NAME_MAX);
	i = find_ifl(cfg, ifl, (size_t)len);
	if (i < 0) {
		if (cfg->nifls >= FT_CFG_IFLS_MAX)
			return fail(st, FT_ELIMIT, line,
			    "more than %d interface units", FT_CFG_IFLS_MAX);
		i = (int)cfg->nifls++;
		memcpy(cfg->ifls[i], ifl, sizeof(ifl));
	}
	if (n >= 6 && eq(&w[4], "family")) {
		if (eq(&w[5], "inet"))
			st->ifl_fam[i] |= FAM_INET;
		else if (eq(&w[5], "inet6"))
			st->ifl_fam[i] |= FAM_INET6;
	}
	return 0;
}

/* routing-instances NAME ... */
static int
apply_vrf(struct pstate *st, const struct word *w, unsigned n,
    unsigned line)
{
	struct ft_routercfg *cfg = st->cfg;
	char name[FT_NAME_MAX + 1], ifl[FT_NAME_MAX + 1];
	unsigned i;
	int rc, v;

	if (n < 2 || eq(&w[1], "apply-groups") ||
	    eq(&w[1], "apply-groups-except"))
		return 0;
	if ((rc = copy_name(st, name, &w[1], "routing-instance name",
	    line)) != 0)
		return rc;
	v = find_vrf(cfg, name, strlen(name));
	if (v < 0) {
		if (cfg->nvrfs >= FT_CFG_VRFS_MAX)
			return fail(st, FT_ELIMIT, line,
			    "more than %d routing-instances", FT_CFG_VRFS_MAX);
		v = (int)cfg->nvrfs;
		memcpy(cfg->vrfs[cfg->nvrfs++], name, sizeof(name));
	}
	/* routing-instances R interface IFL: the VRF of that unit. */
	if (n < 4 || !eq(&w[2], "interface"))
		return 0;
	if ((rc = copy_name(st, ifl, &w[3], "interface name", line)) != 0)
		return rc;
	if (memchr(ifl, '.', strlen(ifl)) == NULL) {
		if (strlen(ifl) + 2 > FT_NAME_MAX)
			return fail(st, FT_ELIMIT, line,
			    "interface name '%s.0' longer than %d bytes", ifl,
			    FT_NAME_MAX);
		memcpy(ifl + strlen(ifl), ".0", 3);
	}
	for (i = 0; i < cfg->nri; i++) {
		if (strcmp(cfg->ri_ifl[i], ifl) != 0)
			continue;
		if (cfg->ri_vrf[i] == (uint16_t)(v + 1))
			return 0;
		return fail(st, FT_EINVAL, line,
		    "interface '%s' is already in routing-instance '%s'", ifl,
		    cfg->vrfs[cfg->ri_vrf[i] - 1]);
	}
	if (cfg->nri >= FT_CFG_IFLS_MAX)
		return fail(st, FT_ELIMIT, line,
		    "more than %d routing-instance interfaces",
		    FT_CFG_IFLS_MAX);
	memcpy(cfg->ri_ifl[cfg->nri], ifl, sizeof(ifl));
	cfg->ri_vrf[cfg->nri++] = (uint16_t)(v + 1);
	return 0;
}

/* firewall ... filter F term T then ... syslog: remember the first. */
static void
apply_firewall(struct pstate *st, const struct word *w, unsigned n,
    unsigned line)
{
	unsigned k, j, f;

	if (st->syslog_line != 0)
		return;
	for (k = 1; k + 2 < n; k++) {
		if (!eq(&w[k], "term") || !eq(&w[k + 2], "then"))
			continue;
		for (j = k + 3; j < n; j++) {
			if (!eq(&w[j], "syslog"))
				continue;
			st->syslog_line = line;
			snprintf(st->syslog_term, sizeof(st->syslog_term),
			    "%.*s", SHOW(&w[k + 1]));
			st->syslog_filter[0] = '\0';
			for (f = 1; f + 1 < k; f++)
				if (eq(&w[f], "filter"))
					snprintf(st->syslog_filter,
					    sizeof(st->syslog_filter), "%.*s",
					    SHOW(&w[f + 1]));
			return;
		}
	}
}

static int
apply(struct pstate *st, unsigned n, int block, unsigned line)
{
	const struct word *w = st->path;

	if (st->inactive > 0 || n == 0)
		return 0;
	if (eq(&w[0], "system"))
		return apply_system(st, w, n, block, line);
	if (eq(&w[0], "services"))
		return apply_services(st, w, n, block, line);
	if (eq(&w[0], "interfaces"))
		return apply_interfaces(st, w, n, line);
	if (eq(&w[0], "routing-instances"))
		return apply_vrf(st, w, n, line);
	if (eq(&w[0], "firewall"))
		apply_firewall(st, w, n, line);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Statement reader */

/*
 * Drop the Junos markers "inactive:", "protect:" and "replace:" that
 * may start the statement; returns 1 when it was marked inactive.
 */
static int
strip_markers(struct pstate *st)
{
	struct word *s = &st->path[st->npath];
	int inactive = 0;

	while (st->nstmt > 0 && (eq(&s[0], "inactive:") ||
	    eq(&s[0], "protect:") || eq(&s[0], "replace:"))) {
		if (eq(&s[0], "inactive:"))
			inactive = 1;
		memmove(&s[0], &s[1], (st->nstmt - 1) * sizeof(s[0]));
		st->nstmt--;
	}
	return inactive;
}

static int
missing_semi(struct pstate *st)
{
	const struct word *w = &st->path[st->npath + st->nstmt - 1];

	return fail(st, FT_EINVAL, st->stmt_line, "missing ';' after '%.*s'",
	    SHOW(w));
}

static int
open_list_error(struct pstate *st)
{
	return fail(st, FT_EINVAL, st->list_line, "unterminated '['");
}

static int
read_all(struct pstate *st)
{
	struct tok t;
	struct frame *f;
	int rc, inactive;

	memset(&t, 0, sizeof(t));
	for (;;) {
		if ((rc = next_token(st, &t)) != 0)
			return rc;
		switch (t.type) {
		case T_WORD:
			/* One statement per line, as Junos writes them. */
			if (st->nstmt > 0 && !st->in_list &&
			    t.line > st->prev_line)
				return missing_semi(st);
			if (st->npath + st->nstmt >= FT_CFG_WORDS_MAX)
				return fail(st, FT_ELIMIT, t.line,
				    "statement longer than %d words",
				    FT_CFG_WORDS_MAX);
			if (st->nstmt == 0)
				st->stmt_line = t.line;
			st->path[st->npath + st->nstmt++] = t.w;
			st->prev_line = t.line;
			break;
		case T_LBRACK:
			if (st->in_list)
				return fail(st, FT_EINVAL, t.line,
				    "'[' inside '[ ]'");
			if (st->nstmt == 0)
				return fail(st, FT_EINVAL, t.line,
				    "unexpected '['");
			st->in_list = 1;
			st->list_line = t.line;
			st->prev_line = t.line;
			break;
		case T_RBRACK:
			if (!st->in_list)
				return fail(st, FT_EINVAL, t.line,
				    "unbalanced ']'");
			st->in_list = 0;
			st->prev_line = t.line;
			break;
		case T_SEMI:
			if (st->in_list)
				return open_list_error(st);
			if (st->nstmt == 0)
				return fail(st, FT_EINVAL, t.line,
				    "unexpected ';'");
			inactive = strip_markers(st);
			if (!inactive && (rc = apply(st, st->npath + st->nstmt,
			    0, st->stmt_line)) != 0)
				return rc;
			st->nstmt = 0;
			break;
		case T_LBRACE:
			if (st->in_list)
				return open_list_error(st);
			if (st->nstmt == 0)
				return fail(st, FT_EINVAL, t.line,
				    "'{' without a statement name");
			if (st->depth >= FT_CFG_DEPTH_MAX)
				return fail(st, FT_ELIMIT, t.line,
				    "blocks nested deeper than %d",
				    FT_CFG_DEPTH_MAX);
			inactive = strip_markers(st);
			if (st->nstmt == 0)
				return fail(st, FT_EINVAL, t.line,
				    "'{' without a statement name");
			f = &st->frames[st->depth++];
			f->nwords = st->nstmt;
			f->line = st->stmt_line;
			f->inactive = inactive;
			st->npath += st->nstmt;
			st->nstmt = 0;
			if (inactive)
				st->inactive++;
			if ((rc = apply(st, st->npath, 1, f->line)) != 0)
				return rc;
			break;
		case T_RBRACE:
			if (st->in_list)
				return open_list_error(st);
			if (st->nstmt > 0)
				return missing_semi(st);
			if (st->depth == 0)
				return fail(st, FT_EINVAL, t.line,
				    "unbalanced '}'");
			f = &st->frames[--st->depth];
			st->npath -= f->nwords;
			if (f->inactive)
				st->inactive--;
			break;
		case T_EOF:
			if (st->in_list)
				return open_list_error(st);
			if (st->nstmt > 0)
				return missing_semi(st);
			if (st->depth > 0) {
				f = &st->frames[st->depth - 1];
				return fail(st, FT_EINVAL, f->line,
				    "unbalanced '{': '%.*s' is never closed",
				    SHOW(&st->path[st->npath - f->nwords]));
			}
			return 0;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Commit checks (SPEC 4) */

static int
commit_checks(struct pstate *st)
{
	struct ft_routercfg *cfg = st->cfg;
	unsigned i, end;
	uint64_t perms;
	int k;

	if (st->flowtap_line != 0 && st->dfc_line != 0)
		return fail(st, FT_EINVAL, st->flowtap_line > st->dfc_line ?
		    st->flowtap_line : st->dfc_line,
		    "flow-tap and dynamic-flow-capture cannot both be "
		    "configured");
	if (st->flowtap_line != 0 && st->syslog_line != 0)
		return fail(st, FT_EINVAL, st->syslog_line,
		    "firewall filter '%s' term '%s' has 'then syslog', "
		    "which cannot be configured with flow-tap",
		    st->syslog_filter, st->syslog_term);
	if (st->flowtap_ifl_line == 0) {
		end = st->flowtap_line != 0 ? st->flowtap_line :
		    (st->last_line != 0 ? st->last_line : 1);
		return fail(st, FT_EINVAL, end,
		    "flow-tap interface not configured "
		    "(services flow-tap interface or tunnel-interface)");
	}
	k = find_ifl(cfg, cfg->flowtap_ifl, strlen(cfg->flowtap_ifl));
	if (k < 0)
		return fail(st, FT_EINVAL, st->flowtap_ifl_line,
		    "flow-tap interface '%s' is not declared under interfaces",
		    cfg->flowtap_ifl);
	cfg->family_inet = (st->ifl_fam[k] & FAM_INET) != 0;
	cfg->family_inet6 = (st->ifl_fam[k] & FAM_INET6) != 0;
	for (i = 0; i < cfg->nusers; i++) {
		const struct ft_cfg_user *u = &cfg->users[i];

		if (u->class_name[0] == '\0')
			return fail(st, FT_EINVAL, st->user_line[i],
			    "user '%s' has no class", u->name);
		if (class_perms(cfg, u->class_name, &perms) != 0)
			return fail(st, FT_EINVAL, st->user_class_line[i],
			    "user '%s' class '%s' is not defined", u->name,
			    u->class_name);
	}
	for (i = 0; i < cfg->nradius; i++)
		if (cfg->radius[i].secret_len == 0)
			return fail(st, FT_EINVAL, cfg->radius[i].line,
			    "radius-server %s has no secret",
			    cfg->radius[i].addr);
	if (ft_routercfg_auth_has(cfg, FT_AUTH_RADIUS) && cfg->nradius == 0)
		return fail(st, FT_EINVAL, st->auth_order_line,
		    "authentication-order has radius but no radius-server "
		    "is configured");
	return 0;
}

/* ------------------------------------------------------------------ */
/* API */

int
ft_routercfg_parse(struct ft_routercfg *cfg, const char *text, size_t len,
    const char *name, struct ft_err *e)
{
	struct pstate stb, *st = &stb;	/* about 8 KiB */
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	if (name == NULL)
		name = "config";
	if (len > FT_CFG_FILE_MAX)
		return ft_err_set(e, FT_ELIMIT,
		    "%s: larger than %d bytes", name, FT_CFG_FILE_MAX);
	if (text == NULL && len > 0)
		return ft_err_set(e, FT_EINVAL, "%s: no text", name);
	if (len > 0 && memchr(text, '\0', len) != NULL)
		return ft_err_set(e, FT_EINVAL, "%s: NUL byte in text", name);
	memset(st, 0, sizeof(*st));
	st->cfg = cfg;
	st->name = name;
	st->e = e;
	st->text = text;
	st->len = len;
	st->line = 1;
	cfg->connection_limit = FT_CFG_CONN_LIMIT_DEF;
	cfg->rate_limit = FT_CFG_RATE_LIMIT_DEF;

	rc = read_all(st);
	if (rc == 0)
		rc = commit_checks(st);
	if (rc != 0)
		explicit_bzero(cfg, sizeof(*cfg));
	return rc;
}

int
ft_routercfg_load(struct ft_routercfg *cfg, const char *path,
    struct ft_err *e)
{
	FILE *fp;
	char *buf;
	size_t n;
	int rc, err;

	memset(cfg, 0, sizeof(*cfg));
	fp = fopen(path, "rb");
	if (fp == NULL)
		return ft_err_set(e, FT_EIO, "cannot open '%s': %s", path,
		    strerror(errno));
	buf = malloc(FT_CFG_FILE_MAX + 1);
	if (buf == NULL) {
		fclose(fp);
		return ft_err_set(e, FT_ENOMEM, "'%s': out of memory", path);
	}
	n = fread(buf, 1, FT_CFG_FILE_MAX + 1, fp);
	err = ferror(fp);
	fclose(fp);
	if (err) {
		rc = ft_err_set(e, FT_EIO, "cannot read '%s'", path);
		goto out_buf;
	}
	if (n > FT_CFG_FILE_MAX) {
		rc = ft_err_set(e, FT_ELIMIT, "%s: larger than %d bytes",
		    path, FT_CFG_FILE_MAX);
		goto out_buf;
	}
	rc = ft_routercfg_parse(cfg, buf, n, path, e);
out_buf:
	/* The text may hold RADIUS secrets. */
	explicit_bzero(buf, n < FT_CFG_FILE_MAX + 1 ? n : FT_CFG_FILE_MAX + 1);
	free(buf);
	return rc;
}

int
ft_routercfg_default(struct ft_routercfg *cfg)
{
	return ft_routercfg_parse(cfg, ft_routercfg_seed_text,
	    strlen(ft_routercfg_seed_text), "seed-router.conf", NULL);
}

const struct ft_cfg_user *
ft_routercfg_user(const struct ft_routercfg *cfg, const char *name)
{
	int k;

	if (name == NULL)
		return NULL;
	k = find_user(cfg, name);
	return k < 0 ? NULL : &cfg->users[k];
}

uint64_t
ft_routercfg_perms(const struct ft_routercfg *cfg, const char *user)
{
	const struct ft_cfg_user *u = ft_routercfg_user(cfg, user);
	uint64_t perms;

	if (u == NULL || class_perms(cfg, u->class_name, &perms) != 0)
		return 0;
	return perms;
}

uint64_t
ft_routercfg_perms_parse(const char *text, size_t len)
{
	uint64_t perms = 0;
	size_t i = 0, j;

	while (i < len) {
		while (i < len && (text[i] == ' ' || text[i] == '\t'))
			i++;
		j = i;
		while (j < len && text[j] != ' ' && text[j] != '\t')
			j++;
		if (j > i)
			perms |= perm_bit_n(text + i, j - i);
		i = j;
	}
	return perms;
}

char *
ft_routercfg_perms_text(uint64_t perms, char *buf, size_t cap)
{
	size_t i, off = 0;
	int n;

	if (cap == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < NPERMS; i++) {
		if (!(perms & (1ULL << i)))
			continue;
		n = snprintf(buf + off, cap - off, "%s%s", off ? " " : "",
		    perm_names[i]);
		if (n < 0 || (size_t)n >= cap - off)
			break;
		off += (size_t)n;
	}
	return buf;
}

int
ft_routercfg_auth_has(const struct ft_routercfg *cfg, enum ft_auth_method m)
{
	unsigned i;

	if (cfg->nauth == 0)
		return m == FT_AUTH_PASSWORD;
	for (i = 0; i < cfg->nauth; i++)
		if (cfg->auth_order[i] == m)
			return 1;
	return 0;
}

void
ft_routercfg_wipe(struct ft_routercfg *cfg)
{
	unsigned i;

	for (i = 0; i < FT_CFG_RADIUS_MAX; i++) {
		explicit_bzero(cfg->radius[i].secret,
		    sizeof(cfg->radius[i].secret));
		cfg->radius[i].secret_len = 0;
	}
}

int
ft_routercfg_password_ok(const struct ft_routercfg *cfg, const char *user,
    const char *password)
{
	const struct ft_cfg_user *u = ft_routercfg_user(cfg, user);
	struct crypt_data *cd;
	const char *h;
	size_t i, n;
	unsigned char diff = 0;
	int ok = 0;

	if (u == NULL || password == NULL || u->crypt[0] == '\0')
		return 0;
	cd = calloc(1, sizeof(*cd));
	if (cd == NULL)
		return 0;
	h = crypt_r(password, u->crypt, cd);
	if (h != NULL && h[0] != '*') {
		n = strlen(u->crypt);
		if (strlen(h) == n) {
			for (i = 0; i < n; i++)
				diff |= (unsigned char)(h[i] ^ u->crypt[i]);
			ok = diff == 0;
		}
	}
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return ok;
}

/*
 * "ge-0/0/0" is unit 0: the name with ".unit" into buf (NUL-terminated).
 * Returns its length, or 0 when it does not fit.
 */
static size_t
unit_name(const char *name, size_t len, char buf[FT_NAME_MAX + 1])
{
	size_t n = len;

	if (n > FT_NAME_MAX)
		return 0;
	memcpy(buf, name, len);
	if (memchr(name, '.', len) == NULL) {
		if (len + 2 > FT_NAME_MAX)
			return 0;
		memcpy(buf + len, ".0", 2);
		n += 2;
	}
	buf[n] = '\0';
	return n;
}

int
ft_routercfg_has_ifl(const struct ft_routercfg *cfg, const char *name,
    size_t len)
{
	char buf[FT_NAME_MAX + 1];
	size_t n;

	if (name == NULL || (n = unit_name(name, len, buf)) == 0)
		return 0;
	return find_ifl(cfg, buf, n) + 1;
}

int
ft_routercfg_has_vrf(const struct ft_routercfg *cfg, const char *name,
    size_t len)
{
	if (name == NULL)
		return 0;
	return find_vrf(cfg, name, len) + 1;
}

void
ft_routercfg_scope(const struct ft_routercfg *cfg, const char *name,
    uint16_t *ifl, uint16_t *vrf)
{
	char buf[FT_NAME_MAX + 1];
	unsigned i;

	*ifl = 0;
	*vrf = 0;
	if (name == NULL || unit_name(name, strlen(name), buf) == 0)
		return;
	*ifl = (uint16_t)ft_routercfg_has_ifl(cfg, buf, strlen(buf));
	for (i = 0; i < cfg->nri; i++) {
		if (strcmp(cfg->ri_ifl[i], buf) == 0) {
			*vrf = cfg->ri_vrf[i];
			return;
		}
	}
}

/*
 * The built-in default is fixtures/seed-router.conf itself, embedded at
 * build time (one source, nothing to keep in step), NUL-terminated. The
 * path is relative to the repository root, where the Makefile compiles.
 */
__asm__(".section .rodata\n"
	".global ft_routercfg_seed_text\n"
	".type ft_routercfg_seed_text, @object\n"
	"ft_routercfg_seed_text:\n"
	".incbin \"fixtures/seed-router.conf\"\n"
	".byte 0\n"
	".size ft_routercfg_seed_text, . - ft_routercfg_seed_text\n"
	".previous\n");
