/*
 * plan.c - `flowtap plan` (plan.h): the load criteria offer the PIC with
 * no budget dropping anything, the budget's verdict on it, and the
 * smallest set of criteria to narrow.
 *
 * The first run over the trace collects the load (totals, per control
 * source and per filter group: per interval, per aligned 1 s and 100 ms
 * window from the first record, as report.json counts them) and runs a
 * pair of SPEC 7 budgets over it exactly as the PIC does: ingress once
 * per matching packet at its wire length; when it passes, egress once
 * per criterion and content destination in Criteria-ID order at the
 * outer length. Narrowing re-runs the trace with some groups removed
 * and only the budgets.
 */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "decode.h"
#include "dtcp.h"
#include "encap.h"
#include "report.h"
#include "rule.h"
#include "trace.h"

#define NS_PER_S	1000000000ULL
#define NS_PER_DS	100000000ULL

__extension__ typedef unsigned __int128 u128;

/* Load in one window or in total: ingress packets/bytes, egress copies/bytes. */
struct load {
	uint64_t in_n, in_b, eg_n, eg_b;
};

struct row {
	struct load tot, iv, sec, ds, p1s, p100;
	uint64_t last_pkt;	/* distinct packets for the ingress counts */
};

struct src {
	char name[FT_NAME_MAX + 1];
	struct row r;
};

/* Criteria with the same owner and ADD text: one filter. */
struct group {
	char csource[FT_NAME_MAX + 1];
	char *echo;		/* the ADD's echoed lines, NUL-terminated */
	size_t echo_len;
	unsigned ncdest;
	uint64_t *ids;
	size_t nids, capids;
	size_t src;
	struct row r;
	uint64_t weight;	/* narrowing order: share of the overload */
	int removed;
};

struct idmap {
	uint64_t id;
	size_t group;
};

struct ft_plan {
	const struct ft_plan_opts *o;
	struct ft_budget_cfg budget;
	uint64_t interval_ns;
	char *script_text;

	/* The first run: the load. */
	int collect;
	int started;
	uint64_t base_ns, last_ns;
	uint64_t cur_iv, cur_sec, cur_ds;
	uint64_t serial;
	struct row total;
	struct src *src;
	size_t nsrc, capsrc;
	struct group *grp;
	size_t ngrp, capgrp;
	struct idmap *map;
	size_t nmap, capmap;
	int oom;
	int io_err;

	/* The budgets of the current run and their first drop. */
	struct ft_budget in, eg;
	int first_dir, first_why;
	uint64_t first_ns;

	/* Results of the first run. */
	struct ft_budget pred_in, pred_eg;
	int pred_dir, pred_why;
	uint64_t pred_ns;
	struct ft_tasking_stats stats;

	/* Narrowing: groups to remove, in the order given. */
	size_t *narrow;
	size_t nnarrow;
	size_t *src_order;	/* src[] indexes by name, for the output */
	int narrow_state;	/* 0 not needed, 1 found, 2 run budget spent */
	int exact;
	unsigned runs;
};

/* --- load accounting ------------------------------------------------ */

static void
load_add(struct load *l, uint64_t in_n, uint64_t in_b, uint64_t eg_n,
    uint64_t eg_b)
{
	l->in_n += in_n;
	l->in_b += in_b;
	l->eg_n += eg_n;
	l->eg_b += eg_b;
}

static void
load_max(struct load *peak, const struct load *w)
{
	if (w->in_n > peak->in_n)
		peak->in_n = w->in_n;
	if (w->in_b > peak->in_b)
		peak->in_b = w->in_b;
	if (w->eg_n > peak->eg_n)
		peak->eg_n = w->eg_n;
	if (w->eg_b > peak->eg_b)
		peak->eg_b = w->eg_b;
}

static void
row_add(struct row *r, uint64_t serial, uint64_t in_b, uint64_t eg_n,
    uint64_t eg_b)
{
	uint64_t in_n = 0, ib = 0;

	/* A packet counts once per row at ingress, however many match. */
	if (r->last_pkt != serial) {
		r->last_pkt = serial;
		in_n = 1;
		ib = in_b;
	}
	load_add(&r->tot, in_n, ib, eg_n, eg_b);
	load_add(&r->iv, in_n, ib, eg_n, eg_b);
	load_add(&r->sec, in_n, ib, eg_n, eg_b);
	load_add(&r->ds, in_n, ib, eg_n, eg_b);
}

static unsigned long long
ull(uint64_t v)
{
	return (unsigned long long)v;
}

static void
csv_row(struct ft_plan *p, uint64_t start, const char *scope,
    const char *name, const struct load *l)
{
	FILE *fp = p->o->intervals;

	if (fp == NULL || (l->in_n == 0 && l->eg_n == 0))
		return;
	fprintf(fp, "%llu.%09llu,%s,%s,%llu,%llu,%llu,%llu\n",
	    ull(start / NS_PER_S), ull(start % NS_PER_S), scope, name,
	    ull(l->in_n), ull(l->in_b), ull(l->eg_n), ull(l->eg_b));
}

static void
flush_interval(struct ft_plan *p)
{
	uint64_t start = p->cur_iv * p->interval_ns;
	char name[32];
	size_t k;

	csv_row(p, start, "total", "-", &p->total.iv);
	memset(&p->total.iv, 0, sizeof(p->total.iv));
	for (k = 0; k < p->nsrc; k++) {
		csv_row(p, start, "csource", p->src[k].name, &p->src[k].r.iv);
		memset(&p->src[k].r.iv, 0, sizeof(p->src[k].r.iv));
	}
	for (k = 0; k < p->ngrp; k++) {
		snprintf(name, sizeof(name), "%llu", ull(p->grp[k].ids[0]));
		csv_row(p, start, "criterion", name, &p->grp[k].r.iv);
		memset(&p->grp[k].r.iv, 0, sizeof(p->grp[k].r.iv));
	}
}

