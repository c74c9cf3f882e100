/*
 * sshd.c - the live router's SSH service on one libssh event loop
 * (sshd.h).
 *
 * libssh calls back from inside ssh_event_dopoll (and from inside any
 * libssh call that waits for packets). So callbacks only mark a
 * connection dead; connections are freed by sweep(), which runs only
 * outside libssh. Output is written to a channel only as far as its
 * window allows and only when libssh holds no unsent bytes, so
 * ssh_channel_write never waits (waiting would poll every session from
 * inside another's callback) and libssh's own buffers stay small.
 */
#include "sshd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include "auth.h"
#include "framer.h"
#include "limits.h"

/* Connections accepted per wake-up: the others still get their turn. */
#define ACCEPT_BURST	64
/* Bytes handed to ssh_channel_write at once. */
#define WRITE_CHUNK	32768
/* Poll again this soon while replies wait for a channel window. */
#define BACKLOG_MS	20
/* Descriptors besides SSH that can join the loop (ft_sshd_watch). */
#define WATCH_MAX	8
/* Longest quoted client text in a log line (user, command, subsystem). */
#define QUOTE_MAX	64
/* poll(2) failures in a row that end the loop (not EINTR). */
#define POLL_ERRORS_MAX	10
/* After closing a channel, how long the peer has to hang up itself. */
#define LINGER_MS	2000
/* A listen(2) backlog; the kernel caps it at somaxconn. */
#define LISTEN_BACKLOG	128

enum cstate {
	C_HANDSHAKE,	/* key exchange, then authentication */
	C_AUTHED,	/* authenticated, no flow-tap-dtcp session yet */
	C_SESSION,	/* the subsystem runs: DTCP */
	C_CLOSING,	/* the peer sent EOF: send what is queued, close */
	C_DONE,		/* channel closed: wait for the peer to hang up */
};

struct outchunk {
	struct outchunk *next;
	size_t len, off;
	char data[];
};

struct conn {
	struct conn *prev, *next;	/* in accept order */
	struct ft_sshd *srv;
	unsigned id;
	ssh_session ss;
	ssh_channel ch;
	int kex_done;
	enum cstate st;
	uint64_t t0_ms;		/* accepted (monotonic) */
	uint64_t tclose_ms;	/* C_CLOSING since */
	char peer[FT_SSHD_PEER_MAX];
	char addr[INET6_ADDRSTRLEN];
	char user[FT_NAME_MAX + 1];
	int have_user;
	unsigned auth_fail;
	int handle;		/* the caller's session handle, or -1 */
	int dead;
	char why[160];
	int busy;		/* inside flush() */
	struct outchunk *qhead, *qtail;
	size_t qbytes;
	struct ssh_server_callbacks_struct scb;
	struct ssh_channel_callbacks_struct ccb;
	struct ft_framer fr;
};

struct watch {
	int fd;
	int ready;
	void (*fn)(void *ctx, int fd);
	void *ctx;
};

struct ft_sshd {
	struct ft_sshd_cfg cfg;
	int lfd;
	unsigned port;
	ssh_bind bind;
	ssh_event ev;
	int accept_ready;
	unsigned poll_errors;	/* poll(2) failures in a row */
	struct conn *head, *tail;
	unsigned next_id;
	struct ft_sshd_stats st;
	struct watch watch[WATCH_MAX];
	unsigned nwatch;
};

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Client-chosen text for a log line: printable ASCII, bounded. */
static void
quote(char *dst, size_t cap, const char *src)
{
	size_t i, n = 0;

	for (i = 0; src != NULL && src[i] != '\0' && n + 4 < cap; i++) {
		unsigned char ch = (unsigned char)src[i];

		if (i == QUOTE_MAX) {
			memcpy(dst + n, "...", 3);
			n += 3;
			break;
		}
		dst[n++] = ch >= 0x20 && ch < 0x7f && ch != '\'' ? (char)ch :
		    '?';
	}
	dst[n] = '\0';
}

static void
conn_log(struct conn *c, const char *fmt, ...) FT_PRINTF(2, 3);

