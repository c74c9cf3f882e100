/*
 * rule.c - one intercept criterion (SPEC 3): validation of an ADD into a
 * struct ft_rule, the filter list grammar, and the per-packet match.
 */
#include "rule.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "num.h"

/* Longest textual address inet_pton is handed (INET6_ADDRSTRLEN). */
#define ADDR_TEXT_MAX	46

/* DTCP reply codes ft_rule_from_add returns. */
#define C_BAD		400
#define C_FILTER	432
#define C_TIMEOUT	433
#define C_NOTIMPL	501
#define C_CDESTMAX	551
#define C_JTAP		901

/* Names of the ADD parameters this module reads. */
#define P_CSOURCE	"Csource-ID"
#define P_CDEST		"Cdest-ID"
#define P_DADDR		"X-JTap-Cdest-Dest-Address"
#define P_DPORT		"X-JTap-Cdest-Dest-Port"
#define P_SADDR		"X-JTap-Cdest-Source-Address"
#define P_SPORT		"X-JTap-Cdest-Source-Port"
#define P_TTL		"X-JTap-Cdest-TTL"
#define P_IPVER		"X-JTap-IP-Version"
#define P_IIF		"X-JTap-Input-Interface"
#define P_OIF		"X-JTap-Output-Interface"
#define P_VRF		"X-JTap-VRF-Name"
#define P_FFAM		"X-JTap-Filter-Family"
#define P_MDID		"X-MD-Intercept-Id"
#define P_FLAGS		"Flags"
#define P_PRIO		"Priority"
#define P_ACTION	"Action"
#define P_T_IDLE	"Timeout-Idle"
#define P_T_TOTAL	"Timeout-Total"
#define P_T_PKTS	"Timeout-Packets"
#define P_T_BYTES	"Timeout-Bytes"
#define P_SRC		"Source-Address"
#define P_DST		"Dest-Address"
#define P_SRCPORT	"Source-Port"
#define P_DSTPORT	"Dest-Port"
#define P_PROTO		"Protocol"
#define P_ITYPE		"ICMP-Type"
#define P_ICODE		"ICMP-Code"

/* Parameters LIST echoes back, written by this module (SPEC 3). */
static const char *const echo_names[] = {
	P_SRC, P_DST, P_SRCPORT, P_DSTPORT, P_PROTO, P_ITYPE, P_ICODE,
	P_DADDR, P_DPORT, P_SADDR, P_SPORT, P_TTL, P_IPVER, P_IIF, P_OIF,
	P_VRF, P_FFAM, P_MDID, P_T_IDLE, P_T_TOTAL, P_T_PKTS, P_T_BYTES,
};

static int
lower(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	return c;
}

static int
upper(int c)
{
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 'A';
	return c;
}

/* 1 if s[0..len) equals the NUL-terminated word, ASCII case folded. */
static int
ieq(const char *s, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (word[i] == '\0' || lower((unsigned char)s[i]) !=
		    lower((unsigned char)word[i]))
			return 0;
	}
	return word[len] == '\0';
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && is_ws((*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_ws((*s)[*len - 1]))
		(*len)--;
}

/*
 * Comma list cursor: *pos walks v[0..len); each call yields the next
 * entry with surrounding blanks trimmed. Returns 1 with an entry, 0 at
 * the end. An empty entry is yielded as length 0 (callers reject it).
 */
struct list {
	const char *v;
	size_t len, pos;
	int done;
};

static void
list_init(struct list *l, const char *v, size_t len)
{
	l->v = v;
	l->len = len;
	l->pos = 0;
	l->done = 0;
}

static int
list_next(struct list *l, const char **ent, size_t *elen)
{
	size_t start;

	if (l->done)
		return 0;
	start = l->pos;
	while (l->pos < l->len && l->v[l->pos] != ',')
		l->pos++;
	*ent = l->v + start;
	*elen = l->pos - start;
	if (l->pos < l->len)
		l->pos++;	/* past ',' */
	else
		l->done = 1;
	trim(ent, elen);
	return 1;
}

static unsigned
list_count(const char *v, size_t len)
{
	unsigned n = 1;
	size_t i;

	for (i = 0; i < len; i++) {
		if (v[i] == ',')
			n++;
	}
	return n;
}

/* Where a failed check says what failed: errparam and the rule. */
struct errout {
	char *ep;
	size_t cap;
	enum ft_rules_id rule;
};

/* errparam = "Name: value" as the client wrote it. Returns code. */
static int
bad_line(struct errout *eo, int code, enum ft_rules_id rule,
    const struct ft_dtcp_param *p)
{
	if (eo->ep != NULL && eo->cap > 0)
		snprintf(eo->ep, eo->cap, "%.*s: %.*s", (int)p->name_len,
		    p->name, (int)p->value_len, p->value);
	eo->rule = rule;
	return code;
}

