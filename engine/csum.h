/*
 * csum.h - the Internet checksum (RFC 1071), for the encapsulator and the
 * trace generators.
 */
#ifndef FT_CSUM_H
#define FT_CSUM_H

#include <stddef.h>
#include <stdint.h>

/* Add the 16-bit big-endian words of p[0..n) (odd tail padded) to sum. */
uint64_t ft_csum_add(uint64_t sum, const uint8_t *p, size_t n);

/* Fold a sum to 16 bits and complement it: the checksum field value. */
uint16_t ft_csum_fold(uint64_t sum);

#endif
