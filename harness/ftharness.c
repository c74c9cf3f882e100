/*
 * ftharness - the conformance runner (SPEC 11, docs/harness.md).
 *
 * Discovers suites/<area>/<NNN-slug>/manifest, runs each case through
 * "flowtap replay" in build/suites/<area>/<NNN-slug>/, compares the outputs
 * with the goldens byte for byte (explaining a difference decoded),
 * cross-checks the copies with tshark, and prints "N passed, N failed" as
 * its last line. --coverage prints the traceability matrix of the seed
 * guide's normative sentences instead.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "hlib.h"
#include "num.h"

#define MAX_OPTS	64	/* options: tokens of one case */
#define MAX_SPECS	32	/* spec: lines of one case */
#define MAX_XCHECKS	32	/* xcheck: lines of one case */
#define MAX_JOBS	64	/* -j bound */
#define MANIFEST_MAX	(64 * 1024)
#define RUN_TIMEOUT	300	/* seconds for one flowtap run (ASan) */
#define TOOL_TIMEOUT	120	/* seconds for one pktgen/tshark run */
#define WORK_ROOT	"build/suites"	/* default --work */
#define DEFAULT_CORPUS	"../shared/traces/tcpdump"
#define MALFORMED	"_ws.malformed || _ws.expert.severity == error"
#define JMIRROR_AS	"udp.port==30030,jmirror"

enum trace_kind { TRACE_NONE, TRACE_GEN, TRACE_CORPUS, TRACE_FILE };
enum status { ST_OK, ST_FAIL, ST_SKIP, ST_UPDATED };

static const char *const outputs[] = {
	"intercept.pcap", "dtcp.log", "ledger.tsv", "report.json",
};
#define NOUTPUTS (sizeof(outputs) / sizeof(outputs[0]))
/*
 * Goldens a case may have: compared (and rewritten by --update) only
 * when the case folder holds one (the budget cases' hand-made rates).
 */
static const char *const optional_outputs[] = { "rates.csv", "csources.csv" };
#define NOPTIONAL (sizeof(optional_outputs) / sizeof(optional_outputs[0]))

struct xcheck {
	char	*cdest;
	char	*trace;
	int	 line;
};

struct tcase {
	char		*name;		/* area/NNN-slug */
	char		*dir;		/* SUITES/area/NNN-slug */
	char		*mpath;		/* DIR/manifest */
	char		*purpose;
	char		*spec[MAX_SPECS];
	size_t		 nspec;
	enum trace_kind	 tkind;
	char		*targ;
	int		 tline;
	char		*script;
	int		 sline;
	char		*config;	/* NULL: the seed config */
	int		 cline;
	char		*optstr;
	char		*opt[MAX_OPTS + 1];
	size_t		 nopt;
	int		 exit_code;
	struct xcheck	 xc[MAX_XCHECKS];
	size_t		 nxc;
	char		*bad;		/* manifest error, or NULL */
	/* result */
	int		 done;
	enum status	 st;
	struct hl_buf	 msg;
};

struct normative {
	char	*id;
	char	*kind;
	char	*text;
};

static struct {
	const char	*suites;
	const char	*flowtap;
	char		 flowtap_abs[PATH_MAX];
	char		 pktgen[PATH_MAX];
	const char	*normfile;
	const char	*junit;
	const char	*corpus;
	const char	*work;
	unsigned	 jobs;
	int		 update;
	int		 list;
	int		 tap;
	int		 coverage;
	int		 no_xcheck;
	int		 verbose;
	int		 have_tshark;
	char		 tshark_stamp[64];	/* size.mtime of tshark */
	unsigned	 shard_k, shard_n;	/* --shard K/N, 0/0: all */
	struct normative *norm;
	size_t		 nnorm;
	int		 norm_loaded;
} g;

static struct tcase *cases;
static size_t ncases, capcases;

static const char usage[] =
"usage: ftharness [options] [PATTERN...]\n"
"\n"
"Run the conformance cases SUITES/<area>/<NNN-slug>/ (or those whose name\n"
"equals or fnmatch(3)-matches a PATTERN, e.g. 'budget/*', '*restart*'),\n"
"compare their outputs with the goldens and print 'N passed, N failed'.\n"
"Paths in a manifest are relative to its folder; any folder will do as\n"
"the current one.\n"
"\n"
"  --suites DIR       case tree (default suites)\n"
"  --flowtap PATH     binary under test (default build/release/flowtap\n"
"                     when it exists, else the flowtap beside ftharness,\n"
"                     else flowtap in PATH); pktgen is taken from the\n"
"                     same directory, else beside ftharness, else\n"
"                     ../libexec/flowtap beside it (make install),\n"
"                     else PATH\n"
"  -j N               run N cases at once (default 1)\n"
"  --shard K/N        run only the K-th of N shares of the selected cases\n"
"                     (every N-th case from the K-th, 1 <= K <= N), to\n"
"                     split a suite across CI jobs\n"
"  --work DIR         work folders DIR/<area>/<NNN-slug> (default\n"
"                     build/suites)\n"
"  --update           rewrite the goldens from this run (review the diff)\n"
"  --list             print the selected case names and exit\n"
"  --junit FILE       also write JUnit XML\n"
"  --tap              print TAP instead of the plain report\n"
"  --coverage         print the traceability matrix (Markdown) and exit\n"
"  --normative FILE   normative sentences (default SUITES/normative.txt;\n"
"                     with one, every case needs a 'spec: seed:ID' or\n"
"                     'spec: SPEC N' line, without, 'spec:' is free text\n"
"                     and optional)\n"
"  --no-xcheck        skip the tshark cross-checks\n"
"  -v, --verbose      print each case's purpose under its result\n"
"Exit status: 0 all passed, 1 a case failed, 2 bad usage.\n";

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL) {
		fprintf(stderr, "ftharness: out of memory\n");
		exit(2);
	}
	return p;
}

static char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* snprintf into a path buffer; a cut path is an error. */
static int
mkpath(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
mkpath(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return (r < 0 || (size_t)r >= n) ? -1 : 0;
}

static int
is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int
is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- files ---- */

static int
rm_rf(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char sub[PATH_MAX];
	int rc = 0;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (mkpath(sub, sizeof(sub), "%s/%s", path, e->d_name) != 0 ||
		    rm_rf(sub) != 0)
			rc = -1;
	}
	closedir(d);
	if (rmdir(path) != 0)
		rc = -1;
	return rc;
}

static int
mkdir_p(const char *path)
{
	char tmp[PATH_MAX];
	size_t i, n = strlen(path);

	if (n >= sizeof(tmp))
		return -1;
	memcpy(tmp, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
			return -1;
		tmp[i] = path[i];
	}
	return 0;
}

static int
write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Copy src to dst through dst.tmp and a rename. */
static int
copy_file(const char *src, const char *dst)
{
	unsigned char *buf;
	size_t len;
	char tmp[PATH_MAX];
	int fd, rc;

	if (hl_file_read(src, &buf, &len) != 0)
		return -1;
	if (mkpath(tmp, sizeof(tmp), "%s.tmp", dst) != 0) {
		free(buf);
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		free(buf);
		return -1;
	}
	rc = write_all(fd, buf, len);
	if (close(fd) != 0)
		rc = -1;
	free(buf);
	if (rc == 0)
		rc = rename(tmp, dst);
	if (rc != 0)
		unlink(tmp);
	return rc;
}

/*
 * report.json's "flowtap_version" line (the first key, on a line of its
 * own) is not compared: a version bump would otherwise change every
 * golden. Blank out its value in buf (len bytes), in place.
 */
#define VERSION_KEY	"\n  \"flowtap_version\": \""

static void
mask_version(unsigned char *buf, size_t len)
{
	size_t k = sizeof(VERSION_KEY) - 1, i;

	for (i = 0; i + k <= len; i++) {
		if (memcmp(buf + i, VERSION_KEY, k) != 0)
			continue;
		for (i += k; i < len && buf[i] != '"' && buf[i] != '\n'; i++)
			buf[i] = '*';
		return;
	}
}

/* Whether two report.json files are equal but for the version's value. */
static int
same_report(const char *a, const char *b)
{
	unsigned char *x, *y;
	size_t lx, ly;
	int same;

	if (hl_file_read(a, &x, &lx) != 0)
		return 0;
	if (hl_file_read(b, &y, &ly) != 0) {
		free(x);
		return 0;
	}
	mask_version(x, lx);
	mask_version(y, ly);
	same = lx == ly && memcmp(x, y, lx) == 0;
	free(x);
	free(y);
	return same;
}

/* Write path's bytes with the version masked to out; 0 or -1. */
static int
masked_copy(const char *path, const char *out)
{
	unsigned char *buf;
	size_t len;
	int fd, rc;

	if (hl_file_read(path, &buf, &len) != 0)
		return -1;
	mask_version(buf, len);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		free(buf);
		return -1;
	}
	rc = write_all(fd, buf, len);
	if (close(fd) != 0)
		rc = -1;
	free(buf);
	return rc;
}

