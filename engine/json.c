/*
 * json.c - a small bounded JSON reader (json.h). Recursive descent over
 * the text with a depth cap; nodes and strings come from two arenas
 * sized from the input, so a document is two allocations.
 */
#include "json.h"

#include <stdlib.h>
#include <string.h>

#include "limits.h"

struct ft_json {
	struct ft_json_node *nodes;
	size_t nnodes, capnodes;
	char *strs;		/* unescaped strings and number texts */
	size_t nstrs, capstrs;
	struct ft_json_node *root;
};

struct parser {
	const char *s;
	size_t len, pos;
	struct ft_json *j;
	struct ft_err *e;
	unsigned depth;
};

static int
fail(struct parser *p, int code, const char *what)
{
	return ft_err_set(p->e, code, "json byte %zu: %s", p->pos, what);
}

static void
ws(struct parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' ||
	    p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
	    p->s[p->pos] == '\r'))
		p->pos++;
}

static struct ft_json_node *
node(struct parser *p, enum ft_json_type t)
{
	struct ft_json_node *n;

	if (p->j->nnodes == p->j->capnodes)
		return NULL;
	n = &p->j->nodes[p->j->nnodes++];
	memset(n, 0, sizeof(*n));
	n->type = t;
	return n;
}

/* Room for n more bytes in the string arena (sized to the input). */
static char *
str_put(struct parser *p, const char *b, size_t n)
{
	char *d;

	if (p->j->nstrs + n + 1 > p->j->capstrs)
		return NULL;
	d = p->j->strs + p->j->nstrs;
	memcpy(d, b, n);
	d[n] = '\0';
	p->j->nstrs += n + 1;
	return d;
}

static int
hex4(struct parser *p, unsigned *v)
{
	unsigned i, c;

	if (p->pos + 4 > p->len)
		return fail(p, FT_EFORMAT, "short \\u escape");
	*v = 0;
	for (i = 0; i < 4; i++) {
		c = (unsigned char)p->s[p->pos++];
		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*v |= c - 'A' + 10;
		else
			return fail(p, FT_EFORMAT, "bad \\u escape");
	}
	return 0;
}

/* A string at p->pos (the opening quote), unescaped into the arena. */
static int
string(struct parser *p, const char **out)
{
	char *d = p->j->strs + p->j->nstrs;
	size_t n = 0, room = p->j->capstrs - p->j->nstrs;
	unsigned cp, lo;
	int rc;

	p->pos++;
	for (;;) {
		unsigned char c;

		if (p->pos >= p->len)
			return fail(p, FT_EFORMAT, "unterminated string");
		c = (unsigned char)p->s[p->pos++];
		if (c == '"')
			break;
		if (c < 0x20)
			return fail(p, FT_EFORMAT, "control byte in a string");
		if (n + 5 >= room)
			return fail(p, FT_ELIMIT, "strings too long");
		if (c != '\\') {
			d[n++] = (char)c;
			continue;
		}
		if (p->pos >= p->len)
			return fail(p, FT_EFORMAT, "unterminated escape");
		c = (unsigned char)p->s[p->pos++];
		switch (c) {
		case '"': case '\\': case '/':
			d[n++] = (char)c;
			break;
		case 'b': d[n++] = '\b'; break;
		case 'f': d[n++] = '\f'; break;
		case 'n': d[n++] = '\n'; break;
		case 'r': d[n++] = '\r'; break;
		case 't': d[n++] = '\t'; break;
		case 'u':
			if ((rc = hex4(p, &cp)) != 0)
				return rc;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (p->pos + 2 > p->len || p->s[p->pos] != '\\' ||
				    p->s[p->pos + 1] != 'u')
					return fail(p, FT_EFORMAT,
					    "lone surrogate");
				p->pos += 2;
				if ((rc = hex4(p, &lo)) != 0)
					return rc;
				if (lo < 0xdc00 || lo > 0xdfff)
					return fail(p, FT_EFORMAT,
					    "bad surrogate pair");
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp <= 0xdfff) {
				return fail(p, FT_EFORMAT, "lone surrogate");
			}
			if (cp == 0)
				return fail(p, FT_EFORMAT, "NUL in a string");
			if (cp < 0x80) {
				d[n++] = (char)cp;
			} else if (cp < 0x800) {
				d[n++] = (char)(0xc0 | (cp >> 6));
				d[n++] = (char)(0x80 | (cp & 0x3f));
			} else if (cp < 0x10000) {
				d[n++] = (char)(0xe0 | (cp >> 12));
				d[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
				d[n++] = (char)(0x80 | (cp & 0x3f));
			} else {
				d[n++] = (char)(0xf0 | (cp >> 18));
				d[n++] = (char)(0x80 | ((cp >> 12) & 0x3f));
				d[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
				d[n++] = (char)(0x80 | (cp & 0x3f));
			}
			break;
		default:
			return fail(p, FT_EFORMAT, "bad escape");
		}
	}
	d[n] = '\0';
	p->j->nstrs += n + 1;
	*out = d;
	return 0;
}

static int
number(struct parser *p, const char **out)
{
	size_t start = p->pos;

#define DIGITS() while (p->pos < p->len && p->s[p->pos] >= '0' &&	\
	    p->s[p->pos] <= '9') p->pos++
	if (p->pos < p->len && p->s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9')
		return fail(p, FT_EFORMAT, "bad number");
	if (p->s[p->pos] == '0')
		p->pos++;
	else
		DIGITS();
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		if (p->pos >= p->len || p->s[p->pos] < '0' ||
		    p->s[p->pos] > '9')
			return fail(p, FT_EFORMAT, "bad number");
		DIGITS();
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (p->s[p->pos] == '+' ||
		    p->s[p->pos] == '-'))
			p->pos++;
		if (p->pos >= p->len || p->s[p->pos] < '0' ||
		    p->s[p->pos] > '9')
			return fail(p, FT_EFORMAT, "bad number");
		DIGITS();
	}
