/*
 * framer.c - DTCP messages out of a byte stream (framer.h).
 */
#include "framer.h"

#include <string.h>

void
ft_framer_init(struct ft_framer *f)
{
	memset(f, 0, sizeof(*f));
}

size_t
ft_framer_pending(const struct ft_framer *f)
{
	return f->discard ? 0 : f->len;
}

/*
 * Store one byte of the message. The byte that takes it past the cap
 * hands the first FT_DTCP_MSG_MAX + 1 bytes on at once, so the buffer
 * never holds more and the drop is logged without waiting for the rest.
 */
static void
put(struct ft_framer *f, char c, ft_framer_fn fn, void *ctx)
{
	if (f->discard)
		return;
	f->buf[f->len++] = c;
	if (f->len == sizeof(f->buf)) {
		f->messages++;
		fn(ctx, f->buf, f->len, 1);
		f->len = 0;
		f->discard = 1;
	}
}

/* A line ended (its LF was just read). */
static void
end_line(struct ft_framer *f, ft_framer_fn fn, void *ctx)
{
	int empty = f->line_len == 0 || (f->line_len == 1 && f->line_cr);

	if (empty) {
		if (f->discard) {
			/* The end of an oversize message: back to normal. */
			f->discard = 0;
			f->len = 0;
		} else if (f->len > f->line_len) {
			/* Its lone CR, if any, is rewritten as the CRLF. */
			f->len -= f->line_len;
			put(f, '\r', fn, ctx);
			put(f, '\n', fn, ctx);
			if (!f->discard) {
				f->messages++;
				fn(ctx, f->buf, f->len, 0);
			}
			f->discard = 0;
			f->len = 0;
		} else {
			/* An empty line between messages. */
			f->len = 0;
		}
	} else if (!f->discard) {
		if (f->buf[f->len - 1] != '\r')
			put(f, '\r', fn, ctx);
		put(f, '\n', fn, ctx);
	}
	f->line_len = 0;
	f->line_cr = 0;
}

void
ft_framer_feed(struct ft_framer *f, const char *data, size_t len,
    ft_framer_fn fn, void *ctx)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = data[i];

		if (f->discard)
			f->discarded++;
		if (c == '\n') {
			end_line(f, fn, ctx);
			continue;
		}
		put(f, c, fn, ctx);
		f->line_len++;
		f->line_cr = f->line_len == 1 && c == '\r';
	}
}

int
ft_framer_finish(struct ft_framer *f, ft_framer_fn fn, void *ctx)
{
	uint64_t before = f->messages;

	if (f->discard) {
		f->discard = 0;
		f->len = 0;
		f->line_len = 0;
		f->line_cr = 0;
		return 0;
	}
	if (f->line_len > 0)
		ft_framer_feed(f, "\n", 1, fn, ctx);
	if (f->len > 0)
		ft_framer_feed(f, "\n", 1, fn, ctx);
	return f->messages != before;
}