/* Close the 1 s (which 0) or 100 ms (1) window of every row. */
static void
close_window(struct ft_plan *p, int which)
{
	size_t k;

#define CLOSE(r) do {							\
		if (which == 0) {					\
			load_max(&(r).p1s, &(r).sec);			\
			memset(&(r).sec, 0, sizeof((r).sec));		\
		} else {						\
			load_max(&(r).p100, &(r).ds);			\
			memset(&(r).ds, 0, sizeof((r).ds));		\
		}							\
	} while (0)
	CLOSE(p->total);
	for (k = 0; k < p->nsrc; k++)
		CLOSE(p->src[k].r);
	for (k = 0; k < p->ngrp; k++)
		CLOSE(p->grp[k].r);
#undef CLOSE
}

static void
advance(struct ft_plan *p, uint64_t t)
{
	uint64_t off = t - p->base_ns, i;

	if (t > p->last_ns)
		p->last_ns = t;
	i = off / p->interval_ns;
	if (i != p->cur_iv) {
		flush_interval(p);
		p->cur_iv = i;
	}
	i = off / NS_PER_S;
	if (i != p->cur_sec) {
		close_window(p, 0);
		p->cur_sec = i;
	}
	i = off / NS_PER_DS;
	if (i != p->cur_ds) {
		close_window(p, 1);
		p->cur_ds = i;
	}
}

/* --- groups ------------------------------------------------------------ */

static struct src *
src_find(struct ft_plan *p, const char *name, size_t *idx)
{
	size_t k;
	void *n;

	for (k = 0; k < p->nsrc; k++)
		if (strcmp(p->src[k].name, name) == 0) {
			*idx = k;
			return &p->src[k];
		}
	if (p->nsrc == p->capsrc) {
		size_t cap = p->capsrc ? p->capsrc * 2 : 8;

		n = realloc(p->src, cap * sizeof(*p->src));
		if (n == NULL)
			return NULL;
		p->src = n;
		p->capsrc = cap;
	}
	memset(&p->src[p->nsrc], 0, sizeof(p->src[0]));
	snprintf(p->src[p->nsrc].name, sizeof(p->src[0].name), "%s", name);
	*idx = p->nsrc;
	return &p->src[p->nsrc++];
}

static int
group_new(struct ft_plan *p, const struct ft_rule *r, size_t *gi)
{
	struct group *g;
	size_t k, si;
	void *n;

	for (k = 0; k < p->ngrp; k++) {
		g = &p->grp[k];
		if (strcmp(g->csource, r->csource) == 0 &&
		    g->echo_len == r->echo_len &&
		    memcmp(g->echo, r->echo, r->echo_len) == 0)
			break;
	}
	if (k == p->ngrp) {
		if (src_find(p, r->csource, &si) == NULL)
			return FT_ENOMEM;
		if (p->ngrp == p->capgrp) {
			size_t cap = p->capgrp ? p->capgrp * 2 : 16;

			n = realloc(p->grp, cap * sizeof(*p->grp));
			if (n == NULL)
				return FT_ENOMEM;
			p->grp = n;
			p->capgrp = cap;
		}
		g = &p->grp[p->ngrp];
		memset(g, 0, sizeof(*g));
		g->echo = malloc(r->echo_len + 1);
		if (g->echo == NULL)
			return FT_ENOMEM;
		memcpy(g->echo, r->echo, r->echo_len);
		g->echo[r->echo_len] = '\0';
		g->echo_len = r->echo_len;
		snprintf(g->csource, sizeof(g->csource), "%s", r->csource);
		g->ncdest = r->ncdest;
		g->src = si;
		p->ngrp++;
	}
	g = &p->grp[k];
	if (g->nids == g->capids) {
		size_t cap = g->capids ? g->capids * 2 : 4;

		n = realloc(g->ids, cap * sizeof(*g->ids));
		if (n == NULL)
			return FT_ENOMEM;
		g->ids = n;
		g->capids = cap;
	}
	g->ids[g->nids++] = r->id;
	*gi = k;
	return 0;
}

/* The group of criterion r; a new id joins (or makes) one in the first run. */
static int
group_of(struct ft_plan *p, const struct ft_rule *r, size_t *gi)
{
	size_t lo = 0, hi = p->nmap;
	void *n;
	int rc;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->map[mid].id == r->id) {
			*gi = p->map[mid].group;
			return 0;
		}
		if (p->map[mid].id < r->id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!p->collect)
		return FT_ENOENT;	/* not in the first run: never removed */
	rc = group_new(p, r, gi);
	if (rc != 0)
		return rc;
	if (p->nmap == p->capmap) {
		size_t cap = p->capmap ? p->capmap * 2 : 64;

		n = realloc(p->map, cap * sizeof(*p->map));
		if (n == NULL)
			return FT_ENOMEM;
		p->map = n;
		p->capmap = cap;
	}
	memmove(&p->map[lo + 1], &p->map[lo],
	    (p->nmap - lo) * sizeof(*p->map));
	p->map[lo].id = r->id;
	p->map[lo].group = *gi;
	p->nmap++;
	return 0;
}

/* --- the observer: load and budgets ------------------------------------- */

/*
 * The outer length of a copy, or 0 when it does not fit its outer
 * header (encap.c: payload and IPv4 total length, or IPv6 UDP length,
 * at most 65535); such a copy is never offered (ledger "toobig").
 */
static uint64_t
copy_len(const struct ft_rule *r, unsigned ci, size_t plen)
{
	size_t len = ft_encap_len(r, ci, plen);

	if (plen > 65535)
		return 0;
	if (r->out_family == 6 ? len - 40 > 65535 : len > 65535)
		return 0;
	return len;
}

static void
note_drop(struct ft_plan *p, int dir, int why, uint64_t t)
{
	if (why == 0 || p->first_dir != 0)
		return;
	p->first_dir = dir;
	p->first_why = why;
	p->first_ns = t;
}

static void
observe(void *ctx, uint64_t base_ns, uint64_t now_ns,
    const struct ft_trace_rec *rec, const struct ft_pkt *pkt,
    struct ft_rule *const *match, unsigned n)
{
	struct ft_plan *p = ctx;
	size_t gi[FT_MATCH_MAX];
	int keep[FT_MATCH_MAX];
	unsigned i, ci, kept = 0;
	uint64_t len, eg_n = 0, eg_b = 0;
	int why;