#undef DIGITS
	*out = str_put(p, p->s + start, p->pos - start);
	if (*out == NULL)
		return fail(p, FT_ELIMIT, "strings too long");
	return 0;
}

static int value(struct parser *p, struct ft_json_node **out);

static int
literal(struct parser *p, const char *word, enum ft_json_type t,
    struct ft_json_node **out)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
		return fail(p, FT_EFORMAT, "unexpected character");
	p->pos += n;
	*out = node(p, t);
	if (*out == NULL)
		return fail(p, FT_ELIMIT, "too many values");
	(*out)->text = t == FT_JSON_BOOL ? (word[0] == 't' ? "true" :
	    "false") : "null";
	return 0;
}

/* An array or object at p->pos. */
static int
container(struct parser *p, int obj, struct ft_json_node **out)
{
	struct ft_json_node *n, *last = NULL, *v;
	const char *key = NULL;
	int rc;

	if (++p->depth > FT_JSON_DEPTH_MAX)
		return fail(p, FT_ELIMIT, "nested too deep");
	n = node(p, obj ? FT_JSON_OBJ : FT_JSON_ARR);
	if (n == NULL)
		return fail(p, FT_ELIMIT, "too many values");
	p->pos++;
	ws(p);
	if (p->pos < p->len && p->s[p->pos] == (obj ? '}' : ']')) {
		p->pos++;
		goto done;
	}
	for (;;) {
		ws(p);
		if (obj) {
			if (p->pos >= p->len || p->s[p->pos] != '"')
				return fail(p, FT_EFORMAT, "expected a name");
			if ((rc = string(p, &key)) != 0)
				return rc;
			ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':')
				return fail(p, FT_EFORMAT, "expected ':'");
			p->pos++;
		}
		if ((rc = value(p, &v)) != 0)
			return rc;
		v->key = key;
		if (last == NULL)
			n->child = v;
		else
			last->next = v;
		last = v;
		ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == (obj ? '}' : ']')) {
			p->pos++;
			break;
		}
		return fail(p, FT_EFORMAT, obj ? "expected ',' or '}'" :
		    "expected ',' or ']'");
	}
done:
	p->depth--;
	*out = n;
	return 0;
}

