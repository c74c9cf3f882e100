/*
 * tasking.c - DTCP semantics: sessions, authentication, Seq per control
 * source, ADD / DELETE / LIST (+ REFRESH / NOOP in profile draft), the
 * chassis limit and restarts. See docs/dtcp.md for every choice made
 * where the Juniper guide and draft-cavuto-dtcp-03 are silent.
 */
#include "tasking.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "err.h"
#include "num.h"
#include "rule.h"

#define WINDOW_NS	(60ULL * 1000000000ULL)	/* rate-limit window */
#define SEQ_STEP_MAX	256			/* profile draft */
#define DAYSEC_MAX	86400ULL		/* Timeout-Idle/-Total */
#define ERRPARAM_MAX	(FT_DTCP_LINE_MAX + 64)
/* explain_mac's text: the escaped bytes of a message and one line more. */
#define DETAIL_MAX	(5 * FT_DTCP_MSG_MAX + 256)
#define REASON_MAX	1024			/* login trails (login.h) fit */

struct session {
	int open;
	char name[FT_NAME_MAX + 1];
	char user[FT_NAME_MAX + 1];
	char from[FT_NAME_MAX + 1];	/* the peer's address, or "" */
	uint64_t perms;		/* effective permissions of the login */
};

/* Last accepted Seq of one control source. */
struct seqstate {
	char csource[FT_NAME_MAX + 1];
	uint64_t last;
};

struct ft_tasking {
	const struct ft_routercfg *router;
	enum ft_profile profile;
	char *key;
	size_t keylen;
	ft_tasking_log_fn log;
	void *log_ctx;

	struct ft_classify *table;
	struct ft_dtcp_msg *msg;	/* the request being handled */
	struct ft_rule *rule;		/* ADD scratch */

	struct session sess[FT_SESSIONS_MAX];
	unsigned nopen;
	/* Times of the last accepted opens, a ring (rate-limit). */
	uint64_t opened[FT_CFG_SSH_LIMIT_MAX];
	unsigned opened_head, opened_n;

	/* Control sources: configured users and RADIUS-only ones. */
	struct seqstate seq[FT_CSOURCES_MAX];
	unsigned nseq;

	uint64_t next_id;
	uint64_t sel[FT_CRITERIA_MAX];	/* ids selected by a request */

	struct ft_tasking_stats stats;
	char errparam[ERRPARAM_MAX];
	char reason[REASON_MAX];

	/* The rule the request being handled broke, and its specifics. */
	enum ft_rules_id broke;
	char why[REASON_MAX];
	/* Ids below it were given before the last restart (0: none). */
	uint64_t restart_id;
	int explain_mac;
	char *detail;			/* explain_mac's text, DETAIL_MAX */
	char origin[FT_NAME_MAX + 8];	/* "peer=ADDR" of the request */
};

/* What one request carries once it passed steps 1-4. */
struct req {
	int sid;
	const char *user;	/* the session's login user = Csource-ID */
	unsigned version;
	uint64_t seq;
	uint64_t now;
};

int
ft_profile_parse(const char *s, enum ft_profile *p)
{
	if (s == NULL)
		return FT_EINVAL;
	if (strcmp(s, "flowtap") == 0)
		*p = FT_PROFILE_FLOWTAP;
	else if (strcmp(s, "junos") == 0)
		*p = FT_PROFILE_JUNOS;
	else if (strcmp(s, "draft") == 0)
		*p = FT_PROFILE_DRAFT;
	else
		return FT_EINVAL;
	return 0;
}

const char *
ft_profile_name(enum ft_profile p)
{
	switch (p) {
	case FT_PROFILE_FLOWTAP:
		return "flowtap";
	case FT_PROFILE_JUNOS:
		return "junos";
	case FT_PROFILE_DRAFT:
		return "draft";
	}
	return "unknown";
}

