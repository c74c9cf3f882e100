/*
 * bench.h - `flowtap bench`: match and end-to-end throughput on the same
 * packets in one run, beside a libpcap read loop and a libpcap BPF filter
 * of the equivalent expression, as ratios to the PIC's 20 Kpps budget.
 * The headline compares whole processes over the same file, alternated:
 * `flowtap replay` (both runmodes) against a bare libpcap read loop.
 *
 * Packets come from a trace or are generated in memory (seeded xorshift,
 * Ethernet/IPv4 TCP and UDP, mean frame 353 bytes). Times are wall clock
 * (CLOCK_MONOTONIC) around whole loops, the median of reps repetitions;
 * on a shared machine the thread's CPU clock can be used instead.
 */
#ifndef FT_BENCH_H
#define FT_BENCH_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"

/* Most criteria counts one sweep measures. */
#define FT_BENCH_SWEEP_MAX	16

struct ft_bench_opts {
	const char *trace;	/* NULL: generate packets */
	uint64_t packets;	/* generated (or at most read) packets */
	unsigned criteria;	/* 1..FT_CLASSIFY_CAP_MAX */
	uint64_t match_ppb;	/* share of matching packets, per 10^9 */
	unsigned reps;		/* repetitions per measure, >= 1 */
	uint64_t seed;		/* xorshift seed, != 0 */
	int e2e;		/* also time ft_replay_run on the packets */
	const char *tmpdir;	/* e2e files; NULL: mkdtemp in /tmp */
	int keep;		/* keep the e2e files */
	int cpu_clock;		/* time with this thread's CPU clock */
	const char *self;	/* this program, for the peak-memory child */
	/* Sweep: classification only, one line per criteria count. */
	unsigned nsweep;
	unsigned sweep[FT_BENCH_SWEEP_MAX];
	FILE *data;		/* sweep: gnuplot data out (or NULL) */
	int json;		/* JSON on out instead of text */
	FILE *out;		/* the report */
	FILE *json_out;		/* also the JSON here, or NULL */
};

/* Defaults: generated, 2000000 packets, 100 criteria, 4.5 %, 5 reps. */
void ft_bench_opts_default(struct ft_bench_opts *o);

/*
 * Run the benchmark and write the report. Returns 0, or a negative FT_E*
 * with e set (unreadable trace, BPF compile failure, no memory, I/O).
 */
int ft_bench_run(const struct ft_bench_opts *o, struct ft_err *e);

/*
 * The bare libpcap read loop over path (pcap_open_offline, pcap_next_ex
 * touching each packet's last byte; `flowtap bench --read-loop FILE`,
 * the baseline process of the headline): one line on out. Returns 0 or
 * FT_EIO / FT_EFORMAT with e set.
 */
int ft_bench_read_loop(const char *path, FILE *out, struct ft_err *e);

#endif
