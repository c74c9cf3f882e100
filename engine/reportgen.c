/*
 * reportgen.c - `flowtap report` (reportgen.h): charts with gnuplot and a
 * self-contained report.html from an output folder.
 *
 * Time charts: rates.csv rows are summed into at most FT_REPORT_BINS_MAX
 * bins (a whole number of rates intervals each, so sums are exact) and
 * drawn as rates per second, step by step (each bin a flat segment over
 * its own span), against the budget line: the same picture from a
 * 1-second trace to a 1-hour one. Numbers in the data files are written
 * with integer arithmetic, so the files, the charts and the page are the
 * same bytes on every run.
 */
#include "reportgen.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include "dtcp.h"
#include "json.h"
#include "limits.h"
#include "num.h"
#include "report.h"

#define NS_PER_S	1000000000ULL
#define PATH_CAP	4096
#define SRC_MAX		64	/* control sources drawn in the stacked chart */

__extension__ typedef unsigned __int128 u128;

/* Columns of rates.csv the charts use, by name. */
enum {
	C_IN_OFF, C_IN_PASS, C_IN_DROP, C_EG_OFF, C_EG_PASS, C_EG_DROP,
	C_IN_OFF_B, C_IN_PASS_B, C_EG_OFF_B, C_EG_PASS_B, C_COUNT
};
static const char *const col_names[C_COUNT] = {
	"ingress_offered", "ingress_passed", "ingress_dropped",
	"egress_offered", "egress_passed", "egress_dropped",
	"ingress_offered_bytes", "ingress_passed_bytes",
	"egress_offered_bytes", "egress_passed_bytes",
};

struct gen {
	const char *dir, *out;
	const struct ft_reportgen_opts *o;
	struct ft_err *e;
	struct ft_json *j;
	const struct ft_json_node *root;
	char *json_text;

	/* Time axis. */
	uint64_t interval_ns, span_ns, bin_ns, unit_ns;
	uint64_t last_w;	/* the last bin's width: up to the last record */
	const char *unit;
	size_t nbins;
	int have_rates, have_cs;
	uint64_t (*bins)[C_COUNT];
	/* Control sources of report.json, in its (name) order. */
	const char *src[SRC_MAX];
	size_t nsrc;
	uint64_t *csbins;	/* nsrc x nbins egress copies offered */

	/* Charts made (names), in page order. */
	const char *made[8];
	size_t nmade;
};

void
ft_reportgen_opts_default(struct ft_reportgen_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->charts = 1;
	o->top = FT_REPORTGEN_TOP_DEF;
}

static unsigned long long
ull(uint64_t v)
{
	return (unsigned long long)v;
}

static void
path(char *buf, const char *a, const char *b)
{
	snprintf(buf, PATH_CAP, "%s/%s", a, b);
}