/* errparam = a bare name (a missing parameter). Returns code. */
static int
bad_name(struct errout *eo, int code, enum ft_rules_id rule,
    const char *name)
{
	if (eo->ep != NULL && eo->cap > 0)
		snprintf(eo->ep, eo->cap, "%s", name);
	eo->rule = rule;
	return code;
}

/* A DSTRING identifier: 1..FT_NAME_MAX visible bytes, no ','. */
static int
valid_id(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > FT_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c == 0x7f || c == ',')
			return 0;
	}
	return 1;
}

/*
 * Parse one address s[0..len) into a 16-byte big-endian array (IPv4 in
 * bytes 0..3, the rest zero). Returns 4, 6, or 0 if it is not one.
 */
static int
parse_addr(const char *s, size_t len, uint8_t out[16])
{
	char buf[ADDR_TEXT_MAX + 1];
	size_t i;
	int v6 = 0;

	if (len == 0 || len > ADDR_TEXT_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == ':')
			v6 = 1;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(out, 0, 16);
	if (v6)
		return inet_pton(AF_INET6, buf, out) == 1 ? 6 : 0;
	return inet_pton(AF_INET, buf, out) == 1 ? 4 : 0;
}

static const char *
memchr_c(const char *s, size_t len, char c)
{
	return memchr(s, c, len);
}

static int
is_star(const char *s, size_t len)
{
	return len == 1 && s[0] == '*';
}

/* One range bound: '*' (lo side all zero, hi side all ones) or an address. */
static int
addr_bound(const char *s, size_t len, int hi_side, uint8_t out[16],
    uint8_t *fam)
{
	int f;

	if (is_star(s, len)) {
		memset(out, hi_side ? 0xff : 0x00, 16);
		return 0;
	}
	f = parse_addr(s, len, out);
	if (f == 0)
		return FT_EINVAL;
	if (*fam != 0 && *fam != f)
		return FT_EINVAL;
	*fam = (uint8_t)f;
	return 0;
}

/* One address entry without its '!'. Sets *star for a bare '*'. */
static int
addr_entry(const char *s, size_t len, struct ft_addr_ent *e, uint8_t *fam,
    int *star)
{
	const char *sl, *dash;
	uint8_t a[16];
	uint64_t plen;
	size_t alen, i;
	int f, rc;

	*star = 0;
	if (len == 0)
		return FT_EINVAL;
	if (is_star(s, len)) {
		memset(e->lo, 0x00, 16);
		memset(e->hi, 0xff, 16);
		*star = 1;
		return 0;
	}
	sl = memchr_c(s, len, '/');
	if (sl != NULL) {
		alen = (size_t)(sl - s);
		f = parse_addr(s, alen, a);
		if (f == 0)
			return FT_EINVAL;
		if (*fam != 0 && *fam != f)
			return FT_EINVAL;
		*fam = (uint8_t)f;
		rc = ft_num_u64(sl + 1, len - alen - 1, 3, 0,
		    f == 4 ? 32 : 128, &plen);
		if (rc != 0)
			return FT_EINVAL;
		memset(e->lo, 0, 16);
		memset(e->hi, 0, 16);
		/* Host bits beyond the prefix are allowed and masked. */
		for (i = 0; i < (f == 4 ? 4u : 16u); i++) {
			unsigned bits;
			uint8_t mask;

			if (plen >= 8 * (i + 1))
				bits = 8;
			else if (plen > 8 * i)
				bits = (unsigned)(plen - 8 * i);
			else
				bits = 0;
			mask = (uint8_t)(bits == 0 ? 0 : 0xff << (8 - bits));
			e->lo[i] = a[i] & mask;
			e->hi[i] = (uint8_t)(a[i] | (uint8_t)~mask);
		}
		return 0;
	}
	dash = memchr_c(s, len, '-');
	if (dash != NULL) {
		alen = (size_t)(dash - s);
		rc = addr_bound(s, alen, 0, e->lo, fam);
		if (rc != 0)
			return rc;
		rc = addr_bound(dash + 1, len - alen - 1, 1, e->hi, fam);
		if (rc != 0)
			return rc;
		if (is_star(s, alen) && is_star(dash + 1, len - alen - 1))
			*star = 1;
		if (memcmp(e->lo, e->hi, 16) > 0)
			return FT_EINVAL;
		return 0;
	}
	f = parse_addr(s, len, a);
	if (f == 0)
		return FT_EINVAL;
	if (*fam != 0 && *fam != f)
		return FT_EINVAL;
	*fam = (uint8_t)f;
	memcpy(e->lo, a, 16);
	memcpy(e->hi, a, 16);
	return 0;
}