/* Small string helpers. */

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
ieq(const char *a, size_t alen, const char *b)
{
	size_t i;

	if (alen != strlen(b))
		return 0;
	for (i = 0; i < alen; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

static int
eqn(const char *a, size_t alen, const char *b)
{
	return alen == strlen(b) && memcmp(a, b, alen) == 0;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Copy s into dst[cap] if it fits; 0 or FT_ELIMIT. */
static int
copy_name(char *dst, size_t cap, const char *s)
{
	size_t n;

	if (s == NULL)
		return FT_EINVAL;
	n = strlen(s);
	if (n >= cap)
		return FT_ELIMIT;
	memcpy(dst, s, n + 1);
	return 0;
}

/* "Name: value" of a parameter into errparam. */
static void
set_errparam_line(struct ft_tasking *t, const struct ft_dtcp_param *p)
{
	snprintf(t->errparam, sizeof(t->errparam), "%.*s: %.*s",
	    (int)p->name_len, p->name, (int)p->value_len, p->value);
}

/* Logging and statistics. */

/* An event with a rule, an origin or a detail (any may be 0 / NULL). */
static void
emit_x(struct ft_tasking *t, enum ft_event_kind kind, uint64_t now,
    const char *session, const char *user, int code, const char *reason,
    const char *text, size_t text_len, enum ft_rules_id rule,
    const char *origin, const char *detail)
{
	struct ft_event ev;

	if (t->log == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.t_ns = now;
	ev.session = session;
	ev.user = user;
	ev.code = code;
	ev.reason = reason;
	ev.text = text;
	ev.text_len = text_len;
	ev.rule = (int)rule;
	ev.origin = origin;
	ev.detail = detail;
	t->log(t->log_ctx, &ev);
}

static void
emit(struct ft_tasking *t, enum ft_event_kind kind, uint64_t now,
    const char *session, const char *user, int code, const char *reason,
    const char *text, size_t text_len)
{
	emit_x(t, kind, now, session, user, code, reason, text, text_len,
	    FT_RULES_NONE, NULL, NULL);
}

static void
count_code(struct ft_code_counts *s, int code)
{
	unsigned i, j;

	for (i = 0; i < s->n && s->code[i] < code; i++)
		;
	if (i < s->n && s->code[i] == code) {
		s->count[i]++;
		return;
	}
	if (s->n == FT_TASKING_CODES_MAX)
		return;		/* more distinct codes than DTCP defines */
	for (j = s->n; j > i; j--) {
		s->code[j] = s->code[j - 1];
		s->count[j] = s->count[j - 1];
	}
	s->code[i] = code;
	s->count[i] = 1;
	s->n++;
}

static const char *
sess_name(const struct ft_tasking *t, int sid)
{
	if (sid < 0 || sid >= FT_SESSIONS_MAX || !t->sess[sid].open)
		return NULL;
	return t->sess[sid].name;
}

static const char *
sess_user(const struct ft_tasking *t, int sid)
{
	if (sid < 0 || sid >= FT_SESSIONS_MAX || !t->sess[sid].open)
		return NULL;
	return t->sess[sid].user;
}

/* Lifecycle. */

struct ft_tasking *
ft_tasking_new(const struct ft_tasking_cfg *cfg)
{
	struct ft_tasking *t;
	const char *key;
	size_t keylen;

	if (cfg == NULL || cfg->router == NULL)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->router = cfg->router;
	t->profile = cfg->profile;
	t->log = cfg->log;
	t->log_ctx = cfg->log_ctx;
	t->next_id = 1;
	t->explain_mac = cfg->explain_mac;

	if (cfg->key != NULL) {
		key = cfg->key;
		keylen = cfg->keylen != 0 ? cfg->keylen : strlen(cfg->key);
	} else {
		key = FT_AUTH_DEFAULT_KEY;
		keylen = strlen(FT_AUTH_DEFAULT_KEY);
	}
	t->key = malloc(keylen + 1);
	t->msg = malloc(sizeof(*t->msg));
	t->rule = malloc(sizeof(*t->rule));
	t->table = ft_classify_new();
	if (t->explain_mac)
		t->detail = malloc(DETAIL_MAX);
	if (t->key == NULL || t->msg == NULL || t->rule == NULL ||
	    t->table == NULL || (t->explain_mac && t->detail == NULL)) {
		ft_tasking_free(t);
		return NULL;
	}
	memcpy(t->key, key, keylen);
	t->key[keylen] = '\0';
	t->keylen = keylen;
	return t;
}

void
ft_tasking_free(struct ft_tasking *t)
{
	if (t == NULL)
		return;
	if (t->key != NULL) {
		ft_auth_wipe(t->key, t->keylen + 1);
		free(t->key);
	}
	free(t->msg);
	free(t->rule);
	free(t->detail);
	ft_classify_free(t->table);
	free(t);
}

struct ft_classify *
ft_tasking_table(struct ft_tasking *t)
{
	return t->table;
}

const struct ft_tasking_stats *
ft_tasking_stats(const struct ft_tasking *t)
{
	return &t->stats;
}

/* Sessions. */

static int
refuse(struct ft_tasking *t, const char *name, const char *user,
    uint64_t now)
{
	t->stats.sessions_refused++;
	emit(t, FT_EV_REFUSE, now, name, user, 0, t->reason, NULL, 0);
	return -1;
}

/* Accepted opens within (now - 60 s, now]. */
static unsigned
opens_in_window(const struct ft_tasking *t, uint64_t now)
{
	unsigned i, n = 0;

	for (i = 0; i < t->opened_n; i++) {
		uint64_t when = t->opened[i];

		if (when <= now && now - when < WINDOW_NS)
			n++;
	}
	return n;
}

static struct seqstate *seq_find(struct ft_tasking *t,
    const char *csource);
static int open_common(struct ft_tasking *t, const char *name,
    const char *user, uint64_t perms, const char *note, const char *from,
    uint64_t now_ns);

/* The name checks shared by both opens; 0 when the name is usable. */
static int
name_ok(struct ft_tasking *t, const char *name, const char *user,
    uint64_t now_ns)
{
	if (name == NULL || name[0] == '\0' || strlen(name) > FT_NAME_MAX) {
		snprintf(t->reason, sizeof(t->reason),
		    "invalid session name");
		return refuse(t, NULL, user, now_ns);
	}
	if (ft_tasking_find(t, name) >= 0) {
		snprintf(t->reason, sizeof(t->reason),
		    "session '%s' already open", name);
		return refuse(t, name, user, now_ns);
	}
	return 0;
}

int
ft_tasking_open(struct ft_tasking *t, const char *name, const char *user,
    const char *password, const char *from, uint64_t now_ns)
{
	const struct ft_routercfg *rc = t->router;

	if (name_ok(t, name, user, now_ns) != 0)
		return -1;
	if (user == NULL || strlen(user) > FT_NAME_MAX ||
	    ft_routercfg_user(rc, user) == NULL ||
	    (password != NULL &&
	    !ft_routercfg_password_ok(rc, user, password))) {
		snprintf(t->reason, sizeof(t->reason),
		    "authentication failed for user '%.*s'", FT_NAME_MAX,
		    user != NULL ? user : "");
		return refuse(t, name, user, now_ns);
	}
	return open_common(t, name, user, ft_routercfg_perms(rc, user), NULL,
	    from, now_ns);
}

int
ft_tasking_open_as(struct ft_tasking *t, const char *name, const char *user,
    uint64_t perms, const char *note, const char *from, uint64_t now_ns)
{
	if (name_ok(t, name, user, now_ns) != 0)
		return -1;
	if (user == NULL || user[0] == '\0' || strlen(user) > FT_NAME_MAX) {
		snprintf(t->reason, sizeof(t->reason), "invalid user name");
		return refuse(t, name, NULL, now_ns);
	}
	return open_common(t, name, user, perms, note, from, now_ns);
}

void
ft_tasking_refuse(struct ft_tasking *t, const char *name, const char *user,
    const char *reason, uint64_t now_ns)
{
	snprintf(t->reason, sizeof(t->reason), "%s", reason);
	(void)refuse(t, name, user, now_ns);
}

/* The limits, then the session; note is added to the open line. */
static int
open_common(struct ft_tasking *t, const char *name, const char *user,
    uint64_t perms, const char *note, const char *from, uint64_t now_ns)
{
	const struct ft_routercfg *rc = t->router;
	unsigned climit, rlimit;
	int i, sid = -1;

	/* Every control source keeps its Seq: refuse one more (limits.h). */
	if (seq_find(t, user) == NULL && t->nseq >= FT_CSOURCES_MAX) {
		snprintf(t->reason, sizeof(t->reason),
		    "too many control sources (%d)", FT_CSOURCES_MAX);
		return refuse(t, name, user, now_ns);
	}
	climit = rc->connection_limit != 0 ? rc->connection_limit :
	    FT_CFG_CONN_LIMIT_DEF;
	rlimit = rc->rate_limit != 0 ? rc->rate_limit : FT_CFG_RATE_LIMIT_DEF;
	if (t->nopen >= climit) {
		snprintf(t->reason, sizeof(t->reason),
		    "connection-limit %u reached", climit);
		return refuse(t, name, user, now_ns);
	}
	if (opens_in_window(t, now_ns) >= rlimit) {
		snprintf(t->reason, sizeof(t->reason),
		    "rate-limit %u per minute reached", rlimit);
		return refuse(t, name, user, now_ns);
	}
	for (i = 0; i < FT_SESSIONS_MAX; i++) {
		if (!t->sess[i].open) {
			sid = i;
			break;
		}
	}
	if (sid < 0) {
		snprintf(t->reason, sizeof(t->reason),
		    "session table full (%d)", FT_SESSIONS_MAX);
		return refuse(t, name, user, now_ns);
	}

	memset(&t->sess[sid], 0, sizeof(t->sess[sid]));
	(void)copy_name(t->sess[sid].name, sizeof(t->sess[sid].name), name);
	(void)copy_name(t->sess[sid].user, sizeof(t->sess[sid].user), user);
	t->sess[sid].perms = perms;
	if (from != NULL)
		snprintf(t->sess[sid].from, sizeof(t->sess[sid].from), "%s",
		    from);
	t->sess[sid].open = 1;
	t->nopen++;
	t->opened[t->opened_head] = now_ns;
	t->opened_head = (t->opened_head + 1) % FT_CFG_SSH_LIMIT_MAX;
	if (t->opened_n < FT_CFG_SSH_LIMIT_MAX)
		t->opened_n++;
	t->stats.sessions_opened++;

	if ((from != NULL && from[0] != '\0') || note != NULL) {
		if (from != NULL && from[0] != '\0')
			snprintf(t->reason, sizeof(t->reason), "from %.*s%s%s",
			    FT_NAME_MAX, from, note != NULL ? "; " : "",
			    note != NULL ? note : "");
		else
			snprintf(t->reason, sizeof(t->reason), "%s", note);
		emit(t, FT_EV_OPEN, now_ns, t->sess[sid].name,
		    t->sess[sid].user, 0, t->reason, NULL, 0);
	} else {
		emit(t, FT_EV_OPEN, now_ns, t->sess[sid].name,
		    t->sess[sid].user, 0, NULL, NULL, 0);
	}
	return sid;
}

int
ft_tasking_find(const struct ft_tasking *t, const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < FT_SESSIONS_MAX; i++)
		if (t->sess[i].open && strcmp(t->sess[i].name, name) == 0)
			return i;
	return -1;
}

static void
close_one(struct ft_tasking *t, int sid, const char *reason, uint64_t now)
{
	struct session *s = &t->sess[sid];

	emit(t, FT_EV_CLOSE, now, s->name, s->user, 0, reason, NULL, 0);
	memset(s, 0, sizeof(*s));
	t->nopen--;
}

int
ft_tasking_close(struct ft_tasking *t, int sid, uint64_t now_ns)
{
	if (sid < 0 || sid >= FT_SESSIONS_MAX || !t->sess[sid].open)
		return FT_ENOENT;
	close_one(t, sid, NULL, now_ns);
	return 0;
}

void
ft_tasking_restart(struct ft_tasking *t, const char *reason,
    uint64_t now_ns)
{
	int i;

	t->stats.restarts++;
	emit(t, FT_EV_RESTART, now_ns, NULL, NULL, 0, reason, NULL, 0);
	for (i = 0; i < FT_SESSIONS_MAX; i++)
		if (t->sess[i].open)
			close_one(t, i, "restart", now_ns);
	ft_classify_clear(t->table);
	memset(t->seq, 0, sizeof(t->seq));
	t->nseq = 0;
	t->restart_id = t->next_id;
}

/* Replies. */

static unsigned
answer_version(unsigned v)
{
	return v >= FT_DTCP_V_MIN && v <= FT_DTCP_V_MAX ? v : FT_DTCP_V07;
}

static void
add_timestamp(struct ft_dtcp_reply *r, uint64_t now)
{
	char ts[24];

	ft_dtcp_timestamp(now, ts);
	ft_dtcp_reply_add(r, "TIMESTAMP", ts);
}

/* ERROR-PARAMETERS comes from request bytes: keep it one printable line. */
static void
add_errparam(struct ft_dtcp_reply *r, char *ep)
{
	size_t i;

	if (ep == NULL || ep[0] == '\0')
		return;
	for (i = 0; ep[i] != '\0'; i++)
		if ((unsigned char)ep[i] < 0x20 || ep[i] == 0x7f)
			ep[i] = '?';
	ft_dtcp_reply_add(r, "ERROR-PARAMETERS", ep);
}

static void
build_error(struct ft_tasking *t, struct ft_dtcp_reply *r, unsigned version,
    int code, const uint64_t *seq, char *errparam, uint64_t now)
{
	ft_dtcp_reply_start(r, version, code);
	if (seq != NULL)
		ft_dtcp_reply_addu(r, "SEQ", *seq);
	add_errparam(r, errparam);
	add_timestamp(r, now);
	(void)ft_dtcp_reply_finish(r, t->key, t->keylen);
}

/* Finish a reply built by a method; an overflow becomes a 500. */
static int
finish(struct ft_tasking *t, struct ft_dtcp_reply *r, const struct req *q,
    int code)
{
	if (ft_dtcp_reply_finish(r, t->key, t->keylen) == 0 && !r->overflow)
		return code;
	build_error(t, r, q->version, 500, &q->seq, NULL, q->now);
	t->broke = FT_RULES_SERVER_ERROR;
	return 500;
}

/* An error reply; t->broke names the rule (set by the failing check). */
static int
send_error(struct ft_tasking *t, struct ft_dtcp_reply *r, const struct req *q,
    int code, int with_errparam)
{
	build_error(t, r, q->version, code, &q->seq,
	    with_errparam ? t->errparam : NULL, q->now);
	return code;
}

/* Seq per control source. */

static struct seqstate *
seq_find(struct ft_tasking *t, const char *csource)
{
	unsigned i;

	for (i = 0; i < t->nseq; i++)
		if (strcmp(t->seq[i].csource, csource) == 0)
			return &t->seq[i];
	return NULL;
}

/*
 * Check the Seq against the profile. Returns 0 when acceptable, else
 * writes the drop reason into t->reason and returns 498.
 */
static int
seq_check(struct ft_tasking *t, const char *csource, uint64_t seq)
{
	struct seqstate *s;

	if (t->profile == FT_PROFILE_JUNOS)
		return 0;
	s = seq_find(t, csource);
	if (s == NULL)
		return 0;
	if (seq <= s->last) {
		t->broke = FT_RULES_SEQ_STALE;
		snprintf(t->why, sizeof(t->why),
		    "stale sequence number %llu (last %llu)",
		    (unsigned long long)seq, (unsigned long long)s->last);
		return 498;
	}
	if (t->profile == FT_PROFILE_DRAFT && seq - s->last > SEQ_STEP_MAX) {
		t->broke = FT_RULES_SEQ_STEP;
		snprintf(t->why, sizeof(t->why),
		    "sequence number %llu out of window (last %llu)",
		    (unsigned long long)seq, (unsigned long long)s->last);
		return 498;
	}
	return 0;
}

static void
seq_update(struct ft_tasking *t, const char *csource, uint64_t seq)
{
	struct seqstate *s = seq_find(t, csource);

	if (s == NULL) {
		/*
		 * A login of a new control source is refused when the
		 * table is full (open_common): this does not happen.
		 */
		if (t->nseq == FT_CSOURCES_MAX)
			return;
		s = &t->seq[t->nseq++];
		(void)copy_name(s->csource, sizeof(s->csource), csource);
	}
	s->last = seq;
}

/* Parameter checks (step 7). */

/* An X- parameter that is not emulated: ignored, but counted. */
static void
unknown_x(struct ft_tasking *t, const struct ft_dtcp_msg *m,
    const struct ft_dtcp_param *p)
{
	const struct ft_dtcp_param *cs = ft_dtcp_find(m, "Csource-ID");

	if (t->stats.unknown_x++ > 0)
		return;
	snprintf(t->stats.unknown_x_first, sizeof(t->stats.unknown_x_first),
	    "'%.*s' in a request of '%.*s' (ignored)",
	    (int)(p->name_len > 64 ? 64 : p->name_len), p->name,
	    cs != NULL ? (int)(cs->value_len > 64 ? 64 : cs->value_len) : 0,
	    cs != NULL ? cs->value : "");
}

/*
 * An unknown X- name close to a known X-JTap-* / X-MD-* one: accepted
 * and ignored (SPEC 2), so its value silently has no effect; a SHOULD
 * warning in the log and in report.json (DTCP-PARAM-X-NEAR).
 */
static void
x_near(struct ft_tasking *t, const struct ft_dtcp_msg *m,
    const struct ft_dtcp_param *p, const char *near, const struct req *q)
{
	const struct ft_rules_entry *e = ft_rules_get(FT_RULES_PARAM_X_NEAR);
	int nl = (int)(p->name_len > 64 ? 64 : p->name_len);

	snprintf(t->why, sizeof(t->why), "%s: '%.*s' (line %u): did you "
	    "mean %s?", e->explain, nl, p->name, p->line, near);
	emit_x(t, FT_EV_WARN, q->now, sess_name(t, q->sid), q->user, 0,
	    t->why, NULL, 0, FT_RULES_PARAM_X_NEAR, NULL, NULL);
	if (t->stats.x_near++ > 0)
		return;
	snprintf(t->stats.x_near_first, sizeof(t->stats.x_near_first),
	    "'%.*s' in a request of '%s' (ignored; did you mean %s?)", nl,
	    p->name, q->user, near);
	(void)m;
}

static int
check_params(struct ft_tasking *t, const struct ft_dtcp_msg *m,
    const struct req *q)
{
	const char *near;
	unsigned i;

	for (i = 0; i < m->nparams; i++) {
		const struct ft_dtcp_param *p = &m->p[i];
		int ext = p->name_len >= 2 && lower((unsigned char)p->name[0])
		    == 'x' && p->name[1] == '-';

		if (ieq(p->name, p->name_len, "X-JTap-Filter-Family") &&
		    m->version < FT_DTCP_V08) {
			snprintf(t->errparam, sizeof(t->errparam), "%.*s",
			    (int)p->name_len, p->name);
			t->broke = FT_RULES_PARAM_VERSION;
			return 501;
		}
		if (!ext && !ft_dtcp_param_known(p->name, p->name_len,
		    m->version)) {
			snprintf(t->errparam, sizeof(t->errparam), "%.*s",
			    (int)p->name_len, p->name);
			t->broke = FT_RULES_PARAM_UNKNOWN;
			return 501;
		}
	}
	/* The request is valid so far: its ignored names, in order. */
	for (i = 0; i < m->nparams; i++) {
		const struct ft_dtcp_param *p = &m->p[i];

		if (p->name_len < 2 || lower((unsigned char)p->name[0]) !=
		    'x' || p->name[1] != '-' ||
		    ft_dtcp_param_known(p->name, p->name_len, m->version))
			continue;
		unknown_x(t, m, p);
		near = ft_dtcp_param_near(p->name, p->name_len, m->version);
		if (near != NULL)
			x_near(t, m, p, near, q);
	}
	return 0;
}

/*
 * Flags: a comma list of tokens. Sets *is_static / *is_both. Returns 0,
 * 400 (empty token) or 501 (a token other than those allowed) with the
 * line in errparam. allow: bit 1 STATIC, bit 2 BOTH.
 */
#define FLAG_STATIC	0x01
#define FLAG_BOTH	0x02

static int
parse_flags(struct ft_tasking *t, const struct ft_dtcp_msg *m,
    unsigned allow, unsigned *got, enum ft_rules_id rule501)
{
	const struct ft_dtcp_param *p = ft_dtcp_find(m, "Flags");
	size_t i = 0;

	*got = 0;
	if (p == NULL)
		return 0;
	for (;;) {
		size_t s, e;

		while (i < p->value_len && is_space(p->value[i]))
			i++;
		s = i;
		while (i < p->value_len && p->value[i] != ',')
			i++;
		e = i;
		while (e > s && is_space(p->value[e - 1]))
			e--;
		if (e == s) {
			set_errparam_line(t, p);
			t->broke = FT_RULES_FLAGS_SYNTAX;
			return 400;
		}
		if ((allow & FLAG_STATIC) && ieq(p->value + s, e - s,
		    "STATIC"))
			*got |= FLAG_STATIC;
		else if ((allow & FLAG_BOTH) && ieq(p->value + s, e - s,
		    "BOTH"))
			*got |= FLAG_BOTH;
		else {
			set_errparam_line(t, p);
			t->broke = rule501;
			return 501;
		}
		if (i >= p->value_len)
			break;
		i++;		/* the comma */
	}
	return 0;
}

/* Selection of criteria (DELETE, LIST, REFRESH). */

static int
owned(const struct ft_rule *r, const char *user)
{
	return strcmp(r->csource, user) == 0;
}

static int
names_cdest(const struct ft_rule *r, const char *id, size_t len)
{
	unsigned i;

	for (i = 0; i < r->ncdest && i < FT_CDEST_MAX; i++)
		if (eqn(id, len, r->cdest[i].id))
			return 1;
	return 0;
}

/*
 * An open entry of a Criteria-ID selector: `*`, `N-*` or `*-N` (ids
 * start at 1, so a range from 0 is `*-N` too).
 */
static int
open_entry(const struct ft_num_ent *e)
{
	return e->lo != e->hi && (e->lo == 0 || e->hi == UINT64_MAX);
}

/*
 * Parse a Criteria-ID selector (SPEC 3): ids, lists, ranges of N64
 * values, the draft's `N-*`, `*-N`, `*` and `!N`, always over the
 * caller's own criteria. Returns 0 or 400 (bad syntax).
 */
static int
parse_critids(struct ft_tasking *t, const struct ft_dtcp_param *p,
    struct ft_num_filter *f)
{
	if (ft_rule_parse_nums(p->value, p->value_len, UINT64_MAX, 20, 1,
	    f) != 0) {
		set_errparam_line(t, p);
		t->broke = FT_RULES_CRITERIA_ID_SYNTAX;
		return 400;
	}
	return 0;
}

/*
 * Every explicit id and closed range of the selector must select at
 * least one criterion of the caller, else 431 naming the first that
 * does not (another control source's id looks exactly like an unknown
 * one). Open entries and negations only narrow the caller's own
 * criteria and may select nothing. Returns 0 or 431.
 */
static int
critids_known(struct ft_tasking *t, const struct ft_num_filter *f,
    const char *user)
{
	unsigned i, j, cnt = ft_classify_count(t->table);

	for (i = 0; i < f->n; i++) {
		const struct ft_num_ent *e = &f->e[i];
		int found = 0;

		if (e->neg || open_entry(e))
			continue;
		for (j = 0; j < cnt && !found; j++) {
			const struct ft_rule *r = ft_classify_at(t->table, j);

			if (r->id >= e->lo && r->id <= e->hi && owned(r, user))
				found = 1;
		}
		if (found)
			continue;
		/*
		 * An id from before the last restart: the restart deleted it
		 * (SPEC 5), whoever's it was (the log says which rule, the
		 * reply is 431 alike).
		 */
		t->broke = e->lo == e->hi && e->lo < t->restart_id ?
		    FT_RULES_CRITERIA_ID_RESTART : FT_RULES_CRITERIA_ID_UNKNOWN;
		if (e->lo == e->hi)
			snprintf(t->errparam, sizeof(t->errparam),
			    "Criteria-ID: %llu", (unsigned long long)e->lo);
		else
			snprintf(t->errparam, sizeof(t->errparam),
			    "Criteria-ID: %llu-%llu",
			    (unsigned long long)e->lo,
			    (unsigned long long)e->hi);
		return 431;
	}
	return 0;
}

/* A single Cdest-ID (no list). Returns 0 or 400. */
static int
check_one_cdest(struct ft_tasking *t, const struct ft_dtcp_param *p)
{
	if (p->value_len == 0 || memchr(p->value, ',', p->value_len) !=
	    NULL) {
		set_errparam_line(t, p);
		t->broke = FT_RULES_CDEST_ID_ONE;
		return 400;
	}
	return 0;
}

/*
 * The selector of DELETE and REFRESH: exactly one of Criteria-ID or
 * Cdest-ID. Fills t->sel with the caller's selected criteria (all of
 * them, STATIC included) and returns how many in *n. Returns 0, 400,
 * 430 or 431.
 */
static int
select_for_change(struct ft_tasking *t, const struct ft_dtcp_msg *m,
    const char *user, unsigned *n)
{
	const struct ft_dtcp_param *cid = ft_dtcp_find(m, "Criteria-ID");
	const struct ft_dtcp_param *cd = ft_dtcp_find(m, "Cdest-ID");
	struct ft_num_filter f;
	unsigned i, cnt = ft_classify_count(t->table);
	int rc, unknown = 0;

	*n = 0;
	if (cid != NULL && cd != NULL) {
		snprintf(t->errparam, sizeof(t->errparam),
		    "Criteria-ID, Cdest-ID");
		t->broke = FT_RULES_SELECTOR_BOTH;
		return 400;
	}
	if (cid == NULL && cd == NULL) {
		snprintf(t->errparam, sizeof(t->errparam), "Criteria-ID");
		t->broke = FT_RULES_SELECTOR_NONE;
		return 400;
	}
	if (cid != NULL) {
		rc = parse_critids(t, cid, &f);
		if (rc != 0)
			return rc;
		unknown = critids_known(t, &f, user);
	} else {
		rc = check_one_cdest(t, cd);
		if (rc != 0)
			return rc;
	}
	for (i = 0; i < cnt; i++) {
		const struct ft_rule *r = ft_classify_at(t->table, i);

		if (!owned(r, user))
			continue;
		if (cid != NULL ? ft_rule_num_match(&f, r->id) :
		    names_cdest(r, cd->value, cd->value_len))
			t->sel[(*n)++] = r->id;
	}
	/* The draft: a DELETE or REFRESH selecting nothing is 200, count 0. */
	if (t->profile == FT_PROFILE_DRAFT && *n == 0)
		return 0;
	if (unknown != 0)
		return unknown;
	if (cd != NULL && *n == 0) {
		set_errparam_line(t, cd);
		t->broke = FT_RULES_CDEST_ID_UNKNOWN;
		return 430;
	}
	return 0;
}

/* Methods. */

static int
env_has_ifl(void *ctx, const char *name, size_t len)
{
	const struct ft_tasking *t = ctx;

	return ft_routercfg_has_ifl(t->router, name, len);
}

static int
env_has_vrf(void *ctx, const char *name, size_t len)
{
	const struct ft_tasking *t = ctx;

	return ft_routercfg_has_vrf(t->router, name, len);
}

static int
do_add(struct ft_tasking *t, const struct req *q, struct ft_dtcp_reply *r)
{
	struct ft_rule_env env;
	struct ft_rule *rule = t->rule;
	int rc;

	memset(&env, 0, sizeof(env));
	env.require_static = t->profile != FT_PROFILE_DRAFT;
	env.allow_timeouts = t->profile == FT_PROFILE_DRAFT;
	env.has_ifl = env_has_ifl;
	env.has_vrf = env_has_vrf;
	env.ctx = t;

	t->errparam[0] = '\0';
	rc = ft_rule_from_add_why(rule, t->msg, &env, t->errparam,
	    sizeof(t->errparam), &t->broke);
	if (rc != 0) {
		if (rc < 100 || rc > 999) {
			rc = 500;	/* a negative FT_E*: not expected */
			t->broke = FT_RULES_SERVER_ERROR;
		}
		return send_error(t, r, q, rc, 1);
	}
	if (ft_classify_count(t->table) >= FT_CRITERIA_MAX) {
		t->broke = FT_RULES_ADD_LIMIT;
		return send_error(t, r, q,
		    q->version == FT_DTCP_V06 ? 500 : 550, 0);
	}

	rule->id = t->next_id;
	(void)copy_name(rule->csource, sizeof(rule->csource), q->user);
	rule->added_ns = q->now;
	rule->last_match_ns = 0;
	rule->match_packets = 0;
	rule->match_bytes = 0;
	if (rule->session_is_id)
		rule->session_id = (uint32_t)rule->id;
	if (ft_classify_add(t->table, rule) != 0) {
		t->broke = FT_RULES_SERVER_ERROR;
		return send_error(t, r, q, 500, 0);
	}
	t->next_id++;

	ft_dtcp_reply_start(r, q->version, 200);
	ft_dtcp_reply_addu(r, "SEQ", q->seq);
	ft_dtcp_reply_addu(r, "CRITERIA-ID", rule->id);
	add_timestamp(r, q->now);
	return finish(t, r, q, 200);
}

static int
do_delete(struct ft_tasking *t, const struct req *q, struct ft_dtcp_reply *r)
{
	unsigned flags, n, i;
	uint64_t deleted = 0;
	int rc;

	rc = parse_flags(t, t->msg, FLAG_STATIC, &flags,
	    FT_RULES_DELETE_FLAGS);
	if (rc == 0)
		rc = select_for_change(t, t->msg, q->user, &n);
	if (rc != 0)
		return send_error(t, r, q, rc, 1);
	for (i = 0; i < n; i++) {
		const struct ft_rule *rule = ft_classify_get(t->table,
		    t->sel[i]);

		if (rule == NULL)
			continue;
		if ((rule->flags & FT_RULE_STATIC) && !(flags & FLAG_STATIC))
			continue;
		if (ft_classify_del(t->table, t->sel[i]) == 0)
			deleted++;
	}
	ft_dtcp_reply_start(r, q->version, 200);
	ft_dtcp_reply_addu(r, "SEQ", q->seq);
	ft_dtcp_reply_addu(r, "CRITERIA-COUNT", deleted);
	add_timestamp(r, q->now);
	return finish(t, r, q, 200);
}

/* Names LIST does not take from the echo (written by LIST itself). */
static int
echo_skipped(const char *name, size_t len)
{
	static const char *const skip[] = {
		"FLAGS", "CSOURCE-ID", "CDEST-ID", "CRITERIA-ID", "SEQ",
		"AUTHENTICATION-INFO", "CRITERIA-NUM", "CRITERIA-COUNT",
	};
	size_t i;

	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (ieq(name, len, skip[i]))
			return 1;
	return 0;
}

/* Append the rule's echo lines ("NAME: value" CRLF each). */
static void
add_echo(struct ft_dtcp_reply *r, const struct ft_rule *rule)
{
	char name[FT_DTCP_LINE_MAX + 1], value[FT_DTCP_LINE_MAX + 1];
	size_t len = rule->echo_len < sizeof(rule->echo) ? rule->echo_len :
	    sizeof(rule->echo);
	size_t i = 0;

	while (i < len) {
		size_t s = i, e, c, vs;

		while (i < len && rule->echo[i] != '\r' &&
		    rule->echo[i] != '\n')
			i++;
		e = i;
		while (i < len && (rule->echo[i] == '\r' ||
		    rule->echo[i] == '\n'))
			i++;
		for (c = s; c < e && rule->echo[c] != ':'; c++)
			;
		if (c == e || c == s || c - s > FT_DTCP_LINE_MAX)
			continue;
		vs = c + 1;
		while (vs < e && is_space(rule->echo[vs]))
			vs++;
		if (e - vs > FT_DTCP_LINE_MAX)
			continue;
		if (echo_skipped(rule->echo + s, c - s))
			continue;
		memcpy(name, rule->echo + s, c - s);
		name[c - s] = '\0';
		memcpy(value, rule->echo + vs, e - vs);
		value[e - vs] = '\0';
		ft_dtcp_reply_add(r, name, value);
	}
}

static void
add_entry(struct ft_dtcp_reply *r, const struct ft_rule *rule, unsigned num)
{
	char cdests[(FT_NAME_MAX + 1) * FT_CDEST_MAX + 1];
	char ts[24];
	size_t off = 0;
	unsigned i;

	cdests[0] = '\0';
	for (i = 0; i < rule->ncdest && i < FT_CDEST_MAX; i++) {
		int w = snprintf(cdests + off, sizeof(cdests) - off, "%s%s",
		    i > 0 ? "," : "", rule->cdest[i].id);

		if (w < 0 || (size_t)w >= sizeof(cdests) - off)
			break;
		off += (size_t)w;
	}
	ft_dtcp_reply_addu(r, "CRITERIA-NUM", num);
	ft_dtcp_reply_addu(r, "CRITERIA-ID", rule->id);
	ft_dtcp_reply_add(r, "CSOURCE-ID", rule->csource);
	ft_dtcp_reply_add(r, "CDEST-ID", cdests);
	if (rule->flags & FT_RULE_STATIC)
		ft_dtcp_reply_add(r, "FLAGS", "Static");
	add_echo(r, rule);
	ft_dtcp_reply_addu(r, "MATCHING-PACKETS", rule->match_packets);
	ft_dtcp_reply_addu(r, "MATCHING-BYTES", rule->match_bytes);
	ft_dtcp_timestamp(rule->added_ns, ts);
	ft_dtcp_reply_add(r, "LAST-REFRESH", ts);
}

static int
do_list(struct ft_tasking *t, const struct req *q, struct ft_dtcp_reply *r)
{
	const struct ft_dtcp_param *cid = ft_dtcp_find(t->msg, "Criteria-ID");
	const struct ft_dtcp_param *cd = ft_dtcp_find(t->msg, "Cdest-ID");
	struct ft_num_filter f;
	unsigned flags, i, n = 0, cnt;
	int rc;

	rc = parse_flags(t, t->msg, FLAG_BOTH, &flags, FT_RULES_LIST_FLAGS);
	if (rc == 0 && cd != NULL)
		rc = check_one_cdest(t, cd);
	if (rc == 0 && cid != NULL)
		rc = parse_critids(t, cid, &f);
	if (rc == 0 && cid != NULL)
		rc = critids_known(t, &f, q->user);
	if (rc != 0)
		return send_error(t, r, q, rc, 1);

	cnt = ft_classify_count(t->table);
	for (i = 0; i < cnt; i++) {
		const struct ft_rule *rule = ft_classify_at(t->table, i);

		if (!owned(rule, q->user))
			continue;
		if (cid != NULL && !ft_rule_num_match(&f, rule->id))
			continue;
		if (cd != NULL && !names_cdest(rule, cd->value, cd->value_len))
			continue;
		t->sel[n++] = rule->id;
	}
	ft_dtcp_reply_start(r, q->version, 200);
	ft_dtcp_reply_addu(r, "SEQ", q->seq);
	ft_dtcp_reply_addu(r, "CRITERIA-COUNT", n);
	add_timestamp(r, q->now);
	for (i = 0; i < n; i++) {
		const struct ft_rule *rule = ft_classify_get(t->table,
		    t->sel[i]);

		if (rule != NULL)
			add_entry(r, rule, i + 1);
	}
	return finish(t, r, q, 200);
}

/*
 * A timeout parameter of REFRESH: absent -> 0 (not set). Returns 0, 400
 * (not a number) or 433 (out of range).
 */
static int
parse_timeout(struct ft_tasking *t, const char *name, unsigned digits,
    uint64_t max, uint64_t *out)
{
	const struct ft_dtcp_param *p = ft_dtcp_find(t->msg, name);
	int rc;

	*out = 0;
	if (p == NULL)
		return 0;
	rc = ft_num_u64(p->value, p->value_len, digits, 0, max, out);
	if (rc == 0)
		return 0;
	set_errparam_line(t, p);
	t->broke = rc == FT_ELIMIT ? FT_RULES_REFRESH_TIMEOUT_RANGE :
	    FT_RULES_REFRESH_TIMEOUT_SYNTAX;
	return rc == FT_ELIMIT ? 433 : 400;
}

static uint64_t
sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static int
do_refresh(struct ft_tasking *t, const struct req *q,
    struct ft_dtcp_reply *r)
{
	const struct ft_dtcp_param *fl = ft_dtcp_find(t->msg, "Flags");
	uint64_t idle, total, pkts, bytes, refreshed = 0;
	unsigned flags, n, i;
	int rc;

	rc = parse_flags(t, t->msg, FLAG_STATIC, &flags,
	    FT_RULES_REFRESH_FLAGS);
	if (rc == 0 && (flags & FLAG_STATIC)) {
		/* REFRESH cannot make a criterion STATIC (D03 5.8). */
		set_errparam_line(t, fl);
		t->broke = FT_RULES_REFRESH_STATIC;
		rc = 433;
	}
	if (rc == 0)
		rc = parse_timeout(t, "Timeout-Idle", 5, DAYSEC_MAX, &idle);
	if (rc == 0)
		rc = parse_timeout(t, "Timeout-Total", 5, DAYSEC_MAX, &total);
	if (rc == 0)
		rc = parse_timeout(t, "Timeout-Packets", 20, UINT64_MAX,
		    &pkts);
	if (rc == 0)
		rc = parse_timeout(t, "Timeout-Bytes", 20, UINT64_MAX, &bytes);
	if (rc == 0 && idle == 0 && total == 0 && pkts == 0 && bytes == 0) {
		snprintf(t->errparam, sizeof(t->errparam), "Timeout-Idle");
		t->broke = FT_RULES_REFRESH_TIMEOUT_NONE;
		rc = 433;
	}
	if (rc == 0)
		rc = select_for_change(t, t->msg, q->user, &n);
	if (rc != 0)
		return send_error(t, r, q, rc, 1);

	for (i = 0; i < n; i++) {
		struct ft_rule *rule = ft_classify_get(t->table, t->sel[i]);

		if (rule == NULL || (rule->flags & FT_RULE_STATIC))
			continue;
		/* Replace what remains: every clock restarts now. */
		rule->added_ns = q->now;
		rule->last_match_ns = 0;
		rule->timeout_idle_ns = idle * 1000000000ULL;
		rule->timeout_total_ns = total * 1000000000ULL;
		rule->timeout_packets = pkts != 0 ?
		    sat_add(rule->match_packets, pkts) : 0;
		rule->timeout_bytes = bytes != 0 ?
		    sat_add(rule->match_bytes, bytes) : 0;
		refreshed++;
	}
	ft_dtcp_reply_start(r, q->version, 200);
	ft_dtcp_reply_addu(r, "SEQ", q->seq);
	ft_dtcp_reply_addu(r, "CRITERIA-COUNT", refreshed);
	add_timestamp(r, q->now);
	return finish(t, r, q, 200);
}

static int
do_noop(struct ft_tasking *t, const struct req *q, struct ft_dtcp_reply *r)
{
	const struct ft_dtcp_param *fl = ft_dtcp_find(t->msg, "Flags");

	/* SendAsync asks for a notification: flowtap sends none. */
	if (fl != NULL) {
		set_errparam_line(t, fl);
		t->broke = FT_RULES_NOOP_FLAGS;
		return send_error(t, r, q, 501, 1);
	}
	ft_dtcp_reply_start(r, q->version, 200);
	ft_dtcp_reply_addu(r, "SEQ", q->seq);
	add_timestamp(r, q->now);
	return finish(t, r, q, 200);
}

/* The request path. */

static int
reply_done(struct ft_tasking *t, int sid, uint64_t now,
    const struct ft_dtcp_reply *r, int code)
{
	enum ft_rules_id rule = code == 200 ? FT_RULES_NONE : t->broke;

	/* Every non-200 reply names its rule; a check that forgot is a bug. */
	if (code != 200 && rule == FT_RULES_NONE)
		rule = FT_RULES_SERVER_ERROR;
	count_code(&t->stats.replies, code);
	emit_x(t, FT_EV_REPLY, now, sess_name(t, sid), sess_user(t, sid), code,
	    rule != FT_RULES_NONE ? ft_rules_get(rule)->explain : NULL, r->buf,
	    r->len, rule, NULL, NULL);
	return code;
}

/*
 * Drop the request unanswered (SPEC 2), logged with its code, its rule
 * and the plain reason: the rule's, then the specifics in t->why (if
 * any), then the framing defect the parser found (if any).
 */
static int
drop(struct ft_tasking *t, int sid, uint64_t now, int code,
    enum ft_rules_id rule, const char *detail)
{
	size_t n;

	n = (size_t)snprintf(t->reason, sizeof(t->reason), "%s",
	    ft_rules_get(rule)->explain);
	if (t->why[0] != '\0' && n < sizeof(t->reason))
		n += (size_t)snprintf(t->reason + n, sizeof(t->reason) - n,
		    "; %s", t->why);
	if (t->msg->defect != NULL && !t->msg->oversize &&
	    n < sizeof(t->reason))
		snprintf(t->reason + n, sizeof(t->reason) - n,
		    "; framing: %s", t->msg->defect);
	count_code(&t->stats.drops, code);
	emit_x(t, FT_EV_DROP, now, sess_name(t, sid), sess_user(t, sid), code,
	    t->reason, NULL, 0, rule, NULL, detail);
	return 0;
}

/*
 * Step 3: Csource-ID is the session's login user, whose login has the
 * permission (its class's, with RADIUS' bits for a RADIUS login).
 * Returns the rule broken, FT_RULES_NONE when the control source is
 * good.
 */
static enum ft_rules_id
control_source_ok(const struct ft_tasking *t, const struct ft_dtcp_msg *m,
    int sid, const char *user)
{
	const struct ft_dtcp_param *p = ft_dtcp_find(m, "Csource-ID");

	if (p == NULL)
		return FT_RULES_AUTH_CSOURCE_MISSING;
	if (!eqn(p->value, p->value_len, user))
		return FT_RULES_AUTH_CSOURCE_USER;
	if (!(t->sess[sid].perms & FT_PERM_FLOW_TAP_OPERATION))
		return FT_RULES_AUTH_PERMISSION;
	return FT_RULES_NONE;
}

static int
method_ok(const struct ft_tasking *t, enum ft_dtcp_method m)
{
	switch (m) {
	case FT_DTCP_M_ADD:
	case FT_DTCP_M_DELETE:
	case FT_DTCP_M_LIST:
		return 1;
	case FT_DTCP_M_REFRESH:
	case FT_DTCP_M_NOOP:
		return t->profile == FT_PROFILE_DRAFT;
	case FT_DTCP_M_OTHER:
		break;
	}
	return 0;
}

/*
 * A 497: which rule (missing, malformed, upper case, wrong) and, with
 * explain_mac, the expected MAC and the bytes it covers (t->detail).
 */
static enum ft_rules_id
mac_rule(struct ft_tasking *t, enum ft_dtcp_mac state, const char **detail)
{
	const struct ft_dtcp_msg *m = t->msg;
	char hex[FT_AUTH_HEX_LEN + 1];
	size_t n;

	*detail = NULL;
	if (t->explain_mac && t->detail != NULL && m->mac_len <= m->len &&
	    ft_auth_hex(t->key, t->keylen, m->buf, m->mac_len, hex) == 0) {
		n = (size_t)snprintf(t->detail, DETAIL_MAX, "expected MAC %s "
		    "over these %zu bytes:\n", hex, m->mac_len);
		(void)ft_dtcp_escape_lines(m->buf, m->mac_len, "| ",
		    t->detail + n, DETAIL_MAX - n);
		*detail = t->detail;
	}
	switch (state) {
	case FT_DTCP_MAC_MISSING:
		return FT_RULES_AUTH_MAC_MISSING;
	case FT_DTCP_MAC_MALFORMED:
		return FT_RULES_AUTH_MAC_MALFORMED;
	case FT_DTCP_MAC_UPPER:
		return FT_RULES_AUTH_MAC_CASE;
	case FT_DTCP_MAC_OK:
	case FT_DTCP_MAC_WRONG:
		break;
	}
	return FT_RULES_AUTH_MAC_WRONG;
}

int
ft_tasking_request(struct ft_tasking *t, int sid, const char *bytes,
    size_t len, uint64_t now_ns, struct ft_dtcp_reply *reply)
{
	return ft_tasking_request_from(t, sid, NULL, bytes, len, now_ns,
	    reply);
}

int
ft_tasking_request_from(struct ft_tasking *t, int sid, const char *origin,
    const char *bytes, size_t len, uint64_t now_ns,
    struct ft_dtcp_reply *reply)
{
	struct ft_dtcp_msg *m = t->msg;
	const struct ft_dtcp_param *sp;
	const char *detail;
	enum ft_dtcp_mac mac;
	enum ft_rules_id cs;
	struct req q;
	unsigned mi;
	int rc, seq_ok;

	/* Where it came from: the caller's word, else the session's peer. */
	if (origin == NULL && sess_user(t, sid) != NULL &&
	    t->sess[sid].from[0] != '\0') {
		snprintf(t->origin, sizeof(t->origin), "peer=%s",
		    t->sess[sid].from);
		origin = t->origin;
	}
	emit_x(t, FT_EV_REQUEST, now_ns, sess_name(t, sid), sess_user(t, sid),
	    0, NULL, bytes, len, FT_RULES_NONE, origin, NULL);
	t->broke = FT_RULES_NONE;
	t->why[0] = '\0';

	/*
	 * 1. Framing. A framing defect is not answered yet: the parser
	 * still finds the MAC, Csource-ID and Seq, and the request is
	 * answered 400 only once it authenticated (SPEC 2).
	 */
	memset(m, 0, sizeof(*m));
	t->errparam[0] = '\0';
	rc = ft_dtcp_parse(m, bytes, len, t->errparam, sizeof(t->errparam));
	mi = (unsigned)m->m <= FT_DTCP_M_NOOP ? (unsigned)m->m : 0;
	t->stats.requests[rc == 0 ? mi : FT_DTCP_M_OTHER]++;
	if (sess_user(t, sid) == NULL)
		return drop(t, sid, now_ns, 499, FT_RULES_AUTH_NO_SESSION,
		    NULL);
	if (m->oversize) {
		snprintf(t->why, sizeof(t->why), "%zu bytes, cap %d", len,
		    FT_DTCP_MSG_MAX);
		return drop(t, sid, now_ns, 400, FT_RULES_FRAME_MSG_CAP, NULL);
	}

	/* 2. Authentication (constant-time compare). */
	mac = ft_dtcp_mac_check(m, t->key, t->keylen);
	if (mac != FT_DTCP_MAC_OK) {
		cs = mac_rule(t, mac, &detail);
		return drop(t, sid, now_ns, 497, cs, detail);
	}

	/* 3. Control source. */
	memset(&q, 0, sizeof(q));
	q.sid = sid;
	q.user = t->sess[sid].user;
	q.now = now_ns;
	if ((cs = control_source_ok(t, m, sid, q.user)) != FT_RULES_NONE)
		return drop(t, sid, now_ns, 499, cs, NULL);

	/* 4. Seq, when readable; a framing defect is answered now. */
	q.version = answer_version(m->version);
	sp = ft_dtcp_find(m, "Seq");
	seq_ok = sp != NULL && ft_num_u64(sp->value, sp->value_len, 20, 0,
	    UINT64_MAX, &q.seq) == 0;
	if (seq_ok) {
		if (seq_check(t, q.user, q.seq) != 0)
			return drop(t, sid, now_ns, 498, t->broke, NULL);
		seq_update(t, q.user, q.seq);
	}
	if (rc != 0) {
		t->broke = ft_rules_for_defect(m->defect);
		build_error(t, reply, q.version, 400, seq_ok ? &q.seq : NULL,
		    t->errparam, now_ns);
		return reply_done(t, sid, now_ns, reply, 400);
	}
	if (!seq_ok) {
		t->broke = sp == NULL ? FT_RULES_SEQ_MISSING :
		    FT_RULES_SEQ_SYNTAX;
		snprintf(t->errparam, sizeof(t->errparam), "Seq");
		build_error(t, reply, q.version, 400, NULL, t->errparam,
		    now_ns);
		return reply_done(t, sid, now_ns, reply, 400);
	}

	/* 5. Version. */
	if (m->version < FT_DTCP_V_MIN || m->version > FT_DTCP_V_MAX) {
		q.version = FT_DTCP_V_MAX;
		t->broke = FT_RULES_VERSION;
		rc = send_error(t, reply, &q, 505, 0);
		return reply_done(t, sid, now_ns, reply, rc);
	}
	q.version = m->version;

	/* 6. Method. */
	if (!method_ok(t, m->m)) {
		snprintf(t->errparam, sizeof(t->errparam), "%s", m->method);
		t->broke = m->m == FT_DTCP_M_OTHER ? FT_RULES_METHOD_UNKNOWN :
		    FT_RULES_METHOD_PROFILE;
		rc = send_error(t, reply, &q, 501, 1);
		return reply_done(t, sid, now_ns, reply, rc);
	}

	/* 7. Parameters (and the warnings of the ignored ones). */
	if (check_params(t, m, &q) != 0) {
		rc = send_error(t, reply, &q, 501, 1);
		return reply_done(t, sid, now_ns, reply, rc);
	}

	/* 8. Semantics, then apply. */
	t->errparam[0] = '\0';
	switch (m->m) {
	case FT_DTCP_M_ADD:
		rc = do_add(t, &q, reply);
		break;
	case FT_DTCP_M_DELETE:
		rc = do_delete(t, &q, reply);
		break;
	case FT_DTCP_M_LIST:
		rc = do_list(t, &q, reply);
		break;
	case FT_DTCP_M_REFRESH:
		rc = do_refresh(t, &q, reply);
		break;
	case FT_DTCP_M_NOOP:
		rc = do_noop(t, &q, reply);
		break;
	case FT_DTCP_M_OTHER:
	default:
		t->broke = FT_RULES_METHOD_UNKNOWN;
		rc = send_error(t, reply, &q, 501, 0);
		break;
	}
	return reply_done(t, sid, now_ns, reply, rc);
}

/* Timeouts (profile draft). */

static const char *
expired(const struct ft_rule *r, uint64_t now)
{
	uint64_t since;

	if (r->flags & FT_RULE_STATIC)
		return NULL;
	if (r->timeout_idle_ns != 0) {
		since = r->last_match_ns > r->added_ns ? r->last_match_ns :
		    r->added_ns;
		if (now >= since && now - since >= r->timeout_idle_ns)
			return "idle";
	}
	if (r->timeout_total_ns != 0 && now >= r->added_ns &&
	    now - r->added_ns >= r->timeout_total_ns)
		return "total";
	if (r->timeout_packets != 0 && r->match_packets >= r->timeout_packets)
		return "packets";
	if (r->timeout_bytes != 0 && r->match_bytes >= r->timeout_bytes)
		return "bytes";
	return NULL;
}

void
ft_tasking_tick(struct ft_tasking *t, uint64_t now_ns)
{
	unsigned i = 0;

	/*
	 * Only profile draft has timeouts (ft_rule_from_add refuses them
	 * elsewhere), so the other profiles skip the walk: this runs for
	 * every packet.
	 */
	if (t->profile != FT_PROFILE_DRAFT)
		return;

	while (i < ft_classify_count(t->table)) {
		const struct ft_rule *r = ft_classify_at(t->table, i);
		const char *why = expired(r, now_ns);
		char who[FT_NAME_MAX + 1];
		uint64_t id = r->id;

		if (why == NULL) {
			i++;
			continue;
		}
		memcpy(who, r->csource, sizeof(who));
		who[FT_NAME_MAX] = '\0';
		snprintf(t->reason, sizeof(t->reason),
		    "criterion %llu expired (%s)", (unsigned long long)id,
		    why);
		if (ft_classify_del(t->table, id) != 0) {
			i++;	/* cannot happen: do not loop forever */
			continue;
		}
		emit(t, FT_EV_EXPIRE, now_ns, NULL, who, 0, t->reason, NULL,
		    0);
	}
}
