/*
 * sshc.c - the SSH client side of a mediation device, over libssh
 * (docs/client.md): blocking session, host key checked against one
 * known_hosts file, password or keyboard-interactive authentication, a
 * session channel with the flow-tap-dtcp subsystem.
 *
 * OpenSSH's configuration files are not read (SSH_OPTIONS_PROCESS_CONFIG
 * off): what the command line says is what is used.
 */
#include "sshc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libssh/libssh.h>

/* Longest wait in one poll, so the router's stderr is drained meanwhile. */
#define POLL_SLICE_MS	100
/* Rounds of keyboard-interactive questions answered before giving up. */
#define KBDINT_ROUNDS	8

struct ft_sshc {
	ssh_session s;
	ssh_channel ch;
	FILE *note;
	int bol;		/* the router's stderr is at a line start */
	char where[300];	/* "host:port" for messages */
};

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* "host:port", "[v6]:port" as known_hosts and OpenSSH write them. */
static void
format_where(char *out, size_t cap, const char *host, unsigned port)
{
	if (strchr(host, ':') != NULL)
		snprintf(out, cap, "[%s]:%u", host, port);
	else
		snprintf(out, cap, "%s:%u", host, port);
}

/* "SHA256:..." of the server's host key into out, or "unknown". */
static void
fingerprint(ssh_session s, char *out, size_t cap, const char **type)
{
	ssh_key key = NULL;
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *fp;

	snprintf(out, cap, "unknown");
	*type = "unknown";
	if (ssh_get_server_publickey(s, &key) != SSH_OK)
		return;
	*type = ssh_key_type_to_char(ssh_key_type(key));
	if (*type == NULL)
		*type = "unknown";
	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash,
	    &hlen) == 0) {
		fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash,
		    hlen);
		if (fp != NULL) {
			snprintf(out, cap, "%s", fp);
			ssh_string_free_char(fp);
		}
		ssh_clean_pubkey_hash(&hash);
	}
	ssh_key_free(key);
}

/* The known_hosts file libssh uses for this session (for messages). */
static void
known_hosts_path(ssh_session s, const struct ft_sshc_opts *o, char *out,
    size_t cap)
{
	char *p = NULL;

	if (o->known_hosts != NULL) {
		snprintf(out, cap, "%s", o->known_hosts);
		return;
	}
	if (ssh_options_get(s, SSH_OPTIONS_KNOWNHOSTS, &p) == SSH_OK &&
	    p != NULL) {
		snprintf(out, cap, "%s", p);
		ssh_string_free_char(p);
		return;
	}
	snprintf(out, cap, "~/.ssh/known_hosts");
}

static int
check_host_key(struct ft_sshc *c, const struct ft_sshc_opts *o,
    struct ft_err *e)
{
	char fp[128], kh[1024];
	const char *type;
	enum ssh_known_hosts_e st;

	fingerprint(c->s, fp, sizeof(fp), &type);
	known_hosts_path(c->s, o, kh, sizeof(kh));
	st = ssh_session_is_known_server(c->s);
	switch (st) {
	case SSH_KNOWN_HOSTS_OK:
		return 0;
	case SSH_KNOWN_HOSTS_CHANGED:
		return ft_err_set(e, FT_EIO,
		    "host key of '%s' has CHANGED (now %s %s): not "
		    "connecting; someone may be intercepting, or the router "
		    "got a new key: check it, then remove the old entry from "
		    "'%s'", c->where, type, fp, kh);
	case SSH_KNOWN_HOSTS_OTHER:
		return ft_err_set(e, FT_EIO,
		    "host key of '%s' is a %s key (%s) but '%s' records "
		    "another type for it: not connecting; someone may be "
		    "intercepting", c->where, type, fp, kh);
	case SSH_KNOWN_HOSTS_UNKNOWN:
	case SSH_KNOWN_HOSTS_NOT_FOUND:
		if (!o->accept_new)
			return ft_err_set(e, FT_EIO,
			    "unknown host key for '%s' (%s %s), not in '%s': "
			    "not connecting; check the fingerprint with the "
			    "router's administrator, then rerun with "
			    "--accept-new to trust and record it", c->where,
			    type, fp, kh);
		if (ssh_session_update_known_hosts(c->s) != SSH_OK)
			return ft_err_set(e, FT_EIO,
			    "cannot record the host key of '%s' in '%s': %s",
			    c->where, kh, ssh_get_error(c->s));
		if (o->note != NULL)
			fprintf(o->note, "flowtap client: permanently added "
			    "'%s' (%s %s) to '%s'\n", c->where, type, fp, kh);
		return 0;
	case SSH_KNOWN_HOSTS_ERROR:
	default:
		return ft_err_set(e, FT_EIO,
		    "cannot check the host key of '%s' against '%s': %s",
		    c->where, kh, ssh_get_error(c->s));
	}
}