static void
conn_log(struct conn *c, const char *fmt, ...)
{
	const struct ft_sshd_ops *o = &c->srv->cfg.ops;
	char what[320];
	va_list ap;

	if (o->log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	o->log(o->ctx, c->id, c->peer, c->have_user ? c->user : NULL, what);
}

/* Mark c for closing; sweep() does it, outside libssh. */
static void
kill_conn(struct conn *c, const char *fmt, ...) FT_PRINTF(2, 3);

static void
kill_conn(struct conn *c, const char *fmt, ...)
{
	va_list ap;

	if (c->dead)
		return;
	c->dead = 1;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
}

static void
refused(struct conn *c, const char *fmt, ...) FT_PRINTF(2, 3);

static void
refused(struct conn *c, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	c->srv->st.refused++;
	conn_log(c, "%s refused", what);
}

/* --- output ------------------------------------------------------------ */

static void
free_queue(struct conn *c)
{
	struct outchunk *q, *n;

	for (q = c->qhead; q != NULL; q = n) {
		n = q->next;
		free(q);
	}
	c->qhead = c->qtail = NULL;
	c->qbytes = 0;
}

/* Send what the channel window and libssh's buffer take now. */
static void
flush(struct conn *c)
{
	if (c->busy || c->dead || c->ch == NULL)
		return;
	c->busy = 1;
	while (c->qhead != NULL) {
		struct outchunk *q = c->qhead;
		size_t n = q->len - q->off;
		uint32_t win;
		int w;

		if (ssh_get_poll_flags(c->ss) & SSH_WRITE_PENDING)
			break;
		win = ssh_channel_window_size(c->ch);
		if (n > WRITE_CHUNK)
			n = WRITE_CHUNK;
		if (n > win)
			n = win;
		if (n == 0)
			break;
		w = ssh_channel_write(c->ch, q->data + q->off, (uint32_t)n);
		if (w < 0) {
			kill_conn(c, "write failed: %s", ssh_get_error(c->ss));
			break;
		}
		q->off += (size_t)w;
		c->qbytes -= (size_t)w;
		if (q->off == q->len) {
			c->qhead = q->next;
			if (c->qhead == NULL)
				c->qtail = NULL;
			free(q);
		}
		if ((size_t)w < n)
			break;
	}
	c->busy = 0;
}

static struct conn *
find_conn(struct ft_sshd *s, unsigned id)
{
	struct conn *c;

	for (c = s->tail; c != NULL; c = c->prev)
		if (c->id == id)
			return c;
	return NULL;
}

int
ft_sshd_send(struct ft_sshd *s, unsigned id, const char *data, size_t len)
{
	struct conn *c = find_conn(s, id);
	struct outchunk *q;

	if (c == NULL || c->dead || c->ch == NULL)
		return FT_ENOENT;
	if (len > s->cfg.outq_max - c->qbytes) {
		s->st.slow_readers++;
		kill_conn(c, "client does not read its replies (%zu bytes "
		    "queued, cap %zu)", c->qbytes + len, s->cfg.outq_max);
		return FT_ELIMIT;
	}
	q = malloc(sizeof(*q) + len);
	if (q == NULL) {
		kill_conn(c, "out of memory for a reply");
		return FT_ENOMEM;
	}
	q->next = NULL;
	q->len = len;
	q->off = 0;
	memcpy(q->data, data, len);
	if (c->qtail != NULL)
		c->qtail->next = q;
	else
		c->qhead = q;
	c->qtail = q;
	c->qbytes += len;
	flush(c);
	return 0;
}

/* --- channel callbacks ------------------------------------------------- */

static void
on_message(void *ctx, const char *msg, size_t len, int oversize)
{
	struct conn *c = ctx;
	const struct ft_sshd_ops *o = &c->srv->cfg.ops;

	if (c->dead || c->handle < 0)
		return;
	o->message(o->ctx, c->id, c->handle, msg, len, oversize);
}

static int
on_data(ssh_session ss, ssh_channel ch, void *data, uint32_t len,
    int is_stderr, void *ud)
{
	struct conn *c = ud;

	(void)ss;
	(void)ch;
	/* Bytes outside a session (or on stderr) are read and dropped. */
	if (!c->dead && c->st == C_SESSION && !is_stderr)
		ft_framer_feed(&c->fr, data, len, on_message, c);
	return (int)len;
}

static void
on_eof(ssh_session ss, ssh_channel ch, void *ud)
{
	struct conn *c = ud;

	(void)ss;
	(void)ch;
	if (c->dead)
		return;
	if (c->st != C_SESSION) {
		kill_conn(c, "end of input");
		return;
	}
	/* A last message without its empty line is still answered. */
	(void)ft_framer_finish(&c->fr, on_message, c);
	c->st = C_CLOSING;
	c->tclose_ms = mono_ms();
}

static void
on_close(ssh_session ss, ssh_channel ch, void *ud)
{
	struct conn *c = ud;

	(void)ss;
	(void)ch;
	kill_conn(c, c->st == C_DONE ? "end of input" :
	    "channel closed by peer");
}

static int
on_pty(ssh_session ss, ssh_channel ch, const char *term, int w, int h,
    int pw, int ph, void *ud)
{
	(void)ss;
	(void)ch;
	(void)term;
	(void)w;
	(void)h;
	(void)pw;
	(void)ph;
	refused(ud, "pty request");
	return -1;
}

static int
on_shell(ssh_session ss, ssh_channel ch, void *ud)
{
	(void)ss;
	(void)ch;
	refused(ud, "shell request");
	return 1;
}

static int
on_exec(ssh_session ss, ssh_channel ch, const char *cmd, void *ud)
{
	char q[QUOTE_MAX + 8];

	(void)ss;
	(void)ch;
	quote(q, sizeof(q), cmd);
	refused(ud, "exec request '%s'", q);
	return 1;
}

static int
on_env(ssh_session ss, ssh_channel ch, const char *name, const char *value,
    void *ud)
{
	char q[QUOTE_MAX + 8];

	(void)ss;
	(void)ch;
	(void)value;	/* never logged: it may be anything */
	quote(q, sizeof(q), name);
	refused(ud, "env request '%s'", q);
	return 1;
}

static int
on_subsystem(ssh_session ss, ssh_channel ch, const char *name, void *ud)
{
	struct conn *c = ud;
	const struct ft_sshd_ops *o = &c->srv->cfg.ops;
	char q[QUOTE_MAX + 8], why[160];
	int h;

	(void)ss;
	(void)ch;
	if (c->dead)
		return 1;
	quote(q, sizeof(q), name);
	if (strcmp(name, FT_SSHD_SUBSYSTEM) != 0) {
		refused(c, "subsystem '%s'", q);
		return 1;
	}
	if (c->st != C_AUTHED) {
		refused(c, "second subsystem request");
		return 1;
	}
	why[0] = '\0';
	h = o->open(o->ctx, c->id, c->user, c->addr, why, sizeof(why));
	if (h < 0) {
		refused(c, "subsystem '%s' (%s)", q, why[0] ? why : "no reason");
		kill_conn(c, "subsystem refused");
		return 1;
	}
	c->handle = h;
	c->st = C_SESSION;
	ft_framer_init(&c->fr);
	return 0;
}

/* --- server callbacks -------------------------------------------------- */

static int
on_password(ssh_session ss, const char *user, const char *password, void *ud)
{
	struct conn *c = ud;
	struct ft_sshd *s = c->srv;
	const struct ft_sshd_ops *o = &s->cfg.ops;
	char q[QUOTE_MAX + 8];
	size_t n = strlen(user);

	(void)ss;
	c->kex_done = 1;	/* authentication comes after it */
	if (c->dead || c->st != C_HANDSHAKE)
		return SSH_AUTH_DENIED;
	if (n > 0 && n <= FT_NAME_MAX && o->password(o->ctx, c->id, c->addr,
	    c->peer, user, password)) {
		memcpy(c->user, user, n + 1);
		c->have_user = 1;
		c->st = C_AUTHED;
		conn_log(c, "password accepted");
		return SSH_AUTH_SUCCESS;
	}
	s->st.auth_failed++;
	c->auth_fail++;
	quote(q, sizeof(q), user);
	conn_log(c, "password authentication failed for user '%s'", q);
	if (c->auth_fail >= FT_SSHD_AUTH_TRIES)
		kill_conn(c, "too many authentication failures");
	return SSH_AUTH_DENIED;
}

static ssh_channel
on_channel_open(ssh_session ss, void *ud)
{
	struct conn *c = ud;

	if (c->dead)
		return NULL;
	if (c->st != C_AUTHED || c->ch != NULL) {
		refused(c, "another session channel");
		return NULL;
	}
	c->ch = ssh_channel_new(ss);
	if (c->ch == NULL)
		return NULL;
	memset(&c->ccb, 0, sizeof(c->ccb));
	c->ccb.userdata = c;
	c->ccb.channel_data_function = on_data;
	c->ccb.channel_eof_function = on_eof;
	c->ccb.channel_close_function = on_close;
	c->ccb.channel_pty_request_function = on_pty;
	c->ccb.channel_shell_request_function = on_shell;
	c->ccb.channel_exec_request_function = on_exec;
	c->ccb.channel_env_request_function = on_env;
	c->ccb.channel_subsystem_request_function = on_subsystem;
	ssh_callbacks_init(&c->ccb);
	ssh_set_channel_callbacks(c->ch, &c->ccb);
	return c->ch;
}

static const char *
channel_type_name(int t)
{
	switch (t) {
	case SSH_CHANNEL_DIRECT_TCPIP:
		return "direct-tcpip";
	case SSH_CHANNEL_FORWARDED_TCPIP:
		return "forwarded-tcpip";
	case SSH_CHANNEL_X11:
		return "x11";
	case SSH_CHANNEL_AUTH_AGENT:
		return "auth-agent";
	case SSH_CHANNEL_SESSION:
		return "session";
	default:
		return "unknown";
	}
}

static const char *
channel_request_name(int t)
{
	switch (t) {
	case SSH_CHANNEL_REQUEST_PTY:
		return "pty-req";
	case SSH_CHANNEL_REQUEST_EXEC:
		return "exec";
	case SSH_CHANNEL_REQUEST_SHELL:
		return "shell";
	case SSH_CHANNEL_REQUEST_ENV:
		return "env";
	case SSH_CHANNEL_REQUEST_SUBSYSTEM:
		return "subsystem";
	case SSH_CHANNEL_REQUEST_WINDOW_CHANGE:
		return "window-change";
	case SSH_CHANNEL_REQUEST_X11:
		return "x11-req";
	default:
		return "unknown";
	}
}

static const char *
auth_method_name(int m)
{
	switch (m) {
	case SSH_AUTH_METHOD_PUBLICKEY:
		return "publickey";
	case SSH_AUTH_METHOD_HOSTBASED:
		return "hostbased";
	case SSH_AUTH_METHOD_INTERACTIVE:
		return "keyboard-interactive";
	case SSH_AUTH_METHOD_GSSAPI_MIC:
		return "gssapi-with-mic";
	default:
		return "unknown";
	}
}

/*
 * Everything no callback above took: libssh sends the default answer
 * (a refusal; a service request is granted) when this returns 1.
 */
static int
on_other(ssh_session ss, ssh_message m, void *ud)
{
	struct conn *c = ud;
	int sub = ssh_message_subtype(m);

	(void)ss;
	c->kex_done = 1;	/* every message comes after it */
	switch (ssh_message_type(m)) {
	case SSH_REQUEST_AUTH:
		/* "none" is how every client asks which methods exist. */
		if (sub != (int)SSH_AUTH_METHOD_NONE)
			refused(c, "authentication method '%s'",
			    auth_method_name(sub));
		break;
	case SSH_REQUEST_CHANNEL_OPEN:
		refused(c, "channel open '%s'", channel_type_name(sub));
		break;
	case SSH_REQUEST_CHANNEL:
		refused(c, "channel request '%s'", channel_request_name(sub));
		break;
	case SSH_REQUEST_GLOBAL:
		if (sub == SSH_GLOBAL_REQUEST_TCPIP_FORWARD)
			refused(c, "port forwarding (tcpip-forward)");
		else if (sub == SSH_GLOBAL_REQUEST_CANCEL_TCPIP_FORWARD)
			refused(c, "cancel-tcpip-forward");
		else if (sub != SSH_GLOBAL_REQUEST_KEEPALIVE)
			refused(c, "global request");
		break;
	default:
		break;
	}
	return 1;
}

/* --- connections ------------------------------------------------------- */

static void
peer_text(const struct sockaddr_storage *sa, char *addr, size_t alen,
    char *peer, size_t plen)
{
	unsigned port = 0;

	if (sa->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;

		port = ntohs(s6->sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], addr,
			    (socklen_t)alen);
			snprintf(peer, plen, "%s:%u", addr, port);
		} else {
			inet_ntop(AF_INET6, &s6->sin6_addr, addr,
			    (socklen_t)alen);
			snprintf(peer, plen, "[%s]:%u", addr, port);
		}
		return;
	}
	if (sa->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)sa;

		port = ntohs(s4->sin_port);
		inet_ntop(AF_INET, &s4->sin_addr, addr, (socklen_t)alen);
		snprintf(peer, plen, "%s:%u", addr, port);
		return;
	}
	snprintf(addr, alen, "unknown");
	snprintf(peer, plen, "unknown");
}