int
ft_rule_parse_addrs(const char *v, size_t len, struct ft_addr_filter *out,
    uint8_t *family)
{
	struct list l;
	const char *ent;
	size_t elen;
	uint8_t fam = 0;
	int star_pos = 0, rc;

	memset(out, 0, sizeof(*out));
	*family = 0;
	trim(&v, &len);
	if (len == 0)
		return FT_EINVAL;
	list_init(&l, v, len);
	while (list_next(&l, &ent, &elen)) {
		struct ft_addr_ent *e;
		int neg = 0, star;

		if (elen > 0 && ent[0] == '!') {
			neg = 1;
			ent++;
			elen--;
		}
		if (out->n >= FT_FILTER_ENTRIES_MAX)
			return FT_ELIMIT;
		e = &out->e[out->n];
		rc = addr_entry(ent, elen, e, &fam, &star);
		if (rc != 0)
			return rc;
		e->neg = (uint8_t)neg;
		if (!neg) {
			out->npos++;
			if (star)
				star_pos = 1;
		}
		out->n++;
	}
	/* A positive '*' and no negation selects everything: a wildcard. */
	if (star_pos && out->npos == out->n) {
		out->n = 0;
		out->npos = 0;
	}
	*family = fam;
	return 0;
}

/* One number or '*' (lo side 0, hi side max). */
static int
num_bound(const char *s, size_t len, int hi_side, uint64_t max,
    unsigned maxdigits, uint64_t *out)
{
	if (is_star(s, len)) {
		*out = hi_side ? max : 0;
		return 0;
	}
	if (ft_num_u64(s, len, maxdigits, 0, max, out) != 0)
		return FT_EINVAL;
	return 0;
}

int
ft_rule_parse_nums(const char *v, size_t len, uint64_t max,
    unsigned maxdigits, int allow_neg, struct ft_num_filter *out)
{
	struct list l;
	const char *ent, *dash;
	size_t elen;
	int full_pos = 0, rc;

	memset(out, 0, sizeof(*out));
	trim(&v, &len);
	if (len == 0)
		return FT_EINVAL;
	list_init(&l, v, len);
	while (list_next(&l, &ent, &elen)) {
		struct ft_num_ent *e;
		int neg = 0;

		if (elen > 0 && ent[0] == '!') {
			if (!allow_neg)
				return FT_EINVAL;
			neg = 1;
			ent++;
			elen--;
		}
		if (elen == 0)
			return FT_EINVAL;
		if (out->n >= FT_FILTER_ENTRIES_MAX)
			return FT_ELIMIT;
		e = &out->e[out->n];
		dash = memchr_c(ent, elen, '-');
		if (dash == NULL) {
			rc = num_bound(ent, elen, 0, max, maxdigits, &e->lo);
			if (rc != 0)
				return rc;
			e->hi = is_star(ent, elen) ? max : e->lo;
		} else {
			size_t a = (size_t)(dash - ent);

			rc = num_bound(ent, a, 0, max, maxdigits, &e->lo);
			if (rc != 0)
				return rc;
			rc = num_bound(dash + 1, elen - a - 1, 1, max,
			    maxdigits, &e->hi);
			if (rc != 0)
				return rc;
			if (e->lo > e->hi)
				return FT_EINVAL;
		}
		e->neg = (uint8_t)neg;
		if (!neg) {
			out->npos++;
			if (e->lo == 0 && e->hi == max)
				full_pos = 1;
		}
		out->n++;
	}
	/* Everything selected and nothing negated: a wildcard. */
	if (full_pos && out->npos == out->n) {
		out->n = 0;
		out->npos = 0;
	}
	return 0;
}

int
ft_rule_num_match(const struct ft_num_filter *f, uint64_t value)
{
	int pos = 0;
	unsigned i;

	for (i = 0; i < f->n; i++) {
		const struct ft_num_ent *e = &f->e[i];

		if (value < e->lo || value > e->hi)
			continue;
		if (e->neg)
			return 0;
		pos = 1;
	}
	return f->npos == 0 || pos;
}

static int
addr_match(const struct ft_addr_filter *f, const uint8_t a[16])
{
	int pos = 0;
	unsigned i;

	for (i = 0; i < f->n; i++) {
		const struct ft_addr_ent *e = &f->e[i];

		if (memcmp(a, e->lo, 16) < 0 || memcmp(a, e->hi, 16) > 0)
			continue;
		if (e->neg)
			return 0;
		pos = 1;
	}
	return f->npos == 0 || pos;
}