static int
read_all(const char *p, char **out, size_t *len, size_t cap)
{
	FILE *fp = fopen(p, "rb");
	char *buf;
	size_t n = 0, sz = 65536;

	if (fp == NULL)
		return FT_EIO;
	buf = malloc(sz);
	if (buf == NULL) {
		fclose(fp);
		return FT_ENOMEM;
	}
	for (;;) {
		size_t got;

		if (n == sz) {
			void *q;

			if (sz >= cap) {
				free(buf);
				fclose(fp);
				return FT_ELIMIT;
			}
			sz *= 2;
			q = realloc(buf, sz);
			if (q == NULL) {
				free(buf);
				fclose(fp);
				return FT_ENOMEM;
			}
			buf = q;
		}
		got = fread(buf + n, 1, sz - n, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		free(buf);
		fclose(fp);
		return FT_EIO;
	}
	fclose(fp);
	*out = buf;
	*len = n;
	return 0;
}

/* "1.500000000" (a JSON number of seconds) -> ns; def when absent. */
static uint64_t
json_ns(const struct ft_json_node *n, uint64_t def)
{
	uint64_t v;

	if (n == NULL || n->type != FT_JSON_NUM ||
	    ft_num_seconds_ns(n->text, strlen(n->text), 86400ULL * 3660,
	    &v) != 0)
		return def;
	return v;
}

static uint64_t
ju(const struct gen *g, const char *p)
{
	return ft_json_u64(ft_json_get(g->root, p), 0);
}

/* --- reading the CSVs --------------------------------------------------- */

/* Split a CSV line in place (no quoting: flowtap's CSVs have none). */
static size_t
split(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *s = line;

	for (;;) {
		char *c = strchr(s, ',');

		if (n == max)
			return n + 1;	/* too many: the caller refuses */
		f[n++] = s;
		if (c == NULL)
			break;
		*c = '\0';
		s = c + 1;
	}
	return n;
}

static int
read_line(FILE *fp, char *buf, size_t cap)
{
	size_t l;

	if (fgets(buf, (int)cap, fp) == NULL)
		return 0;
	l = strlen(buf);
	if (l > 0 && buf[l - 1] == '\n')
		buf[--l] = '\0';
	else if (!feof(fp))
		return -1;
	if (l > 0 && buf[l - 1] == '\r')
		buf[--l] = '\0';
	return 1;
}

static size_t
bin_of(const struct gen *g, uint64_t t)
{
	size_t b = (size_t)(t / g->bin_ns);

	return b < g->nbins ? b : g->nbins - 1;
}

/*
 * The span a bin's rate is taken over: bin_ns, but the last bin ends at
 * the last record (a 0.4 s trace in 1 s intervals is 0.4 s of traffic,
 * not 1 s), unless that leaves less than a millisecond (a trace of one
 * instant has no duration to divide by: the whole bin is used).
 */
static uint64_t
bin_width(const struct gen *g, size_t b)
{
	return b + 1 == g->nbins ? g->last_w : g->bin_ns;
}

#define FIELDS_MAX 64

static int
load_rates(struct gen *g)
{
	char p[PATH_CAP], line[FT_CSV_LINE_MAX + 2], *f[FIELDS_MAX + 1];
	int idx[C_COUNT], tcol = -1, r;
	size_t n, k, i;
	unsigned ln = 1;
	FILE *fp;

	path(p, g->dir, "rates.csv");
	fp = fopen(p, "r");
	if (fp == NULL)
		return 0;	/* optional: the page says so */
	if (read_line(fp, line, sizeof(line)) != 1)
		goto bad;
	n = split(line, f, FIELDS_MAX);
	if (n > FIELDS_MAX)
		goto bad;
	for (k = 0; k < C_COUNT; k++)
		idx[k] = -1;
	for (i = 0; i < n; i++) {
		if (strcmp(f[i], "time_s") == 0)
			tcol = (int)i;
		for (k = 0; k < C_COUNT; k++)
			if (strcmp(f[i], col_names[k]) == 0)
				idx[k] = (int)i;
	}
	if (tcol < 0)
		goto bad;
	while ((r = read_line(fp, line, sizeof(line))) == 1) {
		uint64_t t, v;
		size_t b;

		ln++;
		n = split(line, f, FIELDS_MAX);
		if (n > FIELDS_MAX || (size_t)tcol >= n ||
		    ft_num_seconds_ns(f[tcol], strlen(f[tcol]),
		    86400ULL * 3660, &t) != 0)
			goto bad;
		b = bin_of(g, t);
		for (k = 0; k < C_COUNT; k++) {
			if (idx[k] < 0)
				continue;	/* an older rates.csv: 0 */
			if ((size_t)idx[k] >= n || ft_num_u64(f[idx[k]],
			    strlen(f[idx[k]]), 20, 0, UINT64_MAX, &v) != 0)
				goto bad;
			g->bins[b][k] += v;
		}
	}
	if (r < 0)
		goto bad;
	fclose(fp);
	g->have_rates = 1;
	return 0;
bad:
	fclose(fp);
	return ft_err_set(g->e, FT_EFORMAT, "report '%s': rates.csv line %u: "
	    "not flowtap's format", g->dir, ln);
}

static int
load_csources(struct gen *g)
{
	char p[PATH_CAP], line[FT_CSV_LINE_MAX + 2], *f[FIELDS_MAX + 1];
	int r;
	size_t n, k;
	unsigned ln = 1;
	FILE *fp;

	if (g->nsrc == 0)
		return 0;
	path(p, g->dir, "csources.csv");
	fp = fopen(p, "r");
	if (fp == NULL)
		return 0;
	if (read_line(fp, line, sizeof(line)) != 1 ||
	    strncmp(line, "time_s,csource,", 15) != 0)
		goto bad;
	while ((r = read_line(fp, line, sizeof(line))) == 1) {
		uint64_t t, v;

		ln++;
		/* time_s,csource,in_off,in_off_b,in_drop,eg_off,... */
		n = split(line, f, FIELDS_MAX);
		if (n < 6 || n > FIELDS_MAX || ft_num_seconds_ns(f[0],
		    strlen(f[0]), 86400ULL * 3660, &t) != 0 ||
		    ft_num_u64(f[5], strlen(f[5]), 20, 0, UINT64_MAX, &v) != 0)
			goto bad;
		for (k = 0; k < g->nsrc; k++)
			if (strcmp(g->src[k], f[1]) == 0)
				break;
		if (k < g->nsrc)
			g->csbins[k * g->nbins + bin_of(g, t)] += v;
	}
	if (r < 0)
		goto bad;
	fclose(fp);
	g->have_cs = 1;
	return 0;
bad:
	fclose(fp);
	return ft_err_set(g->e, FT_EFORMAT, "report '%s': csources.csv line "
	    "%u: not flowtap's format", g->dir, ln);
}

/* --- data files ------------------------------------------------------- */

/* v / (ns / 1e9) per second, with 3 decimals. */
static void
put_rate(FILE *fp, uint64_t v, uint64_t ns)
{
	u128 m = (u128)v * NS_PER_S * 1000 / ns;

	fprintf(fp, " %llu.%03llu", ull((uint64_t)(m / 1000)),
	    ull((uint64_t)(m % 1000)));
}

/* ns in the chart's time unit, 6 decimals. */
static void
put_time(FILE *fp, uint64_t ns, uint64_t unit)
{
	u128 m = (u128)ns * 1000000 / unit;

	fprintf(fp, "%llu.%06llu", ull((uint64_t)(m / 1000000)),
	    ull((uint64_t)(m % 1000000)));
}

/* ns as seconds without trailing zeros: "1", "0.25". */
static void
put_secs(FILE *fp, uint64_t ns)
{
	char frac[16];
	int n;

	fprintf(fp, "%llu", ull(ns / NS_PER_S));
	if (ns % NS_PER_S == 0)
		return;
	n = snprintf(frac, sizeof(frac), "%09llu", ull(ns % NS_PER_S));
	while (n > 0 && frac[n - 1] == '0')
		frac[--n] = '\0';
	fprintf(fp, ".%s", frac);
}

static FILE *
open_out(struct gen *g, const char *name, char *p)
{
	char rel[256];
	FILE *fp;

	snprintf(rel, sizeof(rel), "charts/%s", name);
	path(p, g->out, rel);
	fp = fopen(p, "w");
	if (fp == NULL)
		ft_err_set(g->e, FT_EIO, "cannot write '%s': %s", p,
		    strerror(errno));
	return fp;
}

static int
close_out(struct gen *g, FILE *fp, const char *p)
{
	int bad = ferror(fp);

	if (fclose(fp) != 0 || bad)
		return ft_err_set(g->e, FT_EIO, "cannot write '%s'", p);
	if (g->o->info != NULL)
		fprintf(g->o->info, "%s\n", p);
	return 0;
}

/*
 * rates.dat: per bin two rows (its start and its end) so that lines draw
 * steps; columns: time, then each rates column per second.
 */
static int
write_rates_dat(struct gen *g)
{
	char p[PATH_CAP];
	FILE *fp = open_out(g, "rates.dat", p);
	size_t b, k, e;
	uint64_t bw;

	if (fp == NULL)
		return FT_EIO;
	fputs("# time ", fp);
	for (k = 0; k < C_COUNT; k++)
		fprintf(fp, " %s/s", col_names[k]);
	fputc('\n', fp);
	for (b = 0; b < g->nbins; b++) {
		bw = bin_width(g, b);
		for (e = 0; e < 2; e++) {
			put_time(fp, b * g->bin_ns + e * bw, g->unit_ns);
			for (k = 0; k < C_COUNT; k++)
				put_rate(fp, g->bins[b][k], bw);
			fputc('\n', fp);
		}
	}
	return close_out(g, fp, p);
}

static int
write_cs_dat(struct gen *g)
{
	char p[PATH_CAP];
	FILE *fp = open_out(g, "csources.dat", p);
	size_t b, k, e;
	uint64_t sum;

	if (fp == NULL)
		return FT_EIO;
	fputs("# time, then the stacked egress copies per second of:", fp);
	for (k = 0; k < g->nsrc; k++)
		fprintf(fp, " %s", g->src[k]);
	fputc('\n', fp);
	for (b = 0; b < g->nbins; b++) {
		for (e = 0; e < 2; e++) {
			put_time(fp, b * g->bin_ns + e * bin_width(g, b),
			    g->unit_ns);
			for (k = 0, sum = 0; k < g->nsrc; k++) {
				sum += g->csbins[k * g->nbins + b];
				put_rate(fp, sum, bin_width(g, b));
			}
			fputc('\n', fp);
		}
	}
	return close_out(g, fp, p);
}

/* --- gnuplot ---------------------------------------------------------- */

static const char *const colors[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
	"#7f7f7f", "#bcbd22", "#17becf", "#d62728",
};
#define NCOLORS (sizeof(colors) / sizeof(colors[0]))

/* A string for a gnuplot double-quoted literal. */
static void
gq(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', fp);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, fp);
	}
	fputc('"', fp);
}