/*
 * The text diff of two report.json files with the version masked, so
 * the explanation names a line that counts (copies in the work folder).
 */
static int
report_diff(const char *gp, const char *op, const char *w, struct hl_buf *m)
{
	char a[PATH_MAX], b[PATH_MAX];

	if (mkpath(a, sizeof(a), "%s/report.golden.masked", w) != 0 ||
	    mkpath(b, sizeof(b), "%s/report.out.masked", w) != 0 ||
	    masked_copy(gp, a) != 0 || masked_copy(op, b) != 0)
		return hl_text_diff("report.json", gp, op, "    ", m);
	return hl_text_diff("report.json", a, b, "    ", m);
}

static int
same_file(const char *a, const char *b)
{
	unsigned char *x, *y;
	size_t lx, ly;
	int same;

	if (hl_file_read(a, &x, &lx) != 0)
		return 0;
	if (hl_file_read(b, &y, &ly) != 0) {
		free(x);
		return 0;
	}
	same = lx == ly && memcmp(x, y, lx) == 0;
	free(x);
	free(y);
	return same;
}

/* First line of a file that is not tshark's "Running as user" notice. */
static void
first_line(const char *path, char *out, size_t n)
{
	unsigned char *buf;
	size_t len, i, s = 0;

	out[0] = '\0';
	if (hl_file_read(path, &buf, &len) != 0)
		return;
	for (i = 0; i <= len; i++) {
		if (i < len && buf[i] != '\n')
			continue;
		if (i > s && !(i - s > 15 &&
		    memcmp(buf + s, "Running as user", 15) == 0)) {
			size_t k = i - s < n - 1 ? i - s : n - 1;

			memcpy(out, buf + s, k);
			out[k] = '\0';
			break;
		}
		s = i + 1;
	}
	free(buf);
}

/* Append up to max lines of a file to msg, each indented. */
static void
append_lines(struct hl_buf *msg, const char *path, const char *indent,
    int max)
{
	unsigned char *buf;
	size_t len, i, s = 0;
	int n = 0;

	if (hl_file_read(path, &buf, &len) != 0)
		return;
	for (i = 0; i < len && n < max; i++) {
		if (buf[i] != '\n')
			continue;
		hl_buf_printf(msg, "%s", indent);
		hl_buf_put(msg, (const char *)buf + s,
		    i - s > 400 ? 400 : i - s);
		hl_buf_put(msg, "\n", 1);
		n++;
		s = i + 1;
	}
	if (n < max && s < len) {
		hl_buf_printf(msg, "%s", indent);
		hl_buf_put(msg, (const char *)buf + s,
		    len - s > 400 ? 400 : len - s);
		hl_buf_put(msg, "\n", 1);
	}
	free(buf);
}

/* ---- processes ---- */

/*
 * Run argv (execvp when path_search) with cwd (or NULL), stdout to
 * out_path or out_fd, stderr to err_path; kill it after timeout seconds.
 * Returns the wait status, or -1 when it could not be started.
 */
static int
run(char *const argv[], const char *cwd, const char *out_path, int out_fd,
    const char *err_path, unsigned timeout)
{
	pid_t pid;
	int st, fd;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (cwd != NULL && chdir(cwd) != 0)
			_exit(126);
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0) {
			dup2(fd, 0);
			close(fd);
		}
		if (out_fd >= 0) {
			dup2(out_fd, 1);
			close(out_fd);
		} else {
			fd = open(out_path ? out_path : "/dev/null",
			    O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd < 0)
				_exit(126);
			dup2(fd, 1);
			close(fd);
		}
		fd = open(err_path ? err_path : "/dev/null",
		    O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			_exit(126);
		dup2(fd, 2);
		close(fd);
		/* SIGALRM's default action ends a run that hangs. */
		signal(SIGALRM, SIG_DFL);
		alarm(timeout);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return st;
}

static void
describe_status(char *buf, size_t n, int st)
{
	if (st < 0)
		snprintf(buf, n, "could not be started");
	else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
		snprintf(buf, n, "timed out");
	else if (WIFSIGNALED(st))
		snprintf(buf, n, "killed by signal %d", WTERMSIG(st));
	else if (WEXITSTATUS(st) == 127)
		snprintf(buf, n, "not found (exit 127)");
	else
		snprintf(buf, n, "exit %d", WEXITSTATUS(st));
}

/* Whether prog is in PATH; stamp gets its size and mtime. */
static int
find_in_path(const char *prog, char *stamp, size_t stamplen)
{
	const char *p = getenv("PATH"), *c;
	char buf[PATH_MAX];
	struct stat st;

	if (p == NULL)
		p = "/usr/bin:/bin";
	while (*p != '\0') {
		c = strchr(p, ':');
		if (c == NULL)
			c = p + strlen(p);
		if (c > p && mkpath(buf, sizeof(buf), "%.*s/%s", (int)(c - p),
		    p, prog) == 0 && access(buf, X_OK) == 0 &&
		    stat(buf, &st) == 0) {
			snprintf(stamp, stamplen, "%lld.%lld",
			    (long long)st.st_size, (long long)st.st_mtime);
			return 1;
		}
		p = *c ? c + 1 : c;
	}
	return 0;
}

/*
 * Run tshark with argv, its standard output collected in out, standard
 * error in errpath. Returns 0, or -1 with a message in err.
 */
static int
tshark_run(char *const argv[], struct hl_buf *out, const char *errpath,
    const char *file, char *err, size_t errlen)
{
	char buf[4096], what[64], line[300];
	int pfd[2], st, fd;
	ssize_t r;
	pid_t pid;

	if (pipe(pfd) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0) {
			dup2(fd, 0);
			close(fd);
		}
		dup2(pfd[1], 1);
		close(pfd[1]);
		fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			dup2(fd, 2);
			close(fd);
		}
		signal(SIGALRM, SIG_DFL);
		alarm(TOOL_TIMEOUT);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		r = read(pfd[0], buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		hl_buf_put(out, buf, (size_t)r);
	}
	close(pfd[0]);
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			st = -1;
			break;
		}
	}
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		describe_status(what, sizeof(what), st);
		first_line(errpath, line, sizeof(line));
		snprintf(err, errlen, "tshark %s on '%s'%s%s", what, file,
		    line[0] ? ": " : "", line);
		return -1;
	}
	return 0;
}

/* The packets of file that one display filter selects, or -1. */
static long
tshark_count(const char *file, const char *filter, const char *errpath,
    char *err, size_t errlen)
{
	char *argv[] = {
		"tshark", "-n", "-r", (char *)file, "-d", JMIRROR_AS, "-Y",
		(char *)filter, "-T", "fields", "-e", "frame.number", NULL,
	};
	struct hl_buf out;
	long count = 0;
	size_t i;

	hl_buf_init(&out);
	if (tshark_run(argv, &out, errpath, file, err, errlen) != 0) {
		hl_buf_release(&out);
		return -1;
	}
	for (i = 0; i < out.len; i++)
		if (out.s[i] == '\n')
			count++;
	hl_buf_release(&out);
	return count;
}

/*
 * The xcheck cache: tshark needs about a second of CPU to start, so each
 * count it gave is kept under WORK/.xcache/ keyed by SHA-256 of the file's
 * bytes, the filter, the decode-as rule and tshark's size and mtime; the
 * same inputs give the same count, so a rerun over unchanged files needs
 * no tshark. Remove the folder (or make clean) to drop it.
 */
static int
cache_key(const unsigned char *data, size_t len, const char *filter,
    char *hex, size_t hexlen)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	EVP_MD_CTX *ctx;
	int ok;

	ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
		return -1;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, data, len) == 1 &&
	    EVP_DigestUpdate(ctx, "\0", 1) == 1 &&
	    EVP_DigestUpdate(ctx, filter, strlen(filter) + 1) == 1 &&
	    EVP_DigestUpdate(ctx, JMIRROR_AS, sizeof(JMIRROR_AS)) == 1 &&
	    EVP_DigestUpdate(ctx, g.tshark_stamp,
	    strlen(g.tshark_stamp)) == 1 &&
	    EVP_DigestFinal_ex(ctx, md, &mdlen) == 1;
	EVP_MD_CTX_free(ctx);
	if (!ok || hexlen < 2 * (size_t)mdlen + 1)
		return -1;
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}

static int
cache_get(const char *key, long *count)
{
	char path[PATH_MAX];
	unsigned char *buf;
	size_t len;
	uint64_t v;
	int rc;

	if (mkpath(path, sizeof(path), "%s/.xcache/%s", g.work, key) != 0 ||
	    hl_file_read(path, &buf, &len) != 0)
		return -1;
	while (len > 0 && buf[len - 1] == '\n')
		len--;
	rc = ft_num_u64((const char *)buf, len, 10, 0, INT32_MAX, &v);
	free(buf);
	if (rc != 0)
		return -1;
	*count = (long)v;
	return 0;
}

