/*
 * pipeline.c - the two-stage runmode (pipeline.h).
 *
 * A ring of FT_PIPELINE_BATCHES batches, each a read buffer with its
 * records, their decoded views and reasons. Stage 1 fills slot
 * produced % N once stage 2 has released it; stage 2 takes slot
 * consumed % N once stage 1 has published it. The two counters only
 * grow; each side reads the other's with acquire loads, spins a little
 * when it finds nothing, then sleeps on its own condition variable
 * under the mutex, and the other side wakes it only when its flag says
 * it sleeps.
 * The last batch stage 1 publishes carries the trace's end or error.
 */
#include "pipeline.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/*
 * Polls before a side sleeps: a few microseconds of spinning (on a
 * shared host the other stage may share this core: spin little).
 */
#define SPIN_POLLS	200

struct batch {
	struct ft_trace_batch tb;
	struct ft_pkt *pkt;
	uint8_t *why;		/* enum ft_decode_reason */
	int rc;			/* 1: records; 0 end; < 0 error */
	struct ft_err err;
};

struct pipeline {
	struct ft_trace *t;
	struct batch b[FT_PIPELINE_BATCHES];
	_Atomic uint64_t produced, consumed;
	atomic_int stop;	/* stage 2 gave up: stage 1 ends */
	pthread_mutex_t mu;
	/* Per stage (index 1, 2): its condition and "it sleeps" flag. */
	pthread_cond_t cv[3];
	atomic_int sleeping[3];
};

static void
cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/*
 * Wait until ready(pl) (the other side's counter moved) or stop; who is
 * this side's sleeping flag.
 */
static void
wait_for(struct pipeline *pl, int (*ready)(struct pipeline *), int who)
{
	unsigned i;

	for (i = 0; i < SPIN_POLLS; i++) {
		if (ready(pl) || atomic_load(&pl->stop))
			return;
		cpu_relax();
	}
	pthread_mutex_lock(&pl->mu);
	atomic_store(&pl->sleeping[who], 1);
	/* Dekker with wake(): the flag is seen, or the counter is. */
	atomic_thread_fence(memory_order_seq_cst);
	while (!ready(pl) && !atomic_load(&pl->stop))
		pthread_cond_wait(&pl->cv[who], &pl->mu);
	atomic_store(&pl->sleeping[who], 0);
	pthread_mutex_unlock(&pl->mu);
}

/* Wake the other side if it sleeps (who: its flag). */
static void
wake(struct pipeline *pl, int who)
{
	atomic_thread_fence(memory_order_seq_cst);
	if (!atomic_load(&pl->sleeping[who]))
		return;
	pthread_mutex_lock(&pl->mu);
	pthread_cond_signal(&pl->cv[who]);
	pthread_mutex_unlock(&pl->mu);
}

static int
slot_free(struct pipeline *pl)
{
	return atomic_load_explicit(&pl->produced, memory_order_relaxed) -
	    atomic_load_explicit(&pl->consumed, memory_order_acquire) <
	    FT_PIPELINE_BATCHES;
}

/*
 * What a sleeping stage 1 waits for: half the ring free, so that it is
 * woken once per half ring, not once per batch.
 */
static int
half_free(struct pipeline *pl)
{
	return atomic_load_explicit(&pl->produced, memory_order_relaxed) -
	    atomic_load_explicit(&pl->consumed, memory_order_acquire) <=
	    FT_PIPELINE_BATCHES / 2;
}

static int
slot_full(struct pipeline *pl)
{
	return atomic_load_explicit(&pl->produced, memory_order_acquire) !=
	    atomic_load_explicit(&pl->consumed, memory_order_relaxed);
}

/* Stage 1: read, decode, publish; until the end, an error or stop. */
static void *
stage1(void *arg)
{
	struct pipeline *pl = arg;
	uint64_t k;
	unsigned i;
	int rc;

	for (k = 0;; k++) {
		struct batch *b = &pl->b[k % FT_PIPELINE_BATCHES];

		if (!slot_free(pl))
			wait_for(pl, half_free, 1);
		if (atomic_load(&pl->stop))
			break;
		rc = ft_trace_next_batch(pl->t, &b->tb, &b->err);
		for (i = 0; i < b->tb.n; i++) {
			const struct ft_trace_rec *r = &b->tb.rec[i];

			b->why[i] = (uint8_t)ft_decode(r->linktype, r->data,
			    r->caplen, &b->pkt[i]);
		}
		b->rc = rc;
		atomic_store_explicit(&pl->produced, k + 1,
		    memory_order_release);
		wake(pl, 2);
		if (rc != 1)
			break;
	}
	return NULL;
}

