/*
 * script.h - fixture scripts (SPEC 9): DTCP messages as a mediation
 * device sends them, '@' directives and '#' comments, parsed into a list
 * of timed events.
 */
#ifndef FT_SCRIPT_H
#define FT_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "limits.h"

enum ft_script_kind {
	FT_SCRIPT_MSG,		/* a DTCP message */
	FT_SCRIPT_SESSION,	/* @session NAME user=U password=P [from=A] */
	FT_SCRIPT_CLOSE,	/* @close [NAME] */
	FT_SCRIPT_RESTART,	/* @restart [REASON] */
};

struct ft_script_event {
	enum ft_script_kind kind;
	uint64_t at_ns;		/* offset from the first packet (@at) */
	unsigned line;		/* first line in the script file */
	char name[FT_NAME_MAX + 1];	/* session name (SESSION, CLOSE) */
	char user[FT_NAME_MAX + 1];
	char password[FT_NAME_MAX + 1];
	char from[FT_NAME_MAX + 1];
	char reason[FT_DTCP_LINE_MAX + 1];	/* RESTART */
	/*
	 * MSG: the message with CRLF line ends and its empty last line;
	 * "Authentication-Info: auto" already replaced by the MAC.
	 */
	char *msg;
	size_t msg_len;
	/* MSG: the Csource-ID value (for the implicit session), or "". */
	char csource[FT_NAME_MAX + 1];
	/*
	 * MSG: the value of the message's first Seq line before
	 * Authentication-Info ("Seq: auto" already numbered), when it is a
	 * decimal number (has_seq 1); else has_seq 0 and seq 0.
	 */
	int has_seq;
	uint64_t seq;
};

struct ft_script {
	struct ft_script_event *ev;
	size_t n;
};

/*
 * Parse script text; name is used in messages ("name:line: ..."); key is
 * the DTCP key for "auto" MACs. "Seq: auto" becomes the next Seq of the
 * message's control source (one more than the highest Seq of its earlier
 * messages in the script, literal or auto; 1 for its first), before the
 * MAC is computed. Returns 0, or FT_EINVAL / FT_ELIMIT / FT_ENOMEM with e
 * set to one line naming name:line.
 */
int ft_script_parse(struct ft_script *s, const char *text, size_t len,
    const char *name, const char *key, size_t keylen, struct ft_err *e);

/*
 * The same, a control source's first "Seq: auto" being seq_first instead
 * of 1 (0 counts as 1): a mediation device that runs a script again
 * against a router that remembers its Seq (flowtap client --seq-from).
 */
int ft_script_parse_seq(struct ft_script *s, const char *text, size_t len,
    const char *name, const char *key, size_t keylen, uint64_t seq_first,
    struct ft_err *e);

/* Read a file ("-": standard input) and parse it. FT_EIO if unreadable. */
int ft_script_load(struct ft_script *s, const char *path, const char *key,
    size_t keylen, struct ft_err *e);

/* Read a file and parse it with ft_script_parse_seq. */
int ft_script_load_seq(struct ft_script *s, const char *path, const char *key,
    size_t keylen, uint64_t seq_first, struct ft_err *e);

/* Free what parse allocated (passwords wiped); s may be zeroed. */
void ft_script_release(struct ft_script *s);

#endif