static void
count(struct ft_sshd *s)
{
	struct conn *c;
	unsigned st = 0, se = 0;

	for (c = s->head; c != NULL; c = c->next) {
		if (c->dead)
			continue;
		if (c->st == C_HANDSHAKE || c->st == C_AUTHED)
			st++;
		else
			se++;
	}
	s->st.startups = st;
	s->st.sessions = se;
	if (st > s->st.peak_startups)
		s->st.peak_startups = st;
	if (se > s->st.peak_sessions)
		s->st.peak_sessions = se;
}

/* Close c for good: the caller's session, libssh's, the descriptor. */
static void
release(struct ft_sshd *s, struct conn *c)
{
	const struct ft_sshd_ops *o = &s->cfg.ops;

	if (c->handle >= 0 && o->closed != NULL)
		o->closed(o->ctx, c->id, c->handle, c->why);
	c->handle = -1;
	conn_log(c, "closed: %s", c->why[0] ? c->why : "closed");
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		s->head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	else
		s->tail = c->prev;
	ssh_event_remove_session(s->ev, c->ss);
	if (c->kex_done) {
		ssh_session_set_disconnect_message(c->ss, c->why);
		ssh_disconnect(c->ss);
	}
	ssh_free(c->ss);
	free_queue(c);
	free(c);
}

