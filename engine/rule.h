/*
 * rule.h - one intercept criterion (SPEC 3): built from a DTCP ADD,
 * matched against a decoded packet, listed back to its owner.
 */
#ifndef FT_RULE_H
#define FT_RULE_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "dtcp.h"
#include "limits.h"
#include "rules.h"

/* One entry of a numeric filter list: [lo, hi], negated with '!'. */
struct ft_num_ent {
	uint64_t lo, hi;
	uint8_t neg;
};

/* A numeric filter (ports, protocol, ICMP, Criteria-ID). n == 0: wildcard. */
struct ft_num_filter {
	uint8_t n;
	uint8_t npos;		/* entries with neg == 0 */
	struct ft_num_ent e[FT_FILTER_ENTRIES_MAX];
};

/* One address entry: [lo, hi] (a prefix or range), 16 bytes, IPv4 in [0..4). */
struct ft_addr_ent {
	uint8_t lo[16], hi[16];
	uint8_t neg;
};

struct ft_addr_filter {
	uint8_t n;		/* 0: wildcard */
	uint8_t npos;
	struct ft_addr_ent e[FT_FILTER_ENTRIES_MAX];
};

struct ft_cdest {
	char id[FT_NAME_MAX + 1];	/* Cdest-ID */
	uint8_t family;			/* 4 or 6 */
	uint8_t addr[16];		/* X-JTap-Cdest-Dest-Address */
	uint16_t port;			/* X-JTap-Cdest-Dest-Port */
};

#define FT_RULE_STATIC	0x01

/* Bytes kept of the ADD's parameter lines for LIST. */
#define FT_RULE_ECHO_MAX 2048

struct ft_rule {
	uint64_t id;			/* Criteria-ID, set by tasking */
	char csource[FT_NAME_MAX + 1];	/* owner */
	uint8_t family;			/* 4 or 6: packets of this family only */
	unsigned flags;			/* FT_RULE_* */

	struct ft_addr_filter src, dst;
	struct ft_num_filter proto, sport, dport, icmp_type, icmp_code;
	uint8_t need_ports;		/* a port condition is present */
	uint8_t need_icmp;		/* an ICMP condition is present */
	/*
	 * Scope (SPEC 6): X-JTap-Input-Interface / -Output-Interface as
	 * interface ids, X-JTap-VRF-Name as a VRF id (ft_rule_env).
	 */
	uint8_t scoped;			/* any of the three is present */
	uint8_t niif, noif;
	uint16_t iif[FT_IFL_PER_ADD_MAX], oif[FT_IFL_PER_ADD_MAX];
	uint16_t vrf;			/* 0: no VRF condition */

	unsigned ncdest;		/* 1..FT_CDEST_MAX */
	struct ft_cdest cdest[FT_CDEST_MAX];
	uint8_t out_family;		/* family of the outer header */
	uint8_t out_src[16];		/* X-JTap-Cdest-Source-Address */
	uint16_t out_sport;		/* X-JTap-Cdest-Source-Port */
	uint8_t ttl;			/* X-JTap-Cdest-TTL, default 255 */

	uint8_t jmirror;		/* X-MD-Intercept-Id given */
	uint8_t session_is_id;		/* 4-byte id: session ID = Criteria-ID */
	uint32_t intercept_id;		/* 30 bits */
	uint32_t session_id;

	/* Profile draft timeouts (0 = not set). */
	uint64_t timeout_idle_ns, timeout_total_ns;
	uint64_t timeout_packets, timeout_bytes;

	/*
	 * The ADD's parameter lines that LIST echoes (filters, X-JTap and
	 * X-MD fields, Flags), each "UPPER-NAME: value" CRLF.
	 */
	char echo[FT_RULE_ECHO_MAX];
	size_t echo_len;

	/* State kept by tasking and the data path. */
	uint64_t added_ns;		/* engine clock when added */
	uint64_t last_match_ns;
	uint64_t match_packets, match_bytes;
};

/*
 * What ft_rule_from_add needs of the outside: the profile's rules and the
 * router configuration's interfaces and VRFs.
 */
struct ft_rule_env {
	int require_static;	/* profiles flowtap, junos: no STATIC -> 433 */
	int allow_timeouts;	/* profile draft */
	/*
	 * The 1-based id the configuration gives that interface unit /
	 * VRF, 0 when it does not declare it (901).
	 */
	int (*has_ifl)(void *ctx, const char *name, size_t len);
	int (*has_vrf)(void *ctx, const char *name, size_t len);
	void *ctx;
};

/*
 * Build a criterion from an ADD whose syntax ft_dtcp_parse accepted.
 * Validates everything of SPEC 3 except the chassis limit and ownership
 * (tasking's). Returns 0 with *r filled (id, added_ns and counters zero,
 * csource copied from Csource-ID), or the DTCP reply code (400, 432,
 * 433, 501, 551, 901) with the offending parameter line ("Name: value")
 * in errparam. *r is unspecified on error.
 */
int ft_rule_from_add(struct ft_rule *r, const struct ft_dtcp_msg *m,
    const struct ft_rule_env *env, char *errparam, size_t errparam_cap);

/*
 * The same, and *why (when not NULL) names the rule of rules.h the ADD
 * broke (FT_RULES_NONE on success): the one validation the engine, the
 * linter and the log share. The first failing check decides, in the
 * order: required parameters, Csource-ID, Priority, Action, Flags and
 * timeouts, match fields and family, content destinations and the outer
 * header, X-MD-Intercept-Id, interfaces and VRF, the LIST echo.
 */
int ft_rule_from_add_why(struct ft_rule *r, const struct ft_dtcp_msg *m,
    const struct ft_rule_env *env, char *errparam, size_t errparam_cap,
    enum ft_rules_id *why);

/*
 * Parse a numeric filter value (SPEC 3 grammar: '*', N, N-M, comma
 * lists, '!' negation when allow_neg) with values <= max of at most
 * maxdigits digits. Returns 0 or FT_EINVAL / FT_ELIMIT.
 */
int ft_rule_parse_nums(const char *v, size_t len, uint64_t max,
    unsigned maxdigits, int allow_neg, struct ft_num_filter *out);

/*
 * Parse an address filter ('*', addr, addr/len, a-b, a-*, *-b, lists,
 * '!'). *family is set to 4 or 6 from the addresses (0 if only '*').
 * Mixed families in one list: FT_EINVAL.
 */
int ft_rule_parse_addrs(const char *v, size_t len,
    struct ft_addr_filter *out, uint8_t *family);

/* 1 if value is selected by f (SPEC 3 list semantics), else 0. */
int ft_rule_num_match(const struct ft_num_filter *f, uint64_t value);

/* 1 if the packet matches the criterion, else 0. */
int ft_rule_match(const struct ft_rule *r, const struct ft_pkt *p);

/*
 * 1 if the packet's scope satisfies the criterion's interface and VRF
 * conditions (known and equal; a criterion without any: always).
 */
int ft_rule_scope_match(const struct ft_rule *r, const struct ft_pkt *p);

#endif
