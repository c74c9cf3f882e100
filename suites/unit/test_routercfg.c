/*
 * test_routercfg.c - the Junos configuration subset (SPEC 4).
 *
 * Expected values come from the seed guide's example configuration,
 * SPEC 4, the J-SSH defaults and ranges (reference/dtcp-facts.md), and
 * for the password from `openssl passwd -1 -salt cUeV8XKs verint123`,
 * which prints $1$cUeV8XKs$28nf0JiRoDeYdE71j4/9q. (the seed's hash).
 * Line numbers are those of the test texts below.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "routercfg.h"

static struct ft_routercfg cfg;
static struct ft_err err;
static char ptext[512];

/* The three flow-tap permission bits. */
#define FT_PERMS_FT (FT_PERM_FLOW_TAP | FT_PERM_FLOW_TAP_CONTROL | \
	FT_PERM_FLOW_TAP_OPERATION)

/* The smallest configuration that passes the commit checks. */
#define FT_LINES \
	"services {\n" \
	"    flow-tap {\n" \
	"        interface sp-0/2/0.100;\n" \
	"    }\n" \
	"}\n" \
	"interfaces {\n" \
	"    sp-0/2/0 {\n" \
	"        unit 100 {\n" \
	"            family inet;\n" \
	"        }\n" \
	"    }\n" \
	"}\n"

static int
parse(const char *text)
{
	memset(&err, 0, sizeof(err));
	return ft_routercfg_parse(&cfg, text, strlen(text), "router.conf",
	    &err);
}

/* Parse must fail with code and exactly the message msg. */
static void
refuse(const char *text, int code, const char *msg)
{
	int rc = parse(text);

	if (rc != code || strcmp(err.msg, msg) != 0)
		print_error("got %d '%s', want %d '%s'\n", rc, err.msg, code,
		    msg);
	assert_int_equal(rc, code);
	assert_string_equal(err.msg, msg);
	/* Nothing half-parsed is left behind. */
	assert_int_equal(cfg.nusers, 0);
	assert_int_equal(cfg.nifls, 0);
}

/* Parse must fail with code, a message starting with pfx. */
static void
refuse_prefix(const char *text, int code, const char *pfx)
{
	int rc = parse(text);

	if (rc != code || strncmp(err.msg, pfx, strlen(pfx)) != 0)
		print_error("got %d '%s', want %d '%s...'\n", rc, err.msg,
		    code, pfx);
	assert_int_equal(rc, code);
	assert_memory_equal(err.msg, pfx, strlen(pfx));
}

static void
accept(const char *text)
{
	int rc = parse(text);

	if (rc != 0)
		print_error("unexpected error: %s\n", err.msg);
	assert_int_equal(rc, 0);
}

/* ------------------------------------------------------------------ */
/* The seed's configuration */

static void
check_seed(void)
{
	const struct ft_cfg_user *u;

	assert_int_equal(cfg.nusers, 1);
	u = ft_routercfg_user(&cfg, "verint");
	assert_non_null(u);
	assert_string_equal(u->name, "verint");
	assert_string_equal(u->class_name, "VERINT");
	assert_int_equal(u->uid, 2008);
	assert_string_equal(u->crypt, "$1$cUeV8XKs$28nf0JiRoDeYdE71j4/9q.");
	assert_int_equal(cfg.nclasses, 1);
	assert_string_equal(cfg.classes[0].name, "VERINT");
	assert_int_equal(cfg.classes[0].perms, FT_PERM_FLOW_TAP_OPERATION);
	assert_int_equal(ft_routercfg_perms(&cfg, "verint"),
	    FT_PERM_FLOW_TAP_OPERATION);
	assert_int_equal(cfg.connection_limit, 5);
	assert_int_equal(cfg.rate_limit, 5);
	assert_int_equal(cfg.dtcp_service, 1);
	assert_string_equal(cfg.flowtap_ifl, "sp-0/2/0.100");
	assert_int_equal(cfg.flowtap_lite, 0);
	assert_int_equal(cfg.family_inet, 1);
	assert_int_equal(cfg.family_inet6, 1);
	assert_int_equal(cfg.nifls, 1);
	assert_true(ft_routercfg_has_ifl(&cfg, "sp-0/2/0.100", 12));
	assert_int_equal(cfg.nvrfs, 0);
}

static void
test_routercfg_default_is_seed(void **state)
{
	(void)state;
	assert_int_equal(ft_routercfg_default(&cfg), 0);
	check_seed();
}

static void
test_routercfg_seed_text_parses(void **state)
{
	(void)state;
	assert_non_null(strstr(ft_routercfg_seed_text, "built-in default"));
	accept(ft_routercfg_seed_text);
	check_seed();
}

static void
test_routercfg_password_seed(void **state)
{
	(void)state;
	assert_int_equal(ft_routercfg_default(&cfg), 0);
	assert_int_equal(ft_routercfg_password_ok(&cfg, "verint",
	    "verint123"), 1);
	assert_int_equal(ft_routercfg_password_ok(&cfg, "verint",
	    "verint124"), 0);
	assert_int_equal(ft_routercfg_password_ok(&cfg, "verint", ""), 0);
	assert_int_equal(ft_routercfg_password_ok(&cfg, "verint", NULL), 0);
	assert_int_equal(ft_routercfg_password_ok(&cfg, "Verint",
	    "verint123"), 0);
	assert_int_equal(ft_routercfg_password_ok(&cfg, "bob", "verint123"),
	    0);
}

