/*
 * auth.h - DTCP Authentication-Info: HMAC-SHA1 (RFC 2104) through OpenSSL.
 */
#ifndef FT_AUTH_H
#define FT_AUTH_H

#include <stddef.h>

#define FT_AUTH_HEX_LEN 40
#define FT_AUTH_DEFAULT_KEY "Juniper"

/*
 * HMAC-SHA1 of data[0..len) with key[0..keylen), written as 40 lower-case
 * hex digits and a NUL into out. Returns 0, or FT_EINVAL if OpenSSL fails.
 */
int ft_auth_hex(const void *key, size_t keylen, const void *data, size_t len,
    char out[FT_AUTH_HEX_LEN + 1]);

/*
 * 1 if hex[0..hexlen) is exactly the 40 lower-case hex digits of the MAC
 * of data, else 0. The comparison of the digests is constant-time.
 */
int ft_auth_check(const void *key, size_t keylen, const void *data,
    size_t len, const char *hex, size_t hexlen);

/* Overwrite n bytes at p with zeros in a way the compiler keeps. */
void ft_auth_wipe(void *p, size_t n);

#endif
