/*
 * deliver.c - copies as real datagrams (deliver.h): raw sockets that send
 * the copy's own headers, or ordinary UDP sockets.
 *
 * The copy is read only through the fields encap.c writes (outer IPv4
 * with IHL 5 or IPv6 without extension headers, then UDP), each read
 * checked against len first.
 *
 * Linux specifics of the raw path, which decide its shape:
 *   - IPv4, IP_HDRINCL: the kernel fills in the total length and the
 *     header checksum (encap.c set them to the same values) and replaces
 *     an ID of 0 with its own (raw(7)); it never fragments (EMSGSIZE
 *     over the route's MTU).
 *   - IPv6, IPV6_HDRINCL (Linux >= 4.5): the packet is sent as given;
 *     the destination's sin6_port must be 0 (else it names a protocol).
 *   - AF_PACKET SOCK_DGRAM: the kernel adds only the link header
 *     (dev_hard_header, the device's own source address), so an IPv4 ID
 *     of 0 survives; the next hop and its link address come from
 *     rtnetlink (RTM_GETROUTE, RTM_GETLINK, RTM_GETNEIGH).
 */
#include "deliver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_arp.h>
#include <linux/if_packet.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "limits.h"

#ifndef IPV6_HDRINCL
#define IPV6_HDRINCL	36	/* linux/in6.h, Linux 4.5 */
#endif
#ifndef ETH_P_IP
#define ETH_P_IP	0x0800
#endif

#define IP4_HLEN	20
#define IP6_HLEN	40
#define UDP_HLEN	8
#define NL_BUF		8192

/* An ordinary UDP socket of udp mode. */
struct usock {
	int fd;			/* -1: the port could not be bound */
	uint8_t family;		/* 4 or 6 */
	uint16_t port;		/* the copy source port it stands for */
	int ttl;		/* TTL / hop limit set on it, -1: none yet */
};

struct ft_deliver {
	enum ft_deliver_mode mode;	/* RAW, UDP or NONE */
	FILE *info;
	struct ft_deliver_stats st;
	int said[FT_DELIVER_F_COUNT];	/* first failure of a kind told */
	int said_ipid, said_port;
	/* raw */
	int raw4, raw6;
	int pkt;		/* AF_PACKET, -1: no link path */
	int nl;			/* NETLINK_ROUTE, -1: no link path */
	uint32_t nlseq;
	uint8_t *nlbuf;
	/* udp */
	struct usock *us;
	unsigned nus;
	struct usock fb[2];	/* ephemeral-port sockets, IPv4 and IPv6 */
};

/* The fields of a copy deliver needs. */
struct copyhdr {
	int family;		/* 4 or 6 */
	const uint8_t *dst;	/* 4 or 16 bytes */
	uint16_t id;		/* IPv4 */
	uint8_t ttl;
	uint16_t sport, dport;
	const uint8_t *payload;	/* after the UDP header */
	uint32_t plen;
};

static const char *const fail_names[FT_DELIVER_F_COUNT] = {
	"again", "toobig", "unreach", "refused", "perm", "bad", "other",
};

static const char *const mode_names[] = { "auto", "raw", "udp", "none" };

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static int
parse_copy(const uint8_t *c, uint32_t len, struct copyhdr *h)
{
	uint32_t hl;

	if (len < 1)
		return -1;
	h->family = c[0] >> 4;
	if (h->family == 4) {
		hl = (uint32_t)(c[0] & 0x0f) * 4;
		if (hl < IP4_HLEN || len < hl + UDP_HLEN || c[9] != 17)
			return -1;
		h->id = rd16(c + 4);
		h->ttl = c[8];
		h->dst = c + 16;
	} else if (h->family == 6) {
		hl = IP6_HLEN;
		if (len < hl + UDP_HLEN || c[6] != 17)
			return -1;
		h->id = 0;
		h->ttl = c[7];
		h->dst = c + 24;
	} else
		return -1;
	h->sport = rd16(c + hl);
	h->dport = rd16(c + hl + 2);
	h->payload = c + hl + UDP_HLEN;
	h->plen = len - hl - UDP_HLEN;
	return 0;
}

