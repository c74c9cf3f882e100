/*
 * routercfg.h - the Junos configuration subset flowtap reads (SPEC 4):
 * login classes and users, the authentication-order and RADIUS servers
 * (issue 14), flow-tap-dtcp ssh limits, the flow-tap interface and its
 * families, declared interfaces and VRFs, and the commit checks.
 */
#ifndef FT_ROUTERCFG_H
#define FT_ROUTERCFG_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "limits.h"

/*
 * Login permission bits (Junos' permission flags, one bit each; the
 * names are in routercfg.c). The three of flow-tap come first; only
 * flow-tap-operation opens the DTCP subsystem (SPEC 2). Permissions from
 * RADIUS (Juniper-User-Permissions) use the same bits.
 */
#define FT_PERM_FLOW_TAP		(1ULL << 0)	/* view */
#define FT_PERM_FLOW_TAP_CONTROL	(1ULL << 1)	/* modify config */
#define FT_PERM_FLOW_TAP_OPERATION	(1ULL << 2)	/* tap flows (DTCP) */

/* Methods of `system authentication-order` (Junos). */
enum ft_auth_method {
	FT_AUTH_PASSWORD = 1,	/* local users' encrypted-password */
	FT_AUTH_RADIUS,		/* system radius-server, in order */
};

struct ft_cfg_class {
	char name[FT_NAME_MAX + 1];
	uint64_t perms;
};

struct ft_cfg_user {
	char name[FT_NAME_MAX + 1];
	char class_name[FT_NAME_MAX + 1];
	char crypt[128];		/* "$1$salt$hash" as configured */
	uint32_t uid;
};

/*
 * One `system radius-server ADDRESS` (Junos): the secret is kept in
 * clear here (ft_routercfg_wipe clears it) and never logged.
 */
struct ft_cfg_radius {
	char addr[FT_CFG_ADDR_MAX];	/* numeric IPv4 or IPv6 */
	unsigned port;			/* default 1812 */
	char secret[FT_RADIUS_SECRET_MAX + 1];
	size_t secret_len;
	unsigned timeout_s;		/* per attempt, default 3 */
	unsigned retry;			/* attempts, default 3 */
	char source[FT_CFG_ADDR_MAX];	/* source-address, or "" */
	unsigned line;			/* where it is configured */
};

struct ft_routercfg {
	struct ft_cfg_class classes[FT_CFG_CLASSES_MAX];
	unsigned nclasses;
	struct ft_cfg_user users[FT_CFG_USERS_MAX];
	unsigned nusers;

	unsigned connection_limit;	/* default 75 */
	unsigned rate_limit;		/* per minute, default 150 */
	int dtcp_service;		/* system services flow-tap-dtcp present */

	char flowtap_ifl[FT_NAME_MAX + 1];	/* "sp-0/2/0.100" */
	int flowtap_lite;			/* tunnel-interface used */
	int family_inet;	/* the flow-tap unit has family inet */
	int family_inet6;	/* ... family inet6 */

	char ifls[FT_CFG_IFLS_MAX][FT_NAME_MAX + 1];	/* "ge-0/0/0.0" */
	unsigned nifls;
	char vrfs[FT_CFG_VRFS_MAX][FT_NAME_MAX + 1];	/* routing-instances */
	unsigned nvrfs;
	/*
	 * `routing-instances R interface IFL`: the interface units placed
	 * in a VRF ("ge-0/0/1.0", unit 0 implied) and the VRF's 1-based id.
	 */
	char ri_ifl[FT_CFG_IFLS_MAX][FT_NAME_MAX + 1];
	uint16_t ri_vrf[FT_CFG_IFLS_MAX];
	unsigned nri;

	/*
	 * `system authentication-order [ ... ]`: the methods in order; none
	 * configured means password only (Junos' default).
	 */
	enum ft_auth_method auth_order[FT_CFG_AUTH_METHODS_MAX];
	unsigned nauth;
	/* `system radius-server ADDRESS { ... }`, in configuration order. */
	struct ft_cfg_radius radius[FT_CFG_RADIUS_MAX];
	unsigned nradius;
	char host_name[FT_NAME_MAX + 1];	/* system host-name, or "" */
};

/*
 * Parse configuration text (name is used in messages). Runs the commit
 * checks of SPEC 4. Returns 0, or FT_EINVAL / FT_ELIMIT with e set to a
 * one-line message naming "name:line" and the statement.
 */
int ft_routercfg_parse(struct ft_routercfg *cfg, const char *text,
    size_t len, const char *name, struct ft_err *e);

/* Read and parse a file. FT_EIO if unreadable. */
int ft_routercfg_load(struct ft_routercfg *cfg, const char *path,
    struct ft_err *e);

/* The seed guide's example configuration, as text (fixtures/seed-router.conf). */
extern const char ft_routercfg_seed_text[];

/* Parse the built-in seed configuration into cfg. */
int ft_routercfg_default(struct ft_routercfg *cfg);

/* The configured user, or NULL. */
const struct ft_cfg_user *ft_routercfg_user(const struct ft_routercfg *cfg,
    const char *name);

/* Permission bits of a user (through its class), 0 for an unknown user. */
uint64_t ft_routercfg_perms(const struct ft_routercfg *cfg, const char *user);

/*
 * Permission bits named in text[0..len): words separated by spaces or
 * tabs, as RADIUS' Juniper-User-Permissions carries them ("flow-tap-
 * operation configure"). Unknown words are ignored, as Junos does.
 */
uint64_t ft_routercfg_perms_parse(const char *text, size_t len);

/*
 * The names of the bits set in perms, space-separated in table order,
 * into buf (NUL-terminated, cut at cap). Returns buf.
 */
char *ft_routercfg_perms_text(uint64_t perms, char *buf, size_t cap);

/* 1 when the authentication-order lists method m (password by default). */
int ft_routercfg_auth_has(const struct ft_routercfg *cfg,
    enum ft_auth_method m);

/* Clear the RADIUS secrets held in cfg (explicit_bzero). */
void ft_routercfg_wipe(struct ft_routercfg *cfg);

/*
 * Check a password against the user's MD5-crypt hash (libcrypt).
 * Returns 1 when it matches, 0 otherwise (unknown user included).
 */
int ft_routercfg_password_ok(const struct ft_routercfg *cfg,
    const char *user, const char *password);

/*
 * The 1-based id of a declared interface unit (name with ".unit", unit
 * 0 implied), or 0 when it is not declared.
 */
int ft_routercfg_has_ifl(const struct ft_routercfg *cfg, const char *name,
    size_t len);

/* The 1-based id of a declared routing-instance, or 0. */
int ft_routercfg_has_vrf(const struct ft_routercfg *cfg, const char *name,
    size_t len);

/*
 * The scope of packets that arrive on interface `name` (NUL-terminated,
 * NULL when unknown; SPEC 6): *ifl = its interface id, *vrf = the id of
 * the routing-instance it belongs to; 0 for what is unknown or not
 * declared.
 */
void ft_routercfg_scope(const struct ft_routercfg *cfg, const char *name,
    uint16_t *ifl, uint16_t *vrf);

#endif
