/*
 * sshc.h - the SSH client side of a mediation device (libssh): connect,
 * check the router's host key against a known_hosts file, authenticate
 * with a password, open a channel and the flow-tap-dtcp subsystem, then
 * move bytes. Used by flowtap client (client.c); no libssh type leaks out.
 */
#ifndef FT_SSHC_H
#define FT_SSHC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

struct ft_sshc_opts {
	const char *host;
	unsigned port;
	/*
	 * The one known_hosts file consulted and updated; NULL: libssh's
	 * defaults (~/.ssh/known_hosts, and /etc/ssh/ssh_known_hosts for
	 * lookups).
	 */
	const char *known_hosts;
	int accept_new;		/* unknown key: record it and go on */
	uint64_t timeout_ns;	/* connect and authentication timeout */
	const char *subsystem;	/* "flow-tap-dtcp" */
	FILE *note;		/* "permanently added" notes, router stderr */
};

/* One SSH connection with its DTCP channel. Opaque. */
struct ft_sshc;

/*
 * Connect to o->host:o->port, check the host key, authenticate as user
 * (password, else keyboard-interactive answering every prompt with the
 * password), open a session channel and request o->subsystem. A host
 * key that differs from the recorded one is always refused; an unknown
 * one is refused unless o->accept_new (then it is recorded and a note
 * with its SHA256 fingerprint goes to o->note). *out is set on success.
 * Returns 0, FT_EIO (connection, host key, authentication or channel
 * failure) or FT_ENOMEM, with e set to one line. The password is not
 * kept.
 */
int ft_sshc_open(const struct ft_sshc_opts *o, const char *user,
    const char *password, struct ft_sshc **out, struct ft_err *e);

/* Write all of buf[0..len) on the channel. 0 or FT_EIO. */
int ft_sshc_send(struct ft_sshc *c, const void *buf, size_t len,
    struct ft_err *e);

/*
 * Wait at most timeout_ns for channel bytes, read up to cap: *got = 0 on
 * timeout. Bytes the router writes on the channel's stderr are copied
 * to o->note, prefixed "router stderr: ". FT_EIO when the channel is at
 * its end or the connection failed.
 */
int ft_sshc_recv(struct ft_sshc *c, void *buf, size_t cap,
    uint64_t timeout_ns, size_t *got, struct ft_err *e);

/* Close the channel and the connection, free c (NULL: no-op). */
void ft_sshc_free(struct ft_sshc *c);

#endif