static void
gp_head(struct gen *g, FILE *fp, const char *name, const char *title)
{
	fprintf(fp, "# flowtap report: chart '%s' (flowtap %s). Re-draw it "
	    "from the output folder:\n#   gnuplot charts/%s.gp\n", name,
	    g->o->version ? g->o->version : "?", name);
	fputs("set encoding utf8\n", fp);
	fputs("set title ", fp);
	gq(fp, title);
	/* The key below the x label, so it never covers data. */
	fputs("\nset grid\nset key at screen 0.5, screen 0.015 center "
	    "bottom horizontal box opaque maxrows 2\nset bmargin 7\n"
	    "set border 3\nset tics nomirror\n", fp);
	fprintf(fp, "set terminal pngcairo noenhanced size 1000,600 font \"sans,11\"\n"
	    "set output \"charts/%s.png\"\n", name);
}

static void
gp_tail(FILE *fp, const char *name)
{
	fprintf(fp, "set terminal svg noenhanced size 1000,600 font \"sans,11\"\n"
	    "set output \"charts/%s.svg\"\nreplot\nunset output\n", name);
}

static void
gp_time_axis(struct gen *g, FILE *fp)
{
	fprintf(fp, "set xlabel \"time since the first packet (%s)\"\n",
	    g->unit);
	fputs("set xrange [0:", fp);
	put_time(fp, g->span_ns, g->unit_ns);
	/* Room above the highest line for the budget's label. */
	fputs("]\nset yrange [0:*]\nset offsets 0, 0, graph 0.08, 0\n", fp);
}

/*
 * 1 when a bin of direction column c0 (offered, passed, dropped) had
 * drops while its mean offered rate stayed under the bucket's rate: a
 * burst shorter than the bin emptied the bucket.
 */
static int
hidden_bursts(const struct gen *g, int c0, uint64_t rate)
{
	size_t b;

	for (b = 0; b < g->nbins && rate != 0; b++)
		if (g->bins[b][c0 + 2] > 0 && (u128)g->bins[b][c0] *
		    NS_PER_S < (u128)rate * bin_width(g, b))
			return 1;
	return 0;
}

static void
gp_burst_note(const struct gen *g, FILE *fp)
{
	fputs("set label 3 \"drops under the line: bursts shorter than one "
	    "point of this chart (", fp);
	put_secs(fp, g->bin_ns);
	fputs(" s) emptied the bucket;\\nreplay with a smaller --interval "
	    "to see them\" at graph 0.5, graph 0.55 center front "
	    "textcolor rgb \"#d62728\"\n", fp);
}

/* The budget line and its label, or a note that the bucket is unlimited. */
static void
gp_budget(FILE *fp, uint64_t rate, const char *what)
{
	if (rate == 0)
		return;
	fprintf(fp, "budget = %llu\n", ull(rate));
	fprintf(fp, "set label 1 \"budget: %llu %s\" at graph 0.01, first "
	    "budget offset 0,0.7 left textcolor rgb \"#000000\" front\n",
	    ull(rate), what);
}

