/*
 * rules.h - the rule catalogue: every check the engine makes on a DTCP
 * request, and every check `flowtap lint` adds, in one table (rule id,
 * severity, the seed sentence or SPEC section it enforces, a one-line
 * explanation, the code a router gives). The engine names the rule of
 * every non-200 reply and every drop in dtcp.log; the linter reports
 * findings by the same ids. docs/rules.md is generated from this table
 * (`flowtap lint --rules markdown`).
 *
 * Severity: MUST - the router rejects the request (a non-200 reply, or
 * a drop) or never receives it; SHOULD - accepted, but almost certainly
 * not what the device meant, or not portable to another router; INFO -
 * worth knowing. A message the engine rejects always has a MUST
 * finding, and a message it accepts never has one.
 */
#ifndef FT_RULES_H
#define FT_RULES_H

#include <stddef.h>

enum ft_rules_severity {
	FT_RULES_MUST = 0,
	FT_RULES_SHOULD,
	FT_RULES_INFO,
};

/* What a router does with a request that breaks the rule. */
enum ft_rules_outcome {
	FT_RULES_REPLY = 0,	/* answered with `code` */
	FT_RULES_DROP,		/* dropped unanswered, logged with `code` */
	FT_RULES_ACCEPT,	/* accepted (SHOULD / INFO findings) */
	FT_RULES_NOT_SENT,	/* never reaches the router (script, session) */
	FT_RULES_ROUTER,	/* a finding on the router's side (transcripts) */
};

/* Rule ids, in catalogue order. */
enum ft_rules_id {
	FT_RULES_NONE = 0,

	/* Framing (SPEC 2): 400 once authenticated, else dropped. */
	FT_RULES_FRAME_MSG_CAP,
	FT_RULES_FRAME_LINE_CAP,
	FT_RULES_FRAME_PARAM_CAP,
	FT_RULES_FRAME_NUL,
	FT_RULES_FRAME_BARE_CR,
	FT_RULES_FRAME_BARE_LF,
	FT_RULES_FRAME_UTF8,
	FT_RULES_FRAME_REQLINE,
	FT_RULES_FRAME_PARAM,
	FT_RULES_FRAME_AFTER_END,

	/* Authentication and control source (SPEC 2): dropped. */
	FT_RULES_AUTH_NO_SESSION,
	FT_RULES_AUTH_MAC_MISSING,
	FT_RULES_AUTH_MAC_MALFORMED,
	FT_RULES_AUTH_MAC_CASE,
	FT_RULES_AUTH_MAC_WRONG,
	FT_RULES_AUTH_CSOURCE_MISSING,
	FT_RULES_AUTH_CSOURCE_USER,
	FT_RULES_AUTH_PERMISSION,

	/* Sequence numbers (SPEC 2). */
	FT_RULES_SEQ_MISSING,
	FT_RULES_SEQ_SYNTAX,
	FT_RULES_SEQ_STALE,
	FT_RULES_SEQ_STEP,
	FT_RULES_SEQ_JUNOS,

	/* Version, method, parameters (SPEC 2). */
	FT_RULES_VERSION,
	FT_RULES_METHOD_UNKNOWN,
	FT_RULES_METHOD_PROFILE,
	FT_RULES_PARAM_UNKNOWN,
	FT_RULES_PARAM_VERSION,
	FT_RULES_PARAM_X_NEAR,
	FT_RULES_PARAM_X_IGNORED,
	FT_RULES_PARAM_DUPLICATE,
	FT_RULES_LINE_TRAILING_SPACE,
	FT_RULES_AUTH_NOT_LAST,

