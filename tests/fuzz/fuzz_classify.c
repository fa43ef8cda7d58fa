/*
 * fuzz_classify.c - libFuzzer target for mq_classify_vectors(), the
 * per-driver IRQ-name classifier.
 *
 * The input is text, one item per line: the driver name, the interface
 * name, then one action name per vector (at most MAX_VECTORS).  A line
 * that is exactly "(null)" stands for a NULL pointer (no driver, no
 * interface, a vector without a handler); an empty line is "".  Every
 * string gets its own exact-size allocation.  Checked, with abort on any
 * violation, for every input:
 *   - irq and name are left alone; kind is a known kind;
 *   - a queue vector has queue >= 0 and role "queue"; any other has
 *     queue -1 and a non-empty role other than "queue";
 *   - a vector without a name is never a queue (role "unnamed");
 *   - no two vectors claim the same (kind, queue);
 *   - drivers renumbered by rank give queues below the vector count, and
 *     gve never reports a combined vector (its blocks are tx or rx);
 *   - the result does not depend on what the output fields held before.
 */
#include "mqtune/classify.h"
#include "fuzz.h"

#define MAX_VECTORS 128

static const char *const rank_drivers[] = {
	"mlx5_core", "mlx4_core", "mlx4_en", "idpf", "tg3", "vmxnet3",
};

static bool is_rank_driver(const char *driver)
{
	size_t i;

	for (i = 0; driver && i < sizeof(rank_drivers) / sizeof(*rank_drivers);
	     i++)
		if (strcmp(driver, rank_drivers[i]) == 0)
			return true;
	return false;
}

/* Next line of [*@p, @end) as a new string, NULL for "(null)". */
static char *take_line(const char **p, const char *end, bool *is_null)
{
	const char *s = *p, *e = memchr(s, '\n', (size_t)(end - s));

	if (!e)
		e = end;
	*p = e < end ? e + 1 : end;
	*is_null = (size_t)(e - s) == 6 && memcmp(s, "(null)", 6) == 0;
	return *is_null ? NULL : fuzz_strndup(s, (size_t)(e - s));
}

static void check_result(const char *driver, const struct mq_vector *v,
			 const char *const *names, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct mq_vector *x = &v[i];

		FUZZ_CHECK(x->irq == 1000 + i && x->name == names[i],
			   "irq and name are not touched");
		FUZZ_CHECK(strcmp(mq_vec_kind_name(x->kind), "invalid") != 0,
			   "kind is a known kind");
		FUZZ_CHECK(x->role && x->role[0], "every vector has a role");
		if (x->kind == MQ_VEC_OTHER) {
			FUZZ_CHECK(x->queue == -1, "other vectors have queue -1");
			FUZZ_CHECK(strcmp(x->role, "queue") != 0,
				   "other vectors are not role queue");
		} else {
			FUZZ_CHECK(x->queue >= 0, "queue vectors have a queue");
			FUZZ_CHECK(strcmp(x->role, "queue") == 0,
				   "queue vectors have role queue");
			FUZZ_CHECK(x->name && x->name[0],
				   "a vector without a handler is no queue");
		}
		if (!x->name || !x->name[0])
			FUZZ_CHECK(strcmp(x->role, "unnamed") == 0,
				   "vectors without a name are unnamed");
		if (x->kind != MQ_VEC_OTHER && is_rank_driver(driver))
			FUZZ_CHECK((size_t)x->queue < n,
				   "ranked queues are below the vector count");
		if (driver && strcmp(driver, "gve") == 0)
			FUZZ_CHECK(x->kind != MQ_VEC_COMBINED,
				   "gve blocks are tx or rx");
		for (j = 0; j < i; j++)
			FUZZ_CHECK(x->kind == MQ_VEC_OTHER ||
				   v[j].kind != x->kind || v[j].queue != x->queue,
				   "no two vectors claim the same (kind, queue)");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	char *driver, *ifname, *names[MAX_VECTORS];
	struct mq_vector v[MAX_VECTORS], w[MAX_VECTORS];
	bool is_null;
	size_t n = 0, i;

	driver = take_line(&p, end, &is_null);
	if (!driver && !is_null)
		return 0;
	ifname = take_line(&p, end, &is_null);
	if (!ifname && !is_null)
		goto out_driver;
	while (p < end && n < MAX_VECTORS) {
		names[n] = take_line(&p, end, &is_null);
		if (!names[n] && !is_null)
			break;
		n++;
	}

	for (i = 0; i < n; i++) {
		memset(&v[i], 0, sizeof(v[i]));
		v[i].irq = 1000 + (unsigned int)i;
		v[i].name = names[i];
		/* same input, junk in the output fields */
		w[i] = v[i];
		w[i].kind = (enum mq_vec_kind)(i % 4);
		w[i].queue = (int)i * 7 - 3;
		w[i].role = "junk";
	}
	mq_classify_vectors(driver, ifname, v, n);
	check_result(driver, v, (const char *const *)names, n);
	mq_classify_vectors(driver, ifname, w, n);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(w[i].kind == v[i].kind && w[i].queue == v[i].queue &&
			   strcmp(w[i].role, v[i].role) == 0,
			   "the result depends on the input only");

	for (i = 0; i < n; i++)
		free(names[i]);
	free(ifname);
out_driver:
	free(driver);
	return 0;
}