static void
sweep(struct ft_sshd *s)
{
	struct conn *c, *n;

	for (c = s->head; c != NULL; c = n) {
		n = c->next;
		if (c->dead)
			release(s, c);
	}
	count(s);
}

/* Over max_startups: the oldest connection without a session goes. */
static void
evict(struct ft_sshd *s)
{
	struct conn *c;

	for (c = s->head; c != NULL; c = c->next) {
		if (!c->dead && (c->st == C_HANDSHAKE || c->st == C_AUTHED)) {
			kill_conn(c, "evicted: max-startups %u reached",
			    s->cfg.max_startups);
			s->st.evicted++;
			break;
		}
	}
	sweep(s);
}

static void
accept_one(struct ft_sshd *s, int fd, const struct sockaddr_storage *sa)
{
	struct conn *c;
	int rc;

	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		close(fd);
		return;
	}
	c->srv = s;
	c->id = ++s->next_id;
	c->handle = -1;
	c->t0_ms = mono_ms();
	peer_text(sa, c->addr, sizeof(c->addr), c->peer, sizeof(c->peer));
	c->ss = ssh_new();
	if (c->ss == NULL) {
		close(fd);
		free(c);
		return;
	}
	if (ssh_bind_accept_fd(s->bind, c->ss, fd) != SSH_OK) {
		conn_log(c, "cannot accept: %s", ssh_get_error(s->bind));
		if (ssh_get_fd(c->ss) != fd)
			close(fd);
		ssh_free(c->ss);
		free(c);
		return;
	}
	ssh_set_auth_methods(c->ss, SSH_AUTH_METHOD_PASSWORD);
	c->scb.userdata = c;
	c->scb.auth_password_function = on_password;
	c->scb.channel_open_request_session_function = on_channel_open;
	ssh_callbacks_init(&c->scb);
	ssh_set_server_callbacks(c->ss, &c->scb);
	ssh_set_message_callback(c->ss, on_other, c);
	ssh_set_blocking(c->ss, 0);

	/* Link first: a failure below is then an ordinary dead connection. */
	c->prev = s->tail;
	if (s->tail != NULL)
		s->tail->next = c;
	else
		s->head = c;
	s->tail = c;
	conn_log(c, "connected");
	rc = ssh_handle_key_exchange(c->ss);
	if (rc == SSH_OK)
		c->kex_done = 1;
	else if (rc == SSH_ERROR)
		kill_conn(c, "key exchange failed: %s", ssh_get_error(c->ss));
	if (ssh_event_add_session(s->ev, c->ss) != SSH_OK)
		kill_conn(c, "cannot add the connection to the event loop");
}