	if (p->oom)
		return;
	if (!p->started) {
		p->started = 1;
		p->base_ns = base_ns;
		p->last_ns = now_ns;
	}
	for (i = 0; i < n && i < FT_MATCH_MAX; i++) {
		int rc = group_of(p, match[i], &gi[i]);

		if (rc == FT_ENOMEM) {
			p->oom = 1;
			return;
		}
		keep[i] = rc != 0 || !p->grp[gi[i]].removed;
		if (rc != 0)
			gi[i] = (size_t)-1;
		kept += (unsigned)keep[i];
	}
	if (p->collect) {
		advance(p, now_ns);
		p->serial++;
		for (i = 0; i < n; i++) {
			const struct ft_rule *r = match[i];
			struct group *g = &p->grp[gi[i]];
			uint64_t cn = 0, cb = 0;

			for (ci = 0; ci < r->ncdest; ci++) {
				len = copy_len(r, ci, pkt->l3_len);
				if (len == 0)
					continue;
				cn++;
				cb += len;
			}
			row_add(&g->r, p->serial, rec->len, cn, cb);
			row_add(&p->src[g->src].r, p->serial, rec->len, cn, cb);
			eg_n += cn;
			eg_b += cb;
		}
		row_add(&p->total, p->serial, rec->len, eg_n, eg_b);
	}
	if (kept == 0)
		return;
	/* The budgets, as the PIC judges (pic.c). */
	why = ft_budget_judge(&p->in, now_ns, rec->len);
	note_drop(p, 1, why, now_ns);
	if (why != 0)
		return;
	for (i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		for (ci = 0; ci < match[i]->ncdest; ci++) {
			len = copy_len(match[i], ci, pkt->l3_len);
			if (len == 0)
				continue;
			why = ft_budget_judge(&p->eg, now_ns, len);
			note_drop(p, 2, why, now_ns);
		}
	}
}

/* One pass over the trace with the groups marked removed left out. */
static int
pass(struct ft_plan *p, int collect, struct ft_err *e)
{
	struct ft_replay_opts ro = p->o->run;
	int rc;

	p->collect = collect;
	ft_budget_init(&p->in, &p->budget);
	ft_budget_init(&p->eg, &p->budget);
	p->first_dir = 0;
	p->first_why = 0;
	p->first_ns = 0;
	ro.out = NULL;
	ro.observe = observe;
	ro.observe_ctx = p;
	ro.summary = NULL;
	ro.stats = collect ? &p->stats : NULL;
	if (p->script_text != NULL) {
		ro.script = p->o->criteria;
		ro.script_text = p->script_text;
		ro.script_len = strlen(p->script_text);
	}
	rc = ft_replay_run(&ro, e);
	if (rc != 0)
		return rc;
	if (p->oom)
		return ft_err_set(e, FT_ENOMEM, "out of memory");
	if (!collect)
		p->runs++;
	return 0;
}

static int
within_now(const struct ft_plan *p)
{
	return p->in.dropped == 0 && p->eg.dropped == 0;
}

/* --- the criteria list ---------------------------------------------- */

static const char *const list_defaults[][2] = {
	{ "Cdest-ID", "plan" },
	{ "X-JTap-Cdest-Dest-Address", "192.0.2.1" },
	{ "X-JTap-Cdest-Dest-Port", "30030" },
	{ "X-JTap-Cdest-Source-Address", "192.0.2.254" },
	{ "X-JTap-Cdest-Source-Port", "49152" },
	{ "Flags", "STATIC" },
};
#define NDEFAULTS (sizeof(list_defaults) / sizeof(list_defaults[0]))

struct sbuf {
	char *s;
	size_t len, cap;
	int oom;
};

static void
sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		void *q;

		while (cap < b->len + n + 1)
			cap *= 2;
		q = realloc(b->s, cap);
		if (q == NULL) {
			b->oom = 1;
			return;
		}
		b->s = q;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* Does the paragraph lines[0..n) have parameter name (ASCII fold)? */
static int
has_param(const char *para, size_t plen, const char *name)
{
	size_t nl = strlen(name), i = 0;

	while (i < plen) {
		const char *line = para + i, *end = memchr(line, '\n',
		    plen - i);
		size_t ll = end ? (size_t)(end - line) : plen - i;

		if (ll > nl && line[nl] == ':' && strncasecmp(line, name,
		    nl) == 0)
			return 1;
		i += ll + 1;
	}
	return 0;
}

static int
end_paragraph(struct sbuf *b, const char *path, unsigned line,
    const char *para, size_t plen, const char *csource, struct ft_err *e)
{
	size_t k;

	if (has_param(para, plen, "Seq") ||
	    has_param(para, plen, "Authentication-Info"))
		return ft_err_set(e, FT_EINVAL, "criteria '%s' line %u: Seq "
		    "and Authentication-Info are the planner's to add", path,
		    line);
	sb_str(b, "ADD DTCP/0.7\n");
	if (!has_param(para, plen, "Csource-ID")) {
		sb_str(b, "Csource-ID: ");
		sb_str(b, csource);
		sb_str(b, "\n");
	}
	sb_add(b, para, plen);
	for (k = 0; k < NDEFAULTS; k++) {
		if (has_param(para, plen, list_defaults[k][0]))
			continue;
		sb_str(b, list_defaults[k][0]);
		sb_str(b, ": ");
		sb_str(b, list_defaults[k][1]);
		sb_str(b, "\n");
	}
	sb_str(b, "Seq: auto\nAuthentication-Info: auto\n\n");
	return 0;
}

/*
 * A criteria list: paragraphs of "Name: value" lines separated by empty
 * lines, '#' comment lines; each paragraph becomes one ADD at time 0.
 */
static int
criteria_script(struct ft_plan *p, const char *path, const char *csource,
    struct ft_err *e)
{
	struct sbuf b = { NULL, 0, 0, 0 }, para = { NULL, 0, 0, 0 };
	FILE *fp;
	char line[FT_DTCP_LINE_MAX + 2];
	unsigned ln = 0, first = 0, n = 0;
	int rc = 0;

