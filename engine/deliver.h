/*
 * deliver.h - copies to content destinations as real datagrams (SPEC 1,
 * 6, 10: the live router's UDP delivery).
 *
 * Two modes, chosen once at start-up:
 *
 *   raw  (needs CAP_NET_RAW) the copy leaves byte for byte as
 *        intercept.pcap holds it: outer source address, TTL / hop
 *        limit, IPv4 ID, UDP ports and checksums, jmirror header. IPv4
 *        through an AF_INET SOCK_RAW IPPROTO_RAW socket (IP_HDRINCL),
 *        IPv6 through AF_INET6 SOCK_RAW IPPROTO_RAW with IPV6_HDRINCL
 *        (Linux 4.5 or later). Linux replaces an IPv4 ID of 0 on a raw
 *        socket with one of its own, so an IPv4 copy with ID 0 (the
 *        first copy of a run, and every 65536th) is sent on the link
 *        layer instead (AF_PACKET to the next hop the routing and
 *        neighbour tables name, resolving it first if needed; see
 *        FT_DELIVER_RESOLVE_MS); only when that fails, and for a
 *        destination in 127/8 (a frame put on lo is routed as input,
 *        where 127/8 is martian), does it go through the raw socket,
 *        counted as ipid_kernel.
 *   udp  (without CAP_NET_RAW, or asked for) ordinary UDP sockets, one
 *        per family and copy source port, bound to that port where the
 *        port can be bound (else an ephemeral port, counted as
 *        port_fallback), sending the UDP payload (jmirror header and
 *        original packet) to the copy's destination with the copy's TTL
 *        (hop limit). The outer header is then the kernel's: the
 *        source address is the host's, the IPv4 ID, checksums and
 *        fragmentation are its choice.
 *   none nothing is sent (serve --delivery none: only --write-copies).
 *
 * Sends never block (MSG_DONTWAIT): a full socket buffer is a failure
 * (again), counted like every other failure by kind, and the first
 * failure of each kind is said once on the info stream. Nothing is
 * retried or queued: the order of the copies is kept by never holding
 * one back. No libpcap or kernel type appears here.
 */
#ifndef FT_DELIVER_H
#define FT_DELIVER_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"

enum ft_deliver_mode {
	FT_DELIVER_AUTO = 0,	/* raw when permitted, else udp */
	FT_DELIVER_RAW,
	FT_DELIVER_UDP,
	FT_DELIVER_NONE
};

/* Send failures by kind (errno of sendto). */
enum ft_deliver_fail {
	FT_DELIVER_F_AGAIN = 0,	/* EAGAIN, EWOULDBLOCK, ENOBUFS: buffer full */
	FT_DELIVER_F_TOOBIG,	/* EMSGSIZE: larger than the path MTU (raw) */
	FT_DELIVER_F_UNREACH,	/* ENETUNREACH, EHOSTUNREACH, EHOSTDOWN... */
	FT_DELIVER_F_REFUSED,	/* ECONNREFUSED: ICMP port unreachable (udp) */
	FT_DELIVER_F_PERM,	/* EPERM, EACCES: a firewall refused it */
	FT_DELIVER_F_BAD,	/* a copy the module cannot read (a bug) */
	FT_DELIVER_F_OTHER,
	FT_DELIVER_F_COUNT
};

struct ft_deliver_stats {
	uint64_t sent;		/* copies the kernel accepted */
	uint64_t failed;	/* copies not sent: the sum of fail[] */
	uint64_t fail[FT_DELIVER_F_COUNT];
	uint64_t link_sent;	/* raw: IPv4 ID 0 copies sent on the link */
	uint64_t ipid_kernel;	/* raw: ... sent through the raw socket */
	uint64_t port_fallback;	/* udp: sent from another source port */
};

struct ft_deliver;

/*
 * Open the sockets of mode (AUTO: raw if the raw sockets open, else
 * udp). info (may be NULL) gets one line saying the mode chosen and,
 * for udp, that the outer headers are the kernel's and why; later the
 * first failure of each kind. Returns 0 with *out set, or FT_EIO with e
 * set when the mode asked for cannot be had (raw without CAP_NET_RAW,
 * IPV6_HDRINCL missing) or FT_ENOMEM.
 */
int ft_deliver_new(enum ft_deliver_mode mode, FILE *info,
    struct ft_deliver **out, struct ft_err *e);

/* Close every socket; NULL is a no-op. */
void ft_deliver_free(struct ft_deliver *d);

/* "raw", "udp" or "none": the mode in use. */
const char *ft_deliver_mode_name(const struct ft_deliver *d);

/* "auto", "raw", "udp", "none". Returns 0 or FT_EINVAL. */
int ft_deliver_mode_parse(const char *s, enum ft_deliver_mode *out);

/* The name of a failure kind ("again", "toobig", ...), for reports. */
const char *ft_deliver_fail_name(enum ft_deliver_fail f);

/*
 * Send one copy (an outer IPv4 or IPv6 packet with its UDP header, len
 * bytes, as encap.h builds it). Returns 0 when the kernel took it,
 * else the failure kind (> 0, counted). Never blocks beyond a
 * neighbour resolution for an IPv4 ID 0 copy (raw mode).
 */
int ft_deliver_send(struct ft_deliver *d, const uint8_t *copy, uint32_t len);

/*
 * The same as an ft_pic_copy_fn (pic.h): ctx is the struct ft_deliver.
 * Always returns 0: a failed send is counted, it never stops the
 * packet's other copies or the run.
 */
int ft_deliver_copy(void *ctx, uint64_t ts_ns, const uint8_t *copy,
    uint32_t len, struct ft_err *e);

const struct ft_deliver_stats *ft_deliver_stats(const struct ft_deliver *d);

#endif
