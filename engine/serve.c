/*
 * serve.c - `flowtap serve` (serve.h): the SSH service, the PIC, the
 * wall clock, signals, the transcript and the report, on one loop.
 */
#include "serve.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "budget.h"
#include "classify.h"
#include "dataplane.h"
#include "dtcp.h"
#include "login.h"
#include "pic.h"
#include "report.h"
#include "routercfg.h"
#include "sink.h"
#include "sshd.h"
#include "translog.h"

#define NS_PER_S 1000000000ULL
/* Records fed to the PIC per turn of the loop: SSH stays responsive. */
#define DATAPLANE_BATCH	1024
/*
 * Logins kept until their connection asks for the subsystem: far more
 * than max-startups connections can be waiting for it at once.
 */
#define LOGINS_KEPT	256

/* What the password check decided, for the subsystem request after it. */
struct login_rec {
	unsigned conn;		/* 0: free */
	uint64_t perms;
	enum ft_auth_method method;
};

struct serve {
	const struct ft_serve_opts *o;
	struct ft_routercfg cfg;
	struct ft_pic *pic;
	struct ft_tasking *t;
	struct ft_sshd *sshd;
	struct ft_dtcp_reply *reply;
	struct ft_dataplane *dp;	/* capture/trace, delivery, copies */
	FILE *log;
	FILE *ledger, *rates;	/* ledger.tsv, rates.csv, as replay's */
	uint64_t last_ns;	/* the engine clock never runs backwards */
	int status;		/* draw the status line */
	int status_drawn;
	int trace_said;		/* the trace's end was logged */
	struct login_rec logins[LOGINS_KEPT];	/* a ring */
	unsigned login_next;
};

/* Signals: flags, and a byte down a pipe to end the loop's wait. */
static volatile sig_atomic_t sig_hup, sig_stop, sig_usr1;
static int sig_pipe[2] = { -1, -1 };

static void
on_signal(int sig)
{
	int saved = errno;
	char b = 0;

	if (sig == SIGHUP)
		sig_hup = 1;
	else if (sig == SIGUSR1)
		sig_usr1 = 1;
	else
		sig_stop = sig;
	if (sig_pipe[1] >= 0)
		(void)!write(sig_pipe[1], &b, 1);
	errno = saved;
}