static enum ft_deliver_fail
classify_errno(int err)
{
	switch (err) {
	case EAGAIN:
#if EWOULDBLOCK != EAGAIN
	case EWOULDBLOCK:
#endif
	case ENOBUFS:
		return FT_DELIVER_F_AGAIN;
	case EMSGSIZE:
		return FT_DELIVER_F_TOOBIG;
	case ENETUNREACH:
	case EHOSTUNREACH:
	case EHOSTDOWN:
	case ENETDOWN:
		return FT_DELIVER_F_UNREACH;
	case ECONNREFUSED:
		return FT_DELIVER_F_REFUSED;
	case EPERM:
	case EACCES:
		return FT_DELIVER_F_PERM;
	default:
		return FT_DELIVER_F_OTHER;
	}
}

static void
addr_str(int family, const uint8_t *a, char *out, size_t cap)
{
	if (inet_ntop(family == 6 ? AF_INET6 : AF_INET, a, out,
	    (socklen_t)cap) == NULL)
		snprintf(out, cap, "?");
}

/* Count a failure; say the first of each kind. Returns the kind. */
static int
failed(struct ft_deliver *d, enum ft_deliver_fail f, int err,
    const struct copyhdr *h)
{
	char a[INET6_ADDRSTRLEN];

	d->st.fail[f]++;
	d->st.failed++;
	if (!d->said[f] && d->info != NULL) {
		d->said[f] = 1;
		if (h != NULL)
			addr_str(h->family, h->dst, a, sizeof(a));
		else
			snprintf(a, sizeof(a), "?");
		fprintf(d->info, "flowtap: delivery: a copy to %s port %u "
		    "not sent (%s: %s); every failure is counted in "
		    "report.json\n", a, h != NULL ? h->dport : 0,
		    fail_names[f], err != 0 ? strerror(err) :
		    "not an IP/UDP copy");
		fflush(d->info);
	}
	return (int)f + 1;
}

/* --- the link path for IPv4 ID 0 (raw mode) ------------------------------ */

/*
 * One request, its one answer of type want into d->nlbuf. Returns the
 * answer's length, or -1 (an error answer, no answer within the socket's
 * receive timeout, or a send failure).
 */
static int
nl_ask(struct ft_deliver *d, struct nlmsghdr *req, uint16_t want)
{
	struct sockaddr_nl sa;
	struct nlmsghdr *nh;
	struct nlmsgerr *err;
	ssize_t n;
	size_t len, off;

	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	req->nlmsg_seq = ++d->nlseq;
	if (sendto(d->nl, req, req->nlmsg_len, 0, (struct sockaddr *)&sa,
	    sizeof(sa)) < 0)
		return -1;
	for (;;) {
		n = recv(d->nl, d->nlbuf, NL_BUF, 0);
		if (n < 0)
			return -1;
		len = (size_t)n;
		/* NLMSG_OK/NEXT, without their int/unsigned comparisons. */
		for (off = 0; off <= len && len - off >= sizeof(*nh);
		    off += NLMSG_ALIGN(nh->nlmsg_len)) {
			nh = (struct nlmsghdr *)(void *)(d->nlbuf + off);
			if (nh->nlmsg_len < sizeof(*nh) ||
			    nh->nlmsg_len > len - off)
				break;
			if (nh->nlmsg_seq != d->nlseq)
				continue;	/* a stale answer */
			if (nh->nlmsg_type == NLMSG_ERROR) {
				err = NLMSG_DATA(nh);
				if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*err)))
					return -1;
				return err->error == 0 && want == NLMSG_ERROR ?
				    0 : -1;
			}
			if (nh->nlmsg_type == want) {
				memmove(d->nlbuf, nh, nh->nlmsg_len);
				return (int)nh->nlmsg_len;
			}
		}
	}
}

static void
nl_attr(struct nlmsghdr *n, size_t cap, unsigned short type,
    const void *data, size_t dlen)
{
	struct rtattr *rta;
	size_t l = RTA_LENGTH(dlen);

	if (NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(l) > cap)
		return;
	rta = (struct rtattr *)(void *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));
	rta->rta_type = type;
	rta->rta_len = (unsigned short)l;
	memcpy(RTA_DATA(rta), data, dlen);
	n->nlmsg_len = (uint32_t)(NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(l));
}

