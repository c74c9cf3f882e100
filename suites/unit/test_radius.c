/*
 * test_radius.c - the RADIUS client's packets (radius.h) and the login
 * rules (login.h), without a network: encode and decode are pure.
 *
 * Vectors: RFC 2865 7.1 (user nemo, password arctangent, secret
 * xyzzy5461, Request Authenticator 0f403f94...: the User-Password value
 * 0dbe708d93d413ce3196e43f782a0aee, and the Access-Accept answering it);
 * the rest is checked against OpenSSL's MD5/HMAC-MD5 computed here the
 * way RFC 2865 5.2 and RFC 3579 3.2 describe, and against the seed's
 * worked example for the permission union.
 */
#include "testutil.h"

#include <stdio.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "login.h"
#include "radius.h"
#include "routercfg.h"

static const uint8_t rfc_ra[16] = {
	0x0f, 0x40, 0x3f, 0x94, 0x73, 0x97, 0x80, 0x57,
	0xbd, 0x83, 0xd5, 0xcb, 0x98, 0xf4, 0x22, 0x7a,
};
static const uint8_t rfc_hidden[16] = {
	0x0d, 0xbe, 0x70, 0x8d, 0x93, 0xd4, 0x13, 0xce,
	0x31, 0x96, 0xe4, 0x3f, 0x78, 0x2a, 0x0a, 0xee,
};
/* RFC 2865 7.1: the Access-Accept (id 0) to the request above. */
static const uint8_t rfc_accept[] = {
	0x02, 0x00, 0x00, 0x26, 0x86, 0xfe, 0x22, 0x0e,
	0x76, 0x24, 0xba, 0x2a, 0x10, 0x05, 0xf6, 0xbf,
	0x9b, 0x55, 0xe0, 0xb2, 0x06, 0x06, 0x00, 0x00,
	0x00, 0x01, 0x0f, 0x06, 0x00, 0x00, 0x00, 0x00,
	0x0e, 0x06, 0xc0, 0xa8, 0x01, 0x03,
};
#define RFC_SECRET "xyzzy5461"

/* The attribute of type t in pkt (after the header), or NULL. */
static const uint8_t *
find_attr(const uint8_t *pkt, size_t len, uint8_t t)
{
	size_t off;

	for (off = 20; off + 2 <= len && pkt[off + 1] >= 2;
	    off += pkt[off + 1])
		if (pkt[off] == t)
			return pkt + off;
	return NULL;
}

static void
md5(uint8_t out[16], const void *a, size_t alen, const void *b, size_t blen)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned n;

	assert_non_null(c);
	EVP_DigestInit_ex(c, EVP_md5(), NULL);
	EVP_DigestUpdate(c, a, alen);
	if (blen > 0)
		EVP_DigestUpdate(c, b, blen);
	EVP_DigestFinal_ex(c, out, &n);
	EVP_MD_CTX_free(c);
}

/* Sign a reply the way a server does (Response Authenticator). */
static void
sign_reply(uint8_t *pkt, size_t len, const uint8_t ra[16],
    const char *secret, int with_ma)
{
	uint8_t copy[4096], mac[16];
	unsigned n;
	const uint8_t *ma;

	pkt[2] = (uint8_t)(len >> 8);
	pkt[3] = (uint8_t)len;
	memcpy(pkt + 4, ra, 16);
	if (with_ma && (ma = find_attr(pkt, len, 80)) != NULL) {
		memset((uint8_t *)ma + 2, 0, 16);
		HMAC(EVP_md5(), secret, (int)strlen(secret), pkt, len, mac, &n);
		memcpy((uint8_t *)ma + 2, mac, 16);
	}
	memcpy(copy, pkt, len);
	md5(pkt + 4, copy, len, secret, strlen(secret));
}

