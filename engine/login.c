/*
 * login.c - authentication-order, RADIUS mapping and effective
 * permissions (login.h).
 */
#include "login.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "radius.h"

/* Append a formatted piece to the trail, "; " between pieces. */
static void trail(struct ft_login *out, const char *fmt, ...)
    FT_PRINTF(2, 3);

static void
trail(struct ft_login *out, const char *fmt, ...)
{
	size_t off = strlen(out->text);
	va_list ap;

	if (off > 0 && off + 2 < sizeof(out->text)) {
		memcpy(out->text + off, "; ", 3);
		off += 2;
	}
	if (off + 1 >= sizeof(out->text))
		return;
	va_start(ap, fmt);
	vsnprintf(out->text + off, sizeof(out->text) - off, fmt, ap);
	va_end(ap);
}

const char *
ft_login_method_name(enum ft_auth_method m)
{
	return m == FT_AUTH_RADIUS ? "radius" : "password";
}

unsigned
ft_login_wait_max(const struct ft_routercfg *cfg)
{
	unsigned i, s = 0;

	if (!ft_routercfg_auth_has(cfg, FT_AUTH_RADIUS))
		return 0;
	for (i = 0; i < cfg->nradius; i++)
		s += cfg->radius[i].timeout_s * cfg->radius[i].retry;
	return s;
}

/* "addr:port", IPv6 in brackets. */
static void
server_name(const struct ft_cfg_radius *r, char *buf, size_t cap)
{
	if (strchr(r->addr, ':') != NULL)
		snprintf(buf, cap, "[%s]:%u", r->addr, r->port);
	else
		snprintf(buf, cap, "%s:%u", r->addr, r->port);
}

int
ft_login_map(const struct ft_routercfg *cfg, const char *user,
    const char *local_user, uint64_t radius_perms, const char *srv,
    struct ft_login *out)
{
	const char *acct;
	char perms[FT_LOGIN_TEXT_MAX / 2];

	if (local_user != NULL && local_user[0] != '\0') {
		acct = local_user;
		if (ft_routercfg_user(cfg, acct) == NULL) {
			trail(out, "radius %s accepted, but its "
			    "Juniper-Local-User-Name '%s' is not a configured "
			    "user", srv, acct);
			return -1;
		}
	} else if (ft_routercfg_user(cfg, user) != NULL)
		acct = user;
	else if (ft_routercfg_user(cfg, "remote") != NULL)
		acct = "remote";
	else {
		trail(out, "radius %s accepted, but there is no local user "
		    "'%s' and no template user 'remote'", srv, user);
		return -1;
	}
	snprintf(out->account, sizeof(out->account), "%s", acct);
	out->radius_perms = radius_perms;
	out->perms = radius_perms | ft_routercfg_perms(cfg, acct);
	out->method = FT_AUTH_RADIUS;
	out->admitted = 1;
	ft_routercfg_perms_text(out->perms, perms, sizeof(perms));
	trail(out, "radius %s accepted, account %s, permissions [%s]", srv,
	    acct, perms);
	return 1;
}

/*
 * The radius method: 1 admitted, 0 rejected or unreachable (the next
 * method may be tried), -1 accepted but not mapped (refused).
 */
static int
try_radius(const struct ft_routercfg *cfg, const char *user,
    const char *password, const char *from, struct ft_login *out)
{
	struct ft_radius_req rq;
	struct ft_radius_reply rep;
	struct ft_err e;
	uint8_t ip4[4];
	char srv[FT_CFG_ADDR_MAX + 16];
	unsigned i;

	for (i = 0; i < cfg->nradius; i++) {
		const struct ft_cfg_radius *r = &cfg->radius[i];

		server_name(r, srv, sizeof(srv));
		memset(&rq, 0, sizeof(rq));
		rq.user = user;
		rq.password = password;
		rq.nas_id = cfg->host_name[0] != '\0' ? cfg->host_name :
		    "flowtap";
		rq.calling = from;
		if (r->source[0] != '\0' &&
		    inet_pton(AF_INET, r->source, ip4) == 1)
			rq.nas_ip4 = ip4;
		if (ft_radius_ask(r, &rq, &rep, &e) != 0) {
			trail(out, "radius %s: %s", srv, e.msg);
			continue;
		}
		out->server = (int)i;
		if (rep.code == FT_RADIUS_ACCESS_ACCEPT)
			return ft_login_map(cfg, user, rep.local_user,
			    rep.perms, srv, out);
		if (rep.code == FT_RADIUS_ACCESS_CHALLENGE)
			trail(out, "radius %s sent an Access-Challenge (not "
			    "supported)", srv);
		else
			trail(out, "radius %s rejected", srv);
		/* An answer is final for this method. */
		return 0;
	}
	return 0;
}

static int
try_password(const struct ft_routercfg *cfg, const char *user,
    const char *password, struct ft_login *out)
{
	const struct ft_cfg_user *u = ft_routercfg_user(cfg, user);
	char perms[FT_LOGIN_TEXT_MAX / 2];

	if (u == NULL) {
		trail(out, "password: no local user '%s'", user);
		return 0;
	}
	if (u->crypt[0] == '\0') {
		trail(out, "password: user '%s' has no local password", user);
		return 0;
	}
	if (!ft_routercfg_password_ok(cfg, user, password)) {
		trail(out, "password: wrong password");
		return 0;
	}
	snprintf(out->account, sizeof(out->account), "%s", user);
	out->perms = ft_routercfg_perms(cfg, user);
	out->method = FT_AUTH_PASSWORD;
	out->admitted = 1;
	ft_routercfg_perms_text(out->perms, perms, sizeof(perms));
	trail(out, "password accepted, permissions [%s]", perms);
	return 1;
}

void
ft_login_check(const struct ft_routercfg *cfg, unsigned flags,
    const char *user, const char *password, const char *from,
    struct ft_login *out)
{
	static const enum ft_auth_method dflt[] = { FT_AUTH_PASSWORD };
	const enum ft_auth_method *order = dflt;
	unsigned i, n = 1;
	int rc;

	memset(out, 0, sizeof(*out));
	out->server = -1;
	if (user == NULL || user[0] == '\0' || strlen(user) > FT_NAME_MAX ||
	    password == NULL) {
		trail(out, "no usable user name or password");
		return;
	}
	if (cfg->nauth > 0) {
		order = cfg->auth_order;
		n = cfg->nauth;
	}
	for (i = 0; i < n; i++) {
		if (order[i] == FT_AUTH_RADIUS) {
			if (!(flags & FT_LOGIN_RADIUS)) {
				trail(out, "radius: not asked");
				continue;
			}
			rc = try_radius(cfg, user, password, from, out);
			if (rc != 0)
				return;
		} else if (try_password(cfg, user, password, out))
			return;
	}
}