static void
accept_some(struct ft_sshd *s)
{
	int i;

	for (i = 0; i < ACCEPT_BURST; i++) {
		struct sockaddr_storage sa;
		socklen_t sl = sizeof(sa);
		int fd;

		fd = accept(s->lfd, (struct sockaddr *)&sa, &sl);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			/* EAGAIN: done; EMFILE and the like: next time. */
			break;
		}
		/*
		 * Never block on a peer: libssh writes whatever the
		 * socket takes and keeps the rest (SSH_WRITE_PENDING).
		 */
		if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0 ||
		    fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
			close(fd);
			continue;
		}
		s->st.accepted++;
		count(s);
		if (s->st.startups >= s->cfg.max_startups)
			evict(s);
		accept_one(s, fd, &sa);
		count(s);
	}
}

static void
check_conn(struct ft_sshd *s, struct conn *c, uint64_t now)
{
	int st;

	st = ssh_get_status(c->ss);
	if (st & (SSH_CLOSED | SSH_CLOSED_ERROR) ||
	    ssh_get_error_code(c->ss) == SSH_FATAL) {
		const char *err = ssh_get_error(c->ss);

		if (c->st == C_DONE)
			kill_conn(c, "end of input");
		else if (err == NULL || err[0] == '\0' ||
		    strcmp(err, "Socket error: disconnected") == 0)
			kill_conn(c, "connection closed by peer");
		else if (c->st == C_HANDSHAKE && !c->kex_done)
			kill_conn(c, "key exchange failed: %s", err);
		else
			kill_conn(c, "%s", err);
		return;
	}
	if (c->st == C_DONE) {
		/* The client hangs up after the channel closes; or we do. */
		if (now - c->tclose_ms >= LINGER_MS)
			kill_conn(c, "end of input");
		return;
	}
	if (c->ch != NULL && ssh_channel_is_closed(c->ch)) {
		kill_conn(c, "channel closed");
		return;
	}
	if ((c->st == C_HANDSHAKE || c->st == C_AUTHED) &&
	    now - c->t0_ms >= (uint64_t)s->cfg.grace_s * 1000u) {
		s->st.grace_expired++;
		kill_conn(c, "login grace time of %u s exceeded",
		    s->cfg.grace_s);
		return;
	}
	flush(c);
	if (c->st == C_CLOSING && !c->dead) {
		if (c->qhead == NULL &&
		    !(ssh_get_poll_flags(c->ss) & SSH_WRITE_PENDING)) {
			ssh_channel_request_send_exit_status(c->ch, 0);
			ssh_channel_send_eof(c->ch);
			ssh_channel_close(c->ch);
			c->st = C_DONE;
			c->tclose_ms = now;
			/* The DTCP session ends with its channel. */
			if (c->handle >= 0 && s->cfg.ops.closed != NULL)
				s->cfg.ops.closed(s->cfg.ops.ctx, c->id,
				    c->handle, "end of input");
			c->handle = -1;
		} else if (now - c->tclose_ms >=
		    (uint64_t)s->cfg.grace_s * 1000u) {
			s->st.slow_readers++;
			kill_conn(c, "replies not read within %u s of the end "
			    "of input", s->cfg.grace_s);
		}
	}
}

