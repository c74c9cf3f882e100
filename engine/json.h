/*
 * json.h - a small bounded JSON reader (RFC 8259) for the report
 * generator: report.json of a replay or serve output folder is read back
 * into a tree. Untrusted input: depth, node count and size are capped
 * (limits.h), every string is checked and unescaped (\u escapes to
 * UTF-8, surrogate pairs joined), numbers are kept as text.
 */
#ifndef FT_JSON_H
#define FT_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum ft_json_type {
	FT_JSON_NULL,
	FT_JSON_BOOL,
	FT_JSON_NUM,
	FT_JSON_STR,
	FT_JSON_ARR,
	FT_JSON_OBJ
};

struct ft_json_node {
	enum ft_json_type type;
	const char *key;	/* member name inside an object, else NULL */
	const char *text;	/* STR: unescaped; NUM: as written; BOOL: "true"/"false" */
	struct ft_json_node *child;	/* ARR/OBJ: first element */
	struct ft_json_node *next;	/* next sibling */
};

struct ft_json;

/*
 * Parse text[0..len) (the whole of it: one value, white space around).
 * Returns 0 with *out set (free with ft_json_free), or FT_EFORMAT /
 * FT_ELIMIT / FT_ENOMEM with e set to "json byte N: what".
 */
int ft_json_parse(struct ft_json **out, const char *text, size_t len,
    struct ft_err *e);

/* The root value. */
const struct ft_json_node *ft_json_root(const struct ft_json *j);

/*
 * The value at a dotted path of member names below n ("ingress.bytes"),
 * or NULL (n NULL, not an object, no such member).
 */
const struct ft_json_node *ft_json_get(const struct ft_json_node *n,
    const char *path);

/* A non-negative integer value, or def (absent, not an integer). */
uint64_t ft_json_u64(const struct ft_json_node *n, uint64_t def);

/* A number as a double (strtod in the C locale), or def. */
double ft_json_num(const struct ft_json_node *n, double def);

/* A string value, or def (absent, not a string). */
const char *ft_json_str(const struct ft_json_node *n, const char *def);

/* NULL is a no-op. */
void ft_json_free(struct ft_json *j);

#endif