static void
cache_put(const char *key, long count)
{
	char dir[PATH_MAX], path[PATH_MAX], tmp[PATH_MAX], text[32];
	int fd, n;

	if (mkpath(dir, sizeof(dir), "%s/.xcache", g.work) != 0 ||
	    mkpath(path, sizeof(path), "%s/%s", dir, key) != 0 ||
	    mkpath(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid()) != 0 ||
	    mkdir_p(dir) != 0)
		return;
	n = snprintf(text, sizeof(text), "%ld\n", count);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return;
	if (write_all(fd, text, (size_t)n) != 0 || close(fd) != 0 ||
	    rename(tmp, path) != 0)
		unlink(tmp);
}

/*
 * The packets of file that each of n display filters selects: one tshark
 * pass per filter, counting the frames it prints. (tshark's io,stat would
 * do all filters in one pass, but prints no row at all when every packet
 * has the same timestamp, so a burst or a single copy would count 0.)
 * Returns 0, or -1 with a message in err.
 */
static int
tshark_counts_run(const char *file, const char *const *filter, size_t n,
    long *count, const char *errpath, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < n; i++) {
		count[i] = tshark_count(file, filter[i], errpath, err, errlen);
		if (count[i] < 0)
			return -1;
	}
	return 0;
}

/* tshark_counts_run through the cache. */
static int
tshark_counts(const char *file, const char *const *filter, size_t n,
    long *count, const char *errpath, char *err, size_t errlen)
{
	char key[MAX_XCHECKS + 1][2 * EVP_MAX_MD_SIZE + 1];
	unsigned char *data;
	size_t len, i, hits = 0;
	int keyed = 1;

	if (n == 0)
		return 0;
	if (n > MAX_XCHECKS + 1 || hl_file_read(file, &data, &len) != 0)
		return tshark_counts_run(file, filter, n, count, errpath, err,
		    errlen);
	for (i = 0; i < n; i++) {
		if (cache_key(data, len, filter[i], key[i],
		    sizeof(key[i])) != 0) {
			keyed = 0;
			break;
		}
		if (cache_get(key[i], &count[i]) == 0)
			hits++;
	}
	free(data);
	if (keyed && hits == n)
		return 0;
	if (tshark_counts_run(file, filter, n, count, errpath, err,
	    errlen) != 0)
		return -1;
	for (i = 0; keyed && i < n; i++)
		cache_put(key[i], count[i]);
	return 0;
}

/* ---- normative sentences ---- */

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		e--;
	*e = '\0';
	return s;
}

/* Load the normative list; returns 0, -1 when the file is unreadable. */
static int
load_normative(const char *path, int warn)
{
	unsigned char *buf;
	size_t len, cap = 0;
	char *line, *next, *t1, *t2;
	int lineno = 0;
	struct normative *nn;

	if (hl_file_read(path, &buf, &len) != 0)
		return -1;
	line = xstrndup((const char *)buf, len);
	free(buf);
	buf = (unsigned char *)line;
	for (; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		if (*trim(line) == '\0' || *trim(line) == '#')
			continue;
		t1 = strchr(line, '\t');
		t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (t2 == NULL) {
			if (warn)
				fprintf(stderr, "ftharness: %s:%d: expected "
				    "ID<TAB>KIND<TAB>sentence\n", path, lineno);
			continue;
		}
		*t1 = '\0';
		*t2 = '\0';
		if (g.nnorm == cap) {
			cap = cap ? cap * 2 : 128;
			nn = realloc(g.norm, cap * sizeof(*nn));
			if (nn == NULL) {
				fprintf(stderr, "ftharness: out of memory\n");
				exit(2);
			}
			g.norm = nn;
		}
		g.norm[g.nnorm].id = xstrdup(trim(line));
		g.norm[g.nnorm].kind = xstrdup(trim(t1 + 1));
		g.norm[g.nnorm].text = xstrdup(trim(t2 + 1));
		if (warn && strcmp(g.norm[g.nnorm].kind, "offline") != 0 &&
		    strcmp(g.norm[g.nnorm].kind, "live") != 0 &&
		    strcmp(g.norm[g.nnorm].kind, "info") != 0)
			fprintf(stderr, "ftharness: %s:%d: kind '%s' is not "
			    "offline, live or info\n", path, lineno,
			    g.norm[g.nnorm].kind);
		g.nnorm++;
	}
	free(buf);
	g.norm_loaded = 1;
	return 0;
}

static const struct normative *
find_normative(const char *id)
{
	size_t i;

	for (i = 0; i < g.nnorm; i++)
		if (strcmp(g.norm[i].id, id) == 0)
			return &g.norm[i];
	return NULL;
}

/* ---- manifests ---- */

static void
bad(struct tcase *c, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
bad(struct tcase *c, int line, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	size_t n;

	if (c->bad != NULL)
		return;
	if (line > 0)
		snprintf(msg, sizeof(msg), "%s:%d: ", c->mpath, line);
	else
		snprintf(msg, sizeof(msg), "%s: ", c->mpath);
	n = strlen(msg);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);
	c->bad = xstrdup(msg);
}

static int
spec_ok(const char *s)
{
	const char *p;

	if (strncmp(s, "seed:", 5) == 0)
		return s[5] != '\0' && strchr(s, ' ') == NULL;
	if (strncmp(s, "SPEC ", 5) == 0) {
		p = s + 5;
		if (*p < '0' || *p > '9')
			return 0;
		while ((*p >= '0' && *p <= '9') || *p == '.')
			p++;
		return *p == '\0' || *p == ' ';
	}
	return strncmp(s, "facts ", 6) == 0 && s[6] != '\0';
}

static void
parse_manifest(struct tcase *c)
{
	unsigned char *buf;
	size_t len;
	char *text, *line, *next, *key, *val, *colon, *sp;
	int lineno = 0, seen_exit = 0;
	uint64_t v;

	c->exit_code = 0;
	if (hl_file_read(c->mpath, &buf, &len) != 0) {
		bad(c, 0, "cannot read: %s", strerror(errno));
		return;
	}
	if (len > MANIFEST_MAX) {
		free(buf);
		bad(c, 0, "larger than %d bytes", MANIFEST_MAX);
		return;
	}
	text = xstrndup((const char *)buf, len);
	free(buf);
	for (line = text; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		line = trim(line);
		if (*line == '\0' || *line == '#')
			continue;
		colon = strchr(line, ':');
		if (colon == NULL) {
			bad(c, lineno, "expected 'key: value'");
			continue;
		}
		*colon = '\0';
		key = trim(line);
		val = trim(colon + 1);
		if (strcmp(key, "purpose") == 0) {
			if (*val == '\0')
				bad(c, lineno, "empty purpose");
			else if (c->purpose != NULL)
				bad(c, lineno, "purpose given twice");
			else
				c->purpose = xstrdup(val);
		} else if (strcmp(key, "spec") == 0) {
			if (!g.norm_loaded) {
				/* A suite of one's own: any reference. */
				if (*val == '\0')
					bad(c, lineno, "empty spec");
				else if (c->nspec == MAX_SPECS)
					bad(c, lineno, "more than %d spec "
					    "lines", MAX_SPECS);
				else
					c->spec[c->nspec++] = xstrdup(val);
			} else if (!spec_ok(val)) {
				bad(c, lineno, "spec '%s' is not 'seed:ID', "
				    "'SPEC N[.M]' or 'facts §N'", val);
			} else if (strncmp(val, "seed:", 5) == 0 &&
			    g.norm_loaded && find_normative(val + 5) == NULL) {
				bad(c, lineno, "seed ID '%s' is not in %s",
				    val + 5, g.normfile);
			} else if (c->nspec == MAX_SPECS) {
				bad(c, lineno, "more than %d spec lines",
				    MAX_SPECS);
			} else {
				c->spec[c->nspec++] = xstrdup(val);
			}
		} else if (strcmp(key, "trace") == 0) {
			if (c->tkind != TRACE_NONE) {
				bad(c, lineno, "trace given twice");
				continue;
			}
			sp = strchr(val, ' ');
			if (sp == NULL || *trim(sp + 1) == '\0') {
				bad(c, lineno, "trace must be 'gen FILE', "
				    "'corpus NAME' or 'file PATH'");
				continue;
			}
			*sp = '\0';
			if (strcmp(val, "gen") == 0)
				c->tkind = TRACE_GEN;
			else if (strcmp(val, "corpus") == 0)
				c->tkind = TRACE_CORPUS;
			else if (strcmp(val, "file") == 0)
				c->tkind = TRACE_FILE;
			else {
				bad(c, lineno, "unknown trace kind '%s' (gen, "
				    "corpus or file)", val);
				continue;
			}
			c->targ = xstrdup(trim(sp + 1));
			c->tline = lineno;
		} else if (strcmp(key, "script") == 0) {
			free(c->script);
			c->script = xstrdup(val);
			c->sline = lineno;
		} else if (strcmp(key, "config") == 0) {
			free(c->config);
			c->config = strcmp(val, "seed") == 0 ? NULL :
			    xstrdup(val);
			c->cline = lineno;
		} else if (strcmp(key, "options") == 0) {
			if (c->optstr != NULL) {
				bad(c, lineno, "options given twice");
				continue;
			}
			c->optstr = xstrdup(val);
		} else if (strcmp(key, "exit") == 0) {
			if (seen_exit++ ||
			    ft_num_u64(val, strlen(val), 3, 0, 255, &v) != 0)
				bad(c, lineno, "exit must be given once, "
				    "0..255");
			else
				c->exit_code = (int)v;
		} else if (strcmp(key, "xcheck") == 0) {
			char *bar = strstr(val, "||");

			if (bar == NULL) {
				bad(c, lineno, "xcheck must be 'CDEST-FILTER "
				    "|| TRACE-FILTER'");
				continue;
			}
			if (c->nxc == MAX_XCHECKS) {
				bad(c, lineno, "more than %d xcheck lines",
				    MAX_XCHECKS);
				continue;
			}
			*bar = '\0';
			c->xc[c->nxc].cdest = xstrdup(trim(val));
			c->xc[c->nxc].trace = xstrdup(trim(bar + 2));
			c->xc[c->nxc].line = lineno;
			if (*c->xc[c->nxc].cdest == '\0' ||
			    *c->xc[c->nxc].trace == '\0')
				bad(c, lineno, "xcheck has an empty filter");
			c->nxc++;
		} else {
			bad(c, lineno, "unknown key '%s'", key);
		}
	}
	free(text);
	if (c->purpose == NULL)
		bad(c, 0, "no 'purpose:' line");
	/* This repository's suites trace every case to the sources. */
	if (c->nspec == 0 && g.norm_loaded)
		bad(c, 0, "no 'spec:' line");
	if (c->tkind == TRACE_NONE)
		bad(c, 0, "no 'trace:' line");
	if (c->script == NULL)
		c->script = xstrdup("case.dtcp");
	if (c->optstr != NULL) {
		char *p = c->optstr;

		for (;;) {
			while (*p == ' ' || *p == '\t')
				*p++ = '\0';
			if (*p == '\0')
				break;
			if (c->nopt == MAX_OPTS) {
				bad(c, 0, "more than %d options", MAX_OPTS);
				break;
			}
			c->opt[c->nopt++] = p;
			while (*p != '\0' && *p != ' ' && *p != '\t')
				p++;
		}
	}
	c->opt[c->nopt] = NULL;
}