static void
test_routercfg_password_none_configured(void **state)
{
	(void)state;
	accept("system login user bob class operator;\n" FT_LINES);
	assert_non_null(ft_routercfg_user(&cfg, "bob"));
	assert_int_equal(ft_routercfg_password_ok(&cfg, "bob", ""), 0);
	assert_int_equal(ft_routercfg_password_ok(&cfg, "bob", "x"), 0);
}

static void
test_routercfg_password_not_md5(void **state)
{
	(void)state;
	refuse("system {\n"
	    "    login {\n"
	    "        user bob {\n"
	    "            class operator;\n"
	    "            authentication {\n"
	    "                encrypted-password \"$6$abc$def\";\n"
	    "            }\n"
	    "        }\n"
	    "    }\n"
	    "}\n" FT_LINES, FT_EINVAL,
	    "router.conf:6: user 'bob': only MD5-crypt ($1$salt$hash) "
	    "encrypted-password is supported");
	/* The right prefix, but a hash of the wrong length. */
	refuse_prefix("system login user bob authentication "
	    "encrypted-password \"$1$cUeV8XKs$28nf0JiRoDeYdE71j4/9q\";\n",
	    FT_EINVAL, "router.conf:1: user 'bob': only MD5-crypt");
}

/* ------------------------------------------------------------------ */
/* Families and defaults */

static void
test_routercfg_without_inet6(void **state)
{
	(void)state;
	accept(FT_LINES);
	assert_int_equal(cfg.family_inet, 1);
	assert_int_equal(cfg.family_inet6, 0);
}

static void
test_routercfg_inet6_only(void **state)
{
	(void)state;
	accept("services flow-tap interface sp-1/0/0.7;\n"
	    "interfaces sp-1/0/0 unit 7 family inet6;\n");
	assert_int_equal(cfg.family_inet, 0);
	assert_int_equal(cfg.family_inet6, 1);
}

static void
test_routercfg_family_other_unit(void **state)
{
	(void)state;
	/* inet6 on another unit of the same PIC does not count. */
	accept(FT_LINES
	    "interfaces sp-0/2/0 unit 101 family inet6;\n");
	assert_int_equal(cfg.family_inet6, 0);
	assert_true(ft_routercfg_has_ifl(&cfg, "sp-0/2/0.101", 12));
}

static void
test_routercfg_ssh_defaults(void **state)
{
	(void)state;
	accept(FT_LINES);
	assert_int_equal(cfg.connection_limit, 75);
	assert_int_equal(cfg.rate_limit, 150);
	assert_int_equal(cfg.dtcp_service, 0);
	accept("system { services { flow-tap-dtcp; } }\n" FT_LINES);
	assert_int_equal(cfg.dtcp_service, 1);
	assert_int_equal(cfg.connection_limit, 75);
	assert_int_equal(cfg.rate_limit, 150);
	accept("system services flow-tap-dtcp ssh rate-limit 250;\n"
	    FT_LINES);
	assert_int_equal(cfg.connection_limit, 75);
	assert_int_equal(cfg.rate_limit, 250);
	accept("system services flow-tap-dtcp ssh connection-limit 1;\n"
	    FT_LINES);
	assert_int_equal(cfg.connection_limit, 1);
	assert_int_equal(cfg.rate_limit, 150);
}

static void
test_routercfg_ssh_limit_range(void **state)
{
	(void)state;
	refuse("system {\n"
	    "    services {\n"
	    "        flow-tap-dtcp {\n"
	    "            ssh {\n"
	    "                connection-limit 0;\n"
	    "            }\n"
	    "        }\n"
	    "    }\n"
	    "}\n" FT_LINES, FT_EINVAL,
	    "router.conf:5: connection-limit 0 out of range 1..250");
	refuse("\n\nsystem services flow-tap-dtcp ssh connection-limit 251;\n",
	    FT_EINVAL,
	    "router.conf:3: connection-limit 251 out of range 1..250");
	refuse("system services flow-tap-dtcp ssh rate-limit 0;\n", FT_EINVAL,
	    "router.conf:1: rate-limit 0 out of range 1..250");
	refuse("system services flow-tap-dtcp ssh rate-limit 251;\n",
	    FT_EINVAL, "router.conf:1: rate-limit 251 out of range 1..250");
	refuse("system services flow-tap-dtcp ssh rate-limit "
	    "99999999999999999999999;\n", FT_EINVAL,
	    "router.conf:1: rate-limit 99999999999999999999999 out of range "
	    "1..250");
}

static void
test_routercfg_bad_number(void **state)
{
	(void)state;
	refuse("system services flow-tap-dtcp ssh connection-limit five;\n",
	    FT_EINVAL,
	    "router.conf:1: connection-limit 'five' is not a number");
	refuse("system services flow-tap-dtcp ssh rate-limit -5;\n",
	    FT_EINVAL, "router.conf:1: rate-limit '-5' is not a number");
	refuse("system services flow-tap-dtcp ssh rate-limit 5 6;\n",
	    FT_EINVAL, "router.conf:1: 'rate-limit' needs one value");
	refuse("system services flow-tap-dtcp ssh rate-limit;\n",
	    FT_EINVAL, "router.conf:1: 'rate-limit' needs one value");
	refuse("system login user bob uid 99;\n", FT_EINVAL,
	    "router.conf:1: uid 99 out of range 100..64000");
	refuse("system login class c idle-timeout x;\n", FT_EINVAL,
	    "router.conf:1: idle-timeout 'x' is not a number");
	refuse("interfaces ge-0/0/0 unit zero;\n", FT_EINVAL,
	    "router.conf:1: interface 'ge-0/0/0' unit 'zero' is not a "
	    "number in 0..1073741823");
}