/* The route to dst: its device, and the next hop (gateway or dst). */
static int
nl_route(struct ft_deliver *d, const uint8_t dst[4], int *ifindex,
    uint8_t hop[4], int *local)
{
	struct {
		struct nlmsghdr n;
		struct rtmsg r;
		char buf[64];
	} req;
	struct nlmsghdr *nh;
	struct rtmsg *rm;
	struct rtattr *rta;
	int len, oif = 0;

	memset(&req, 0, sizeof(req));
	req.n.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg));
	req.n.nlmsg_type = RTM_GETROUTE;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.r.rtm_family = AF_INET;
	req.r.rtm_dst_len = 32;
	nl_attr(&req.n, sizeof(req), RTA_DST, dst, 4);
	if (nl_ask(d, &req.n, RTM_NEWROUTE) < 0)
		return -1;
	nh = (struct nlmsghdr *)(void *)d->nlbuf;
	rm = NLMSG_DATA(nh);
	if (rm->rtm_type != RTN_UNICAST && rm->rtm_type != RTN_LOCAL)
		return -1;
	*local = rm->rtm_type == RTN_LOCAL;
	memcpy(hop, dst, 4);
	len = (int)RTM_PAYLOAD(nh);
	for (rta = RTM_RTA(rm); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == RTA_OIF && RTA_PAYLOAD(rta) == 4)
			memcpy(&oif, RTA_DATA(rta), 4);
		else if (rta->rta_type == RTA_GATEWAY &&
		    RTA_PAYLOAD(rta) == 4)
			memcpy(hop, RTA_DATA(rta), 4);
		else if (rta->rta_type == RTA_MULTIPATH)
			return -1;	/* a choice only the kernel makes */
	}
	if (oif <= 0)
		return -1;
	*ifindex = oif;
	return 0;
}

/* The device's type, flags and link-address length. */
static int
nl_link(struct ft_deliver *d, int ifindex, unsigned *type, unsigned *flags,
    unsigned *alen)
{
	struct {
		struct nlmsghdr n;
		struct ifinfomsg i;
		char buf[32];
	} req;
	struct nlmsghdr *nh;
	struct ifinfomsg *ifi;
	struct rtattr *rta;
	int len;

	memset(&req, 0, sizeof(req));
	req.n.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	req.n.nlmsg_type = RTM_GETLINK;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.i.ifi_family = AF_UNSPEC;
	req.i.ifi_index = ifindex;
	if (nl_ask(d, &req.n, RTM_NEWLINK) < 0)
		return -1;
	nh = (struct nlmsghdr *)(void *)d->nlbuf;
	ifi = NLMSG_DATA(nh);
	*type = ifi->ifi_type;
	*flags = ifi->ifi_flags;
	*alen = 0;
	len = (int)IFLA_PAYLOAD(nh);
	for (rta = IFLA_RTA(ifi); RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if (rta->rta_type == IFLA_ADDRESS)
			*alen = (unsigned)RTA_PAYLOAD(rta);
	return 0;
}

/* The neighbour's link address when its entry can be used. */
static int
nl_neigh(struct ft_deliver *d, int ifindex, const uint8_t hop[4],
    uint8_t *lladdr, unsigned alen)
{
	struct {
		struct nlmsghdr n;
		struct ndmsg m;
		char buf[32];
	} req;
	struct nlmsghdr *nh;
	struct ndmsg *nd;
	struct rtattr *rta;
	int len, have = 0;

	memset(&req, 0, sizeof(req));
	req.n.nlmsg_len = NLMSG_LENGTH(sizeof(struct ndmsg));
	req.n.nlmsg_type = RTM_GETNEIGH;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.m.ndm_family = AF_INET;
	req.m.ndm_ifindex = ifindex;
	nl_attr(&req.n, sizeof(req), NDA_DST, hop, 4);
	if (nl_ask(d, &req.n, RTM_NEWNEIGH) < 0)
		return -1;
	nh = (struct nlmsghdr *)(void *)d->nlbuf;
	nd = NLMSG_DATA(nh);
	if (!(nd->ndm_state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY |
	    NUD_PROBE | NUD_PERMANENT | NUD_NOARP)))
		return -1;
	len = (int)(nh->nlmsg_len - NLMSG_LENGTH(sizeof(*nd)));
	for (rta = (struct rtattr *)(void *)((char *)nd +
	    NLMSG_ALIGN(sizeof(*nd))); RTA_OK(rta, len);
	    rta = RTA_NEXT(rta, len))
		if (rta->rta_type == NDA_LLADDR && RTA_PAYLOAD(rta) == alen) {
			memcpy(lladdr, RTA_DATA(rta), alen);
			have = 1;
		}
	return have ? 0 : -1;
}