int
ft_rule_match(const struct ft_rule *r, const struct ft_pkt *p)
{
	if (p->family != r->family)
		return 0;
	if (r->need_ports && !(p->flags & FT_PKT_PORTS))
		return 0;
	if (r->need_icmp && !(p->flags & FT_PKT_ICMP))
		return 0;
	if (r->proto.n != 0 && !ft_rule_num_match(&r->proto, p->proto))
		return 0;
	if (r->sport.n != 0 && !ft_rule_num_match(&r->sport, p->sport))
		return 0;
	if (r->dport.n != 0 && !ft_rule_num_match(&r->dport, p->dport))
		return 0;
	if (r->icmp_type.n != 0 &&
	    !ft_rule_num_match(&r->icmp_type, p->icmp_type))
		return 0;
	if (r->icmp_code.n != 0 &&
	    !ft_rule_num_match(&r->icmp_code, p->icmp_code))
		return 0;
	if (r->src.n != 0 && !addr_match(&r->src, p->src))
		return 0;
	if (r->dst.n != 0 && !addr_match(&r->dst, p->dst))
		return 0;
	return ft_rule_scope_match(r, p);
}

static int
id_in(const uint16_t *ids, unsigned n, uint16_t id)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

int
ft_rule_scope_match(const struct ft_rule *r, const struct ft_pkt *p)
{
	if (!r->scoped)
		return 1;
	/* Unknown (0) is never equal: no over-collection (SPEC 6). */
	if (r->niif != 0 && (p->iif == 0 || !id_in(r->iif, r->niif, p->iif)))
		return 0;
	if (r->noif != 0 && (p->oif == 0 || !id_in(r->oif, r->noif, p->oif)))
		return 0;
	if (r->vrf != 0 && (p->vrf == 0 || p->vrf != r->vrf))
		return 0;
	return 1;
}

/* 1 if the protocol filter selects one of the three (or two) values. */
static int
proto_includes(const struct ft_num_filter *f, const uint64_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (ft_rule_num_match(f, v[i]))
			return 1;
	}
	return 0;
}

/* Append "UPPER-NAME: value" CRLF to the echo. Returns 0 or -1 if full. */
static int
echo_add(struct ft_rule *r, const struct ft_dtcp_param *p)
{
	size_t need = p->name_len + 2 + p->value_len + 2, i;
	char *o;

	if (need > sizeof(r->echo) - 1 - r->echo_len)
		return -1;
	o = r->echo + r->echo_len;
	for (i = 0; i < p->name_len; i++)
		*o++ = (char)upper((unsigned char)p->name[i]);
	*o++ = ':';
	*o++ = ' ';
	memcpy(o, p->value, p->value_len);
	o += p->value_len;
	*o++ = '\r';
	*o++ = '\n';
	*o = '\0';
	r->echo_len += need;
	return 0;
}

/* Flags (501), the STATIC requirement and timeouts (433). */
static int
check_flags_timeouts(struct ft_rule *r, const struct ft_dtcp_msg *m,
    const struct ft_rule_env *env, struct errout *eo)
{
	static const char *const tnames[] = {
		P_T_IDLE, P_T_TOTAL, P_T_PKTS, P_T_BYTES,
	};
	const struct ft_dtcp_param *fl, *tp, *first_t = NULL;
	uint64_t val[4] = { 0, 0, 0, 0 };
	int any_nonzero = 0;
	size_t i;

	fl = ft_dtcp_find(m, P_FLAGS);
	if (fl != NULL) {
		struct list l;
		const char *ent;
		size_t elen;

		list_init(&l, fl->value, fl->value_len);
		while (list_next(&l, &ent, &elen)) {
			if (ieq(ent, elen, "STATIC"))
				r->flags |= FT_RULE_STATIC;
			else if (ieq(ent, elen, "SendAsync") &&
			    env->allow_timeouts)
				continue;	/* no notification target */
			else
				return bad_line(eo, C_NOTIMPL,
				    FT_RULES_ADD_FLAGS, fl);
		}
	}
	if (env->require_static && !(r->flags & FT_RULE_STATIC)) {
		if (fl != NULL)
			return bad_line(eo, C_TIMEOUT, FT_RULES_ADD_STATIC, fl);
		return bad_name(eo, C_TIMEOUT, FT_RULES_ADD_STATIC, P_FLAGS);
	}
	for (i = 0; i < 4; i++) {
		int rc;

		tp = ft_dtcp_find(m, tnames[i]);
		if (tp == NULL)
			continue;
		/*
		 * The draft: "STATIC ignores all timeouts" (D03 5.4.1), so
		 * profile draft does not even read them.
		 */
		if (env->allow_timeouts && (r->flags & FT_RULE_STATIC))
			continue;
		if (!env->allow_timeouts)
			return bad_line(eo, C_TIMEOUT, FT_RULES_ADD_TIMEOUT, tp);
		if (first_t == NULL)
			first_t = tp;
		if (i < 2)	/* DAYSEC */
			rc = ft_num_u64(tp->value, tp->value_len, 5, 0,
			    86400, &val[i]);
		else if (i == 2)	/* N32 */
			rc = ft_num_u64(tp->value, tp->value_len, 10, 0,
			    UINT32_MAX, &val[i]);
		else			/* N64 */
			rc = ft_num_u64(tp->value, tp->value_len, 20, 0,
			    UINT64_MAX, &val[i]);
		if (rc != 0)
			return bad_line(eo, C_TIMEOUT, FT_RULES_ADD_TIMEOUT, tp);
		if (val[i] != 0)
			any_nonzero = 1;
	}
	if (env->allow_timeouts && !any_nonzero &&
	    !(r->flags & FT_RULE_STATIC)) {
		if (first_t != NULL)
			return bad_line(eo, C_TIMEOUT,
			    FT_RULES_ADD_TIMEOUT_NONE, first_t);
		if (fl != NULL)
			return bad_line(eo, C_TIMEOUT,
			    FT_RULES_ADD_TIMEOUT_NONE, fl);
		return bad_name(eo, C_TIMEOUT, FT_RULES_ADD_TIMEOUT_NONE,
		    P_FLAGS);
	}
	r->timeout_idle_ns = val[0] * 1000000000ULL;
	r->timeout_total_ns = val[1] * 1000000000ULL;
	r->timeout_packets = val[2];
	r->timeout_bytes = val[3];
	return 0;
}