/* ------------------------------------------------------------------ */
/* Commit checks */

static void
test_routercfg_check_dfc(void **state)
{
	(void)state;
	refuse(FT_LINES
	    "services {\n"
	    "    dynamic-flow-capture {\n"
	    "        g-duplicates-dropped-periodicity 30;\n"
	    "    }\n"
	    "}\n", FT_EINVAL,
	    "router.conf:14: flow-tap and dynamic-flow-capture cannot both "
	    "be configured");
	/* dynamic-flow-capture first: the later flow-tap is named. */
	refuse_prefix("services dynamic-flow-capture;\n" FT_LINES, FT_EINVAL,
	    "router.conf:3: flow-tap and dynamic-flow-capture");
}

static void
test_routercfg_check_syslog(void **state)
{
	(void)state;
	refuse(FT_LINES
	    "firewall {\n"
	    "    family inet {\n"
	    "        filter LOG {\n"
	    "            term t1 {\n"
	    "                from {\n"
	    "                    protocol udp;\n"
	    "                }\n"
	    "                then {\n"
	    "                    count c1;\n"
	    "                    syslog;\n"
	    "                    accept;\n"
	    "                }\n"
	    "            }\n"
	    "        }\n"
	    "    }\n"
	    "}\n", FT_EINVAL,
	    "router.conf:22: firewall filter 'LOG' term 't1' has 'then "
	    "syslog', which cannot be configured with flow-tap");
	/* The one-line form, filter without family. */
	refuse_prefix("firewall {\n"
	    "    filter F2 {\n"
	    "        term x {\n"
	    "            then syslog;\n"
	    "        }\n"
	    "    }\n"
	    "}\n" FT_LINES, FT_EINVAL,
	    "router.conf:4: firewall filter 'F2' term 'x' has 'then syslog'");
}

static void
test_routercfg_filter_without_syslog(void **state)
{
	(void)state;
	/* syslog elsewhere (system syslog, a from) is not a filter action. */
	accept("system {\n"
	    "    syslog {\n"
	    "        file messages {\n"
	    "            any notice;\n"
	    "        }\n"
	    "    }\n"
	    "}\n"
	    "firewall family inet6 filter F term t then { count c; accept; }\n"
	    FT_LINES);
}

static void
test_routercfg_check_no_flowtap(void **state)
{
	(void)state;
	refuse("interfaces {\n"
	    "    sp-0/2/0 {\n"
	    "        unit 100;\n"
	    "    }\n"
	    "}\n", FT_EINVAL,
	    "router.conf:5: flow-tap interface not configured "
	    "(services flow-tap interface or tunnel-interface)");
	refuse("\n\nservices {\n"
	    "    flow-tap;\n"
	    "}\n", FT_EINVAL,
	    "router.conf:4: flow-tap interface not configured "
	    "(services flow-tap interface or tunnel-interface)");
	refuse_prefix("", FT_EINVAL,
	    "router.conf:1: flow-tap interface not configured");
}

static void
test_routercfg_check_ifl_undeclared(void **state)
{
	(void)state;
	refuse("services {\n"
	    "    flow-tap {\n"
	    "        interface sp-0/2/0.101;\n"
	    "    }\n"
	    "}\n"
	    "interfaces sp-0/2/0 unit 100 family inet;\n", FT_EINVAL,
	    "router.conf:3: flow-tap interface 'sp-0/2/0.101' is not "
	    "declared under interfaces");
	/* No unit given: unit 0. */
	refuse("services flow-tap interface sp-0/2/0;\n", FT_EINVAL,
	    "router.conf:1: flow-tap interface 'sp-0/2/0.0' is not "
	    "declared under interfaces");
	accept("services flow-tap interface sp-0/2/0;\n"
	    "interfaces sp-0/2/0 unit 0;\n");
	assert_string_equal(cfg.flowtap_ifl, "sp-0/2/0.0");
	refuse("services flow-tap interface sp-0/2/0.1;\n"
	    "services flow-tap tunnel-interface vt-0/0/0.1;\n", FT_EINVAL,
	    "router.conf:2: flow-tap interface already configured at "
	    "line 1");
}

static void
test_routercfg_tunnel_interface(void **state)
{
	(void)state;
	accept("services {\n"
	    "    flow-tap {\n"
	    "        tunnel-interface vt-0/1/0.0;\n"
	    "    }\n"
	    "}\n"
	    "interfaces vt-0/1/0 { unit 0 { family inet; family inet6; } }\n");
	assert_string_equal(cfg.flowtap_ifl, "vt-0/1/0.0");
	assert_int_equal(cfg.flowtap_lite, 1);
	assert_int_equal(cfg.family_inet, 1);
	assert_int_equal(cfg.family_inet6, 1);
}

static void
test_routercfg_check_user_class(void **state)
{
	(void)state;
	refuse("system {\n"
	    "    login {\n"
	    "        user lea1 {\n"
	    "            uid 2001;\n"
	    "            class NOSUCH;\n"
	    "        }\n"
	    "    }\n"
	    "}\n" FT_LINES, FT_EINVAL,
	    "router.conf:5: user 'lea1' class 'NOSUCH' is not defined");
	refuse("system {\n"
	    "    login {\n"
	    "        user lea1 {\n"
	    "            uid 2001;\n"
	    "        }\n"
	    "    }\n"
	    "}\n" FT_LINES, FT_EINVAL,
	    "router.conf:3: user 'lea1' has no class");
	/* A class defined after the user is fine. */
	accept("system login user lea1 class LATER;\n"
	    "system login class LATER permissions flow-tap-operation;\n"
	    FT_LINES);
	assert_int_equal(ft_routercfg_perms(&cfg, "lea1"),
	    FT_PERM_FLOW_TAP_OPERATION);
}