static int
run_gnuplot(struct gen *g, const char *name)
{
	char gp[256], logp[PATH_CAP];
	pid_t pid;
	int st, fd;

	snprintf(gp, sizeof(gp), "charts/%s.gp", name);
	path(logp, g->out, "charts/gnuplot.log");
	pid = fork();
	if (pid < 0)
		return ft_err_set(g->e, FT_EIO, "cannot start gnuplot: %s",
		    strerror(errno));
	if (pid == 0) {
		fd = open(logp, O_WRONLY | O_CREAT | O_APPEND, 0666);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		if (chdir(g->out) != 0)
			_exit(126);
		execlp(g->o->gnuplot ? g->o->gnuplot : "gnuplot", "gnuplot",
		    gp, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return ft_err_set(g->e, FT_EIO, "gnuplot: %s",
			    strerror(errno));
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return ft_err_set(g->e, FT_EIO, "cannot run '%s': install "
		    "gnuplot (Debian: gnuplot-nox) or use --no-charts",
		    g->o->gnuplot ? g->o->gnuplot : "gnuplot");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return ft_err_set(g->e, FT_EIO, "gnuplot failed on '%s/%s' "
		    "(see '%s')", g->out, gp, logp);
	if (g->o->info != NULL)
		fprintf(g->o->info, "%s/charts/%s.png\n%s/charts/%s.svg\n",
		    g->out, name, g->out, name);
	return 0;
}

static int
finish_chart(struct gen *g, FILE *fp, const char *p, const char *name)
{
	int rc;

	gp_tail(fp, name);
	rc = close_out(g, fp, p);
	if (rc != 0)
		return rc;
	rc = run_gnuplot(g, name);
	if (rc != 0)
		return rc;
	g->made[g->nmade++] = name;
	return 0;
}

/* Ingress or egress: offered, passed, dropped per second, the budget. */
static int
chart_dir(struct gen *g, int egress)
{
	const char *name = egress ? "egress" : "ingress";
	char p[PATH_CAP], title[256];
	uint64_t rate = ju(g, "budget.pps");
	int c0 = egress ? C_EG_OFF : C_IN_OFF;
	FILE *fp;

	if (ju(g, "budget.burst") == 0)
		rate = 0;
	snprintf(p, sizeof(p), "%s.gp", name);
	fp = open_out(g, p, p);
	if (fp == NULL)
		return FT_EIO;
	snprintf(title, sizeof(title), egress ?
	    "Egress: copies offered, passed and dropped per second%s" :
	    "Ingress: packets offered, passed and dropped per second%s",
	    rate ? "" : " (packet bucket unlimited)");
	gp_head(g, fp, name, title);
	gp_time_axis(g, fp);
	fprintf(fp, "set ylabel \"%s per second\"\nset format y \"%%.0f\"\n",
	    egress ? "copies" : "packets");
	gp_budget(fp, rate, egress ? "copies/s (packet bucket rate)" :
	    "packets/s (packet bucket rate)");
	if (hidden_bursts(g, c0, rate))
		gp_burst_note(g, fp);
	fprintf(fp, "plot \"charts/rates.dat\" using 1:%d with lines lw 2 "
	    "lc rgb \"#1f77b4\" title \"offered\", \\\n"
	    "     \"\" using 1:%d with lines lw 2 lc rgb \"#2ca02c\" "
	    "title \"passed\", \\\n"
	    "     \"\" using 1:%d with lines lw 2 lc rgb \"#d62728\" "
	    "title \"dropped by the budget\"", c0 + 2, c0 + 3, c0 + 4);
	if (rate)
		fputs(", \\\n     budget with lines dt 2 lw 2 lc rgb "
		    "\"#000000\" title \"budget (packet bucket rate)\"", fp);
	fputc('\n', fp);
	return finish_chart(g, fp, p, name);
}

static int
chart_bytes(struct gen *g)
{
	char p[PATH_CAP];
	uint64_t rate = ju(g, "budget.bytes_per_s");
	FILE *fp;

	if (ju(g, "budget.byte_burst") == 0)
		rate = 0;
	fp = open_out(g, "bytes.gp", p);
	if (fp == NULL)
		return FT_EIO;
	gp_head(g, fp, "bytes", rate ?
	    "Byte buckets: bytes offered and passed per second" :
	    "Byte buckets: bytes offered and passed per second "
	    "(byte bucket unlimited)");
	gp_time_axis(g, fp);
	fputs("set ylabel \"bytes per second\"\n"
	    "set format y \"%.1s %cB/s\"\n", fp);
	gp_budget(fp, rate, "bytes/s (byte bucket rate, each direction)");
	fprintf(fp, "plot \"charts/rates.dat\" using 1:%d with lines lw 2 "
	    "lc rgb \"#1f77b4\" title \"ingress offered\", \\\n"
	    "     \"\" using 1:%d with lines lw 2 dt 3 lc rgb \"#2ca02c\" "
	    "title \"ingress passed\", \\\n"
	    "     \"\" using 1:%d with lines lw 2 lc rgb \"#ff7f0e\" "
	    "title \"egress offered\", \\\n"
	    "     \"\" using 1:%d with lines lw 2 dt 3 lc rgb \"#9467bd\" "
	    "title \"egress passed\"", C_IN_OFF_B + 2, C_IN_PASS_B + 2,
	    C_EG_OFF_B + 2, C_EG_PASS_B + 2);
	if (rate)
		fputs(", \\\n     budget with lines dt 2 lw 2 lc rgb "
		    "\"#000000\" title \"budget (byte bucket rate)\"", fp);
	fputc('\n', fp);
	return finish_chart(g, fp, p, "bytes");
}

static int
chart_csources(struct gen *g)
{
	char p[PATH_CAP];
	uint64_t rate = ju(g, "budget.pps");
	FILE *fp;
	size_t k;

	if (ju(g, "budget.burst") == 0)
		rate = 0;
	fp = open_out(g, "csources.gp", p);
	if (fp == NULL)
		return FT_EIO;
	gp_head(g, fp, "csources",
	    "Egress load per agency (control source), stacked: copies "
	    "offered per second");
	gp_time_axis(g, fp);
	fputs("set ylabel \"copies per second (stacked)\"\n"
	    "set format y \"%.0f\"\nset style fill solid 0.7 noborder\n", fp);
	gp_budget(fp, rate, "copies/s (egress packet bucket rate)");
	fputs("plot ", fp);
	/* The top of the stack first, so each lower area is drawn over it. */
	for (k = g->nsrc; k-- > 0;) {
		fprintf(fp, "\"charts/csources.dat\" using 1:%zu with "
		    "filledcurves y1=0 lc rgb \"%s\" title ", k + 2,
		    colors[k % NCOLORS]);
		gq(fp, g->src[k]);
		fputs(k > 0 || rate ? ", \\\n     " : "\n", fp);
	}
	if (rate)
		fputs("budget with lines dt 2 lw 2 lc rgb \"#000000\" title "
		    "\"budget (packet bucket rate)\"\n", fp);
	return finish_chart(g, fp, p, "csources");
}

struct critrow {
	uint64_t id, off, drop;
	const char *cs;
};

static int
cmp_crit(const void *a, const void *b)
{
	const struct critrow *x = a, *y = b;

	if (x->off != y->off)
		return x->off > y->off ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
chart_criteria(struct gen *g)
{
	const struct ft_json_node *c, *arr = ft_json_get(g->root, "criteria");
	struct critrow *rows = NULL;
	char p[PATH_CAP], title[128];
	size_t n = 0, cap = 0, k;
	FILE *fp;
	int rc;

	for (c = arr ? arr->child : NULL; c != NULL; c = c->next) {
		if (n == cap) {
			void *q;

			cap = cap ? cap * 2 : 64;
			q = realloc(rows, cap * sizeof(*rows));
			if (q == NULL) {
				free(rows);
				return ft_err_set(g->e, FT_ENOMEM,
				    "out of memory");
			}
			rows = q;
		}
		rows[n].id = ft_json_u64(ft_json_get(c, "criteria_id"), 0);
		rows[n].cs = ft_json_str(ft_json_get(c, "csource"), "?");
		/* Older report.json: no 'offered', the PIC's count. */
		rows[n].off = ft_json_u64(ft_json_get(c, "offered.packets"),
		    ft_json_u64(ft_json_get(c, "packets"), 0));
		rows[n].drop = ft_json_u64(ft_json_get(c,
		    "ingress_dropped.packets"), 0);
		n++;
	}
	if (n > 0)
		qsort(rows, n, sizeof(*rows), cmp_crit);
	if (n > g->o->top)
		n = g->o->top;
	fp = open_out(g, "criteria.dat", p);
	if (fp == NULL) {
		free(rows);
		return FT_EIO;
	}
	fputs("# rank label passed_ingress dropped_at_ingress\n", fp);
	for (k = 0; k < n; k++) {
		char label[FT_NAME_MAX + 32];

		snprintf(label, sizeof(label), "#%llu %s", ull(rows[k].id),
		    rows[k].cs);
		fprintf(fp, "%zu ", k + 1);
		gq(fp, label);
		fprintf(fp, " %llu %llu\n", ull(rows[k].off - rows[k].drop),
		    ull(rows[k].drop));
	}
	if (n == 0)
		fputs("1 \"no criterion matched\" 0 0\n", fp);
	free(rows);
	rc = close_out(g, fp, p);
	if (rc != 0)
		return rc;
	fp = open_out(g, "criteria.gp", p);
	if (fp == NULL)
		return FT_EIO;
	snprintf(title, sizeof(title), "Top %zu criteria by offered load "
	    "(packets matched, before the budget)", n ? n : 1);
	gp_head(g, fp, "criteria", title);
	fputs("set style data histograms\nset style histogram rowstacked\n"
	    "set style fill solid 0.8 border -1\nset boxwidth 0.7\n"
	    "set ylabel \"packets\"\nset xlabel \"criterion (Criteria-ID, "
	    "control source)\"\nset yrange [0:*]\nset format y \"%.0f\"\n",
	    fp);
	if (n > 5)
		fputs("set xtics rotate by -30\n", fp);
	fputs("plot \"charts/criteria.dat\" using 3:xtic(2) lc rgb "
	    "\"#2ca02c\" title \"passed ingress\", \\\n     \"\" using 4 lc "
	    "rgb \"#d62728\" title \"dropped at ingress\"\n", fp);
	return finish_chart(g, fp, p, "criteria");
}

static int
chart_drops(struct gen *g)
{
	char p[PATH_CAP];
	uint64_t v[2][3], tot = 0;
	FILE *fp;
	int d, k, rc;
	static const char *const dirs[2] = { "ingress", "egress" };
	static const char *const causes[3] = {
		"packet_bucket", "byte_bucket", "both",
	};

	for (d = 0; d < 2; d++)
		for (k = 0; k < 3; k++) {
			char key[64];

			snprintf(key, sizeof(key), "%s.dropped_by_cause.%s",
			    dirs[d], causes[k]);
			v[d][k] = ju(g, key);
			tot += v[d][k];
		}
	fp = open_out(g, "drops.dat", p);
	if (fp == NULL)
		return FT_EIO;
	fputs("# direction packet_bucket byte_bucket both\n", fp);
	for (d = 0; d < 2; d++)
		fprintf(fp, "\"%s\" %llu %llu %llu\n", d ? "egress (copies)" :
		    "ingress (packets)", ull(v[d][0]), ull(v[d][1]),
		    ull(v[d][2]));
	rc = close_out(g, fp, p);
	if (rc != 0)
		return rc;
	fp = open_out(g, "drops.gp", p);
	if (fp == NULL)
		return FT_EIO;
	gp_head(g, fp, "drops", "Drops by cause: which bucket was short");
	fputs("set style data histograms\nset style histogram rowstacked\n"
	    "set style fill solid 0.8 border -1\nset boxwidth 0.5\n"
	    "set ylabel \"dropped by the budget (packets / copies)\"\n"
	    "set format y \"%.0f\"\n", fp);
	if (tot == 0)
		fputs("set yrange [0:1]\nset label 2 \"no drops: the run "
		    "stayed within the budget\" at graph 0.5, graph 0.6 "
		    "center\n", fp);
	else
		fputs("set yrange [0:*]\n", fp);
	fputs("plot \"charts/drops.dat\" using 2:xtic(1) lc rgb \"#1f77b4\" "
	    "title \"packet bucket short\", \\\n     \"\" using 3 lc rgb "
	    "\"#ff7f0e\" title \"byte bucket short\", \\\n     \"\" using 4 "
	    "lc rgb \"#d62728\" title \"both short\"\n", fp);
	return finish_chart(g, fp, p, "drops");
}

/* --- report.html ------------------------------------------------------ */

static void
he(FILE *fp, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default: fputc(*s, fp);
		}
	}
}

/* A JSON value as table text: numbers and strings as written. */
static void
hv(FILE *fp, const struct ft_json_node *n)
{
	if (n == NULL)
		fputs("&ndash;", fp);
	else if (n->type == FT_JSON_NULL)
		fputs("&ndash;", fp);
	else
		he(fp, n->text);
}

static void
hj(FILE *fp, const struct gen *g, const struct ft_json_node *base,
    const char *p)
{
	(void)g;
	hv(fp, ft_json_get(base, p));
}

static const char css[] =
"body{font-family:sans-serif;margin:1.5em auto;max-width:1100px;"
"color:#222;padding:0 1em}\n"
"h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;"
"border-bottom:1px solid #ccc}\n"
"table{border-collapse:collapse;margin:.5em 0}\n"
"th,td{border:1px solid #bbb;padding:.2em .5em;text-align:right}\n"
"th{background:#eee}td.l,th.l{text-align:left}\n"
".verdict-exceeded{color:#b00;font-weight:bold}"
".verdict-within{color:#070;font-weight:bold}\n"
"figure{margin:1em 0}img{max-width:100%;border:1px solid #ddd}\n"
"figcaption{font-size:.9em;color:#555}.note{color:#555}\n";

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
inline_png(struct gen *g, FILE *fp, const char *name)
{
	char p[PATH_CAP], rel[128], *buf;
	size_t len, i;
	int rc;

	snprintf(rel, sizeof(rel), "charts/%s.png", name);
	path(p, g->out, rel);
	rc = read_all(p, &buf, &len, 64 * 1024 * 1024);
	if (rc != 0)
		return ft_err_set(g->e, FT_EIO, "cannot read '%s'", p);
	fputs("data:image/png;base64,", fp);
	for (i = 0; i + 2 < len; i += 3) {
		unsigned v = (unsigned)(unsigned char)buf[i] << 16 |
		    (unsigned)(unsigned char)buf[i + 1] << 8 |
		    (unsigned char)buf[i + 2];

		fputc(b64[v >> 18], fp);
		fputc(b64[(v >> 12) & 63], fp);
		fputc(b64[(v >> 6) & 63], fp);
		fputc(b64[v & 63], fp);
	}
	if (len - i == 1) {
		unsigned v = (unsigned)(unsigned char)buf[i] << 16;

		fprintf(fp, "%c%c==", b64[v >> 18], b64[(v >> 12) & 63]);
	} else if (len - i == 2) {
		unsigned v = (unsigned)(unsigned char)buf[i] << 16 |
		    (unsigned)(unsigned char)buf[i + 1] << 8;

		fprintf(fp, "%c%c%c=", b64[v >> 18], b64[(v >> 12) & 63],
		    b64[(v >> 6) & 63]);
	}
	free(buf);
	return 0;
}

static const char *
caption(const char *name)
{
	if (strcmp(name, "ingress") == 0)
		return "Packets offered to the PIC (matching at least one "
		    "criterion), passed and dropped by the ingress budget, per "
		    "second. The dashed line is the packet bucket's rate; its "
		    "depth lets a short burst pass above it.";
	if (strcmp(name, "egress") == 0)
		return "Copies (one per matching criterion and content "
		    "destination) offered to the egress budget, passed and "
		    "dropped, per second, against the packet bucket's rate.";
	if (strcmp(name, "bytes") == 0)
		return "The byte buckets: wire bytes at ingress, outer IP bytes "
		    "at egress, against the byte rate (each direction has its "
		    "own bucket at this rate). Large packets can run out of "
		    "bytes before packets.";
	if (strcmp(name, "csources") == 0)
		return "Each agency's copies offered at egress per second, "
		    "stacked: who loads the egress budget, and when.";
	if (strcmp(name, "criteria") == 0)
		return "The criteria that offer the most packets (before the "
		    "budget), split into what passed ingress and what the "
		    "ingress budget dropped. A packet matching several "
		    "criteria counts for each.";
	return "Packets (ingress) and copies (egress) dropped by the budget, "
	    "by the bucket that was short: the packet bucket alone, the byte "
	    "bucket alone, or both.";
}

/* The totals, one row per figure, a column per direction. */
static void
html_totals(FILE *fp, const struct gen *g)
{
	static const char *const rows[][2] = {
		{ "offered (before the budget)", "offered" },
		{ "passed", "passed" },
		{ "dropped by the budget", "dropped" },
		{ "&nbsp;&nbsp;dropped: packet bucket short",
		    "dropped_by_cause.packet_bucket" },
		{ "&nbsp;&nbsp;dropped: byte bucket short",
		    "dropped_by_cause.byte_bucket" },
		{ "&nbsp;&nbsp;dropped: both short", "dropped_by_cause.both" },
		{ "bytes offered", "bytes.offered" },
		{ "bytes passed", "bytes.passed" },
		{ "bytes dropped", "bytes.dropped" },
		{ "busiest 1 s: offered", "peak_1s.offered" },
		{ "busiest 1 s: bytes offered", "peak_1s.offered_bytes" },
		{ "busiest 100 ms: offered", "peak_100ms.offered" },
		{ "busiest 100 ms: bytes offered", "peak_100ms.offered_bytes" },
		{ "packet bucket used, busiest 1 s (% of rate)",
		    "utilisation_pct.packet_bucket.peak_1s" },
		{ "packet bucket used, busiest 100 ms (% of rate)",
		    "utilisation_pct.packet_bucket.peak_100ms" },
		{ "packet bucket used, whole run (% of rate)",
		    "utilisation_pct.packet_bucket.mean" },
		{ "byte bucket used, busiest 1 s (% of rate)",
		    "utilisation_pct.byte_bucket.peak_1s" },
		{ "byte bucket used, busiest 100 ms (% of rate)",
		    "utilisation_pct.byte_bucket.peak_100ms" },
		{ "byte bucket used, whole run (% of rate)",
		    "utilisation_pct.byte_bucket.mean" },
	};
	const struct ft_json_node *in = ft_json_get(g->root, "ingress");
	const struct ft_json_node *eg = ft_json_get(g->root, "egress");
	size_t k;

	fputs("<table id=\"totals-table\">\n<tr><th class=\"l\"></th>"
	    "<th>ingress (packets)</th><th>egress (copies)</th></tr>\n", fp);
	for (k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		fprintf(fp, "<tr><td class=\"l\">%s</td><td>", rows[k][0]);
		hv(fp, ft_json_get(in, rows[k][1]));
		fputs("</td><td>", fp);
		hv(fp, ft_json_get(eg, rows[k][1]));
		fputs("</td></tr>\n", fp);
	}
	fputs("</table>\n", fp);
}

static void
html_attr_table(FILE *fp, const struct gen *g, const char *key, int crit)
{
	const struct ft_json_node *arr = ft_json_get(g->root, key), *c;

	fputs("<table>\n<tr>", fp);
	if (crit)
		fputs("<th>Criteria-ID</th>", fp);
	fputs("<th class=\"l\">control source</th><th>packets offered</th>"
	    "<th>bytes offered</th><th>copies asked for</th>"
	    "<th>dropped at ingress</th><th>passed ingress</th>"
	    "<th>copies offered at egress</th><th>copies passed</th>"
	    "<th>copies dropped</th><th>share of egress load %</th></tr>\n",
	    fp);
	for (c = arr ? arr->child : NULL; c != NULL; c = c->next) {
		fputs("<tr>", fp);
		if (crit) {
			fputs("<td>", fp);
			hj(fp, g, c, "criteria_id");
			fputs("</td>", fp);
		}
		fputs("<td class=\"l\">", fp);
		hj(fp, g, c, "csource");
		fputs("</td>", fp);
#define TDC(p) do { fputs("<td>", fp); hj(fp, g, c, p); fputs("</td>", fp); } while (0)
		TDC("offered.packets");
		TDC("offered.bytes");
		TDC("offered.copies");
		TDC("ingress_dropped.packets");
		TDC("packets");
		TDC("egress.offered");
		TDC("copies_passed");
		TDC("copies_dropped");
		TDC("egress.share_pct");
#undef TDC
		fputs("</tr>\n", fp);
	}
	if (arr == NULL || arr->child == NULL)
		fprintf(fp, "<tr><td class=\"l\" colspan=\"%d\">none matched"
		    "</td></tr>\n", crit ? 11 : 10);
	fputs("</table>\n", fp);
}

static const char *
drop_meaning(const char *code)
{
	if (strcmp(code, "497") == 0)
		return "bad or missing MAC";
	if (strcmp(code, "498") == 0)
		return "stale sequence number";
	if (strcmp(code, "499") == 0)
		return "unknown control source or no flow-tap-operation";
	return "";
}

static int
write_html(struct gen *g)
{
	const struct ft_json_node *n, *c;
	char p[PATH_CAP], tmp[PATH_CAP];
	const char *verdict;
	size_t k;
	FILE *fp;
	int rc;

	path(p, g->out, "report.html");
	path(tmp, g->out, ".report.html.tmp");
	fp = fopen(tmp, "w");
	if (fp == NULL)
		return ft_err_set(g->e, FT_EIO, "cannot write '%s': %s", tmp,
		    strerror(errno));
	verdict = ft_json_str(ft_json_get(g->root, "budget.verdict"), "?");
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
	    "charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"default-src 'none'; img-src data:; style-src "
	    "'unsafe-inline'\">\n<title>flowtap report: ", fp);
	he(fp, ft_json_str(ft_json_get(g->root, "inputs.trace"), "live"));
	fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
	fputs("<h1>flowtap report</h1>\n<p>Budget verdict: <span "
	    "class=\"verdict-", fp);
	he(fp, verdict);
	fputs("\" id=\"verdict\">", fp);
	he(fp, verdict);
	fputs("</span>", fp);
	n = ft_json_get(g->root, "budget.first_drop");
	if (n != NULL && n->type == FT_JSON_OBJ) {
		fputs(" &mdash; first drop at ", fp);
		hj(fp, g, n, "time_s");
		fputs(" s, ", fp);
		hj(fp, g, n, "direction");
		fputs(", ", fp);
		hj(fp, g, n, "cause");
	}
	fputs(".</p>\n", fp);

	/* Totals. */
	fputs("<h2 id=\"totals\">Totals</h2>\n", fp);
	html_totals(fp, g);
	fputs("<p class=\"note\">Ingress counts packets that "
	    "matched at least one criterion (offered to the PIC once); egress "
	    "counts copies. &ldquo;Offered&rdquo; is before the budget, "
	    "&ldquo;passed&rdquo; and &ldquo;dropped&rdquo; after it. A "
	    "packet is dropped when either bucket lacks its cost; the cause "
	    "columns say which.</p>\n<table>\n<tr><th class=\"l\">packets"
	    "</th><th>read</th><th>decoded</th><th>skipped</th><th>IP family "
	    "not configured</th><th>matched (offered)</th><th>copies too big"
	    "</th></tr>\n<tr><td class=\"l\">trace</td><td>", fp);
	hj(fp, g, g->root, "packets.read");
	fputs("</td><td>", fp);
	hj(fp, g, g->root, "packets.decoded");
	fputs("</td><td>", fp);
	hj(fp, g, g->root, "packets.skipped");
	fputs("</td><td>", fp);
	hj(fp, g, g->root, "packets.family_not_configured");
	fputs("</td><td>", fp);
	hj(fp, g, g->root, "packets.matched");
	fputs("</td><td>", fp);
	hj(fp, g, g->root, "egress.encap_errors");
	fputs("</td></tr>\n</table>\n", fp);

	/* Charts. */
	fputs("<h2 id=\"charts\">Charts</h2>\n", fp);
	if (!g->o->charts)
		fputs("<p class=\"note\">Charts were not made "
		    "(--no-charts).</p>\n", fp);
	else if (!g->have_rates)
		fputs("<p class=\"note\">No rates.csv in the folder: the time "
		    "charts are left out.</p>\n", fp);
	for (k = 0; k < g->nmade; k++) {
		fprintf(fp, "<figure id=\"chart-%s\">\n<img alt=\"chart: %s\" "
		    "width=\"1000\" height=\"600\" src=\"", g->made[k],
		    g->made[k]);
		rc = inline_png(g, fp, g->made[k]);
		if (rc != 0) {
			fclose(fp);
			remove(tmp);
			return rc;
		}
		fprintf(fp, "\">\n<figcaption>%s (charts/%s.svg, "
		    "charts/%s.png)</figcaption>\n</figure>\n",
		    caption(g->made[k]), g->made[k], g->made[k]);
	}

	fputs("<h2 id=\"agencies\">Per agency (control source)</h2>\n", fp);
	html_attr_table(fp, g, "csources", 0);
	fputs("<p class=\"note\">Packets offered count a packet once per "
	    "agency; copies and &ldquo;passed ingress&rdquo; are sums over "
	    "its criteria.</p>\n", fp);
	fputs("<h2 id=\"criteria\">Per criterion</h2>\n", fp);
	html_attr_table(fp, g, "criteria", 1);

	/* DTCP. */
	fputs("<h2 id=\"dtcp\">DTCP</h2>\n<table id=\"dtcp-requests\">\n<tr>"
	    "<th class=\"l\">requests</th>", fp);
	n = ft_json_get(g->root, "dtcp.requests");
	for (c = n ? n->child : NULL; c != NULL; c = c->next) {
		fputs("<th>", fp);
		he(fp, c->key);
		fputs("</th>", fp);
	}
	fputs("</tr>\n<tr><td class=\"l\">received</td>", fp);
	for (c = n ? n->child : NULL; c != NULL; c = c->next) {
		fputs("<td>", fp);
		hv(fp, c);
		fputs("</td>", fp);
	}
	fputs("</tr>\n</table>\n<table id=\"dtcp-replies\">\n<tr><th>code"
	    "</th><th class=\"l\">meaning</th><th>count</th></tr>\n", fp);
	n = ft_json_get(g->root, "dtcp.replies");
	for (c = n ? n->child : NULL; c != NULL; c = c->next) {
		uint64_t code = 0;

		ft_num_u64(c->key, strlen(c->key), 3, 100, 999, &code);
		fputs("<tr><td>", fp);
		he(fp, c->key);
		fputs("</td><td class=\"l\">answered: ", fp);
		he(fp, ft_dtcp_reason((int)code));
		fputs("</td><td>", fp);
		hv(fp, c);
		fputs("</td></tr>\n", fp);
	}
	n = ft_json_get(g->root, "dtcp.drops");
	for (c = n ? n->child : NULL; c != NULL; c = c->next) {
		fputs("<tr><td>", fp);
		he(fp, c->key);
		fputs("</td><td class=\"l\">dropped unanswered: ", fp);
		he(fp, drop_meaning(c->key));
		fputs("</td><td>", fp);
		hv(fp, c);
		fputs("</td></tr>\n", fp);
	}
	fputs("</table>\n<p>Sessions opened ", fp);
	hj(fp, g, g->root, "dtcp.sessions_opened");
	fputs(", refused ", fp);
	hj(fp, g, g->root, "dtcp.sessions_refused");
	fputs("; restarts ", fp);
	hj(fp, g, g->root, "dtcp.restarts");
	fputs(".</p>\n", fp);

	/* serve's data plane (report.json "live"), member by member. */
	n = ft_json_get(g->root, "live");
	if (n != NULL && n->type == FT_JSON_OBJ) {
		fputs("<h2 id=\"live\">Live data plane</h2>\n<table "
		    "id=\"live-table\">\n", fp);
		for (c = n->child; c != NULL; c = c->next) {
			const struct ft_json_node *m;

			fputs("<tr><th class=\"l\">", fp);
			he(fp, c->key);
			fputs("</th><td class=\"l\">", fp);
			if (c->type == FT_JSON_OBJ || c->type == FT_JSON_ARR) {
				for (m = c->child; m != NULL; m = m->next) {
					if (m->key != NULL) {
						he(fp, m->key);
						fputs(": ", fp);
					}
					hv(fp, m);
					fputs(m->next ? ", " : "", fp);
				}
			} else {
				hv(fp, c);
			}
			fputs("</td></tr>\n", fp);
		}
		fputs("</table>\n", fp);
	}

	/* Inputs. */
	fputs("<h2 id=\"inputs\">Run</h2>\n<table id=\"inputs\">\n", fp);
#define ROW(label, p) do {						\
		fputs("<tr><th class=\"l\">" label "</th><td class=\"l\">",\
		    fp);						\
		hj(fp, g, g->root, p);					\
		fputs("</td></tr>\n", fp);				\
	} while (0)
	ROW("trace", "inputs.trace");
	ROW("script", "inputs.script");
	ROW("router configuration", "inputs.config");
	ROW("profile", "inputs.profile");
	ROW("link type", "inputs.linktype");
	ROW("first packet (UTC, trace time)", "run.start");
	ROW("duration (s)", "run.duration_s");
	ROW("rates interval (s)", "run.interval_s");
	ROW("budget: packets/s per direction", "budget.pps");
	ROW("budget: packet bucket depth", "budget.burst");
	ROW("budget: bytes/s per direction", "budget.bytes_per_s");
	ROW("budget: byte bucket depth", "budget.byte_burst");
