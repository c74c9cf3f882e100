/*
 * radius.c - the RADIUS client of logins (radius.h): PAP with
 * Message-Authenticator, replies verified before they are read.
 *
 * Packets are built and read through offsets bounded by the packet's own
 * length, never by casting to structs. Every buffer that held the hidden
 * password or the secret is wiped before it is given back.
 */
#include "radius.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define HDR_LEN		20	/* code, id, length, authenticator */
#define AUTH_LEN	16
#define MA_LEN		18	/* Message-Authenticator: type, len, 16 */

/* Attributes (RFC 2865 5, RFC 2869 5.14). */
#define A_USER_NAME	1
#define A_USER_PASSWORD	2
#define A_NAS_IP	4
#define A_REPLY_MSG	18
#define A_VENDOR	26
#define A_CALLING	31
#define A_NAS_ID	32
#define A_NAS_PORT_TYPE	61
#define A_MSG_AUTH	80

#define NAS_PORT_TYPE_VIRTUAL	5

/* MD5 of the concatenation of up to three pieces. */
static int
md5_3(uint8_t out[16], const void *a, size_t alen, const void *b,
    size_t blen, const void *c, size_t clen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int n = 0;
	int ok;

	if (ctx == NULL)
		return FT_ENOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_md5(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, a, alen) == 1 &&
	    (blen == 0 || EVP_DigestUpdate(ctx, b, blen) == 1) &&
	    (clen == 0 || EVP_DigestUpdate(ctx, c, clen) == 1) &&
	    EVP_DigestFinal_ex(ctx, out, &n) == 1 && n == 16;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : FT_EIO;
}

static int
hmac_md5(uint8_t out[16], const char *key, size_t keylen, const uint8_t *p,
    size_t len)
{
	unsigned int n = 0;

	if (HMAC(EVP_md5(), key, (int)keylen, p, len, out, &n) == NULL ||
	    n != 16)
		return FT_EIO;
	return 0;
}

static void
put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static size_t
get16(const uint8_t *p)
{
	return (size_t)p[0] << 8 | p[1];
}

/* Append attribute type with value v[0..vlen) at *off. */
static int
put_attr(uint8_t *buf, size_t cap, size_t *off, uint8_t type,
    const void *v, size_t vlen, struct ft_err *e)
{
	if (vlen > 253)
		return ft_err_set(e, FT_EINVAL,
		    "radius attribute %u longer than 253 bytes", type);
	if (*off + 2 + vlen > cap)
		return ft_err_set(e, FT_ELIMIT,
		    "radius request larger than %zu bytes", cap);
	buf[*off] = type;
	buf[*off + 1] = (uint8_t)(2 + vlen);
	if (vlen > 0)
		memcpy(buf + *off + 2, v, vlen);
	*off += 2 + vlen;
	return 0;
}

/*
 * User-Password (RFC 2865 5.2): the password padded with NULs to a
 * multiple of 16, each block XORed with MD5(secret + previous block),
 * the first with MD5(secret + Request Authenticator).
 */
static int
put_password(uint8_t *buf, size_t cap, size_t *off, const uint8_t ra[16],
    const char *secret, size_t slen, const char *pw, struct ft_err *e)
{
	size_t plen = strlen(pw), padded, i, j;
	uint8_t b[16], *c;
	const uint8_t *prev = ra;
	int rc;

	if (plen > FT_RADIUS_PASSWORD_MAX)
		return ft_err_set(e, FT_EINVAL,
		    "password longer than %d bytes cannot be sent by RADIUS",
		    FT_RADIUS_PASSWORD_MAX);
	padded = plen == 0 ? 16 : (plen + 15) / 16 * 16;
	if (*off + 2 + padded > cap)
		return ft_err_set(e, FT_ELIMIT,
		    "radius request larger than %zu bytes", cap);
	buf[*off] = A_USER_PASSWORD;
	buf[*off + 1] = (uint8_t)(2 + padded);
	c = buf + *off + 2;
	memset(c, 0, padded);
	memcpy(c, pw, plen);
	for (i = 0; i < padded; i += 16) {
		if ((rc = md5_3(b, secret, slen, prev, 16, NULL, 0)) != 0) {
			explicit_bzero(c, padded);
			return ft_err_set(e, rc, "radius: MD5 failed");
		}
		for (j = 0; j < 16; j++)
			c[i + j] ^= b[j];
		prev = c + i;
	}
	explicit_bzero(b, sizeof(b));
	*off += 2 + padded;
	return 0;
}

