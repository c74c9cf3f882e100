/*
 * err.h - error codes and the caller-supplied error message buffer.
 *
 * Functions return 0 on success or a negative FT_E* code; when the caller
 * passes a struct ft_err, a one-line message in the project's grammar
 * (lower case, what failed first, subject quoted, where) is written to it.
 */
#ifndef FT_ERR_H
#define FT_ERR_H

#include <stddef.h>

enum {
	FT_EOK = 0,
	FT_EINVAL = -1,		/* bad input: syntax, range, semantics */
	FT_ENOMEM = -2,		/* allocation failed */
	FT_EIO = -3,		/* read/write/open failed */
	FT_ELIMIT = -4,		/* a cap of limits.h was exceeded */
	FT_EFORMAT = -5,	/* a file is not of the expected format */
	FT_ENOENT = -6,		/* a named thing does not exist */
	FT_EINTR = -7,		/* stopped by a signal (replay: SIGINT/TERM) */
};

#define FT_ERR_MSG_MAX 512

struct ft_err {
	char msg[FT_ERR_MSG_MAX];
};

#if defined(__GNUC__)
#define FT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define FT_FALLTHROUGH __attribute__((fallthrough))
#else
#define FT_PRINTF(a, b)
#define FT_FALLTHROUGH
#endif

/*
 * Format a message into e (if e is not NULL) and return code, so callers
 * can write "return ft_err_set(e, FT_EINVAL, "...", ...);".
 */
int ft_err_set(struct ft_err *e, int code, const char *fmt, ...) FT_PRINTF(3, 4);

/* The fixed name of an FT_E* code ("invalid input", "out of memory"...). */
const char *ft_err_name(int code);

#endif
