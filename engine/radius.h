/*
 * radius.h - the RADIUS client of logins (issue 14): PAP Access-Requests
 * (RFC 2865) carrying Message-Authenticator as their first attribute
 * (RFC 3579 3.2, as draft-ietf-radext-deprecating-radius asks since
 * BlastRADIUS), replies checked before anything in them is believed
 * (Identifier, Response Authenticator, Message-Authenticator when
 * present), Juniper's vendor attributes read (vendor 2636:
 * Juniper-Local-User-Name = 1, Juniper-User-Permissions = 10), time-outs
 * and retries per server (Junos' `radius-server ... timeout N; retry N`).
 *
 * Why a client of flowtap's own and not a library: see docs/config.md
 * ("RADIUS client"). In short, Debian 12 ships radcli 1.2.11 as its only
 * RADIUS client library, and it sends no Message-Authenticator with PAP
 * and accepts an Access-Accept whose Response Authenticator does not
 * verify. The crypto is OpenSSL's (MD5, HMAC-MD5).
 *
 * The encode and decode halves are pure (no I/O, the random bytes given)
 * for the unit tests; ft_radius_ask is the blocking exchange with one
 * server. Secrets and passwords are never logged and are wiped from
 * every buffer that held them.
 */
#ifndef FT_RADIUS_H
#define FT_RADIUS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "limits.h"
#include "routercfg.h"

/* RADIUS codes (RFC 2865 3). */
#define FT_RADIUS_ACCESS_REQUEST	1
#define FT_RADIUS_ACCESS_ACCEPT		2
#define FT_RADIUS_ACCESS_REJECT		3
#define FT_RADIUS_ACCESS_CHALLENGE	11

/* Juniper's vendor id and the two attributes read (dictionary.juniper). */
#define FT_RADIUS_VENDOR_JUNIPER	2636
#define FT_RADIUS_JUNIPER_LOCAL_USER	1
#define FT_RADIUS_JUNIPER_PERMISSIONS	10

/* What an Access-Request carries besides the shared secret. */
struct ft_radius_req {
	const char *user;	/* User-Name, 1..253 bytes */
	const char *password;	/* User-Password, hidden (RFC 2865 5.2) */
	const char *nas_id;	/* NAS-Identifier, or NULL */
	const char *calling;	/* Calling-Station-Id (peer address), or NULL */
	const uint8_t *nas_ip4;	/* NAS-IP-Address (4 bytes), or NULL */
};

/* A verified reply. */
struct ft_radius_reply {
	int code;		/* FT_RADIUS_ACCESS_ACCEPT / _REJECT / _CHALLENGE */
	uint64_t perms;		/* Juniper-User-Permissions bits (OR of all) */
	int have_perms;		/* the attribute was present */
	/* Juniper-Local-User-Name, or "" (absent, or not a usable name). */
	char local_user[FT_NAME_MAX + 1];
	int had_ma;		/* the reply carried a Message-Authenticator */
};

/*
 * Build an Access-Request with identifier id and Request Authenticator
 * ra into buf[cap]: Message-Authenticator (computed last), User-Name,
 * User-Password, NAS-Identifier, NAS-IP-Address, NAS-Port-Type Virtual,
 * Calling-Station-Id. Returns 0 and *len, or FT_EINVAL (empty or
 * over-long user, password over FT_RADIUS_PASSWORD_MAX) / FT_ELIMIT
 * (does not fit) with e set. The password is hidden in buf, never copied
 * elsewhere.
 */
int ft_radius_encode(uint8_t *buf, size_t cap, uint8_t id,
    const uint8_t ra[16], const char *secret, size_t secret_len,
    const struct ft_radius_req *rq, size_t *len, struct ft_err *e);

/*
 * Check and read pkt[0..len), a reply to the request (id, ra). Returns 0
 * with *r filled, or:
 *   FT_ENOENT  not a reply to this request (other identifier): ignore it;
 *   FT_EFORMAT malformed (short, bad length, bad attribute, unknown code);
 *   FT_EINVAL  its Response Authenticator or Message-Authenticator does
 *              not verify with the secret (a wrong shared secret, or a
 *              forgery): never believed.
 * e says which.
 */
int ft_radius_decode(const uint8_t *pkt, size_t len, uint8_t id,
    const uint8_t ra[16], const char *secret, size_t secret_len,
    struct ft_radius_reply *r, struct ft_err *e);

/*
 * Ask one server: send the request, wait srv->timeout_s seconds for a
 * verified reply, send it again (same identifier and authenticator, RFC
 * 5080 2.2.1) up to srv->retry attempts in all. A reply that does not
 * verify is ignored (and remembered for the reason); a port reported
 * unreachable (ICMP) ends the attempts at once. Blocks at most
 * timeout_s x retry seconds. Returns 0 with *r (an accept, a reject or a
 * challenge), or FT_EIO with e saying why there is none ("no reply after
 * 3 attempts of 3 s", "port unreachable", "replies did not verify: wrong
 * shared secret?"...).
 */
int ft_radius_ask(const struct ft_cfg_radius *srv,
    const struct ft_radius_req *rq, struct ft_radius_reply *r,
    struct ft_err *e);

#endif