int
ft_radius_encode(uint8_t *buf, size_t cap, uint8_t id, const uint8_t ra[16],
    const char *secret, size_t slen, const struct ft_radius_req *rq,
    size_t *len, struct ft_err *e)
{
	static const uint8_t zero[16];
	uint8_t ptype[4] = { 0, 0, 0, NAS_PORT_TYPE_VIRTUAL };
	uint8_t mac[16];
	size_t off = HDR_LEN, ulen, ma_off;
	int rc;

	if (rq->user == NULL || (ulen = strlen(rq->user)) == 0 || ulen > 253)
		return ft_err_set(e, FT_EINVAL,
		    "radius: user name empty or longer than 253 bytes");
	if (rq->password == NULL)
		return ft_err_set(e, FT_EINVAL, "radius: no password");
	if (cap > FT_RADIUS_PACKET_MAX)
		cap = FT_RADIUS_PACKET_MAX;
	if (cap < HDR_LEN + MA_LEN)
		return ft_err_set(e, FT_ELIMIT, "radius: buffer too small");
	buf[0] = FT_RADIUS_ACCESS_REQUEST;
	buf[1] = id;
	memcpy(buf + 4, ra, AUTH_LEN);
	/* Message-Authenticator first; computed once the rest is there. */
	ma_off = off;
	if ((rc = put_attr(buf, cap, &off, A_MSG_AUTH, zero, 16, e)) != 0 ||
	    (rc = put_attr(buf, cap, &off, A_USER_NAME, rq->user, ulen,
	    e)) != 0 ||
	    (rc = put_password(buf, cap, &off, ra, secret, slen,
	    rq->password, e)) != 0)
		goto fail;
	if (rq->nas_id != NULL && rq->nas_id[0] != '\0' &&
	    (rc = put_attr(buf, cap, &off, A_NAS_ID, rq->nas_id,
	    strlen(rq->nas_id), e)) != 0)
		goto fail;
	if (rq->nas_ip4 != NULL &&
	    (rc = put_attr(buf, cap, &off, A_NAS_IP, rq->nas_ip4, 4, e)) != 0)
		goto fail;
	if ((rc = put_attr(buf, cap, &off, A_NAS_PORT_TYPE, ptype, 4, e)) != 0)
		goto fail;
	if (rq->calling != NULL && rq->calling[0] != '\0' &&
	    (rc = put_attr(buf, cap, &off, A_CALLING, rq->calling,
	    strlen(rq->calling), e)) != 0)
		goto fail;
	put16(buf + 2, off);
	if ((rc = hmac_md5(mac, secret, slen, buf, off)) != 0) {
		rc = ft_err_set(e, rc, "radius: HMAC-MD5 failed");
		goto fail;
	}
	memcpy(buf + ma_off + 2, mac, 16);
	*len = off;
	return 0;
fail:
	explicit_bzero(buf, off < cap ? off : cap);
	return rc;
}