/* Match fields, family, port/ICMP conditions (432, 901). */
static int
check_match(struct ft_rule *r, const struct ft_dtcp_msg *m,
    struct errout *eo)
{
	static const uint64_t l4[] = { 6, 17, 132 };
	static const uint64_t icmp[] = { 1, 58 };
	const struct ft_dtcp_param *ps, *pd, *pv, *p;
	uint8_t fs = 0, fd = 0, fam = 0;
	struct {
		const char *name;
		struct ft_num_filter *f;
		uint64_t max;
		unsigned digits;
		enum ft_rules_id rule;
	} nums[] = {
		{ P_SRCPORT, &r->sport, 65535, 5, FT_RULES_ADD_PORT },
		{ P_DSTPORT, &r->dport, 65535, 5, FT_RULES_ADD_PORT },
		{ P_PROTO, &r->proto, 255, 3, FT_RULES_ADD_PROTOCOL },
		{ P_ITYPE, &r->icmp_type, 255, 3, FT_RULES_ADD_ICMP },
		{ P_ICODE, &r->icmp_code, 255, 3, FT_RULES_ADD_ICMP },
	};
	size_t i;

	ps = ft_dtcp_find(m, P_SRC);
	if (ps != NULL &&
	    ft_rule_parse_addrs(ps->value, ps->value_len, &r->src, &fs) != 0)
		return bad_line(eo, C_FILTER, FT_RULES_ADD_ADDRESS, ps);
	pd = ft_dtcp_find(m, P_DST);
	if (pd != NULL &&
	    ft_rule_parse_addrs(pd->value, pd->value_len, &r->dst, &fd) != 0)
		return bad_line(eo, C_FILTER, FT_RULES_ADD_ADDRESS, pd);
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		p = ft_dtcp_find(m, nums[i].name);
		if (p != NULL && ft_rule_parse_nums(p->value, p->value_len,
		    nums[i].max, nums[i].digits, 1, nums[i].f) != 0)
			return bad_line(eo, C_FILTER, nums[i].rule, p);
	}

	pv = ft_dtcp_find(m, P_IPVER);
	if (pv != NULL) {
		if (ieq(pv->value, pv->value_len, "ipv4"))
			fam = 4;
		else if (ieq(pv->value, pv->value_len, "ipv6"))
			fam = 6;
		else
			return bad_line(eo, C_JTAP, FT_RULES_ADD_IP_VERSION, pv);
	}
	if (fs != 0 && fam != 0 && fs != fam)
		return bad_line(eo, C_FILTER, FT_RULES_ADD_FAMILY, ps);
	if (fd != 0 && fam != 0 && fd != fam)
		return bad_line(eo, C_FILTER, FT_RULES_ADD_FAMILY, pd);
	if (fs != 0 && fd != 0 && fs != fd)
		return bad_line(eo, C_FILTER, FT_RULES_ADD_FAMILY, pd);
	if (m->version < FT_DTCP_V07) {
		if (fs == 6)
			return bad_line(eo, C_FILTER, FT_RULES_ADD_IPV6_V06, ps);
		if (fd == 6)
			return bad_line(eo, C_FILTER, FT_RULES_ADD_IPV6_V06, pd);
		/* DTCP/0.6 has no IPv6 anywhere (901, as the other X-JTap). */
		if (fam == 6)
			return bad_line(eo, C_JTAP,
			    FT_RULES_ADD_IPV6_V06_JTAP, pv);
	}
	if (fam == 0)
		fam = fs != 0 ? fs : fd != 0 ? fd : 4;
	r->family = fam;

	r->need_ports = r->sport.n != 0 || r->dport.n != 0;
	r->need_icmp = r->icmp_type.n != 0 || r->icmp_code.n != 0;
	if (r->need_ports && !proto_includes(&r->proto, l4, 3)) {
		p = ft_dtcp_find(m, r->sport.n != 0 ? P_SRCPORT : P_DSTPORT);
		return bad_line(eo, C_FILTER, FT_RULES_ADD_PORT_PROTOCOL,
		    p);
	}
	if (r->need_icmp && !proto_includes(&r->proto, icmp, 2)) {
		p = ft_dtcp_find(m, r->icmp_type.n != 0 ? P_ITYPE : P_ICODE);
		return bad_line(eo, C_FILTER, FT_RULES_ADD_ICMP_PROTOCOL,
		    p);
	}
	return 0;
}

