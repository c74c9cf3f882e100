/*
 * tasking.h - DTCP semantics (SPEC 2, 3, 5): sessions, authentication,
 * sequence numbers per control source, ADD / DELETE / LIST (+ REFRESH /
 * NOOP in profile draft), LEA isolation, the chassis limit, restarts.
 *
 * Order for every request: frame (ft_dtcp_parse), authenticate
 * (constant-time MAC), check control source and permission, check Seq,
 * then version, method, parameters, semantics - and only then change
 * state. A request is applied whole or not at all.
 */
#ifndef FT_TASKING_H
#define FT_TASKING_H

#include <stddef.h>
#include <stdint.h>

#include "classify.h"
#include "dtcp.h"
#include "routercfg.h"

enum ft_profile {
	FT_PROFILE_FLOWTAP = 0,	/* the seed: Seq must increase, STATIC only */
	FT_PROFILE_JUNOS,	/* Seq not checked (Junos errata), STATIC only */
	FT_PROFILE_DRAFT,	/* Seq step 1..256, timeouts, REFRESH, NOOP */
};

/* Parse "flowtap" / "junos" / "draft". Returns 0 or FT_EINVAL. */
int ft_profile_parse(const char *s, enum ft_profile *p);
const char *ft_profile_name(enum ft_profile p);

/* Control-plane events, in the order they happen, for dtcp.log. */
enum ft_event_kind {
	FT_EV_OPEN,		/* session opened */
	FT_EV_REFUSE,		/* session refused: code 0, reason says why */
	FT_EV_CLOSE,		/* session closed (by script, restart or peer) */
	FT_EV_REQUEST,		/* a request as received: text */
	FT_EV_REPLY,		/* a reply as sent: text (with its MAC), code */
	FT_EV_DROP,		/* a request dropped: code 497/498/499, reason */
	FT_EV_RESTART,		/* restart: reason */
	FT_EV_EXPIRE,		/* profile draft: criterion timed out */
	FT_EV_WARN,		/* an accepted request's SHOULD: rule, reason */
};

struct ft_event {
	enum ft_event_kind kind;
	uint64_t t_ns;		/* engine clock */
	const char *session;	/* session name, may be NULL */
	const char *user;	/* login user / Csource-ID, may be NULL */
	int code;		/* reply or drop code, else 0 */
	const char *reason;	/* one line, may be NULL */
	const char *text;	/* message bytes (CRLF), may be NULL */
	size_t text_len;
	/*
	 * The rule (enum ft_rules_id of rules.h) of a non-200 reply, a drop
	 * or a warning, whose plain reason is in reason; 0 otherwise.
	 */
	int rule;
	/*
	 * REQUEST: where it came from, "script=FILE:LINE" (offline) or
	 * "peer=ADDR" (the session's address, live); may be NULL.
	 */
	const char *origin;
	/*
	 * DROP of a 497 with explain_mac: the expected MAC and the bytes
	 * it covers, escaped, lines separated by LF; else NULL.
	 */
	const char *detail;
};

typedef void (*ft_tasking_log_fn)(void *ctx, const struct ft_event *ev);

struct ft_tasking_cfg {
	const struct ft_routercfg *router;	/* must outlive the tasking */
	enum ft_profile profile;
	const char *key;	/* HMAC key, copied; NULL: "Juniper" */
	size_t keylen;
	ft_tasking_log_fn log;	/* may be NULL */
	void *log_ctx;
	/*
	 * A test bench's option (replay/serve --explain-mac): a 497 drop's
	 * log event carries the expected MAC and the bytes it covers. Off
	 * by default: a router's log does not hand out right MACs.
	 */
	int explain_mac;
};

/* Counters for report.json. */
#define FT_TASKING_CODES_MAX 32
struct ft_code_counts {
	unsigned n;				/* codes seen, ascending */
	int code[FT_TASKING_CODES_MAX];
	uint64_t count[FT_TASKING_CODES_MAX];
};

