/*
 * root.h - the one door to /proc and /sys.
 *
 * Every path mqtune reads or writes under /proc and /sys goes through a
 * struct mq_root.  Paths are given in their absolute kernel form
 * ("/sys/class/net/eth0/mtu") and opened relative to the root directory,
 * which is "/" on a live system or the --sysroot DIR snapshot.  In a
 * sysroot, absolute symlinks and ".." cannot lead outside DIR: openat2()
 * with RESOLVE_IN_ROOT confines them, or, where it is missing or denied,
 * root.c resolves each component itself (O_NOFOLLOW, symlinks read and
 * resolved relative to DIR, ".." never above it).
 */
#ifndef MQTUNE_ROOT_H
#define MQTUNE_ROOT_H

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "mqtune/cpuset.h"
#include "mqtune/diag.h"

struct mq_root_dirs;

struct mq_root {
	int dirfd;		/* O_PATH|O_DIRECTORY fd of the root */
	char *prefix;		/* owned: "/" or the sysroot as given */
	bool live;		/* true when prefix is the real "/" */
	uid_t uid;		/* effective ids and umask at open: a */
	gid_t gid;		/* replaced snapshot file keeps its */
	mode_t umask;		/* owner and mode */
	bool confined;		/* openat2(RESOLVE_IN_ROOT) available; a
				   sysroot without it is walked component
				   by component, confined all the same */
	bool finish_cuts;	/* set by a run holding the lock to write:
				   a snapshot file a killed run left padded
				   (mq_root_write_back) is cut when read */
	/*
	 * Test seam: when set, called before every write of *@len bytes; a
	 * non-zero return (-errno) fails that write without touching the
	 * file, or, when the hook also lowered *@len, after writing only
	 * that many bytes (a short write, as on a full file system).  The
	 * CLI never sets it; unit tests use it to fail a chosen write or undo.
	 */
	int (*write_hook)(const char *path, size_t *len, void *arg);
	/*
	 * Test seam: when set, called before every openat2(); a non-zero
	 * return is taken as that call's errno (EAGAIN, ENOSYS, EPERM)
	 * without making it.  Unit tests set it, then call mq_root_probe().
	 */
	int (*openat2_hook)(void *arg);
	void *hook_arg;		/* for both hooks */
	struct mq_root_dirs *dirs;	/* owned: directories kept open
					   (mq_root_keep_dir); NULL: none */
};

#define MQ_PATH_MAX 512

/* Open the root; @sysroot NULL means the live "/".  0, or -1 with @d set. */
int mq_root_open(struct mq_root *r, const char *sysroot, struct mq_diag *d);
void mq_root_close(struct mq_root *r);

/*
 * Choose how a sysroot is confined (mq_root_open() calls it): openat2()
 * with RESOLVE_IN_ROOT when the kernel has it.
 */
void mq_root_probe(struct mq_root *r);

/*
 * Keep directory @dir (absolute kernel form, no trailing slash) open, so
 * that the paths below it are opened relative to it: a short walk instead
 * of the whole path (and the interface's symlink) for each of thousands
 * of files.  Confinement holds: the directory was opened confined, and a
 * path below it is opened with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS (or,
 * without openat2, as one O_NOFOLLOW component); anything else, a symlink
 * on the way included, is opened from the root as before.  Best effort:
 * 0, or -errno when @dir cannot be opened or MQ_ROOT_DIRS are kept
 * already; nothing changes then but the speed.  mq_root_close() closes them.
 */
#define MQ_ROOT_DIRS 64
int mq_root_keep_dir(const struct mq_root *r, const char *dir);

/*
 * Close every kept directory.  Discovery starts with it: a directory kept
 * by an earlier run of the same process (`watch`) may be one a driver
 * reload or a re-created interface has removed since, and the same path
 * would then lead to the old, empty one.
 */
void mq_root_forget_dirs(const struct mq_root *r);

/*
 * Open @path (absolute kernel form) with @flags.  Returns an fd or -errno.
 */
int mq_root_openat(const struct mq_root *r, const char *path, int flags);

/* Open or create @path (mode @mode); its directory is made if missing. */
int mq_root_create(const struct mq_root *r, const char *path, int flags,
		   mode_t mode);

/*
 * Every reader and writer below opens only regular files (sysfs and procfs
 * attributes are): anything else, a FIFO or a device in a sysroot, fails
 * with -MQ_ENOTREG, without blocking.
 */
#define MQ_ENOTREG EMEDIUMTYPE

/*
 * Read a small file into @buf (NUL-terminated; at most @cap-1 bytes).
 * Returns the length or -errno (-EFBIG when it does not fit).
 */
ssize_t mq_root_read(const struct mq_root *r, const char *path,
		     char *buf, size_t cap);

/* mq_root_read() that also fstat()s the open file into @st. */
ssize_t mq_root_read_st(const struct mq_root *r, const char *path,
			char *buf, size_t cap, struct stat *st);

