/*
 * reportgen.h - `flowtap report` (SPEC 10, docs/reports.md): gnuplot
 * charts (PNG and SVG) and a self-contained report.html from an output
 * folder of replay or serve.
 *
 * Reads DIR/report.json (required), DIR/rates.csv and DIR/csources.csv
 * (each optional: without them the time charts are left out and the page
 * says so). Writes OUT/charts/NAME.{dat,gp,png,svg} and OUT/report.html,
 * the charts inlined as data: URIs, no script and no reference to
 * anything outside the file. Deterministic: the same folder gives the
 * same bytes (gnuplot's PNG and SVG included).
 *
 * `flowtap replay --report` calls it after a run; `flowtap serve` calls
 * it at shutdown, after report.json is written.
 */
#ifndef FT_REPORTGEN_H
#define FT_REPORTGEN_H

#include <stdio.h>

#include "err.h"

#define FT_REPORTGEN_TOP_DEF	10	/* criteria in the top-criteria chart */

struct ft_reportgen_opts {
	const char *out;	/* where to write; NULL: the input folder */
	const char *gnuplot;	/* the gnuplot program; NULL: "gnuplot" */
	int charts;		/* 0: tables only (no gnuplot) */
	unsigned top;		/* criteria shown in the top-criteria chart */
	const char *version;	/* flowtap's version, for the page */
	FILE *info;		/* one line per file written, or NULL */
};

/* Defaults: out NULL, gnuplot "gnuplot", charts on, top 10. */
void ft_reportgen_opts_default(struct ft_reportgen_opts *o);

/*
 * Make the charts and report.html for output folder dir. Returns 0, or
 * FT_EIO (unreadable report.json, cannot write, gnuplot failed or
 * missing), FT_EFORMAT (report.json or a CSV that is not flowtap's),
 * FT_ENOMEM, with e set to one line.
 */
int ft_reportgen_run(const char *dir, const struct ft_reportgen_opts *o,
    struct ft_err *e);

#endif