#undef ROW
	fputs("<tr><th class=\"l\">report made by</th><td class=\"l\">"
	    "flowtap ", fp);
	he(fp, g->o->version ? g->o->version : "?");
	fputs("</td></tr>\n</table>\n<p class=\"note\">An empty configuration "
	    "means the built-in seed configuration. Charts, data and "
	    "gnuplot scripts are in the charts/ folder beside this page."
	    "</p>\n</body>\n</html>\n", fp);
	if (ferror(fp) || fclose(fp) != 0) {
		remove(tmp);
		return ft_err_set(g->e, FT_EIO, "cannot write '%s'", tmp);
	}
	if (rename(tmp, p) != 0) {
		remove(tmp);
		return ft_err_set(g->e, FT_EIO, "cannot rename '%s': %s", tmp,
		    strerror(errno));
	}
	if (g->o->info != NULL)
		fprintf(g->o->info, "%s\n", p);
	return 0;
}

/* --- the run ---------------------------------------------------------- */

/* The smallest of 1, 2, 5, 10, 20, 50... that is at least f. */
static uint64_t
nice_factor(uint64_t f)
{
	uint64_t m = 1;

	for (;;) {
		if (f <= m)
			return m;
		if (f <= 2 * m)
			return 2 * m;
		if (f <= 5 * m)
			return 5 * m;
		if (m > UINT64_MAX / 100)
			return f;
		m *= 10;
	}
}