static void
test_routercfg_check_duplicates(void **state)
{
	(void)state;
	refuse("system {\n"
	    "    login {\n"
	    "        user a {\n"
	    "            class operator;\n"
	    "        }\n"
	    "        user a {\n"
	    "            class operator;\n"
	    "        }\n"
	    "    }\n"
	    "}\n" FT_LINES, FT_EINVAL,
	    "router.conf:6: duplicate user 'a' (first at line 3)");
	refuse("system {\n"
	    "    login {\n"
	    "        class C {\n"
	    "            permissions all;\n"
	    "        }\n"
	    "    }\n"
	    "}\n"
	    "system login class C { idle-timeout 5; }\n" FT_LINES, FT_EINVAL,
	    "router.conf:8: duplicate class 'C' (first at line 3)");
}

/* ------------------------------------------------------------------ */
/* Syntax */

static void
test_routercfg_syntax_unbalanced(void **state)
{
	(void)state;
	refuse(FT_LINES "}\n", FT_EINVAL, "router.conf:13: unbalanced '}'");
	refuse("system {\n"
	    "    login {\n"
	    "}\n", FT_EINVAL,
	    "router.conf:1: unbalanced '{': 'system' is never closed");
	refuse("a ];\n", FT_EINVAL, "router.conf:1: unbalanced ']'");
	refuse("a [ b c;\n", FT_EINVAL, "router.conf:1: unterminated '['");
	refuse("a [ b [ c ] ];\n", FT_EINVAL,
	    "router.conf:1: '[' inside '[ ]'");
	refuse("\n{ }\n", FT_EINVAL,
	    "router.conf:2: '{' without a statement name");
	refuse("a;\n;\n", FT_EINVAL, "router.conf:2: unexpected ';'");
}

static void
test_routercfg_syntax_unterminated(void **state)
{
	(void)state;
	refuse("system {\n"
	    "    host-name \"r1;\n"
	    "}\n", FT_EINVAL, "router.conf:2: unterminated string");
	refuse("system {\n"
	    "}\n"
	    "/* a comment\n"
	    " * that never ends\n", FT_EINVAL,
	    "router.conf:3: unterminated comment");
	refuse("/*/", FT_EINVAL, "router.conf:1: unterminated comment");
}

static void
test_routercfg_syntax_missing_semicolon(void **state)
{
	(void)state;
	refuse("system {\n"
	    "    services {\n"
	    "        flow-tap-dtcp {\n"
	    "            ssh {\n"
	    "                connection-limit 5\n"
	    "                rate-limit 5;\n"
	    "            }\n"
	    "        }\n"
	    "    }\n"
	    "}\n", FT_EINVAL, "router.conf:5: missing ';' after '5'");
	refuse("system {\n"
	    "    host-name r1\n"
	    "}\n", FT_EINVAL, "router.conf:2: missing ';' after 'r1'");
	refuse("version 12.3R1", FT_EINVAL,
	    "router.conf:1: missing ';' after '12.3R1'");
}

static void
test_routercfg_syntax_depth(void **state)
{
	char text[512];
	size_t n = 0;
	int i;

	(void)state;
	/* FT_CFG_DEPTH_MAX levels are fine, one more is not. */
	for (i = 0; i < FT_CFG_DEPTH_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "a%d {\n", i);
	for (i = 0; i < FT_CFG_DEPTH_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "}\n");
	snprintf(text + n, sizeof(text) - n, "%s", FT_LINES);
	accept(text);

	n = 0;
	for (i = 0; i <= FT_CFG_DEPTH_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "a%d {\n", i);
	refuse(text, FT_ELIMIT,
	    "router.conf:17: blocks nested deeper than 16");
}

static void
test_routercfg_syntax_words_cap(void **state)
{
	char *text;
	size_t n = 0, cap = 8 * (FT_CFG_WORDS_MAX + 2);
	int i;

	(void)state;
	text = calloc(1, cap);
	assert_non_null(text);
	n += (size_t)snprintf(text + n, cap - n, "x [");
	for (i = 0; i < FT_CFG_WORDS_MAX; i++)
		n += (size_t)snprintf(text + n, cap - n, " w");
	snprintf(text + n, cap - n, " ];\n");
	refuse(text, FT_ELIMIT,
	    "router.conf:1: statement longer than 256 words");
	free(text);
}

static void
test_routercfg_syntax_bytes(void **state)
{
	static const char nul[] = "a;\0b;\n";
	char *big;

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(ft_routercfg_parse(&cfg, nul, sizeof(nul) - 1,
	    "router.conf", &err), FT_EINVAL);
	assert_string_equal(err.msg, "router.conf: NUL byte in text");
	refuse("a \001;\n", FT_EINVAL,
	    "router.conf:1: control character 0x01");

	big = malloc(FT_CFG_FILE_MAX + 1);
	assert_non_null(big);
	memset(big, ' ', FT_CFG_FILE_MAX + 1);
	assert_int_equal(ft_routercfg_parse(&cfg, big, FT_CFG_FILE_MAX + 1,
	    "router.conf", &err), FT_ELIMIT);
	assert_string_equal(err.msg, "router.conf: larger than 1048576 bytes");
	free(big);
}

