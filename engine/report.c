/*
 * report.c - run accounting (report.h): windows, per-criterion and
 * per-control-source rows, rates.csv, csources.csv, report.json and the
 * human summary.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "dtcp.h"
#include "version.h"

#define NS_PER_S 1000000000ULL
#define NS_PER_DS 100000000ULL	/* the 100 ms window */

__extension__ typedef unsigned __int128 u128;

int
ft_report_init(struct ft_report *r, uint64_t interval_ns, FILE *rates,
    FILE *csrates, struct ft_err *e)
{
	memset(r, 0, sizeof(*r));
	if (interval_ns == 0)
		return ft_err_set(e, FT_EINVAL, "rates interval must be > 0");
	r->interval_ns = interval_ns;
	r->rates = rates;
	r->csrates = csrates;
	/* The first 8 columns are the original ones, in their order. */
	if (rates != NULL)
		fputs("time_s,packets,ingress_offered,ingress_passed,"
		      "ingress_dropped,egress_offered,egress_passed,"
		      "egress_dropped,ingress_offered_bytes,"
		      "ingress_passed_bytes,ingress_dropped_bytes,"
		      "ingress_dropped_pkt_bucket,ingress_dropped_byte_bucket,"
		      "ingress_dropped_both,egress_offered_bytes,"
		      "egress_passed_bytes,egress_dropped_bytes,"
		      "egress_dropped_pkt_bucket,egress_dropped_byte_bucket,"
		      "egress_dropped_both\n", rates);
	if (csrates != NULL)
		fputs("time_s,csource,ingress_offered,ingress_offered_bytes,"
		      "ingress_dropped,egress_offered,egress_offered_bytes,"
		      "egress_passed,egress_dropped\n", csrates);
	return 0;
}

void
ft_report_release(struct ft_report *r)
{
	free(r->crit);
	free(r->src);
	r->crit = NULL;
	r->src = NULL;
}

static void
dir_max(struct ft_report_dir *peak, const struct ft_report_dir *w)
{
#define MAX_FIELD(f) if (w->f > peak->f) peak->f = w->f
	MAX_FIELD(off);
	MAX_FIELD(pass);
	MAX_FIELD(drop);
	MAX_FIELD(off_b);
	MAX_FIELD(pass_b);
	MAX_FIELD(drop_b);
	MAX_FIELD(drop_pkt);
	MAX_FIELD(drop_byte);
	MAX_FIELD(drop_both);
#undef MAX_FIELD
}

/* Each field's peak on its own (the peaks may be in different windows). */
static void
win_max(struct ft_report_win *peak, const struct ft_report_win *w)
{
	if (w->packets > peak->packets)
		peak->packets = w->packets;
	dir_max(&peak->in, &w->in);
	dir_max(&peak->eg, &w->eg);
}

static unsigned long long
ull(uint64_t v)
{
	return (unsigned long long)v;
}

static void
csv_dir(FILE *fp, const struct ft_report_dir *d)
{
	fprintf(fp, ",%llu,%llu,%llu,%llu,%llu,%llu", ull(d->off_b),
	    ull(d->pass_b), ull(d->drop_b), ull(d->drop_pkt),
	    ull(d->drop_byte), ull(d->drop_both));
}

static void
flush_interval(struct ft_report *r)
{
	const struct ft_report_win *w = &r->iv;
	/* cur_iv * interval <= the offset of a real record: no overflow. */
	uint64_t start = r->cur_iv * r->interval_ns;
	size_t k;

	if (w->packets == 0)
		return;
	if (r->rates != NULL) {
		fprintf(r->rates, "%llu.%09llu,%llu,%llu,%llu,%llu,%llu,%llu,"
		    "%llu", ull(start / NS_PER_S), ull(start % NS_PER_S),
		    ull(w->packets), ull(w->in.off), ull(w->in.pass),
		    ull(w->in.drop), ull(w->eg.off), ull(w->eg.pass),
		    ull(w->eg.drop));
		csv_dir(r->rates, &w->in);
		csv_dir(r->rates, &w->eg);
		fputc('\n', r->rates);
	}
	for (k = 0; k < r->nsrc; k++) {
		struct ft_report_src *s = &r->src[k];
		const struct ft_report_srciv *v = &s->iv;

		if (v->in_off == 0 && v->eg_off == 0)
			continue;
		if (r->csrates != NULL) {
			fprintf(r->csrates, "%llu.%09llu,%s,%llu,%llu,%llu,"
			    "%llu,%llu,%llu,%llu\n", ull(start / NS_PER_S),
			    ull(start % NS_PER_S), s->csource,
			    ull(v->in_off), ull(v->in_off_b), ull(v->in_drop),
			    ull(v->eg_off), ull(v->eg_off_b), ull(v->eg_pass),
			    ull(v->eg_drop));
		}
		memset(&s->iv, 0, sizeof(s->iv));
	}
}

