/*
 * framer.h - DTCP messages out of a byte stream (an SSH channel): bytes
 * in, in pieces of any size; whole messages out, with CRLF line ends,
 * each ending with its empty line (SPEC 2), exactly as a script message
 * reaches the tasking code.
 *
 * - A message ends at an empty line ("\r\n" or "\n" alone). Empty lines
 *   before a message (between two messages) are skipped.
 * - A line ending in a bare LF gets CRLF (clients and files that use LF
 *   only, as scripts may: SPEC 2 normalises before the MAC). A CR that is
 *   not right before the LF stays as it is: the parser calls it a bare CR.
 * - Memory is bounded by FT_DTCP_MSG_MAX: a message that grows past it
 *   (counted after normalisation, its empty line included) is handed on
 *   as soon as it does, as its first FT_DTCP_MSG_MAX + 1 bytes with
 *   `oversize` set, so that the tasking code drops it (code 400, never
 *   answered); the rest of it, up to its empty line, is discarded
 *   unread.
 *
 * Nothing here allocates; the state is one fixed buffer.
 */
#ifndef FT_FRAMER_H
#define FT_FRAMER_H

#include <stddef.h>
#include <stdint.h>

#include "limits.h"

/*
 * A message: len bytes at msg (valid during the call only). oversize:
 * the message went over FT_DTCP_MSG_MAX and msg holds its first
 * FT_DTCP_MSG_MAX + 1 bytes.
 */
typedef void (*ft_framer_fn)(void *ctx, const char *msg, size_t len,
    int oversize);

struct ft_framer {
	char buf[FT_DTCP_MSG_MAX + 1];
	size_t len;		/* bytes of the message so far */
	size_t line_len;	/* bytes of the current line so far */
	int line_cr;		/* the current line so far is a lone CR */
	int discard;		/* over the cap: skip to the empty line */
	uint64_t discarded;	/* bytes skipped that way, in all */
	uint64_t messages;	/* messages handed on (oversize included) */
};

/* An empty framer. */
void ft_framer_init(struct ft_framer *f);

/*
 * Feed len bytes; fn is called for every message they complete, in
 * order (a piece may complete none, one or many).
 */
void ft_framer_feed(struct ft_framer *f, const char *data, size_t len,
    ft_framer_fn fn, void *ctx);

/*
 * End of stream: a message still being collected (its empty line never
 * came) is handed on as if the line had come, so the last request of a
 * client that closes without it is still answered, as a script's last
 * message is. Returns 1 when a message was handed on, else 0 (nothing
 * pending, or the rest of an oversize message being discarded).
 */
int ft_framer_finish(struct ft_framer *f, ft_framer_fn fn, void *ctx);

/* Bytes of a message being collected (0 between messages). */
size_t ft_framer_pending(const struct ft_framer *f);

#endif