	/* ADD (SPEC 3). */
	FT_RULES_ADD_CSOURCE_SYNTAX,
	FT_RULES_ADD_CDEST_ID_MISSING,
	FT_RULES_ADD_CDEST_ID_SYNTAX,
	FT_RULES_ADD_JTAP_REQUIRED,
	FT_RULES_ADD_PRIORITY,
	FT_RULES_ADD_ACTION,
	FT_RULES_ADD_FLAGS,
	FT_RULES_ADD_STATIC,
	FT_RULES_ADD_TIMEOUT,
	FT_RULES_ADD_TIMEOUT_NONE,
	FT_RULES_ADD_ADDRESS,
	FT_RULES_ADD_PORT,
	FT_RULES_ADD_PROTOCOL,
	FT_RULES_ADD_ICMP,
	FT_RULES_ADD_IP_VERSION,
	FT_RULES_ADD_FAMILY,
	FT_RULES_ADD_IPV6_V06,
	FT_RULES_ADD_IPV6_V06_JTAP,
	FT_RULES_ADD_PORT_PROTOCOL,
	FT_RULES_ADD_ICMP_PROTOCOL,
	FT_RULES_ADD_CDEST_MAX,
	FT_RULES_ADD_CDEST_COUNT,
	FT_RULES_ADD_CDEST_ADDRESS,
	FT_RULES_ADD_CDEST_PORT,
	FT_RULES_ADD_SOURCE_ADDRESS,
	FT_RULES_ADD_SOURCE_FAMILY,
	FT_RULES_ADD_SOURCE_PORT,
	FT_RULES_ADD_TTL,
	FT_RULES_ADD_INTERCEPT_ID,
	FT_RULES_ADD_INTERCEPT_ID_TOP,
	FT_RULES_ADD_VRF_INTERFACE,
	FT_RULES_ADD_FILTER_FAMILY,
	FT_RULES_ADD_INTERFACE,
	FT_RULES_ADD_VRF,
	FT_RULES_ADD_TOO_LONG,
	FT_RULES_ADD_LIMIT,
	FT_RULES_ADD_NEVER_MATCHES,
	FT_RULES_ADD_IPV4_ONLY,
	FT_RULES_ADD_CDEST_LIST_V06,

	/* DELETE, LIST, REFRESH, NOOP (SPEC 3). */
	FT_RULES_SELECTOR_BOTH,
	FT_RULES_SELECTOR_NONE,
	FT_RULES_CRITERIA_ID_SYNTAX,
	FT_RULES_CRITERIA_ID_UNKNOWN,
	FT_RULES_CRITERIA_ID_RESTART,
	FT_RULES_CDEST_ID_ONE,
	FT_RULES_CDEST_ID_UNKNOWN,
	FT_RULES_FLAGS_SYNTAX,
	FT_RULES_DELETE_FLAGS,
	FT_RULES_DELETE_STATIC_KEPT,
	FT_RULES_LIST_FLAGS,
	FT_RULES_REFRESH_FLAGS,
	FT_RULES_REFRESH_STATIC,
	FT_RULES_REFRESH_TIMEOUT_SYNTAX,
	FT_RULES_REFRESH_TIMEOUT_RANGE,
	FT_RULES_REFRESH_TIMEOUT_NONE,
	FT_RULES_NOOP_FLAGS,
	FT_RULES_SERVER_ERROR,

	/* Restart, sessions, scripts and parameter files (SPEC 5, 9). */
	FT_RULES_RESTART_READD,
	FT_RULES_FILE_SYNTAX,
	FT_RULES_SCRIPT_NO_SESSION,
	FT_RULES_SESSION_REFUSED,
	FT_RULES_DFCCLIENT_LAST,
	FT_RULES_DFCCLIENT_CRLF,

	/* The router's side, in a transcript. */
	FT_RULES_REPLY_MAC,
	FT_RULES_REPLY_SEQ,
	FT_RULES_REPLY_VERSION,
	FT_RULES_REPLY_CODE,
	FT_RULES_REPLY_TO_DROP,
	FT_RULES_REPLY_MISSING,
	FT_RULES_REPLY_LAYOUT,

	FT_RULES_COUNT
};

struct ft_rules_entry {
	const char *id;			/* "DTCP-ADD-STATIC" */
	enum ft_rules_severity severity;
	enum ft_rules_outcome outcome;
	int code;			/* reply or drop code, 0: none */
	const char *ref;		/* "SPEC 3; seed-69" */
	const char *source;		/* the sentence it enforces, quoted */
	const char *explain;		/* one line, the plain reason */
};

/*
 * The entry of a rule id; FT_RULES_NONE and out-of-range ids give the
 * entry of FT_RULES_NONE (id "NONE"), never NULL.
 */
const struct ft_rules_entry *ft_rules_get(enum ft_rules_id id);

/* The rule called id (ASCII case-insensitive), or FT_RULES_NONE. */
enum ft_rules_id ft_rules_find(const char *id);

/* "MUST", "SHOULD", "INFO". */
const char *ft_rules_severity_name(enum ft_rules_severity s);

/*
 * The rule of a framing defect as ft_dtcp_parse names it ("bare LF",
 * "line without ':'"...), or FT_RULES_NONE for NULL or an unknown text.
 */
enum ft_rules_id ft_rules_for_defect(const char *defect);

#endif