/* hi = lo + len, saturating: the last window runs to the end of time. */
static uint64_t
win_end(uint64_t lo, uint64_t len)
{
	return lo > UINT64_MAX - len ? UINT64_MAX : lo + len;
}

void
ft_report_windows(struct ft_report *r, uint64_t t)
{
	uint64_t off, iv, sec;

	if (!r->started) {
		r->started = 1;
		r->base_ns = t;
	}
	off = t - r->base_ns;
	/* Divide only when the record leaves the current windows. */
	if (off < r->iv_lo || off >= r->iv_hi) {
		iv = off / r->interval_ns;
		if (iv != r->cur_iv) {
			flush_interval(r);
			memset(&r->iv, 0, sizeof(r->iv));
			r->cur_iv = iv;
		}
		r->iv_lo = iv * r->interval_ns;
		r->iv_hi = win_end(r->iv_lo, r->interval_ns);
	}
	if (off < r->sec_lo || off >= r->sec_hi) {
		sec = off / NS_PER_S;
		if (sec != r->cur_sec) {
			win_max(&r->peak, &r->sec);
			memset(&r->sec, 0, sizeof(r->sec));
			r->cur_sec = sec;
		}
		r->sec_lo = sec * NS_PER_S;
		r->sec_hi = win_end(r->sec_lo, NS_PER_S);
	}
	if (off < r->dsec_lo || off >= r->dsec_hi) {
		sec = off / NS_PER_DS;
		if (sec != r->cur_dsec) {
			win_max(&r->dpeak, &r->dsec);
			memset(&r->dsec, 0, sizeof(r->dsec));
			r->cur_dsec = sec;
		}
		r->dsec_lo = sec * NS_PER_DS;
		r->dsec_hi = win_end(r->dsec_lo, NS_PER_DS);
	}
	r->all_lo = r->iv_lo > r->sec_lo ? r->iv_lo : r->sec_lo;
	if (r->dsec_lo > r->all_lo)
		r->all_lo = r->dsec_lo;
	r->all_hi = r->iv_hi < r->sec_hi ? r->iv_hi : r->sec_hi;
	if (r->dsec_hi < r->all_hi)
		r->all_hi = r->dsec_hi;
}

void
ft_report_skip(struct ft_report *r, enum ft_decode_reason why)
{
	if ((unsigned)why < FT_DECODE_REASON_COUNT)
		r->skip[why]++;
}

/* Count one packet (copy) of `bytes` judged `why` into d. */
static void
dir_count(struct ft_report_dir *d, uint64_t bytes, int why)
{
	d->off++;
	d->off_b += bytes;
	if (why == 0) {
		d->pass++;
		d->pass_b += bytes;
		return;
	}
	d->drop++;
	d->drop_b += bytes;
	if (why == FT_BUDGET_SHORT_PKT)
		d->drop_pkt++;
	else if (why == FT_BUDGET_SHORT_BYTE)
		d->drop_byte++;
	else
		d->drop_both++;
}

static void
note_drop(struct ft_report *r, int dir, int why)
{
	if (why == 0 || r->first_drop_dir != 0)
		return;
	r->first_drop_dir = dir;
	r->first_drop_why = why;
	r->first_drop_ns = r->now_ns;
}

void
ft_report_ingress(struct ft_report *r, uint64_t bytes, int why)
{
	r->pkt_serial++;
	note_drop(r, 1, why);
	dir_count(&r->iv.in, bytes, why);
	dir_count(&r->sec.in, bytes, why);
	dir_count(&r->dsec.in, bytes, why);
}

static struct ft_report_src *
src_row(struct ft_report *r, const char *csource)
{
	size_t i;
	struct ft_report_src *s;

	for (i = 0; i < r->nsrc; i++)
		if (strcmp(r->src[i].csource, csource) == 0)
			return &r->src[i];
	if (r->nsrc == r->capsrc) {
		size_t cap = r->capsrc ? r->capsrc * 2 : 8;
		void *p = realloc(r->src, cap * sizeof(*r->src));

		if (p == NULL)
			return NULL;
		r->src = p;
		r->capsrc = cap;
	}
	s = &r->src[r->nsrc++];
	memset(s, 0, sizeof(*s));
	snprintf(s->csource, sizeof(s->csource), "%s", csource);
	return s;
}