static void
drain_pipe(void *ctx, int fd)
{
	char buf[64];

	(void)ctx;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

/*
 * The engine clock of the live router: wall-clock UTC (CLOCK_REALTIME)
 * in ns, held when the system clock steps back, so the transcript and
 * the rate-limit window never go backwards.
 */
static uint64_t
now_ns(struct serve *sv)
{
	struct timespec ts;
	uint64_t t;

	clock_gettime(CLOCK_REALTIME, &ts);
	t = (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
	if (t < sv->last_ns)
		t = sv->last_ns;
	sv->last_ns = t;
	return t;
}

static void
mono(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

/* --- what the SSH service asks ------------------------------------------ */

/* Client-chosen text in a log line: printable ASCII only. */
static void
printable(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			*s = '?';
}

/*
 * The login (login.h: authentication-order, RADIUS, local passwords),
 * logged with the method that decided it; the verdict is kept for the
 * subsystem request. A RADIUS round trip blocks the loop (docs/serve.md).
 */
static int
op_password(void *ctx, unsigned conn, const char *addr, const char *peer,
    const char *user, const char *password)
{
	struct serve *sv = ctx;
	struct login_rec *r;
	struct ft_login lg;
	char u[FT_NAME_MAX + 1];

	ft_login_check(&sv->cfg, FT_LOGIN_RADIUS, user, password, addr, &lg);
	snprintf(u, sizeof(u), "%s", user);
	printable(u);
	printable(lg.text);
	ft_translog_line(sv->log, now_ns(sv), "ssh",
	    "conn=%u peer=%s user=%s: login %s%s: %s", conn, peer, u,
	    lg.admitted ? "admitted by " : "refused",
	    lg.admitted ? ft_login_method_name(lg.method) : "", lg.text);
	if (!lg.admitted)
		return 0;
	r = &sv->logins[sv->login_next];
	sv->login_next = (sv->login_next + 1) % LOGINS_KEPT;
	r->conn = conn;
	r->perms = lg.perms;
	r->method = lg.method;
	return 1;
}

/* The login of connection conn (taken: one subsystem per connection). */
static int
take_login(struct serve *sv, unsigned conn, struct login_rec *out)
{
	unsigned i;

	for (i = 0; i < LOGINS_KEPT; i++) {
		if (sv->logins[i].conn == conn && conn != 0) {
			*out = sv->logins[i];
			memset(&sv->logins[i], 0, sizeof(sv->logins[i]));
			return 0;
		}
	}
	return FT_ENOENT;
}

static int
op_open(void *ctx, unsigned conn, const char *user, const char *addr,
    char *why, size_t whylen)
{
	struct serve *sv = ctx;
	struct login_rec lg;
	char name[32], note[64];
	int sid;

	if (take_login(sv, conn, &lg) != 0) {
		snprintf(why, whylen, "no login of connection %u", conn);
		return -1;
	}
	/*
	 * SSH lets any authenticated user log in; only flow-tap-operation
	 * (the class's, or RADIUS') gets the DTCP subsystem (SPEC 2).
	 */
	if (!(lg.perms & FT_PERM_FLOW_TAP_OPERATION)) {
		snprintf(why, whylen, "user '%s' lacks flow-tap-operation",
		    user);
		return -1;
	}
	snprintf(name, sizeof(name), "ssh-%u", conn);
	/*
	 * SSH checked the password already: the open checks the limits.
	 * The method is in the open line when RADIUS is configured (a
	 * password-only router's transcript stays replay's).
	 */
	snprintf(note, sizeof(note), "admitted by %s",
	    ft_login_method_name(lg.method));
	sid = ft_tasking_open_as(sv->t, name, user, lg.perms,
	    ft_routercfg_auth_has(&sv->cfg, FT_AUTH_RADIUS) ? note : NULL,
	    addr, now_ns(sv));
	if (sid < 0)
		snprintf(why, whylen, "session refused: see the refuse line "
		    "of session %s", name);
	return sid;
}

static void
op_message(void *ctx, unsigned conn, int handle, const char *msg, size_t len,
    int oversize)
{
	struct serve *sv = ctx;
	int code;

	/* An oversize prefix is dropped by tasking (400, unanswered). */
	(void)oversize;
	code = ft_tasking_request(sv->t, handle, msg, len, now_ns(sv),
	    sv->reply);
	/* The transcript has the exchange before the client has the reply. */
	fflush(sv->log);
	if (code > 0)
		(void)ft_sshd_send(sv->sshd, conn, sv->reply->buf,
		    sv->reply->len);
}

static void
op_closed(void *ctx, unsigned conn, int handle, const char *why)
{
	struct serve *sv = ctx;

	(void)conn;
	(void)why;
	(void)ft_tasking_close(sv->t, handle, now_ns(sv));
}

static void
op_log(void *ctx, unsigned conn, const char *peer, const char *user,
    const char *what)
{
	struct serve *sv = ctx;

	ft_translog_line(sv->log, now_ns(sv), "ssh", "conn=%u peer=%s%s%s: %s",
	    conn, peer, user ? " user=" : "", user ? user : "", what);
}

/* --- status line --------------------------------------------------------- */

/* The data plane's part: records, capture drops, copies sent/failed. */
static void
status_dataplane(struct serve *sv)
{
	struct ft_report_live lv;

	ft_dataplane_live(sv->dp, &lv);
	if (strcmp(lv.source, "none") == 0 && lv.sent == 0 &&
	    lv.send_failed == 0)
		return;
	fprintf(stderr, "  %s %llu", lv.source,
	    (unsigned long long)lv.records);
	if (strcmp(lv.source, "capture") == 0)
		fprintf(stderr, "  capture-drops %llu+%llu",
		    (unsigned long long)lv.capture_drops,
		    (unsigned long long)lv.capture_ifdrops);
	fprintf(stderr, "  sent %llu  send-failed %llu",
	    (unsigned long long)lv.sent, (unsigned long long)lv.send_failed);
}

static void
status_line(struct serve *sv)
{
	const struct ft_tasking_stats *ts = ft_tasking_stats(sv->t);
	const struct ft_sshd_stats *ss = ft_sshd_stats(sv->sshd);
	uint64_t req = 0, drops = 0, replies = 0;
	unsigned i;

	for (i = 0; i <= FT_DTCP_M_NOOP; i++)
		req += ts->requests[i];
	for (i = 0; i < ts->replies.n; i++)
		replies += ts->replies.count[i];
	for (i = 0; i < ts->drops.n; i++)
		drops += ts->drops.count[i];
	fprintf(stderr, "\r\033[Kflowtap serve: port %u  sessions %u  "
	    "criteria %u  requests %llu  replies %llu  drops %llu  "
	    "refused %llu  restarts %llu", ft_sshd_port(sv->sshd),
	    ss->sessions, ft_classify_count(ft_tasking_table(sv->t)),
	    (unsigned long long)req, (unsigned long long)replies,
	    (unsigned long long)drops,
	    (unsigned long long)ts->sessions_refused,
	    (unsigned long long)ts->restarts);
	status_dataplane(sv);
	fflush(stderr);
	sv->status_drawn = 1;
}

/* --- setup --------------------------------------------------------------- */

static int
mkdir_p(const char *path, mode_t mode, struct ft_err *e)
{
	char buf[4096];
	size_t i, len = strlen(path);

	if (len == 0 || len >= sizeof(buf))
		return ft_err_set(e, FT_EINVAL, "folder '%s': bad name", path);
	memcpy(buf, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, mode) != 0 && errno != EEXIST)
			return ft_err_set(e, FT_EIO,
			    "cannot create folder '%s': %s", buf,
			    strerror(errno));
		buf[i] = path[i];
	}
	return 0;
}

static void
restart(struct serve *sv, const char *reason)
{
	ft_tasking_restart(sv->t, reason, now_ns(sv));
	/* The sessions are closed: now the SSH connections (SPEC 5). */
	ft_sshd_drop_all(sv->sshd, "restart");
	fflush(sv->log);
}

static int
write_report(struct serve *sv, struct ft_err *e)
{
	struct ft_outfile of;
	struct ft_report_info info;
	struct ft_report_live live;
	int rc;

	memset(&of, 0, sizeof(of));
	rc = ft_outfile_open(&of, sv->o->out, "report.json", e);
	if (rc != 0)
		return rc;
	memset(&info, 0, sizeof(info));
	info.config = sv->o->config;
	info.profile = ft_profile_name(sv->o->profile);
	ft_dataplane_live(sv->dp, &live);
	info.live = &live;
	info.trace = live.name;
	info.linktype = ft_dataplane_linktype(sv->dp);
	rc = ft_pic_report(sv->pic, &info, of.fp, NULL);
	if (rc != 0) {
		ft_outfile_abort(&of);
		return ft_err_set(e, rc, "cannot write the report");
	}
	return ft_outfile_commit(&of, e);
}

static void
capture_ready(void *ctx, int fd)
{
	(void)ctx;
	(void)fd;
}

static int
setup(struct serve *sv, struct ft_err *e)
{
	const struct ft_serve_opts *o = sv->o;
	struct ft_pic_cfg pc;
	struct ft_sshd_cfg sc;
	char keypath[4200], ktype[32], fp[FT_SSHD_FP_MAX], path[4200];
	int rc, generated;

	if (o->config != NULL)
		rc = ft_routercfg_load(&sv->cfg, o->config, e);
	else
		rc = ft_routercfg_default(&sv->cfg);
	if (rc != 0)
		return rc;
	/* The state folder holds a private key: owner only. */
	if ((rc = mkdir_p(o->state, 0700, e)) != 0 ||
	    (rc = mkdir_p(o->out, 0777, e)) != 0)
		return rc;
	rc = ft_sshd_hostkey(o->hostkey, o->state, keypath, sizeof(keypath),
	    ktype, fp, &generated, e);
	if (rc != 0)
		return rc;
	if (o->info != NULL)
		fprintf(o->info, "flowtap serve: host key %s %s (%s%s)\n",
		    ktype, fp, keypath, generated ? ", generated now" : "");

	snprintf(path, sizeof(path), "%s/dtcp.log", o->out);
	sv->log = fopen(path, "w");
	if (sv->log == NULL)
		return ft_err_set(e, FT_EIO, "cannot write '%s': %s", path,
		    strerror(errno));
	/* ledger.tsv and rates.csv as replay writes them, as it goes. */
	snprintf(path, sizeof(path), "%s/ledger.tsv", o->out);
	sv->ledger = fopen(path, "w");
	if (sv->ledger == NULL)
		return ft_err_set(e, FT_EIO, "cannot write '%s': %s", path,
		    strerror(errno));
	snprintf(path, sizeof(path), "%s/rates.csv", o->out);
	sv->rates = fopen(path, "w");
	if (sv->rates == NULL)
		return ft_err_set(e, FT_EIO, "cannot write '%s': %s", path,
		    strerror(errno));
	sv->reply = malloc(sizeof(*sv->reply));
	if (sv->reply == NULL)
		return ft_err_set(e, FT_ENOMEM, "out of memory");

	/* The data plane first: the PIC's copies go to it. */
	rc = ft_dataplane_new(&o->data, &sv->dp, e);
	if (rc != 0)
		return rc;

	memset(&pc, 0, sizeof(pc));
	pc.router = &sv->cfg;
	pc.profile = o->profile;
	pc.key = o->key;
	pc.budget = o->budget;
	pc.interval_ns = NS_PER_S;
	pc.log = sv->log;
	pc.ledger = sv->ledger;
	pc.rates = sv->rates;
	/* Checked against the configuration: declared units only. */
	pc.input_interface = o->data.ifname;
	pc.output_interface = o->output_interface;
	pc.explain_mac = o->explain_mac;
	pc.copy = ft_dataplane_copy;
	pc.copy_ctx = sv->dp;
	sv->pic = ft_pic_new(&pc, e);
	if (sv->pic == NULL)
		return FT_ENOMEM;
	sv->t = ft_pic_tasking(sv->pic);
	ft_dataplane_attach(sv->dp, sv->pic);

	memset(&sc, 0, sizeof(sc));
	sc.listen = o->listen;
	sc.port = o->port;
	sc.hostkey = keypath;
	sc.grace_s = o->grace_s;
	sc.max_startups = o->max_startups;
	sc.outq_max = o->max_queue;
	sc.ops.ctx = sv;
	sc.ops.password = op_password;
	sc.ops.open = op_open;
	sc.ops.message = op_message;
	sc.ops.closed = op_closed;
	sc.ops.log = op_log;
	rc = ft_sshd_new(&sc, &sv->sshd, e);
	if (rc != 0)
		return rc;
	/* A capture wakes the loop; the loop feeds the PIC (dataplane_turn). */
	if (ft_dataplane_fd(sv->dp) >= 0 &&
	    ft_sshd_watch(sv->sshd, ft_dataplane_fd(sv->dp), capture_ready,
	    sv) != 0)
		return ft_err_set(e, FT_EIO, "cannot watch the capture");
	ft_translog_line(sv->log, now_ns(sv), "listen",
	    "address=%s port=%u hostkey=%s %s profile=%s "
	    "connection-limit=%u rate-limit=%u", o->listen,
	    ft_sshd_port(sv->sshd), ktype, fp, ft_profile_name(o->profile),
	    sv->cfg.connection_limit, sv->cfg.rate_limit);
	fflush(sv->log);
	if (ft_login_wait_max(&sv->cfg) > 0) {
		/* A RADIUS round trip blocks the loop: say for how long. */
		ft_translog_line(sv->log, now_ns(sv), "listen", "radius "
		    "servers=%u: a login waits at most %u s for them (other "
		    "connections wait meanwhile)", sv->cfg.nradius,
		    ft_login_wait_max(&sv->cfg));
		fflush(sv->log);
		if (o->info != NULL)
			fprintf(o->info, "flowtap serve: RADIUS: %u server%s, "
			    "a login waits at most %u s\n", sv->cfg.nradius,
			    sv->cfg.nradius == 1 ? "" : "s",
			    ft_login_wait_max(&sv->cfg));
	}
	if (o->info != NULL) {
		fprintf(o->info, "flowtap serve: listening on %s port %u "
		    "(subsystem %s), transcript %s/dtcp.log\n", o->listen,
		    ft_sshd_port(sv->sshd), FT_SSHD_SUBSYSTEM, o->out);
		fflush(o->info);
	}
	return 0;
}

static int
signals(struct serve *sv, struct ft_err *e)
{
	struct sigaction sa;
	int i;

	if (pipe(sig_pipe) != 0)
		return ft_err_set(e, FT_EIO, "pipe: %s", strerror(errno));
	for (i = 0; i < 2; i++) {
		(void)fcntl(sig_pipe[i], F_SETFL,
		    fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
		(void)fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A peer gone mid-write is an error return, not a death. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	return ft_sshd_watch(sv->sshd, sig_pipe[0], drain_pipe, sv) == 0 ? 0 :
	    ft_err_set(e, FT_EIO, "cannot watch the signal pipe");
}

/*
 * The data plane's share of a turn: start a held trace on SIGUSR1, feed
 * the records that are ready, say once when the trace has ended.
 */
static int
dataplane_turn(struct serve *sv, struct ft_err *e)
{
	struct ft_report_live lv;
	int rc;

	if (sig_usr1) {
		sig_usr1 = 0;
		if (ft_dataplane_start(sv->dp))
			ft_translog_line(sv->log, now_ns(sv), "trace",
			    "start: SIGUSR1");
	}
	rc = ft_dataplane_run(sv->dp, DATAPLANE_BATCH, e);
	if (rc < 0)
		return rc;
	if (ft_dataplane_trace_done(sv->dp) && !sv->trace_said) {
		sv->trace_said = 1;
		ft_dataplane_live(sv->dp, &lv);
		ft_translog_line(sv->log, now_ns(sv), "trace", "end: %llu "
		    "records played", (unsigned long long)lv.records);
		if (sv->o->info != NULL) {
			fprintf(sv->o->info, "flowtap serve: trace '%s' "
			    "played to its end (%llu records)\n", lv.name,
			    (unsigned long long)lv.records);
			fflush(sv->o->info);
		}
	}
	return 0;
}

static int
loop(struct serve *sv, struct ft_err *e)
{
	const struct ft_serve_opts *o = sv->o;
	struct timespec start, now, last_status;
	uint64_t up_ns;
	int restarted = 0, rc;

	mono(&start);
	last_status = start;
	last_status.tv_sec -= 1;
	while (!sig_stop) {
		rc = ft_sshd_poll(sv->sshd,
		    ft_dataplane_timeout_ms(sv->dp, 1000));
		if (rc != 0)
			return ft_err_set(e, rc, "the event loop failed: %s",
			    strerror(errno));
		if (sig_hup) {
			sig_hup = 0;
			restart(sv, "SIGHUP");
		}
		rc = dataplane_turn(sv, e);
		if (rc != 0)
			return rc;
		mono(&now);
		up_ns = (uint64_t)(now.tv_sec - start.tv_sec) * NS_PER_S +
		    (uint64_t)now.tv_nsec - (uint64_t)start.tv_nsec;
		if (o->restart_after_ns != 0 && !restarted &&
		    up_ns >= o->restart_after_ns) {
			restarted = 1;
			restart(sv, "--restart-after");
		}
		/* Profile draft: criteria whose timeouts ran out. */
		ft_tasking_tick(sv->t, now_ns(sv));
		fflush(sv->log);
		fflush(sv->ledger);
		fflush(sv->rates);
		if (sv->status && now.tv_sec != last_status.tv_sec) {
			last_status = now;
			status_line(sv);
		}
	}
	return 0;
}

void
ft_serve_opts_default(struct ft_serve_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->listen = FT_SERVE_LISTEN_DEF;
	o->port = FT_SERVE_PORT_DEF;
	o->profile = FT_PROFILE_FLOWTAP;
	o->grace_s = FT_SERVE_GRACE_DEF;
	o->max_startups = FT_SERVE_STARTUPS_DEF;
	o->max_queue = FT_SERVE_QUEUE_DEF;
	o->status = -1;
	ft_budget_cfg_default(&o->budget);
	ft_dataplane_opts_default(&o->data);
}

int
ft_serve_run(const struct ft_serve_opts *opts, struct ft_err *e)
{
	struct ft_serve_opts o = *opts;
	struct serve sv;
	const char *stopped;
	int rc;

	if (o.state == NULL)
		o.state = o.out != NULL ? o.out : FT_SERVE_STATE_DEF;
	if (o.out == NULL)
		o.out = o.state;
	memset(&sv, 0, sizeof(sv));
	sv.o = &o;
	sv.status = o.status >= 0 ? o.status : isatty(STDERR_FILENO);
	sig_hup = sig_stop = sig_usr1 = 0;

	rc = setup(&sv, e);
	if (rc == 0)
		rc = signals(&sv, e);
	if (rc == 0)
		rc = loop(&sv, e);
	if (sv.status_drawn)
		fputc('\n', stderr);
	if (sv.log != NULL && sv.sshd != NULL) {
		stopped = sig_stop == SIGINT ? "SIGINT" : sig_stop == SIGTERM ?
		    "SIGTERM" : "error";
		ft_translog_line(sv.log, now_ns(&sv), "stop", "%s", stopped);
	}
	/* Closing the connections closes their sessions (logged). */
	ft_sshd_free(sv.sshd);
	sv.sshd = NULL;
	if (rc == 0 && sv.pic != NULL)
		rc = write_report(&sv, e);
	if (rc == 0 && sv.dp != NULL)
		rc = ft_dataplane_finish(sv.dp, e);
	if (sv.log != NULL && fclose(sv.log) != 0 && rc == 0)
		rc = ft_err_set(e, FT_EIO, "cannot write '%s/dtcp.log'",
		    o.out);
	if (sv.ledger != NULL && fclose(sv.ledger) != 0 && rc == 0)
		rc = ft_err_set(e, FT_EIO, "cannot write '%s/ledger.tsv'",
		    o.out);
	if (sv.rates != NULL && fclose(sv.rates) != 0 && rc == 0)
		rc = ft_err_set(e, FT_EIO, "cannot write '%s/rates.csv'",
		    o.out);
	if (rc == 0 && o.info != NULL)
		fprintf(o.info, "flowtap serve: stopped (%s); report %s/"
		    "report.json\n", sig_stop == SIGINT ? "SIGINT" : "SIGTERM",
		    o.out);
	ft_pic_free(sv.pic);
	ft_dataplane_free(sv.dp);
	free(sv.reply);
	ft_routercfg_wipe(&sv.cfg);	/* the RADIUS secrets */
	if (sig_pipe[0] >= 0) {
		close(sig_pipe[0]);
		close(sig_pipe[1]);
		sig_pipe[0] = sig_pipe[1] = -1;
	}
	return rc;
}
