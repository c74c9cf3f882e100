/*
 * dtcp.h - DTCP bytes <-> messages (SPEC 2): framing checks, the request
 * line, parameters, the MAC-covered span, and reply building.
 *
 * The parser only checks syntax and the caps of limits.h; what a method
 * means is tasking.c's business. Nothing here allocates.
 */
#ifndef FT_DTCP_H
#define FT_DTCP_H

#include <stddef.h>
#include <stdint.h>

#include "limits.h"

/* Versions as one number: major * 10 + minor (0.6 -> 6). */
#define FT_DTCP_V06 6
#define FT_DTCP_V07 7
#define FT_DTCP_V08 8
#define FT_DTCP_V_MIN FT_DTCP_V06
#define FT_DTCP_V_MAX FT_DTCP_V08
/*
 * A version the request-line syntax allows but that is not one digit each
 * side of the point, or is 0.0 ("DTCP/0.10", "DTCP/10.1"): never
 * supported, the caller answers 505.
 */
#define FT_DTCP_V_OTHER 999

enum ft_dtcp_method {
	FT_DTCP_M_OTHER = 0,	/* any token not below: 501 */
	FT_DTCP_M_ADD,
	FT_DTCP_M_DELETE,
	FT_DTCP_M_LIST,
	FT_DTCP_M_REFRESH,
	FT_DTCP_M_NOOP,
};

struct ft_dtcp_param {
	const char *name;	/* points into msg->buf, not NUL-terminated */
	size_t name_len;
	const char *value;	/* trailing whitespace already trimmed */
	size_t value_len;
	unsigned line;		/* 1-based line within the message */
};

struct ft_dtcp_msg {
	char buf[FT_DTCP_MSG_MAX + 1];	/* copy of the bytes, NUL added */
	size_t len;
	char method[FT_DTCP_METHOD_MAX + 1];	/* token as sent */
	enum ft_dtcp_method m;
	unsigned version;	/* major*10+minor as sent, 0 if unparsable */
	unsigned nparams;	/* parameters before Authentication-Info */
	struct ft_dtcp_param p[FT_DTCP_PARAMS_MAX];
	size_t mac_len;		/* bytes buf[0..mac_len) are MAC-covered */
	const char *auth;	/* Authentication-Info value, NULL if none */
	size_t auth_len;
	/*
	 * The first framing defect ("bare LF", "invalid UTF-8"...), NULL
	 * when the message is well framed. A message with a defect is
	 * still read to its Authentication-Info line, so that the caller
	 * can authenticate it before answering (SPEC 2): p[] then holds
	 * only the well-formed parameter lines.
	 */
	const char *defect;
	int oversize;		/* over FT_DTCP_MSG_MAX: nothing was read */
};

/*
 * Parse one whole request: data[0..len) is the message with CRLF line
 * ends and its terminating empty line (a final CRLF CRLF; the empty line
 * may also be missing at the very end of data). Lines after
 * Authentication-Info are not looked at (only the size cap covers
 * them). Returns 0 when the syntax is good, else 400 (over a cap, NUL,
 * bare CR or LF, invalid UTF-8, bad request line, a line without ':'),
 * with m->defect naming the defect and the offending item (the
 * description, or up to 64 bytes of a line without ':') written into
 * errparam when errparam is not NULL (errparam_cap bytes,
 * NUL-terminated). Even on 400, m->auth, m->mac_len, m->version and the
 * well-formed parameters before Authentication-Info are filled in, so
 * the caller can authenticate the request; errparam holds request bytes
 * and must not be echoed unless it does (m->oversize: nothing is read).
 */
int ft_dtcp_parse(struct ft_dtcp_msg *m, const char *data, size_t len,
    char *errparam, size_t errparam_cap);

/*
 * The first parameter whose name equals name (ASCII case-insensitive),
 * or NULL.
 */
const struct ft_dtcp_param *ft_dtcp_find(const struct ft_dtcp_msg *m,
    const char *name);