/* ---- discovery ---- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the subdirectories of dir (NULL-terminated). */
static char **
subdirs(const char *dir, size_t *n)
{
	DIR *d;
	struct dirent *e;
	char **v = NULL, **nv, p[PATH_MAX];
	size_t cap = 0;

	*n = 0;
	d = opendir(dir);
	if (d == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (mkpath(p, sizeof(p), "%s/%s", dir, e->d_name) != 0 ||
		    !is_dir(p))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			nv = realloc(v, cap * sizeof(*v));
			if (nv == NULL) {
				fprintf(stderr, "ftharness: out of memory\n");
				exit(2);
			}
			v = nv;
		}
		v[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), cmp_str);
	return v;
}

static int
slug_ok(const char *s)
{
	return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
	    s[2] >= '0' && s[2] <= '9' && s[3] == '-' && s[4] != '\0';
}

static void
add_case(const char *area, const char *slug)
{
	struct tcase *c, *nc;
	char buf[PATH_MAX];
	size_t i;

	if (ncases == capcases) {
		capcases = capcases ? capcases * 2 : 128;
		nc = realloc(cases, capcases * sizeof(*nc));
		if (nc == NULL) {
			fprintf(stderr, "ftharness: out of memory\n");
			exit(2);
		}
		cases = nc;
	}
	c = &cases[ncases++];
	memset(c, 0, sizeof(*c));
	hl_buf_init(&c->msg);
	if (mkpath(buf, sizeof(buf), "%s/%s", area, slug) != 0) {
		fprintf(stderr, "ftharness: path too long: %s/%s\n", area,
		    slug);
		exit(2);
	}
	c->name = xstrdup(buf);
	if (mkpath(buf, sizeof(buf), "%s/%s/%s", g.suites, area, slug) != 0) {
		fprintf(stderr, "ftharness: path too long: %s\n", c->name);
		exit(2);
	}
	c->dir = xstrdup(buf);
	mkpath(buf, sizeof(buf), "%s/manifest", c->dir);
	c->mpath = xstrdup(buf);
	if (!slug_ok(slug)) {
		bad(c, 0, "case folder '%s' is not named NNN-slug", slug);
		return;
	}
	if (!is_file(c->mpath)) {
		bad(c, 0, "missing");
		return;
	}
	/* NNN is unique within an area. */
	for (i = 0; i + 1 < ncases; i++) {
		const char *o = strchr(cases[i].name, '/');

		if (o != NULL && (size_t)(o - cases[i].name) == strlen(area) &&
		    strncmp(cases[i].name, area, strlen(area)) == 0 &&
		    strncmp(o + 1, slug, 3) == 0) {
			bad(c, 0, "number %.3s already used by %s", slug,
			    cases[i].name);
			return;
		}
	}
	parse_manifest(c);
}

static void
discover(void)
{
	char **areas, **slugs, p[PATH_MAX], mp[PATH_MAX];
	size_t na, ns, i, k;

	areas = subdirs(g.suites, &na);
	for (i = 0; i < na; i++) {
		if (strcmp(areas[i], "unit") == 0 ||
		    strcmp(areas[i], "fuzz") == 0 ||
		    strcmp(areas[i], "bench") == 0)
			goto next;
		if (mkpath(p, sizeof(p), "%s/%s", g.suites, areas[i]) != 0)
			goto next;
		slugs = subdirs(p, &ns);
		for (k = 0; k < ns; k++) {
			/* A folder that looks like a case must be one. */
			if (mkpath(mp, sizeof(mp), "%s/%s/manifest", p,
			    slugs[k]) == 0 &&
			    (is_file(mp) || slug_ok(slugs[k])))
				add_case(areas[i], slugs[k]);
			free(slugs[k]);
		}
		free(slugs);
next:
		free(areas[i]);
	}
	free(areas);
}

static int
selected(const struct tcase *c, char **pat, int npat)
{
	int i;

	if (npat == 0)
		return 1;
	for (i = 0; i < npat; i++)
		if (strcmp(pat[i], c->name) == 0 ||
		    fnmatch(pat[i], c->name, 0) == 0)
			return 1;
	return 0;
}

/* ---- running one case (in a child process) ---- */

/* Resolve a path relative to the case folder. */
static int
case_path(const struct tcase *c, const char *rel, char *out, size_t n)
{
	if (rel[0] == '/')
		return mkpath(out, n, "%s", rel);
	return mkpath(out, n, "%s/%s", c->dir, rel);
}

static int
materialise_trace(struct tcase *c, const char *w, struct hl_buf *m)
{
	char src[PATH_MAX], dst[PATH_MAX], abs[PATH_MAX], ep[PATH_MAX];
	char what[64], line[400];
	int st;

	if (mkpath(dst, sizeof(dst), "%s/trace.pcap", w) != 0)
		return -1;
	switch (c->tkind) {
	case TRACE_GEN: {
		char *argv[] = { g.pktgen, src, dst, NULL };

		if (case_path(c, c->targ, src, sizeof(src)) != 0 ||
		    !is_file(src)) {
			hl_buf_printf(m, "    %s:%d: packet description '%s' "
			    "not found\n", c->mpath, c->tline, c->targ);
			return ST_FAIL;
		}
		if (access(g.pktgen, X_OK) != 0) {
			hl_buf_printf(m, "    pktgen not found at %s (build "
			    "it with make)\n", g.pktgen);
			return ST_FAIL;
		}
		mkpath(ep, sizeof(ep), "%s/pktgen.txt", w);
		st = run(argv, NULL, NULL, -1, ep, TOOL_TIMEOUT);
		if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			describe_status(what, sizeof(what), st);
			first_line(ep, line, sizeof(line));
			hl_buf_printf(m, "    pktgen %s: %s\n", what,
			    line[0] ? line : "(no message)");
			return ST_FAIL;
		}
		return ST_OK;
	}
	case TRACE_CORPUS:
		if (mkpath(src, sizeof(src), "%s/%s", g.corpus, c->targ) != 0 ||
		    !is_file(src)) {
			hl_buf_printf(m, "corpus trace '%s' not found in %s",
			    c->targ, g.corpus);
			return ST_SKIP;
		}
		break;
	case TRACE_FILE:
		/* Relative to the manifest's folder, like every case path. */
		if (case_path(c, c->targ, src, sizeof(src)) != 0 ||
		    !is_file(src)) {
			hl_buf_printf(m, "    %s:%d: trace file '%s' not "
			    "found\n", c->mpath, c->tline, c->targ);
			return ST_FAIL;
		}
		break;
	case TRACE_NONE:
	default:
		return ST_FAIL;
	}
	if (realpath(src, abs) == NULL || symlink(abs, dst) != 0) {
		hl_buf_printf(m, "    cannot link %s to %s: %s\n", dst, src,
		    strerror(errno));
		return ST_FAIL;
	}
	return ST_OK;
}