static void
test_routercfg_caps(void **state)
{
	char *text;
	size_t n = 0, cap = 64 * (FT_CFG_USERS_MAX + 2);
	char longname[FT_NAME_MAX + 40];
	int i;

	(void)state;
	text = calloc(1, cap);
	assert_non_null(text);
	for (i = 0; i <= FT_CFG_USERS_MAX; i++)
		n += (size_t)snprintf(text + n, cap - n,
		    "system login user u%d class operator;\n", i);
	refuse(text, FT_ELIMIT, "router.conf:65: more than 64 login users");
	free(text);

	memset(longname, 'n', sizeof(longname));
	snprintf(longname + FT_NAME_MAX + 1, 39, ";\n");
	/* "system login class " + 65 letters: the name is one too long. */
	text = calloc(1, 256);
	assert_non_null(text);
	snprintf(text, 256, "system login class %s", longname);
	refuse_prefix(text, FT_ELIMIT, "router.conf:1: class name 'nnnn");
	assert_non_null(strstr(err.msg, "' longer than 64 bytes"));
	free(text);
}

/* ------------------------------------------------------------------ */
/* Permissions and classes */

static void
test_routercfg_permissions_list(void **state)
{
	(void)state;
	accept("system {\n"
	    "    login {\n"
	    "        class LEA {\n"
	    "            permissions [ flow-tap-operation configure ];\n"
	    "        }\n"
	    "        class VIEW {\n"
	    "            permissions [ flow-tap flow-tap-control view ];\n"
	    "        }\n"
	    "        user lea { class LEA; }\n"
	    "        user ops { class VIEW; }\n"
	    "    }\n"
	    "}\n" FT_LINES);
	assert_int_equal(ft_routercfg_perms(&cfg, "lea") & FT_PERMS_FT,
	    FT_PERM_FLOW_TAP_OPERATION);
	assert_string_equal(ft_routercfg_perms_text(ft_routercfg_perms(&cfg,
	    "lea"), ptext, sizeof(ptext)), "flow-tap-operation configure");
	assert_int_equal(ft_routercfg_perms(&cfg, "ops") & FT_PERMS_FT,
	    FT_PERM_FLOW_TAP | FT_PERM_FLOW_TAP_CONTROL);
	assert_string_equal(ft_routercfg_perms_text(ft_routercfg_perms(&cfg,
	    "ops"), ptext, sizeof(ptext)), "flow-tap flow-tap-control view");
	assert_int_equal(ft_routercfg_perms(&cfg, "nobody"), 0);
	refuse("system login class X permissions;\n", FT_EINVAL,
	    "router.conf:1: 'permissions' needs a value");
}

static void
test_routercfg_all_lacks_operation(void **state)
{
	uint64_t p;

	(void)state;
	accept("system login class ADMIN permissions all;\n"
	    "system login user admin class ADMIN;\n"
	    "system login class BOTH permissions [ all flow-tap-operation ];\n"
	    "system login user both class BOTH;\n" FT_LINES);
	p = ft_routercfg_perms(&cfg, "admin");
	assert_int_equal(p & FT_PERM_FLOW_TAP_OPERATION, 0);
	assert_int_equal(p & FT_PERMS_FT,
	    FT_PERM_FLOW_TAP | FT_PERM_FLOW_TAP_CONTROL);
	assert_int_equal(p & ft_routercfg_perms_parse("configure admin", 15),
	    ft_routercfg_perms_parse("configure admin", 15));
	assert_int_equal(ft_routercfg_perms(&cfg, "both"),
	    p | FT_PERM_FLOW_TAP_OPERATION);
}

static void
test_routercfg_predefined_class(void **state)
{
	(void)state;
	accept("system {\n"
	    "    login {\n"
	    "        user root1 { class super-user; }\n"
	    "        user op { class operator; }\n"
	    "        user ro { class read-only; }\n"
	    "        user un { class unauthorized; }\n"
	    "    }\n"
	    "}\n" FT_LINES);
	assert_int_equal(cfg.nclasses, 0);
	assert_int_equal(ft_routercfg_perms(&cfg, "root1") & FT_PERMS_FT,
	    FT_PERM_FLOW_TAP | FT_PERM_FLOW_TAP_CONTROL);
	assert_int_equal(ft_routercfg_perms(&cfg, "root1"),
	    ft_routercfg_perms_parse("all", 3));
	assert_int_equal(ft_routercfg_perms(&cfg, "op"), 0);
	assert_int_equal(ft_routercfg_perms(&cfg, "ro"), 0);
	assert_int_equal(ft_routercfg_perms(&cfg, "un"), 0);
	refuse_prefix("system login user x class Super-User;\n" FT_LINES,
	    FT_EINVAL, "router.conf:1: user 'x' class 'Super-User' is not");
}

/* ------------------------------------------------------------------ */
/* What is ignored, interfaces and VRFs */