static void
test_radius_rfc2865_password_hiding(void **state)
{
	struct ft_radius_req rq = { .user = "nemo", .password = "arctangent" };
	uint8_t pkt[4096];
	const uint8_t *a;
	size_t len = 0, i;
	struct ft_err e;

	(void)state;
	assert_int_equal(ft_radius_encode(pkt, sizeof(pkt), 0, rfc_ra,
	    RFC_SECRET, strlen(RFC_SECRET), &rq, &len, &e), 0);
	assert_int_equal(pkt[0], 1);
	assert_int_equal(pkt[1], 0);
	assert_int_equal((size_t)(pkt[2] << 8 | pkt[3]), len);
	assert_memory_equal(pkt + 4, rfc_ra, 16);
	a = find_attr(pkt, len, 2);
	assert_non_null(a);
	assert_int_equal(a[1], 18);
	assert_memory_equal(a + 2, rfc_hidden, 16);
	a = find_attr(pkt, len, 1);
	assert_non_null(a);
	assert_int_equal(a[1], 6);
	assert_memory_equal(a + 2, "nemo", 4);
	/* The password in clear appears nowhere in the packet. */
	for (i = 0; i + 10 <= len; i++)
		assert_int_not_equal(memcmp(pkt + i, "arctangent", 10), 0);
}

static void
test_radius_message_authenticator_first(void **state)
{
	struct ft_radius_req rq = { .user = "Bob", .password = "abc123",
	    .nas_id = "flowtap-lab", .calling = "192.0.2.7" };
	uint8_t pkt[4096], copy[4096], mac[16];
	unsigned n;
	size_t len = 0;
	struct ft_err e;

	(void)state;
	assert_int_equal(ft_radius_encode(pkt, sizeof(pkt), 42, rfc_ra,
	    "s3cret", 6, &rq, &len, &e), 0);
	/* The first attribute (BlastRADIUS guidance). */
	assert_int_equal(pkt[20], 80);
	assert_int_equal(pkt[21], 18);
	/* HMAC-MD5(secret, packet with it zeroed), RFC 3579 3.2. */
	memcpy(copy, pkt, len);
	memset(copy + 22, 0, 16);
	HMAC(EVP_md5(), "s3cret", 6, copy, len, mac, &n);
	assert_memory_equal(pkt + 22, mac, 16);
	assert_non_null(find_attr(pkt, len, 32));	/* NAS-Identifier */
	assert_non_null(find_attr(pkt, len, 31));	/* Calling-Station-Id */
	assert_non_null(find_attr(pkt, len, 61));	/* NAS-Port-Type */
}

static void
test_radius_password_lengths(void **state)
{
	struct ft_radius_req rq = { .user = "u", .password = "" };
	char pw[200];
	uint8_t pkt[4096];
	const uint8_t *a;
	size_t len = 0;
	struct ft_err e;

	(void)state;
	assert_int_equal(ft_radius_encode(pkt, sizeof(pkt), 1, rfc_ra, "k", 1,
	    &rq, &len, &e), 0);
	a = find_attr(pkt, len, 2);
	assert_int_equal(a[1], 18);		/* empty: one block */
	memset(pw, 'p', 128);
	pw[128] = '\0';
	rq.password = pw;
	assert_int_equal(ft_radius_encode(pkt, sizeof(pkt), 1, rfc_ra, "k", 1,
	    &rq, &len, &e), 0);
	a = find_attr(pkt, len, 2);
	assert_int_equal(a[1], 130);		/* 128: the RFC's maximum */
	pw[128] = 'p';
	pw[129] = '\0';
	assert_int_equal(ft_radius_encode(pkt, sizeof(pkt), 1, rfc_ra, "k", 1,
	    &rq, &len, &e), FT_EINVAL);
	assert_string_equal(e.msg, "password longer than 128 bytes cannot be "
	    "sent by RADIUS");
	rq.user = "";
	rq.password = "x";
	assert_int_equal(ft_radius_encode(pkt, sizeof(pkt), 1, rfc_ra, "k", 1,
	    &rq, &len, &e), FT_EINVAL);
}

static void
test_radius_rfc2865_accept_verifies(void **state)
{
	struct ft_radius_reply r;
	struct ft_err e;

	(void)state;
	assert_int_equal(ft_radius_decode(rfc_accept, sizeof(rfc_accept), 0,
	    rfc_ra, RFC_SECRET, strlen(RFC_SECRET), &r, &e), 0);
	assert_int_equal(r.code, FT_RADIUS_ACCESS_ACCEPT);
	assert_int_equal(r.have_perms, 0);
	assert_int_equal(r.had_ma, 0);
}