/*
 * Of the copies tshark flags malformed or in error, those where the fault
 * lies in the layers flowtap builds: the outer IP, UDP and jmirror headers
 * and the inner packet's IP header. A copy carries the captured packet
 * verbatim, so an error that tshark finds past the inner IP layer (a
 * truncated L4 header, a pattern payload that a DNS or TAPA dissector
 * rejects) is the capture's, not flowtap's: tshark names the protocols of
 * the frame, and the error belongs to the last one. Returns the count
 * (first gets the first such frame number), or -1 with err set.
 */
static long
own_errors(const char *file, const char *errpath, char *first,
    size_t firstlen, char *err, size_t errlen)
{
	char *argv[] = {
		"tshark", "-n", "-r", (char *)file, "-d", JMIRROR_AS, "-Y",
		MALFORMED, "-T", "fields", "-e", "frame.number", "-e",
		"frame.protocols", NULL,
	};
	struct hl_buf out;
	const char *p, *e, *tab, *q;
	long n = 0;
	int depth, seen_udp, past;

	first[0] = '\0';
	hl_buf_init(&out);
	if (tshark_run(argv, &out, errpath, file, err, errlen) != 0) {
		hl_buf_release(&out);
		return -1;
	}
	for (p = out.s; p != NULL && *p != '\0'; p = e) {
		e = strchr(p, '\n');
		e = e ? e + 1 : p + strlen(p);
		tab = memchr(p, '\t', (size_t)(e - p));
		if (tab == NULL)
			continue;
		/*
		 * Count the layers after the outer UDP (and jmirror): the
		 * inner IP is the first; anything after it is the capture's.
		 */
		depth = 0;
		seen_udp = 0;
		past = 0;
		for (q = tab + 1; q < e && *q != '\n'; ) {
			const char *c = q;
			size_t len;

			while (q < e && *q != ':' && *q != '\n')
				q++;
			len = (size_t)(q - c);
			if (q < e && *q == ':')
				q++;
			if (!seen_udp) {
				seen_udp = len == 3 && memcmp(c, "udp", 3) == 0;
				continue;
			}
			if (len == 7 && memcmp(c, "jmirror", 7) == 0 &&
			    depth == 0)
				continue;
			if (++depth > 1)
				past = 1;
		}
		if (seen_udp && past)
			continue;
		if (n++ == 0)
			snprintf(first, firstlen, "%.*s", (int)(tab - p), p);
	}
	hl_buf_release(&out);
	return n;
}

/* The cross-checks of the copies against the trace; 0 or -1 (failed). */
static int
xchecks(struct tcase *c, const char *w, struct hl_buf *m)
{
	char out[PATH_MAX], tr[PATH_MAX], ep[PATH_MAX], err[1200];
	const char *fo[MAX_XCHECKS + 1], *ft[MAX_XCHECKS];
	long co[MAX_XCHECKS + 1], ct[MAX_XCHECKS];
	struct hl_pcap p;
	size_t i, npkts, nfo;
	int rc = 0;

	if (g.no_xcheck)
		return 0;
	mkpath(out, sizeof(out), "%s/out/intercept.pcap", w);
	mkpath(tr, sizeof(tr), "%s/trace.pcap", w);
	mkpath(ep, sizeof(ep), "%s/tshark.err", w);
	if (hl_pcap_load(out, &p, err, sizeof(err)) != 0) {
		hl_buf_printf(m, "    xcheck: %s\n", err);
		return -1;
	}
	npkts = p.nrec;
	hl_pcap_release(&p);
	if (npkts == 0 && c->nxc == 0)
		return 0;
	if (!g.have_tshark) {
		hl_buf_printf(m, "    xcheck: tshark not found in PATH "
		    "(install tshark, or pass --no-xcheck)\n");
		return -1;
	}
	for (i = 0; i < c->nxc; i++) {
		fo[i] = c->xc[i].cdest;
		ft[i] = c->xc[i].trace;
	}
	nfo = c->nxc;
	/* The malformed check, only when there are copies. */
	if (npkts > 0)
		fo[nfo++] = MALFORMED;
	if (tshark_counts(out, fo, nfo, co, ep, err, sizeof(err)) != 0 ||
	    tshark_counts(tr, ft, c->nxc, ct, ep, err, sizeof(err)) != 0) {
		hl_buf_printf(m, "    %s: xcheck: %s\n", c->mpath, err);
		return -1;
	}
	for (i = 0; i < c->nxc; i++) {
		if (co[i] != ct[i]) {
			hl_buf_printf(m, "    xcheck '%s' : intercept has %ld, "
			    "trace filter selects %ld\n", c->xc[i].cdest,
			    co[i], ct[i]);
			rc = -1;
		}
	}
	if (npkts > 0 && co[nfo - 1] > 0) {
		char first[64];
		long n = own_errors(out, ep, first, sizeof(first), err,
		    sizeof(err));

		if (n < 0) {
			hl_buf_printf(m, "    malformed check: %s\n", err);
			rc = -1;
		} else if (n > 0) {
			hl_buf_printf(m, "    malformed check: tshark "
			    "flags %ld packets of out/intercept.pcap in the "
			    "layers flowtap builds (first: packet %s; filter "
			    "'%s')\n", n, first, MALFORMED);
			rc = -1;
		}
	}
	return rc;
}

/* Compare the outputs with the goldens; 0 same, -1 different. */
static int
compare(struct tcase *c, const char *w, struct hl_buf *m)
{
	char gp[PATH_MAX], op[PATH_MAX], name[64];
	size_t i;
	int rc = 0, r;

	for (i = 0; i < NOUTPUTS; i++) {
		mkpath(gp, sizeof(gp), "%s/%s", c->dir, outputs[i]);
		mkpath(op, sizeof(op), "%s/out/%s", w, outputs[i]);
		if (!is_file(op)) {
			hl_buf_printf(m, "    out/%s: not written by flowtap\n",
			    outputs[i]);
			rc = -1;
			continue;
		}
		if (!is_file(gp)) {
			hl_buf_printf(m, "    %s: golden missing (make it with "
			    "--update, then review it)\n", gp);
			rc = -1;
			continue;
		}
		if (same_file(gp, op) || (strcmp(outputs[i], "report.json") ==
		    0 && same_report(gp, op)))
			continue;
		rc = -1;
		if (i == 0) {
			r = hl_pcap_diff(gp, op, "    ", 1, m);
		} else if (strcmp(outputs[i], "report.json") == 0) {
			r = report_diff(gp, op, w, m);
		} else {
			snprintf(name, sizeof(name), "%s", outputs[i]);
			r = hl_text_diff(name, gp, op, "    ", m);
		}
		if (r == 0)
			hl_buf_printf(m, "    %s: differs\n", outputs[i]);
	}
	for (i = 0; i < NOPTIONAL; i++) {
		mkpath(gp, sizeof(gp), "%s/%s", c->dir, optional_outputs[i]);
		mkpath(op, sizeof(op), "%s/out/%s", w, optional_outputs[i]);
		if (!is_file(gp) || (is_file(op) && same_file(gp, op)))
			continue;
		rc = -1;
		if (!is_file(op)) {
			hl_buf_printf(m, "    out/%s: not written by flowtap\n",
			    optional_outputs[i]);
			continue;
		}
		snprintf(name, sizeof(name), "%s", optional_outputs[i]);
		if (hl_text_diff(name, gp, op, "    ", m) == 0)
			hl_buf_printf(m, "    %s: differs\n", name);
	}
	return rc;
}

static enum status
update(struct tcase *c, const char *w, struct hl_buf *m)
{
	char gp[PATH_MAX], op[PATH_MAX];
	size_t i;
	int changed = 0;

	if (c->exit_code == 0) {
		for (i = 0; i < NOUTPUTS; i++) {
			mkpath(gp, sizeof(gp), "%s/%s", c->dir, outputs[i]);
			mkpath(op, sizeof(op), "%s/out/%s", w, outputs[i]);
			if (!is_file(op)) {
				hl_buf_printf(m, "    out/%s: not written by "
				    "flowtap\n", outputs[i]);
				return ST_FAIL;
			}
		}
		for (i = 0; i < NOUTPUTS; i++) {
			mkpath(gp, sizeof(gp), "%s/%s", c->dir, outputs[i]);
			mkpath(op, sizeof(op), "%s/out/%s", w, outputs[i]);
			if (same_file(gp, op) || (strcmp(outputs[i],
			    "report.json") == 0 && same_report(gp, op)))
				continue;
			changed = 1;
			if (copy_file(op, gp) != 0) {
				hl_buf_printf(m, "    cannot write %s: %s\n",
				    gp, strerror(errno));
				return ST_FAIL;
			}
		}
		for (i = 0; i < NOPTIONAL; i++) {
			mkpath(gp, sizeof(gp), "%s/%s", c->dir,
			    optional_outputs[i]);
			mkpath(op, sizeof(op), "%s/out/%s", w,
			    optional_outputs[i]);
			if (!is_file(gp) || !is_file(op) || same_file(gp, op))
				continue;
			changed = 1;
			if (copy_file(op, gp) != 0) {
				hl_buf_printf(m, "    cannot write %s: %s\n",
				    gp, strerror(errno));
				return ST_FAIL;
			}
		}
		mkpath(gp, sizeof(gp), "%s/stderr.txt", c->dir);
		if (unlink(gp) == 0)
			changed = 1;
	} else {
		mkpath(gp, sizeof(gp), "%s/stderr.txt", c->dir);
		mkpath(op, sizeof(op), "%s/stderr.txt", w);
		if (!same_file(gp, op)) {
			changed = 1;
			if (copy_file(op, gp) != 0) {
				hl_buf_printf(m, "    cannot write %s: %s\n",
				    gp, strerror(errno));
				return ST_FAIL;
			}
		}
		for (i = 0; i < NOUTPUTS; i++) {
			mkpath(gp, sizeof(gp), "%s/%s", c->dir, outputs[i]);
			if (unlink(gp) == 0)
				changed = 1;
		}
	}
	return changed ? ST_UPDATED : ST_OK;
}

