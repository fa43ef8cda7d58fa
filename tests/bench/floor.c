/*
 * floor.c - the least a program can do to apply what `mqtune auto` applies,
 * and the launcher tests/bench/run.py measures every process with.
 *
 *   floor ROOT SPECFILE
 *       For each file listed in SPECFILE: open it below ROOT, read it,
 *       rewrite it with its new contents, close it.  Nothing else: no
 *       topology, no planning, no lock.  The list and the new contents
 *       come from diffing a sysroot before and after a real apply.
 *
 *   floor --kill-safe ROOT SPECFILE
 *       The same, but a file whose new contents are shorter than the old
 *       is replaced as mqtune must replace it in a snapshot, so that a
 *       run killed at any point leaves the old text or the new, never the
 *       new followed by the rest of the old: the new text is written to a
 *       temporary file beside it (with the old one's mode), which is then
 *       renamed over it.  Not the floor the targets use: it shows what
 *       that guarantee costs (tests/bench/README.md).
 *
 *   floor --read LISTFILE ROOT SPECFILE
 *       First open, read and close each file LISTFILE names (a path
 *       below ROOT a line: the files the no-op run reads that the apply
 *       does not write), then the plain floor.  The least a program can
 *       do that decides what to write from the files it reads, as mqtune
 *       must; for information, beside the plain floor of the targets.
 *
 *   floor --run RESULTFILE -- CMD [ARG...]
 *       Spawn CMD, wait for it, and write to RESULTFILE one line:
 *       "WALL_NS STATUS MAXRSS_KIB UTIME_US STIME_US".  Peak RSS comes from
 *       wait4()'s rusage.  Measuring from this small process rather than
 *       from Python matters: Linux carries the exec'ing process's memory
 *       high-water mark into ru_maxrss, so a child of Python reports at
 *       least Python's RSS; a child of this launcher at most this
 *       launcher's (~1 MiB, run.py measures it on /bin/true).
 *
 * SPECFILE: the line "mqtune-bench-floor 1", then per file a line
 * "LEN RELPATH" followed by exactly LEN bytes of new contents.
 *
 * Exit status: 0 done, 1 a file could not be opened/read/written, 2 usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int run(const char *resultfile, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	pid_t pid;
	int st = 0, err;
	FILE *f;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
	if (err) {
		fprintf(stderr, "floor: %s: %s\n", argv[0], strerror(err));
		return 127;
	}
	while (wait4(pid, &st, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("floor: wait4");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	f = fopen(resultfile, "w");
	if (!f) {
		perror(resultfile);
		return 1;
	}
	fprintf(f, "%lld %d %ld %lld %lld\n",
		(long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL +
			(t1.tv_nsec - t0.tv_nsec),
		WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st),
		ru.ru_maxrss,
		(long long)ru.ru_utime.tv_sec * 1000000LL + ru.ru_utime.tv_usec,
		(long long)ru.ru_stime.tv_sec * 1000000LL + ru.ru_stime.tv_usec);
	return fclose(f) ? 1 : 0;
}

static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	char *buf;
	size_t got = 0;

	if (fd < 0 || fstat(fd, &sb) < 0)
		return NULL;
	buf = malloc((size_t)sb.st_size + 1);
	if (!buf)
		return NULL;
	while (got < (size_t)sb.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)sb.st_size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	return buf;
}

/*
 * Replace @path (below @rootfd) by a file holding @data: a temporary file
 * in the same directory, with mode @mode, renamed over it.
 */
static int replace(int rootfd, const char *path, const char *data,
		   unsigned long n, mode_t mode)
{
	char dir[4096], tmp[4096];
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	int dirfd, fd, ok;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1,
		 slash ? path : ".");
	snprintf(tmp, sizeof(tmp), ".%s.floor", base);
	dirfd = openat(rootfd, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -1;
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    mode & 07777);
	ok = fd >= 0 && write(fd, data, n) == (ssize_t)n &&
	     renameat(dirfd, tmp, dirfd, base) == 0;
	if (fd >= 0)
		ok = close(fd) == 0 && ok;
	close(dirfd);
	return ok ? 0 : -1;
}