static void
test_radius_forged_accept_refused(void **state)
{
	uint8_t pkt[sizeof(rfc_accept)];
	struct ft_radius_reply r;
	struct ft_err e;

	(void)state;
	/* Another secret: what radcli 1.2.11 would believe. */
	assert_int_equal(ft_radius_decode(rfc_accept, sizeof(rfc_accept), 0,
	    rfc_ra, "another", 7, &r, &e), FT_EINVAL);
	assert_string_equal(e.msg, "radius reply: Response Authenticator does "
	    "not verify (wrong shared secret?)");
	/* One attribute byte changed. */
	memcpy(pkt, rfc_accept, sizeof(pkt));
	pkt[sizeof(pkt) - 1] ^= 1;
	assert_int_equal(ft_radius_decode(pkt, sizeof(pkt), 0, rfc_ra,
	    RFC_SECRET, strlen(RFC_SECRET), &r, &e), FT_EINVAL);
	/* Another identifier: not ours, ignored. */
	assert_int_equal(ft_radius_decode(rfc_accept, sizeof(rfc_accept), 1,
	    rfc_ra, RFC_SECRET, strlen(RFC_SECRET), &r, &e), FT_ENOENT);
	/* Lengths. */
	assert_int_equal(ft_radius_decode(rfc_accept, 19, 0, rfc_ra,
	    RFC_SECRET, strlen(RFC_SECRET), &r, &e), FT_EFORMAT);
	assert_int_equal(ft_radius_decode(rfc_accept, sizeof(rfc_accept) - 1,
	    0, rfc_ra, RFC_SECRET, strlen(RFC_SECRET), &r, &e), FT_EFORMAT);
}

/* A reply with Juniper's attributes (and a Message-Authenticator). */
static size_t
juniper_reply(uint8_t *pkt, uint8_t code, int with_ma)
{
	static const char p1[] = "flow-tap-operation configure";
	static const char p2[] = "view";
	size_t off = 20;

	memset(pkt, 0, 4096);
	pkt[0] = code;
	pkt[1] = 7;
	if (with_ma) {
		pkt[off] = 80;
		pkt[off + 1] = 18;
		off += 18;
	}
	/* Vendor-Specific, Juniper-User-Permissions, twice (ORed). */
	pkt[off] = 26;
	pkt[off + 1] = (uint8_t)(8 + sizeof(p1) - 1);
	pkt[off + 4] = 0x0a;
	pkt[off + 5] = 0x4c;	/* 2636 */
	pkt[off + 6] = 10;
	pkt[off + 7] = (uint8_t)(2 + sizeof(p1) - 1);
	memcpy(pkt + off + 8, p1, sizeof(p1) - 1);
	off += pkt[off + 1];
	pkt[off] = 26;
	pkt[off + 1] = (uint8_t)(8 + sizeof(p2) - 1 + 2 + 10);
	pkt[off + 4] = 0x0a;
	pkt[off + 5] = 0x4c;
	pkt[off + 6] = 10;
	pkt[off + 7] = (uint8_t)(2 + sizeof(p2) - 1);
	memcpy(pkt + off + 8, p2, sizeof(p2) - 1);
	/* ... and Juniper-Local-User-Name in the same attribute. */
	pkt[off + 8 + sizeof(p2) - 1] = 1;
	pkt[off + 9 + sizeof(p2) - 1] = 12;
	memcpy(pkt + off + 10 + sizeof(p2) - 1, "litemplate", 10);
	off += pkt[off + 1];
	return off;
}