/* A Juniper-Local-User-Name usable as a user name: 1..FT_NAME_MAX printable. */
static void
take_name(char dst[FT_NAME_MAX + 1], const uint8_t *v, size_t n)
{
	size_t i;

	dst[0] = '\0';
	if (n == 0 || n > FT_NAME_MAX)
		return;
	for (i = 0; i < n; i++)
		if (v[i] <= 0x20 || v[i] >= 0x7f)
			return;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

/* Juniper's sub-attributes of one Vendor-Specific value v[0..n). */
static int
read_juniper(const uint8_t *v, size_t n, struct ft_radius_reply *r,
    struct ft_err *e)
{
	size_t off = 0, l;

	while (off < n) {
		if (n - off < 2 || (l = v[off + 1]) < 2 || l > n - off)
			return ft_err_set(e, FT_EFORMAT,
			    "radius reply: malformed Juniper attribute");
		if (v[off] == FT_RADIUS_JUNIPER_PERMISSIONS) {
			r->perms |= ft_routercfg_perms_parse(
			    (const char *)v + off + 2, l - 2);
			r->have_perms = 1;
		} else if (v[off] == FT_RADIUS_JUNIPER_LOCAL_USER)
			take_name(r->local_user, v + off + 2, l - 2);
		off += l;
	}
	return 0;
}

int
ft_radius_decode(const uint8_t *pkt, size_t len, uint8_t id,
    const uint8_t ra[16], const char *secret, size_t slen,
    struct ft_radius_reply *r, struct ft_err *e)
{
	uint8_t copy[FT_RADIUS_PACKET_MAX];
	uint8_t want[16], got[16];
	size_t plen, off, l, ma = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	if (len < HDR_LEN)
		return ft_err_set(e, FT_EFORMAT,
		    "radius reply: %zu bytes, shorter than its header", len);
	if (pkt[1] != id)
		return ft_err_set(e, FT_ENOENT,
		    "radius reply: identifier %u, not %u", pkt[1], id);
	plen = get16(pkt + 2);
	if (plen < HDR_LEN || plen > len || plen > FT_RADIUS_PACKET_MAX)
		return ft_err_set(e, FT_EFORMAT,
		    "radius reply: length %zu of %zu bytes received", plen,
		    len);
	/* Response Authenticator: MD5(code id length RA attributes secret). */
	memcpy(copy, pkt, plen);
	memcpy(copy + 4, ra, AUTH_LEN);
	if ((rc = md5_3(want, copy, plen, secret, slen, NULL, 0)) != 0)
		return ft_err_set(e, rc, "radius: MD5 failed");
	if (CRYPTO_memcmp(want, pkt + 4, AUTH_LEN) != 0)
		return ft_err_set(e, FT_EINVAL,
		    "radius reply: Response Authenticator does not verify "
		    "(wrong shared secret?)");
	/* Attributes: well formed, and the Message-Authenticator if any. */
	for (off = HDR_LEN; off < plen; off += l) {
		if (plen - off < 2 || (l = pkt[off + 1]) < 2 || l > plen - off)
			return ft_err_set(e, FT_EFORMAT,
			    "radius reply: malformed attribute at offset %zu",
			    off);
		if (pkt[off] == A_MSG_AUTH) {
			if (l != MA_LEN || ma != 0)
				return ft_err_set(e, FT_EFORMAT,
				    "radius reply: bad Message-Authenticator");
			ma = off;
		}
	}
	if (ma != 0) {
		/* RFC 3579 3.2: over the reply with the request's RA. */
		memset(copy + ma + 2, 0, 16);
		if ((rc = hmac_md5(got, secret, slen, copy, plen)) != 0)
			return ft_err_set(e, rc, "radius: HMAC-MD5 failed");
		if (CRYPTO_memcmp(got, pkt + ma + 2, 16) != 0)
			return ft_err_set(e, FT_EINVAL,
			    "radius reply: Message-Authenticator does not "
			    "verify (wrong shared secret?)");
		r->had_ma = 1;
	}
	switch (pkt[0]) {
	case FT_RADIUS_ACCESS_ACCEPT:
	case FT_RADIUS_ACCESS_REJECT:
	case FT_RADIUS_ACCESS_CHALLENGE:
		r->code = pkt[0];
		break;
	default:
		return ft_err_set(e, FT_EFORMAT,
		    "radius reply: code %u is not an answer to an "
		    "Access-Request", pkt[0]);
	}
	for (off = HDR_LEN; off < plen; off += l) {
		l = pkt[off + 1];
		if (pkt[off] != A_VENDOR || l < 6)
			continue;
		if (get16(pkt + off + 2) != 0 ||
		    get16(pkt + off + 4) != FT_RADIUS_VENDOR_JUNIPER)
			continue;
		if ((rc = read_juniper(pkt + off + 6, l - 6, r, e)) != 0)
			return rc;
	}
	return 0;
}

/* --- the exchange ------------------------------------------------------ */

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* A connected UDP socket to srv (bound to its source-address if any). */
static int
open_socket(const struct ft_cfg_radius *srv, struct ft_err *e)
{
	struct sockaddr_storage to, from;
	socklen_t tolen, fromlen = 0;
	int fd, fam;

	memset(&to, 0, sizeof(to));
	memset(&from, 0, sizeof(from));
	if (inet_pton(AF_INET, srv->addr,
	    &((struct sockaddr_in *)&to)->sin_addr) == 1) {
		fam = AF_INET;
		((struct sockaddr_in *)&to)->sin_family = AF_INET;
		((struct sockaddr_in *)&to)->sin_port = htons((uint16_t)srv->port);
		tolen = sizeof(struct sockaddr_in);
		if (srv->source[0] != '\0' && inet_pton(AF_INET, srv->source,
		    &((struct sockaddr_in *)&from)->sin_addr) == 1) {
			((struct sockaddr_in *)&from)->sin_family = AF_INET;
			fromlen = sizeof(struct sockaddr_in);
		}
	} else if (inet_pton(AF_INET6, srv->addr,
	    &((struct sockaddr_in6 *)&to)->sin6_addr) == 1) {
		fam = AF_INET6;
		((struct sockaddr_in6 *)&to)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)&to)->sin6_port =
		    htons((uint16_t)srv->port);
		tolen = sizeof(struct sockaddr_in6);
		if (srv->source[0] != '\0' && inet_pton(AF_INET6, srv->source,
		    &((struct sockaddr_in6 *)&from)->sin6_addr) == 1) {
			((struct sockaddr_in6 *)&from)->sin6_family = AF_INET6;
			fromlen = sizeof(struct sockaddr_in6);
		}
	} else
		return ft_err_set(e, FT_EINVAL, "'%s' is not an address",
		    srv->addr);
	fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return ft_err_set(e, FT_EIO, "socket: %s", strerror(errno));
	if (fromlen != 0 && bind(fd, (struct sockaddr *)&from, fromlen) != 0) {
		ft_err_set(e, FT_EIO, "cannot bind source-address %s: %s",
		    srv->source, strerror(errno));
		close(fd);
		return FT_EIO;
	}
	/* Connected: the kernel passes only datagrams from the server. */
	if (connect(fd, (struct sockaddr *)&to, tolen) != 0) {
		ft_err_set(e, FT_EIO, "connect: %s", strerror(errno));
		close(fd);
		return FT_EIO;
	}
	return fd;
}