/* Content destinations and the outer header fields (400, 432, 551, 901). */
static int
check_cdests(struct ft_rule *r, const struct ft_dtcp_msg *m,
    struct errout *eo)
{
	const struct ft_dtcp_param *pid, *pa, *pp, *psa, *psp, *pt;
	unsigned nid, na, np, i;
	struct list l;
	const char *ent;
	size_t elen;
	uint64_t v;
	int f;

	pid = ft_dtcp_find(m, P_CDEST);
	pa = ft_dtcp_find(m, P_DADDR);
	pp = ft_dtcp_find(m, P_DPORT);
	psa = ft_dtcp_find(m, P_SADDR);
	psp = ft_dtcp_find(m, P_SPORT);

	nid = list_count(pid->value, pid->value_len);
	na = list_count(pa->value, pa->value_len);
	np = list_count(pp->value, pp->value_len);
	if (nid > FT_CDEST_MAX)
		return bad_line(eo, C_CDESTMAX, FT_RULES_ADD_CDEST_MAX, pid);
	if (na > FT_CDEST_MAX)
		return bad_line(eo, C_CDESTMAX, FT_RULES_ADD_CDEST_MAX, pa);
	if (np > FT_CDEST_MAX)
		return bad_line(eo, C_CDESTMAX, FT_RULES_ADD_CDEST_MAX, pp);
	if (na != nid)
		return bad_line(eo, C_FILTER, FT_RULES_ADD_CDEST_COUNT, pa);
	if (np != nid)
		return bad_line(eo, C_FILTER, FT_RULES_ADD_CDEST_COUNT, pp);
	r->ncdest = nid;

	i = 0;
	list_init(&l, pid->value, pid->value_len);
	while (list_next(&l, &ent, &elen)) {
		if (!valid_id(ent, elen))
			return bad_line(eo, C_BAD,
			    FT_RULES_ADD_CDEST_ID_SYNTAX, pid);
		memcpy(r->cdest[i].id, ent, elen);
		r->cdest[i].id[elen] = '\0';
		i++;
	}
	i = 0;
	list_init(&l, pa->value, pa->value_len);
	while (list_next(&l, &ent, &elen)) {
		f = parse_addr(ent, elen, r->cdest[i].addr);
		if (f == 0 || (f == 6 && m->version < FT_DTCP_V07))
			return bad_line(eo, C_JTAP, f == 0 ?
			    FT_RULES_ADD_CDEST_ADDRESS :
			    FT_RULES_ADD_IPV6_V06_JTAP, pa);
		r->cdest[i].family = (uint8_t)f;
		i++;
	}
	i = 0;
	list_init(&l, pp->value, pp->value_len);
	while (list_next(&l, &ent, &elen)) {
		/* Port 0 is not a usable UDP destination. */
		if (ft_num_u64(ent, elen, 5, 1, 65535, &v) != 0)
			return bad_line(eo, C_JTAP, FT_RULES_ADD_CDEST_PORT, pp);
		r->cdest[i].port = (uint16_t)v;
		i++;
	}

	f = parse_addr(psa->value, psa->value_len, r->out_src);
	if (f == 0 || (f == 6 && m->version < FT_DTCP_V07))
		return bad_line(eo, C_JTAP, f == 0 ?
		    FT_RULES_ADD_SOURCE_ADDRESS : FT_RULES_ADD_IPV6_V06_JTAP,
		    psa);
	for (i = 0; i < r->ncdest; i++) {
		if (r->cdest[i].family != f)
			return bad_line(eo, C_JTAP,
			    FT_RULES_ADD_SOURCE_FAMILY, psa);
	}
	r->out_family = (uint8_t)f;
	if (ft_num_u64(psp->value, psp->value_len, 5, 1, 65535, &v) != 0)
		return bad_line(eo, C_JTAP, FT_RULES_ADD_SOURCE_PORT, psp);
	r->out_sport = (uint16_t)v;