static void
test_radius_juniper_attributes(void **state)
{
	uint8_t pkt[4096];
	struct ft_radius_reply r;
	struct ft_err e;
	char text[256];
	size_t len;

	(void)state;
	len = juniper_reply(pkt, 2, 1);
	sign_reply(pkt, len, rfc_ra, "s3cret", 1);
	assert_int_equal(ft_radius_decode(pkt, len, 7, rfc_ra, "s3cret", 6,
	    &r, &e), 0);
	assert_int_equal(r.had_ma, 1);
	assert_int_equal(r.have_perms, 1);
	assert_string_equal(r.local_user, "litemplate");
	assert_string_equal(ft_routercfg_perms_text(r.perms, text,
	    sizeof(text)), "flow-tap-operation configure view");
	/* A Message-Authenticator that does not verify. */
	len = juniper_reply(pkt, 2, 1);
	sign_reply(pkt, len, rfc_ra, "s3cret", 1);
	pkt[22] ^= 0x80;
	sign_reply(pkt, len, rfc_ra, "s3cret", 0);	/* RA still right */
	assert_int_equal(ft_radius_decode(pkt, len, 7, rfc_ra, "s3cret", 6,
	    &r, &e), FT_EINVAL);
	assert_string_equal(e.msg, "radius reply: Message-Authenticator does "
	    "not verify (wrong shared secret?)");
	/* A malformed attribute inside a verified reply. */
	len = juniper_reply(pkt, 2, 0);
	pkt[len - 1 - 20] = 0;
	pkt[21] = 1;
	sign_reply(pkt, len, rfc_ra, "s3cret", 0);
	assert_int_equal(ft_radius_decode(pkt, len, 7, rfc_ra, "s3cret", 6,
	    &r, &e), FT_EFORMAT);
	/* Not an answer to an Access-Request. */
	len = juniper_reply(pkt, 5, 0);
	sign_reply(pkt, len, rfc_ra, "s3cret", 0);
	assert_int_equal(ft_radius_decode(pkt, len, 7, rfc_ra, "s3cret", 6,
	    &r, &e), FT_EFORMAT);
}

/* --- login.h ------------------------------------------------------------ */

static const char login_conf[] =
	"system {\n"
	"    authentication-order [ radius password ];\n"
	"    radius-server 127.0.0.1 secret s3cret;\n"
	"    login {\n"
	"        class ADMSYS { permissions [ admin system ]; }\n"
	"        class NOLI { permissions view; }\n"
	"        class LI { permissions flow-tap-operation; }\n"
	"        user frank { class ADMSYS; }\n"
	"        user remote { class NOLI; }\n"
	"        user lit { class LI; }\n"
	"        user verint { class LI; authentication {\n"
	"            encrypted-password \"$1$cUeV8XKs$28nf0JiRoDeYdE71j4/9q.\";"
	"\n        } }\n"
	"    }\n"
	"}\n"
	"services { flow-tap { interface sp-0/2/0.100; } }\n"
	"interfaces { sp-0/2/0 { unit 100 { family inet; } } }\n";

static struct ft_routercfg lcfg;

static void
load_login_conf(void)
{
	struct ft_err e;

	if (ft_routercfg_parse(&lcfg, login_conf, strlen(login_conf), "t",
	    &e) != 0)
		print_error("%s\n", e.msg);
	assert_int_equal(lcfg.nradius, 1);
}

static void
test_login_seed_worked_example(void **state)
{
	struct ft_login lg;
	char text[256];
	uint64_t want;

	(void)state;
	load_login_conf();
	memset(&lg, 0, sizeof(lg));
	/* RADIUS: "flow-tap-operation configure"; class: [admin system]. */
	assert_int_equal(ft_login_map(&lcfg, "frank", NULL,
	    ft_routercfg_perms_parse("flow-tap-operation configure", 28),
	    "127.0.0.1:1812", &lg), 1);
	want = ft_routercfg_perms_parse("flow-tap-operation configure admin "
	    "system", 41);
	assert_int_equal(lg.perms, want);
	assert_string_equal(ft_routercfg_perms_text(lg.perms, text,
	    sizeof(text)), "flow-tap-operation admin configure system");
	assert_string_equal(lg.account, "frank");
	assert_int_equal(lg.method, FT_AUTH_RADIUS);
	ft_routercfg_wipe(&lcfg);
}

