/*
 * report.h - run accounting for report.json, rates.csv and csources.csv
 * (SPEC 8, docs/reports.md).
 *
 * Counters are bumped on the per-packet path (no allocation there except
 * when a criterion or a control source is seen for the first time);
 * rates.csv and csources.csv are streamed interval by interval;
 * report.json is written once at the end with keys in a fixed order, so
 * identical runs give identical bytes.
 *
 * Two moments are counted apart, so that no word means two counts:
 * "offered" is before the budget (what the criteria ask the PIC for),
 * "passed"/"dropped" after it. Drops are split by cause: the packet
 * bucket alone was short, the byte bucket alone, or both.
 */
#ifndef FT_REPORT_H
#define FT_REPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "budget.h"
#include "decode.h"
#include "err.h"
#include "limits.h"
#include "tasking.h"

/*
 * One direction's counts (a window, a criterion's copies): packets (at
 * egress: copies) and bytes offered to the budget, passed and dropped,
 * and the drops by cause.
 */
struct ft_report_dir {
	uint64_t off, pass, drop;
	uint64_t off_b, pass_b, drop_b;
	uint64_t drop_pkt, drop_byte, drop_both;
};

/*
 * Warnings: what did not stop the run but lost or bent something a user
 * would want to know about (report.json "warnings", the summary, replay
 * --strict). Each kind is counted, with its first occurrence in words.
 */
enum ft_report_warn {
	FT_REPORT_W_EMPTY_SCRIPT = 0,	/* the script has no event */
	FT_REPORT_W_TRACE_CUT,		/* the trace ends inside a record */
	FT_REPORT_W_TS_ORDER,		/* a record older than the clock */
	FT_REPORT_W_FAMILY,		/* IP family not configured */
	FT_REPORT_W_LINKTYPE,		/* a link type not decoded */
	FT_REPORT_W_AFTER_TRACE,	/* script events after the last record */
	FT_REPORT_W_UNDELIVERED,	/* a script message with no session */
	FT_REPORT_W_UNKNOWN_X,		/* an unknown X- parameter, ignored */
	FT_REPORT_W_X_NEAR,		/* ... a typo of a known X-JTap one */
	FT_REPORT_W_COUNT
};

#define FT_REPORT_WARN_TEXT_MAX 256

struct ft_report_warning {
	uint64_t count;
	char first[FT_REPORT_WARN_TEXT_MAX];	/* "" until counted */
};

/* Counters of one window (a rates interval, a second, 100 ms). */
struct ft_report_win {
	uint64_t packets;	/* records read */
	struct ft_report_dir in, eg;
};

struct ft_report_crit {
	uint64_t id;
	char csource[FT_NAME_MAX + 1];
	/*
	 * Before the budget: packets that matched it and were offered to
	 * the ingress budget, their wire bytes, and the copies they ask
	 * for (one per content destination each).
	 */
	uint64_t off_packets, off_bytes, off_copies;
	/* Of those, dropped at ingress (their copies were never made). */
	uint64_t in_drop, in_drop_b, in_drop_copies;
	uint64_t packets, bytes;	/* passed ingress: matched at the PIC */
	struct ft_report_dir eg;	/* its copies at the egress budget */
	uint64_t toobig;		/* copies too big for the outer header */
	size_t src;		/* its control source's row in src[] */
};

/* A control source's counters in the current rates interval. */
struct ft_report_srciv {
	uint64_t in_off, in_off_b, in_drop;
	uint64_t eg_off, eg_off_b, eg_pass, eg_drop;
};

struct ft_report_src {
	char csource[FT_NAME_MAX + 1];
	/*
	 * Distinct packets offered to ingress that matched at least one of
	 * its criteria, their bytes, and those dropped at ingress; copies
	 * asked for and lost at ingress are the sums over its criteria.
	 */
	uint64_t off_packets, off_bytes, off_copies;
	uint64_t in_drop, in_drop_b, in_drop_copies;
	/* Sums over its criteria (a packet counts once per criterion). */
	uint64_t packets, bytes;
	struct ft_report_dir eg;
	uint64_t toobig;
	uint64_t last_pkt;	/* serial of the last packet counted above */
	struct ft_report_srciv iv;
};

struct ft_report {
	uint64_t interval_ns;
	FILE *rates;
	FILE *csrates;
	int started;
	uint64_t base_ns, last_ns;
	uint64_t pkt_serial;	/* packets offered to ingress so far */
	/* The first drop by the budget: clock, direction (1 in, 2 eg), why. */
	uint64_t first_drop_ns;
	int first_drop_dir, first_drop_why;
	uint64_t now_ns;	/* the current record's clock */

	uint64_t read;
	uint64_t skip[FT_DECODE_REASON_COUNT];
	uint64_t family_off;	/* IP family not configured on the unit */
	uint64_t encap_errors;	/* copy too big for the outer header */
	struct ft_report_warning warn[FT_REPORT_W_COUNT];

	struct ft_report_crit *crit;	/* ascending id */
	size_t ncrit, capcrit;
	struct ft_report_src *src;	/* first-seen order until finish */
	size_t nsrc, capsrc;

	uint64_t cur_iv;	/* current rates interval index */
	struct ft_report_win iv;
	uint64_t cur_sec, cur_dsec;	/* current 1 s and 100 ms windows */
	struct ft_report_win sec, peak, dsec, dpeak;
	/*
	 * Offsets [lo, hi) covered by the current windows, so a record
	 * inside all of them costs no division.
	 */
	uint64_t iv_lo, iv_hi, sec_lo, sec_hi, dsec_lo, dsec_hi;
	uint64_t all_lo, all_hi;	/* inside all three */
};

