/*
 * pipeline.h - the two-stage runmode of an offline run: stage 1, a
 * thread of its own, reads a trace file in batches and decodes every
 * record (ft_decode); stage 2, the caller's thread, takes the batches in
 * record order and hands each record with its decoded view to the
 * caller's function (replay: script events, the PIC's classify, budget
 * and outputs). The function sees exactly the records, in exactly the
 * order, that ft_trace_next would give, so outputs are those of one
 * thread.
 *
 * Batches are handed over through a ring of FT_PIPELINE_BATCHES; a side
 * with nothing to do spins briefly, then blocks on a condition variable
 * (these hosts are shared: no unbounded spinning); a reader that found
 * the ring full sleeps until half of it is free.
 */
#ifndef FT_PIPELINE_H
#define FT_PIPELINE_H

#include <signal.h>

#include "decode.h"
#include "err.h"
#include "trace.h"

/* Batches in flight between the stages. */
#define FT_PIPELINE_BATCHES	8
/* Records per batch at most (a batch also ends at a buffer's worth). */
#define FT_PIPELINE_RECS	2048

/*
 * Stage 2's work on one record: rec (valid during the call), its view
 * as ft_decode(rec->linktype, rec->data, rec->caplen) gave it and the
 * reason; the function may set pkt's scope fields. Returns 0 to go on,
 * or a negative FT_E* with e set to stop the run.
 */
typedef int (*ft_pipeline_fn)(void *ctx, const struct ft_trace_rec *rec,
    struct ft_pkt *pkt, enum ft_decode_reason why, struct ft_err *e);

/*
 * 1 when t can be read by the pipeline (a file, not paced, whose records
 * fit a batch: ft_trace_batch_bytes).
 */
int ft_pipeline_usable(const struct ft_trace *t);

/*
 * Run every record of t through fn, stage 1 on a new thread. Returns 0
 * at the end of the trace (ft_trace_warning says whether it was cut),
 * fn's error, or the trace's error (after fn saw every record before
 * it), with e set; FT_ENOMEM or FT_EIO (no thread) before any record.
 * The thread has ended when this returns.
 */
int ft_pipeline_run(struct ft_trace *t, ft_pipeline_fn fn, void *ctx,
    struct ft_err *e);

#endif
