/*
 * auth.c - DTCP Authentication-Info: HMAC-SHA1 (RFC 2104) through
 * OpenSSL 3's one-shot HMAC() (HMAC_CTX is deprecated there).
 */
#include "auth.h"

#include <stdint.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "err.h"

#define SHA1_LEN 20

static const char hexdig[] = "0123456789abcdef";

/* Raw 20-byte HMAC-SHA1; 0 or FT_EINVAL. */
static int
mac_raw(const void *key, size_t keylen, const void *data, size_t len,
    unsigned char out[SHA1_LEN])
{
	unsigned int outlen = 0;
	static const unsigned char empty[1];

	/* HMAC() takes an int key length. (<limits.h> is ours: -Iengine.) */
	if (keylen > 0x7fffffffu)
		return FT_EINVAL;
	/* OpenSSL wants non-NULL pointers even for empty input. */
	if (key == NULL)
		key = empty;
	if (data == NULL)
		data = empty;
	if (HMAC(EVP_sha1(), key, (int)keylen, data, len, out, &outlen) ==
	    NULL || outlen != SHA1_LEN)
		return FT_EINVAL;
	return 0;
}

int
ft_auth_hex(const void *key, size_t keylen, const void *data, size_t len,
    char out[FT_AUTH_HEX_LEN + 1])
{
	unsigned char md[SHA1_LEN];
	size_t i;
	int rc;

	rc = mac_raw(key, keylen, data, len, md);
	if (rc != 0) {
		out[0] = '\0';
		return rc;
	}
	for (i = 0; i < SHA1_LEN; i++) {
		out[2 * i] = hexdig[md[i] >> 4];
		out[2 * i + 1] = hexdig[md[i] & 0x0f];
	}
	out[FT_AUTH_HEX_LEN] = '\0';
	OPENSSL_cleanse(md, sizeof(md));
	return 0;
}

/* Value of one lower-case hex digit, or -1. */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
ft_auth_check(const void *key, size_t keylen, const void *data,
    size_t len, const char *hex, size_t hexlen)
{
	unsigned char want[SHA1_LEN], got[SHA1_LEN];
	size_t i;
	int hi, lo, ok;

	if (hex == NULL || hexlen != FT_AUTH_HEX_LEN)
		return 0;
	for (i = 0; i < SHA1_LEN; i++) {
		hi = hexval(hex[2 * i]);
		lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return 0;
		got[i] = (unsigned char)(hi << 4 | lo);
	}
	if (mac_raw(key, keylen, data, len, want) != 0)
		return 0;
	ok = CRYPTO_memcmp(want, got, SHA1_LEN) == 0;
	OPENSSL_cleanse(want, sizeof(want));
	return ok;
}

void
ft_auth_wipe(void *p, size_t n)
{
	if (p != NULL && n > 0)
		OPENSSL_cleanse(p, n);
}