static void
time_axis(struct gen *g)
{
	uint64_t dur = json_ns(ft_json_get(g->root, "run.duration_s"), 0);
	uint64_t niv, factor;

	g->interval_ns = json_ns(ft_json_get(g->root, "run.interval_s"),
	    NS_PER_S);
	if (g->interval_ns == 0)
		g->interval_ns = NS_PER_S;
	/* Intervals from the first packet up to the one of the last. */
	niv = dur / g->interval_ns + 1;
	factor = (niv + FT_REPORT_BINS_MAX - 1) / FT_REPORT_BINS_MAX;
	factor = nice_factor(factor);
	g->bin_ns = g->interval_ns * factor;
	g->nbins = (size_t)((niv + factor - 1) / factor);
	g->last_w = dur - (g->nbins - 1) * g->bin_ns;
	if (g->last_w < 1000000 || g->last_w > g->bin_ns)
		g->last_w = g->bin_ns;
	g->span_ns = (g->nbins - 1) * g->bin_ns + g->last_w;
	if (g->span_ns <= 2 * NS_PER_S) {
		g->unit = "ms";
		g->unit_ns = 1000000;
	} else if (g->span_ns <= 600 * NS_PER_S) {
		g->unit = "s";
		g->unit_ns = NS_PER_S;
	} else if (g->span_ns <= 7200 * NS_PER_S) {
		g->unit = "min";
		g->unit_ns = 60 * NS_PER_S;
	} else {
		g->unit = "h";
		g->unit_ns = 3600 * NS_PER_S;
	}
}