/*
 * The live router's data plane (serve: dataplane.h): its source, capture
 * drops and delivery, written as report.json's "live" object. Strings
 * may be NULL (JSON null); fail_name/fail_count hold nfail send-failure
 * kinds.
 */
struct ft_report_live {
	const char *source;	/* "capture", "trace" or "none" */
	const char *name;	/* the interface or file */
	const char *speed;	/* trace: "1", "0.5", "top" */
	uint64_t records;	/* records fed to the PIC */
	uint64_t capture_received;	/* libpcap ps_recv */
	uint64_t capture_drops;		/* ps_drop */
	uint64_t capture_ifdrops;	/* ps_ifdrop */
	const char *delivery;	/* "raw", "udp", "none" */
	uint64_t sent, send_failed;
	unsigned nfail;
	const char *const *fail_name;
	const uint64_t *fail_count;
	uint64_t link_sent, ipid_kernel, port_fallback;
	const char *copies_file;	/* --write-copies */
	uint64_t copies_written;
};

/* What the final report states besides the counters. */
struct ft_report_info {
	const char *trace, *script, *config, *profile;
	int linktype;
	const struct ft_budget_cfg *budget;
	const struct ft_budget *ingress, *egress;
	const struct ft_tasking_stats *tasking;
	/* serve's data plane; NULL (replay): no "live" object */
	const struct ft_report_live *live;
	/*
	 * The control sources the run knew (replay: the script's
	 * Csource-IDs), so the summary names those without a match; may be
	 * NULL.
	 */
	const char *const *agencies;
	size_t nagencies;
};

/*
 * rates and csrates (each may be NULL) receive their CSV header now and
 * rows per non-empty interval. FT_EINVAL when interval_ns is 0.
 */
int ft_report_init(struct ft_report *r, uint64_t interval_ns, FILE *rates,
    FILE *csrates, struct ft_err *e);
void ft_report_release(struct ft_report *r);

/*
 * Start the report at t, or move its windows to the one holding t (the
 * rates interval, the second and the 100 ms window), flushing those left.
 */
void ft_report_windows(struct ft_report *r, uint64_t t);

/*
 * A record read at engine clock t (called first for every record). Inline:
 * most records stay inside the current windows and only count.
 */
static inline void
ft_report_packet(struct ft_report *r, uint64_t t)
{
	if (!r->started || t - r->base_ns < r->all_lo ||
	    t - r->base_ns >= r->all_hi)
		ft_report_windows(r, t);
	if (t > r->last_ns)
		r->last_ns = t;
	r->now_ns = t;
	r->read++;
	r->iv.packets++;
	r->sec.packets++;
	r->dsec.packets++;
}
void ft_report_skip(struct ft_report *r, enum ft_decode_reason why);
/*
 * A packet of `bytes` wire bytes offered to the ingress budget; why is
 * ft_budget_judge's answer (0: passed). Call once per packet, before the
 * ft_report_offer calls of its criteria.
 */
void ft_report_ingress(struct ft_report *r, uint64_t bytes, int why);
/*
 * That packet matched criterion id of csource, which has ncdest content
 * destinations; passed: it passed ingress. Returns the criterion's row
 * for the ft_report_egress / ft_report_toobig calls of its copies (valid
 * until the next ft_report_offer), or NULL on no memory (the criterion
 * then goes uncounted).
 */
struct ft_report_crit *ft_report_offer(struct ft_report *r, uint64_t id,
    const char *csource, unsigned ncdest, uint64_t bytes, int passed);
/*
 * A copy of `bytes` bytes of criterion c offered to the egress budget;
 * why as above. c may be NULL (only the totals count it).
 */
void ft_report_egress(struct ft_report *r, struct ft_report_crit *c,
    uint64_t bytes, int why);
/* A copy of c too big for its outer header (never offered). */
void ft_report_toobig(struct ft_report *r, struct ft_report_crit *c);

/*
 * Count a warning of kind w; the text (one line, cut at
 * FT_REPORT_WARN_TEXT_MAX) is formatted only for the first of its kind.
 */
void ft_report_warn(struct ft_report *r, enum ft_report_warn w,
    const char *fmt, ...) FT_PRINTF(3, 4);
void ft_report_vwarn(struct ft_report *r, enum ft_report_warn w,
    const char *fmt, va_list ap) FT_PRINTF(3, 0);

/* The JSON name of a warning kind ("family_not_configured"...). */
const char *ft_report_warn_name(enum ft_report_warn w);

/*
 * Flush the last CSV rows, write report.json to json (when not NULL)
 * and, when summary is not NULL, a few human lines. The DTCP layer's
 * unknown X- parameters (info->tasking) join the warnings first.
 * Returns 0 or FT_EIO.
 */
int ft_report_finish(struct ft_report *r, const struct ft_report_info *info,
    FILE *json, FILE *summary);

/*
 * "12.34": 100 * (num * nmul) / (den * dmul), in 128-bit integers,
 * rounded half up to hundredths, into out (at least 48 bytes); "null"
 * when the denominator is 0. Shared with the planner and the report
 * generator so every percentage is computed the same way.
 */
void ft_report_pct(char *out, size_t cap, uint64_t num, uint64_t nmul,
    uint64_t den, uint64_t dmul);

#endif
