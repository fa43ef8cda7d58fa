/*
 * root.c - the sysfs/procfs access layer, relative to a root directory.
 *
 * All kernel paths are opened relative to one directory fd: "/" on a live
 * system, or the --sysroot snapshot.  In a snapshot, openat2() with
 * RESOLVE_IN_ROOT keeps absolute symlinks and ".." inside the snapshot
 * (the kernel's own sysfs links are relative, so they resolve the same
 * way either way); without openat2() the path is walked one component at
 * a time (walk_open), to the same effect.  Readers return -errno and never print: the caller
 * knows which object a file belongs to and words the diagnostic.
 */
#include "mqtune/root.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mqtune/parse.h"

static const char *relative(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

/*
 * openat2() with RESOLVE_IN_ROOT fails with EAGAIN when a ".." step of the
 * walk raced with a rename or a mount anywhere on the system (the kernel
 * cannot then prove the walk stayed inside the root).  Nothing is wrong
 * with the path: try again, a bounded number of times.
 */
#define OPENAT2_TRIES 64

static int openat2_in_root(const struct mq_root *r, int dirfd,
			   const char *rel, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = (unsigned int)flags | O_CLOEXEC,
		.mode = mode,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int tries = 0, fd;

	do {
		int err = r->openat2_hook ? r->openat2_hook(r->hook_arg) : 0;

		if (err) {
			errno = err;
			fd = -1;
		} else {
			fd = (int)syscall(SYS_openat2, dirfd, rel, &how,
					  sizeof(how));
		}
	} while (fd < 0 && errno == EAGAIN && ++tries < OPENAT2_TRIES);
	return fd;
}

/*
 * Confinement without openat2(): walk @rel one component at a time from
 * the root fd, each opened with O_NOFOLLOW relative to the directory
 * before it.  A symlink is read and its text spliced in front of what is
 * left: an absolute one restarts at the root, a relative one continues
 * from the directory holding it, at most WALK_HOPS of them (the kernel's
 * MAXSYMLINKS).  ".." pops the stack of directories walked, never above
 * the root, and is never looked up in the file system, so no rename or
 * mount can make it lead out.  The last component is opened with @flags
 * (followed too unless they hold O_NOFOLLOW).
 */
#define WALK_HOPS 40
#define WALK_DEPTH 64

struct walk {
	int fds[WALK_DEPTH];	/* fds[0] is the root's, not ours to close */
	int depth;
};

static void walk_up(struct walk *w, int to)
{
	while (w->depth > to)
		close(w->fds[w->depth--]);
}

/*
 * Replace the consumed part of @rem (up to @rest) by @link + "/" + @rest.
 * -ELOOP after too many links, -ENAMETOOLONG when it does not fit.
 */
static int splice_link(char *rem, size_t cap, const char *link, size_t llen,
		       const char *rest, int *hops)
{
	size_t rlen = strlen(rest);

	if (++*hops > WALK_HOPS)
		return -ELOOP;
	if (llen + 1 + rlen + 1 > cap)
		return -ENAMETOOLONG;
	memmove(rem + llen + 1, rest, rlen + 1);
	memcpy(rem, link, llen);
	rem[llen] = '/';
	return 0;
}

static int walk_open(const struct mq_root *r, const char *path, int flags,
		     mode_t mode)
{
	char rem[2 * MQ_PATH_MAX], link[MQ_PATH_MAX];
	struct walk w = { .fds = { r->dirfd }, .depth = 0 };
	char *p = rem;
	int hops = 0, fd = -ENOENT;

	if (strlen(path) >= sizeof(rem))
		return -ENAMETOOLONG;
	strcpy(rem, path);
	for (;;) {
		char *name, *end;
		bool last;
		int cur = w.fds[w.depth], err;
		ssize_t n;

		while (*p == '/')
			p++;
		if (!*p) {	/* the path names a directory walked to */
			fd = openat(cur, ".", (flags & ~O_NOFOLLOW) | O_CLOEXEC,
				    mode);
			fd = fd < 0 ? -errno : fd;
			break;
		}
		name = p;
		end = strchr(p, '/');
		if (end)
			*end++ = '\0';
		else
			end = p + strlen(p);
		p = end;
		while (*p == '/')
			p++;
		last = !*p;
		if (strcmp(name, ".") == 0)
			continue;
		if (strcmp(name, "..") == 0) {
			walk_up(&w, w.depth ? w.depth - 1 : 0);
			continue;
		}
		if (last)
			fd = openat(cur, name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
		else
			fd = openat(cur, name,
				    O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		err = fd < 0 ? errno : 0;
		if (fd >= 0 && last && (flags & O_PATH) && !(flags & O_NOFOLLOW)) {
			struct stat st;

			/* O_PATH|O_NOFOLLOW opens a link itself: follow it */
			if (fstat(fd, &st) < 0) {
				err = errno;
				close(fd);
				fd = -err;
				break;
			}
			if (S_ISLNK(st.st_mode)) {
				close(fd);
				fd = -1;
				err = ELOOP;
			}
		}
		if (fd >= 0 && last)
			break;
		if (fd >= 0) {
			if (w.depth + 1 >= WALK_DEPTH) {
				close(fd);
				fd = -ENAMETOOLONG;
				break;
			}
			w.fds[++w.depth] = fd;
			continue;
		}
		/* A symlink fails O_NOFOLLOW with ELOOP, or O_DIRECTORY with
		 * ENOTDIR; anything else, or a last component the caller
		 * does not want followed, is the answer. */
		fd = -err;
		if ((err != ELOOP && err != ENOTDIR) ||
		    (last && (flags & O_NOFOLLOW)))
			break;
		n = readlinkat(cur, name, link, sizeof(link));
		if (n < 0) {
			fd = errno == EINVAL ? -err : -errno;
			break;
		}
		if ((size_t)n == sizeof(link)) {
			fd = -ENAMETOOLONG;
			break;
		}
		if (link[0] == '/')
			walk_up(&w, 0);
		err = splice_link(rem, sizeof(rem), link, (size_t)n, p, &hops);
		if (err) {
			fd = err;
			break;
		}
		p = rem;
	}
	walk_up(&w, 0);
	return fd;
}

/* Open @rel below the root with @flags (and @mode for O_CREAT). */
static int open_below(const struct mq_root *r, const char *rel, int flags,
		      mode_t mode)
{
	int fd;

	if (r->live) {
		fd = openat(r->dirfd, rel, flags | O_CLOEXEC, mode);
		return fd < 0 ? -errno : fd;
	}
	if (r->confined) {
		fd = openat2_in_root(r, r->dirfd, rel, flags, mode);
		if (fd >= 0)
			return fd;
		/* Still EAGAIN after every try: renames do not stop. */
		if (errno != EAGAIN)
			return -errno;
	}
	return walk_open(r, rel, flags, mode);
}

/*
 * The directories kept open (mq_root_keep_dir): each the absolute kernel
 * path it was opened by and its O_PATH fd.
 */
struct mq_root_dirs {
	size_t nr;
	struct {
		int fd;
		size_t len;
		char path[MQ_PATH_MAX];
	} dir[MQ_ROOT_DIRS];
};

/*
 * Open @path relative to the longest kept directory holding it, without
 * following any symlink and without leaving that directory.  -EAGAIN
 * (not an errno of the open itself) when there is none or when the short
 * way does not apply (a symlink, "..", openat2 refused): the caller then
 * opens @path from the root.  -ENOENT is final: the directory is the one
 * @path leads to, so the long way would not find the file either.
 */
static int open_kept(const struct mq_root *r, const char *path, int flags,
		     mode_t mode)
{
	const struct mq_root_dirs *k = r->dirs;
	const char *rest = NULL;
	size_t i, best = 0;
	int dirfd = -1, fd;

	if (!k)
		return -EAGAIN;
	for (i = 0; i < k->nr; i++) {
		size_t len = k->dir[i].len;

		if (len > best && strncmp(path, k->dir[i].path, len) == 0 &&
		    path[len] == '/' && path[len + 1]) {
			best = len;
			dirfd = k->dir[i].fd;
			rest = path + len + 1;
		}
	}
	if (dirfd < 0 || strstr(rest, "..") || strstr(rest, "//"))
		return -EAGAIN;
	if (r->live) {
		fd = openat(dirfd, rest, flags | O_CLOEXEC, mode);
	} else if (r->confined) {
		struct open_how how = {
			.flags = (unsigned int)flags | O_CLOEXEC,
			.mode = mode,
			.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
				   RESOLVE_NO_MAGICLINKS,
		};
		int err = r->openat2_hook ? r->openat2_hook(r->hook_arg) : 0;

		if (err)
			return -EAGAIN;
		fd = (int)syscall(SYS_openat2, dirfd, rest, &how, sizeof(how));
	} else {
		/* the component walk's way: one name, not followed */
		if (strchr(rest, '/'))
			return -EAGAIN;
		fd = openat(dirfd, rest, flags | O_CLOEXEC | O_NOFOLLOW, mode);
	}
	if (fd >= 0)
		return fd;
	return errno == ENOENT ? -ENOENT : -EAGAIN;
}

int mq_root_openat(const struct mq_root *r, const char *path, int flags)
{
	int fd = open_kept(r, path, flags, 0);

	return fd == -EAGAIN ? open_below(r, relative(path), flags, 0) : fd;
}

void mq_root_forget_dirs(const struct mq_root *r)
{
	struct mq_root_dirs *k = r->dirs;
	size_t i;

	if (!k)
		return;
	for (i = 0; i < k->nr; i++)
		close(k->dir[i].fd);
	k->nr = 0;
}

int mq_root_keep_dir(const struct mq_root *r, const char *dir)
{
	struct mq_root_dirs *k = r->dirs;
	size_t len = strlen(dir);
	int fd;

	if (!k)
		return -ENOSPC;
	for (size_t i = 0; i < k->nr; i++)	/* kept already (a re-plan) */
		if (k->dir[i].len == len && memcmp(k->dir[i].path, dir, len) == 0)
			return 0;
	if (k->nr == MQ_ROOT_DIRS)
		return -ENOSPC;
	if (len < 2 || len >= sizeof(k->dir[0].path) || dir[0] != '/' ||
	    dir[len - 1] == '/')
		return -EINVAL;
	fd = mq_root_openat(r, dir, O_PATH | O_DIRECTORY);
	if (fd < 0)
		return fd;
	k->dir[k->nr].fd = fd;
	k->dir[k->nr].len = len;
	memcpy(k->dir[k->nr].path, dir, len + 1);
	k->nr++;
	return 0;
}

int mq_root_open(struct mq_root *r, const char *sysroot,
		 struct mq_diag *d)
{
	const char *dir = sysroot ? sysroot : "/";
	struct stat st;
	int fd;

	memset(r, 0, sizeof(*r));
	r->dirfd = -1;
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return mq_diag_set(d, MQ_EXIT_SYSTEM, errno, "%s: %s%s", dir,
				   sysroot ? "sysroot: " : "",
				   strerror(errno));
	if (fstat(fd, &st) < 0) {
		close(fd);
		return mq_diag_set(d, MQ_EXIT_SYSTEM, errno, "%s: %s", dir,
				   strerror(errno));
	}
	r->prefix = strdup(dir);
	if (!r->prefix) {
		close(fd);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	r->dirs = calloc(1, sizeof(*r->dirs));
	if (!r->dirs) {
		close(fd);
		free(r->prefix);
		r->prefix = NULL;
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	r->dirfd = fd;
	r->live = sysroot == NULL;
	r->uid = geteuid();
	r->gid = getegid();
	r->umask = umask(022);
	umask(r->umask);
	mq_root_probe(r);
	return 0;
}

void mq_root_probe(struct mq_root *r)
{
	int probe;

	r->confined = false;
	if (r->live)
		return;
	probe = openat2_in_root(r, r->dirfd, ".", O_PATH | O_DIRECTORY, 0);
	r->confined = probe >= 0;
	if (probe >= 0)
		close(probe);
}

void mq_root_close(struct mq_root *r)
{
	size_t i;

	for (i = 0; r->dirs && i < r->dirs->nr; i++)
		close(r->dirs->dir[i].fd);
	free(r->dirs);
	r->dirs = NULL;
	if (r->dirfd >= 0)
		close(r->dirfd);
	r->dirfd = -1;
	free(r->prefix);
	r->prefix = NULL;
}

int mq_path(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= cap)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Read a whole small file.  sysfs attributes and single-record procfs
 * files hand over all their text in the first read, and a regular file
 * returns less than asked only at its end, so a short read ends it: that
 * saves the second, empty read per file (thousands on a large machine).
 */
static ssize_t read_fd(int fd, char *buf, size_t cap)
{
	size_t len = 0;

	while (len + 1 < cap) {
		size_t want = cap - 1 - len;
		ssize_t n = read(fd, buf + len, want);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		len += (size_t)n;
		if ((size_t)n < want)
			break;
	}
	buf[len] = '\0';
	if (len + 1 == cap) {
		char extra;
		ssize_t n = read(fd, &extra, 1);

		if (n > 0)
			return -EFBIG;
	}
	return (ssize_t)len;
}

/*
 * Open a kernel file to read or write it.  sysfs and procfs attributes are
 * regular files; a FIFO or a device in their place (a hostile or broken
 * sysroot) would block or never end, so it is refused: O_NONBLOCK keeps
 * the open itself from waiting (a FIFO without a writer), fstat() tells
 * what was opened.  @st receives it when not NULL.
 */
static int open_file(const struct mq_root *r, const char *path, int flags,
		     struct stat *st)
{
	struct stat own;
	int fd = mq_root_openat(r, path, flags | O_NONBLOCK | O_NOCTTY);

	if (fd < 0)
		return fd;
	if (!st)
		st = &own;
	if (fstat(fd, st) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return -MQ_ENOTREG;
	}
	return fd;
}

/*
 * A snapshot's file that mqtune shortened holds, until the cut that
 * follows, the new text, a newline and spaces up to the old length
 * (mq_root_write_back): a run killed between the two leaves that.  The
 * spaces after the last newline are not part of the value.  A run that
 * writes (finish_cuts) makes the cut, so that the file ends up exactly as
 * the finished write would have left it.  Only in a snapshot: no kernel
 * file ends that way.
 */
static size_t unpad(const struct mq_root *r, const char *path, char *buf,
		    size_t len)
{
	size_t n = len;
	int fd;

	if (r->live)
		return len;
	while (n && buf[n - 1] == ' ')
		n--;
	if (n == len || !n || buf[n - 1] != '\n')
		return len;
	buf[n] = '\0';
	if (r->finish_cuts &&
	    (fd = mq_root_openat(r, path, O_WRONLY | O_NONBLOCK | O_NOCTTY)) >= 0) {
		/* a cut that fails leaves a file that reads right anyway */
		(void)!ftruncate(fd, (off_t)n);
		close(fd);
	}
	return n;
}

ssize_t mq_root_read_st(const struct mq_root *r, const char *path,
			char *buf, size_t cap, struct stat *st)
{
	struct stat own;
	ssize_t len;
	int fd;

	if (cap == 0)
		return -EINVAL;
	if (st) {
		fd = open_file(r, path, O_RDONLY, st);
		if (fd < 0)
			return fd;
		len = read_fd(fd, buf, cap);
		close(fd);
		return len < 0 ? len : (ssize_t)unpad(r, path, buf, (size_t)len);
	}
	/*
	 * Without a stat wanted, the regular-file check waits for a read
	 * that looks wrong: a FIFO (opened without blocking) reads empty
	 * or EAGAIN, a directory EISDIR, a device like /dev/zero overfills
	 * the buffer.  A kernel attribute never does any of that, so the
	 * thousands of reads of a large machine save their fstat().
	 */
	fd = mq_root_openat(r, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return fd;
	len = read_fd(fd, buf, cap);
	if ((len == 0 || len == -EFBIG || len == -EAGAIN || len == -EISDIR ||
	     len == -EINVAL) && fstat(fd, &own) == 0 && !S_ISREG(own.st_mode))
		len = -MQ_ENOTREG;
	close(fd);
	return len < 0 ? len : (ssize_t)unpad(r, path, buf, (size_t)len);
}

ssize_t mq_root_read(const struct mq_root *r, const char *path,
		     char *buf, size_t cap)
{
	return mq_root_read_st(r, path, buf, cap, NULL);
}

ssize_t mq_root_read_alloc(const struct mq_root *r, const char *path,
			   size_t max, char **out)
{
	size_t cap = 65536, len = 0;
	struct stat st;
	char *buf;
	int fd;

	*out = NULL;
	fd = open_file(r, path, O_RDONLY, &st);
	if (fd < 0)
		return fd;
	/* A snapshot's file tells its size; procfs says 0, and every sysfs
	 * attribute 4096 (a page) whatever it holds: those are read, up to
	 * @max. */
	if (!r->live && (uintmax_t)st.st_size > max) {
		close(fd);
		return -EFBIG;
	}
	if (cap > max + 1)
		cap = max + 1;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			size_t more = cap > max / 2 ? max + 1 : cap * 2;
			char *bigger;

			if (len >= max) {	/* full: only the end may follow */
				char extra;

				do {
					n = read(fd, &extra, 1);
				} while (n < 0 && errno == EINTR);
				if (n == 0)
					break;
				free(buf);
				close(fd);
				return n < 0 ? -errno : -EFBIG;
			}
			bigger = realloc(buf, more);
			if (!bigger) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = bigger;
			cap = more;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			free(buf);
			close(fd);
			return -err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	return (ssize_t)unpad(r, path, buf, len);
}

size_t mq_root_interrupts_max(unsigned int nr_cpu_ids)
{
	/* A row: the IRQ number, 11 bytes per CPU, chip, hwirq and the
	 * handler names.  Rows: one per interrupt descriptor in use; x86
	 * sizes its table at some 8 per CPU plus the GSIs, and a device
	 * rarely takes more than a vector per CPU; 64 per CPU and 12288
	 * more leave a wide margin. */
	size_t cpus = nr_cpu_ids ? nr_cpu_ids : MQ_CPUSET_MAX_BITS;

	return (11 * cpus + 512) * (64 * cpus + 12288);
}

size_t mq_root_cpuset_max(unsigned int nr_cpu_ids)
{
	/* The list form at its longest ("0,2,4,..."): fewer than 7 bytes a
	 * CPU below 65536; the mask form takes 9 bytes per 32 CPUs. */
	return 8 * (size_t)nr_cpu_ids + 64;
}

/* Split @path into an fd of its parent directory and its last component. */
static int open_parent(const struct mq_root *r, const char *path,
		       const char **base)
{
	char dir[MQ_PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!slash) {
		*base = path;
		return mq_root_openat(r, "/", O_PATH | O_DIRECTORY);
	}
	n = (size_t)(slash - path);
	if (n >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, n);
	dir[n] = '\0';
	*base = slash + 1;
	return mq_root_openat(r, n ? dir : "/", O_PATH | O_DIRECTORY);
}

/*
 * Write @len bytes of @data to @fd, going on after a short write (a regular
 * file then says why with the next one: ENOSPC, EDQUOT, EFBIG).  @limit
 * below @len stops there and fails with @limit_err: the write hook's
 * simulated short write.  *@done is how many bytes reached the file.
 */
static int write_all(int fd, const char *data, size_t len, size_t limit,
		     int limit_err, size_t *done)
{
	size_t off = 0, end = limit < len ? limit : len;
	int err = 0;

	while (off < end) {
		ssize_t n = write(fd, data + off, end - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			break;
		}
		off += (size_t)n;
	}
	*done = off;
	if (!err && end < len)
		err = limit_err;
	return err;
}

static int read_back(int fd, char *back, size_t cap)
{
	ssize_t n;

	if (!back)
		return 0;
	n = lseek(fd, 0, SEEK_SET) < 0 ? -errno : read_fd(fd, back, cap);
	return n < 0 ? (int)n : 0;
}

static int close_checked(int fd, int err)
{
	if (close(fd) < 0 && !err && errno != EINTR)
		err = -errno;
	return err;
}

/*
 * Replace a snapshot's file by one holding only the new text: written
 * beside it as ".NAME.mqtune" and renamed over it, so that whatever stops
 * the run (SIGKILL, a crash) leaves either the old text or the new one,
 * never the new text followed by the rest of the old.  The new file gets
 * the old one's mode and, when allowed, its owner.  Returns -ENOSPC or
 * -EDQUOT with *@fallback set when there is no room for a second copy.
 */
static int replace_file(const struct mq_root *r, const char *path,
			const char *data, size_t len, size_t limit,
			int limit_err, char *back, size_t cap, bool *changed,
			bool *fallback)
{
	char tmp[NAME_MAX + 1];
	const char *base;
	struct stat st;
	size_t done;
	int dirfd, fd, err;

	dirfd = open_parent(r, path, &base);
	if (dirfd < 0)
		return dirfd;
	if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		err = -errno;
		goto out;
	}
	if (S_ISLNK(st.st_mode)) {	/* a linked file: rewrite it in place */
		*fallback = true;
		err = 0;
		goto out;
	}
	err = -MQ_ENOTREG;
	if (!S_ISREG(st.st_mode))
		goto out;
	err = -ENAMETOOLONG;
	if (mq_path(tmp, sizeof(tmp), ".%s.mqtune", base))
		goto out;
	fd = openat(dirfd, tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    st.st_mode & 0777);
	if (fd < 0 && errno == EEXIST) {	/* left by a run that was killed */
		unlinkat(dirfd, tmp, 0);
		fd = openat(dirfd, tmp,
			    O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    st.st_mode & 0777);
	}
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	/* created with the mode less the umask: set it unless that is it */
	err = (st.st_mode & 07777) != (st.st_mode & 0777 & ~r->umask) &&
	      fchmod(fd, st.st_mode & 07777) < 0 ? -errno : 0;
	if (!err && (st.st_uid != r->uid || st.st_gid != r->gid) &&
	    fchown(fd, st.st_uid, st.st_gid) < 0 && errno != EPERM)
		err = -errno;
	if (!err)
		err = write_all(fd, data, len, limit, limit_err, &done);
	if (!err && renameat(dirfd, tmp, dirfd, base) < 0)
		err = -errno;
	if (err) {
		unlinkat(dirfd, tmp, 0);
		*fallback = err == -ENOSPC || err == -EDQUOT;
		close(fd);
		goto out;
	}
	*changed = true;
	/* The new file holds exactly @data, written in full just now and
	 * seen by no kernel: that is what reading it back would give. */
	err = 0;
	if (back && len >= cap)
		err = -EFBIG;
	else if (back) {
		memcpy(back, data, len);
		back[len] = '\0';
	}
	err = close_checked(fd, err);
out:
	close(dirfd);
	return err;
}

/*
 * A snapshot's file of at most this many bytes is shortened in place: the
 * new text padded to the old length is one write within one page, which
 * no signal splits, and the cut follows (see unpad()).  A longer one is
 * replaced by a renamed copy (replace_file).
 */
#define PAD_MAX 4096

/*
 * Write @data over a snapshot's file @fd of @size bytes, longer than
 * @len: the text, a newline when it has none, spaces to @size, then the
 * cut to @len.  Killed between the write and the cut, the file reads as
 * the new value (unpad); nothing of the old text is left either way.
 */
static int write_padded(int fd, const char *data, size_t len, size_t size,
			size_t limit, int limit_err, size_t *done)
{
	char padded[PAD_MAX];
	size_t n = len;
	int err;

	memcpy(padded, data, len);
	if (!len || data[len - 1] != '\n')
		padded[n++] = '\n';
	memset(padded + n, ' ', size - n);
	err = write_all(fd, padded, size, limit < len ? limit : size,
			limit_err, done);
	if (!err && ftruncate(fd, (off_t)len) < 0)
		err = -errno;
	return err;
}

/*
 * sysfs and procfs take the value from one write(2) at offset 0 and ignore
 * truncation, so on a live system that is all there is to it (a short
 * write there is EIO: the kernel took part of the value).  A snapshot's
 * regular file is rewritten in place when the new text is at least as
 * long as the old: one write, nothing of the old text can remain.  A
 * shorter text is padded and cut (write_padded) in a file of up to a page,
 * and replaces a longer file (replace_file); only without room for that
 * is it written in place and cut.  With @back, the value is read back
 * through the file written, as the kernel now shows it; a snapshot's file
 * written in full holds @data, which is what reading it would give.
 */
int mq_root_write_back(const struct mq_root *r, const char *path,
		       const char *data, size_t len, char *back, size_t cap,
		       bool *changed)
{
	size_t limit = len, done = 0;
	bool own_changed, fallback = false;
	int fd, err, limit_err = 0;
	struct stat st;

	if (!changed)
		changed = &own_changed;
	*changed = false;
	if (r->write_hook) {
		limit_err = r->write_hook(path, &limit, r->hook_arg);
		if (limit_err && limit >= len)
			return limit_err;
	}
	if (r->live) {
		ssize_t n;

		fd = open_file(r, path, back ? O_RDWR : O_WRONLY, &st);
		if (fd < 0)
			return fd;
		/* write(), not pwrite(): seq_file-backed procfs files refuse
		 * positional I/O (ESPIPE); a fresh open is at offset 0. */
		do {
			n = write(fd, data, limit);
		} while (n < 0 && errno == EINTR);
		err = n < 0 ? -errno : (size_t)n < len ? (limit_err ? limit_err : -EIO) : 0;
		*changed = n > 0;
		if (!err)
			err = read_back(fd, back, cap);
		return close_checked(fd, err);
	}
	fd = open_file(r, path, back ? O_RDWR : O_WRONLY, &st);
	if (fd < 0)
		return fd;
	if ((uintmax_t)st.st_size > len && st.st_size <= PAD_MAX) {
		err = write_padded(fd, data, len, (size_t)st.st_size, limit,
				   limit_err, &done);
		*changed = done > 0;
		if (!err && back && len >= cap)
			err = -EFBIG;
		else if (!err && back) {
			memcpy(back, data, len);
			back[len] = '\0';
		}
		return close_checked(fd, err);
	}
	if ((uintmax_t)st.st_size > len) {
		close(fd);
		err = replace_file(r, path, data, len, limit, limit_err, back,
				   cap, changed, &fallback);
		if (!fallback)
			return err;
		fd = open_file(r, path, back ? O_RDWR : O_WRONLY, &st);
		if (fd < 0)
			return fd;
	}
	err = write_all(fd, data, len, limit, limit_err, &done);
	*changed = done > 0;
	if (!err && (uintmax_t)st.st_size > len &&
	    ftruncate(fd, (off_t)len) < 0)
		err = -errno;
	if (!err)
		err = read_back(fd, back, cap);
	return close_checked(fd, err);
}

int mq_root_write(const struct mq_root *r, const char *path,
		  const char *data, size_t len)
{
	return mq_root_write_back(r, path, data, len, NULL, 0, NULL);
}

ssize_t mq_root_readlink(const struct mq_root *r, const char *path,
			 char *buf, size_t cap)
{
	const char *base;
	ssize_t n;
	int fd;

	if (cap == 0)
		return -EINVAL;
	fd = open_parent(r, path, &base);
	if (fd < 0)
		return fd;
	n = readlinkat(fd, base, buf, cap - 1);
	if (n < 0)
		n = -errno;
	else
		buf[n] = '\0';
	close(fd);
	return n;
}

int mq_root_stat(const struct mq_root *r, const char *path, struct stat *st)
{
	int fd = mq_root_openat(r, path, O_PATH);
	int err = 0;

	if (fd < 0)
		return fd;
	if (fstat(fd, st) < 0)
		err = -errno;
	close(fd);
	return err;
}

DIR *mq_root_opendir(const struct mq_root *r, const char *path)
{
	int fd = mq_root_openat(r, path, O_RDONLY | O_DIRECTORY);
	DIR *dir;

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	dir = fdopendir(fd);
	if (!dir) {
		int err = errno;

		close(fd);
		errno = err;
	}
	return dir;
}

int mq_root_read_word(const struct mq_root *r, const char *path,
		      char *buf, size_t cap)
{
	ssize_t n = mq_root_read(r, path, buf, cap);

	if (n < 0)
		return (int)n;
	buf[mq_chomp(buf, (size_t)n)] = '\0';
	return 0;
}

/* Keep a copy of the text as read, when the caller wants it. */
static int keep_raw(char **raw, const char *buf, size_t len)
{
	if (!raw)
		return 0;
	*raw = strndup(buf, len);
	return *raw ? 0 : -ENOMEM;
}

int mq_root_read_s64_raw(const struct mq_root *r, const char *path,
			 int64_t *out, char **raw)
{
	char buf[64];
	ssize_t n = mq_root_read(r, path, buf, sizeof(buf));

	if (n < 0)
		return n == -EFBIG ? -EINVAL : (int)n;
	if (mq_parse_s64(buf, (size_t)n, out))
		return -EINVAL;
	return keep_raw(raw, buf, (size_t)n);
}

int mq_root_read_s64(const struct mq_root *r, const char *path, int64_t *out)
{
	return mq_root_read_s64_raw(r, path, out, NULL);
}

typedef int (*cpuset_parser)(struct mq_cpuset *, const char *, size_t);

static int read_cpuset(const struct mq_root *r, const char *path,
		       struct mq_cpuset *s, cpuset_parser parse, char **raw)
{
	size_t max = mq_root_cpuset_max(s->nbits);
	char small[4096];
	char *big = NULL;
	ssize_t n = mq_root_read(r, path, small,
				 max < sizeof(small) ? max + 1 : sizeof(small));
	const char *buf = small;
	int err;

	if (n == -EFBIG && max >= sizeof(small)) {
		n = mq_root_read_alloc(r, path, max, &big);
		buf = big;
	}
	if (n < 0)
		return (int)n;
	err = parse(s, buf, (size_t)n);
	if (err == MQ_PARSE_NOMEM)
		err = -ENOMEM;
	else if (err)
		err = -EINVAL;
	else
		err = keep_raw(raw, buf, (size_t)n);
	free(big);
	return err;
}

int mq_root_read_cpulist(const struct mq_root *r, const char *path,
			 struct mq_cpuset *s)
{
	return read_cpuset(r, path, s, mq_cpuset_parse_list, NULL);
}

int mq_root_read_cpumask(const struct mq_root *r, const char *path,
			 struct mq_cpuset *s)
{
	return read_cpuset(r, path, s, mq_cpuset_parse_mask, NULL);
}

int mq_root_read_cpumask_raw(const struct mq_root *r, const char *path,
			     struct mq_cpuset *s, char **raw)
{
	return read_cpuset(r, path, s, mq_cpuset_parse_mask, raw);
}

int mq_root_real_path(const struct mq_root *r, const char *path, char *buf,
		      size_t cap)
{
	const char *prefix = r->live ? "" : r->prefix;
	size_t plen = strlen(prefix);

	if (plen && prefix[plen - 1] == '/')
		plen--;
	return mq_path(buf, cap, "%.*s%s", (int)plen, prefix, path);
}

int mq_root_fail(const struct mq_root *r, struct mq_diag *d, const char *path,
		 int err)
{
	char real[2 * MQ_PATH_MAX];
	int status = MQ_EXIT_SYSTEM;

	mq_root_real_path(r, path, real, sizeof(real));
	if (err < 0)
		err = -err;
	if (err == ENOMEM)
		status = MQ_EXIT_FAILURE;
	if (err == EINVAL)
		return mq_diag_set(d, status, err, "%s: malformed contents", real);
	if (err == MQ_ENOTREG)
		return mq_diag_set(d, status, err, "%s: not a regular file", real);
	if (err == EFBIG)
		return mq_diag_set(d, status, err,
				   "%s: longer than such a file can be", real);
	return mq_diag_set(d, status, err, "%s: %s", real, strerror(err));
}

int mq_root_create(const struct mq_root *r, const char *path, int flags,
		   mode_t mode)
{
	const char *base;
	int dirfd, fd;

	/* The parent directory, made if missing, from its own confined
	 * parent: no mkdir may follow a link out of the sysroot. */
	dirfd = open_parent(r, path, &base);
	if (dirfd == -ENOENT) {
		char dir[MQ_PATH_MAX];
		const char *slash = strrchr(path, '/'), *name;
		int up;

		if (!slash || (size_t)(slash - path) >= sizeof(dir))
			return -ENOENT;
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
		up = open_parent(r, dir, &name);
		if (up < 0)
			return up;
		if (strcmp(name, "..") == 0 || strcmp(name, ".") == 0 ||
		    (mkdirat(up, name, 0755) < 0 && errno != EEXIST)) {
			int err = errno;

			close(up);
			return strcmp(name, "..") == 0 ? -EPERM : -err;
		}
		close(up);
		dirfd = open_parent(r, path, &base);
	}
	if (dirfd < 0)
		return dirfd;
	/* @base has no slash: relative to its parent's fd, neither way of
	 * opening can leave it, and O_NOFOLLOW keeps a link from leading
	 * elsewhere. */
	if (strcmp(base, "..") == 0 || strcmp(base, ".") == 0 || !*base)
		fd = -EISDIR;
	else
		fd = openat(dirfd, base, flags | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
			    mode);
	if (fd == -1)
		fd = -errno;
	close(dirfd);
	if (fd >= 0) {
		struct stat st;

		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			return -MQ_ENOTREG;
		}
	}
	return fd;
}

/*
 * Files mqtune keeps for itself (the state file under /var/lib/mqtune):
 * made with their directories, replaced atomically, removed.  Like every
 * other path, relative to the root, so --sysroot keeps them in DIR.
 */

/* Make directory @dir and the missing ones above it (mode 0755). */
static int make_dirs(const struct mq_root *r, const char *dir)
{
	char part[MQ_PATH_MAX];
	size_t len = strlen(dir), i;

	if (len >= sizeof(part))
		return -ENAMETOOLONG;
	for (i = 1; i <= len; i++) {
		const char *name;
		int fd, up;

		if (i < len && dir[i] != '/')
			continue;
		memcpy(part, dir, i);
		part[i] = '\0';
		fd = mq_root_openat(r, part, O_PATH | O_DIRECTORY);
		if (fd >= 0) {
			close(fd);
			continue;
		}
		if (fd != -ENOENT)
			return fd;
		up = open_parent(r, part, &name);
		if (up < 0)
			return up;
		if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			close(up);
			return -EPERM;
		}
		if (mkdirat(up, name, 0755) < 0 && errno != EEXIST) {
			int err = -errno;

			close(up);
			return err;
		}
		fsync(up);
		close(up);
	}
	return 0;
}

/* fsync a directory opened O_PATH: it needs a real fd for that. */
static int sync_dir(int dirfd)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0 && errno != EINVAL)
		err = -errno;
	close(fd);
	return err;
}

int mq_root_replace_with(const struct mq_root *r, const char *path,
			 mode_t mode, int (*produce)(int fd, void *arg),
			 void *arg)
{
	char tmp[NAME_MAX + 1], dir[MQ_PATH_MAX];
	const char *slash = strrchr(path, '/'), *base;
	int dirfd, fd, err;

	if (!slash || slash == path || (size_t)(slash - path) >= sizeof(dir))
		return -EINVAL;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	err = make_dirs(r, dir);
	if (err)
		return err;
	dirfd = open_parent(r, path, &base);
	if (dirfd < 0)
		return dirfd;
	err = -ENAMETOOLONG;
	if (!*base || mq_path(tmp, sizeof(tmp), ".%s.tmp", base))
		goto out;
	/* a temporary left by a run that was killed is not ours to keep */
	unlinkat(dirfd, tmp, 0);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    mode);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	err = produce(fd, arg);
	if (!err && fchmod(fd, mode) < 0)
		err = -errno;
	if (!err && fsync(fd) < 0)
		err = -errno;
	err = close_checked(fd, err);
	if (!err && renameat(dirfd, tmp, dirfd, base) < 0)
		err = -errno;
	if (err)
		unlinkat(dirfd, tmp, 0);
	else
		err = sync_dir(dirfd);
out:
	close(dirfd);
	return err;
}

struct text {
	const char *data;
	size_t len;
};

static int write_text(int fd, void *arg)
{
	const struct text *t = arg;
	size_t done;

	return write_all(fd, t->data, t->len, t->len, 0, &done);
}

int mq_root_replace(const struct mq_root *r, const char *path,
		    const char *data, size_t len, mode_t mode)
{
	struct text t = { .data = data, .len = len };

	return mq_root_replace_with(r, path, mode, write_text, &t);
}

int mq_root_write_fd(int fd, const char *data, size_t len)
{
	size_t done;

	return write_all(fd, data, len, len, 0, &done);
}

int mq_root_remove(const struct mq_root *r, const char *path)
{
	const char *base;
	int dirfd = open_parent(r, path, &base), err = 0;

	if (dirfd == -ENOENT)
		return 0;
	if (dirfd < 0)
		return dirfd;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		err = -EINVAL;
	else if (unlinkat(dirfd, base, 0) < 0)
		err = errno == ENOENT ? 0 : -errno;
	else
		err = sync_dir(dirfd);
	close(dirfd);
	return err;
}
