/*
 * login.h - who may log in, and with which permissions (SPEC 4, issue
 * 14): the methods of `system authentication-order` in order, RADIUS
 * servers in configuration order, remote users mapped to a local
 * template user as Junos does, and the effective permissions. The live
 * router's SSH password check and replay's @session (with --radius) both
 * come here, so they decide alike.
 *
 * The rules (docs/config.md, "Logins"):
 * - No authentication-order: password only (local users). RADIUS is
 *   asked only when the order lists it and the caller allows it.
 * - radius: each server in turn; an Access-Accept admits; an
 *   Access-Reject (or a Challenge, which is not supported) ends the
 *   radius method; a server that gives no verified reply is skipped for
 *   the next. The next method is tried after a reject and when no server
 *   answered, and only if the order lists one.
 * - password: a configured user whose encrypted-password matches.
 * - A RADIUS user's local account: the user named by
 *   Juniper-Local-User-Name if the server sent one (it must be
 *   configured), else the user of the same name if configured, else the
 *   template user `remote`; without one the login is refused.
 * - Effective permissions: RADIUS' Juniper-User-Permissions bits OR the
 *   class of that local account (the seed's worked example).
 */
#ifndef FT_LOGIN_H
#define FT_LOGIN_H

#include <stddef.h>
#include <stdint.h>

#include "limits.h"
#include "routercfg.h"

/* ft_login_check flags. */
#define FT_LOGIN_RADIUS	0x01	/* RADIUS may be asked (replay: --radius) */

/* The longest reason or trail kept. */
#define FT_LOGIN_TEXT_MAX	768

struct ft_login {
	int admitted;
	enum ft_auth_method method;	/* what admitted; 0 when refused */
	uint64_t perms;			/* effective permission bits */
	uint64_t radius_perms;		/* Juniper-User-Permissions */
	/* The configured user whose class applies ("remote", itself...). */
	char account[FT_NAME_MAX + 1];
	int server;			/* radius: index that answered, or -1 */
	/*
	 * One line for the transcript, never a password or secret:
	 * "radius 127.0.0.1:1812 accepted, account remote, permissions
	 * flow-tap-operation" or the trail of a refusal ("radius
	 * 127.0.0.1:1812: no reply after ...; password: wrong password").
	 */
	char text[FT_LOGIN_TEXT_MAX];
};

/*
 * Decide the login of user with password, from address from (may be
 * NULL; sent as Calling-Station-Id). Fills *out (out->admitted says the
 * verdict). Blocks while RADIUS servers are asked: at most the sum of
 * timeout x retry over the servers (ft_login_wait_max). Never fails: an
 * error is a refusal with its reason.
 */
void ft_login_check(const struct ft_routercfg *cfg, unsigned flags,
    const char *user, const char *password, const char *from,
    struct ft_login *out);

/*
 * An Access-Accept of user from server srv (text for the trail): the
 * local account (local_user = Juniper-Local-User-Name or NULL, else the
 * user itself if configured, else `remote`) and the effective permissions
 * radius_perms | that account's class. Returns 1 (out admitted, method
 * radius) or -1 (no such account: refused, out->text says why).
 */
int ft_login_map(const struct ft_routercfg *cfg, const char *user,
    const char *local_user, uint64_t radius_perms, const char *srv,
    struct ft_login *out);

/* The longest a login can wait for RADIUS, in seconds (0: no radius). */
unsigned ft_login_wait_max(const struct ft_routercfg *cfg);

/* "radius" or "password". */
const char *ft_login_method_name(enum ft_auth_method m);

#endif