int
ft_radius_ask(const struct ft_cfg_radius *srv,
    const struct ft_radius_req *rq, struct ft_radius_reply *r,
    struct ft_err *e)
{
	uint8_t req[FT_RADIUS_PACKET_MAX], in[FT_RADIUS_PACKET_MAX];
	uint8_t rnd[1 + AUTH_LEN];
	struct ft_err de;
	size_t len = 0;
	unsigned attempt;
	int fd, rc, bad = 0, malformed = 0;
	char lastbad[FT_ERR_MSG_MAX];

	lastbad[0] = '\0';
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return ft_err_set(e, FT_EIO, "getrandom: %s", strerror(errno));
	rc = ft_radius_encode(req, sizeof(req), rnd[0], rnd + 1, srv->secret,
	    srv->secret_len, rq, &len, e);
	if (rc != 0)
		return rc;
	fd = open_socket(srv, e);
	if (fd < 0) {
		explicit_bzero(req, len);
		return FT_EIO;
	}
	rc = FT_EIO;
	for (attempt = 1; attempt <= srv->retry; attempt++) {
		uint64_t end = mono_ms() + (uint64_t)srv->timeout_s * 1000u;
		ssize_t n;

		n = send(fd, req, len, 0);
		if (n < 0 && errno == ECONNREFUSED)
			n = send(fd, req, len, 0);	/* an earlier ICMP */
		if (n < 0) {
			if (errno == ECONNREFUSED) {
				ft_err_set(e, FT_EIO, "port unreachable");
				goto out;
			}
			ft_err_set(e, FT_EIO, "send: %s", strerror(errno));
			goto out;
		}
		for (;;) {
			struct pollfd pfd = { .fd = fd, .events = POLLIN };
			uint64_t now = mono_ms();
			int prc;

			if (now >= end)
				break;
			prc = poll(&pfd, 1, (int)(end - now));
			if (prc < 0 && errno == EINTR)
				continue;
			if (prc <= 0)
				break;
			n = recv(fd, in, sizeof(in), 0);
			if (n < 0) {
				if (errno == EAGAIN || errno == EINTR)
					continue;
				if (errno == ECONNREFUSED) {
					ft_err_set(e, FT_EIO,
					    "port unreachable");
					goto out;
				}
				ft_err_set(e, FT_EIO, "recv: %s",
				    strerror(errno));
				goto out;
			}
			rc = ft_radius_decode(in, (size_t)n, rnd[0], rnd + 1,
			    srv->secret, srv->secret_len, r, &de);
			if (rc == 0)
				goto out;
			/* Never believed; keep waiting for the real one. */
			if (rc == FT_EINVAL)
				bad++;
			else if (rc == FT_EFORMAT)
				malformed++;
			if (rc != FT_ENOENT)
				snprintf(lastbad, sizeof(lastbad), "%s", de.msg);
			rc = FT_EIO;
		}
	}
	if (bad > 0)
		ft_err_set(e, FT_EIO, "no reply that verifies after %u "
		    "attempt%s of %u s (%s)", srv->retry,
		    srv->retry == 1 ? "" : "s", srv->timeout_s, lastbad);
	else if (malformed > 0)
		ft_err_set(e, FT_EIO, "no usable reply after %u attempt%s of "
		    "%u s (%s)", srv->retry, srv->retry == 1 ? "" : "s",
		    srv->timeout_s, lastbad);
	else
		ft_err_set(e, FT_EIO, "no reply after %u attempt%s of %u s "
		    "(server down, or it dropped the request: a wrong shared "
		    "secret makes the Message-Authenticator fail)",
		    srv->retry, srv->retry == 1 ? "" : "s", srv->timeout_s);
out:
	explicit_bzero(req, sizeof(req));
	explicit_bzero(in, sizeof(in));
	close(fd);
	return rc;
}