/* Ask the kernel to resolve hop (as `ip neigh replace ... use`). */
static void
nl_solicit(struct ft_deliver *d, int ifindex, const uint8_t hop[4])
{
	struct {
		struct nlmsghdr n;
		struct ndmsg m;
		char buf[32];
	} req;

	memset(&req, 0, sizeof(req));
	req.n.nlmsg_len = NLMSG_LENGTH(sizeof(struct ndmsg));
	req.n.nlmsg_type = RTM_NEWNEIGH;
	req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE |
	    NLM_F_ACK;
	req.m.ndm_family = AF_INET;
	req.m.ndm_ifindex = ifindex;
	req.m.ndm_state = NUD_NONE;
	req.m.ndm_flags = NTF_USE;
	nl_attr(&req.n, sizeof(req), NDA_DST, hop, 4);
	(void)nl_ask(d, &req.n, NLMSG_ERROR);
}

static void
sleep_ms(unsigned ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/*
 * Send an IPv4 copy on the link layer. Returns 0 sent, > 0 a send
 * failure kind (counted), -1 when the next hop cannot be had (nothing
 * counted: the caller falls back to the raw socket).
 */
static int
link_send(struct ft_deliver *d, const uint8_t *copy, uint32_t len,
    const struct copyhdr *h)
{
	struct sockaddr_ll sll;
	uint8_t hop[4];
	unsigned type, flags, alen, waited;
	int ifindex, local, err;

	if (d->pkt < 0 || d->nl < 0)
		return -1;
	if (nl_route(d, h->dst, &ifindex, hop, &local) != 0 ||
	    nl_link(d, ifindex, &type, &flags, &alen) != 0)
		return -1;
	/*
	 * A frame put on lo is routed as input: to 127/8 it is a martian
	 * (unless route_localnet) and silently dropped. The raw socket it is.
	 */
	if (local && h->dst[0] == 127)
		return -1;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IP);
	sll.sll_ifindex = ifindex;
	if (alen > sizeof(sll.sll_addr))
		return -1;
	if (type == ARPHRD_LOOPBACK || local || alen == 0) {
		/* lo's own header has all-zero addresses; tun has none. */
		sll.sll_halen = (unsigned char)alen;
	} else if (type == ARPHRD_ETHER && !(flags & IFF_NOARP)) {
		sll.sll_halen = (unsigned char)alen;
		waited = 0;
		while (nl_neigh(d, ifindex, hop, sll.sll_addr, alen) != 0) {
			if (waited >= FT_DELIVER_RESOLVE_MS)
				return -1;
			if (waited == 0)
				nl_solicit(d, ifindex, hop);
			sleep_ms(1);
			waited++;
		}
	} else
		return -1;	/* a link the module does not address */
	if (sendto(d->pkt, copy, len, MSG_DONTWAIT, (struct sockaddr *)&sll,
	    sizeof(sll)) < 0) {
		err = errno;
		return failed(d, classify_errno(err), err, h);
	}
	d->st.link_sent++;
	d->st.sent++;
	return 0;
}

/* --- raw mode ------------------------------------------------------------ */