	r->ttl = 255;
	pt = ft_dtcp_find(m, P_TTL);
	if (pt != NULL) {
		if (ft_num_u64(pt->value, pt->value_len, 3, 0, 255, &v) != 0)
			return bad_line(eo, C_JTAP, FT_RULES_ADD_TTL, pt);
		r->ttl = (uint8_t)v;
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

/* X-MD-Intercept-Id: jmirror framing (901). */
static int
check_intercept(struct ft_rule *r, const struct ft_dtcp_msg *m,
    struct errout *eo)
{
	const struct ft_dtcp_param *p;
	const char *s;
	size_t len, i;
	uint64_t v = 0;

	p = ft_dtcp_find(m, P_MDID);
	if (p == NULL)
		return 0;
	s = p->value;
	len = p->value_len;
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		len -= 2;
	}
	if (len != 8 && len != 16)
		return bad_line(eo, C_JTAP, FT_RULES_ADD_INTERCEPT_ID, p);
	for (i = 0; i < len; i++) {
		int h = hexval(s[i]);

		if (h < 0)
			return bad_line(eo, C_JTAP, FT_RULES_ADD_INTERCEPT_ID, p);
		v = (v << 4) | (uint64_t)h;
	}
	if (len == 16) {
		r->intercept_id = (uint32_t)(v >> 32);
		r->session_id = (uint32_t)v;
	} else {
		r->intercept_id = (uint32_t)v;
		r->session_is_id = 1;
	}
	/* The mirror header's top two bits are the zero version field. */
	if (r->intercept_id & 0xc0000000u)
		return bad_line(eo, C_JTAP, FT_RULES_ADD_INTERCEPT_ID_TOP,
		    p);
	r->jmirror = 1;
	return 0;
}

/* One interface list: each name declared as an interface unit (901). */
static int
check_ifl_list(const struct ft_dtcp_param *p, const struct ft_rule_env *env,
    uint16_t *ids, uint8_t *nids, struct errout *eo)
{
	char name[FT_NAME_MAX + 3];
	struct list l;
	const char *ent, *dot;
	size_t elen, n;
	unsigned count = 0;
	uint64_t unit;
	int id;

	list_init(&l, p->value, p->value_len);
	while (list_next(&l, &ent, &elen)) {
		if (++count > FT_IFL_PER_ADD_MAX || !valid_id(ent, elen))
			return bad_line(eo, C_JTAP, FT_RULES_ADD_INTERFACE, p);
		memcpy(name, ent, elen);
		n = elen;
		dot = memchr_c(ent, elen, '.');
		if (dot == NULL) {
			/* A name without ".unit" means unit 0. */
			memcpy(name + n, ".0", 2);
			n += 2;
		} else {
			size_t ul = elen - (size_t)(dot - ent) - 1;

			if (ft_num_u64(dot + 1, ul, 10, 0, UINT32_MAX,
			    &unit) != 0)
				return bad_line(eo, C_JTAP,
				    FT_RULES_ADD_INTERFACE, p);
		}
		name[n] = '\0';
		id = env->has_ifl != NULL ? env->has_ifl(env->ctx, name, n) : 0;
		if (id <= 0 || id > UINT16_MAX)
			return bad_line(eo, C_JTAP, FT_RULES_ADD_INTERFACE, p);
		ids[(*nids)++] = (uint16_t)id;
	}
	return 0;
}

/* Interfaces, VRF, filter family (432, 901). */
static int
check_where(struct ft_rule *r, const struct ft_dtcp_msg *m,
    const struct ft_rule_env *env, struct errout *eo)
{
	const struct ft_dtcp_param *pi, *po, *pv, *pf;
	int rc, id;

	pi = ft_dtcp_find(m, P_IIF);
	po = ft_dtcp_find(m, P_OIF);
	pv = ft_dtcp_find(m, P_VRF);
	pf = ft_dtcp_find(m, P_FFAM);
	/* A VRF together with interfaces (D03 A.3). */
	if (pv != NULL && (pi != NULL || po != NULL))
		return bad_line(eo, C_FILTER, FT_RULES_ADD_VRF_INTERFACE,
		    pv);
	/* ccc tapping is not emulated. */
	if (pf != NULL)
		return bad_line(eo, C_JTAP, FT_RULES_ADD_FILTER_FAMILY, pf);
	if (pi != NULL) {
		rc = check_ifl_list(pi, env, r->iif, &r->niif, eo);
		if (rc != 0)
			return rc;
	}
	if (po != NULL) {
		rc = check_ifl_list(po, env, r->oif, &r->noif, eo);
		if (rc != 0)
			return rc;
	}
	if (pv != NULL) {
		id = valid_id(pv->value, pv->value_len) && env->has_vrf != NULL ?
		    env->has_vrf(env->ctx, pv->value, pv->value_len) : 0;
		if (id <= 0 || id > UINT16_MAX)
			return bad_line(eo, C_JTAP, FT_RULES_ADD_VRF, pv);
		r->vrf = (uint16_t)id;
	}
	r->scoped = r->niif != 0 || r->noif != 0 || r->vrf != 0;
	return 0;
}

/* ft_rule_from_add_why's checks, in their order. */
static int
from_add(struct ft_rule *r, const struct ft_dtcp_msg *m,
    const struct ft_rule_env *env, struct errout *eo)
{
	static const char *const required[] = {
		P_CSOURCE, P_CDEST, P_DADDR, P_DPORT, P_SADDR, P_SPORT,
	};
	const struct ft_dtcp_param *p;
	size_t i, j;
	uint64_t v;
	int rc;

	/*
	 * A missing X-JTap-Cdest-* parameter is a JTap failure, the rest a
	 * bad request (draft-cavuto-dtcp-03 B.1.1: "MUST be present ...
	 * otherwise JTAP-Failure").
	 */
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (ft_dtcp_find(m, required[i]) == NULL)
			return bad_name(eo, i >= 2 ? C_JTAP : C_BAD, i >= 2 ?
			    FT_RULES_ADD_JTAP_REQUIRED : i == 1 ?
			    FT_RULES_ADD_CDEST_ID_MISSING :
			    FT_RULES_AUTH_CSOURCE_MISSING, required[i]);
	}
	p = ft_dtcp_find(m, P_CSOURCE);
	if (!valid_id(p->value, p->value_len))
		return bad_line(eo, C_BAD, FT_RULES_ADD_CSOURCE_SYNTAX, p);
	memcpy(r->csource, p->value, p->value_len);
	r->csource[p->value_len] = '\0';