static int
on_listen(socket_t fd, int revents, void *ud)
{
	struct ft_sshd *s = ud;

	(void)fd;
	(void)revents;
	s->accept_ready = 1;
	return 0;
}

static int
on_watch(socket_t fd, int revents, void *ud)
{
	struct watch *w = ud;

	(void)fd;
	(void)revents;
	w->ready = 1;
	return 0;
}

int
ft_sshd_poll(struct ft_sshd *s, int timeout_ms)
{
	struct conn *c;
	uint64_t now;
	unsigned i;
	int rc, backlog = 0;

	for (c = s->head; c != NULL; c = c->next)
		if (c->qhead != NULL || c->st == C_CLOSING)
			backlog = 1;
	if (backlog && timeout_ms > BACKLOG_MS)
		timeout_ms = BACKLOG_MS;
	/* Bounded by each connection's grace time: wake up for it. */
	if (timeout_ms > 1000)
		timeout_ms = 1000;
	errno = 0;
	rc = ssh_event_dopoll(s->ev, timeout_ms);
	/*
	 * A signal (EINTR) or one connection's error also ends up here;
	 * only poll(2) failing again and again is the loop's failure.
	 */
	if (rc == SSH_ERROR &&
	    (errno == EBADF || errno == ENOMEM || errno == EINVAL)) {
		if (++s->poll_errors >= POLL_ERRORS_MAX)
			return FT_EIO;
	} else
		s->poll_errors = 0;
	for (i = 0; i < s->nwatch; i++) {
		if (s->watch[i].ready) {
			s->watch[i].ready = 0;
			s->watch[i].fn(s->watch[i].ctx, s->watch[i].fd);
		}
	}
	now = mono_ms();
	for (c = s->head; c != NULL; c = c->next)
		if (!c->dead)
			check_conn(s, c, now);
	sweep(s);
	if (s->accept_ready) {
		s->accept_ready = 0;
		accept_some(s);
	}
	return 0;
}

void
ft_sshd_drop_all(struct ft_sshd *s, const char *why)
{
	struct conn *c;

	for (c = s->head; c != NULL; c = c->next) {
		c->handle = -1;
		kill_conn(c, "%s", why);
	}
	sweep(s);
}

int
ft_sshd_watch(struct ft_sshd *s, int fd, void (*fn)(void *ctx, int fd),
    void *ctx)
{
	struct watch *w;

	if (s->nwatch == WATCH_MAX)
		return FT_ENOMEM;
	w = &s->watch[s->nwatch];
	w->fd = fd;
	w->fn = fn;
	w->ctx = ctx;
	w->ready = 0;
	if (ssh_event_add_fd(s->ev, fd, POLLIN, on_watch, w) != SSH_OK)
		return FT_EIO;
	s->nwatch++;
	return 0;
}

unsigned
ft_sshd_port(const struct ft_sshd *s)
{
	return s->port;
}

const struct ft_sshd_stats *
ft_sshd_stats(const struct ft_sshd *s)
{
	return &s->st;
}

/* --- setup ------------------------------------------------------------- */