static int
raw_send(struct ft_deliver *d, const uint8_t *copy, uint32_t len,
    const struct copyhdr *h)
{
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;
	const struct sockaddr *sa;
	socklen_t salen;
	int fd, rc, err;

	if (h->family == 4) {
		if (h->id == 0) {
			rc = link_send(d, copy, len, h);
			if (rc >= 0)
				return rc;
			d->st.ipid_kernel++;
			if (!d->said_ipid && d->info != NULL) {
				d->said_ipid = 1;
				fprintf(d->info, "flowtap: delivery: an IPv4 "
				    "copy with ID 0 could not go out on the "
				    "link layer (next hop not resolved, or a "
				    "destination in 127/8): sent through the "
				    "raw socket, the kernel chose its ID "
				    "(ipid_kernel in report.json)\n");
				fflush(d->info);
			}
		}
		memset(&s4, 0, sizeof(s4));
		s4.sin_family = AF_INET;
		memcpy(&s4.sin_addr, h->dst, 4);
		sa = (const struct sockaddr *)&s4;
		salen = sizeof(s4);
		fd = d->raw4;
	} else {
		memset(&s6, 0, sizeof(s6));
		s6.sin6_family = AF_INET6;	/* port 0: IPPROTO_RAW */
		memcpy(&s6.sin6_addr, h->dst, 16);
		sa = (const struct sockaddr *)&s6;
		salen = sizeof(s6);
		fd = d->raw6;
	}
	if (sendto(fd, copy, len, MSG_DONTWAIT, sa, salen) < 0) {
		err = errno;
		return failed(d, classify_errno(err), err, h);
	}
	d->st.sent++;
	return 0;
}

/* --- udp mode ------------------------------------------------------------ */

