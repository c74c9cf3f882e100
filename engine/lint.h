/*
 * lint.h - `flowtap lint`: judge a mediation device's DTCP output
 * against the rules of docs/dtcp.md, docs/parameters.md and
 * docs/scripts.md, message by message, with the rule catalogue
 * of rules.h.
 *
 * The linter does not re-implement the router: every message goes
 * through the engine's own tasking (ft_tasking_request: the one parser,
 * ft_dtcp_parse, the one ADD validation, ft_rule_from_add, the one
 * request order), with the sessions, restarts and times the input
 * gives, so a message the engine rejects always gets a MUST finding
 * and a message it accepts never does. On top come the checks a router
 * does not make (SHOULD and INFO: typos in X- names, duplicates,
 * trailing spaces, criteria that can never match, DELETEs that keep
 * STATIC criteria, no re-ADD after a restart) and, for every rejected
 * message, the other rules it breaks that do not depend on state.
 *
 * Inputs:
 *   script      script files (docs/scripts.md: @ directives, # comments, "auto"
 *               MACs and Seqs), as replay and client read them;
 *   dfcclient   Juniper's dfcclient.pl parameter files: messages
 *               separated by empty lines, no Authentication-Info (the
 *               sender appends it: seed-79);
 *   transcript  a dtcp.log of replay or serve (or a real router's, in
 *               that layout): the requests are judged as above, and the
 *               router's side too - each reply's MAC, SEQ, version and
 *               code against the engine's answer.
 */
#ifndef FT_LINT_H
#define FT_LINT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "routercfg.h"
#include "rules.h"
#include "tasking.h"

enum ft_lint_form {
	FT_LINT_AUTO = 0,	/* transcript, dfcclient or script by content */
	FT_LINT_SCRIPT,
	FT_LINT_DFCCLIENT,
	FT_LINT_TRANSCRIPT,
};

enum ft_lint_format {
	FT_LINT_TEXT = 0,
	FT_LINT_JSON,
	FT_LINT_JUNIT,
};

struct ft_lint_opts {
	const struct ft_routercfg *router;	/* NULL: the seed's */
	enum ft_profile profile;
	const char *key;	/* DTCP key, NULL: "Juniper"; never printed */
	size_t keylen;
	enum ft_lint_form form;
	/*
	 * The login user of messages outside any @session (scripts) and of
	 * parameter files, as `flowtap client --user` / dfcclient.pl's
	 * user_name; NULL: one implicit session per Csource-ID (replay's
	 * way).
	 */
	const char *user;
	/* Show the bytes a MAC covers, escaped, under a MAC finding. */
	int explain_mac;
};

/* What happened to a message at the router. */
enum ft_lint_outcome {
	FT_LINT_OUT_NONE = 0,	/* transcript: nothing recorded */
	FT_LINT_OUT_REPLY,	/* answered with code */
	FT_LINT_OUT_DROP,	/* dropped unanswered, logged with code */
	FT_LINT_OUT_NOT_SENT,	/* no session: never reached the router */
};

struct ft_lint_finding {
	unsigned line;			/* line in the file, 0: the file */
	enum ft_rules_id rule;
	unsigned msg;			/* 1-based message index, 0: none */
	char *text;			/* the message, one line */
	char *detail;			/* more lines (--explain-mac), or NULL */
};

struct ft_lint_message {
	unsigned line;			/* first line in the file */
	char method[16];		/* as sent, "" when unreadable */
	char csource[FT_NAME_MAX + 1];
	enum ft_lint_outcome outcome;	/* the engine's answer */
	int code;
	enum ft_rules_id rule;		/* of a rejection, else NONE */
	/* Transcripts: what the router recorded. */
	enum ft_lint_outcome recorded;
	int recorded_code;
};

struct ft_lint_file {
	char *name;
	enum ft_lint_form form;
	struct ft_lint_message *msgs;
	size_t nmsgs;
	struct ft_lint_finding *f;
	size_t nf;
	unsigned count[3];		/* findings by severity */
};

/*
 * Lint text[0..len) (name is used in findings). Returns 0 with *out
 * set (free with ft_lint_file_free) - a file that cannot be parsed as
 * its form is a finding, not an error - or FT_ENOMEM / FT_EINVAL (bad
 * options) with e set.
 */
int ft_lint_text(struct ft_lint_file **out, const char *name,
    const char *text, size_t len, const struct ft_lint_opts *o,
    struct ft_err *e);

/* Read path ("-": standard input) and lint it. FT_EIO if unreadable. */
int ft_lint_path(struct ft_lint_file **out, const char *path,
    const struct ft_lint_opts *o, struct ft_err *e);

/* NULL is a no-op. */
void ft_lint_file_free(struct ft_lint_file *f);

/*
 * Write the findings of files[0..n): text (one finding per line,
 * "file:line: RULE-ID SEVERITY: message (reference)", then a summary
 * line), JSON, or JUnit XML (a test suite per file, a test case per
 * message, MUST findings as failures). Returns 0 or FT_EIO.
 */
int ft_lint_write(FILE *fp, enum ft_lint_format fmt,
    struct ft_lint_file *const *files, size_t n);

/* Exit status of `flowtap lint`: 1 when any MUST finding, else 0. */
int ft_lint_status(struct ft_lint_file *const *files, size_t n);

/*
 * The rule catalogue as text (one rule a line) or as the Markdown of
 * docs/rules.md. Returns 0 or FT_EIO.
 */
int ft_lint_write_rules(FILE *fp, int markdown);

#endif