/* The accounting row of criterion id; ids arrive mostly ascending. */
static struct ft_report_crit *
crit_row(struct ft_report *r, uint64_t id, const char *csource)
{
	size_t lo = 0, hi = r->ncrit;
	struct ft_report_crit *c;
	struct ft_report_src *src;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->crit[mid].id == id)
			return &r->crit[mid];
		if (r->crit[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* A new criterion: find its control source's row once, here. */
	src = src_row(r, csource);
	if (src == NULL)
		return NULL;
	if (r->ncrit == r->capcrit) {
		size_t cap = r->capcrit ? r->capcrit * 2 : 64;
		void *p = realloc(r->crit, cap * sizeof(*r->crit));

		if (p == NULL)
			return NULL;
		r->crit = p;
		r->capcrit = cap;
	}
	memmove(&r->crit[lo + 1], &r->crit[lo],
	    (r->ncrit - lo) * sizeof(*r->crit));
	r->ncrit++;
	c = &r->crit[lo];
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->src = (size_t)(src - r->src);
	snprintf(c->csource, sizeof(c->csource), "%s", csource);
	return c;
}

struct ft_report_crit *
ft_report_offer(struct ft_report *r, uint64_t id, const char *csource,
    unsigned ncdest, uint64_t bytes, int passed)
{
	struct ft_report_crit *c = crit_row(r, id, csource);
	struct ft_report_src *s;

	if (c == NULL)
		return NULL;
	s = &r->src[c->src];
	c->off_packets++;
	c->off_bytes += bytes;
	c->off_copies += ncdest;
	s->off_copies += ncdest;
	/* A packet counts once for its control source, however many match. */
	if (s->last_pkt != r->pkt_serial) {
		s->last_pkt = r->pkt_serial;
		s->off_packets++;
		s->off_bytes += bytes;
		s->iv.in_off++;
		s->iv.in_off_b += bytes;
		if (!passed) {
			s->in_drop++;
			s->in_drop_b += bytes;
			s->iv.in_drop++;
		}
	}
	if (!passed) {
		c->in_drop++;
		c->in_drop_b += bytes;
		c->in_drop_copies += ncdest;
		s->in_drop_copies += ncdest;
		return c;
	}
	c->packets++;
	c->bytes += bytes;
	s->packets++;
	s->bytes += bytes;
	return c;
}

void
ft_report_egress(struct ft_report *r, struct ft_report_crit *c,
    uint64_t bytes, int why)
{
	struct ft_report_src *s;

	note_drop(r, 2, why);
	dir_count(&r->iv.eg, bytes, why);
	dir_count(&r->sec.eg, bytes, why);
	dir_count(&r->dsec.eg, bytes, why);
	if (c == NULL)
		return;
	s = &r->src[c->src];
	dir_count(&c->eg, bytes, why);
	dir_count(&s->eg, bytes, why);
	s->iv.eg_off++;
	s->iv.eg_off_b += bytes;
	if (why == 0)
		s->iv.eg_pass++;
	else
		s->iv.eg_drop++;
}

void
ft_report_toobig(struct ft_report *r, struct ft_report_crit *c)
{
	r->encap_errors++;
	if (c == NULL)
		return;
	c->toobig++;
	r->src[c->src].toobig++;
}

static const char *const warn_names[FT_REPORT_W_COUNT] = {
	[FT_REPORT_W_EMPTY_SCRIPT] = "empty_script",
	[FT_REPORT_W_TRACE_CUT] = "trace_cut_short",
	[FT_REPORT_W_TS_ORDER] = "timestamps_out_of_order",
	[FT_REPORT_W_FAMILY] = "family_not_configured",
	[FT_REPORT_W_LINKTYPE] = "linktype_not_decoded",
	[FT_REPORT_W_AFTER_TRACE] = "events_after_trace",
	[FT_REPORT_W_UNDELIVERED] = "undelivered_messages",
	[FT_REPORT_W_UNKNOWN_X] = "unknown_x_parameters",
	[FT_REPORT_W_X_NEAR] = "x_parameter_typos",
};

const char *
ft_report_warn_name(enum ft_report_warn w)
{
	return (unsigned)w < FT_REPORT_W_COUNT ? warn_names[w] : "unknown";
}

void
ft_report_vwarn(struct ft_report *r, enum ft_report_warn w, const char *fmt,
    va_list ap)
{
	struct ft_report_warning *x;

	if ((unsigned)w >= FT_REPORT_W_COUNT)
		return;
	x = &r->warn[w];
	if (x->count++ == 0)
		vsnprintf(x->first, sizeof(x->first), fmt, ap);
}

void
ft_report_warn(struct ft_report *r, enum ft_report_warn w, const char *fmt,
    ...)
{
	va_list ap;

	va_start(ap, fmt);
	ft_report_vwarn(r, w, fmt, ap);
	va_end(ap);
}

void
ft_report_pct(char *out, size_t cap, uint64_t num, uint64_t nmul,
    uint64_t den, uint64_t dmul)
{
	u128 n = (u128)num * nmul, d = (u128)den * dmul, h;

	if (d == 0) {
		snprintf(out, cap, "null");
		return;
	}
	/* Hundredths of a percent: n * 10000 / d, rounded half up. */
	if (n > ((u128)1 << 100)) {
		/* Far beyond any real load: keep the arithmetic in range. */
		n >>= 20;
		d >>= 20;
		if (d == 0)
			d = 1;
	}
	h = (n * 20000 + d) / (2 * d);
	snprintf(out, cap, "%llu.%02llu", ull((uint64_t)(h / 100)),
	    ull((uint64_t)(h % 100)));
}

/* A JSON string: quotes, backslashes and control bytes escaped. */
static void
jstr(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	if (s == NULL) {
		fputs("null", fp);
		return;
	}
	fputc('"', fp);
	for (; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(fp, "\\u%04x", *p);
		else
			fputc(*p, fp);
	}
	fputc('"', fp);
}

/* Seconds with 9 decimals (a duration or an offset in ns). */
static void
jsec(FILE *fp, uint64_t ns)
{
	fprintf(fp, "%llu.%09llu", ull(ns / NS_PER_S), ull(ns % NS_PER_S));
}

static void
jpct(FILE *fp, uint64_t num, uint64_t nmul, uint64_t den, uint64_t dmul)
{
	char b[48];

	ft_report_pct(b, sizeof(b), num, nmul, den, dmul);
	fputs(b, fp);
}

static void
jpeak(FILE *fp, const char *name, const struct ft_report_dir *d)
{
	fprintf(fp, "\"%s\": {\"offered\": %llu, \"passed\": %llu, "
	    "\"dropped\": %llu, \"offered_bytes\": %llu, "
	    "\"passed_bytes\": %llu}", name, ull(d->off), ull(d->pass),
	    ull(d->drop), ull(d->off_b), ull(d->pass_b));
}

/*
 * A bucket's utilisation: what passed as a percentage of what its rate
 * allows over the run (null for a run of one instant), over the busiest
 * second and the busiest 100 ms; null when the bucket is unlimited.
 */
static void
jutil(FILE *fp, const char *name, uint64_t rate, uint64_t depth,
    uint64_t passed, uint64_t dur_ns, uint64_t p1s, uint64_t p100)
{
	if (rate == 0 || depth == 0)
		rate = 0;
	fprintf(fp, "\"%s\": {\"mean\": ", name);
	jpct(fp, passed, NS_PER_S, rate, dur_ns);
	fputs(", \"peak_1s\": ", fp);
	jpct(fp, p1s, 1, rate, 1);
	fputs(", \"peak_100ms\": ", fp);
	jpct(fp, p100, 10, rate, 1);
	fputc('}', fp);
}

static void
jdir(FILE *fp, const char *name, const struct ft_budget *b,
    const struct ft_budget_cfg *cfg, const struct ft_report_dir *p1s,
    const struct ft_report_dir *p100, uint64_t dur_ns, const char *tail)
{
	fprintf(fp,
	    "  \"%s\": {\"offered\": %llu, \"passed\": %llu, "
	    "\"dropped\": %llu, \"peak_1s_offered\": %llu, "
	    "\"peak_1s_passed\": %llu%s,\n",
	    name, ull(b->offered), ull(b->passed), ull(b->dropped),
	    ull(p1s->off), ull(p1s->pass), tail);
	fprintf(fp, "    \"bytes\": {\"offered\": %llu, \"passed\": %llu, "
	    "\"dropped\": %llu},\n", ull(b->bytes_offered),
	    ull(b->bytes_passed), ull(b->bytes_dropped));
	fprintf(fp, "    \"dropped_by_cause\": {\"packet_bucket\": %llu, "
	    "\"byte_bucket\": %llu, \"both\": %llu},\n", ull(b->drop_pkt),
	    ull(b->drop_byte), ull(b->drop_both));
	fputs("    ", fp);
	jpeak(fp, "peak_1s", p1s);
	fputs(",\n    ", fp);
	jpeak(fp, "peak_100ms", p100);
	fputs(",\n    \"utilisation_pct\": {", fp);
	jutil(fp, "packet_bucket", cfg->pps, cfg->burst, b->passed, dur_ns,
	    p1s->pass, p100->pass);
	fputs(", ", fp);
	jutil(fp, "byte_bucket", cfg->bps, cfg->byte_burst, b->bytes_passed,
	    dur_ns, p1s->pass_b, p100->pass_b);
	fputs("}},\n", fp);
}

/* The attribution of a criterion or control source (after the old keys). */
static void
jattr(FILE *fp, uint64_t op, uint64_t ob, uint64_t oc, uint64_t dp,
    uint64_t db, uint64_t dc, const struct ft_report_dir *eg,
    uint64_t toobig, uint64_t eg_total)
{
	fprintf(fp, ",\n     \"offered\": {\"packets\": %llu, \"bytes\": %llu, "
	    "\"copies\": %llu}, \"ingress_dropped\": {\"packets\": %llu, "
	    "\"bytes\": %llu, \"copies\": %llu},\n     \"egress\": "
	    "{\"offered\": %llu, \"offered_bytes\": %llu, \"passed\": %llu, "
	    "\"passed_bytes\": %llu, \"dropped\": %llu, "
	    "\"dropped_bytes\": %llu, \"dropped_by_cause\": "
	    "{\"packet_bucket\": %llu, \"byte_bucket\": %llu, \"both\": %llu}, "
	    "\"toobig\": %llu, \"share_pct\": ", ull(op), ull(ob), ull(oc),
	    ull(dp), ull(db), ull(dc), ull(eg->off), ull(eg->off_b),
	    ull(eg->pass), ull(eg->pass_b), ull(eg->drop), ull(eg->drop_b),
	    ull(eg->drop_pkt), ull(eg->drop_byte), ull(eg->drop_both),
	    ull(toobig));
	jpct(fp, eg->off, 1, eg_total, 1);
	fputs("}}", fp);
}

/* serve's data plane: the "live" object, one line. */
static void
jlive(FILE *fp, const struct ft_report_live *lv)
{
	unsigned i;

	fputs("  \"live\": {\"source\": ", fp);
	jstr(fp, lv->source);
	fputs(", \"name\": ", fp);
	jstr(fp, lv->name);
	fputs(", \"speed\": ", fp);
	jstr(fp, lv->speed);
	fprintf(fp, ", \"records\": %llu, \"capture_received\": %llu, "
	    "\"capture_drops\": %llu, \"capture_ifdrops\": %llu, "
	    "\"delivery\": ", ull(lv->records), ull(lv->capture_received),
	    ull(lv->capture_drops), ull(lv->capture_ifdrops));
	jstr(fp, lv->delivery);
	fprintf(fp, ", \"copies_sent\": %llu, \"send_failed\": %llu, "
	    "\"send_failed_by_kind\": {", ull(lv->sent),
	    ull(lv->send_failed));
	for (i = 0; i < lv->nfail; i++) {
		fprintf(fp, "%s", i ? ", " : "");
		jstr(fp, lv->fail_name[i]);
		fprintf(fp, ": %llu", ull(lv->fail_count[i]));
	}
	fprintf(fp, "}, \"link_sent\": %llu, \"ipid_kernel\": %llu, "
	    "\"port_fallback\": %llu, \"copies_file\": ",
	    ull(lv->link_sent), ull(lv->ipid_kernel), ull(lv->port_fallback));
	jstr(fp, lv->copies_file);
	fprintf(fp, ", \"copies_written\": %llu},\n",
	    ull(lv->copies_written));
}

static int
cmp_src(const void *a, const void *b)
{
	return strcmp(((const struct ft_report_src *)a)->csource,
	    ((const struct ft_report_src *)b)->csource);
}

/* The JSON name of a drop cause (FT_BUDGET_SHORT_* bits). */
static const char *
cause_name(int why)
{
	if (why == FT_BUDGET_SHORT_PKT)
		return "packet_bucket";
	if (why == FT_BUDGET_SHORT_BYTE)
		return "byte_bucket";
	return "both";
}

static const char *const method_names[] = {
	"OTHER", "ADD", "DELETE", "LIST", "REFRESH", "NOOP",
};

/* "packet bucket 3, byte bucket 0, both 1" */
static void
causes(FILE *fp, const struct ft_budget *b)
{
	fprintf(fp, "packet bucket %llu, byte bucket %llu, both %llu",
	    ull(b->drop_pkt), ull(b->drop_byte), ull(b->drop_both));
}

/* "code": count, ... of a code table. */
static void
codes_json(FILE *fp, const struct ft_code_counts *c)
{
	unsigned i;

	for (i = 0; i < c->n; i++)
		fprintf(fp, "%s\"%d\": %llu", i ? ", " : "", c->code[i],
		    ull(c->count[i]));
}

/* Whether the report has a row (a match) for control source name. */
static int
has_src(const struct ft_report *r, const char *name)
{
	size_t k;

	for (k = 0; k < r->nsrc; k++)
		if (strcmp(r->src[k].csource, name) == 0)
			return 1;
	return 0;
}

/*
 * What the run lost or bent without failing, so that nothing is lost
 * silently: skips by reason, packets of a family the unit does not
 * have, agencies that matched nothing, and every warning.
 */
static void
summary_losses(FILE *sm, const struct ft_report *r,
    const struct ft_report_info *in, uint64_t skipped)
{
	unsigned i;
	size_t k;
	int n;

	if (skipped > 0) {
		fputs("skipped:", sm);
		for (i = 1, n = 0; i < FT_DECODE_REASON_COUNT; i++) {
			if (r->skip[i] == 0)
				continue;
			fprintf(sm, "%s %s %llu", n++ ? "," : "",
			    ft_decode_reason_name((enum ft_decode_reason)i),
			    ull(r->skip[i]));
		}
		fputc('\n', sm);
	}
	if (r->family_off > 0)
		fprintf(sm, "family:  %llu packets of a family not configured "
		    "on the flow-tap interface (not intercepted)\n",
		    ull(r->family_off));
	for (k = 0, n = 0; k < in->nagencies; k++) {
		if (in->agencies[k] == NULL || has_src(r, in->agencies[k]))
			continue;
		fprintf(sm, "%s %s", n++ ? "," : "agencies without a match:",
		    in->agencies[k]);
	}
	if (n > 0)
		fputc('\n', sm);
	for (i = 0; i < FT_REPORT_W_COUNT; i++) {
		const struct ft_report_warning *w = &r->warn[i];

		if (w->count == 0)
			continue;
		fprintf(sm, "warning: %s x%llu: %s\n", warn_names[i],
		    ull(w->count), w->first);
	}
}

/* report.json's "warnings": the kinds that occurred, in a fixed order. */
static void
jwarnings(FILE *fp, const struct ft_report *r)
{
	unsigned i;
	int n = 0;

	fputs("  \"warnings\": [", fp);
	for (i = 0; i < FT_REPORT_W_COUNT; i++) {
		const struct ft_report_warning *w = &r->warn[i];

		if (w->count == 0)
			continue;
		fprintf(fp, "%s\n    {\"kind\": \"%s\", \"count\": %llu, "
		    "\"first\": ", n++ ? "," : "", warn_names[i],
		    ull(w->count));
		jstr(fp, w->first);
		fputc('}', fp);
	}
	fputs(n ? "\n  ],\n" : "],\n", fp);
}

static void
summary_lines(FILE *sm, const struct ft_report *r,
    const struct ft_report_info *in, uint64_t decoded, uint64_t skipped)
{
	const struct ft_tasking_stats *ts = in->tasking;
	const struct ft_budget *ig = in->ingress, *eg = in->egress;
	uint64_t answered = 0, dropped = 0;
	unsigned i;
	size_t k;
	char pct[48];

	for (i = 0; i < ts->replies.n; i++)
		answered += ts->replies.count[i];
	for (i = 0; i < ts->drops.n; i++)
		dropped += ts->drops.count[i];
	fprintf(sm,
	    "packets: %llu read, %llu decoded, %llu skipped, %llu matched "
	    "(offered to the PIC)\n"
	    "ingress: %llu offered, %llu passed, %llu dropped by the budget "
	    "(", ull(r->read), ull(decoded), ull(skipped), ull(ig->offered),
	    ull(ig->offered), ull(ig->passed), ull(ig->dropped));
	causes(sm, ig);
	fprintf(sm, ")\n         %llu bytes offered, %llu passed; busiest "
	    "second: %llu packets, %llu bytes offered\n",
	    ull(ig->bytes_offered), ull(ig->bytes_passed), ull(r->peak.in.off),
	    ull(r->peak.in.off_b));
	fprintf(sm, "egress:  %llu copies offered, %llu intercepted, %llu "
	    "dropped by the budget (", ull(eg->offered), ull(eg->passed),
	    ull(eg->dropped));
	causes(sm, eg);
	fprintf(sm, ")\n         %llu bytes offered, %llu passed; busiest "
	    "second: %llu copies, %llu bytes offered\n",
	    ull(eg->bytes_offered), ull(eg->bytes_passed), ull(r->peak.eg.off),
	    ull(r->peak.eg.off_b));
	fprintf(sm, "dtcp:    %llu requests answered, %llu dropped "
	    "unanswered, %llu sessions, %llu refused, %llu restarts\n",
	    ull(answered), ull(dropped), ull(ts->sessions_opened),
	    ull(ts->sessions_refused), ull(ts->restarts));
	if (ig->dropped == 0 && eg->dropped == 0)
		fputs("budget:  within\n", sm);
	else
		fprintf(sm, "budget:  exceeded: packet bucket %llu, byte "
		    "bucket %llu, both %llu drops (see rates.csv, or "
		    "'flowtap report' for charts)\n",
		    ull(ig->drop_pkt + eg->drop_pkt),
		    ull(ig->drop_byte + eg->drop_byte),
		    ull(ig->drop_both + eg->drop_both));
	fputs("replies:", sm);
	for (i = 0; i < ts->replies.n; i++)
		fprintf(sm, " %d x%llu", ts->replies.code[i],
		    ull(ts->replies.count[i]));
	for (i = 0; i < ts->drops.n; i++)
		fprintf(sm, " %d (dropped) x%llu", ts->drops.code[i],
		    ull(ts->drops.count[i]));
	fputs(ts->replies.n + ts->drops.n ? "\n" : " none\n", sm);
	for (k = 0; k < r->nsrc; k++) {
		const struct ft_report_src *s = &r->src[k];

		ft_report_pct(pct, sizeof(pct), s->eg.off, 1, eg->offered, 1);
		fprintf(sm, "  %s: %llu packets offered (before the budget), "
		    "%llu dropped at ingress; %llu copies offered at egress "
		    "(%s%% of the egress load), %llu intercepted, %llu "
		    "dropped\n", s->csource, ull(s->off_packets),
		    ull(s->in_drop), ull(s->eg.off), pct, ull(s->eg.pass),
		    ull(s->eg.drop));
	}
	summary_losses(sm, r, in, skipped);
}

int
ft_report_finish(struct ft_report *r, const struct ft_report_info *in,
    FILE *fp, FILE *summary)
{
	const struct ft_tasking_stats *ts = in->tasking;
	uint64_t decoded, skipped = 0, dur = r->last_ns - r->base_ns;
	unsigned i;
	size_t k;
	int first;
	char tail[64], stamp[24];

	flush_interval(r);
	win_max(&r->peak, &r->sec);
	win_max(&r->dpeak, &r->dsec);
	for (i = 1; i < FT_DECODE_REASON_COUNT; i++)
		skipped += r->skip[i];
	decoded = r->read - skipped;
	/* Sorted by name; the criteria's src indexes are not used again. */
	if (r->nsrc > 1)
		qsort(r->src, r->nsrc, sizeof(*r->src), cmp_src);
	if (ts->unknown_x > 0 && r->warn[FT_REPORT_W_UNKNOWN_X].count == 0) {
		r->warn[FT_REPORT_W_UNKNOWN_X].count = ts->unknown_x;
		snprintf(r->warn[FT_REPORT_W_UNKNOWN_X].first,
		    sizeof(r->warn[0].first), "%s", ts->unknown_x_first);
	}
	/* DTCP-PARAM-X-NEAR (issue 10): a SHOULD, in the log and here. */
	if (ts->x_near > 0 && r->warn[FT_REPORT_W_X_NEAR].count == 0) {
		r->warn[FT_REPORT_W_X_NEAR].count = ts->x_near;
		snprintf(r->warn[FT_REPORT_W_X_NEAR].first,
		    sizeof(r->warn[0].first), "%s", ts->x_near_first);
	}
	if (fp == NULL)
		goto summary;	/* no report.json (replay --outputs) */

	/*
	 * The version on a line of its own: the conformance harness ignores
	 * this line when it compares goldens (docs/harness.md).
	 */
	fputs("{\n  \"flowtap_version\": ", fp);
	jstr(fp, FT_VERSION);
	fputs(",\n  \"inputs\": {\"trace\": ", fp);
	jstr(fp, in->trace);
	fputs(", \"script\": ", fp);
	jstr(fp, in->script);
	fputs(", \"config\": ", fp);
	jstr(fp, in->config);
	fprintf(fp, ", \"profile\": \"%s\", \"linktype\": %d},\n", in->profile,
	    in->linktype);
	jwarnings(fp, r);
	if (in->live != NULL)
		jlive(fp, in->live);

	fprintf(fp, "  \"packets\": {\"read\": %llu, \"decoded\": %llu, "
	    "\"skipped\": %llu, \"skipped_by_reason\": {", ull(r->read),
	    ull(decoded), ull(skipped));
	for (i = 1, first = 1; i < FT_DECODE_REASON_COUNT; i++) {
		fprintf(fp, "%s\"%s\": %llu", first ? "" : ", ",
		    ft_decode_reason_name((enum ft_decode_reason)i),
		    ull(r->skip[i]));
		first = 0;
	}
	fprintf(fp, "}, \"family_not_configured\": %llu, \"matched\": %llu},\n",
	    ull(r->family_off), ull(in->ingress->offered));

	/* The run's span on the engine clock, and the rates interval. */
	fputs("  \"run\": {\"start\": ", fp);
	if (r->started) {
		ft_dtcp_timestamp(r->base_ns, stamp);
		fprintf(fp, "\"%s\", \"start_ns\": %llu", stamp,
		    ull(r->base_ns));
	} else {
		fputs("null, \"start_ns\": null", fp);
	}
	fputs(", \"duration_s\": ", fp);
	jsec(fp, dur);
	fputs(", \"interval_s\": ", fp);
	jsec(fp, r->interval_ns);
	fputs("},\n", fp);

	fputs("  \"criteria\": [", fp);
	for (k = 0; k < r->ncrit; k++) {
		const struct ft_report_crit *c = &r->crit[k];

		fprintf(fp, "%s\n    {\"criteria_id\": %llu, \"csource\": ",
		    k ? "," : "", ull(c->id));
		jstr(fp, c->csource);
		fprintf(fp, ", \"packets\": %llu, \"bytes\": %llu, "
		    "\"copies_passed\": %llu, \"copies_dropped\": %llu",
		    ull(c->packets), ull(c->bytes), ull(c->eg.pass),
		    ull(c->eg.drop));
		jattr(fp, c->off_packets, c->off_bytes, c->off_copies,
		    c->in_drop, c->in_drop_b, c->in_drop_copies, &c->eg,
		    c->toobig, in->egress->offered);
	}
	fputs(r->ncrit ? "\n  ],\n" : "],\n", fp);

	fputs("  \"csources\": [", fp);
	for (k = 0; k < r->nsrc; k++) {
		const struct ft_report_src *s = &r->src[k];

		fprintf(fp, "%s\n    {\"csource\": ", k ? "," : "");
		jstr(fp, s->csource);
		fprintf(fp, ", \"packets\": %llu, \"bytes\": %llu, "
		    "\"copies_passed\": %llu, \"copies_dropped\": %llu",
		    ull(s->packets), ull(s->bytes), ull(s->eg.pass),
		    ull(s->eg.drop));
		jattr(fp, s->off_packets, s->off_bytes, s->off_copies,
		    s->in_drop, s->in_drop_b, s->in_drop_copies, &s->eg,
		    s->toobig, in->egress->offered);
	}
	fputs(r->nsrc ? "\n  ],\n" : "],\n", fp);

	jdir(fp, "ingress", in->ingress, in->budget, &r->peak.in,
	    &r->dpeak.in, dur, "");
	snprintf(tail, sizeof(tail), ", \"encap_errors\": %llu",
	    ull(r->encap_errors));
	jdir(fp, "egress", in->egress, in->budget, &r->peak.eg, &r->dpeak.eg,
	    dur, tail);

	fprintf(fp, "  \"budget\": {\"pps\": %llu, \"burst\": %llu, "
	    "\"bytes_per_s\": %llu, \"byte_burst\": %llu, \"verdict\": \"%s\", "
	    "\"first_drop\": ",
	    ull(in->budget->pps), ull(in->budget->burst), ull(in->budget->bps),
	    ull(in->budget->byte_burst),
	    (in->ingress->dropped || in->egress->dropped) ? "exceeded" :
	    "within");
	if (r->first_drop_dir == 0) {
		fputs("null},\n", fp);
	} else {
		fputs("{\"time_s\": ", fp);
		jsec(fp, r->first_drop_ns - r->base_ns);
		fprintf(fp, ", \"direction\": \"%s\", \"cause\": \"%s\"}},\n",
		    r->first_drop_dir == 1 ? "ingress" : "egress",
		    cause_name(r->first_drop_why));
	}

	fputs("  \"dtcp\": {\"requests\": {", fp);
	for (i = 1, first = 1; i <= FT_DTCP_M_NOOP; i++) {
		fprintf(fp, "%s\"%s\": %llu", first ? "" : ", ",
		    method_names[i], ull(ts->requests[i]));
		first = 0;
	}
	fprintf(fp, ", \"%s\": %llu}, \"replies\": {", method_names[0],
	    ull(ts->requests[0]));
	codes_json(fp, &ts->replies);
	fputs("}, \"drops\": {", fp);
	codes_json(fp, &ts->drops);
	fprintf(fp, "}, \"sessions_opened\": %llu, \"sessions_refused\": %llu, "
	    "\"restarts\": %llu}\n}\n", ull(ts->sessions_opened),
	    ull(ts->sessions_refused), ull(ts->restarts));

summary:
	if (summary != NULL)
		summary_lines(summary, r, in, decoded, skipped);
	if (fp != NULL && ferror(fp))
		return FT_EIO;
	if (r->rates != NULL && ferror(r->rates))
		return FT_EIO;
	if (r->csrates != NULL && ferror(r->csrates))
		return FT_EIO;
	return 0;
}
