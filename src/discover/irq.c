/*
 * irq.c - a device's interrupt vectors, their names and affinity.
 *
 * Vectors are scoped by device: the function's msi_irqs directory lists
 * exactly its MSI/MSI-X vectors, so another port's or device's vectors can
 * never be taken for this one's.  Names come from /sys/kernel/irq/N/actions
 * (one read), else from the action directory in /proc/irq/N/, and only as
 * a last resort from /proc/interrupts, parsed once per run.
 *
 * A function without MSI/MSI-X vectors (no or an empty msi_irqs: e1000,
 * 8139cp, old hardware) interrupts on its legacy INTx line, which its
 * `irq` file names.  That line may be shared with other devices, so all
 * its handlers are read, not just the first.
 */
#include "mqtune/irq.h"

#include <dirent.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/classify.h"

void mq_irq_names_fini(struct mq_irq_names *names)
{
	if (names->loaded)
		mq_interrupts_free(&names->table);
	names->loaded = false;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

/* The IRQ numbers in @dir (msi_irqs), sorted.  -errno on failure. */
static int list_vectors(const struct mq_root *r, const char *dir,
			unsigned int **out, size_t *n)
{
	size_t cap = 16, len = 0;
	unsigned int *v = malloc(cap * sizeof(*v));
	struct dirent *e;
	DIR *dp;

	*out = NULL;
	*n = 0;
	if (!v)
		return -ENOMEM;
	dp = mq_root_opendir(r, dir);
	if (!dp) {
		int err = -errno;

		free(v);
		return err;
	}
	while ((e = readdir(dp))) {
		uint32_t irq;

		if (e->d_name[0] == '.')
			continue;
		if (mq_parse_u32(e->d_name, strlen(e->d_name), &irq)) {
			closedir(dp);
			free(v);
			return -EINVAL;
		}
		if (len == cap) {
			unsigned int *bigger = realloc(v, 2 * cap * sizeof(*v));

			if (!bigger) {
				closedir(dp);
				free(v);
				return -ENOMEM;
			}
			v = bigger;
			cap *= 2;
		}
		v[len++] = irq;
	}
	closedir(dp);
	qsort(v, len, sizeof(*v), cmp_uint);
	*out = v;
	*n = len;
	return 0;
}

/* First handler directory in /proc/irq/N/ (files there are attributes). */
static int name_from_proc_dir(const struct mq_root *r, unsigned int irq,
			      char *buf, size_t cap)
{
	char path[MQ_PATH_MAX];
	struct dirent *e;
	DIR *dp;
	int err = -ENOENT;

	mq_path(path, sizeof(path), "/proc/irq/%u", irq);
	dp = mq_root_opendir(r, path);
	if (!dp)
		return -errno;
	buf[0] = '\0';
	while ((e = readdir(dp))) {
		if (e->d_name[0] == '.' || e->d_type != DT_DIR)
			continue;
		snprintf(buf, cap, "%s", e->d_name);
		err = 0;
		break;
	}
	closedir(dp);
	/* No handler directory: a vector without a handler, or a handler
	 * whose name another one already used (name_unique() in the kernel);
	 * /proc/interrupts tells which. */
	return err;
}

static int name_from_interrupts(const struct mq_root *r,
				struct mq_irq_names *names, unsigned int irq,
				unsigned int nr_cpu_ids, char *buf, size_t cap,
				struct mq_diag *d)
{
	const char *name;

	if (!names->loaded) {
		char *text;
		size_t line = 0;
		ssize_t n = mq_root_read_alloc(r, "/proc/interrupts",
					       mq_root_interrupts_max(nr_cpu_ids),
					       &text);

		if (n < 0)
			return mq_root_fail(r, d, "/proc/interrupts", (int)n);
		n = mq_parse_interrupts(text, (size_t)n, &names->table, &line);
		free(text);
		if (n)
			return mq_root_fail(r, d, "/proc/interrupts",
					    n == MQ_PARSE_NOMEM ? -ENOMEM : -EINVAL);
		names->loaded = true;
	}
	name = mq_interrupts_name(&names->table, irq);
	snprintf(buf, cap, "%s", name ? name : "");
	return 0;
}

static int read_name(const struct mq_root *r, struct mq_irq_names *names,
		     unsigned int irq, unsigned int nr_cpu_ids, char *buf,
		     size_t cap, struct mq_diag *d)
{
	char path[MQ_PATH_MAX];
	int err;

	mq_path(path, sizeof(path), "/sys/kernel/irq/%u/actions", irq);
	err = mq_root_read_word(r, path, buf, cap);
	if (err == 0 || err == -EFBIG)
		return 0;
	if (err != -ENOENT)
		return mq_root_fail(r, d, path, err);
	err = name_from_proc_dir(r, irq, buf, cap);
	if (err == 0)
		return 0;
	if (err != -ENOENT)
		return mq_root_fail(r, d, "/proc/irq", err);
	return name_from_interrupts(r, names, irq, nr_cpu_ids, buf, cap, d);
}

/*
 * Effective affinity only informs (the CPU an IRQ is on now, "pending"),
 * and a real `auto` run reads it only of kernel-managed IRQs: unreadable
 * or malformed, it is unknown (has_effective false) with a warning in @w
 * (none when @w is NULL), never a failure.
 */
static int read_affinity(const struct mq_root *r, struct mq_irq *irq,
			 struct mq_warnings *w, struct mq_diag *d)
{
	char path[MQ_PATH_MAX], buf[4096];
	struct stat st;
	ssize_t n;
	int err;

	irq->has_affinity = false;
	irq->has_effective = false;
	mq_path(path, sizeof(path), "/proc/irq/%u/smp_affinity_list", irq->irq);
	n = mq_root_read_st(r, path, buf, sizeof(buf), &st);
	if (n == -ENOENT) {	/* no handler: /proc/irq/N does not exist */
		irq->user_settable = false;
		return 0;
	}
	if (n < 0)
		return mq_root_fail(r, d, path, (int)n);
	/* Since 6.12 the file is 0444 when the kernel manages the IRQ. */
	irq->user_settable = (st.st_mode & 0222) != 0;
	if (mq_cpuset_parse_list(&irq->affinity, buf, (size_t)n))
		return mq_root_fail(r, d, path, -EINVAL);
	free(irq->affinity_raw);
	irq->affinity_raw = strndup(buf, (size_t)n);
	if (!irq->affinity_raw)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	irq->has_affinity = true;
	if (irq->skip_effective && irq->user_settable)
		return 0;
	mq_path(path, sizeof(path), "/proc/irq/%u/effective_affinity_list",
		irq->irq);
	err = mq_root_read_cpulist(r, path, &irq->effective);
	irq->has_effective = err == 0;
	if (err == -ENOMEM)
		return mq_root_fail(r, d, path, err);
	if (err && err != -ENOENT) {
		struct mq_diag why;

		mq_cpuset_zero(&irq->effective);
		mq_diag_clear(&why);
		mq_root_fail(r, &why, path, err);
		if (w && mq_warn(w, "unreadable-effective-affinity", path,
				 "%s: ignored, IRQ %u's effective affinity "
				 "shown as unknown", why.msg, irq->irq))
			return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM,
					   "out of memory");
	}
	return 0;
}