static void
test_login_template_mapping(void **state)
{
	struct ft_login lg;

	(void)state;
	load_login_conf();
	/* Not configured: the template `remote`, RADIUS' bits on top. */
	memset(&lg, 0, sizeof(lg));
	assert_int_equal(ft_login_map(&lcfg, "Bob", NULL,
	    FT_PERM_FLOW_TAP_OPERATION, "s", &lg), 1);
	assert_string_equal(lg.account, "remote");
	assert_true(lg.perms & FT_PERM_FLOW_TAP_OPERATION);
	/* Without RADIUS' bit, remote's class does not have it. */
	memset(&lg, 0, sizeof(lg));
	assert_int_equal(ft_login_map(&lcfg, "carol", NULL, 0, "s", &lg), 1);
	assert_false(lg.perms & FT_PERM_FLOW_TAP_OPERATION);
	/* Juniper-Local-User-Name wins. */
	memset(&lg, 0, sizeof(lg));
	assert_int_equal(ft_login_map(&lcfg, "eve", "lit", 0, "s", &lg), 1);
	assert_string_equal(lg.account, "lit");
	assert_true(lg.perms & FT_PERM_FLOW_TAP_OPERATION);
	/* ... and must be configured. */
	memset(&lg, 0, sizeof(lg));
	assert_int_equal(ft_login_map(&lcfg, "eve", "nosuch", 0, "s", &lg),
	    -1);
	assert_int_equal(lg.admitted, 0);
	assert_string_equal(lg.text, "radius s accepted, but its "
	    "Juniper-Local-User-Name 'nosuch' is not a configured user");
	ft_routercfg_wipe(&lcfg);
}

static void
test_login_no_template_refused(void **state)
{
	struct ft_login lg;
	struct ft_err e;
	static const char conf[] =
	    "system radius-server 10.0.0.1 secret x;\n"
	    "system authentication-order radius;\n"
	    "system login class LI permissions flow-tap-operation;\n"
	    "system login user lit class LI;\n"
	    "services flow-tap interface sp-0/2/0.100;\n"
	    "interfaces sp-0/2/0 unit 100 family inet;\n";

	(void)state;
	assert_int_equal(ft_routercfg_parse(&lcfg, conf, strlen(conf), "t",
	    &e), 0);
	memset(&lg, 0, sizeof(lg));
	assert_int_equal(ft_login_map(&lcfg, "Bob", NULL,
	    FT_PERM_FLOW_TAP_OPERATION, "s", &lg), -1);
	assert_string_equal(lg.text, "radius s accepted, but there is no local "
	    "user 'Bob' and no template user 'remote'");
	ft_routercfg_wipe(&lcfg);
}

static void
test_login_local_without_radius(void **state)
{
	struct ft_login lg;

	(void)state;
	load_login_conf();
	/* replay without --radius: radius is not asked, password decides. */
	ft_login_check(&lcfg, 0, "verint", "verint123", NULL, &lg);
	assert_int_equal(lg.admitted, 1);
	assert_int_equal(lg.method, FT_AUTH_PASSWORD);
	assert_string_equal(lg.text, "radius: not asked; password accepted, "
	    "permissions [flow-tap-operation]");
	ft_login_check(&lcfg, 0, "verint", "wrong", NULL, &lg);
	assert_int_equal(lg.admitted, 0);
	assert_string_equal(lg.text, "radius: not asked; password: wrong "
	    "password");
	ft_login_check(&lcfg, 0, "frank", "x", NULL, &lg);
	assert_string_equal(lg.text, "radius: not asked; password: user "
	    "'frank' has no local password");
	assert_int_equal(ft_login_wait_max(&lcfg), 9);	/* 3 s x 3 */
	ft_routercfg_wipe(&lcfg);
	assert_int_equal(lcfg.radius[0].secret[0], 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_radius_rfc2865_password_hiding),
		cmocka_unit_test(test_radius_message_authenticator_first),
		cmocka_unit_test(test_radius_password_lengths),
		cmocka_unit_test(test_radius_rfc2865_accept_verifies),
		cmocka_unit_test(test_radius_forged_accept_refused),
		cmocka_unit_test(test_radius_juniper_attributes),
		cmocka_unit_test(test_login_seed_worked_example),
		cmocka_unit_test(test_login_template_mapping),
		cmocka_unit_test(test_login_no_template_refused),
		cmocka_unit_test(test_login_local_without_radius),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
