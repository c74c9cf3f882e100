/*
 * pic.h - the services PIC (SPEC 1, 5-7): the one pipeline every driver
 * feeds. Packets in: decode, scope, family check, classify, ingress
 * budget, one copy per matching criterion and content destination,
 * encapsulation, egress budget, accounting. DTCP in: the tasking state
 * (sessions, Seq, criteria, replies) the pipeline matches against.
 * Records out: copies to the caller's sink, dtcp.log, ledger.tsv,
 * rates.csv, csources.csv and report.json.
 *
 * The PIC has no clock of its own: the caller gives the engine clock
 * with every packet and event (replay: the trace's, serve: the wall
 * clock), so the same inputs give the same outputs.
 */
#ifndef FT_PIC_H
#define FT_PIC_H

#include <stdint.h>
#include <stdio.h>

#include "budget.h"
#include "decode.h"
#include "err.h"
#include "report.h"
#include "routercfg.h"
#include "tasking.h"
#include "trace.h"

/*
 * One copy that passed the egress budget, in emission order: the outer
 * IP packet (len bytes) and the input packet's timestamp. Returns 0, or
 * a negative FT_E* with e set: the packet's processing stops there and
 * ft_pic_packet returns that error.
 */
typedef int (*ft_pic_copy_fn)(void *ctx, uint64_t ts_ns,
    const uint8_t *copy, uint32_t len, struct ft_err *e);

/*
 * The planner's view (plan.h): called for every packet that matched at
 * least one criterion, before the ingress budget, with the engine clock
 * of the run's first record and of this one, the record, its decoded
 * view and the matching criteria in Criteria-ID order (valid during the
 * call only).
 */
struct ft_rule;
typedef void (*ft_pic_observe_fn)(void *ctx, uint64_t base_ns,
    uint64_t now_ns, const struct ft_trace_rec *rec, const struct ft_pkt *pkt,
    struct ft_rule *const *match, unsigned n);

struct ft_pic_cfg {
	const struct ft_routercfg *router;	/* must outlive the PIC */
	enum ft_profile profile;
	const char *key;		/* DTCP key, NULL: "Juniper"; copied */
	struct ft_budget_cfg budget;	/* the same for ingress and egress */
	uint64_t interval_ns;		/* rates.csv interval, > 0 */
	int linear;			/* the reference matcher */
	/*
	 * Scope (SPEC 6): the interface unit of packets whose record names
	 * none, and the output interface of every packet; NULL: unknown.
	 * Each must be declared in the configuration.
	 */
	const char *input_interface;
	const char *output_interface;
	/* A 497's log line shows the expected MAC and its bytes (tasking.h). */
	int explain_mac;
	/* Outputs; each FILE may be NULL (not written). */
	FILE *log;			/* dtcp.log */
	FILE *ledger;			/* ledger.tsv */
	FILE *rates;			/* rates.csv */
	FILE *csrates;			/* csources.csv */
	ft_pic_copy_fn copy;		/* may be NULL */
	void *copy_ctx;
	ft_pic_observe_fn observe;	/* may be NULL */
	void *observe_ctx;
};

struct ft_pic;

/*
 * A PIC with no criteria. Returns NULL with e set (no memory, an
 * undeclared --input/--output-interface).
 */
struct ft_pic *ft_pic_new(const struct ft_pic_cfg *cfg, struct ft_err *e);

/* NULL is a no-op. */
void ft_pic_free(struct ft_pic *p);

/*
 * The control plane: DTCP requests, sessions and restarts go to this
 * tasking state (tasking.h); its events are written to dtcp.log.
 */
struct ft_tasking *ft_pic_tasking(struct ft_pic *p);

/*
 * One captured record (decoded by its own link type; index: 1-based,
 * for the ledger) at engine clock now_ns. Expires timed-out criteria
 * first (profile draft). Returns 0, or the copy sink's error.
 */
int ft_pic_packet(struct ft_pic *p, uint64_t index,
    const struct ft_trace_rec *rec, uint64_t now_ns, struct ft_err *e);

/*
 * The same for a record decoded already: why and *pkt are what
 * ft_decode(rec->linktype, rec->data, rec->caplen, pkt) gave (the
 * two-stage pipeline decodes on its reader thread, pipeline.h). pkt's
 * scope fields are set here.
 */
int ft_pic_decoded(struct ft_pic *p, uint64_t index,
    const struct ft_trace_rec *rec, struct ft_pkt *pkt,
    enum ft_decode_reason why, uint64_t now_ns, struct ft_err *e);

/*
 * Count a warning of the driver's own (report.h: a cut trace, a record
 * out of order, an undelivered script message...); the PIC counts the
 * packets of an unconfigured family and of an undecoded link type
 * itself.
 */
void ft_pic_warn(struct ft_pic *p, enum ft_report_warn w, const char *fmt,
    ...) FT_PRINTF(3, 4);

/*
 * The warnings so far, FT_REPORT_W_COUNT of them (after ft_pic_report,
 * with the DTCP layer's unknown X- parameters); valid until
 * ft_pic_free.
 */
const struct ft_report_warning *ft_pic_warnings(const struct ft_pic *p);

/*
 * Write report.json (and the human summary, when summary is not NULL;
 * json may be NULL: no report.json).
 * info's trace, script, config and linktype come from the caller; the
 * budget, the counters and the DTCP statistics are filled in here.
 */
int ft_pic_report(struct ft_pic *p, struct ft_report_info *info,
    FILE *json, FILE *summary);

#endif