static void
test_routercfg_unknown_ignored(void **state)
{
	(void)state;
	accept("## Last commit: 2014-01-01 00:00:00 UTC by root\n"
	    "version 12.3R5.7;\n"
	    "system {\n"
	    "    host-name \"edge \\\"1\\\"\"; # trailing comment\n"
	    "    root-authentication {\n"
	    "        encrypted-password \"$6$notmd5$butignored\";\n"
	    "    }\n"
	    "    /* an annotation\n"
	    "       over two lines */\n"
	    "    login {\n"
	    "        message \"authorised use only\";\n"
	    "        class LI { permissions flow-tap-operation;"
	    " login-alarms; }\n"
	    "        user li { class LI; full-name \"L I\";"
	    " authentication { ssh-rsa \"ssh-rsa AAAA x\"; } }\n"
	    "    }\n"
	    "    services { ssh { protocol-version v2; } netconf { ssh; } }\n"
	    "}\n"
	    "snmp { community public { authorization read-only; } }\n"
	    "protocols { ospf { area 0.0.0.0 { interface all; } } }\n"
	    "policy-options { prefix-list P { 10.0.0.0/8; 192.0.2.0/24; } }\n"
	    "services {\n"
	    "    inactive: dynamic-flow-capture { capture-group g; }\n"
	    "    flow-tap { interface sp-0/2/0.100; }\n"
	    "}\n"
	    "groups { G { services { dynamic-flow-capture; } } }\n"
	    "interfaces {\n"
	    "    apply-groups G;\n"
	    "    sp-0/2/0 { unit 100 { family inet; } }\n"
	    "    inactive: sp-0/3/0 { unit 1; }\n"
	    "}\n");
	assert_int_equal(ft_routercfg_perms(&cfg, "li"),
	    FT_PERM_FLOW_TAP_OPERATION);
	assert_false(ft_routercfg_has_ifl(&cfg, "sp-0/3/0.1", 10));
	assert_int_equal(cfg.nifls, 1);
}

static void
test_routercfg_ifl_vrf_lookup(void **state)
{
	(void)state;
	accept(FT_LINES
	    "interfaces {\n"
	    "    ge-0/0/0 {\n"
	    "        unit 0 {\n"
	    "            family inet {\n"
	    "                address 192.0.2.1/24;\n"
	    "            }\n"
	    "        }\n"
	    "    }\n"
	    "    xe-1/0/0 {\n"
	    "        vlan-tagging;\n"
	    "        unit 005 { vlan-id 5; }\n"
	    "    }\n"
	    "    interface-range R { member ge-1/0/*; unit 3; }\n"
	    "}\n"
	    "routing-instances {\n"
	    "    VRF-A {\n"
	    "        instance-type vrf;\n"
	    "        interface ge-0/0/0.0;\n"
	    "    }\n"
	    "    cust_b { instance-type virtual-router; }\n"
	    "}\n");
	assert_int_equal(cfg.nifls, 3);
	assert_true(ft_routercfg_has_ifl(&cfg, "ge-0/0/0.0", 10));
	assert_true(ft_routercfg_has_ifl(&cfg, "ge-0/0/0", 8));
	assert_true(ft_routercfg_has_ifl(&cfg, "xe-1/0/0.5", 10));
	assert_false(ft_routercfg_has_ifl(&cfg, "xe-1/0/0.005", 12));
	assert_false(ft_routercfg_has_ifl(&cfg, "ge-0/0/0.1", 10));
	assert_false(ft_routercfg_has_ifl(&cfg, "ge-0/0/0.0", 9));
	assert_false(ft_routercfg_has_ifl(&cfg, "xe-1/0/0", 8));
	assert_false(ft_routercfg_has_ifl(&cfg, "R.3", 3));
	/* The caller's length bounds the name: no terminator needed. */
	assert_true(ft_routercfg_has_ifl(&cfg, "ge-0/0/0.0XYZ", 10));
	assert_int_equal(cfg.nvrfs, 2);
	assert_true(ft_routercfg_has_vrf(&cfg, "VRF-A", 5));
	assert_true(ft_routercfg_has_vrf(&cfg, "cust_b", 6));
	assert_false(ft_routercfg_has_vrf(&cfg, "VRF", 3));
	assert_false(ft_routercfg_has_vrf(&cfg, "vrf-a", 5));
	assert_false(ft_routercfg_has_vrf(&cfg, "VRF-AB", 6));
}

/* SPEC 6: a packet's VRF is the routing-instance of its input interface. */
static void
test_routercfg_scope(void **state)
{
	uint16_t ifl, vrf;

	(void)state;
	accept(FT_LINES
	    "interfaces {\n"
	    "    ge-0/0/0 { unit 0 { family inet; } }\n"
	    "    ge-0/0/1 { unit 7 { family inet; } }\n"
	    "    ge-0/0/2 { unit 0 { family inet; } }\n"
	    "}\n"
	    "routing-instances {\n"
	    "    red { instance-type vrf; interface ge-0/0/0; }\n"
	    "    blue { instance-type vrf; interface ge-0/0/1.7; }\n"
	    "}\n");
	/* Ids: declaration order, 1-based (sp-0/2/0.100 of FT_LINES is 1). */
	assert_int_equal(ft_routercfg_has_ifl(&cfg, "sp-0/2/0.100", 12), 1);
	assert_int_equal(ft_routercfg_has_ifl(&cfg, "ge-0/0/0", 8), 2);
	assert_int_equal(ft_routercfg_has_ifl(&cfg, "ge-0/0/1.7", 10), 3);
	assert_int_equal(ft_routercfg_has_vrf(&cfg, "red", 3), 1);
	assert_int_equal(ft_routercfg_has_vrf(&cfg, "blue", 4), 2);
	ft_routercfg_scope(&cfg, "ge-0/0/0", &ifl, &vrf);
	assert_int_equal(ifl, 2);
	assert_int_equal(vrf, 1);
	ft_routercfg_scope(&cfg, "ge-0/0/1.7", &ifl, &vrf);
	assert_int_equal(ifl, 3);
	assert_int_equal(vrf, 2);
	/* Declared, in no routing-instance: VRF unknown. */
	ft_routercfg_scope(&cfg, "ge-0/0/2.0", &ifl, &vrf);
	assert_int_equal(ifl, 4);
	assert_int_equal(vrf, 0);
	/* Not declared (a capture's "eth0"), or unknown. */
	ft_routercfg_scope(&cfg, "eth0", &ifl, &vrf);
	assert_int_equal(ifl, 0);
	assert_int_equal(vrf, 0);
	ft_routercfg_scope(&cfg, NULL, &ifl, &vrf);
	assert_int_equal(ifl, 0);
	assert_int_equal(vrf, 0);
	/* One unit in two routing-instances: a clear error. */
	refuse_prefix(FT_LINES
	    "routing-instances {\n"
	    "    red { interface ge-0/0/0.0; }\n"
	    "    blue { interface ge-0/0/0; }\n"
	    "}\n", FT_EINVAL, "router.conf:15: interface 'ge-0/0/0.0' is "
	    "already in routing-instance 'red'");
}

