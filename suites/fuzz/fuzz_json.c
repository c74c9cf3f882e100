/*
 * fuzz_json.c - libFuzzer target: the JSON reader flowtap report uses on
 * report.json (json.h).
 *
 * The input is a whole file. ft_json_parse must either fail with one
 * message line, or give a tree whose every string is NUL-terminated and
 * whose paths can be walked; ft_json_free frees it all (LeakSanitizer).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
walk(const struct ft_json_node *n, unsigned depth)
{
	size_t count = 0;

	for (; n != NULL; n = n->next) {
		count++;
		if (n->text != NULL)
			count += strlen(n->text) > 0;
		if (n->key != NULL)
			(void)strlen(n->key);
		if (depth < 100)
			count += walk(n->child, depth + 1);
	}
	return count;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ft_json *j = NULL;
	struct ft_err e;
	const struct ft_json_node *r;

	e.msg[0] = '\0';
	if (ft_json_parse(&j, (const char *)data, size, &e) != 0) {
		if (memchr(e.msg, '\0', sizeof(e.msg)) == NULL ||
		    strchr(e.msg, '\n') != NULL || e.msg[0] == '\0')
			__builtin_trap();
		return 0;
	}
	r = ft_json_root(j);
	(void)walk(r, 0);
	(void)ft_json_u64(ft_json_get(r, "ingress.bytes.offered"), 0);
	(void)ft_json_num(ft_json_get(r, "run.duration_s"), 0);
	(void)ft_json_str(ft_json_get(r, "inputs.trace"), NULL);
	ft_json_free(j);
	return 0;
}