static int
listen_socket(struct ft_sshd *s, struct ft_err *e)
{
	struct addrinfo hints, *ai = NULL;
	struct sockaddr_storage sa;
	socklen_t sl = sizeof(sa);
	char port[8];
	int fd, one = 1, zero = 0, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%u", s->cfg.port);
	rc = getaddrinfo(s->cfg.listen, port, &hints, &ai);
	if (rc != 0 || ai == NULL)
		return ft_err_set(e, FT_EINVAL, "listen address '%s': not a "
		    "numeric IPv4 or IPv6 address", s->cfg.listen);
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd < 0) {
		freeaddrinfo(ai);
		return ft_err_set(e, FT_EIO, "listen address '%s': %s",
		    s->cfg.listen, strerror(errno));
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* "::" means both families, as sshd's ListenAddress :: does. */
	if (ai->ai_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero,
		    sizeof(zero));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    listen(fd, LISTEN_BACKLOG) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
		rc = errno;
		close(fd);
		freeaddrinfo(ai);
		return ft_err_set(e, FT_EIO, "cannot listen on %s port %u: %s",
		    s->cfg.listen, s->cfg.port, strerror(rc));
	}
	freeaddrinfo(ai);
	s->port = sa.ss_family == AF_INET6 ?
	    ntohs(((struct sockaddr_in6 *)&sa)->sin6_port) :
	    ntohs(((struct sockaddr_in *)&sa)->sin_port);
	s->lfd = fd;
	return 0;
}

int
ft_sshd_new(const struct ft_sshd_cfg *cfg, struct ft_sshd **out,
    struct ft_err *e)
{
	struct ft_sshd *s;
	ssh_key key = NULL;
	bool no = false;
	int verbosity = SSH_LOG_NOLOG, rc;

	*out = NULL;
	if (cfg->grace_s == 0 || cfg->max_startups == 0 ||
	    cfg->outq_max == 0 || cfg->ops.password == NULL ||
	    cfg->ops.open == NULL || cfg->ops.message == NULL)
		return ft_err_set(e, FT_EINVAL, "sshd: incomplete settings");
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return ft_err_set(e, FT_ENOMEM, "out of memory");
	s->cfg = *cfg;
	s->lfd = -1;
	ssh_init();
	ssh_set_log_level(SSH_LOG_NOLOG);
	if (ssh_pki_import_privkey_file(cfg->hostkey, NULL, NULL, NULL,
	    &key) != SSH_OK) {
		rc = ft_err_set(e, FT_EIO, "cannot read host key '%s'",
		    cfg->hostkey);
		goto fail;
	}
	rc = listen_socket(s, e);
	if (rc != 0) {
		ssh_key_free(key);
		goto fail;
	}
	s->bind = ssh_bind_new();
	s->ev = ssh_event_new();
	if (s->bind == NULL || s->ev == NULL) {
		ssh_key_free(key);
		rc = ft_err_set(e, FT_ENOMEM, "out of memory");
		goto fail;
	}
	ssh_bind_options_set(s->bind, SSH_BIND_OPTIONS_LOG_VERBOSITY,
	    &verbosity);
	ssh_bind_options_set(s->bind, SSH_BIND_OPTIONS_PROCESS_CONFIG, &no);
	/* The bind owns the key from here on. */
	if (ssh_bind_options_set(s->bind, SSH_BIND_OPTIONS_IMPORT_KEY,
	    key) != SSH_OK) {
		ssh_key_free(key);
		rc = ft_err_set(e, FT_EIO, "host key '%s': %s", cfg->hostkey,
		    ssh_get_error(s->bind));
		goto fail;
	}
	if (ssh_event_add_fd(s->ev, s->lfd, POLLIN, on_listen, s) != SSH_OK) {
		rc = ft_err_set(e, FT_EIO, "cannot poll the listener");
		goto fail;
	}
	*out = s;
	return 0;
fail:
	ft_sshd_free(s);
	return rc;
}

void
ft_sshd_free(struct ft_sshd *s)
{
	struct conn *c;

	if (s == NULL)
		return;
	for (c = s->head; c != NULL; c = c->next)
		kill_conn(c, "server stopping");
	if (s->ev != NULL)
		sweep(s);
	if (s->ev != NULL) {
		unsigned i;

		/* Each added descriptor holds a libssh allocation. */
		for (i = 0; i < s->nwatch; i++)
			ssh_event_remove_fd(s->ev, s->watch[i].fd);
		if (s->lfd >= 0)
			ssh_event_remove_fd(s->ev, s->lfd);
		ssh_event_free(s->ev);
	}
	if (s->lfd >= 0)
		close(s->lfd);
	ssh_bind_free(s->bind);
	free(s);
}

/* --- host key ---------------------------------------------------------- */

