/*
 * dataplane.h - the live router's data plane (SPEC 1, 6, 7, 10): a
 * packet source (a live capture, or a trace file paced in real time)
 * feeding the services PIC (pic.h), and the PIC's copies delivered as
 * datagrams (deliver.h) and, optionally, written to a pcap file (sink.h).
 *
 * A driver's event loop (serve) owns the PIC and the wall clock; this
 * module tells it what to wait for (ft_dataplane_fd,
 * ft_dataplane_timeout_ms) and feeds the records that are ready
 * (ft_dataplane_run). The PIC's engine clock for packets is the records'
 * timestamps, as offline: the largest timestamp so far (kernel capture
 * times for a capture, the file's own times for a trace), so the budget
 * judges a paced trace exactly as replay does.
 */
#ifndef FT_DATAPLANE_H
#define FT_DATAPLANE_H

#include <stdint.h>
#include <stdio.h>

#include "deliver.h"
#include "err.h"
#include "report.h"
#include "sink.h"

struct ft_pic;

struct ft_dataplane_opts {
	const char *capture;	/* network interface, or NULL */
	unsigned capture_buffer;	/* bytes, 0: libpcap's default */
	const char *trace;	/* pcap/pcapng file, or NULL */
	uint64_t speed_nano;	/* trace speed x 10^9; 0: top speed */
	int trace_wait;		/* the trace starts at ft_dataplane_start */
	enum ft_deliver_mode delivery;
	const char *write_copies;	/* pcap path of the copies, or NULL */
	/*
	 * The interface unit every record arrived on (serve
	 * --input-interface), NULL: the source's own (the capture
	 * interface, the pcapng names).
	 */
	const char *ifname;
	struct ft_sink_copyfmt copyfmt;	/* its link layer */
	FILE *info;		/* start-up lines and first failures */
};

/* No source, delivery auto, 1x, raw-IP copies file, info NULL. */
void ft_dataplane_opts_default(struct ft_dataplane_opts *o);

struct ft_dataplane;

/*
 * Open the source (at most one of capture and trace; neither: nothing
 * feeds the PIC, and delivery is "none", no socket opened), the delivery
 * sockets and the copies file (under a temporary name until
 * ft_dataplane_finish).
 * Returns 0 with *out set, or an error with e set.
 */
int ft_dataplane_new(const struct ft_dataplane_opts *o,
    struct ft_dataplane **out, struct ft_err *e);

/* Remove an uncommitted copies file and close everything; NULL: no-op. */
void ft_dataplane_free(struct ft_dataplane *dp);

/*
 * The PIC's copy sink (ft_pic_copy_fn, ctx: the data plane): sends the
 * copy and writes it to the copies file. Returns 0, or FT_EIO when the
 * copies file cannot be written.
 */
int ft_dataplane_copy(void *ctx, uint64_t ts_ns, const uint8_t *copy,
    uint32_t len, struct ft_err *e);

/* The PIC records go to (made with ft_dataplane_copy as its sink). */
void ft_dataplane_attach(struct ft_dataplane *dp, struct ft_pic *pic);

/*
 * Start a trace held by trace_wait (serve: SIGUSR1). Returns 1 when it
 * started now, 0 when it was already running or there is none.
 */
int ft_dataplane_start(struct ft_dataplane *dp);

/* The capture's selectable descriptor, or -1. */
int ft_dataplane_fd(const struct ft_dataplane *dp);

/*
 * How long the loop may sleep, in ms, at most max_ms: 0 when records are
 * ready (a top-speed trace, a paced record due), else until the next
 * paced record is due; max_ms for a capture (its descriptor wakes the
 * loop) or when there is nothing to play.
 */
int ft_dataplane_timeout_ms(const struct ft_dataplane *dp, int max_ms);

/*
 * Feed at most max records that are ready into the PIC (a capture:
 * those waiting; a trace: those due). Returns the number fed, or an
 * error with e set (a capture failing, a damaged trace, the copies file
 * unwritable): the driver stops then.
 */
int ft_dataplane_run(struct ft_dataplane *dp, unsigned max,
    struct ft_err *e);

/* 1 once a trace has been played to its end. */
int ft_dataplane_trace_done(const struct ft_dataplane *dp);

/*
 * The counters for report.json and the status line (the capture's are
 * read from libpcap now). Strings point into the data plane.
 */
void ft_dataplane_live(struct ft_dataplane *dp, struct ft_report_live *lv);

/*
 * The link type of the source's first record (the trace's, the capture
 * interface's), -1 without a source.
 */
int ft_dataplane_linktype(const struct ft_dataplane *dp);

/* Rename the copies file into place. Returns 0 or FT_EIO. */
int ft_dataplane_finish(struct ft_dataplane *dp, struct ft_err *e);

#endif