static int
mkdir_one(const char *p, struct ft_err *e)
{
	if (mkdir(p, 0777) != 0 && errno != EEXIST)
		return ft_err_set(e, FT_EIO, "cannot create '%s': %s", p,
		    strerror(errno));
	return 0;
}

int
ft_reportgen_run(const char *dir, const struct ft_reportgen_opts *o,
    struct ft_err *e)
{
	struct gen g;
	char p[PATH_CAP];
	const struct ft_json_node *c, *arr;
	size_t len;
	int rc;

	memset(&g, 0, sizeof(g));
	g.dir = dir;
	g.out = o->out ? o->out : dir;
	g.o = o;
	g.e = e;
	path(p, dir, "report.json");
	rc = read_all(p, &g.json_text, &len, FT_JSON_FILE_MAX);
	if (rc != 0)
		return ft_err_set(e, rc == FT_EIO ? FT_EIO : rc, "report '%s': "
		    "cannot read report.json (an output folder of replay or "
		    "serve?)", dir);
	rc = ft_json_parse(&g.j, g.json_text, len, e);
	if (rc != 0) {
		char m[FT_ERR_MSG_MAX];

		snprintf(m, sizeof(m), "%s", e ? e->msg : "");
		rc = ft_err_set(e, FT_EFORMAT, "report '%s': report.json: %s",
		    dir, m);
		goto free_text;
	}
	g.root = ft_json_root(g.j);
	if (g.root->type != FT_JSON_OBJ || ft_json_get(g.root,
	    "ingress") == NULL) {
		rc = ft_err_set(e, FT_EFORMAT, "report '%s': report.json is "
		    "not flowtap's", dir);
		goto free_json;
	}
	arr = ft_json_get(g.root, "csources");
	for (c = arr ? arr->child : NULL; c != NULL && g.nsrc < SRC_MAX;
	    c = c->next)
		g.src[g.nsrc++] = ft_json_str(ft_json_get(c, "csource"), "?");

