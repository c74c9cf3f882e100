/*
 * lintcheck.c - the linter and the engine agree (issue 10): a message
 * the engine rejects always has a MUST finding, a message it accepts
 * never has one, and the linter's answer is the engine's.
 *
 *   lintcheck suites DIR       every case DIR/<area>/<NNN-slug>/ with a
 *                              dtcp.log golden: its script linted (as a
 *                              script) message by message against the
 *                              golden's replies and drops, and the golden
 *                              itself linted as a transcript (no finding
 *                              on the router's side)
 *   lintcheck pair SCRIPT LOG [-p PROFILE] [-k KEY] [-c CONFIG]
 *                              the same for one script and the dtcp.log
 *                              `flowtap replay` wrote for it
 *   lintcheck log [-p P] [-c C] FILE   the engine's transcript of the
 *                              messages in FILE (the transcript fixtures
 *                              of suites/lint/ are made with it)
 *   lintcheck corpus DIR...    every input of the fuzz corpora
 *                              (fuzz_dtcp: one message; fuzz_tasking:
 *                              byte 0 control, then messages) through a
 *                              tasking of its own, its transcript written
 *                              with ft_translog, then linted
 *
 * The golden's outcomes are read here with a reader of its own (header
 * lines only), not with the linter's. Prints one line per failure and
 * "lintcheck: N checked, F failed" last; exits 1 on any failure.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auth.h"
#include "dtcp.h"
#include "lint.h"
#include "routercfg.h"
#include "rules.h"
#include "tasking.h"
#include "translog.h"

#define PATH_MAX_ 4096
#define OUTS_MAX 100000

static unsigned checked, failed;
static int verbose;

struct outc {
	char kind;	/* 'r' reply, 'd' drop, 'n' not sent */
	int code;
	char rule[64];	/* the log's rule= of a rejection, or "" */
};

static void
fail(const char *what, const char *fmt, ...) __attribute__((format(printf, 2,
    3)));