static enum status
run_case(struct tcase *c, struct hl_buf *m)
{
	char w[PATH_MAX], src[PATH_MAX], dst[PATH_MAX], ep[PATH_MAX];
	char gp[PATH_MAX], what[64];
	char *argv[16 + MAX_OPTS];
	size_t i, k = 0;
	int st, code, ok = 1;
	enum status s;

	if (mkpath(w, sizeof(w), "%s/%s", g.work, c->name) != 0) {
		hl_buf_printf(m, "    work path too long\n");
		return ST_FAIL;
	}
	if (rm_rf(w) != 0 || mkdir_p(w) != 0) {
		hl_buf_printf(m, "    cannot re-create %s: %s\n", w,
		    strerror(errno));
		return ST_FAIL;
	}
	s = materialise_trace(c, w, m);
	if (s != ST_OK)
		return s;
	if (case_path(c, c->script, src, sizeof(src)) != 0 ||
	    mkpath(dst, sizeof(dst), "%s/script.dtcp", w) != 0 ||
	    copy_file(src, dst) != 0) {
		hl_buf_printf(m, "    %s:%d: cannot copy script '%s': %s\n",
		    c->mpath, c->sline, c->script, strerror(errno));
		return ST_FAIL;
	}
	if (c->config != NULL &&
	    (case_path(c, c->config, src, sizeof(src)) != 0 ||
	    mkpath(dst, sizeof(dst), "%s/router.conf", w) != 0 ||
	    copy_file(src, dst) != 0)) {
		hl_buf_printf(m, "    %s:%d: cannot copy config '%s': %s\n",
		    c->mpath, c->cline, c->config, strerror(errno));
		return ST_FAIL;
	}
	argv[k++] = g.flowtap_abs;
	argv[k++] = "replay";
	argv[k++] = "-q";
	argv[k++] = "--trace";
	argv[k++] = "trace.pcap";
	argv[k++] = "--script";
	argv[k++] = "script.dtcp";
	if (c->config != NULL) {
		argv[k++] = "--config";
		argv[k++] = "router.conf";
	}
	argv[k++] = "--out";
	argv[k++] = "out";
	for (i = 0; i < c->nopt; i++)
		argv[k++] = c->opt[i];
	argv[k] = NULL;
	mkpath(ep, sizeof(ep), "%s/stderr.txt", w);
	mkpath(dst, sizeof(dst), "%s/stdout.txt", w);
	/* Relative to W once the child is in it. */
	st = run(argv, w, "stdout.txt", -1, "stderr.txt", RUN_TIMEOUT);
	if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) == 127 ||
	    WEXITSTATUS(st) == 126) {
		describe_status(what, sizeof(what), st);
		hl_buf_printf(m, "    flowtap %s\n", what);
		append_lines(m, ep, "    | ", 12);
		return ST_FAIL;
	}
	code = WEXITSTATUS(st);
	if (code != c->exit_code) {
		hl_buf_printf(m, "    exit code: expected %d, got %d\n",
		    c->exit_code, code);
		append_lines(m, ep, "    | ", 5);
		return ST_FAIL;
	}
	if (code != 0) {
		mkpath(gp, sizeof(gp), "%s/stderr.txt", c->dir);
		if (g.update)
			return update(c, w, m);
		if (!is_file(gp)) {
			hl_buf_printf(m, "    %s: golden missing (make it with "
			    "--update, then review it)\n", gp);
			return ST_FAIL;
		}
		if (hl_text_diff("stderr.txt", gp, ep, "    ", m) != 0)
			return ST_FAIL;
		return ST_OK;
	}
	if (xchecks(c, w, m) != 0)
		ok = 0;
	if (g.update) {
		if (!ok) {
			hl_buf_printf(m, "    goldens not updated\n");
			return ST_FAIL;
		}
		return update(c, w, m);
	}
	if (compare(c, w, m) != 0)
		ok = 0;
	return ok ? ST_OK : ST_FAIL;
}

/* ---- scheduling ---- */

struct job {
	pid_t		 pid;
	int		 fd;
	size_t		 idx;
	struct hl_buf	 buf;
};

static void
child(struct tcase *c, int fd)
{
	struct hl_buf m;
	enum status s;
	char code;

	hl_buf_init(&m);
	s = run_case(c, &m);
	code = s == ST_OK ? 'o' : s == ST_SKIP ? 's' : s == ST_UPDATED ?
	    'u' : 'F';
	write_all(fd, &code, 1);
	if (m.s != NULL)
		write_all(fd, m.s, m.len);
	if (m.full)
		write_all(fd, "    (explanation cut short)\n", 28);
	close(fd);
	_exit(0);
}

static void
finish(struct job *j)
{
	struct tcase *c = &cases[j->idx];
	int st;

	while (waitpid(j->pid, &st, 0) < 0 && errno == EINTR)
		;
	c->done = 1;
	if (j->buf.len == 0) {
		c->st = ST_FAIL;
		hl_buf_printf(&c->msg, "    harness child died without a "
		    "result\n");
	} else {
		switch (j->buf.s[0]) {
		case 'o':
			c->st = ST_OK;
			break;
		case 's':
			c->st = ST_SKIP;
			break;
		case 'u':
			c->st = ST_UPDATED;
			break;
		default:
			c->st = ST_FAIL;
			break;
		}
		hl_buf_put(&c->msg, j->buf.s + 1, j->buf.len - 1);
	}
	hl_buf_release(&j->buf);
}

static void
print_result(const struct tcase *c, size_t num)
{
	const char *p, *e;

	if (g.tap) {
		switch (c->st) {
		case ST_OK:
			printf("ok %zu - %s\n", num, c->name);
			break;
		case ST_UPDATED:
			printf("ok %zu - %s # updated\n", num, c->name);
			break;
		case ST_SKIP:
			printf("ok %zu - %s # SKIP %s\n", num, c->name,
			    c->msg.s ? c->msg.s : "");
			break;
		case ST_FAIL:
		default:
			printf("not ok %zu - %s\n", num, c->name);
			for (p = c->msg.s; p != NULL && *p != '\0'; p = e) {
				e = strchr(p, '\n');
				e = e ? e + 1 : p + strlen(p);
				/* The plain report's indent is not needed. */
				if (e - p > 4 && strncmp(p, "    ", 4) == 0)
					p += 4;
				printf("# %.*s\n", (int)(e - p -
				    (e[-1] == '\n')), p);
			}
			break;
		}
		fflush(stdout);
		return;
	}
	switch (c->st) {
	case ST_OK:
		printf("ok   %s\n", c->name);
		break;
	case ST_UPDATED:
		printf("updated %s\n", c->name);
		break;
	case ST_SKIP:
		printf("skip %s: %s\n", c->name, c->msg.s ? c->msg.s : "");
		break;
	case ST_FAIL:
	default:
		printf("FAIL %s\n%s", c->name, c->msg.s ? c->msg.s : "");
		break;
	}
	if (g.verbose && c->purpose != NULL)
		printf("     (%s)\n", c->purpose);
	fflush(stdout);
}

