#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "dtcp.h"

#define NS_PER_S 1000000000ULL

int
ft_report_init(struct ft_report *r, uint64_t interval_ns, FILE *rates,
    struct ft_err *e)
{
	memset(r, 0, sizeof(*r));
	if (interval_ns == 0)
		return ft_err_set(e, FT_EINVAL, "rates interval must be > 0");
	r->interval_ns = interval_ns;
	r->rates = rates;
	if (rates != NULL)
		fputs("time_s,packets,ingress_offered,ingress_passed,"
		      "ingress_dropped,egress_offered,egress_passed,"
		      "egress_dropped\n", rates);
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
win_max(struct ft_report_win *peak, const struct ft_report_win *w)
{
#define MAX_FIELD(f) if (w->f > peak->f) peak->f = w->f
	MAX_FIELD(packets);
	MAX_FIELD(in_off);
	MAX_FIELD(in_pass);
	MAX_FIELD(in_drop);
	MAX_FIELD(eg_off);
	MAX_FIELD(eg_pass);
	MAX_FIELD(eg_drop);
#undef MAX_FIELD
}

static void
flush_interval(struct ft_report *r)
{
	const struct ft_report_win *w = &r->iv;
	/* cur_iv * interval <= the offset of a real record: no overflow. */
	uint64_t start = r->cur_iv * r->interval_ns;

	if (w->packets == 0 || r->rates == NULL)
		return;
	fprintf(r->rates, "%llu.%09llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu\n",
	    (unsigned long long)(start / NS_PER_S),
	    (unsigned long long)(start % NS_PER_S),
	    (unsigned long long)w->packets, (unsigned long long)w->in_off,
	    (unsigned long long)w->in_pass, (unsigned long long)w->in_drop,
	    (unsigned long long)w->eg_off, (unsigned long long)w->eg_pass,
	    (unsigned long long)w->eg_drop);
}

/* hi = lo + len, saturating: the last window runs to the end of time. */
static uint64_t
win_end(uint64_t lo, uint64_t len)
{
	return lo > UINT64_MAX - len ? UINT64_MAX : lo + len;
}

void
ft_report_packet(struct ft_report *r, uint64_t t)
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
	r->read++;
	r->iv.packets++;
	r->sec.packets++;
}

void
ft_report_skip(struct ft_report *r, enum ft_decode_reason why)
{
	if ((unsigned)why < FT_DECODE_REASON_COUNT)
		r->skip[why]++;
}

