/*
 * fuzz_dtcp.c - libFuzzer target: DTCP request bytes.
 *
 * The input is one message as it arrives on the wire. It goes through
 * ft_dtcp_parse; a message the parser accepts then goes through what
 * tasking does with it: ft_rule_from_add under a permissive
 * environment (every interface and VRF declared, timeouts allowed),
 * the filter-list parsers on every value, ft_dtcp_find and
 * ft_dtcp_param_known on every name, and a reply echoing every
 * parameter, finished with its MAC.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "dtcp.h"
#include "encap.h"
#include "limits.h"
#include "rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Large objects live outside the stack and are reused between inputs. */
static struct ft_dtcp_msg msg;
static struct ft_rule rule;
static struct ft_dtcp_reply reply;
static uint8_t encap_out[FT_ENCAP_HDR_MAX + 64];

static const char *const names[] = {
	"Csource-ID", "Cdest-ID", "Seq", "Criteria-ID", "Flags",
	"Source-Address", "Dest-Address", "Source-Port", "Dest-Port",
	"Protocol", "X-JTap-Cdest-Dest-Address", "X-MD-Intercept-Id",
	"Authentication-Info", "",
};

static int
yes(void *ctx, const char *name, size_t len)
{
	(void)ctx;
	(void)name;
	(void)len;
	return 1;
}

/* Copy a counted string into a NUL-terminated buffer; 0 if it is longer. */
static int
cstr(char *out, size_t cap, const char *s, size_t len)
{
	if (len >= cap)
		return 0;
	memcpy(out, s, len);
	out[len] = '\0';
	return 1;
}

/* Abort unless p[0..len) lies inside msg.buf[0..msg.len). */
static void
inside(const char *p, size_t len)
{
	if (p < msg.buf || p > msg.buf + msg.len ||
	    len > (size_t)(msg.buf + msg.len - p))
		abort();
}

static void
check_rule(void)
{
	static const uint8_t payload[20] = { 0x45, 0, 0, 20 };
	unsigned ci;
	int n;

	if (rule.ncdest < 1 || rule.ncdest > FT_CDEST_MAX ||
	    (rule.family != 4 && rule.family != 6) ||
	    rule.echo_len > sizeof(rule.echo) ||
	    memchr(rule.csource, '\0', sizeof(rule.csource)) == NULL)
		abort();
	for (ci = 0; ci < rule.ncdest; ci++) {
		n = ft_encap_build(encap_out, sizeof(encap_out), &rule, ci, 1,
		    payload, sizeof(payload));
		if (n < 0 || (size_t)n != ft_encap_len(&rule, ci,
		    sizeof(payload)))
			abort();
		if (memcmp(encap_out + n - sizeof(payload), payload,
		    sizeof(payload)) != 0)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char key[] = FT_AUTH_DEFAULT_KEY;
	char errparam[256], name[FT_DTCP_LINE_MAX + 1];
	char value[FT_DTCP_LINE_MAX + 1];
	struct ft_rule_env env;
	struct ft_num_filter nf;
	struct ft_addr_filter af;
	const struct ft_dtcp_param *p, *q;
	uint8_t fam;
	unsigned i;
	int rc, code;

	memset(errparam, 'x', sizeof(errparam));
	rc = ft_dtcp_parse(&msg, (const char *)data, size, errparam,
	    sizeof(errparam));
	if (memchr(errparam, '\0', sizeof(errparam)) == NULL)
		abort();
	if (rc != 0) {
		if (rc != 400)
			abort();
		return 0;
	}
	if (msg.len > FT_DTCP_MSG_MAX || msg.nparams > FT_DTCP_PARAMS_MAX ||
	    msg.mac_len > msg.len ||
	    memchr(msg.method, '\0', sizeof(msg.method)) == NULL)
		abort();
	if (msg.auth != NULL)
		inside(msg.auth, msg.auth_len);

	for (i = 0; i < msg.nparams; i++) {
		p = &msg.p[i];
		inside(p->name, p->name_len);
		inside(p->value, p->value_len);
		(void)ft_dtcp_param_known(p->name, p->name_len, msg.version);
		(void)ft_rule_parse_nums(p->value, p->value_len, 65535, 5, 1,
		    &nf);
		(void)ft_rule_parse_nums(p->value, p->value_len, UINT64_MAX,
		    20, 0, &nf);
		(void)ft_rule_parse_addrs(p->value, p->value_len, &af, &fam);
		if (!cstr(name, sizeof(name), p->name, p->name_len))
			continue;
		/* The first parameter of that name: never a later one. */
		q = ft_dtcp_find(&msg, name);
		if (q == NULL || q > p)
			abort();
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		(void)ft_dtcp_find(&msg, names[i]);

	memset(&env, 0, sizeof(env));
	env.allow_timeouts = 1;
	env.has_ifl = yes;
	env.has_vrf = yes;
	memset(errparam, 'x', sizeof(errparam));
	code = ft_rule_from_add(&rule, &msg, &env, errparam,
	    sizeof(errparam));
	if (memchr(errparam, '\0', sizeof(errparam)) == NULL)
		abort();
	if (code == 0)
		check_rule();
	else if (code < 400)
		abort();

	/* A reply as tasking writes one, echoing every parameter. */
	ft_dtcp_reply_start(&reply, msg.version, code == 0 ? 200 : code);
	(void)ft_dtcp_reason(code);
	for (i = 0; i < msg.nparams; i++) {
		p = &msg.p[i];
		if (cstr(name, sizeof(name), p->name, p->name_len) &&
		    cstr(value, sizeof(value), p->value, p->value_len))
			ft_dtcp_reply_add(&reply, name, value);
	}
	ft_dtcp_reply_addu(&reply, "SEQ", UINT64_MAX);
	rc = ft_dtcp_reply_finish(&reply, key, sizeof(key) - 1);
	if (reply.len > sizeof(reply.buf) || (rc == 0 && reply.overflow) ||
	    (rc == 0 && reply.mac_len > reply.len))
		abort();
	return 0;
}
