/*
 * routercfg.h - the Junos configuration subset flowtap reads (SPEC 4):
 * login classes and users, flow-tap-dtcp ssh limits, the flow-tap
 * interface and its families, declared interfaces and VRFs, and the
 * commit checks.
 */
#ifndef FT_ROUTERCFG_H
#define FT_ROUTERCFG_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "limits.h"

/* Login class permission bits that matter to flow-tap. */
#define FT_PERM_FLOW_TAP		0x01	/* view */
#define FT_PERM_FLOW_TAP_CONTROL	0x02	/* modify config */
#define FT_PERM_FLOW_TAP_OPERATION	0x04	/* tap flows (DTCP) */

struct ft_cfg_class {
	char name[FT_NAME_MAX + 1];
	unsigned perms;
};

struct ft_cfg_user {
	char name[FT_NAME_MAX + 1];
	char class_name[FT_NAME_MAX + 1];
	char crypt[128];		/* "$1$salt$hash" as configured */
	uint32_t uid;
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
unsigned ft_routercfg_perms(const struct ft_routercfg *cfg, const char *user);

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