static void
test_routercfg_flat_statements(void **state)
{
	(void)state;
	/* The same configuration as the seed, one statement per path. */
	accept("system login class VERINT idle-timeout 30;\n"
	    "system login class VERINT permissions flow-tap-operation;\n"
	    "system login user verint uid 2008;\n"
	    "system login user verint class VERINT;\n"
	    "system login user verint authentication encrypted-password "
	    "\"$1$cUeV8XKs$28nf0JiRoDeYdE71j4/9q.\";\n"
	    "system services flow-tap-dtcp ssh connection-limit 5;\n"
	    "system services flow-tap-dtcp ssh rate-limit 5;\n"
	    "services flow-tap interface sp-0/2/0.100;\n"
	    "chassis fpc 0 pic 2 adaptive-services service-package layer-3;\n"
	    "interfaces sp-0/2/0 unit 100 family inet;\n"
	    "interfaces sp-0/2/0 unit 100 family inet6;\n");
	check_seed();
	assert_int_equal(ft_routercfg_password_ok(&cfg, "verint",
	    "verint123"), 1);
}

/* ------------------------------------------------------------------ */
/* RADIUS (issue 14) */

static void
test_routercfg_radius_servers(void **state)
{
	(void)state;
	accept("system {\n"
	    "    host-name lab1;\n"
	    "    authentication-order [ radius password ];\n"
	    "    radius-server 192.0.2.1 {\n"
	    "        port 18120;\n"
	    "        secret \"s3cr\\\"et\"; ## SECRET-DATA\n"
	    "        timeout 5;\n"
	    "        retry 2;\n"
	    "        source-address 192.0.2.9;\n"
	    "        accounting-port 1813;\n"
	    "    }\n"
	    "    radius-server 2001:db8::1 secret other;\n"
	    "    login user remote class operator;\n"
	    "}\n" FT_LINES);
	assert_int_equal(cfg.nauth, 2);
	assert_int_equal(cfg.auth_order[0], FT_AUTH_RADIUS);
	assert_int_equal(cfg.auth_order[1], FT_AUTH_PASSWORD);
	assert_true(ft_routercfg_auth_has(&cfg, FT_AUTH_RADIUS));
	assert_true(ft_routercfg_auth_has(&cfg, FT_AUTH_PASSWORD));
	assert_string_equal(cfg.host_name, "lab1");
	assert_int_equal(cfg.nradius, 2);
	assert_string_equal(cfg.radius[0].addr, "192.0.2.1");
	assert_int_equal(cfg.radius[0].port, 18120);
	assert_string_equal(cfg.radius[0].secret, "s3cr\"et");
	assert_int_equal(cfg.radius[0].secret_len, 7);
	assert_int_equal(cfg.radius[0].timeout_s, 5);
	assert_int_equal(cfg.radius[0].retry, 2);
	assert_string_equal(cfg.radius[0].source, "192.0.2.9");
	assert_int_equal(cfg.radius[0].line, 4);
	/* Junos' defaults. */
	assert_string_equal(cfg.radius[1].addr, "2001:db8::1");
	assert_int_equal(cfg.radius[1].port, 1812);
	assert_int_equal(cfg.radius[1].timeout_s, 3);
	assert_int_equal(cfg.radius[1].retry, 3);
	assert_string_equal(cfg.radius[1].source, "");
	ft_routercfg_wipe(&cfg);
	assert_int_equal(cfg.radius[0].secret[0], 0);
	assert_int_equal(cfg.radius[0].secret_len, 0);

	/* No authentication-order: password only. */
	accept("system radius-server 192.0.2.1 secret x;\n" FT_LINES);
	assert_int_equal(cfg.nauth, 0);
	assert_false(ft_routercfg_auth_has(&cfg, FT_AUTH_RADIUS));
	assert_true(ft_routercfg_auth_has(&cfg, FT_AUTH_PASSWORD));
	/* radius alone: no password. */
	accept("system authentication-order radius;\n"
	    "system radius-server 192.0.2.1 secret x;\n" FT_LINES);
	assert_false(ft_routercfg_auth_has(&cfg, FT_AUTH_PASSWORD));
}