/*
 * Read a whole file of at most @max bytes; *out is malloc'd and
 * NUL-terminated.  -EFBIG when the file holds more: a kernel file is as
 * long as what it describes, so @max is derived from that (the number of
 * CPUs, of IRQs), generously.
 */
ssize_t mq_root_read_alloc(const struct mq_root *r, const char *path,
			   size_t max, char **out);

/* The longest a CPU list or mask of @nr_cpu_ids CPUs can print. */
size_t mq_root_cpuset_max(unsigned int nr_cpu_ids);
/* A generous bound on /proc/interrupts with @nr_cpu_ids CPUs. */
size_t mq_root_interrupts_max(unsigned int nr_cpu_ids);

/* Write @len bytes at offset 0 (see mq_root_write_back).  0 or -errno. */
int mq_root_write(const struct mq_root *r, const char *path,
		  const char *data, size_t len);

/*
 * The same, then read the file back through the same open file into
 * @back (NUL-terminated, at most @cap-1 bytes): what the kernel kept.
 * On a live system the value goes in one write(2).  In a snapshot the
 * file ends up holding exactly @data, and a run stopped at any point
 * leaves the old value or the new one: a file the text is not shorter
 * than is rewritten in place; a shorter text is padded to the old length
 * and cut (files up to a page; the padding a stopped run leaves is not
 * read as part of the value) or replaces the file by a renamed copy.
 * *@changed (may be NULL) tells whether the file may have been changed,
 * also when the write failed (a short write): then it must be undone.
 * 0 or -errno (ENOSPC after a short write, EIO when the kernel took part).
 */
int mq_root_write_back(const struct mq_root *r, const char *path,
		       const char *data, size_t len, char *back, size_t cap,
		       bool *changed);

/*
 * mqtune's own files (the state file, /var/lib/mqtune/...).
 * mq_root_replace(): make @path hold exactly @data, atomically: the
 * missing directories up to it are made (0755), the text is written to
 * ".NAME.tmp" beside it (one left by a killed run is removed first),
 * fsync'd, given @mode, renamed over @path, and the directory fsync'd: a
 * run stopped at any point leaves the old file or the new one.
 * 0 or -errno.
 */
int mq_root_replace(const struct mq_root *r, const char *path,
		    const char *data, size_t len, mode_t mode);
/* The same, the text written by @produce(fd, @arg) (0 or -errno), so a
 * large document need not be held whole. */
int mq_root_replace_with(const struct mq_root *r, const char *path,
			 mode_t mode, int (*produce)(int fd, void *arg),
			 void *arg);
/* Write all of @data to @fd (for a producer).  0 or -errno. */
int mq_root_write_fd(int fd, const char *data, size_t len);
/* Unlink @path and fsync its directory; 0 also when it was not there. */
int mq_root_remove(const struct mq_root *r, const char *path);

/* readlink; NUL-terminated.  Length or -errno. */
ssize_t mq_root_readlink(const struct mq_root *r, const char *path,
			 char *buf, size_t cap);

/* stat (follows symlinks).  0 or -errno. */
int mq_root_stat(const struct mq_root *r, const char *path, struct stat *st);

/* opendir; NULL with errno set. */
DIR *mq_root_opendir(const struct mq_root *r, const char *path);

/* Build "@fmt" into @buf; -ENAMETOOLONG when it does not fit. */
int mq_path(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Typed readers.  Each returns 0, -errno from the read, or -EINVAL when
 * the contents are malformed (MQ_PARSE_* detail is not kept: the caller
 * names the file in its diagnostic).
 */
int mq_root_read_s64(const struct mq_root *r, const char *path, int64_t *out);
int mq_root_read_cpulist(const struct mq_root *r, const char *path,
			 struct mq_cpuset *s);
int mq_root_read_cpumask(const struct mq_root *r, const char *path,
			 struct mq_cpuset *s);
/*
 * The same, also returning the text exactly as read in *@raw (malloc'd),
 * so that a later undo can write back precisely what was there.
 */
int mq_root_read_s64_raw(const struct mq_root *r, const char *path,
			 int64_t *out, char **raw);
int mq_root_read_cpumask_raw(const struct mq_root *r, const char *path,
			     struct mq_cpuset *s, char **raw);
/* Read one word (trailing newline stripped) into @buf. */
int mq_root_read_word(const struct mq_root *r, const char *path,
		      char *buf, size_t cap);

/**
 * mq_root_fail() - describe a failed read or write of @path in @d:
 * "PATH: malformed contents" for -EINVAL from a typed reader, "PATH: not a
 * regular file" for -MQ_ENOTREG, "PATH: longer than such a file can be"
 * for -EFBIG, else "PATH: <strerror>".  In a sysroot the path names the real file.
 * Return: -1.
 */
int mq_root_fail(const struct mq_root *r, struct mq_diag *d, const char *path,
		 int err);

/*
 * The real file behind @path, for messages: @path itself on a live
 * system, SYSROOT@path in a snapshot.  0 or -ENAMETOOLONG (truncated).
 */
int mq_root_real_path(const struct mq_root *r, const char *path, char *buf,
		      size_t cap);

#endif /* MQTUNE_ROOT_H */