	fp = fopen(path, "r");
	if (fp == NULL)
		return ft_err_set(e, FT_EIO, "criteria '%s': cannot read it",
		    path);
	for (;;) {
		char *got = fgets(line, sizeof(line), fp);
		size_t ll;

		if (got != NULL) {
			ln++;
			ll = strlen(line);
			if (ll > 0 && line[ll - 1] == '\n')
				line[--ll] = '\0';
			else if (!feof(fp)) {
				rc = ft_err_set(e, FT_ELIMIT, "criteria '%s' "
				    "line %u: longer than %d bytes", path, ln,
				    FT_DTCP_LINE_MAX);
				break;
			}
			if (ll > 0 && line[ll - 1] == '\r')
				line[--ll] = '\0';
			if (line[0] == '#')
				continue;
			if (ll > 0) {
				if (strchr(line, ':') == NULL) {
					rc = ft_err_set(e, FT_EINVAL,
					    "criteria '%s' line %u: expected "
					    "'Name: value'", path, ln);
					break;
				}
				if (para.len == 0)
					first = ln;
				sb_add(&para, line, ll);
				sb_add(&para, "\n", 1);
				continue;
			}
		}
		if (para.len > 0) {
			rc = end_paragraph(&b, path, first, para.s, para.len,
			    csource, e);
			if (rc != 0)
				break;
			n++;
			para.len = 0;
		}
		if (got == NULL)
			break;
	}
	if (rc == 0 && ferror(fp))
		rc = ft_err_set(e, FT_EIO, "criteria '%s': read error", path);
	fclose(fp);
	free(para.s);
	if (rc == 0 && (b.oom || para.oom))
		rc = ft_err_set(e, FT_ENOMEM, "out of memory");
	if (rc == 0 && n == 0)
		rc = ft_err_set(e, FT_EINVAL, "criteria '%s': no criterion",
		    path);
	if (rc != 0) {
		free(b.s);
		return rc;
	}
	p->script_text = b.s;
	return 0;
}

/* --- narrowing --------------------------------------------------------- */

static const struct ft_plan *sort_plan;

static int
cmp_src_name(const void *a, const void *b)
{
	return strcmp(sort_plan->src[*(const size_t *)a].name,
	    sort_plan->src[*(const size_t *)b].name);
}

static int
cmp_weight(const void *a, const void *b)
{
	const struct group *ga = &sort_plan->grp[*(const size_t *)a];
	const struct group *gb = &sort_plan->grp[*(const size_t *)b];

	if (ga->weight != gb->weight)
		return ga->weight > gb->weight ? -1 : 1;
	return ga->ids[0] < gb->ids[0] ? -1 : ga->ids[0] > gb->ids[0];
}

/* Parts per million of a group's load in the buckets that dropped. */
static void
weigh(struct ft_plan *p)
{
	const struct load *t = &p->total.tot;
	int in_n = p->pred_in.drop_pkt || p->pred_in.drop_both;
	int in_b = p->pred_in.drop_byte || p->pred_in.drop_both;
	int eg_n = p->pred_eg.drop_pkt || p->pred_eg.drop_both;
	int eg_b = p->pred_eg.drop_byte || p->pred_eg.drop_both;
	size_t k;

	for (k = 0; k < p->ngrp; k++) {
		const struct load *l = &p->grp[k].r.tot;
		uint64_t w = 0;

#define SHARE(f) (t->f ? (uint64_t)((u128)l->f * 1000000 / t->f) : 0)
		if (in_n)
			w += SHARE(in_n);
		if (in_b)
			w += SHARE(in_b);
		if (eg_n)
			w += SHARE(eg_n);
		if (eg_b)
			w += SHARE(eg_b);
#undef SHARE
		p->grp[k].weight = w;
	}
}

/* Is the run within budget with exactly the groups set[0..n) removed? */
static int
try_set(struct ft_plan *p, const size_t *set, size_t n, int *within,
    struct ft_err *e)
{
	size_t k;
	int rc;

	for (k = 0; k < p->ngrp; k++)
		p->grp[k].removed = 0;
	for (k = 0; k < n; k++)
		p->grp[set[k]].removed = 1;
	rc = pass(p, 0, e);
	if (rc != 0)
		return rc;
	*within = within_now(p);
	return 0;
}

/* Sets of size j among order[0..m), lexicographic; 1 when one fits. */
static int
search_size(struct ft_plan *p, const size_t *order, size_t m, size_t j,
    size_t *idx, size_t *set, int *found, struct ft_err *e)
{
	size_t k;
	int rc, ok;

	for (k = 0; k < j; k++)
		idx[k] = k;
	for (;;) {
		if (p->runs >= p->o->max_runs)
			return 1;	/* budget spent */
		for (k = 0; k < j; k++)
			set[k] = order[idx[k]];
		rc = try_set(p, set, j, &ok, e);
		if (rc != 0)
			return rc;
		if (ok) {
			*found = 1;
			return 0;
		}
		/* Next combination. */
		k = j;
		while (k > 0 && idx[k - 1] == m - j + k - 1)
			k--;
		if (k == 0)
			return 0;
		idx[k - 1]++;
		for (; k < j; k++)
			idx[k] = idx[k - 1] + 1;
	}
}