int
ft_pipeline_usable(const struct ft_trace *t)
{
	return ft_trace_batch_bytes(t) != 0;
}

static void
batches_free(struct pipeline *pl)
{
	unsigned i;

	for (i = 0; i < FT_PIPELINE_BATCHES; i++) {
		free(pl->b[i].tb.buf);
		free(pl->b[i].tb.rec);
		free(pl->b[i].pkt);
		free(pl->b[i].why);
	}
}

static int
batches_alloc(struct pipeline *pl, size_t bytes)
{
	unsigned i;

	for (i = 0; i < FT_PIPELINE_BATCHES; i++) {
		struct batch *b = &pl->b[i];

		b->tb.buf = malloc(bytes);
		b->tb.cap = bytes;
		b->tb.rec = malloc(FT_PIPELINE_RECS * sizeof(*b->tb.rec));
		b->tb.max = FT_PIPELINE_RECS;
		b->pkt = malloc(FT_PIPELINE_RECS * sizeof(*b->pkt));
		b->why = malloc(FT_PIPELINE_RECS);
		if (b->tb.buf == NULL || b->tb.rec == NULL || b->pkt == NULL ||
		    b->why == NULL)
			return FT_ENOMEM;
	}
	return 0;
}

/* Stage 2: every record of every published batch, in order. */
static int
stage2(struct pipeline *pl, ft_pipeline_fn fn, void *ctx, struct ft_err *e)
{
	uint64_t k;
	unsigned i;
	int rc;

	for (k = 0;; k++) {
		struct batch *b = &pl->b[k % FT_PIPELINE_BATCHES];

		if (!slot_full(pl))
			wait_for(pl, slot_full, 2);
		for (i = 0; i < b->tb.n; i++) {
			rc = fn(ctx, &b->tb.rec[i], &b->pkt[i],
			    (enum ft_decode_reason)b->why[i], e);
			if (rc != 0)
				return rc;
		}
		if (b->rc != 1) {
			if (b->rc < 0 && e != NULL)
				*e = b->err;
			return b->rc;
		}
		atomic_store_explicit(&pl->consumed, k + 1,
		    memory_order_release);
		if (half_free(pl))
			wake(pl, 1);
	}
}

int
ft_pipeline_run(struct ft_trace *t, ft_pipeline_fn fn, void *ctx,
    struct ft_err *e)
{
	struct pipeline *pl;
	pthread_t th;
	size_t bytes = ft_trace_batch_bytes(t);
	int rc;

	if (bytes == 0)
		return ft_err_set(e, FT_EINVAL, "this trace cannot be read by "
		    "the two-stage pipeline");
	pl = calloc(1, sizeof(*pl));
	if (pl == NULL)
		return ft_err_set(e, FT_ENOMEM, "out of memory");
	pl->t = t;
	if (batches_alloc(pl, bytes) != 0) {
		rc = ft_err_set(e, FT_ENOMEM, "out of memory for the "
		    "pipeline's batches");
		goto free_batches;
	}
	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->cv[1], NULL);
	pthread_cond_init(&pl->cv[2], NULL);
	if (pthread_create(&th, NULL, stage1, pl) != 0) {
		rc = ft_err_set(e, FT_EIO, "cannot start the pipeline's "
		    "reader thread");
		goto destroy;
	}
	rc = stage2(pl, fn, ctx, e);
	/* Stage 1 may wait for a slot: tell it to end, wake it, join. */
	atomic_store(&pl->stop, 1);
	pthread_mutex_lock(&pl->mu);
	pthread_cond_broadcast(&pl->cv[1]);
	pthread_mutex_unlock(&pl->mu);
	pthread_join(th, NULL);
destroy:
	pthread_cond_destroy(&pl->cv[1]);
	pthread_cond_destroy(&pl->cv[2]);
	pthread_mutex_destroy(&pl->mu);
free_batches:
	batches_free(pl);
	free(pl);
	return rc;
}
