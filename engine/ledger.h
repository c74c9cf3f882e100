/*
 * ledger.h - ledger.tsv, one row per input packet that matched a
 * criterion (README "Output files"): index, time, criteria, ingress
 * verdict, each copy's destination and verdict.
 *
 * Rows are built by hand in a buffer and written with fwrite: fprintf's
 * format parsing cost more than all the rest of a matching packet's
 * work. A piece that does not fit flushes the buffer first, so rows of
 * any length come out whole and in order; write errors show in ferror()
 * of the FILE, which its owner checks when it commits the file.
 */
#ifndef FT_LEDGER_H
#define FT_LEDGER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rule.h"

#define FT_LEDGER_BUF 2048

struct ft_ledger {
	FILE *fp;		/* NULL: nothing is written */
	size_t len;
	char buf[FT_LEDGER_BUF];
};

/* Start writing to fp (may be NULL): the header line. */
void ft_ledger_init(struct ft_ledger *l, FILE *fp);

/* "index<TAB>time<TAB>id,id,..." of a packet's matching criteria. */
void ft_ledger_row(struct ft_ledger *l, uint64_t index, uint64_t ts_ns,
    struct ft_rule *const *match, unsigned n);

/* The ingress verdict; a drop ends the row ("drop", no copies). */
void ft_ledger_ingress(struct ft_ledger *l, int passed);

/* One copy "ID>CDEST=VERDICT"; first: the row's first copy. */
void ft_ledger_copy(struct ft_ledger *l, int first, uint64_t id,
    const char *cdest, const char *verdict);

/* End the row of a packet that passed ingress. */
void ft_ledger_end(struct ft_ledger *l);

#endif
