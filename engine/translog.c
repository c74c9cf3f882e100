/*
 * translog.c - dtcp.log, the control-plane transcript (translog.h).
 */
#include "translog.h"

#include <stdarg.h>
#include <string.h>

#include "dtcp.h"
#include "rules.h"

#define NS_PER_S 1000000000ULL

static void
log_time(FILE *fp, uint64_t t_ns)
{
	char ts[24];

	ft_dtcp_timestamp(t_ns, ts);
	fprintf(fp, "[%llu.%09llu %s]", (unsigned long long)(t_ns / NS_PER_S),
	    (unsigned long long)(t_ns % NS_PER_S), ts);
}

/*
 * Length of the valid UTF-8 sequence at p (n bytes left) and its code
 * point, or 0 when the bytes there are not valid UTF-8 (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF).
 */
static size_t
utf8_seq(const unsigned char *p, size_t n, unsigned long *cp)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		*cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		*cp = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (c == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		*cp = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;	/* overlong */
		else if (c == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else {
		return 0;
	}
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 1; i < len; i++) {
		if (i > 1 && (p[i] < 0x80 || p[i] > 0xbf))
			return 0;
		*cp = *cp << 6 | (p[i] & 0x3f);
	}
	return len;
}

/*
 * Whether code point cp is shown as is: not a control (C0, DEL, C1),
 * not the byte-order mark, not a line or paragraph separator, not a
 * bidirectional control (which could make a line read other than its
 * bytes), not a noncharacter.
 */
static int
printable(unsigned long cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return 0;
	if (cp == 0xfeff || cp == 0x2028 || cp == 0x2029)
		return 0;
	if (cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe)
		return 0;
	return 1;
}

/*
 * Printable valid UTF-8 is written as is; every other byte (a control,
 * a bare CR, NUL, a BOM, each byte of invalid UTF-8) as \xHH and a
 * backslash as \\, so the log stays one text file whatever a client
 * sent, and shows exactly which bytes it sent.
 */
void
ft_translog_text(FILE *fp, const char *text, size_t len)
{
	const unsigned char *u = (const unsigned char *)text;
	unsigned long cp;
	size_t i = 0, k, n;
	int bol = 1;

	while (i < len) {
		unsigned char c = u[i];

		if (c == '\r' && i + 1 < len && u[i + 1] == '\n') {
			if (bol)
				fputs("  ", fp);
			fputc('\n', fp);
			bol = 1;
			i += 2;
			continue;
		}
		if (bol) {
			fputs("  ", fp);
			bol = 0;
		}
		n = utf8_seq(u + i, len - i, &cp);
		if (c == '\\') {
			fputs("\\\\", fp);
		} else if (n > 0 && printable(cp)) {
			fwrite(u + i, 1, n, fp);
			i += n;
			continue;
		} else if (n > 0) {
			/* Valid but not printable: every byte escaped. */
			for (k = 0; k < n; k++)
				fprintf(fp, "\\x%02x", u[i + k]);
			i += n;
			continue;
		} else {
			fprintf(fp, "\\x%02x", c);
		}
		i++;
	}
	if (!bol)
		fputs("\\ (no line end)\n", fp);
}

void
ft_translog_event(FILE *fp, const struct ft_event *ev)
{
	static const char *const kinds[] = {
		[FT_EV_OPEN] = "open", [FT_EV_REFUSE] = "refuse",
		[FT_EV_CLOSE] = "close", [FT_EV_REQUEST] = "request",
		[FT_EV_REPLY] = "reply", [FT_EV_DROP] = "drop",
		[FT_EV_RESTART] = "restart", [FT_EV_EXPIRE] = "expire",
		[FT_EV_WARN] = "warn",
	};
	const char *d, *e;

	log_time(fp, ev->t_ns);
	fprintf(fp, " %s", kinds[ev->kind]);
	if (ev->session != NULL)
		fprintf(fp, " session=%s", ev->session);
	if (ev->user != NULL)
		fprintf(fp, " user=%s", ev->user);
	if (ev->origin != NULL && ev->origin[0] != '\0')
		fprintf(fp, " %s", ev->origin);
	if (ev->code != 0)
		fprintf(fp, " code=%d", ev->code);
	if (ev->rule != FT_RULES_NONE)
		fprintf(fp, " rule=%s", ft_rules_get(ev->rule)->id);
	if (ev->reason != NULL && ev->reason[0] != '\0')
		fprintf(fp, ": %s", ev->reason);
	fputc('\n', fp);
	if (ev->text != NULL)
		ft_translog_text(fp, ev->text, ev->text_len);
	/* A detail is text already escaped: each line indented. */
	for (d = ev->detail; d != NULL && *d != '\0'; d = *e ? e + 1 : e) {
		e = strchr(d, '\n');
		if (e == NULL)
			e = d + strlen(d);
		fprintf(fp, "  %.*s\n", (int)(e - d), d);
	}
}

void
ft_translog_line(FILE *fp, uint64_t t_ns, const char *kind, const char *fmt,
    ...)
{
	va_list ap;

	log_time(fp, t_ns);
	fprintf(fp, " %s ", kind);
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
}