/* A UDP socket of family bound to port (0: any), or -1. */
static int
udp_socket(int family, uint16_t port)
{
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;
	int fd, one = 1, rc;

	fd = socket(family == 6 ? AF_INET6 : AF_INET,
	    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (family == 6) {
		/* The IPv4 socket of the same port is another one. */
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
		    sizeof(one));
		memset(&s6, 0, sizeof(s6));
		s6.sin6_family = AF_INET6;
		s6.sin6_addr = in6addr_any;
		s6.sin6_port = htons(port);
		rc = bind(fd, (struct sockaddr *)&s6, sizeof(s6));
	} else {
		memset(&s4, 0, sizeof(s4));
		s4.sin_family = AF_INET;
		s4.sin_addr.s_addr = htonl(INADDR_ANY);
		s4.sin_port = htons(port);
		rc = bind(fd, (struct sockaddr *)&s4, sizeof(s4));
	}
	if (rc != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The socket for copies of family from source port sport. */
static struct usock *
udp_sock(struct ft_deliver *d, int family, uint16_t sport, int *fallback)
{
	struct usock *u, *fb;
	unsigned i;

	*fallback = 0;
	for (i = 0; i < d->nus; i++) {
		u = &d->us[i];
		if (u->family == family && u->port == sport) {
			if (u->fd >= 0)
				return u;
			goto use_fallback;
		}
	}
	if (d->nus < FT_DELIVER_SOCKS_MAX) {
		u = &d->us[d->nus++];
		u->family = (uint8_t)family;
		u->port = sport;
		u->ttl = -1;
		u->fd = udp_socket(family, sport);
		if (u->fd >= 0)
			return u;
	}
use_fallback:
	*fallback = 1;
	fb = &d->fb[family == 6];
	if (fb->fd < 0) {
		fb->fd = udp_socket(family, 0);
		fb->family = (uint8_t)family;
		fb->ttl = -1;
	}
	return fb->fd >= 0 ? fb : NULL;
}

static int
udp_send(struct ft_deliver *d, const struct copyhdr *h)
{
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;
	const struct sockaddr *sa;
	socklen_t salen;
	struct usock *u;
	int fallback, ttl, err;

	u = udp_sock(d, h->family, h->sport, &fallback);
	if (u == NULL) {
		err = errno;
		return failed(d, FT_DELIVER_F_OTHER, err, h);
	}
	ttl = h->ttl;
	/* IP_TTL takes 1..255: a TTL of 0 cannot be asked for. */
	if (u->ttl != ttl && !(h->family == 4 && ttl == 0)) {
		if (h->family == 6)
			(void)setsockopt(u->fd, IPPROTO_IPV6,
			    IPV6_UNICAST_HOPS, &ttl, sizeof(ttl));
		else
			(void)setsockopt(u->fd, IPPROTO_IP, IP_TTL, &ttl,
			    sizeof(ttl));
		u->ttl = ttl;
	}
	if (h->family == 6) {
		memset(&s6, 0, sizeof(s6));
		s6.sin6_family = AF_INET6;
		memcpy(&s6.sin6_addr, h->dst, 16);
		s6.sin6_port = htons(h->dport);
		sa = (const struct sockaddr *)&s6;
		salen = sizeof(s6);
	} else {
		memset(&s4, 0, sizeof(s4));
		s4.sin_family = AF_INET;
		memcpy(&s4.sin_addr, h->dst, 4);
		s4.sin_port = htons(h->dport);
		sa = (const struct sockaddr *)&s4;
		salen = sizeof(s4);
	}
	if (sendto(u->fd, h->payload, h->plen, MSG_DONTWAIT, sa, salen) < 0) {
		err = errno;
		return failed(d, classify_errno(err), err, h);
	}
	d->st.sent++;
	if (fallback) {
		d->st.port_fallback++;
		if (!d->said_port && d->info != NULL) {
			d->said_port = 1;
			fprintf(d->info, "flowtap: delivery: UDP source port "
			    "%u cannot be bound: copies from it leave from "
			    "an ephemeral port (port_fallback in "
			    "report.json)\n", h->sport);
			fflush(d->info);
		}
	}
	return 0;
}

/* --- setup --------------------------------------------------------------- */

/* Open the raw sockets; -1 with *err and *what set when not permitted. */
static int
open_raw(struct ft_deliver *d, int *err, const char **what)
{
	struct timeval tv;
	int one = 1;

	d->raw4 = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_RAW);
	if (d->raw4 < 0) {
		*err = errno;
		*what = "raw IPv4 socket";
		return -1;
	}
	/* IPPROTO_RAW implies IP_HDRINCL on Linux; said anyway. */
	(void)setsockopt(d->raw4, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one));
	d->raw6 = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_RAW);
	if (d->raw6 < 0) {
		*err = errno;
		*what = "raw IPv6 socket";
		return -1;
	}
	if (setsockopt(d->raw6, IPPROTO_IPV6, IPV6_HDRINCL, &one,
	    sizeof(one)) != 0) {
		*err = errno;
		*what = "IPV6_HDRINCL (Linux 4.5 or later)";
		return -1;
	}
	/* The link path for IPv4 ID 0; without it those go raw. */
	d->pkt = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	d->nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	d->nlbuf = malloc(NL_BUF);
	if (d->nl >= 0) {
		tv.tv_sec = 0;
		tv.tv_usec = 200000;	/* the kernel answers at once */
		(void)setsockopt(d->nl, SOL_SOCKET, SO_RCVTIMEO, &tv,
		    sizeof(tv));
	}
	if (d->pkt < 0 || d->nl < 0 || d->nlbuf == NULL) {
		if (d->pkt >= 0)
			close(d->pkt);
		if (d->nl >= 0)
			close(d->nl);
		d->pkt = d->nl = -1;
	}
	return 0;
}

static void
close_raw(struct ft_deliver *d)
{
	if (d->raw4 >= 0)
		close(d->raw4);
	if (d->raw6 >= 0)
		close(d->raw6);
	if (d->pkt >= 0)
		close(d->pkt);
	if (d->nl >= 0)
		close(d->nl);
	d->raw4 = d->raw6 = d->pkt = d->nl = -1;
}

