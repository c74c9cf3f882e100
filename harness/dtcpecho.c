/*
 * dtcpecho.c - a stand-in DTCP responder for testing flowtap client
 * against a foreign SSH server (harness/check_client.sh runs it as
 * OpenSSH sshd's flow-tap-dtcp subsystem).
 *
 *   dtcpecho [-k KEY] [-l LOG]
 *
 * Reads DTCP requests on standard input (a message ends at an empty
 * line; LF or CRLF), drops the ones whose MAC does not verify with KEY
 * (default Juniper) as a router does (SPEC 2: no reply), and answers the
 * others with a signed reply: ADD 200 with CRITERIA-ID 1, 2, ...,
 * DELETE 200 with CRITERIA-COUNT 1, LIST 200 with CRITERIA-COUNT 0,
 * anything else 501. It has no state beyond the id counter: it checks
 * the client, not DTCP semantics (flowtap serve does those).
 *
 * A request's X-Test-Reply parameter (an X- parameter, which a router
 * ignores) changes the answer:
 *   code N     answer with code N
 *   seq N      answer with SEQ N
 *   badmac     sign the reply with another key
 *   none       no answer
 *   split      write the answer one byte at a time
 *   lf         write the answer with LF line ends (its MAC over those)
 *   close      exit at once (the channel closes)
 * LOG, when given, gets one line per request: its method and verdict.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "dtcp.h"
#include "limits.h"
#include "num.h"

#define TS "2011-02-13 15:56:49.609"

static struct ft_dtcp_msg msg;
static struct ft_dtcp_reply rep;

/* The value of parameter name as a NUL-terminated copy, or "". */
static void
param(const char *name, char *out, size_t cap)
{
	const struct ft_dtcp_param *p = ft_dtcp_find(&msg, name);
	size_t n;

	out[0] = '\0';
	if (p == NULL)
		return;
	n = p->value_len < cap - 1 ? p->value_len : cap - 1;
	memcpy(out, p->value, n);
	out[n] = '\0';
}

static void
put(const char *s, size_t n, int split)
{
	size_t i;

	if (!split) {
		fwrite(s, 1, n, stdout);
		fflush(stdout);
		return;
	}
	for (i = 0; i < n; i++) {
		fputc(s[i], stdout);
		fflush(stdout);
		usleep(1000);
	}
}

/* Answer one whole request buf[0..len) (CRLF line ends). */
static void
answer(const char *buf, size_t len, const char *key, FILE *log,
    unsigned *next_id)
{
	static char lfbuf[FT_DTCP_REPLY_MAX];
	char test[64], seq[64], hex[FT_AUTH_HEX_LEN + 1];
	const char *method;
	uint64_t code = 200;
	int rc;
	size_t i, n;

	rc = ft_dtcp_parse(&msg, buf, len, NULL, 0);
	method = msg.method[0] != '\0' ? msg.method : "?";
	if (msg.oversize || msg.auth == NULL ||
	    !ft_auth_check(key, strlen(key), msg.buf, msg.mac_len, msg.auth,
	    msg.auth_len)) {
		if (log != NULL)
			fprintf(log, "%s drop 497\n", method);
		return;
	}
	param("X-Test-Reply", test, sizeof(test));
	param("Seq", seq, sizeof(seq));
	if (strcmp(test, "close") == 0) {
		if (log != NULL)
			fprintf(log, "%s close\n", method);
		exit(0);
	}
	if (strcmp(test, "none") == 0) {
		if (log != NULL)
			fprintf(log, "%s none\n", method);
		return;
	}
	if (strncmp(test, "code ", 5) == 0)
		ft_num_u64(test + 5, strlen(test + 5), 3, 100, 999, &code);
	else if (rc != 0)
		code = 400;
	else if (msg.m != FT_DTCP_M_ADD && msg.m != FT_DTCP_M_DELETE &&
	    msg.m != FT_DTCP_M_LIST)
		code = 501;
	if (strncmp(test, "seq ", 4) == 0)
		snprintf(seq, sizeof(seq), "%s", test + 4);
	ft_dtcp_reply_start(&rep, msg.version != 0 && msg.version < 10 ?
	    msg.version : FT_DTCP_V07, (int)code);
	if (seq[0] != '\0')
		ft_dtcp_reply_add(&rep, "SEQ", seq);
	if (code == 200 && msg.m == FT_DTCP_M_ADD)
		ft_dtcp_reply_addu(&rep, "CRITERIA-ID", (*next_id)++);
	else if (code == 200)
		ft_dtcp_reply_addu(&rep, "CRITERIA-COUNT",
		    msg.m == FT_DTCP_M_DELETE ? 1 : 0);
	ft_dtcp_reply_add(&rep, "TIMESTAMP", TS);
	if (strcmp(test, "lf") == 0) {
		/* Sign the LF form: the client checks the bytes it got. */
		for (i = 0, n = 0; i < rep.len; i++)
			if (rep.buf[i] != '\r')
				lfbuf[n++] = rep.buf[i];
		ft_auth_hex(key, strlen(key), lfbuf, n, hex);
		n += (size_t)snprintf(lfbuf + n, sizeof(lfbuf) - n,
		    "AUTHENTICATION-INFO: %s\n\n", hex);
		put(lfbuf, n, 0);
	} else {
		if (strcmp(test, "badmac") == 0)
			ft_dtcp_reply_finish(&rep, "not-the-key", 11);
		else
			ft_dtcp_reply_finish(&rep, key, strlen(key));
		put(rep.buf, rep.len, strcmp(test, "split") == 0);
	}
	if (log != NULL)
		fprintf(log, "%s %d %s\n", method, (int)code, test);
}

int
main(int argc, char **argv)
{
	static char buf[FT_DTCP_MSG_MAX * 2 + 4];
	const char *key = FT_AUTH_DEFAULT_KEY, *logpath = NULL;
	char line[FT_DTCP_MSG_MAX + 2];
	FILE *log = NULL;
	size_t len = 0, n;
	unsigned next_id = 1;
	int c, over = 0;

	while ((c = getopt(argc, argv, "k:l:")) != -1) {
		switch (c) {
		case 'k':
			key = optarg;
			break;
		case 'l':
			logpath = optarg;
			break;
		default:
			fprintf(stderr, "usage: dtcpecho [-k KEY] [-l LOG]\n");
			return 2;
		}
	}
	if (logpath != NULL && (log = fopen(logpath, "a")) == NULL) {
		perror(logpath);
		return 1;
	}
	if (log != NULL)
		setvbuf(log, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		n = strlen(line);
		/* A line end: CRLF or LF, normalised to CRLF. */
		if (n > 0 && line[n - 1] == '\n') {
			n--;
			if (n > 0 && line[n - 1] == '\r')
				n--;
		}
		if (n == 0) {
			if (len == 0)
				continue;
			if (!over) {
				memcpy(buf + len, "\r\n", 2);
				answer(buf, len + 2, key, log, &next_id);
			} else if (log != NULL)
				fprintf(log, "oversize drop\n");
			len = 0;
			over = 0;
			continue;
		}
		if (over || len + n + 4 > sizeof(buf)) {
			over = 1;
			continue;
		}
		memcpy(buf + len, line, n);
		memcpy(buf + len + n, "\r\n", 2);
		len += n + 2;
	}
	if (log != NULL)
		fclose(log);
	return 0;
}
