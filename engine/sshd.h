/*
 * sshd.h - the live router's SSH service (SPEC 1, 10): a libssh server
 * on one non-blocking event loop for the listener, every connection and
 * any other descriptor the caller adds (a capture, a pacer): no thread
 * and no process per connection.
 *
 * What it enforces itself:
 * - password authentication only, checked by the caller (ops.password);
 *   at most FT_SSHD_AUTH_TRIES failures per connection;
 * - one session channel per connection and on it only the
 *   `flow-tap-dtcp` subsystem, granted by the caller (ops.open); shell,
 *   exec, pty, env, x11, agent forwarding, any other subsystem, any other
 *   channel type (direct-tcpip...) and global request (tcpip-forward...)
 *   are refused and logged;
 * - a login grace time: a connection that has not started its
 *   flow-tap-dtcp session within it is closed;
 * - at most max_startups connections without a session (in the
 *   handshake, authenticating, or authenticated but not yet in the
 *   subsystem): a new connection over the cap evicts the oldest of them,
 *   so a flood of stalled connections costs bounded memory and
 *   descriptors and cannot keep a client that completes its login
 *   promptly out (sshd's MaxStartups refuses the new one instead);
 * - DTCP framing on the channel (framer.h) and, per connection, an output
 *   queue of at most outq_max bytes: a client that does not read its
 *   replies is disconnected, never waited for.
 *
 * Every callback runs from inside ft_sshd_poll. No libssh type appears
 * here; connections are named by their ordinal (1, 2, ... from the start).
 */
#ifndef FT_SSHD_H
#define FT_SSHD_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Password failures allowed per connection (sshd's MaxAuthTries is 6). */
#define FT_SSHD_AUTH_TRIES	6
/* The subsystem name (SPEC 1). */
#define FT_SSHD_SUBSYSTEM	"flow-tap-dtcp"
/* Longest peer text: "[v6-address]:port". */
#define FT_SSHD_PEER_MAX	64

struct ft_sshd_ops {
	void *ctx;
	/*
	 * 1 when user may log in with password on connection conn (from
	 * address addr, peer "addr:port"), else 0. It may block (RADIUS,
	 * login.h): the loop waits meanwhile.
	 */
	int (*password)(void *ctx, unsigned conn, const char *addr,
	    const char *peer, const char *user, const char *password);
	/*
	 * Connection conn (its user authenticated, from address addr, no
	 * port) asks for the flow-tap-dtcp subsystem. Return a session
	 * handle >= 0 to grant it, or -1 to refuse it with a reason in
	 * why[0..whylen); a refused connection is closed.
	 */
	int (*open)(void *ctx, unsigned conn, const char *user,
	    const char *addr, char *why, size_t whylen);
	/*
	 * One message of session handle (framer.h: CRLF lines, its empty
	 * line; oversize: the first FT_DTCP_MSG_MAX + 1 bytes of a longer
	 * one). Answer with ft_sshd_send(conn, ...).
	 */
	void (*message)(void *ctx, unsigned conn, int handle, const char *msg,
	    size_t len, int oversize);
	/*
	 * The session ended (peer closed, dropped, server stopping). Not
	 * called for ft_sshd_drop_all, whose caller ended them itself.
	 */
	void (*closed)(void *ctx, unsigned conn, int handle, const char *why);
	/*
	 * A connection-level event, one line for the transcript: peer is
	 * "addr:port", user NULL before authentication; what says it.
	 */
	void (*log)(void *ctx, unsigned conn, const char *peer,
	    const char *user, const char *what);
};

struct ft_sshd_cfg {
	const char *listen;	/* numeric IPv4/IPv6 address */
	unsigned port;		/* 0: any free port (ft_sshd_port) */
	const char *hostkey;	/* OpenSSH private key file (ed25519, RSA) */
	unsigned grace_s;	/* login grace time, seconds, > 0 */
	unsigned max_startups;	/* connections without a session, > 0 */
	size_t outq_max;	/* queued reply bytes per connection */
	struct ft_sshd_ops ops;
};

struct ft_sshd_stats {
	uint64_t accepted;	/* TCP connections accepted */
	uint64_t evicted;	/* closed over max_startups */
	uint64_t grace_expired;	/* closed at the login grace time */
	uint64_t auth_failed;	/* password failures */
	uint64_t refused;	/* requests refused (shell, exec, ...) */
	uint64_t slow_readers;	/* dropped over outq_max */
	unsigned startups;	/* now: connections without a session */
	unsigned sessions;	/* now: flow-tap-dtcp sessions */
	unsigned peak_startups, peak_sessions;
};

struct ft_sshd;

/*
 * Listen on cfg->listen:cfg->port with the host key cfg->hostkey.
 * Returns 0 and *out, or FT_EIO (cannot bind, unreadable key) /
 * FT_EINVAL (bad address) / FT_ENOMEM with e set.
 */
int ft_sshd_new(const struct ft_sshd_cfg *cfg, struct ft_sshd **out,
    struct ft_err *e);

/*
 * Close every connection (ops.closed for each session, with why
 * "server stopping") and the listener. NULL is a no-op.
 */
void ft_sshd_free(struct ft_sshd *s);

/* The port actually bound (useful with port 0). */
unsigned ft_sshd_port(const struct ft_sshd *s);

/*
 * Wait up to timeout_ms for something to do, then do it: accept,
 * handshakes, authentication, channel requests, messages (ops.message),
 * queued replies, grace timeouts, closed connections. Returns 0, or
 * FT_EIO when the event loop itself failed (not for EINTR: a signal
 * just ends the wait early).
 */
int ft_sshd_poll(struct ft_sshd *s, int timeout_ms);

/*
 * Queue len bytes for connection conn's channel and send what the peer
 * can take now. Over outq_max the connection is dropped (logged).
 * Returns 0, FT_ENOENT (no such connection) or FT_ELIMIT (dropped).
 */
int ft_sshd_send(struct ft_sshd *s, unsigned conn, const char *data,
    size_t len);

/*
 * Disconnect every connection, sessions and handshakes alike, with
 * reason why (sent to the peer and logged). ops.closed is not called:
 * the caller has ended the sessions itself (a restart, SPEC 5).
 */
void ft_sshd_drop_all(struct ft_sshd *s, const char *why);

/*
 * Another descriptor on the same loop: fn(ctx, fd) is called from
 * ft_sshd_poll when fd is readable. Returns 0 or FT_EIO / FT_ENOMEM.
 */
int ft_sshd_watch(struct ft_sshd *s, int fd, void (*fn)(void *ctx, int fd),
    void *ctx);

const struct ft_sshd_stats *ft_sshd_stats(const struct ft_sshd *s);

/*
 * The host key: read path, or, when path is NULL, dir/ssh_host_ed25519_key,
 * generated (ed25519, mode 0600, with its .pub beside it) when missing.
 * Writes the file used into used (usedlen bytes), the key type
 * ("ssh-ed25519") into type, and the SHA256 fingerprint as OpenSSH prints
 * it ("SHA256:<base64>") into fp. *generated is 1 when the key was made
 * now. Returns 0 or FT_EIO / FT_EINVAL with e set.
 */
#define FT_SSHD_FP_MAX 96
int ft_sshd_hostkey(const char *path, const char *dir, char *used,
    size_t usedlen, char type[32], char fp[FT_SSHD_FP_MAX], int *generated,
    struct ft_err *e);

#endif