static int
write_file(const char *path, const char *text, mode_t mode,
    struct ft_err *e)
{
	char tmp[4200];
	size_t len = strlen(text), off = 0;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	(void)unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		return ft_err_set(e, FT_EIO, "cannot create '%s': %s", tmp,
		    strerror(errno));
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			unlink(tmp);
			return ft_err_set(e, FT_EIO, "cannot write '%s'", tmp);
		}
		off += (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return ft_err_set(e, FT_EIO, "cannot write '%s'", path);
	}
	return 0;
}

static int
generate_key(const char *path, ssh_key *key, struct ft_err *e)
{
	char *b64 = NULL, *pub = NULL, pubpath[4200], *line;
	size_t n;
	int rc;

	if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, key) != SSH_OK)
		return ft_err_set(e, FT_EIO, "cannot generate an ed25519 key");
	if (ssh_pki_export_privkey_base64(*key, NULL, NULL, NULL, &b64) !=
	    SSH_OK)
		return ft_err_set(e, FT_EIO, "cannot export the host key");
	n = strlen(b64);
	/* OpenSSH wants the file to end with a newline. */
	line = malloc(n + 2);
	if (line == NULL) {
		ssh_string_free_char(b64);
		return ft_err_set(e, FT_ENOMEM, "out of memory");
	}
	memcpy(line, b64, n);
	line[n] = n > 0 && b64[n - 1] == '\n' ? '\0' : '\n';
	line[n + 1] = '\0';
	rc = write_file(path, line, 0600, e);
	/* The private key: wiped before it is freed. */
	ft_auth_wipe(line, n + 2);
	ft_auth_wipe(b64, n);
	free(line);
	ssh_string_free_char(b64);
	if (rc != 0)
		return rc;
	if (ssh_pki_export_pubkey_base64(*key, &pub) != SSH_OK)
		return ft_err_set(e, FT_EIO, "cannot export the public key");
	n = strlen(pub) + 64;
	line = malloc(n);
	if (line == NULL) {
		ssh_string_free_char(pub);
		return ft_err_set(e, FT_ENOMEM, "out of memory");
	}
	snprintf(line, n, "%s %s flowtap\n",
	    ssh_key_type_to_char(ssh_key_type(*key)), pub);
	ssh_string_free_char(pub);
	snprintf(pubpath, sizeof(pubpath), "%s.pub", path);
	rc = write_file(pubpath, line, 0644, e);
	free(line);
	return rc;
}

int
ft_sshd_hostkey(const char *path, const char *dir, char *used,
    size_t usedlen, char type[32], char fp[FT_SSHD_FP_MAX], int *generated,
    struct ft_err *e)
{
	ssh_key key = NULL;
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *f;
	enum ssh_keytypes_e kt;
	int rc = 0;

	*generated = 0;
	if (path != NULL)
		snprintf(used, usedlen, "%s", path);
	else
		snprintf(used, usedlen, "%s/ssh_host_ed25519_key", dir);
	if (path == NULL && access(used, F_OK) != 0 && errno == ENOENT) {
		rc = generate_key(used, &key, e);
		if (rc != 0)
			goto out;
		*generated = 1;
	} else if (ssh_pki_import_privkey_file(used, NULL, NULL, NULL,
	    &key) != SSH_OK) {
		rc = ft_err_set(e, FT_EIO, "cannot read host key '%s' (an "
		    "unencrypted OpenSSH private key: ed25519, RSA or ECDSA)",
		    used);
		goto out;
	}
	kt = ssh_key_type(key);
	if (kt != SSH_KEYTYPE_ED25519 && kt != SSH_KEYTYPE_RSA &&
	    kt != SSH_KEYTYPE_ECDSA_P256 && kt != SSH_KEYTYPE_ECDSA_P384 &&
	    kt != SSH_KEYTYPE_ECDSA_P521) {
		rc = ft_err_set(e, FT_EINVAL, "host key '%s': type '%s' not "
		    "supported (ed25519, RSA or ECDSA)", used,
		    ssh_key_type_to_char(kt));
		goto out;
	}
	snprintf(type, 32, "%s", ssh_key_type_to_char(kt));
	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash,
	    &hlen) != 0) {
		rc = ft_err_set(e, FT_EIO, "host key '%s': no fingerprint",
		    used);
		goto out;
	}
	f = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
	ssh_clean_pubkey_hash(&hash);
	if (f == NULL) {
		rc = ft_err_set(e, FT_ENOMEM, "out of memory");
		goto out;
	}
	snprintf(fp, FT_SSHD_FP_MAX, "%s", f);
	ssh_string_free_char(f);
out:
	ssh_key_free(key);
	return rc;
}
