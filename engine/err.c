#include "err.h"

#include <stdarg.h>
#include <stdio.h>

int
ft_err_set(struct ft_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e != NULL) {
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

const char *
ft_err_name(int code)
{
	switch (code) {
	case FT_EOK:
		return "success";
	case FT_EINVAL:
		return "invalid input";
	case FT_ENOMEM:
		return "out of memory";
	case FT_EIO:
		return "input/output error";
	case FT_ELIMIT:
		return "limit exceeded";
	case FT_EFORMAT:
		return "bad file format";
	case FT_ENOENT:
		return "not found";
	case FT_EINTR:
		return "interrupted";
	}
	return "unknown error";
}
