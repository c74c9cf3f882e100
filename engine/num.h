/*
 * num.h - the one ranged number parser every module uses for untrusted
 * text (DTCP values, script directives, config statements, CLI options).
 */
#ifndef FT_NUM_H
#define FT_NUM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parse the whole token s[0..len) as an unsigned decimal with at most
 * maxdigits digits (leading zeros count) and a value in [min, max].
 * No sign, no spaces, no empty token. Returns 0 and sets *out, or
 * FT_EINVAL (not a number / too many digits) or FT_ELIMIT (out of range).
 */
int ft_num_u64(const char *s, size_t len, unsigned maxdigits, uint64_t min,
    uint64_t max, uint64_t *out);

/*
 * Parse a decimal seconds value "S[.fraction]" with up to 9 fractional
 * digits into nanoseconds (at most maxsec whole seconds). Returns 0,
 * FT_EINVAL or FT_ELIMIT like ft_num_u64.
 */
int ft_num_seconds_ns(const char *s, size_t len, uint64_t maxsec,
    uint64_t *out_ns);

#endif
