/*
 * fuzz_radius.c - libFuzzer target: a RADIUS reply (radius.h), the only
 * bytes a network peer hands the login code.
 *
 * Byte 0, bit 0: clear = the rest is decoded as received (almost always
 * refused at the Response Authenticator); set = the rest is first signed
 * with the secret as a server would (Response Authenticator, and the
 * Message-Authenticator when the packet has one where a first attribute
 * would be), so the attribute walk and Juniper's vendor attributes are
 * reached. ft_radius_decode must never read outside the packet, and what
 * it returns must be within its bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "err.h"
#include "limits.h"
#include "radius.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t ra[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
	14, 15, 16 };
static const char secret[] = "fuzz-secret";

static void
sign(uint8_t *p, size_t len)
{
	uint8_t copy[FT_RADIUS_PACKET_MAX + 16], mac[16];
	unsigned n;
	EVP_MD_CTX *c;

	if (len < 20)
		return;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	memcpy(p + 4, ra, 16);
	if (len >= 38 && p[20] == 80 && p[21] == 18) {
		memset(p + 22, 0, 16);
		HMAC(EVP_md5(), secret, sizeof(secret) - 1, p, len, mac, &n);
		memcpy(p + 22, mac, 16);
	}
	memcpy(copy, p, len);
	memcpy(copy + len, secret, sizeof(secret) - 1);
	c = EVP_MD_CTX_new();
	if (c == NULL)
		abort();
	EVP_DigestInit_ex(c, EVP_md5(), NULL);
	EVP_DigestUpdate(c, copy, len + sizeof(secret) - 1);
	EVP_DigestFinal_ex(c, p + 4, &n);
	EVP_MD_CTX_free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *p;
	struct ft_radius_reply r;
	struct ft_err e;
	size_t len;
	int rc;

	if (size < 1 || size - 1 > FT_RADIUS_PACKET_MAX)
		return 0;
	len = size - 1;
	/* An exact-size copy, so ASan sees any read past the packet. */
	p = malloc(len > 0 ? len : 1);
	if (p == NULL)
		return 0;
	memcpy(p, data + 1, len);
	if (data[0] & 1)
		sign(p, len);
	rc = ft_radius_decode(p, len, len > 1 ? p[1] : 0, ra, secret,
	    sizeof(secret) - 1, &r, &e);
	if (rc == 0) {
		if (r.code != FT_RADIUS_ACCESS_ACCEPT &&
		    r.code != FT_RADIUS_ACCESS_REJECT &&
		    r.code != FT_RADIUS_ACCESS_CHALLENGE)
			abort();
		if (memchr(r.local_user, '\0', sizeof(r.local_user)) == NULL)
			abort();
	} else if (rc != FT_EFORMAT && rc != FT_EINVAL && rc != FT_ENOENT)
		abort();
	if (memchr(e.msg, '\0', sizeof(e.msg)) == NULL && rc != 0)
		abort();
	free(p);
	return 0;
}
