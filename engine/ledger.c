/*
 * ledger.c - ledger.tsv rows (ledger.h).
 */
#include "ledger.h"

#include <string.h>

#include "limits.h"

#define NS_PER_S 1000000000ULL

static void
flush(struct ft_ledger *l)
{
	if (l->len > 0 && l->fp != NULL)
		(void)fwrite(l->buf, 1, l->len, l->fp);
	l->len = 0;
}

static void
put(struct ft_ledger *l, const char *s, size_t n)
{
	if (n > FT_LEDGER_BUF - l->len)
		flush(l);
	if (n > FT_LEDGER_BUF) {
		if (l->fp != NULL)
			(void)fwrite(s, 1, n, l->fp);
		return;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static void
put_char(struct ft_ledger *l, char c)
{
	if (l->len == FT_LEDGER_BUF)
		flush(l);
	l->buf[l->len++] = c;
}

/* v in decimal, at least `width` digits (zero-padded), width <= 20. */
static void
put_u64(struct ft_ledger *l, uint64_t v, unsigned width)
{
	char d[20];
	size_t i = sizeof(d);

	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (sizeof(d) - i < width && i > 0)
		d[--i] = '0';
	put(l, d + i, sizeof(d) - i);
}

/* A NUL-terminated name of at most FT_NAME_MAX bytes. */
static void
put_name(struct ft_ledger *l, const char *s)
{
	const char *end = memchr(s, '\0', FT_NAME_MAX + 1);

	put(l, s, end != NULL ? (size_t)(end - s) : FT_NAME_MAX);
}

void
ft_ledger_init(struct ft_ledger *l, FILE *fp)
{
	l->fp = fp;
	l->len = 0;
	if (fp != NULL)
		fputs("# index\ttime\tcriteria\tingress\tcopies "
		    "(criteria-id>cdest-id=verdict)\n", fp);
}

void
ft_ledger_row(struct ft_ledger *l, uint64_t index, uint64_t ts_ns,
    struct ft_rule *const *match, unsigned n)
{
	unsigned i;

	/* index, time, criteria: "%llu\t%llu.%09llu\t%llu,..." */
	put_u64(l, index, 1);
	put_char(l, '\t');
	put_u64(l, ts_ns / NS_PER_S, 1);
	put_char(l, '.');
	put_u64(l, ts_ns % NS_PER_S, 9);
	put_char(l, '\t');
	for (i = 0; i < n; i++) {
		if (i)
			put_char(l, ',');
		put_u64(l, match[i]->id, 1);
	}
}

void
ft_ledger_ingress(struct ft_ledger *l, int passed)
{
	if (passed) {
		put(l, "\tpass\t", 6);
		return;
	}
	put(l, "\tdrop\t-\n", 8);
	flush(l);
}

void
ft_ledger_copy(struct ft_ledger *l, int first, uint64_t id,
    const char *cdest, const char *verdict)
{
	if (!first)
		put_char(l, ' ');
	put_u64(l, id, 1);
	put_char(l, '>');
	put_name(l, cdest);
	put_char(l, '=');
	put(l, verdict, strlen(verdict));
}

void
ft_ledger_end(struct ft_ledger *l)
{
	put_char(l, '\n');
	flush(l);
}