static void
fail(const char *what, const char *fmt, ...)
{
	va_list ap;

	failed++;
	printf("FAIL %s: ", what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (fp == NULL)
		return NULL;
	for (;;) {
		if (*len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 8192);

			if (nb == NULL) {
				free(buf);
				fclose(fp);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + *len, 1, cap - *len - 1, fp);
		if (n == 0)
			break;
		*len += n;
	}
	fclose(fp);
	buf[*len] = '\0';
	return buf;
}

static int
has(const char *s, size_t n, const char *w)
{
	size_t wl = strlen(w), i;

	for (i = 0; i + wl <= n; i++)
		if (memcmp(s + i, w, wl) == 0)
			return 1;
	return 0;
}

/*
 * The outcomes a dtcp.log records, in order: each request's reply or
 * drop code, and each script message not sent. Header lines only.
 */
static size_t
golden_outcomes(const char *text, size_t len, struct outc *o, size_t cap)
{
	size_t pos = 0, n = 0;
	int open = 0;

	while (pos < len) {
		const char *l = text + pos, *e = memchr(l, '\n', len - pos);
		size_t ll = e ? (size_t)(e - l) : len - pos;
		const char *k, *c;

		pos += ll + 1;
		if (ll == 0 || l[0] != '[' || (k = memchr(l, ']', ll)) == NULL)
			continue;
		k += 2;
		c = strstr(k, "code=");
		if (c != NULL && c > l + ll)
			c = NULL;
		if (strncmp(k, "request ", 8) == 0 || strncmp(k, "request\n",
		    8) == 0) {
			if (n < cap) {
				o[n].kind = 0;
				o[n].code = 0;
				o[n].rule[0] = '\0';
			}
			n++;
			open = 1;
		} else if ((strncmp(k, "reply ", 6) == 0 ||
		    strncmp(k, "drop ", 5) == 0) && open && n <= cap) {
			const char *r = strstr(k, " rule=");
			size_t rl = 0;

			o[n - 1].kind = k[0] == 'r' ? 'r' : 'd';
			o[n - 1].code = c != NULL ? atoi(c + 5) : 0;
			if (r != NULL && r < l + ll) {
				r += 6;
				while (r + rl < l + ll && r[rl] != ':' &&
				    r[rl] != ' ' && rl < sizeof(o[0].rule) - 1)
					rl++;
			}
			memcpy(o[n - 1].rule, r != NULL ? r : "", rl);
			o[n - 1].rule[rl] = '\0';
			open = 0;
		} else if (strncmp(k, "note ", 5) == 0 &&
		    has(k, (size_t)(l + ll - k), "message not sent")) {
			if (n < cap) {
				o[n].kind = 'n';
				o[n].code = 0;
				o[n].rule[0] = '\0';
			}
			n++;
			open = 0;
		}
	}
	return n < cap ? n : cap;
}

static int
rejected(const struct ft_lint_message *m)
{
	return !(m->outcome == FT_LINT_OUT_REPLY && m->code == 200);
}

/* Every message: a device-side MUST finding exactly when rejected. */
static void
check_must(const char *what, const struct ft_lint_file *f)
{
	size_t i, j;

	for (i = 0; i < f->nmsgs; i++) {
		int must = 0;

		for (j = 0; j < f->nf; j++) {
			const struct ft_rules_entry *r =
			    ft_rules_get(f->f[j].rule);

			if (f->f[j].msg == i + 1 &&
			    r->severity == FT_RULES_MUST &&
			    r->outcome != FT_RULES_ROUTER)
				must = 1;
		}
		if (must != rejected(&f->msgs[i]))
			fail(what, "message at line %u (%s): %s %d, but %s MUST "
			    "finding", f->msgs[i].line, f->msgs[i].method,
			    f->msgs[i].outcome == FT_LINT_OUT_REPLY ? "reply" :
			    f->msgs[i].outcome == FT_LINT_OUT_DROP ? "drop" :
			    "not sent", f->msgs[i].code, must ? "a" : "no");
		if (rejected(&f->msgs[i]) && f->msgs[i].rule == FT_RULES_NONE)
			fail(what, "message at line %u rejected without a rule",
			    f->msgs[i].line);
		/* The rule's code is the engine's (500 for 550 in 0.6). */
		if (rejected(&f->msgs[i]) && f->msgs[i].outcome !=
		    FT_LINT_OUT_NOT_SENT) {
			const struct ft_rules_entry *r =
			    ft_rules_get(f->msgs[i].rule);

			if (r->code != f->msgs[i].code &&
			    !(r->code == 550 && f->msgs[i].code == 500))
				fail(what, "message at line %u: code %d, rule %s "
				    "says %d", f->msgs[i].line, f->msgs[i].code,
				    r->id, r->code);
		}
	}
}

/* No MUST on the router's side: lint's engine answers as recorded. */
static void
check_router(const char *what, const struct ft_lint_file *f)
{
	size_t j;

	for (j = 0; j < f->nf; j++) {
		const struct ft_rules_entry *r = ft_rules_get(f->f[j].rule);

		if ((r->outcome == FT_RULES_ROUTER ||
		    f->f[j].rule == FT_RULES_FILE_SYNTAX ||
		    f->f[j].rule == FT_RULES_SESSION_REFUSED) &&
		    r->severity == FT_RULES_MUST)
			fail(what, "line %u: %s: %s", f->f[j].line, r->id,
			    f->f[j].text);
	}
}

static int
lint_one(struct ft_lint_file **out, const char *name, const char *text,
    size_t len, const struct ft_lint_opts *o)
{
	struct ft_err e;

	e.msg[0] = '\0';
	if (ft_lint_text(out, name, text, len, o, &e) != 0) {
		fail(name, "lint failed: %s", e.msg);
		return -1;
	}
	return 0;
}

/* One script and its engine transcript. */
static void
pair(const char *name, const char *script, const char *log,
    const struct ft_lint_opts *base)
{
	static struct outc g[OUTS_MAX];
	struct ft_lint_opts o = *base;
	struct ft_lint_file *f = NULL;
	char *st, *lt;
	size_t sl, ll, n, i;

	checked++;
	st = slurp(script, &sl);
	lt = slurp(log, &ll);
	if (st == NULL || lt == NULL) {
		fail(name, "cannot read '%s' or '%s'", script, log);
		goto out;
	}
	n = golden_outcomes(lt, ll, g, OUTS_MAX);
	o.form = FT_LINT_SCRIPT;
	if (lint_one(&f, script, st, sl, &o) != 0)
		goto out;
	if (f->nmsgs != n) {
		fail(name, "lint sees %zu messages, the engine's log %zu",
		    f->nmsgs, n);
	} else {
		for (i = 0; i < n; i++) {
			const struct ft_lint_message *m = &f->msgs[i];
			char k = m->outcome == FT_LINT_OUT_REPLY ? 'r' :
			    m->outcome == FT_LINT_OUT_DROP ? 'd' : 'n';

			if (k != g[i].kind || (k != 'n' && m->code !=
			    g[i].code))
				fail(name, "message %zu (line %u %s): lint's "
				    "engine %c%d, the log %c%d", i + 1, m->line,
				    m->method, k, m->code, g[i].kind ?
				    g[i].kind : '?', g[i].code);
			/* The log names the rule: lint's is the same. */
			if (k != 'n' && strcmp(g[i].rule, m->rule ==
			    FT_RULES_NONE ? "" : ft_rules_get(m->rule)->id) != 0)
				fail(name, "message %zu (line %u %s): lint's rule "
				    "%s, the log's %s", i + 1, m->line, m->method,
				    m->rule == FT_RULES_NONE ? "none" :
				    ft_rules_get(m->rule)->id, g[i].rule[0] ?
				    g[i].rule : "none");
		}
	}
	check_must(name, f);
	ft_lint_file_free(f);
	f = NULL;

	/* The transcript: the router's side agrees with the engine. */
	o.form = FT_LINT_TRANSCRIPT;
	if (lint_one(&f, log, lt, ll, &o) != 0)
		goto out;
	check_router(log, f);
	check_must(log, f);
	if (verbose)
		printf("ok   %s (%zu messages)\n", name, n);
out:
	ft_lint_file_free(f);
	free(st);
	free(lt);
}

/* --- suites --------------------------------------------------------------- */

struct manifest {
	char script[256], config[256], profile[16], key[256];
	int exit_code;
};

static void
read_manifest(const char *path, struct manifest *mf)
{
	size_t len;
	char *t = slurp(path, &len), *l, *save = NULL;

	memset(mf, 0, sizeof(*mf));
	snprintf(mf->script, sizeof(mf->script), "case.dtcp");
	if (t == NULL)
		return;
	for (l = strtok_r(t, "\n", &save); l != NULL;
	    l = strtok_r(NULL, "\n", &save)) {
		if (strncmp(l, "script:", 7) == 0)
			sscanf(l + 7, " %255s", mf->script);
		else if (strncmp(l, "config:", 7) == 0)
			sscanf(l + 7, " %255s", mf->config);
		else if (strncmp(l, "exit:", 5) == 0)
			mf->exit_code = atoi(l + 5);
		else if (strncmp(l, "options:", 8) == 0) {
			char *w, *s2 = NULL, *prev = NULL;

			for (w = strtok_r(l + 8, " \t", &s2); w != NULL;
			    w = strtok_r(NULL, " \t", &s2)) {
				if (prev != NULL && (strcmp(prev, "-p") == 0 ||
				    strcmp(prev, "--profile") == 0))
					snprintf(mf->profile,
					    sizeof(mf->profile), "%s", w);
				if (prev != NULL && (strcmp(prev, "-k") == 0 ||
				    strcmp(prev, "--dtcp-key") == 0))
					snprintf(mf->key, sizeof(mf->key), "%s",
					    w);
				if (strncmp(w, "--profile=", 10) == 0)
					snprintf(mf->profile,
					    sizeof(mf->profile), "%s", w + 10);
				if (strncmp(w, "--dtcp-key=", 11) == 0)
					snprintf(mf->key, sizeof(mf->key), "%s",
					    w + 11);
				prev = w;
			}
		}
	}
	free(t);
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entries of a directory (not starting with '.'). */
static size_t
list_dir(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, cap = 0;

	*out = NULL;
	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **nv = realloc(v, (cap = cap * 2 + 16) *
			    sizeof(*v));

			if (nv == NULL)
				break;
			v = nv;
		}
		v[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(v, n, sizeof(*v), cmpstr);
	*out = v;
	return n;
}

static void
free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
suites(const char *root)
{
	char **areas, **cases, path[PATH_MAX_], script[PATH_MAX_],
	    log[PATH_MAX_], name[PATH_MAX_];
	size_t na, nc, i, j;
	struct stat sb;

	na = list_dir(root, &areas);
	for (i = 0; i < na; i++) {
		snprintf(path, sizeof(path), "%s/%s", root, areas[i]);
		nc = list_dir(path, &cases);
		for (j = 0; j < nc; j++) {
			struct manifest mf;
			struct ft_lint_opts o;
			struct ft_routercfg *rc = NULL;
			struct ft_err e;

			snprintf(path, sizeof(path), "%s/%s/%s/manifest", root,
			    areas[i], cases[j]);
			if (stat(path, &sb) != 0)
				continue;
			read_manifest(path, &mf);
			snprintf(log, sizeof(log), "%s/%s/%s/dtcp.log", root,
			    areas[i], cases[j]);
			if (mf.exit_code != 0 || stat(log, &sb) != 0)
				continue;
			snprintf(script, sizeof(script), "%s/%s/%s/%s", root,
			    areas[i], cases[j], mf.script);
			snprintf(name, sizeof(name), "%s/%s", areas[i],
			    cases[j]);
			memset(&o, 0, sizeof(o));
			if (mf.profile[0] != '\0' &&
			    ft_profile_parse(mf.profile, &o.profile) != 0) {
				fail(name, "bad profile '%s'", mf.profile);
				continue;
			}
			if (mf.key[0] != '\0')
				o.key = mf.key;
			if (mf.config[0] != '\0' &&
			    strcmp(mf.config, "seed") != 0) {
				snprintf(path, sizeof(path), "%s/%s/%s/%s",
				    root, areas[i], cases[j], mf.config);
				rc = calloc(1, sizeof(*rc));
				if (rc == NULL || ft_routercfg_load(rc, path,
				    &e) != 0) {
					fail(name, "config '%s'", path);
					free(rc);
					continue;
				}
				o.router = rc;
			}
			pair(name, script, log, &o);
			free(rc);
		}
		free_list(cases, nc);
	}
	free_list(areas, na);
}

/* --- fuzz corpora ------------------------------------------------------ */

static char fixed[FT_DTCP_MSG_MAX + 128];

/* fuzz_tasking's fix: the message with a correct MAC, or 0. */
static size_t
fix_mac(struct ft_dtcp_msg *msg, const char *s, size_t len)
{
	static const char pfx[] = "Authentication-Info: ";
	char hex[FT_AUTH_HEX_LEN + 1];
	size_t span, n, pl = strlen(pfx);

	if (ft_dtcp_parse(msg, s, len, NULL, 0) != 0)
		return 0;
	if (msg->auth != NULL) {
		span = msg->mac_len;
	} else {
		span = len;
		if (span >= 4 && memcmp(s + span - 4, "\r\n\r\n", 4) == 0)
			span -= 2;
	}
	if (span > len || span + 2 + pl + FT_AUTH_HEX_LEN + 4 > sizeof(fixed))
		return 0;
	memcpy(fixed, s, span);
	n = span;
	if (n < 2 || memcmp(fixed + n - 2, "\r\n", 2) != 0) {
		memcpy(fixed + n, "\r\n", 2);
		n += 2;
	}
	if (ft_auth_hex(FT_AUTH_DEFAULT_KEY, strlen(FT_AUTH_DEFAULT_KEY),
	    fixed, n, hex) != 0)
		return 0;
	memcpy(fixed + n, pfx, pl);
	n += pl;
	memcpy(fixed + n, hex, FT_AUTH_HEX_LEN);
	n += FT_AUTH_HEX_LEN;
	memcpy(fixed + n, "\r\n\r\n", 4);
	return n + 4;
}

struct logctx {
	FILE *fp;
	struct outc *o;
	size_t n;
};

static void
on_log(void *ctx, const struct ft_event *ev)
{
	struct logctx *c = ctx;

	ft_translog_event(c->fp, ev);
	if (ev->kind == FT_EV_REQUEST && c->n < OUTS_MAX)
		c->o[c->n++].kind = 0;
	if ((ev->kind == FT_EV_REPLY || ev->kind == FT_EV_DROP) && c->n > 0) {
		c->o[c->n - 1].kind = ev->kind == FT_EV_REPLY ? 'r' : 'd';
		c->o[c->n - 1].code = ev->code;
	}
}

/*
 * One corpus input through a tasking of its own (the seed's
 * configuration, session of user verint), its transcript linted.
 */
static void
corpus_input(const char *name, const unsigned char *data, size_t size,
    int tasking_layout, const struct ft_routercfg *router)
{
	static struct outc out[OUTS_MAX];
	static struct ft_dtcp_msg msg;
	static struct ft_dtcp_reply reply;
	struct ft_tasking_cfg tc;
	struct ft_tasking *t;
	struct ft_lint_opts o;
	struct ft_lint_file *f = NULL;
	struct logctx lc;
	char *text = NULL;
	size_t tlen = 0, i;
	const unsigned char *p = data, *stop = data + size;
	uint64_t now = 1297612609000000000ULL;
	int fixmac = 0, sid;

	checked++;
	memset(&o, 0, sizeof(o));
	if (tasking_layout) {
		if (size < 1)
			return;
		fixmac = (data[0] & 1) == 0;
		o.profile = (enum ft_profile)((data[0] >> 1) % 3);
		p = data + 1;
	}
	memset(&lc, 0, sizeof(lc));
	lc.o = out;
	lc.fp = open_memstream(&text, &tlen);
	if (lc.fp == NULL) {
		fail(name, "open_memstream");
		return;
	}
	memset(&tc, 0, sizeof(tc));
	tc.router = router;
	tc.profile = o.profile;
	tc.log = on_log;
	tc.log_ctx = &lc;
	if ((t = ft_tasking_new(&tc)) == NULL) {
		fail(name, "no memory");
		fclose(lc.fp);
		free(text);
		return;
	}
	sid = ft_tasking_open(t, "md", "verint", NULL, NULL, now);
	while (p < stop) {
		const unsigned char *end = NULL;
		const char *s = (const char *)p;
		size_t len, flen;

		for (i = 0; p + i + 4 <= stop; i++)
			if (memcmp(p + i, "\r\n\r\n", 4) == 0) {
				end = p + i;
				break;
			}
		len = end != NULL ? (size_t)(end - p) + 4 : (size_t)(stop - p);
		p += len;
		now += 1000000;
		if (len >= 8 && memcmp(s, "@restart", 8) == 0) {
			ft_tasking_restart(t, "corpus", now);
			sid = ft_tasking_open(t, "md", "verint", NULL, NULL,
			    now);
			continue;
		}
		if (fixmac && (flen = fix_mac(&msg, s, len)) != 0) {
			s = fixed;
			len = flen;
		}
		if (o.profile == FT_PROFILE_DRAFT)
			ft_tasking_tick(t, now);
		(void)ft_tasking_request(t, sid, s, len, now, &reply);
	}
	ft_tasking_free(t);
	fclose(lc.fp);

	o.form = FT_LINT_TRANSCRIPT;
	if (lint_one(&f, name, text, tlen, &o) != 0)
		goto out;
	if (f->nmsgs != lc.n) {
		fail(name, "lint sees %zu messages, the engine handled %zu",
		    f->nmsgs, lc.n);
		goto out;
	}
	for (i = 0; i < lc.n; i++) {
		const struct ft_lint_message *m = &f->msgs[i];
		char k = m->outcome == FT_LINT_OUT_REPLY ? 'r' : 'd';

		if (k != out[i].kind || m->code != out[i].code)
			fail(name, "message %zu: lint %c%d, engine %c%d", i + 1,
			    k, m->code, out[i].kind, out[i].code);
	}
	check_router(name, f);
	check_must(name, f);
	if (verbose)
		printf("ok   %s (%zu messages)\n", name, lc.n);
out:
	ft_lint_file_free(f);
	free(text);
}

static void
corpus(const char *dir, const struct ft_routercfg *router)
{
	char **v, path[PATH_MAX_];
	size_t n, i, len;
	const char *base = strrchr(dir, '/');
	int tasking = base != NULL && strcmp(base + 1, "tasking") == 0;

	n = list_dir(dir, &v);
	for (i = 0; i < n; i++) {
		char *data;

		snprintf(path, sizeof(path), "%s/%s", dir, v[i]);
		if ((data = slurp(path, &len)) == NULL) {
			fail(path, "cannot read");
			continue;
		}
		corpus_input(path, (const unsigned char *)data, len, tasking,
		    router);
		/* The dtcp layout again with correct MACs: past the 497s. */
		if (!tasking && len > 0) {
			char *d2 = malloc(len + 1);

			if (d2 != NULL) {
				d2[0] = 0;	/* bit 0 clear: fix; flowtap */
				memcpy(d2 + 1, data, len);
				snprintf(path, sizeof(path), "%s/%s (MAC fixed)",
				    dir, v[i]);
				corpus_input(path, (unsigned char *)d2, len + 1,
				    1, router);
				free(d2);
			}
		}
		free(data);
	}
	free_list(v, n);
}

/*
 * A transcript of the messages of FILE, as the engine answers them, on
 * standard output: the fixtures of suites/lint/ in dtcp.log form. FILE
 * holds the exact bytes of each message; a line "=====" ends one, and
 * "=====open USER" (a session USER of user USER, the current one from
 * then on), "=====close" (closes the current session: what follows is
 * sent on its dead handle) and "=====restart" are events. The seed's
 * configuration unless -c; session "md" of user verint at first.
 */
static int
make_log(const char *path, enum ft_profile profile,
    const struct ft_routercfg *router)
{
	static struct ft_dtcp_reply reply;
	struct ft_tasking_cfg tc;
	struct ft_tasking *t;
	struct logctx lc;
	static struct outc out[OUTS_MAX];
	char *data;
	size_t len, pos = 0, start = 0;
	uint64_t now = 1297612600000000000ULL;
	int sid;

	if ((data = slurp(path, &len)) == NULL) {
		fprintf(stderr, "lintcheck: cannot read '%s'\n", path);
		return 1;
	}
	memset(&lc, 0, sizeof(lc));
	lc.fp = stdout;
	lc.o = out;
	memset(&tc, 0, sizeof(tc));
	tc.router = router;
	tc.profile = profile;
	tc.log = on_log;
	tc.log_ctx = &lc;
	if ((t = ft_tasking_new(&tc)) == NULL)
		return 1;
	sid = ft_tasking_open(t, "md", "verint", NULL, NULL, now);
	while (pos <= len) {
		const char *l = data + pos;
		const char *e = memchr(l, '\n', len - pos);
		size_t n = e != NULL ? (size_t)(e - l) : len - pos;

		if (n >= 5 && memcmp(l, "=====", 5) == 0) {
			now += 1000000000ULL;
			if (pos > start)
				(void)ft_tasking_request(t, sid, data + start,
				    pos - start, now, &reply);
			if (n > 10 && memcmp(l + 5, "open ", 5) == 0) {
				char u[FT_NAME_MAX + 1];
				size_t ul = n - 10 < FT_NAME_MAX ? n - 10 :
				    FT_NAME_MAX;

				memcpy(u, l + 10, ul);
				u[ul] = '\0';
				sid = ft_tasking_open(t, u, u, NULL, NULL, now);
			} else if (n == 10 && memcmp(l + 5, "close", 5) == 0) {
				(void)ft_tasking_close(t, sid, now);
			} else if (n == 12 && memcmp(l + 5, "restart", 7) == 0) {
				ft_tasking_restart(t, "fixture", now);
			}
			start = pos + n + 1;
		}
		if (e == NULL)
			break;
		pos += n + 1;
	}
	ft_tasking_free(t);
	free(data);
	return 0;
}

static int
usage(void)
{
	fputs("usage: lintcheck [-v] suites DIR | pair SCRIPT LOG [-p PROFILE] "
	    "[-k KEY] [-c CONFIG] | corpus DIR... | log [-p PROFILE] "
	    "[-c CONFIG] FILE\n", stderr);
	return 2;
}

int
main(int argc, char **argv)
{
	struct ft_routercfg router;
	int i = 1;

	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		i++;
	}
	if (i >= argc)
		return usage();
	if (strcmp(argv[i], "suites") == 0 && i + 2 == argc) {
		suites(argv[i + 1]);
	} else if (strcmp(argv[i], "pair") == 0 && i + 3 <= argc) {
		struct ft_lint_opts o;
		struct ft_routercfg rc;
		struct ft_err e;
		int k;

		memset(&o, 0, sizeof(o));
		for (k = i + 3; k + 1 < argc; k += 2) {
			if (strcmp(argv[k], "-p") == 0 &&
			    ft_profile_parse(argv[k + 1], &o.profile) == 0)
				continue;
			if (strcmp(argv[k], "-k") == 0) {
				o.key = argv[k + 1];
				continue;
			}
			if (strcmp(argv[k], "-c") == 0 &&
			    ft_routercfg_load(&rc, argv[k + 1], &e) == 0) {
				o.router = &rc;
				continue;
			}
			return usage();
		}
		if (k != argc)
			return usage();
		pair(argv[i + 1], argv[i + 1], argv[i + 2], &o);
	} else if (strcmp(argv[i], "log") == 0 && i + 1 < argc) {
		enum ft_profile profile = FT_PROFILE_FLOWTAP;
		struct ft_routercfg rc;
		struct ft_err e;
		const struct ft_routercfg *r = NULL;
		int k;

		for (k = i + 1; k + 2 < argc; k += 2) {
			if (strcmp(argv[k], "-p") == 0 &&
			    ft_profile_parse(argv[k + 1], &profile) == 0)
				continue;
			if (strcmp(argv[k], "-c") == 0 &&
			    ft_routercfg_load(&rc, argv[k + 1], &e) == 0) {
				r = &rc;
				continue;
			}
			return usage();
		}
		if (k + 1 != argc)
			return usage();
		if (r == NULL) {
			if (ft_routercfg_default(&router) != 0)
				return 1;
			r = &router;
		}
		return make_log(argv[k], profile, r);
	} else if (strcmp(argv[i], "corpus") == 0 && i + 1 < argc) {
		if (ft_routercfg_default(&router) != 0)
			return 1;
		for (i++; i < argc; i++)
			corpus(argv[i], &router);
	} else {
		return usage();
	}
	printf("lintcheck: %u checked, %u failed\n", checked, failed);
	return failed != 0;
}