/*
 * 1 if the parameter name is defined by DTCP version `version` for any
 * method (standard names of D00/D03, the X-JTap-* and X-MD-* names
 * flowtap implements), 0 otherwise. Callers treat other names starting
 * "X-" as ignorable and the rest as 501.
 */
int ft_dtcp_param_known(const char *name, size_t len, unsigned version);

/*
 * The i-th (from 0) parameter name DTCP version `version` defines, in
 * the spelling of the drafts; NULL past the last.
 */
const char *ft_dtcp_param_name(unsigned i, unsigned version);

/*
 * For an X- name the version does not define: the defined X-JTap-* or
 * X-MD-* name it is most likely a typo of (ASCII case and '_'/'-'
 * folded: at most two edits - insertions, deletions, substitutions,
 * swaps of neighbours - or one '-' segment missing or extra), else
 * NULL. Such a name is ignored like any unknown X- parameter (SPEC 2),
 * so its value silently has no effect.
 */
const char *ft_dtcp_param_near(const char *name, size_t len,
    unsigned version);

/* What is wrong with a request's Authentication-Info (SPEC 2: all 497). */
enum ft_dtcp_mac {
	FT_DTCP_MAC_OK = 0,
	FT_DTCP_MAC_MISSING,	/* no Authentication-Info line */
	FT_DTCP_MAC_MALFORMED,	/* not 40 lower-case hex digits */
	FT_DTCP_MAC_UPPER,	/* the right MAC, in upper case */
	FT_DTCP_MAC_WRONG,	/* 40 hex digits that do not verify */
};

/*
 * Check m's MAC with the key (constant-time compare, ft_auth_check) and
 * say what is wrong with it.
 */
enum ft_dtcp_mac ft_dtcp_mac_check(const struct ft_dtcp_msg *m,
    const void *key, size_t keylen);

/*
 * The bytes b[0..len) as lines a reader can check byte by byte: each
 * line (up to and including its LF) on a line of its own, after
 * prefix, with CR, LF, tab, a backslash, a space before CR or at the
 * end, and every byte outside printable ASCII escaped (\r \n \t \\
 * \x20 \xHH); lines separated by LF, no final LF. Writes at most cap
 * bytes (NUL included) and returns the length it needed.
 */
size_t ft_dtcp_escape_lines(const char *b, size_t len, const char *prefix,
    char *out, size_t cap);

/* Reason phrase of a reply code ("OK", "Bad Request"...). */
const char *ft_dtcp_reason(int code);

/* A reply under construction. Large: allocate it, don't put it on a stack. */
struct ft_dtcp_reply {
	char buf[FT_DTCP_REPLY_MAX];
	size_t len;
	size_t mac_len;		/* set by ft_dtcp_reply_finish */
	int overflow;		/* a line did not fit: reply is invalid */
};

/* Start "DTCP/x.y <code> <reason>" CRLF. */
void ft_dtcp_reply_start(struct ft_dtcp_reply *r, unsigned version, int code);

/* Append "NAME: value" CRLF (name written as given: callers use upper case). */
void ft_dtcp_reply_add(struct ft_dtcp_reply *r, const char *name,
    const char *value);

/* Same, value given as an unsigned number. */
void ft_dtcp_reply_addu(struct ft_dtcp_reply *r, const char *name,
    uint64_t value);

/*
 * Append "AUTHENTICATION-INFO: <hmac of everything so far>" CRLF and the
 * empty line. Returns 0, or FT_ELIMIT if the reply overflowed.
 */
int ft_dtcp_reply_finish(struct ft_dtcp_reply *r, const void *key,
    size_t keylen);

/*
 * Format an engine clock value (ns since the epoch, UTC) as
 * "YYYY-MM-DD HH:MM:SS.mmm" (milliseconds truncated). out has >= 24 bytes.
 */
void ft_dtcp_timestamp(uint64_t ns, char out[24]);

#endif