static void
run_all(size_t *sel, size_t nsel)
{
	struct job jobs[MAX_JOBS];
	struct pollfd pf[MAX_JOBS];
	size_t next = 0, printed = 0, nj = 0, i;
	char buf[4096];
	ssize_t r;
	int fds[2];
	pid_t pid;

	if (g.tap)
		printf("1..%zu\n", nsel);
	while (printed < nsel) {
		while (next < nsel && nj < g.jobs) {
			struct tcase *c = &cases[sel[next]];

			if (c->bad != NULL) {
				c->done = 1;
				c->st = ST_FAIL;
				hl_buf_printf(&c->msg, "    %s\n", c->bad);
				next++;
				continue;
			}
			if (pipe(fds) != 0) {
				fprintf(stderr, "ftharness: pipe: %s\n",
				    strerror(errno));
				exit(2);
			}
			fflush(NULL);
			pid = fork();
			if (pid < 0) {
				fprintf(stderr, "ftharness: fork: %s\n",
				    strerror(errno));
				exit(2);
			}
			if (pid == 0) {
				close(fds[0]);
				for (i = 0; i < nj; i++)
					close(jobs[i].fd);
				child(c, fds[1]);
			}
			close(fds[1]);
			jobs[nj].pid = pid;
			jobs[nj].fd = fds[0];
			jobs[nj].idx = sel[next];
			hl_buf_init(&jobs[nj].buf);
			nj++;
			next++;
		}
		/* Print, in order, every result that is complete. */
		while (printed < nsel && cases[sel[printed]].done) {
			print_result(&cases[sel[printed]], printed + 1);
			printed++;
		}
		if (nj == 0)
			continue;
		for (i = 0; i < nj; i++) {
			pf[i].fd = jobs[i].fd;
			pf[i].events = POLLIN;
			pf[i].revents = 0;
		}
		if (poll(pf, nj, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "ftharness: poll: %s\n",
			    strerror(errno));
			exit(2);
		}
		for (i = 0; i < nj; i++) {
			if (pf[i].revents == 0)
				continue;
			r = read(jobs[i].fd, buf, sizeof(buf));
			if (r < 0 && errno == EINTR)
				continue;
			if (r > 0) {
				hl_buf_put(&jobs[i].buf, buf, (size_t)r);
				continue;
			}
			close(jobs[i].fd);
			finish(&jobs[i]);
			jobs[i] = jobs[nj - 1];
			pf[i] = pf[nj - 1];
			nj--;
			i--;
		}
	}
}

/* ---- JUnit ---- */

static void
xml_escape(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		switch (ch) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&apos;", f);
			break;
		default:
			if (ch < 0x20 && ch != '\n' && ch != '\t')
				fputc('?', f);
			else
				fputc(ch, f);
			break;
		}
	}
}

static int
write_junit(const char *path, const size_t *sel, size_t nsel, size_t nfail,
    size_t nskip)
{
	FILE *f;
	size_t i;
	const struct tcase *c;
	const char *slash;

	f = fopen(path, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites>\n<testsuite name=\"flowtap-conformance\" "
	    "tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
	    nsel, nfail, nskip);
	for (i = 0; i < nsel; i++) {
		c = &cases[sel[i]];
		slash = strchr(c->name, '/');
		fprintf(f, "  <testcase classname=\"");
		fprintf(f, "%.*s", slash ? (int)(slash - c->name) :
		    (int)strlen(c->name), c->name);
		fprintf(f, "\" name=\"");
		xml_escape(f, c->name);
		fprintf(f, "\"");
		if (c->st == ST_FAIL) {
			const char *nl = c->msg.s ? strchr(c->msg.s, '\n') :
			    NULL;
			char first[300];
			const char *p = c->msg.s ? c->msg.s : "";
			size_t n = nl ? (size_t)(nl - p) : strlen(p);

			while (n > 0 && *p == ' ') {
				p++;
				n--;
			}
			if (n >= sizeof(first))
				n = sizeof(first) - 1;
			memcpy(first, p, n);
			first[n] = '\0';
			fprintf(f, ">\n    <failure message=\"");
			xml_escape(f, first);
			fprintf(f, "\">");
			xml_escape(f, c->msg.s);
			fprintf(f, "</failure>\n  </testcase>\n");
		} else if (c->st == ST_SKIP) {
			fprintf(f, ">\n    <skipped message=\"");
			xml_escape(f, c->msg.s);
			fprintf(f, "\"/>\n  </testcase>\n");
		} else {
			fprintf(f, "/>\n");
		}
	}
	fprintf(f, "</testsuite>\n</testsuites>\n");
	return fclose(f) == 0 ? 0 : -1;
}

/* ---- coverage ---- */

static void
md_cell(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|')
			fputs("\\|", stdout);
		else
			putchar(*s);
	}
}

/* The cases citing seed:id, comma-separated; returns how many. */
static size_t
print_cases_for(const char *id)
{
	size_t i, k, n = 0;

	for (i = 0; i < ncases; i++) {
		for (k = 0; k < cases[i].nspec; k++) {
			if (strncmp(cases[i].spec[k], "seed:", 5) == 0 &&
			    strcmp(cases[i].spec[k] + 5, id) == 0) {
				printf("%s%s", n ? ", " : "", cases[i].name);
				n++;
				break;
			}
		}
	}
	return n;
}

static size_t
count_cases_for(const char *id)
{
	size_t i, k, n = 0;

	for (i = 0; i < ncases; i++)
		for (k = 0; k < cases[i].nspec; k++)
			if (strncmp(cases[i].spec[k], "seed:", 5) == 0 &&
			    strcmp(cases[i].spec[k] + 5, id) == 0) {
				n++;
				break;
			}
	return n;
}

static int
coverage(void)
{
	size_t i, k, noff = 0, ncov = 0, nlive = 0, ninfo = 0, nbad = 0;

	printf("# Coverage of the seed guide's normative sentences\n\n");
	printf("Generated by `ftharness --coverage > docs/coverage.md` from "
	    "`%s` and the\n`spec: seed:ID` lines of the case manifests under "
	    "`%s/`; do not edit by\nhand (see docs/harness.md).\n\n",
	    g.normfile, g.suites);
	printf("## Checked offline\n\n| ID | sentence | cases |\n"
	    "| --- | --- | --- |\n");
	for (i = 0; i < g.nnorm; i++) {
		if (strcmp(g.norm[i].kind, "offline") != 0)
			continue;
		noff++;
		printf("| %s | ", g.norm[i].id);
		md_cell(g.norm[i].text);
		printf(" | ");
		if (print_cases_for(g.norm[i].id) > 0)
			ncov++;
		else
			printf("**none**");
		printf(" |\n");
	}
	printf("\n## Not covered yet\n\n");
	for (i = 0; i < g.nnorm; i++) {
		if (strcmp(g.norm[i].kind, "offline") != 0 ||
		    count_cases_for(g.norm[i].id) > 0)
			continue;
		printf("- %s: ", g.norm[i].id);
		md_cell(g.norm[i].text);
		printf("\n");
	}
	if (noff == ncov)
		printf("None: every offline sentence has a case.\n");
	printf("\n## Needs the live server\n\n| ID | sentence | cases that "
	    "check part of it offline |\n| --- | --- | --- |\n");
	for (i = 0; i < g.nnorm; i++) {
		if (strcmp(g.norm[i].kind, "live") != 0)
			continue;
		nlive++;
		printf("| %s | ", g.norm[i].id);
		md_cell(g.norm[i].text);
		printf(" | ");
		if (print_cases_for(g.norm[i].id) == 0)
			printf("-");
		printf(" |\n");
	}
	for (i = 0; i < g.nnorm; i++)
		if (strcmp(g.norm[i].kind, "info") == 0)
			ninfo++;
	printf("\n## Unknown references\n\n");
	for (i = 0; i < ncases; i++) {
		if (cases[i].bad != NULL) {
			printf("- %s: bad manifest: ", cases[i].name);
			md_cell(cases[i].bad);
			printf("\n");
			nbad++;
		}
		for (k = 0; k < cases[i].nspec; k++)
			if (strncmp(cases[i].spec[k], "seed:", 5) == 0 &&
			    find_normative(cases[i].spec[k] + 5) == NULL) {
				printf("- %s cites %s, not in the list\n",
				    cases[i].name, cases[i].spec[k]);
				nbad++;
			}
	}
	if (nbad == 0)
		printf("None.\n");
	printf("\n%zu offline sentences, %zu covered by at least one case, "
	    "%zu not covered; %zu need the live server; %zu informational; "
	    "%zu cases.\n", noff, ncov, noff - ncov, nlive, ninfo, ncases);
	return 0;
}

/* ---- main ---- */

/* The folder ftharness itself runs from (Linux /proc), or "". */
static void
self_dir(char *out, size_t n)
{
	char *slash;
	ssize_t r;

	out[0] = '\0';
	r = readlink("/proc/self/exe", out, n - 1);
	if (r <= 0 || (size_t)r >= n - 1) {
		out[0] = '\0';
		return;
	}
	out[r] = '\0';
	slash = strrchr(out, '/');
	if (slash != NULL)
		*slash = '\0';
}

/* prog in PATH, its path into out; 0 or -1. */
static int
path_search(const char *prog, char *out, size_t n)
{
	const char *p = getenv("PATH"), *c;

	if (p == NULL)
		p = "/usr/bin:/bin";
	while (*p != '\0') {
		c = strchr(p, ':');
		if (c == NULL)
			c = p + strlen(p);
		if (c > p && mkpath(out, n, "%.*s/%s", (int)(c - p), p,
		    prog) == 0 && is_file(out) && access(out, X_OK) == 0)
			return 0;
		p = *c ? c + 1 : c;
	}
	return -1;
}

