/*
 * translog.c - dtcp.log, the control-plane transcript (translog.h).
 */
#include "translog.h"

#include <stdarg.h>

#include "dtcp.h"

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
 * Any byte outside printable ASCII/UTF-8 (bare CR, NUL, control) is
 * escaped so the log stays one text file whatever a client sent.
 */
void
ft_translog_text(FILE *fp, const char *text, size_t len)
{
	size_t i = 0;
	int bol = 1;

	while (i < len) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\r' && i + 1 < len && text[i + 1] == '\n') {
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
		if (c == '\\')
			fputs("\\\\", fp);
		else if (c >= 0x20 && c != 0x7f)
			fputc(c, fp);
		else
			fprintf(fp, "\\x%02x", c);
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
	};

	log_time(fp, ev->t_ns);
	fprintf(fp, " %s", kinds[ev->kind]);
	if (ev->session != NULL)
		fprintf(fp, " session=%s", ev->session);
	if (ev->user != NULL)
		fprintf(fp, " user=%s", ev->user);
	if (ev->code != 0)
		fprintf(fp, " code=%d", ev->code);
	if (ev->reason != NULL && ev->reason[0] != '\0')
		fprintf(fp, ": %s", ev->reason);
	fputc('\n', fp);
	if (ev->text != NULL)
		ft_translog_text(fp, ev->text, ev->text_len);
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