int mq_irq_read_affinity(const struct mq_root *r, struct mq_irq *irq,
			 struct mq_diag *d)
{
	return read_affinity(r, irq, NULL, d);
}

/* Queue numbers from the netdev family's map override the name rules. */
static void apply_map(struct mq_netdev *dev, const struct mq_queue_irq *map,
		      size_t map_len)
{
	size_t i, k;

	for (i = 0; i < dev->nr_irqs; i++) {
		struct mq_irq *irq = &dev->irqs[i];
		int rxq = -1, txq = -1;

		for (k = 0; k < map_len; k++) {
			if (map[k].irq < 0 || (unsigned int)map[k].irq != irq->irq)
				continue;
			if (map[k].is_tx && txq < 0)
				txq = (int)map[k].queue;
			else if (!map[k].is_tx && rxq < 0)
				rxq = (int)map[k].queue;
		}
		if (rxq >= 0 && (txq < 0 || txq == rxq)) {
			irq->kind = txq == rxq ? MQ_VEC_COMBINED : MQ_VEC_RX;
			irq->queue = rxq;
		} else if (txq >= 0 && rxq < 0) {
			irq->kind = MQ_VEC_TX;
			irq->queue = txq;
		} else {
			irq->kind = MQ_VEC_OTHER;
			irq->queue = -1;
		}
		irq->role = irq->kind == MQ_VEC_OTHER ? "other" : "queue";
	}
}