/*
 * The first of dir1/prog, dir2/prog, dir3/prog (each when not NULL or
 * "") and prog in PATH that is an executable file, into out; 0 or -1.
 */
static int
find_prog(const char *prog, const char *dir1, const char *dir2,
    const char *dir3, char *out, size_t n)
{
	const char *d[3] = { dir1, dir2, dir3 };
	int i;

	for (i = 0; i < 3; i++)
		if (d[i] != NULL && d[i][0] != '\0' &&
		    mkpath(out, n, "%s/%s", d[i], prog) == 0 && is_file(out) &&
		    access(out, X_OK) == 0)
			return 0;
	return path_search(prog, out, n);
}

/* "K/N" with 1 <= K <= N <= 10000. */
static int
parse_shard(const char *s, unsigned *k, unsigned *n)
{
	const char *slash = strchr(s, '/');
	uint64_t a, b;

	if (slash == NULL ||
	    ft_num_u64(s, (size_t)(slash - s), 5, 1, 10000, &a) != 0 ||
	    ft_num_u64(slash + 1, strlen(slash + 1), 5, 1, 10000, &b) != 0 ||
	    a > b)
		return -1;
	*k = (unsigned)a;
	*n = (unsigned)b;
	return 0;
}

static int
opt_arg(int argc, char **argv, int *i, const char **out)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "ftharness: option '%s' needs a value\n",
		    argv[*i]);
		return -1;
	}
	*out = argv[++*i];
	return 0;
}

int
main(int argc, char **argv)
{
	char **pat;
	int npat = 0, i;
	size_t *sel, nsel = 0, k, npass = 0, nfail = 0, nskip = 0;
	const char *jv = NULL;
	uint64_t v;
	char tmp[PATH_MAX], self[PATH_MAX], found[PATH_MAX], *slash;
	char libexec[PATH_MAX];
	size_t nshard;
	int unmatched = 0;

	g.suites = "suites";
	g.work = WORK_ROOT;
	g.flowtap = NULL;	/* found below */
	g.normfile = NULL;
	g.jobs = 1;
	/* Patterns are gathered at the front of argv (npat <= i). */
	pat = argv + 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--suites") == 0) {
			if (opt_arg(argc, argv, &i, &g.suites) != 0)
				return 2;
		} else if (strcmp(a, "--work") == 0) {
			if (opt_arg(argc, argv, &i, &g.work) != 0)
				return 2;
		} else if (strcmp(a, "--flowtap") == 0) {
			if (opt_arg(argc, argv, &i, &g.flowtap) != 0)
				return 2;
		} else if (strcmp(a, "--normative") == 0) {
			if (opt_arg(argc, argv, &i, &g.normfile) != 0)
				return 2;
		} else if (strcmp(a, "--junit") == 0) {
			if (opt_arg(argc, argv, &i, &g.junit) != 0)
				return 2;
		} else if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) {
			if (opt_arg(argc, argv, &i, &jv) != 0)
				return 2;
		} else if (strncmp(a, "-j", 2) == 0 && a[2] != '\0') {
			jv = a + 2;
		} else if (strcmp(a, "--shard") == 0) {
			const char *sv;

			if (opt_arg(argc, argv, &i, &sv) != 0)
				return 2;
			if (parse_shard(sv, &g.shard_k, &g.shard_n) != 0) {
				fprintf(stderr, "ftharness: --shard must be "
				    "K/N with 1 <= K <= N <= 10000, not "
				    "'%s'\n", sv);
				return 2;
			}
		} else if (strcmp(a, "--update") == 0) {
			g.update = 1;
		} else if (strcmp(a, "--list") == 0) {
			g.list = 1;
		} else if (strcmp(a, "--tap") == 0) {
			g.tap = 1;
		} else if (strcmp(a, "--coverage") == 0) {
			g.coverage = 1;
		} else if (strcmp(a, "--no-xcheck") == 0) {
			g.no_xcheck = 1;
		} else if (strcmp(a, "-v") == 0 ||
		    strcmp(a, "--verbose") == 0) {
			g.verbose = 1;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (a[0] == '-') {
			fprintf(stderr, "ftharness: unknown option '%s'\n%s",
			    a, usage);
			return 2;
		} else {
			pat[npat++] = argv[i];	/* npat < i */
		}
	}
	if (jv != NULL) {
		if (ft_num_u64(jv, strlen(jv), 3, 1, MAX_JOBS, &v) != 0) {
			fprintf(stderr, "ftharness: -j must be 1..%d, not "
			    "'%s'\n", MAX_JOBS, jv);
			return 2;
		}
		g.jobs = (unsigned)v;
	}
	if (!is_dir(g.suites)) {
		fprintf(stderr, "ftharness: suites folder '%s' not found "
		    "(run from the repository root or pass --suites)\n",
		    g.suites);
		return 2;
	}
	if (g.normfile == NULL) {
		static char np[PATH_MAX];

		if (mkpath(np, sizeof(np), "%s/normative.txt", g.suites) != 0)
			return 2;
		g.normfile = np;
	}
	if (load_normative(g.normfile, g.coverage) != 0 && g.coverage) {
		fprintf(stderr, "ftharness: cannot read '%s': %s\n",
		    g.normfile, strerror(errno));
		return 2;
	}
	g.corpus = getenv("FLOWTAP_CORPUS");
	if (g.corpus == NULL || *g.corpus == '\0')
		g.corpus = DEFAULT_CORPUS;
	discover();
	if (g.coverage) {
		return coverage();
	}

	sel = xmalloc(sizeof(*sel) * (ncases + 1));
	for (k = 0, nshard = 0; k < ncases; k++) {
		if (!selected(&cases[k], pat, npat))
			continue;
		/* --shard K/N: every N-th selected case from the K-th. */
		if (g.shard_n == 0 || nshard++ % g.shard_n == g.shard_k - 1)
			sel[nsel++] = k;
	}
	for (i = 0; i < npat; i++) {
		for (k = 0; k < ncases; k++)
			if (selected(&cases[k], &pat[i], 1))
				break;
		if (k == ncases) {
			fprintf(stderr, "ftharness: no case matches '%s'\n",
			    pat[i]);
			unmatched = 1;
		}
	}
	if (g.list) {
		for (k = 0; k < nsel; k++)
			printf("%s\n", cases[sel[k]].name);
		free(sel);
		return unmatched;
	}
	/*
	 * The binary under test: --flowtap, else this repository's release
	 * build, else the flowtap installed beside ftharness, else PATH's.
	 */
	self_dir(self, sizeof(self));
	if (g.flowtap == NULL) {
		if (is_file("build/release/flowtap"))
			g.flowtap = "build/release/flowtap";
		else if (find_prog("flowtap", self, NULL, NULL, found,
		    sizeof(found)) == 0)
			g.flowtap = found;
		else
			g.flowtap = "flowtap";
	}
	if (realpath(g.flowtap, g.flowtap_abs) == NULL ||
	    access(g.flowtap_abs, X_OK) != 0) {
		fprintf(stderr, "ftharness: flowtap binary '%s' not found "
		    "(build it, or pass --flowtap)\n", g.flowtap);
		free(sel);
		return 2;
	}
	if (mkpath(tmp, sizeof(tmp), "%s", g.flowtap_abs) != 0)
		return 2;
	slash = strrchr(tmp, '/');
	if (slash != NULL)
		*slash = '\0';
	/*
	 * pktgen: beside flowtap (a build folder), else beside ftharness,
	 * else where make install puts it (PREFIX/libexec/flowtap), else
	 * PATH's.
	 */
	if (self[0] == '\0' || mkpath(libexec, sizeof(libexec),
	    "%s/../libexec/flowtap", self) != 0)
		libexec[0] = '\0';
	if (find_prog("pktgen", tmp, self, libexec, g.pktgen,
	    sizeof(g.pktgen)) != 0 &&
	    mkpath(g.pktgen, sizeof(g.pktgen), "%s/pktgen", tmp) != 0)
		return 2;
	g.have_tshark = find_in_path("tshark", g.tshark_stamp,
	    sizeof(g.tshark_stamp));

	run_all(sel, nsel);
	for (k = 0; k < nsel; k++) {
		switch (cases[sel[k]].st) {
		case ST_OK:
		case ST_UPDATED:
			npass++;
			break;
		case ST_SKIP:
			nskip++;
			break;
		case ST_FAIL:
		default:
			nfail++;
			break;
		}
	}
	if (g.junit != NULL && write_junit(g.junit, sel, nsel, nfail,
	    nskip) != 0) {
		fprintf(stderr, "ftharness: cannot write '%s': %s\n", g.junit,
		    strerror(errno));
		nfail++;
	}
	if (nskip > 0)
		printf("%zu passed, %zu failed, %zu skipped\n", npass, nfail,
		    nskip);
	else
		printf("%zu passed, %zu failed\n", npass, nfail);
	free(sel);
	return nfail > 0 || unmatched ? 1 : 0;
}