static int
narrow(struct ft_plan *p, struct ft_err *e)
{
	size_t m = p->ngrp, k, n = 0, *order, *set, *idx, j;
	int rc = 0, ok = 0, found, spent = 0;

	order = calloc(m + 1, sizeof(*order));
	set = calloc(m + 1, sizeof(*set));
	idx = calloc(m + 1, sizeof(*idx));
	if (order == NULL || set == NULL || idx == NULL) {
		rc = ft_err_set(e, FT_ENOMEM, "out of memory");
		goto free_all;
	}
	weigh(p);
	for (k = 0; k < m; k++)
		order[k] = k;
	sort_plan = p;
	qsort(order, m, sizeof(*order), cmp_weight);

	/* Greedy: remove the heaviest until the run is within budget. */
	while (n < m && !ok) {
		if (p->runs >= p->o->max_runs) {
			spent = 1;
			break;
		}
		set[n] = order[n];
		n++;
		rc = try_set(p, set, n, &ok, e);
		if (rc != 0)
			goto free_all;
	}
	if (!ok) {
		p->narrow_state = 2;
		goto keep;
	}
	/* Prune: put back each one the run can take again. */
	for (k = n; k-- > 0 && n > 1;) {
		size_t save = set[k], q;

		if (p->runs >= p->o->max_runs) {
			spent = 1;
			break;
		}
		for (q = k; q + 1 < n; q++)
			set[q] = set[q + 1];
		rc = try_set(p, set, n - 1, &ok, e);
		if (rc != 0)
			goto free_all;
		if (ok) {
			n--;
			continue;
		}
		for (q = n - 1; q > k; q--)
			set[q] = set[q - 1];
		set[k] = save;
	}
	p->narrow_state = 1;
	p->exact = n == 1;
	/* Exact: no smaller set fits (while the run budget lasts). */
	if (!spent && n > 1) {
		size_t *best = calloc(n, sizeof(*best));

		if (best == NULL) {
			rc = ft_err_set(e, FT_ENOMEM, "out of memory");
			goto free_all;
		}
		memcpy(best, set, n * sizeof(*set));
		found = 0;
		for (j = 1; j < n && !found; j++) {
			rc = search_size(p, order, m, j, idx, set, &found, e);
			if (rc < 0) {
				free(best);
				goto free_all;
			}
			if (rc == 1) {
				spent = 1;
				rc = 0;
				break;
			}
		}
		if (found) {
			/* set[0..j-1) holds it: j was incremented on exit. */
			n = j - 1;
		} else {
			memcpy(set, best, n * sizeof(*set));
		}
		free(best);
		p->exact = !spent;
	}
keep:
	p->narrow = set;
	p->nnarrow = n;
	set = NULL;
free_all:
	free(order);
	free(set);
	free(idx);
	return rc;
}

/* --- the run ---------------------------------------------------------- */

void
ft_plan_opts_default(struct ft_plan_opts *o)
{
	memset(o, 0, sizeof(*o));
	ft_replay_opts_default(&o->run);
	o->csource = "verint";
	o->max_runs = FT_PLAN_RUNS_DEF;
}

int
ft_plan_run(const struct ft_plan_opts *o, struct ft_plan **out,
    struct ft_err *e)
{
	struct ft_plan *p;
	size_t k;
	int rc;

	*out = NULL;
	if ((o->run.script == NULL) == (o->criteria == NULL))
		return ft_err_set(e, FT_EINVAL, "plan needs a script or a "
		    "criteria list (one of them)");
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return ft_err_set(e, FT_ENOMEM, "out of memory");
	p->o = o;
	p->budget = o->run.budget;
	p->interval_ns = o->run.interval_ns;
	if (p->interval_ns == 0) {
		rc = ft_err_set(e, FT_EINVAL, "plan interval must be > 0");
		goto fail;
	}
	if (o->criteria != NULL) {
		rc = criteria_script(p, o->criteria, o->csource, e);
		if (rc != 0)
			goto fail;
	}
	if (o->intervals != NULL)
		fputs("time_s,scope,name,ingress_packets,ingress_bytes,"
		    "egress_copies,egress_bytes\n", o->intervals);
	rc = pass(p, 1, e);
	if (rc != 0)
		goto fail;
	if (p->started) {
		flush_interval(p);
		close_window(p, 0);
		close_window(p, 1);
	}
	p->src_order = calloc(p->nsrc + 1, sizeof(*p->src_order));
	if (p->src_order == NULL) {
		rc = ft_err_set(e, FT_ENOMEM, "out of memory");
		goto fail;
	}
	for (k = 0; k < p->nsrc; k++)
		p->src_order[k] = k;
	sort_plan = p;
	qsort(p->src_order, p->nsrc, sizeof(*p->src_order), cmp_src_name);
	p->pred_in = p->in;
	p->pred_eg = p->eg;
	p->pred_dir = p->first_dir;
	p->pred_why = p->first_why;
	p->pred_ns = p->first_ns;
	if (!within_now(p) && o->max_runs > 0) {
		rc = narrow(p, e);
		if (rc != 0)
			goto fail;
	} else if (!within_now(p)) {
		p->narrow_state = 2;
	}
	if (o->intervals != NULL && ferror(o->intervals)) {
		rc = ft_err_set(e, FT_EIO, "cannot write the intervals file");
		goto fail;
	}
	*out = p;
	return 0;
fail:
	ft_plan_free(p);
	return rc;
}

int
ft_plan_within(const struct ft_plan *p)
{
	return p->pred_in.dropped == 0 && p->pred_eg.dropped == 0;
}

void
ft_plan_drops(const struct ft_plan *p, uint64_t *ingress, uint64_t *egress)
{
	*ingress = p->pred_in.dropped;
	*egress = p->pred_eg.dropped;
}

void
ft_plan_free(struct ft_plan *p)
{
	size_t k;

	if (p == NULL)
		return;
	for (k = 0; k < p->ngrp; k++) {
		free(p->grp[k].echo);
		free(p->grp[k].ids);
	}
	free(p->grp);
	free(p->src);
	free(p->map);
	free(p->narrow);
	free(p->src_order);
	free(p->script_text);
	free(p);
}

/* --- output ------------------------------------------------------------ */

static const char *
cause_name(int why)
{
	if (why == FT_BUDGET_SHORT_PKT)
		return "packet_bucket";
	if (why == FT_BUDGET_SHORT_BYTE)
		return "byte_bucket";
	return "both";
}

/*
 * A group's filter for people: the echoed ADD lines without the content
 * destination and Flags lines, "; "-separated; "(every packet of its
 * family)" when nothing is left.
 */
static void
filter_text(const struct group *g, char *out, size_t cap)
{
	const char *s = g->echo, *end = g->echo + g->echo_len;
	size_t len = 0;

	out[0] = '\0';
	while (s < end) {
		const char *eol = memchr(s, '\r', (size_t)(end - s));
		size_t ll = eol ? (size_t)(eol - s) : (size_t)(end - s);

		if (ll > 0 && strncasecmp(s, "X-JTAP-CDEST", 12) != 0 &&
		    strncasecmp(s, "FLAGS:", 6) != 0 && len + ll + 3 < cap) {
			if (len > 0) {
				memcpy(out + len, "; ", 2);
				len += 2;
			}
			memcpy(out + len, s, ll);
			len += ll;
			out[len] = '\0';
		}
		s += ll;
		while (s < end && (*s == '\r' || *s == '\n'))
			s++;
	}
	if (len == 0)
		snprintf(out, cap, "(every packet of its family)");
}