static void
test_routercfg_radius_commit_checks(void **state)
{
	(void)state;
	refuse("system authentication-order [ radius password ];\n" FT_LINES,
	    FT_EINVAL, "router.conf:1: authentication-order has radius but no "
	    "radius-server is configured");
	refuse("system authentication-order [ tacplus password ];\n",
	    FT_EINVAL, "router.conf:1: authentication-order 'tacplus' is not "
	    "supported (radius, password)");
	refuse("system authentication-order [ password password ];\n",
	    FT_EINVAL, "router.conf:1: authentication-order lists 'password' "
	    "twice");
	refuse("system authentication-order;\n", FT_EINVAL,
	    "router.conf:1: 'authentication-order' needs a value");
	refuse("system {\n    radius-server 192.0.2.1 {\n        port 1812;\n"
	    "    }\n}\n" FT_LINES, FT_EINVAL,
	    "router.conf:2: radius-server 192.0.2.1 has no secret");
	refuse("system radius-server radius.example secret x;\n", FT_EINVAL,
	    "router.conf:1: radius-server 'radius.example' is not an IPv4 or "
	    "IPv6 address");
	refuse("system radius-server 192.0.2.1 source-address 2001:db8::2;\n",
	    FT_EINVAL, "router.conf:1: radius-server 192.0.2.1: "
	    "source-address 2001:db8::2 is of the other address family");
	refuse("system radius-server 192.0.2.1 retry 0;\n", FT_EINVAL,
	    "router.conf:1: retry 0 out of range 1..100");
	refuse("system radius-server 192.0.2.1 timeout 1001;\n", FT_EINVAL,
	    "router.conf:1: timeout 1001 out of range 1..1000");
	refuse("system radius-server 192.0.2.1 port 0;\n", FT_EINVAL,
	    "router.conf:1: port 0 out of range 1..65535");
	refuse("system radius-server 192.0.2.1 secret \"\";\n", FT_EINVAL,
	    "router.conf:1: radius-server 192.0.2.1: empty secret");
	refuse("system radius-server 192.0.2.1 secret "
	    "\"$9$LbHX-wg4Z\";\n", FT_EINVAL,
	    "router.conf:1: radius-server 192.0.2.1: Junos-encrypted ($9$) "
	    "secrets are not supported; give the secret in clear");
	refuse_prefix("system radius-server 192.0.2.1 secret "
	    "\"0123456789012345678901234567890123456789012345678901234567890"
	    "1234567890123456789012345678901234567890123456789012345678901234"
	    "5678\";\n", FT_ELIMIT,
	    "router.conf:1: radius-server 192.0.2.1: secret longer than 128");
	refuse_prefix("system radius-server 10.0.0.1 secret a;\n"
	    "system radius-server 10.0.0.2 secret a;\n"
	    "system radius-server 10.0.0.3 secret a;\n"
	    "system radius-server 10.0.0.4 secret a;\n"
	    "system radius-server 10.0.0.5 secret a;\n"
	    "system radius-server 10.0.0.6 secret a;\n"
	    "system radius-server 10.0.0.7 secret a;\n"
	    "system radius-server 10.0.0.8 secret a;\n"
	    "system radius-server 10.0.0.9 secret a;\n", FT_ELIMIT,
	    "router.conf:9: more than 8 radius-server entries");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routercfg_default_is_seed),
		cmocka_unit_test(test_routercfg_seed_text_parses),
		cmocka_unit_test(test_routercfg_password_seed),
		cmocka_unit_test(test_routercfg_password_none_configured),
		cmocka_unit_test(test_routercfg_password_not_md5),
		cmocka_unit_test(test_routercfg_without_inet6),
		cmocka_unit_test(test_routercfg_inet6_only),
		cmocka_unit_test(test_routercfg_family_other_unit),
		cmocka_unit_test(test_routercfg_ssh_defaults),
		cmocka_unit_test(test_routercfg_ssh_limit_range),
		cmocka_unit_test(test_routercfg_bad_number),
		cmocka_unit_test(test_routercfg_check_dfc),
		cmocka_unit_test(test_routercfg_check_syslog),
		cmocka_unit_test(test_routercfg_filter_without_syslog),
		cmocka_unit_test(test_routercfg_check_no_flowtap),
		cmocka_unit_test(test_routercfg_check_ifl_undeclared),
		cmocka_unit_test(test_routercfg_tunnel_interface),
		cmocka_unit_test(test_routercfg_check_user_class),
		cmocka_unit_test(test_routercfg_check_duplicates),
		cmocka_unit_test(test_routercfg_syntax_unbalanced),
		cmocka_unit_test(test_routercfg_syntax_unterminated),
		cmocka_unit_test(test_routercfg_syntax_missing_semicolon),
		cmocka_unit_test(test_routercfg_syntax_depth),
		cmocka_unit_test(test_routercfg_syntax_words_cap),
		cmocka_unit_test(test_routercfg_syntax_bytes),
		cmocka_unit_test(test_routercfg_caps),
		cmocka_unit_test(test_routercfg_permissions_list),
		cmocka_unit_test(test_routercfg_all_lacks_operation),
		cmocka_unit_test(test_routercfg_predefined_class),
		cmocka_unit_test(test_routercfg_unknown_ignored),
		cmocka_unit_test(test_routercfg_ifl_vrf_lookup),
		cmocka_unit_test(test_routercfg_scope),
		cmocka_unit_test(test_routercfg_flat_statements),
		cmocka_unit_test(test_routercfg_radius_servers),
		cmocka_unit_test(test_routercfg_radius_commit_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