int
ft_deliver_new(enum ft_deliver_mode mode, FILE *info,
    struct ft_deliver **out, struct ft_err *e)
{
	struct ft_deliver *d;
	const char *what = NULL;
	int err = 0;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return ft_err_set(e, FT_ENOMEM, "out of memory");
	d->info = info;
	d->raw4 = d->raw6 = d->pkt = d->nl = -1;
	d->fb[0].fd = d->fb[1].fd = -1;
	if (mode == FT_DELIVER_AUTO || mode == FT_DELIVER_RAW) {
		if (open_raw(d, &err, &what) == 0) {
			d->mode = FT_DELIVER_RAW;
		} else {
			close_raw(d);
			if (mode == FT_DELIVER_RAW) {
				ft_err_set(e, FT_EIO, "delivery: cannot open "
				    "the %s: %s", what, strerror(err));
				ft_deliver_free(d);
				return FT_EIO;
			}
			mode = FT_DELIVER_UDP;
		}
	}
	if (mode == FT_DELIVER_UDP) {
		d->mode = FT_DELIVER_UDP;
		d->us = calloc(FT_DELIVER_SOCKS_MAX, sizeof(*d->us));
		if (d->us == NULL) {
			ft_deliver_free(d);
			return ft_err_set(e, FT_ENOMEM, "out of memory");
		}
	} else if (mode == FT_DELIVER_NONE)
		d->mode = FT_DELIVER_NONE;
	if (info != NULL) {
		if (d->mode == FT_DELIVER_RAW)
			fprintf(info, "flowtap: delivery: raw sockets: copies "
			    "leave byte for byte as intercept.pcap holds "
			    "them%s\n", d->pkt < 0 ? " (but IPv4 ID 0 is the "
			    "kernel's: no AF_PACKET/netlink socket)" : "");
		else if (d->mode == FT_DELIVER_UDP)
			fprintf(info, "flowtap: delivery: UDP sockets%s%s%s: "
			    "the UDP payload is the copy's (jmirror header "
			    "and original packet), the outer headers are the "
			    "kernel's (source address, IPv4 ID, checksums, "
			    "fragmentation); TTL, destination and, where it "
			    "can be bound, the source port are the copy's\n",
			    what != NULL ? " (cannot open the " : "",
			    what != NULL ? what : "",
			    what != NULL ? (err == EPERM ? ": no CAP_NET_RAW)" :
			    ")") : "");
		else
			fprintf(info, "flowtap: delivery: none: copies are "
			    "not sent\n");
		fflush(info);
	}
	*out = d;
	return 0;
}

void
ft_deliver_free(struct ft_deliver *d)
{
	unsigned i;

	if (d == NULL)
		return;
	close_raw(d);
	for (i = 0; i < d->nus; i++)
		if (d->us[i].fd >= 0)
			close(d->us[i].fd);
	for (i = 0; i < 2; i++)
		if (d->fb[i].fd >= 0)
			close(d->fb[i].fd);
	free(d->us);
	free(d->nlbuf);
	free(d);
}

const char *
ft_deliver_mode_name(const struct ft_deliver *d)
{
	return mode_names[d->mode];
}

int
ft_deliver_mode_parse(const char *s, enum ft_deliver_mode *out)
{
	unsigned i;

	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (strcmp(s, mode_names[i]) == 0) {
			*out = (enum ft_deliver_mode)i;
			return 0;
		}
	return FT_EINVAL;
}

const char *
ft_deliver_fail_name(enum ft_deliver_fail f)
{
	return (unsigned)f < FT_DELIVER_F_COUNT ? fail_names[f] : "?";
}

int
ft_deliver_send(struct ft_deliver *d, const uint8_t *copy, uint32_t len)
{
	struct copyhdr h;

	if (parse_copy(copy, len, &h) != 0)
		return failed(d, FT_DELIVER_F_BAD, 0, NULL);
	if (d->mode == FT_DELIVER_NONE)
		return 0;
	if (d->mode == FT_DELIVER_RAW)
		return raw_send(d, copy, len, &h);
	return udp_send(d, &h);
}

int
ft_deliver_copy(void *ctx, uint64_t ts_ns, const uint8_t *copy,
    uint32_t len, struct ft_err *e)
{
	(void)ts_ns;
	(void)e;
	(void)ft_deliver_send(ctx, copy, len);
	return 0;
}

const struct ft_deliver_stats *
ft_deliver_stats(const struct ft_deliver *d)
{
	return &d->st;
}