static int
kbdint(ssh_session s, const char *password)
{
	int rc, i, n, round;

	rc = ssh_userauth_kbdint(s, NULL, NULL);
	for (round = 0; rc == SSH_AUTH_INFO && round < KBDINT_ROUNDS;
	    round++) {
		n = ssh_userauth_kbdint_getnprompts(s);
		for (i = 0; i < n; i++)
			if (ssh_userauth_kbdint_setanswer(s, (unsigned)i,
			    password) < 0)
				return SSH_AUTH_ERROR;
		rc = ssh_userauth_kbdint(s, NULL, NULL);
	}
	return rc;
}

static int
authenticate(struct ft_sshc *c, const char *user, const char *password,
    struct ft_err *e)
{
	int rc, methods;

	rc = ssh_userauth_none(c->s, NULL);
	if (rc == SSH_AUTH_SUCCESS)
		return 0;
	if (rc == SSH_AUTH_ERROR)
		return ft_err_set(e, FT_EIO, "authentication at '%s' failed: "
		    "%s", c->where, ssh_get_error(c->s));
	methods = ssh_userauth_list(c->s, NULL);
	if (methods & SSH_AUTH_METHOD_PASSWORD)
		rc = ssh_userauth_password(c->s, NULL, password);
	else if (methods & SSH_AUTH_METHOD_INTERACTIVE)
		rc = kbdint(c->s, password);
	else
		return ft_err_set(e, FT_EIO,
		    "'%s' offers neither password nor keyboard-interactive "
		    "authentication", c->where);
	if (rc == SSH_AUTH_SUCCESS)
		return 0;
	if (rc == SSH_AUTH_ERROR)
		return ft_err_set(e, FT_EIO, "authentication at '%s' failed: "
		    "%s", c->where, ssh_get_error(c->s));
	return ft_err_set(e, FT_EIO, "authentication failed for user '%s' "
	    "at '%s' (wrong password, or not a login user)", user, c->where);
}

int
ft_sshc_open(const struct ft_sshc_opts *o, const char *user,
    const char *password, struct ft_sshc **out, struct ft_err *e)
{
	struct ft_sshc *c;
	unsigned int port = o->port;
	long sec = (long)(o->timeout_ns / 1000000000u);
	long usec = (long)(o->timeout_ns % 1000000000u / 1000u);
	bool no = false;
	int rc;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return ft_err_set(e, FT_ENOMEM, "out of memory");
	c->note = o->note;
	c->bol = 1;
	format_where(c->where, sizeof(c->where), o->host, o->port);
	if ((c->s = ssh_new()) == NULL) {
		free(c);
		return ft_err_set(e, FT_ENOMEM, "out of memory (ssh_new)");
	}
	if (ssh_options_set(c->s, SSH_OPTIONS_PROCESS_CONFIG, &no) < 0 ||
	    ssh_options_set(c->s, SSH_OPTIONS_HOST, o->host) < 0 ||
	    ssh_options_set(c->s, SSH_OPTIONS_PORT, &port) < 0 ||
	    ssh_options_set(c->s, SSH_OPTIONS_USER, user) < 0 ||
	    ssh_options_set(c->s, SSH_OPTIONS_TIMEOUT, &sec) < 0 ||
	    ssh_options_set(c->s, SSH_OPTIONS_TIMEOUT_USEC, &usec) < 0 ||
	    (o->known_hosts != NULL && (ssh_options_set(c->s,
	    SSH_OPTIONS_KNOWNHOSTS, o->known_hosts) < 0 ||
	    ssh_options_set(c->s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS,
	    o->known_hosts) < 0))) {
		rc = ft_err_set(e, FT_EIO, "cannot set up the connection to "
		    "'%s': %s", c->where, ssh_get_error(c->s));
		goto fail;
	}
	if (ssh_connect(c->s) != SSH_OK) {
		rc = ft_err_set(e, FT_EIO, "cannot connect to '%s': %s",
		    c->where, ssh_get_error(c->s));
		goto fail;
	}
	if ((rc = check_host_key(c, o, e)) != 0 ||
	    (rc = authenticate(c, user, password, e)) != 0)
		goto fail;
	if ((c->ch = ssh_channel_new(c->s)) == NULL ||
	    ssh_channel_open_session(c->ch) != SSH_OK) {
		rc = ft_err_set(e, FT_EIO, "cannot open a channel at '%s': "
		    "%s", c->where, ssh_get_error(c->s));
		goto fail;
	}
	if (ssh_channel_request_subsystem(c->ch, o->subsystem) != SSH_OK) {
		rc = ft_err_set(e, FT_EIO, "'%s' refused the subsystem '%s' "
		    "for user '%s' (a login class without flow-tap-operation? "
		    "%s)", c->where, o->subsystem, user, ssh_get_error(c->s));
		goto fail;
	}
	*out = c;
	return 0;
fail:
	ft_sshc_free(c);
	return rc;
}

