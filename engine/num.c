#include "num.h"
#include "err.h"

int
ft_num_u64(const char *s, size_t len, unsigned maxdigits, uint64_t min,
    uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > maxdigits || len > 20)
		return FT_EINVAL;
	for (i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return FT_EINVAL;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return FT_ELIMIT;
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return FT_ELIMIT;
	*out = v;
	return 0;
}

int
ft_num_seconds_ns(const char *s, size_t len, uint64_t maxsec,
    uint64_t *out_ns)
{
	size_t dot = len, i;
	uint64_t sec, frac = 0;
	int rc;

	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			dot = i;
			break;
		}
	}
	rc = ft_num_u64(s, dot, 20, 0, maxsec, &sec);
	if (rc != 0)
		return rc;
	if (dot < len) {
		size_t nf = len - dot - 1;

		if (nf == 0 || nf > 9)
			return FT_EINVAL;
		rc = ft_num_u64(s + dot + 1, nf, 9, 0, 999999999, &frac);
		if (rc != 0)
			return rc;
		for (i = nf; i < 9; i++)
			frac *= 10;
	}
	if (sec > (UINT64_MAX - frac) / 1000000000ULL)
		return FT_ELIMIT;
	*out_ns = sec * 1000000000ULL + frac;
	return 0;
}