static void
ids_text(const struct group *g, char *out, size_t cap)
{
	size_t k, len = 0;

	out[0] = '\0';
	for (k = 0; k < g->nids && len + 24 < cap; k++)
		len += (size_t)snprintf(out + len, cap - len, "%s%llu",
		    k ? "," : "", ull(g->ids[k]));
}

static void
jstr(FILE *fp, const char *s)
{
	const unsigned char *q = (const unsigned char *)s;

	fputc('"', fp);
	for (; *q != '\0'; q++) {
		if (*q == '"' || *q == '\\')
			fprintf(fp, "\\%c", *q);
		else if (*q < 0x20 || *q == 0x7f)
			fprintf(fp, "\\u%04x", *q);
		else
			fputc(*q, fp);
	}
	fputc('"', fp);
}

static void
jsec(FILE *fp, uint64_t ns)
{
	fprintf(fp, "%llu.%09llu", ull(ns / NS_PER_S), ull(ns % NS_PER_S));
}

/* rate 0 or depth 0: unlimited. */
static uint64_t
eff_rate(uint64_t rate, uint64_t depth)
{
	return depth == 0 ? 0 : rate;
}

static void
pct(char *b, size_t cap, uint64_t num, uint64_t nmul, uint64_t rate)
{
	ft_report_pct(b, cap, num, nmul, rate, 1);
}

/*
 * 100 minus the larger load percentage of the busiest 1 s and 100 ms
 * windows, as text ("-75.00" for an overload); "null" if unlimited.
 */
static void
headroom(char *b, size_t cap, uint64_t p1s, uint64_t p100, uint64_t rate)
{
	u128 h, h100;

	if (rate == 0) {
		snprintf(b, cap, "null");
		return;
	}
	/* Hundredths of a percent of the rate, rounded half up. */
	h = ((u128)p1s * 20000 + rate) / (2 * (u128)rate);
	h100 = ((u128)p100 * 200000 + rate) / (2 * (u128)rate);
	if (h100 > h)
		h = h100;
	if (h <= 10000)
		snprintf(b, cap, "%llu.%02llu", ull((uint64_t)(10000 - h) / 100),
		    ull((uint64_t)(10000 - h) % 100));
	else
		snprintf(b, cap, "-%llu.%02llu", ull((uint64_t)(h - 10000) /
		    100), ull((uint64_t)(h - 10000) % 100));
}

struct bucket_view {
	const char *dir, *unit, *bucket;
	uint64_t total, p1s, p100, rate;
};

static void
views(const struct ft_plan *p, const struct load *tot, const struct load *p1s,
    const struct load *p100, struct bucket_view v[4])
{
	uint64_t pr = eff_rate(p->budget.pps, p->budget.burst);
	uint64_t br = eff_rate(p->budget.bps, p->budget.byte_burst);

	v[0] = (struct bucket_view){ "ingress", "packets", "packet_bucket",
	    tot->in_n, p1s->in_n, p100->in_n, pr };
	v[1] = (struct bucket_view){ "ingress", "bytes", "byte_bucket",
	    tot->in_b, p1s->in_b, p100->in_b, br };
	v[2] = (struct bucket_view){ "egress", "copies", "packet_bucket",
	    tot->eg_n, p1s->eg_n, p100->eg_n, pr };
	v[3] = (struct bucket_view){ "egress", "bytes", "byte_bucket",
	    tot->eg_b, p1s->eg_b, p100->eg_b, br };
}

static void
jload(FILE *fp, const struct load *tot, const struct load *p1s,
    const struct load *p100)
{
	fprintf(fp, "\"ingress\": {\"packets\": %llu, \"bytes\": %llu, "
	    "\"peak_1s_packets\": %llu, \"peak_1s_bytes\": %llu, "
	    "\"peak_100ms_packets\": %llu, \"peak_100ms_bytes\": %llu}, "
	    "\"egress\": {\"copies\": %llu, \"bytes\": %llu, "
	    "\"peak_1s_copies\": %llu, \"peak_1s_bytes\": %llu, "
	    "\"peak_100ms_copies\": %llu, \"peak_100ms_bytes\": %llu}",
	    ull(tot->in_n), ull(tot->in_b), ull(p1s->in_n), ull(p1s->in_b),
	    ull(p100->in_n), ull(p100->in_b), ull(tot->eg_n), ull(tot->eg_b),
	    ull(p1s->eg_n), ull(p1s->eg_b), ull(p100->eg_n), ull(p100->eg_b));
}

static void
jdrops(FILE *fp, const char *name, const struct ft_budget *b)
{
	fprintf(fp, "\"%s\": {\"offered\": %llu, \"passed\": %llu, "
	    "\"dropped\": %llu, \"dropped_by_cause\": {\"packet_bucket\": %llu, "
	    "\"byte_bucket\": %llu, \"both\": %llu}}", name, ull(b->offered),
	    ull(b->passed), ull(b->dropped), ull(b->drop_pkt),
	    ull(b->drop_byte), ull(b->drop_both));
}

static void
jgroup(FILE *fp, const struct ft_plan *p, const struct group *g)
{
	char buf[FT_RULE_ECHO_MAX + 64];
	size_t k;

	fputs("{\"criteria_ids\": [", fp);
	for (k = 0; k < g->nids; k++)
		fprintf(fp, "%s%llu", k ? ", " : "", ull(g->ids[k]));
	fputs("], \"csource\": ", fp);
	jstr(fp, g->csource);
	fputs(", \"filter\": ", fp);
	filter_text(g, buf, sizeof(buf));
	jstr(fp, buf);
	fprintf(fp, ", \"content_destinations\": %u", g->ncdest);
	(void)p;
}