struct ft_tasking_stats {
	uint64_t requests[FT_DTCP_M_NOOP + 1];	/* by enum ft_dtcp_method */
	/* Answered requests by reply code. */
	struct ft_code_counts replies;
	/*
	 * Requests dropped unanswered, by the code logged: 497, 498, 499,
	 * and 400 for a message over the size cap.
	 */
	struct ft_code_counts drops;
	uint64_t sessions_opened, sessions_refused, restarts;
	/*
	 * X- parameters this emulation does not know, in requests that
	 * reached the parameter checks: ignored, as a router ignores
	 * extensions it does not implement. The first, in words.
	 */
	uint64_t unknown_x;
	char unknown_x_first[160];
	/*
	 * Of those, the names close to a known X-JTap-* / X-MD-* one (a
	 * typo whose value silently has no effect: DTCP-PARAM-X-NEAR, a
	 * warning in dtcp.log). The first, in words.
	 */
	uint64_t x_near;
	char x_near_first[200];
};

struct ft_tasking;

/* NULL on no memory. */
struct ft_tasking *ft_tasking_new(const struct ft_tasking_cfg *cfg);
void ft_tasking_free(struct ft_tasking *t);

/*
 * Open a session `name` for login user `user`. password NULL means an
 * implicit session (a script without @session): no password check.
 * Subject to the password, connection-limit and rate-limit (sessions
 * opened within the last 60 s of engine clock). Returns a session
 * handle >= 0, or -1 when refused (logged FT_EV_REFUSE with the reason).
 */
int ft_tasking_open(struct ft_tasking *t, const char *name, const char *user,
    const char *password, const char *from, uint64_t now_ns);

/*
 * Open a session for a login the caller has authenticated itself (the
 * live router's SSH password, replay --radius: login.h), with its
 * effective permission bits. note, when not NULL, is added to the open
 * line (how the user was admitted). Subject to connection-limit and
 * rate-limit as ft_tasking_open. Returns a handle >= 0, or -1 (logged).
 */
int ft_tasking_open_as(struct ft_tasking *t, const char *name,
    const char *user, uint64_t perms, const char *note, const char *from,
    uint64_t now_ns);

/* Log a session refused by the caller (FT_EV_REFUSE with reason). */
void ft_tasking_refuse(struct ft_tasking *t, const char *name,
    const char *user, const char *reason, uint64_t now_ns);

/* Handle of the open session called name, or -1. */
int ft_tasking_find(const struct ft_tasking *t, const char *name);

/* Close a session (its criteria stay). Unknown handle: FT_ENOENT. */
int ft_tasking_close(struct ft_tasking *t, int sid, uint64_t now_ns);

/*
 * Handle one request received on session sid. Returns the reply code
 * (reply written to *reply, finished with its MAC), or 0 when the
 * request was dropped unanswered (497/498/499, logged).
 */
int ft_tasking_request(struct ft_tasking *t, int sid, const char *bytes,
    size_t len, uint64_t now_ns, struct ft_dtcp_reply *reply);

/*
 * The same, the request's log line naming where it came from: origin
 * ("script=FILE:LINE"), or NULL for the session's address ("peer=ADDR")
 * when it has one. The wire reply does not change.
 */
int ft_tasking_request_from(struct ft_tasking *t, int sid,
    const char *origin, const char *bytes, size_t len, uint64_t now_ns,
    struct ft_dtcp_reply *reply);

/*
 * Restart (SPEC 5): delete every criterion, close every session, forget
 * every Seq. Criteria-IDs keep counting.
 */
void ft_tasking_restart(struct ft_tasking *t, const char *reason,
    uint64_t now_ns);

/* Profile draft: expire criteria whose timeouts ran out at now_ns. */
void ft_tasking_tick(struct ft_tasking *t, uint64_t now_ns);

/* The criterion table the data path matches against. */
struct ft_classify *ft_tasking_table(struct ft_tasking *t);

const struct ft_tasking_stats *ft_tasking_stats(const struct ft_tasking *t);

#endif