static void attach_queues(struct mq_netdev *dev)
{
	size_t i;

	for (i = 0; i < dev->nr_irqs; i++) {
		const struct mq_irq *irq = &dev->irqs[i];
		size_t q = (size_t)irq->queue;
		bool rx = irq->kind == MQ_VEC_COMBINED || irq->kind == MQ_VEC_RX;
		bool tx = irq->kind == MQ_VEC_COMBINED || irq->kind == MQ_VEC_TX;

		if (irq->queue < 0)
			continue;
		if (rx && q < dev->nr_rxq && dev->rxq[q].irq < 0)
			dev->rxq[q].irq = (int)i;
		if (tx && q < dev->nr_txq && dev->txq[q].irq < 0)
			dev->txq[q].irq = (int)i;
	}
}

static int classify(struct mq_netdev *dev)
{
	struct mq_vector *v = calloc(dev->nr_irqs, sizeof(*v));
	size_t i;

	if (!v)
		return -ENOMEM;
	for (i = 0; i < dev->nr_irqs; i++) {
		v[i].irq = dev->irqs[i].irq;
		v[i].name = dev->irqs[i].name;
	}
	mq_classify_vectors(dev->driver, dev->name, v, dev->nr_irqs);
	for (i = 0; i < dev->nr_irqs; i++) {
		dev->irqs[i].kind = v[i].kind;
		dev->irqs[i].queue = v[i].queue;
		dev->irqs[i].role = v[i].role;
	}
	free(v);
	return 0;
}

static int read_vector(const struct mq_root *r, const struct mq_topo *t,
		       struct mq_irq_names *names, struct mq_irq *irq,
		       struct mq_warnings *w, struct mq_diag *d)
{
	char name[256];

	if (read_name(r, names, irq->irq, t->nr_cpu_ids, name, sizeof(name), d))
		return -1;
	irq->skip_effective = names->managed_effective_only;
	irq->name = strdup(name);
	irq->queue = -1;
	if (!irq->name || mq_cpuset_init(&irq->affinity, t->nr_cpu_ids) ||
	    mq_cpuset_init(&irq->effective, t->nr_cpu_ids))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	return read_affinity(r, irq, w, d);
}

/* Append @name to the ", "-joined list in @buf (as /proc/interrupts). */
static void join_handler(char *buf, size_t cap, const char *name, size_t len)
{
	size_t used = strlen(buf);

	if (used && used + 2 < cap) {
		memcpy(buf + used, ", ", 3);
		used += 2;
	}
	if (used + len >= cap)
		len = used < cap ? cap - 1 - used : 0;
	memcpy(buf + used, name, len);
	buf[used + len] = '\0';
}

/* Every handler directory in /proc/irq/N/ (names are unique there). */
static int handlers_from_proc_dir(const struct mq_root *r, unsigned int irq,
				  char *buf, size_t cap)
{
	char path[MQ_PATH_MAX];
	struct dirent *e;
	DIR *dp;

	mq_path(path, sizeof(path), "/proc/irq/%u", irq);
	dp = mq_root_opendir(r, path);
	if (!dp)
		return -errno;
	buf[0] = '\0';
	while ((e = readdir(dp)))
		if (e->d_name[0] != '.' && e->d_type == DT_DIR)
			join_handler(buf, cap, e->d_name, strlen(e->d_name));
	closedir(dp);
	return buf[0] ? 0 : -ENOENT;
}

/*
 * All handlers of a line, joined by ", ": actions lists them joined by
 * ',' (kernel/irq/irqdesc.c actions_show()), /proc/irq/N/ has one
 * directory each, /proc/interrupts prints them joined by ", ".
 */
static int read_handlers(const struct mq_root *r, struct mq_irq_names *names,
			 unsigned int irq, unsigned int nr_cpu_ids, char *buf,
			 size_t cap, struct mq_diag *d)
{
	char path[MQ_PATH_MAX], raw[1024];
	int err;

	mq_path(path, sizeof(path), "/sys/kernel/irq/%u/actions", irq);
	err = mq_root_read_word(r, path, raw, sizeof(raw));
	if (err == 0 || err == -EFBIG) {
		const char *s = raw;

		buf[0] = '\0';
		while (*s) {
			size_t len = strcspn(s, ",");

			if (len)
				join_handler(buf, cap, s, len);
			s += len;
			if (*s == ',')
				s++;
		}
		return 0;
	}
	if (err != -ENOENT)
		return mq_root_fail(r, d, path, err);
	err = handlers_from_proc_dir(r, irq, buf, cap);
	if (err == 0)
		return 0;
	if (err != -ENOENT)
		return mq_root_fail(r, d, "/proc/irq", err);
	return name_from_interrupts(r, names, irq, nr_cpu_ids, buf, cap, d);
}