/*
 * The read floor's first part: open, read and close each file of
 * @listfile (a path below @rootfd a line), as any tool must that decides
 * from the files it reads what to write.
 */
static int read_all(int rootfd, const char *root, const char *listfile)
{
	static char buf[65536];
	size_t len, pos = 0;
	char *list = slurp(listfile, &len), *nl;

	if (!list) {
		fprintf(stderr, "floor: %s: %s\n", listfile, strerror(errno));
		return 1;
	}
	for (; pos < len; pos = (size_t)(nl - list) + 1) {
		int fd;

		nl = memchr(list + pos, '\n', len - pos);
		if (!nl)
			break;
		*nl = '\0';
		fd = openat(rootfd, list + pos, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || read(fd, buf, sizeof(buf)) < 0) {
			fprintf(stderr, "floor: %s/%s: %s\n", root, list + pos,
				strerror(errno));
			return 1;
		}
		close(fd);
	}
	free(list);
	return 0;
}

static int apply(const char *root, const char *specfile, int kill_safe,
		 const char *readlist)
{
	static char old[65536];
	size_t len, pos;
	char *spec = slurp(specfile, &len), *nl;
	int rootfd;
	static const char magic[] = "mqtune-bench-floor 1\n";

	if (!spec || len < sizeof(magic) - 1 ||
	    memcmp(spec, magic, sizeof(magic) - 1) != 0) {
		fprintf(stderr, "floor: %s: not a floor spec\n", specfile);
		return 2;
	}
	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		perror(root);
		return 1;
	}
	if (readlist && read_all(rootfd, root, readlist))
		return 1;
	pos = sizeof(magic) - 1;
	while (pos < len) {
		char *end, *path, *data;
		unsigned long n;
		ssize_t got, total = 0;
		int fd;

		nl = memchr(spec + pos, '\n', len - pos);
		if (!nl)
			goto bad;
		*nl = '\0';
		n = strtoul(spec + pos, &end, 10);
		if (end == spec + pos || *end != ' ')
			goto bad;
		path = end + 1;
		data = nl + 1;
		if ((size_t)(data - spec) + n > len)
			goto bad;
		pos = (size_t)(data - spec) + n;

		fd = openat(rootfd, path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "floor: %s/%s: %s\n", root, path, strerror(errno));
			return 1;
		}
		while ((got = read(fd, old, sizeof(old))) > 0) {
			total += got;
			if ((size_t)got < sizeof(old))
				break;
		}
		if (got >= 0 && kill_safe && (unsigned long)total > n) {
			struct stat sb;

			if (fstat(fd, &sb) < 0 || close(fd) < 0 ||
			    replace(rootfd, path, data, n, sb.st_mode) < 0) {
				fprintf(stderr, "floor: %s/%s: %s\n", root, path,
					strerror(errno));
				return 1;
			}
			continue;
		}
		if (got < 0 || pwrite(fd, data, n, 0) != (ssize_t)n ||
		    ((unsigned long)total > n && ftruncate(fd, (off_t)n) < 0)) {
			fprintf(stderr, "floor: %s/%s: %s\n", root, path, strerror(errno));
			return 1;
		}
		if (close(fd) < 0) {
			fprintf(stderr, "floor: %s/%s: %s\n", root, path, strerror(errno));
			return 1;
		}
	}
	return 0;
bad:
	fprintf(stderr, "floor: %s: malformed at byte %zu\n", specfile, pos);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && strcmp(argv[1], "--run") == 0 && strcmp(argv[3], "--") == 0)
		return run(argv[2], argv + 4);
	if (argc == 3 && argv[1][0] != '-')
		return apply(argv[1], argv[2], 0, NULL);
	if (argc == 4 && strcmp(argv[1], "--kill-safe") == 0)
		return apply(argv[2], argv[3], 1, NULL);
	if (argc == 5 && strcmp(argv[1], "--read") == 0)
		return apply(argv[3], argv[4], 0, argv[2]);
	fprintf(stderr, "usage: floor ROOT SPECFILE\n"
			"       floor --kill-safe ROOT SPECFILE\n"
			"       floor --read LISTFILE ROOT SPECFILE\n"
			"       floor --run RESULTFILE -- CMD [ARG...]\n");
	return 2;
}