int
ft_plan_write_json(const struct ft_plan *p, FILE *fp)
{
	const struct ft_replay_opts *ro = &p->o->run;
	struct bucket_view v[4];
	char a[48], b[48], c[48];
	size_t k, i;
	unsigned q;
	int first;

	fputs("{\n  \"inputs\": {\"trace\": ", fp);
	jstr(fp, ro->trace);
	fputs(", \"script\": ", fp);
	if (ro->script != NULL)
		jstr(fp, ro->script);
	else
		fputs("null", fp);
	fputs(", \"criteria\": ", fp);
	if (p->o->criteria != NULL)
		jstr(fp, p->o->criteria);
	else
		fputs("null", fp);
	fputs(", \"config\": ", fp);
	if (ro->config != NULL)
		jstr(fp, ro->config);
	else
		fputs("null", fp);
	fprintf(fp, ", \"profile\": \"%s\"},\n", ft_profile_name(ro->profile));
	fprintf(fp, "  \"budget\": {\"pps\": %llu, \"burst\": %llu, "
	    "\"bytes_per_s\": %llu, \"byte_burst\": %llu},\n",
	    ull(p->budget.pps), ull(p->budget.burst), ull(p->budget.bps),
	    ull(p->budget.byte_burst));
	fputs("  \"run\": {\"duration_s\": ", fp);
	jsec(fp, p->last_ns - p->base_ns);
	fputs(", \"interval_s\": ", fp);
	jsec(fp, p->interval_ns);
	fputs("},\n  \"load\": {", fp);
	jload(fp, &p->total.tot, &p->total.p1s, &p->total.p100);
	fputs(",\n    \"buckets\": [", fp);
	views(p, &p->total.tot, &p->total.p1s, &p->total.p100, v);
	for (i = 0; i < 4; i++) {
		pct(a, sizeof(a), v[i].p1s, 1, v[i].rate);
		pct(b, sizeof(b), v[i].p100, 10, v[i].rate);
		headroom(c, sizeof(c), v[i].p1s, v[i].p100, v[i].rate);
		fprintf(fp, "%s\n      {\"direction\": \"%s\", \"bucket\": "
		    "\"%s\", \"rate\": %llu, \"peak_1s\": %llu, "
		    "\"peak_1s_pct\": %s, \"peak_100ms\": %llu, "
		    "\"peak_100ms_pct\": %s, \"headroom_pct\": %s}",
		    i ? "," : "", v[i].dir, v[i].bucket, ull(v[i].rate),
		    ull(v[i].p1s), a, ull(v[i].p100), b, c);
	}
	fputs("\n    ]},\n", fp);

	fprintf(fp, "  \"predicted\": {\"verdict\": \"%s\", ",
	    ft_plan_within(p) ? "within" : "exceeded");
	jdrops(fp, "ingress", &p->pred_in);
	fputs(", ", fp);
	jdrops(fp, "egress", &p->pred_eg);
	fputs(", \"first_exceeded\": ", fp);
	if (p->pred_dir == 0) {
		fputs("null", fp);
	} else {
		fputs("{\"time_s\": ", fp);
		jsec(fp, p->pred_ns - p->base_ns);
		fprintf(fp, ", \"direction\": \"%s\", \"cause\": \"%s\"}",
		    p->pred_dir == 1 ? "ingress" : "egress",
		    cause_name(p->pred_why));
	}
	fputs("},\n", fp);

	fputs("  \"csources\": [", fp);
	for (k = 0, first = 1; k < p->nsrc; k++) {
		const struct src *s = &p->src[p->src_order[k]];

		fprintf(fp, "%s\n    {\"csource\": ", first ? "" : ",");
		first = 0;
		jstr(fp, s->name);
		fputs(", ", fp);
		jload(fp, &s->r.tot, &s->r.p1s, &s->r.p100);
		ft_report_pct(a, sizeof(a), s->r.tot.eg_n, 1,
		    p->total.tot.eg_n, 1);
		fprintf(fp, ", \"egress_share_pct\": %s}", a);
	}
	fputs(p->nsrc ? "\n  ],\n" : "],\n", fp);

	fputs("  \"criteria\": [", fp);
	for (k = 0; k < p->ngrp; k++) {
		const struct group *g = &p->grp[k];

		fprintf(fp, "%s\n    ", k ? "," : "");
		jgroup(fp, p, g);
		fputs(", ", fp);
		jload(fp, &g->r.tot, &g->r.p1s, &g->r.p100);
		ft_report_pct(a, sizeof(a), g->r.tot.eg_n, 1,
		    p->total.tot.eg_n, 1);
		fprintf(fp, ", \"egress_share_pct\": %s}", a);
	}
	fputs(p->ngrp ? "\n  ],\n" : "],\n", fp);

	fputs("  \"narrow_first\": ", fp);
	if (p->narrow_state == 0) {
		fputs("null,\n", fp);
	} else {
		fprintf(fp, "{\"found\": %s, \"minimal\": \"%s\", \"runs\": %u, "
		    "\"criteria\": [", p->narrow_state == 1 ? "true" : "false",
		    p->narrow_state != 1 ? "none" : p->exact ? "smallest" :
		    "irreducible", p->runs);
		for (k = 0; k < p->nnarrow && p->narrow_state == 1; k++) {
			fprintf(fp, "%s\n    ", k ? "," : "");
			jgroup(fp, p, &p->grp[p->narrow[k]]);
			fputc('}', fp);
		}
		fputs(p->nnarrow && p->narrow_state == 1 ? "\n  ]},\n" :
		    "]},\n", fp);
	}

	fputs("  \"dtcp\": {\"replies\": {", fp);
	for (q = 0, first = 1; q < p->stats.replies.n; q++) {
		fprintf(fp, "%s\"%d\": %llu", first ? "" : ", ",
		    p->stats.replies.code[q], ull(p->stats.replies.count[q]));
		first = 0;
	}
	fputs("}, \"drops\": {", fp);
	for (q = 0, first = 1; q < p->stats.drops.n; q++) {
		fprintf(fp, "%s\"%d\": %llu", first ? "" : ", ",
		    p->stats.drops.code[q], ull(p->stats.drops.count[q]));
		first = 0;
	}
	fputs("}}\n}\n", fp);
	return ferror(fp) ? FT_EIO : 0;
}

static void
tdrops(FILE *fp, const char *name, const struct ft_budget *b,
    const char *unit)
{
	fprintf(fp, "  %-8s %llu %s offered, %llu passed, %llu dropped "
	    "(packet bucket %llu, byte bucket %llu, both %llu)\n", name,
	    ull(b->offered), unit, ull(b->passed), ull(b->dropped),
	    ull(b->drop_pkt), ull(b->drop_byte), ull(b->drop_both));
}

