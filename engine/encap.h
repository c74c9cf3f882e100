/*
 * encap.h - the copy sent to a content destination (SPEC 6): outer
 * IPv4/IPv6 + UDP [+ 8-byte jmirror header] + the original IP packet.
 */
#ifndef FT_ENCAP_H
#define FT_ENCAP_H

#include <stddef.h>
#include <stdint.h>

#include "rule.h"

/*
 * Length of the outer IP packet for a payload of plen bytes sent to
 * content destination ci of r: header(s) + plen.
 */
size_t ft_encap_len(const struct ft_rule *r, unsigned ci, size_t plen);

/*
 * Build the copy into out[0..cap): outer header from r and its content
 * destination ci, IPv4 ID ipid (ignored for IPv6), then payload[0..plen).
 * Returns the length written, or FT_ELIMIT if cap is too small or the
 * result does not fit the outer header's 16-bit length field (IPv4 total
 * length / IPv6 payload length).
 */
int ft_encap_build(uint8_t *out, size_t cap, const struct ft_rule *r,
    unsigned ci, uint16_t ipid, const uint8_t *payload, size_t plen);

#endif
