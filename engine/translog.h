/*
 * translog.h - dtcp.log, the control-plane transcript (README "Output
 * files"): one header line per event, "[SECONDS.NANOS YYYY-MM-DD
 * HH:MM:SS.mmm] KIND key=value...: reason", then the message bytes, one
 * indented line each. The offline replay and the live router write it
 * the same way, so their transcripts compare line for line.
 */
#ifndef FT_TRANSLOG_H
#define FT_TRANSLOG_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "tasking.h"

/* Write one tasking event (its text, if any, below its header line). */
void ft_translog_event(FILE *fp, const struct ft_event *ev);

/*
 * Write a header line of the caller's own: kind ("note", "listen"...),
 * then " " and the formatted rest.
 */
void ft_translog_line(FILE *fp, uint64_t t_ns, const char *kind,
    const char *fmt, ...) FT_PRINTF(4, 5);

/*
 * Write bytes as the transcript shows them: one line each, indented by
 * two spaces, CRLF ends a line; printable valid UTF-8 as is; every other
 * byte (controls, a bare CR, a byte-order mark, each byte of invalid
 * UTF-8, line separators and bidirectional controls) as \xHH, a
 * backslash as \\.
 */
void ft_translog_text(FILE *fp, const char *text, size_t len);

#endif