int
ft_plan_write_text(const struct ft_plan *p, FILE *fp)
{
	const struct ft_replay_opts *ro = &p->o->run;
	struct bucket_view v[4];
	char a[48], b[48], c[48], ids[256];
	char filt[FT_RULE_ECHO_MAX + 64];
	size_t k, i;
	unsigned q;

	fprintf(fp, "flowtap plan: %s with %s %s\n", ro->trace,
	    p->o->criteria ? "criteria" : "script",
	    p->o->criteria ? p->o->criteria : ro->script);
	fprintf(fp, "budget per direction: %llu packets/s (depth %llu), "
	    "%llu bytes/s (depth %llu); 0 = unlimited\n",
	    ull(p->budget.pps), ull(p->budget.burst), ull(p->budget.bps),
	    ull(p->budget.byte_burst));
	fputs("trace span: ", fp);
	jsec(fp, p->last_ns - p->base_ns);
	fputs(" s from the first packet\n\n", fp);

	fputs("Load with no budget dropping anything (busiest aligned "
	    "windows from the first packet):\n", fp);
	fprintf(fp, "  %-15s %14s %12s %9s %12s %9s %10s\n", "", "total",
	    "peak 1 s", "% rate", "peak 100ms", "% rate", "headroom");
	views(p, &p->total.tot, &p->total.p1s, &p->total.p100, v);
	for (i = 0; i < 4; i++) {
		char label[32];

		snprintf(label, sizeof(label), "%s %s", v[i].dir, v[i].unit);
		pct(a, sizeof(a), v[i].p1s, 1, v[i].rate);
		pct(b, sizeof(b), v[i].p100, 10, v[i].rate);
		headroom(c, sizeof(c), v[i].p1s, v[i].p100, v[i].rate);
		fprintf(fp, "  %-15s %14llu %12llu %8s%% %12llu %8s%% %9s%%\n",
		    label, ull(v[i].total), ull(v[i].p1s), a, ull(v[i].p100),
		    b, c);
	}
	fputs("  (% rate: of what the bucket's rate passes in that window; "
	    "headroom: 100 - the larger;\n   the bucket's depth absorbs "
	    "bursts, so the verdict below is the budget's own)\n\n", fp);

	fprintf(fp, "Predicted by the PIC's budget: %s\n",
	    ft_plan_within(p) ? "within budget" : "OVER budget");
	tdrops(fp, "ingress", &p->pred_in, "packets");
	tdrops(fp, "egress", &p->pred_eg, "copies");
	if (p->pred_dir != 0) {
		fputs("  first exceeded at ", fp);
		jsec(fp, p->pred_ns - p->base_ns);
		fprintf(fp, " s: %s, %s\n", p->pred_dir == 1 ? "ingress" :
		    "egress", cause_name(p->pred_why));
	}

	fputs("\nPer agency (control source):\n", fp);
	for (k = 0; k < p->nsrc; k++) {
		const struct src *s = &p->src[p->src_order[k]];

		ft_report_pct(a, sizeof(a), s->r.tot.eg_n, 1,
		    p->total.tot.eg_n, 1);
		fprintf(fp, "  %s: ingress %llu packets, %llu bytes (peak 1 s "
		    "%llu); egress %llu copies, %llu bytes (peak 1 s %llu), "
		    "%s%% of the egress load\n", s->name, ull(s->r.tot.in_n),
		    ull(s->r.tot.in_b), ull(s->r.p1s.in_n), ull(s->r.tot.eg_n),
		    ull(s->r.tot.eg_b), ull(s->r.p1s.eg_n), a);
	}
	if (p->nsrc == 0)
		fputs("  none: no packet matched\n", fp);
	fputs("\nPer criterion (Criteria-IDs of one filter):\n", fp);
	for (k = 0; k < p->ngrp; k++) {
		const struct group *g = &p->grp[k];

		ids_text(g, ids, sizeof(ids));
		filter_text(g, filt, sizeof(filt));
		ft_report_pct(a, sizeof(a), g->r.tot.eg_n, 1,
		    p->total.tot.eg_n, 1);
		fprintf(fp, "  [%s] %s: %s\n      ingress %llu packets "
		    "(peak 1 s %llu, 100 ms %llu); egress %llu copies (peak "
		    "1 s %llu, 100 ms %llu), %s%% of the egress load\n", ids,
		    g->csource, filt, ull(g->r.tot.in_n), ull(g->r.p1s.in_n),
		    ull(g->r.p100.in_n), ull(g->r.tot.eg_n),
		    ull(g->r.p1s.eg_n), ull(g->r.p100.eg_n), a);
	}
	if (p->ngrp == 0)
		fputs("  none matched\n", fp);

	if (p->narrow_state != 0) {
		fputs("\nNarrow first ", fp);
		if (p->narrow_state == 2) {
			fprintf(fp, "(not found within %u re-runs; raise "
			    "--max-runs)\n", p->runs);
		} else {
			fprintf(fp, "(%s set whose removal brings the run "
			    "within budget; %u re-runs):\n", p->exact ?
			    "the smallest" : "an irreducible", p->runs);
			for (k = 0; k < p->nnarrow; k++) {
				const struct group *g = &p->grp[p->narrow[k]];

				ids_text(g, ids, sizeof(ids));
				filter_text(g, filt, sizeof(filt));
				fprintf(fp, "  [%s] %s: %s\n", ids, g->csource,
				    filt);
			}
		}
	}
	fputs("\nDTCP replies:", fp);
	for (q = 0; q < p->stats.replies.n; q++)
		fprintf(fp, " %d x%llu", p->stats.replies.code[q],
		    ull(p->stats.replies.count[q]));
	for (q = 0; q < p->stats.drops.n; q++)
		fprintf(fp, " %d (dropped) x%llu", p->stats.drops.code[q],
		    ull(p->stats.drops.count[q]));
	fputs(p->stats.replies.n + p->stats.drops.n ? "\n" : " none\n", fp);
	return ferror(fp) ? FT_EIO : 0;
}
