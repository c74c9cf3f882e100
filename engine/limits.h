/*
 * limits.h - every hard cap of flowtap in one place, each with its reason.
 *
 * Going over any of these is an error reported to the caller (a DTCP
 * 400, a script or config error naming the line, a counted malformed
 * packet), never a silent truncation.
 */
#ifndef FT_LIMITS_H
#define FT_LIMITS_H

/* DTCP (SPEC 2): caps that bound the parser's work and memory. */
#define FT_DTCP_MSG_MAX		8192	/* bytes of one message, CRLFs included */
#define FT_DTCP_LINE_MAX	1024	/* bytes of one line, CRLF excluded */
#define FT_DTCP_PARAMS_MAX	64	/* parameter lines of one message */
#define FT_DTCP_METHOD_MAX	15	/* longest method token kept */

/* Names (Csource-ID, Cdest-ID, user, class, interface): DSTRINGs. */
#define FT_NAME_MAX		64

/* Criteria (SPEC 3): the seed's chassis limit, IPv4 and IPv6 together. */
#define FT_CRITERIA_MAX		100
/* Content destinations per ADD (D03 B.1.1, J-FTL). */
#define FT_CDEST_MAX		2
/* Entries of one filter list (addresses, ports, protocols, ICMP). */
#define FT_FILTER_ENTRIES_MAX	32
/* X-JTap-Input/Output-Interface entries per ADD (D03 B.1.1). */
#define FT_IFL_PER_ADD_MAX	8
/* Criteria-ID list entries in one DELETE/LIST selector. */
#define FT_CRITID_ENTRIES_MAX	64

/* Router configuration (SPEC 4). */
#define FT_CFG_FILE_MAX		(1024 * 1024)	/* bytes of a config file */
#define FT_CFG_DEPTH_MAX	16	/* nesting of { } blocks */
#define FT_CFG_USERS_MAX	64
#define FT_CFG_CLASSES_MAX	64
#define FT_CFG_IFLS_MAX		256	/* interface units declared */
#define FT_CFG_VRFS_MAX		64	/* routing-instances declared */
#define FT_CFG_CONN_LIMIT_DEF	75	/* J-SSH default, range 1..250 */
#define FT_CFG_RATE_LIMIT_DEF	150	/* J-SSH default, range 1..250 */
#define FT_CFG_SSH_LIMIT_MAX	250
#define FT_CFG_WORDS_MAX	256	/* words of one statement, with the
					   headers of its enclosing blocks */
/* system radius-server entries: Junos tries them in order. */
#define FT_CFG_RADIUS_MAX	8
/* authentication-order methods (radius, password), each at most once. */
#define FT_CFG_AUTH_METHODS_MAX	2
/* A numeric address as text, INET6_ADDRSTRLEN (46) with room to spare. */
#define FT_CFG_ADDR_MAX		48
/*
 * A RADIUS shared secret: RFC 2865 sets no maximum; 128 bytes is more
 * than any server's configuration tool produces (FreeRADIUS' own secret
 * generator makes 16-32), and keeps the hiding loop's buffer small.
 */
#define FT_RADIUS_SECRET_MAX	128
/*
 * RFC 2865 5.2: User-Password is at most 128 bytes (padded to 16). A
 * longer password cannot be sent and is refused.
 */
#define FT_RADIUS_PASSWORD_MAX	128
/* RFC 2865 3: the largest RADIUS packet. */
#define FT_RADIUS_PACKET_MAX	4096
/*
 * Control sources remembered for their Seq (tasking): the configured
 * users plus as many RADIUS-only users, after which a new control source
 * is refused at login rather than forgetting anyone's Seq.
 */
#define FT_CSOURCES_MAX		(2 * FT_CFG_USERS_MAX)

/* Sessions: at most the largest configurable connection-limit. */
#define FT_SESSIONS_MAX		250

/* Scripts (SPEC 9). */
#define FT_SCRIPT_FILE_MAX	(16 * 1024 * 1024)	/* bytes of a script */
#define FT_SCRIPT_EVENTS_MAX	100000

/* Packets: the largest capture length libpcap hands out (MAXIMUM_SNAPLEN). */
#define FT_SNAPLEN_MAX		262144
/*
 * pcapng input (trace.c). A block is read whole into one buffer: at most
 * 16 MiB, libpcap's INITIAL_MAX_BLOCKSIZE. A packet block needs 32 bytes
 * + FT_SNAPLEN_MAX + its options; bigger blocks (of any type) only come
 * from damaged or hostile files, and the cap bounds that buffer.
 */
#define FT_TRACE_BLOCK_MAX	(16 * 1024 * 1024)
/*
 * Interfaces of one pcapng section: far more than any capture host has;
 * bounds the interface table (about 100 bytes each).
 */
#define FT_TRACE_IFACES_MAX	4096
/*
 * Longest pcapng if_name kept: flowtap's interface names (config, DTCP)
 * are FT_NAME_MAX at most, so a longer one matches nothing; it is
 * reported as unknown (NULL), never truncated into another name.
 */
#define FT_TRACE_IFNAME_MAX	FT_NAME_MAX
/* Outer headers: IPv6 (40) + UDP (8) + jmirror (8). */
#define FT_ENCAP_HDR_MAX	56
/* Matching criteria of one packet: all of them. */
#define FT_MATCH_MAX		FT_CRITERIA_MAX



/* A reply: a LIST of FT_CRITERIA_MAX entries of ~25 lines each fits. */
#define FT_DTCP_REPLY_MAX	(256 * 1024)
/* IPv6 extension headers walked per packet: bounds the decoder's work. */
#define FT_DECODE_EXTHDR_MAX	16
/*
 * Criteria one classifier table takes (bench: FlowTapLite's 3000). The
 * fast matcher keeps one summary bit per 64-criterion word: 64 words.
 */
#define FT_CLASSIFY_CAP_MAX	4096

/*
 * Live delivery (deliver.c). UDP sockets of udp mode, one per family and
 * copy source port: 100 criteria x 2 destinations need at most 200 at a
 * time; beyond, copies leave from an ephemeral port (counted).
 */
#define FT_DELIVER_SOCKS_MAX	256
/*
 * Raw mode, an IPv4 copy with ID 0 (once per 65536 copies): how long the
 * loop may wait, once, for the kernel to resolve the next hop's link
 * address before the copy goes through the raw socket with a kernel ID.
 * A neighbour on the same link answers in well under a millisecond.
 */
#define FT_DELIVER_RESOLVE_MS	100

/*
 * Reading an output folder back (flowtap report: json.c, reportgen.c):
 * report.json of 100 criteria is ~40 KiB; rates.csv of a 1-hour run at
 * 1 ms is ~700 MB, read line by line (never whole).
 */
#define FT_JSON_FILE_MAX	(64 * 1024 * 1024)
#define FT_JSON_DEPTH_MAX	64	/* nesting of arrays and objects */
#define FT_JSON_NODES_MAX	(1024 * 1024)	/* values in one document */
#define FT_CSV_LINE_MAX		4096	/* bytes of one CSV line */
#define FT_REPORT_BINS_MAX	600	/* points per time chart */
#endif