	p = ft_dtcp_find(m, P_PRIO);
	if (p != NULL && ft_num_u64(p->value, p->value_len, 3, 0, 255, &v) != 0)
		return bad_line(eo, C_BAD, FT_RULES_ADD_PRIORITY, p);
	p = ft_dtcp_find(m, P_ACTION);
	if (p != NULL && !ieq(p->value, p->value_len, "Copy"))
		return bad_line(eo, C_NOTIMPL, FT_RULES_ADD_ACTION, p);

	rc = check_flags_timeouts(r, m, env, eo);
	if (rc == 0)
		rc = check_match(r, m, eo);
	if (rc == 0)
		rc = check_cdests(r, m, eo);
	if (rc == 0)
		rc = check_intercept(r, m, eo);
	if (rc == 0)
		rc = check_where(r, m, env, eo);
	if (rc != 0)
		return rc;

	/* The echo LIST shows: first occurrences only, in the ADD's order. */
	for (i = 0; i < m->nparams && i < FT_DTCP_PARAMS_MAX; i++) {
		p = &m->p[i];
		for (j = 0; j < sizeof(echo_names) / sizeof(echo_names[0]);
		    j++) {
			if (ieq(p->name, p->name_len, echo_names[j]))
				break;
		}
		if (j == sizeof(echo_names) / sizeof(echo_names[0]) ||
		    ft_dtcp_find(m, echo_names[j]) != p)
			continue;
		if (echo_add(r, p) != 0)
			return bad_line(eo, C_BAD, FT_RULES_ADD_TOO_LONG, p);
	}
	return 0;
}

int
ft_rule_from_add(struct ft_rule *r, const struct ft_dtcp_msg *m,
    const struct ft_rule_env *env, char *errparam, size_t errparam_cap)
{
	return ft_rule_from_add_why(r, m, env, errparam, errparam_cap, NULL);
}

int
ft_rule_from_add_why(struct ft_rule *r, const struct ft_dtcp_msg *m,
    const struct ft_rule_env *env, char *errparam, size_t errparam_cap,
    enum ft_rules_id *why)
{
	static const struct ft_rule_env none;
	struct errout eo;
	int rc;

	if (errparam != NULL && errparam_cap > 0)
		errparam[0] = '\0';
	eo.ep = errparam;
	eo.cap = errparam_cap;
	eo.rule = FT_RULES_NONE;
	if (why != NULL)
		*why = FT_RULES_NONE;
	if (env == NULL)
		env = &none;
	memset(r, 0, sizeof(*r));
	rc = from_add(r, m, env, &eo);
	if (why != NULL)
		*why = rc != 0 ? eo.rule : FT_RULES_NONE;
	return rc;
}