void
ft_report_ingress(struct ft_report *r, int passed)
{
	r->iv.in_off++;
	r->sec.in_off++;
	if (passed) {
		r->iv.in_pass++;
		r->sec.in_pass++;
	} else {
		r->iv.in_drop++;
		r->sec.in_drop++;
	}
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
ft_report_match(struct ft_report *r, uint64_t id, const char *csource,
    uint64_t bytes)
{
	struct ft_report_crit *c = crit_row(r, id, csource);

	if (c == NULL)
		return NULL;
	c->packets++;
	c->bytes += bytes;
	r->src[c->src].packets++;
	r->src[c->src].bytes += bytes;
	return c;
}

void
ft_report_egress(struct ft_report *r, struct ft_report_crit *c, int passed)
{
	r->iv.eg_off++;
	r->sec.eg_off++;
	if (passed) {
		r->iv.eg_pass++;
		r->sec.eg_pass++;
	} else {
		r->iv.eg_drop++;
		r->sec.eg_drop++;
	}
	if (c == NULL)
		return;
	if (passed) {
		c->copies_passed++;
		r->src[c->src].copies_passed++;
	} else {
		c->copies_dropped++;
		r->src[c->src].copies_dropped++;
	}
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

static unsigned long long
ull(uint64_t v)
{
	return (unsigned long long)v;
}

static void
jdir(FILE *fp, const char *name, const struct ft_budget *b, uint64_t poff,
    uint64_t ppass, const char *tail)
{
	fprintf(fp,
	    "  \"%s\": {\"offered\": %llu, \"passed\": %llu, "
	    "\"dropped\": %llu, \"peak_1s_offered\": %llu, "
	    "\"peak_1s_passed\": %llu%s},\n",
	    name, ull(b->offered), ull(b->passed), ull(b->dropped), ull(poff),
	    ull(ppass), tail);
}

static int
cmp_src(const void *a, const void *b)
{
	return strcmp(((const struct ft_report_src *)a)->csource,
	    ((const struct ft_report_src *)b)->csource);
}

static const char *const method_names[] = {
	"OTHER", "ADD", "DELETE", "LIST", "REFRESH", "NOOP",
};

int
ft_report_finish(struct ft_report *r, const struct ft_report_info *in,
    FILE *fp, FILE *summary)
{
	const struct ft_tasking_stats *ts = in->tasking;
	uint64_t decoded, skipped = 0;
	unsigned i;
	size_t k;
	int first;
	char tail[64];

	flush_interval(r);
	win_max(&r->peak, &r->sec);
	for (i = 1; i < FT_DECODE_REASON_COUNT; i++)
		skipped += r->skip[i];
	decoded = r->read - skipped;
	if (r->nsrc > 1)
		qsort(r->src, r->nsrc, sizeof(*r->src), cmp_src);

	fputs("{\n  \"inputs\": {\"trace\": ", fp);
	jstr(fp, in->trace);
	fputs(", \"script\": ", fp);
	jstr(fp, in->script);
	fputs(", \"config\": ", fp);
	jstr(fp, in->config);
	fprintf(fp, ", \"profile\": \"%s\", \"linktype\": %d},\n", in->profile,
	    in->linktype);

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

	fputs("  \"criteria\": [", fp);
	for (k = 0; k < r->ncrit; k++) {
		const struct ft_report_crit *c = &r->crit[k];

		fprintf(fp, "%s\n    {\"criteria_id\": %llu, \"csource\": ",
		    k ? "," : "", ull(c->id));
		jstr(fp, c->csource);
		fprintf(fp, ", \"packets\": %llu, \"bytes\": %llu, "
		    "\"copies_passed\": %llu, \"copies_dropped\": %llu}",
		    ull(c->packets), ull(c->bytes), ull(c->copies_passed),
		    ull(c->copies_dropped));
	}
	fputs(r->ncrit ? "\n  ],\n" : "],\n", fp);

	fputs("  \"csources\": [", fp);
	for (k = 0; k < r->nsrc; k++) {
		const struct ft_report_src *s = &r->src[k];

		fprintf(fp, "%s\n    {\"csource\": ", k ? "," : "");
		jstr(fp, s->csource);
		fprintf(fp, ", \"packets\": %llu, \"bytes\": %llu, "
		    "\"copies_passed\": %llu, \"copies_dropped\": %llu}",
		    ull(s->packets), ull(s->bytes), ull(s->copies_passed),
		    ull(s->copies_dropped));
	}
	fputs(r->nsrc ? "\n  ],\n" : "],\n", fp);

	jdir(fp, "ingress", in->ingress, r->peak.in_off, r->peak.in_pass, "");
	snprintf(tail, sizeof(tail), ", \"encap_errors\": %llu",
	    ull(r->encap_errors));
	jdir(fp, "egress", in->egress, r->peak.eg_off, r->peak.eg_pass, tail);

	fprintf(fp, "  \"budget\": {\"pps\": %llu, \"burst\": %llu, "
	    "\"bytes_per_s\": %llu, \"byte_burst\": %llu, \"verdict\": \"%s\"},\n",
	    ull(in->budget->pps), ull(in->budget->burst), ull(in->budget->bps),
	    ull(in->budget->byte_burst),
	    (in->ingress->dropped || in->egress->dropped) ? "exceeded" :
	    "within");

	fputs("  \"dtcp\": {\"requests\": {", fp);
	for (i = 1, first = 1; i <= FT_DTCP_M_NOOP; i++) {
		fprintf(fp, "%s\"%s\": %llu", first ? "" : ", ",
		    method_names[i], ull(ts->requests[i]));
		first = 0;
	}
	fprintf(fp, ", \"%s\": %llu}, \"replies\": {", method_names[0],
	    ull(ts->requests[0]));
	for (i = 0, first = 1; i < ts->ncodes; i++) {
		if (ts->code[i] >= 497 && ts->code[i] <= 499)
			continue;
		fprintf(fp, "%s\"%d\": %llu", first ? "" : ", ", ts->code[i],
		    ull(ts->count[i]));
		first = 0;
	}
	fputs("}, \"drops\": {", fp);
	for (i = 0, first = 1; i < ts->ncodes; i++) {
		if (ts->code[i] < 497 || ts->code[i] > 499)
			continue;
		fprintf(fp, "%s\"%d\": %llu", first ? "" : ", ", ts->code[i],
		    ull(ts->count[i]));
		first = 0;
	}
	fprintf(fp, "}, \"sessions_opened\": %llu, \"sessions_refused\": %llu, "
	    "\"restarts\": %llu}\n}\n", ull(ts->sessions_opened),
	    ull(ts->sessions_refused), ull(ts->restarts));

	if (summary != NULL) {
		uint64_t answered = 0, dropped = 0;

		for (i = 0; i < ts->ncodes; i++) {
			if (ts->code[i] >= 497 && ts->code[i] <= 499)
				dropped += ts->count[i];
			else
				answered += ts->count[i];
		}
		fprintf(summary,
		    "packets: %llu read, %llu decoded, %llu skipped, "
		    "%llu matched\n"
		    "ingress: %llu offered, %llu passed, %llu dropped "
		    "by the budget\n"
		    "egress:  %llu copies offered, %llu intercepted, "
		    "%llu dropped by the budget\n"
		    "dtcp:    %llu requests answered, %llu dropped "
		    "unanswered, %llu sessions, %llu restarts\n"
		    "budget:  %s\n",
		    ull(r->read), ull(decoded), ull(skipped),
		    ull(in->ingress->offered),
		    ull(in->ingress->offered), ull(in->ingress->passed),
		    ull(in->ingress->dropped), ull(in->egress->offered),
		    ull(in->egress->passed), ull(in->egress->dropped),
		    ull(answered), ull(dropped), ull(ts->sessions_opened),
		    ull(ts->restarts),
		    (in->ingress->dropped || in->egress->dropped) ?
		    "exceeded (see rates.csv)" : "within");
		fputs("replies:", summary);
		for (i = 0; i < ts->ncodes; i++)
			fprintf(summary, " %d%s x%llu", ts->code[i],
			    (ts->code[i] >= 497 && ts->code[i] <= 499) ?
			    " (dropped)" : "", ull(ts->count[i]));
		fputs(ts->ncodes ? "\n" : " none\n", summary);
		for (k = 0; k < r->nsrc; k++)
			fprintf(summary, "  %s: %llu packets matched, %llu "
			    "copies intercepted\n", r->src[k].csource,
			    ull(r->src[k].packets),
			    ull(r->src[k].copies_passed));
	}
	return ferror(fp) ? FT_EIO : 0;
}
