/*
 * client.h - flowtap client, a mediation device (SPEC 10, docs/client.md):
 * sends the DTCP messages of a script to a router over SSH, one reply per
 * request, and checks every reply (status 200, its MAC, its SEQ).
 *
 * The run loop reaches the network only through struct ft_client_ops, so
 * that unit tests drive it with a scripted transport and a fake clock;
 * ft_client_run plugs in the libssh transport (sshc.h). The reply
 * framing, the reply check and the JSON string writer are pure functions
 * with their own tests.
 */
#ifndef FT_CLIENT_H
#define FT_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "limits.h"
#include "script.h"

#define FT_CLIENT_PORT_DEF	32001
#define FT_CLIENT_TIMEOUT_DEF	10	/* seconds per reply */
#define FT_CLIENT_SUBSYSTEM	"flow-tap-dtcp"
/*
 * The largest reply accepted: the largest the engine builds (a LIST of
 * every criterion). Larger is a failed reply, never a truncated one.
 */
#define FT_CLIENT_REPLY_MAX	FT_DTCP_REPLY_MAX

/*
 * Find one whole reply at the start of buf[0..len). Empty lines before
 * the status line are skipped (*start is where the reply begins); the
 * reply runs to the end of the first empty line that follows a line
 * named AUTHENTICATION-INFO (any case, then ':'), SPEC 2. Lines end with
 * LF, a CR before it is part of the line end. Returns 1 with *start and
 * *end (one past the empty line) when a reply is complete, 0 when more
 * bytes are needed.
 */
int ft_client_reply_frame(const char *buf, size_t len, size_t *start,
    size_t *end);

/* What ft_client_reply_check found in one reply. */
struct ft_client_reply {
	int code;		/* status code 100..999, 0: bad status line */
	unsigned version;	/* major*10+minor (0.7 -> 7), 0 if bad */
	char reason[64];	/* reason phrase, printable ASCII, cut */
	int has_mac;		/* an AUTHENTICATION-INFO line is there */
	int mac_ok;		/* and its value is the MAC of what precedes */
	int has_seq;		/* a SEQ line with a decimal value */
	uint64_t seq;
};

/*
 * Check the reply r[0..len) (as framed by ft_client_reply_frame, from
 * its status line): parse "DTCP/x.y CODE REASON", the first SEQ and the
 * first AUTHENTICATION-INFO line (names in any case), and verify the
 * MAC (HMAC-SHA1 with key over the bytes before that line, in constant
 * time). Never fails: what is missing or wrong shows in *out.
 */
void ft_client_reply_check(const char *r, size_t len, const void *key,
    size_t keylen, struct ft_client_reply *out);

/*
 * Write s[0..len) as a JSON string (quotes included) to fp: '"', '\\'
 * and control characters escaped, valid UTF-8 kept, every byte of an
 * invalid UTF-8 sequence written as the code point of its value
 * (\u00XX).
 */
void ft_client_json_string(FILE *fp, const char *s, size_t len);

/*
 * The transport and the clock. Connections are opaque (void *). All
 * functions return 0 or a negative FT_E* with e set to one line.
 */
struct ft_client_ops {
	/* Connect, authenticate as user, open the DTCP channel. */
	int (*open)(void *ctx, const char *user, const char *password,
	    void **conn, struct ft_err *e);
	/* Write all of buf[0..len). */
	int (*send)(void *ctx, void *conn, const void *buf, size_t len,
	    struct ft_err *e);
	/*
	 * Wait at most timeout_ns for bytes and read up to cap of them:
	 * *got = 0 when none came in that time. FT_EIO when the router
	 * closed the channel or the connection failed.
	 */
	int (*recv)(void *ctx, void *conn, void *buf, size_t cap,
	    uint64_t timeout_ns, size_t *got, struct ft_err *e);
	/* Close and free a connection (NULL: no-op). */
	void (*close)(void *ctx, void *conn);
	/* Monotonic clock, ns. */
	uint64_t (*now)(void *ctx);
	/* Sleep until now() >= t. */
	void (*sleep_until)(void *ctx, uint64_t t);
};

struct ft_client_opts {
	const char *host;
	unsigned port;			/* FT_CLIENT_PORT_DEF */
	const char *user;		/* messages before any @session; NULL */
	const char *password;		/* --password, or NULL */
	const char *password_file;	/* --password-file, or NULL */
	const char *key;		/* DTCP key; NULL: FT_AUTH_DEFAULT_KEY */
	const char *known_hosts;	/* NULL: ~/.ssh/known_hosts */
	int accept_new;			/* trust an unknown host key, record it */
	uint64_t timeout_ns;		/* per reply, and for connecting */
	int no_wait;			/* ignore @at */
	int stop_on_error;		/* stop at the first failed message */
	int keep_going;			/* go on after a reply timeout too */
	uint64_t seq_from;		/* first "Seq: auto" (0, 1: 1) */
	int verbose;			/* print requests too */
	int quiet;			/* print nothing but failures */
	const char *script;		/* path */
	const char *json;		/* --json FILE, or NULL */
	FILE *out;			/* requests and replies (stdout) */
	FILE *note;			/* failures, warnings, summary (stderr) */
};

/* Defaults: port 32001, timeout 10 s, out stdout, note stderr. */
void ft_client_opts_default(struct ft_client_opts *o);

struct ft_client_result {
	unsigned messages;	/* message events in the script */
	unsigned sent;		/* requests written */
	unsigned ok;		/* replies 200 with a good MAC and SEQ */
	unsigned failed;	/* messages that failed, any reason */
	int stopped;		/* a timeout or connection failure ended it */
	int usage;		/* the failure is a usage error (exit 2) */
};

/*
 * The first line of a message the script sends on the --user connection
 * (a message before any @session), or 0 when there is none.
 */
unsigned ft_client_default_line(const struct ft_script *s);

/*
 * Run the events of s through ops (ctx is theirs): messages before any
 * @session go on a connection as o->user with password (opened before
 * the first event), @session opens or switches to a connection as its
 * user, @close closes one, @restart is skipped with a warning. Each
 * request is written, its reply read within o->timeout_ns, printed to
 * o->out and checked; a failure is one line on o->note naming
 * script:line. A non-200 reply, a bad MAC or a SEQ other than the
 * request's counts as failed and the run goes on (unless
 * stop_on_error); a timeout or a connection failure ends the run
 * (res->stopped), except that with keep_going a timeout without any
 * reply byte does not (a late reply to it, known by its SEQ, is then
 * dropped). With o->json, the pairs are written there. Returns 0
 * when the run was carried out (res says how it went), FT_EIO when the
 * JSON file cannot be written, FT_ENOMEM.
 */
int ft_client_exec(const struct ft_client_opts *o, const struct ft_script *s,
    const char *password, const struct ft_client_ops *ops, void *ctx,
    struct ft_client_result *res, struct ft_err *e);

/*
 * The whole command: load o->script (with o->key for the "auto" MACs,
 * o->seq_from for the first "Seq: auto" of each control source),
 * find the password when the --user connection is needed (o->password,
 * else the first line of o->password_file, else $FLOWTAP_PASSWORD, else
 * a prompt without echo on /dev/tty), then ft_client_exec over libssh.
 * Returns 0 (res says how the run went) or a negative FT_E* with e set;
 * res->usage is 1 when that failure is a usage error (no --user though
 * the script needs it, no password source).
 */
int ft_client_run(const struct ft_client_opts *o,
    struct ft_client_result *res, struct ft_err *e);

#endif
