/*
 * fuzz_routercfg.c - libFuzzer target: Junos configuration text (SPEC 4).
 *
 * The input is a whole configuration file. ft_routercfg_parse must
 * either fail with one message line or give a configuration whose
 * counts and names are within their caps; then the lookups tasking and
 * rule use run on it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "limits.h"
#include "routercfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ft_routercfg cfg;

static int
terminated(const char *s, size_t cap)
{
	return memchr(s, '\0', cap) != NULL;
}

static void
check_cfg(void)
{
	unsigned i;

	if (cfg.nclasses > FT_CFG_CLASSES_MAX ||
	    cfg.nusers > FT_CFG_USERS_MAX || cfg.nifls > FT_CFG_IFLS_MAX ||
	    cfg.nvrfs > FT_CFG_VRFS_MAX ||
	    !terminated(cfg.flowtap_ifl, sizeof(cfg.flowtap_ifl)))
		abort();
	if (cfg.connection_limit < 1 ||
	    cfg.connection_limit > FT_CFG_SSH_LIMIT_MAX ||
	    cfg.rate_limit < 1 || cfg.rate_limit > FT_CFG_SSH_LIMIT_MAX)
		abort();
	for (i = 0; i < cfg.nclasses; i++)
		if (!terminated(cfg.classes[i].name,
		    sizeof(cfg.classes[i].name)))
			abort();
	for (i = 0; i < cfg.nusers; i++) {
		if (!terminated(cfg.users[i].name,
		    sizeof(cfg.users[i].name)) ||
		    !terminated(cfg.users[i].class_name,
		    sizeof(cfg.users[i].class_name)) ||
		    !terminated(cfg.users[i].crypt,
		    sizeof(cfg.users[i].crypt)))
			abort();
		if (ft_routercfg_user(&cfg, cfg.users[i].name) == NULL)
			abort();
		(void)ft_routercfg_perms(&cfg, cfg.users[i].name);
	}
	for (i = 0; i < cfg.nifls; i++) {
		if (!terminated(cfg.ifls[i], sizeof(cfg.ifls[i])))
			abort();
		if (!ft_routercfg_has_ifl(&cfg, cfg.ifls[i],
		    strlen(cfg.ifls[i])))
			abort();
	}
	for (i = 0; i < cfg.nvrfs; i++) {
		if (!terminated(cfg.vrfs[i], sizeof(cfg.vrfs[i])))
			abort();
		if (!ft_routercfg_has_vrf(&cfg, cfg.vrfs[i],
		    strlen(cfg.vrfs[i])))
			abort();
	}
	(void)ft_routercfg_perms(&cfg, "nobody");
	(void)ft_routercfg_has_ifl(&cfg, "ge-0/0/0", 8);
	(void)ft_routercfg_has_vrf(&cfg, "", 0);
	/*
	 * One password check, MD5-crypt only: a fuzzed "$5$rounds=..."
	 * would spend the run inside libcrypt, not in flowtap.
	 */
	if (cfg.nusers > 0 && strncmp(cfg.users[0].crypt, "$1$", 3) == 0)
		(void)ft_routercfg_password_ok(&cfg, cfg.users[0].name,
		    "verint123");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ft_err e;
	int rc;

	memset(&e, 0, sizeof(e));
	rc = ft_routercfg_parse(&cfg, (const char *)data, size, "fuzz.conf",
	    &e);
	if (rc != 0) {
		if (rc > 0 || e.msg[0] == '\0' ||
		    !terminated(e.msg, sizeof(e.msg)) ||
		    strchr(e.msg, '\n') != NULL)
			abort();
		return 0;
	}
	check_cfg();
	return 0;
}