/*
 * The legacy line in @dev's function's `irq` file (pci-sysfs irq_show():
 * "%u\n"); 0 when the file is missing or names no line.
 */
static int read_intx_line(const struct mq_root *r, const struct mq_netdev *dev,
			  unsigned int *line, struct mq_diag *d)
{
	char path[MQ_PATH_MAX];
	int64_t v;
	int err;

	*line = 0;
	mq_path(path, sizeof(path), "%s/irq", dev->fn_path);
	err = mq_root_read_s64(r, path, &v);
	if (err == -ENOENT)
		return 0;
	if (err || v < 0 || v > UINT32_MAX)
		return mq_root_fail(r, d, path, err ? err : -EINVAL);
	*line = (unsigned int)v;
	return 0;
}

/*
 * No MSI/MSI-X vectors: the device has its INTx line, or nothing.  The
 * line is the single queue's vector only while the interface's own handler
 * is its only one; a shared line is reported and left alone.
 */
static int read_intx(const struct mq_root *r, const struct mq_topo *t,
		     struct mq_irq_names *names, struct mq_netdev *dev,
		     struct mq_diag *d)
{
	char handlers[1024];
	struct mq_vector v = { 0 };
	struct mq_irq *irq;
	unsigned int line;
	bool own;

	if (read_intx_line(r, dev, &line, d))
		return -1;
	if (line == 0)
		return 0;	/* no interrupts: nothing to place */
	if (read_handlers(r, names, line, t->nr_cpu_ids, handlers,
			  sizeof(handlers), d))
		return -1;
	free(dev->irqs);
	dev->irqs = calloc(1, sizeof(*dev->irqs));
	if (!dev->irqs)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	dev->nr_irqs = 1;
	irq = &dev->irqs[0];
	irq->irq = line;
	irq->queue = -1;
	irq->skip_effective = names->managed_effective_only;
	irq->name = strdup(handlers);
	if (!irq->name || mq_cpuset_init(&irq->affinity, t->nr_cpu_ids) ||
	    mq_cpuset_init(&irq->effective, t->nr_cpu_ids))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	if (read_affinity(r, irq, &dev->warnings, d))
		return -1;
	v.irq = line;
	v.name = irq->name;
	irq->shared = mq_classify_intx(dev->name, &v, &own);
	irq->kind = v.kind;
	irq->queue = v.queue;
	irq->role = v.role;
	dev->irqs_unrequested = !own;
	dev->irq_source = MQ_IRQSRC_INTX;
	if (irq->shared && own &&
	    mq_warn(&dev->warnings, "shared-intx-line", dev->name,
		    "%s: IRQ %u is a legacy INTx line shared "
		    "with other devices (%s): its affinity is left alone, moving "
		    "it would move them too", dev->name, line, irq->name))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	attach_queues(dev);
	return 0;
}

int mq_irq_read(const struct mq_root *r, const struct mq_topo *t,
		struct mq_irq_names *names, const struct mq_queue_irq *map,
		size_t map_len, struct mq_netdev *dev, struct mq_diag *d)
{
	char path[MQ_PATH_MAX];
	unsigned int *nums;
	size_t i, n;
	int err;

	dev->irq_source = MQ_IRQSRC_NONE;
	if (!dev->fn_path[0])
		return 0;
	mq_path(path, sizeof(path), "%s/msi_irqs", dev->fn_path);
	err = list_vectors(r, path, &nums, &n);
	if (err == -ENOENT || (err == 0 && n == 0)) {
		free(nums);
		return read_intx(r, t, names, dev, d);
	}
	if (err)
		return mq_root_fail(r, d, path, err);
	dev->irqs = calloc(n ? n : 1, sizeof(*dev->irqs));
	if (!dev->irqs) {
		free(nums);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++)
		dev->irqs[i].irq = nums[i];
	dev->nr_irqs = n;
	free(nums);
	for (i = 0; i < n; i++)
		if (read_vector(r, t, names, &dev->irqs[i], &dev->warnings, d))
			return -1;
	dev->irqs_unrequested = true;
	for (i = 0; i < n; i++)
		if (dev->irqs[i].name[0])
			dev->irqs_unrequested = false;
	if (classify(dev))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	dev->irq_source = MQ_IRQSRC_NAMES;
	if (map && map_len) {
		apply_map(dev, map, map_len);
		dev->irq_source = MQ_IRQSRC_NETLINK;
	}
	attach_queues(dev);
	return 0;
}