	time_axis(&g);
	g.bins = calloc(g.nbins, sizeof(*g.bins));
	g.csbins = calloc(g.nbins * (g.nsrc ? g.nsrc : 1), sizeof(uint64_t));
	if (g.bins == NULL || g.csbins == NULL) {
		rc = ft_err_set(e, FT_ENOMEM, "out of memory");
		goto free_all;
	}
	rc = load_rates(&g);
	if (rc == 0)
		rc = load_csources(&g);
	if (rc != 0)
		goto free_all;

	if ((rc = mkdir_one(g.out, e)) != 0)
		goto free_all;
	if (o->charts) {
		path(p, g.out, "charts");
		if ((rc = mkdir_one(p, e)) != 0)
			goto free_all;
		path(p, g.out, "charts/gnuplot.log");
		remove(p);
		if (g.have_rates) {
			if ((rc = write_rates_dat(&g)) != 0 ||
			    (rc = chart_dir(&g, 0)) != 0 ||
			    (rc = chart_dir(&g, 1)) != 0 ||
			    (rc = chart_bytes(&g)) != 0)
				goto free_all;
			if (g.have_cs && ((rc = write_cs_dat(&g)) != 0 ||
			    (rc = chart_csources(&g)) != 0))
				goto free_all;
		}
		if ((rc = chart_criteria(&g)) != 0 ||
		    (rc = chart_drops(&g)) != 0)
			goto free_all;
	}
	rc = write_html(&g);
free_all:
	free(g.bins);
	free(g.csbins);
free_json:
	ft_json_free(g.j);
free_text:
	free(g.json_text);
	return rc;
}