static int
value(struct parser *p, struct ft_json_node **out)
{
	const char *t;
	char c;
	int rc;

	ws(p);
	if (p->pos >= p->len)
		return fail(p, FT_EFORMAT, "expected a value");
	c = p->s[p->pos];
	if (c == '{' || c == '[')
		return container(p, c == '{', out);
	if (c == '"') {
		if ((rc = string(p, &t)) != 0)
			return rc;
		*out = node(p, FT_JSON_STR);
		if (*out == NULL)
			return fail(p, FT_ELIMIT, "too many values");
		(*out)->text = t;
		return 0;
	}
	if (c == 't')
		return literal(p, "true", FT_JSON_BOOL, out);
	if (c == 'f')
		return literal(p, "false", FT_JSON_BOOL, out);
	if (c == 'n')
		return literal(p, "null", FT_JSON_NULL, out);
	if ((rc = number(p, &t)) != 0)
		return rc;
	*out = node(p, FT_JSON_NUM);
	if (*out == NULL)
		return fail(p, FT_ELIMIT, "too many values");
	(*out)->text = t;
	return 0;
}

int
ft_json_parse(struct ft_json **out, const char *text, size_t len,
    struct ft_err *e)
{
	struct parser p;
	struct ft_json *j;
	int rc;

	*out = NULL;
	if (len > FT_JSON_FILE_MAX)
		return ft_err_set(e, FT_ELIMIT, "json: larger than %d bytes",
		    FT_JSON_FILE_MAX);
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return ft_err_set(e, FT_ENOMEM, "out of memory");
	/* A value takes at least one byte of input (+1: an empty text). */
	j->capnodes = len + 1 < FT_JSON_NODES_MAX ? len + 1 : FT_JSON_NODES_MAX;
	/*
	 * Unescaped text is never longer than its source; each string's
	 * or number's NUL is paid for by the byte after it, but for a
	 * lone number at the very end: a few spare bytes.
	 */
	j->capstrs = len + 8;
	j->nodes = malloc(j->capnodes * sizeof(*j->nodes));
	j->strs = malloc(j->capstrs);
	if (j->nodes == NULL || j->strs == NULL) {
		ft_json_free(j);
		return ft_err_set(e, FT_ENOMEM, "out of memory");
	}
	memset(&p, 0, sizeof(p));
	p.s = text;
	p.len = len;
	p.j = j;
	p.e = e;
	rc = value(&p, &j->root);
	if (rc == 0) {
		ws(&p);
		if (p.pos != p.len)
			rc = fail(&p, FT_EFORMAT, "text after the value");
	}
	if (rc != 0) {
		ft_json_free(j);
		return rc;
	}
	*out = j;
	return 0;
}

const struct ft_json_node *
ft_json_root(const struct ft_json *j)
{
	return j->root;
}

const struct ft_json_node *
ft_json_get(const struct ft_json_node *n, const char *path)
{
	const char *dot;
	size_t len;

	while (n != NULL && *path != '\0') {
		const struct ft_json_node *c;

		if (n->type != FT_JSON_OBJ)
			return NULL;
		dot = strchr(path, '.');
		len = dot ? (size_t)(dot - path) : strlen(path);
		for (c = n->child; c != NULL; c = c->next)
			if (strlen(c->key) == len &&
			    memcmp(c->key, path, len) == 0)
				break;
		n = c;
		path += len;
		if (*path == '.')
			path++;
	}
	return n;
}

uint64_t
ft_json_u64(const struct ft_json_node *n, uint64_t def)
{
	const char *s;
	uint64_t v = 0;

	if (n == NULL || n->type != FT_JSON_NUM)
		return def;
	for (s = n->text; *s != '\0'; s++) {
		uint64_t d = (uint64_t)(*s - '0');

		if (*s < '0' || *s > '9' || v > UINT64_MAX / 10 ||
		    (v == UINT64_MAX / 10 && d > UINT64_MAX % 10))
			return def;
		v = v * 10 + d;
	}
	return v;
}

double
ft_json_num(const struct ft_json_node *n, double def)
{
	if (n == NULL || n->type != FT_JSON_NUM)
		return def;
	return strtod(n->text, NULL);
}

const char *
ft_json_str(const struct ft_json_node *n, const char *def)
{
	if (n == NULL || n->type != FT_JSON_STR)
		return def;
	return n->text;
}

void
ft_json_free(struct ft_json *j)
{
	if (j == NULL)
		return;
	free(j->nodes);
	free(j->strs);
	free(j);
}