int
ft_sshc_send(struct ft_sshc *c, const void *buf, size_t len,
    struct ft_err *e)
{
	const char *p = buf;
	int n;

	while (len > 0) {
		uint32_t chunk = len > 65536 ? 65536 : (uint32_t)len;

		n = ssh_channel_write(c->ch, p, chunk);
		if (n == SSH_ERROR || n <= 0)
			return ft_err_set(e, FT_EIO, "cannot write to '%s': %s",
			    c->where, ssh_channel_is_closed(c->ch) ?
			    "the router closed the channel" :
			    ssh_get_error(c->s));
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Copy what the router wrote on stderr to the note stream, each line
 * prefixed, bytes other than printable ASCII, tab and LF as \xHH (no
 * terminal escapes from the router).
 */
static void
drain_stderr(struct ft_sshc *c)
{
	unsigned char buf[1024];
	int n, i;

	while (ssh_channel_poll(c->ch, 1) > 0) {
		n = ssh_channel_read_nonblocking(c->ch, buf, sizeof(buf), 1);
		if (n <= 0)
			break;
		if (c->note == NULL)
			continue;
		for (i = 0; i < n; i++) {
			if (c->bol) {
				fputs("router stderr: ", c->note);
				c->bol = 0;
			}
			if (buf[i] == '\n') {
				fputc('\n', c->note);
				c->bol = 1;
			} else if (buf[i] == '\t' ||
			    (buf[i] >= 0x20 && buf[i] < 0x7f))
				fputc(buf[i], c->note);
			else
				fprintf(c->note, "\\x%02x", buf[i]);
		}
		fflush(c->note);
	}
}

int
ft_sshc_recv(struct ft_sshc *c, void *buf, size_t cap, uint64_t timeout_ns,
    size_t *got, struct ft_err *e)
{
	uint64_t deadline = mono_ns() + timeout_ns, now;
	int n, ms;

	*got = 0;
	for (;;) {
		drain_stderr(c);
		now = mono_ns();
		ms = now >= deadline ? 0 :
		    (deadline - now) / 1000000u >= POLL_SLICE_MS ?
		    POLL_SLICE_MS : (int)((deadline - now + 999999u) /
		    1000000u);
		n = ssh_channel_poll_timeout(c->ch, ms, 0);
		if (n == SSH_EOF)
			return ft_err_set(e, FT_EIO,
			    "the router closed the channel");
		if (n == SSH_ERROR || n < 0)
			return ft_err_set(e, FT_EIO, "connection to '%s' "
			    "failed: %s", c->where, ssh_get_error(c->s));
		if (n > 0) {
			n = ssh_channel_read_nonblocking(c->ch, buf,
			    cap > (size_t)n ? (uint32_t)n : (uint32_t)cap, 0);
			if (n == SSH_EOF)
				return ft_err_set(e, FT_EIO,
				    "the router closed the channel");
			if (n < 0)
				return ft_err_set(e, FT_EIO, "connection to "
				    "'%s' failed: %s", c->where,
				    ssh_get_error(c->s));
			if (n > 0) {
				drain_stderr(c);
				*got = (size_t)n;
				return 0;
			}
		}
		if (mono_ns() >= deadline)
			return 0;
	}
}

void
ft_sshc_free(struct ft_sshc *c)
{
	if (c == NULL)
		return;
	if (!c->bol && c->note != NULL)
		fputc('\n', c->note);
	if (c->ch != NULL) {
		if (ssh_channel_is_open(c->ch)) {
			ssh_channel_send_eof(c->ch);
			ssh_channel_close(c->ch);
		}
		ssh_channel_free(c->ch);
	}
	if (c->s != NULL) {
		if (ssh_is_connected(c->s))
			ssh_disconnect(c->s);
		ssh_free(c->s);
	}
	free(c);
}
