/*
 * classify.c - tell a NIC's queue interrupt vectors from its other vectors.
 *
 * Every driver names its MSI-X vectors its own way, and the number in a name
 * is not always the queue index.  Each driver therefore gets a row in a rule
 * table: ordered lists of name patterns (first match wins), how numbers are
 * turned into queue indexes, and a few flags.  Classification runs in
 * passes over the device's vectors: match each name, apply whole-device
 * fixups that need to see all names, drop duplicate claims, renumber, and
 * drop duplicates again so that no two vectors ever claim the same
 * (kind, queue).  Names are matched by their suffix (or by a fixed prefix
 * for PCI-named vectors), not by the interface name in front: drivers
 * format names when the IRQ is requested and the interface may have been
 * renamed since.  The interface name only confirms a bare-name housekeeping
 * vector and picks one port's queues on a multi-port function.  No I/O, no
 * allocation, no mutable globals.
 */
#include <limits.h>
#include <stdbool.h>
#include <string.h>

#include "mqtune/classify.h"

/* The kernel's IFNAMSIZ: interface names are at most 15 bytes. */
#define IFNAME_MAX	15

enum pat_how {
	PAT_END = 0,
	PAT_NUM,	/* <anything><text><digits> */
	PAT_WORD_NUM,	/* <text><digits>, optionally followed by @<pci name> */
	PAT_SUFFIX,	/* <anything><text> */
	PAT_PREFIX,	/* <text><anything> */
	PAT_CONTAINS,	/* <anything><text><anything> */
};

/*
 * One name pattern.  A queue kind with a number-less pattern (PAT_SUFFIX...)
 * means queue 0: the single shared vector of a device that fell back to one.
 */
struct pat {
	enum pat_how how;
	const char *text;
	enum mq_vec_kind kind;
	const char *role;	/* MQ_VEC_OTHER only */
};

/* How the numbers found in names become queue indexes. */
enum renum {
	RENUM_NONE,	/* the number is the queue index */
	RENUM_RANK,	/* k-th smallest number of a kind is queue k */
	RENUM_GVE,	/* lower half of the blocks tx, upper half rx */
	RENUM_BNXT,	/* split mode: tx numbering continues after rx */
	RENUM_IONIC,	/* rx vectors also serve tx unless tx has its own */
};

/* Queue names embed the interface name, which can never contain ':'. */
#define R_IFNAMED	0x1u
/* An unmatched name that could be an interface name is housekeeping. */
#define R_BARE_MISC	0x2u
/* A lone unmatched vector is the device's only interrupt: it serves all. */
#define R_SOLO		0x4u
/* One PCI function serves several ports; queue names carry the port. */
#define R_PORTS		0x8u

#define MAX_ALIASES	4
#define MAX_LISTS	3

struct rule {
	const char *drv[MAX_ALIASES];
	const struct pat *lists[MAX_LISTS];	/* tried in order */
	enum renum renum;
	unsigned int flags;
	void (*fixup)(const struct rule *r, struct mq_vector *v, size_t n);
};

/* --- patterns shared by several drivers --------------------------------- */

static const struct pat pats_txrx[] = {
	{ PAT_NUM, "-TxRx-", MQ_VEC_COMBINED, NULL },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

static const struct pat pats_split[] = {
	{ PAT_NUM, "-rx-", MQ_VEC_RX, NULL },
	{ PAT_NUM, "-tx-", MQ_VEC_TX, NULL },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

static const struct pat pats_rxtx[] = {
	{ PAT_NUM, "-rxtx-", MQ_VEC_COMBINED, NULL },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

static const struct pat pats_dash[] = {
	{ PAT_NUM, "-", MQ_VEC_COMBINED, NULL },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

/* --- per-driver patterns ------------------------------------------------ */

/* Control EQs come before or after the completion EQs depending on kernel. */
static const struct pat pats_mlx5[] = {
	{ PAT_WORD_NUM, "mlx5_comp", MQ_VEC_COMBINED, NULL },
	{ PAT_WORD_NUM, "mlx5_combined", MQ_VEC_COMBINED, NULL },
	{ PAT_PREFIX, "mlx5_async", MQ_VEC_OTHER, "async" },
	{ PAT_PREFIX, "mlx5_cmd_eq", MQ_VEC_OTHER, "async" },
	{ PAT_PREFIX, "mlx5_pages_eq", MQ_VEC_OTHER, "async" },
	{ PAT_PREFIX, "mlx5_page_fault_eq", MQ_VEC_OTHER, "async" },
	/* sub-function pools on the parent PF serve other netdevs */
	{ PAT_PREFIX, "mlx5_sf_", MQ_VEC_OTHER, "sf" },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

static const struct pat pats_mlx4[] = {
	{ PAT_WORD_NUM, "mlx4-comp-", MQ_VEC_COMBINED, NULL },
	{ PAT_WORD_NUM, "mlx4-", MQ_VEC_COMBINED, NULL },
	{ PAT_PREFIX, "mlx4-async", MQ_VEC_OTHER, "async" },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

/*
 * Adapter-wide vectors carry the PCI name, so ':' tells them apart even
 * when they contain "TxRx" (flow director sideband / control VSIs).
 */
static const struct pat pats_intel_pf[] = {
	{ PAT_CONTAINS, ":fdir-", MQ_VEC_OTHER, "fdir" },
	{ PAT_CONTAINS, ":ctrl-", MQ_VEC_OTHER, "ctrl" },
	{ PAT_SUFFIX, ":misc", MQ_VEC_OTHER, "misc" },
	{ PAT_SUFFIX, ":mbx", MQ_VEC_OTHER, "mailbox" },
	{ PAT_SUFFIX, ":ll_ts", MQ_VEC_OTHER, "ptp" },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

static const struct pat pats_intel_legacy[] = {
	{ PAT_SUFFIX, ":lsc", MQ_VEC_OTHER, "lsc" },
	{ PAT_SUFFIX, "-unused", MQ_VEC_OTHER, "unused" },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

static const struct pat pats_idpf[] = {
	{ PAT_PREFIX, "idpf-Mailbox", MQ_VEC_OTHER, "mailbox" },
	{ PAT_NUM, "-TxRx-", MQ_VEC_COMBINED, NULL },
	{ PAT_NUM, "-Rx-", MQ_VEC_RX, NULL },
	{ PAT_NUM, "-Tx-", MQ_VEC_TX, NULL },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

static const struct pat pats_ena[] = {
	{ PAT_PREFIX, "ena-mgmnt", MQ_VEC_OTHER, "mgmt" },
	{ PAT_NUM, "-Tx-Rx-", MQ_VEC_COMBINED, NULL },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

/* The kind is provisional: RENUM_GVE splits the blocks into tx and rx. */
static const struct pat pats_gve[] = {
	{ PAT_WORD_NUM, "gve-ntfy-blk", MQ_VEC_COMBINED, NULL },
	{ PAT_NUM, "-ntfy-block.", MQ_VEC_COMBINED, NULL },
	{ PAT_PREFIX, "gve-mgmnt", MQ_VEC_OTHER, "mgmt" },
	{ PAT_SUFFIX, "-mgmnt", MQ_VEC_OTHER, "mgmt" },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

static const struct pat pats_virtio[] = {
	{ PAT_NUM, "-input.", MQ_VEC_RX, NULL },
	{ PAT_NUM, "-output.", MQ_VEC_TX, NULL },
	{ PAT_SUFFIX, "-config", MQ_VEC_OTHER, "config" },
	/* too few vectors: one vector serves every virtqueue */
	{ PAT_SUFFIX, "-virtqueues", MQ_VEC_COMBINED, NULL },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

static const struct pat pats_mana[] = {
	{ PAT_WORD_NUM, "mana_q", MQ_VEC_COMBINED, NULL },
	{ PAT_PREFIX, "mana_hwc", MQ_VEC_OTHER, "mgmt" },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

/* Before pats_split and pats_dash: "-xdp-N" and "-rx-N" also end in "-N". */
static const struct pat pats_sfc[] = {
	{ PAT_SUFFIX, "-ptp", MQ_VEC_OTHER, "ptp" },
	{ PAT_NUM, "-xdp-", MQ_VEC_OTHER, "xdp" },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

static const struct pat pats_nfp[] = {
	{ PAT_SUFFIX, "-exn", MQ_VEC_OTHER, "misc" },
	{ PAT_SUFFIX, "-lsc", MQ_VEC_OTHER, "lsc" },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

/* The slowpath name has no ifname, so check the fastpath suffix first. */
static const struct pat pats_qede[] = {
	{ PAT_NUM, "-fp-", MQ_VEC_COMBINED, NULL },
	{ PAT_PREFIX, "sp-", MQ_VEC_OTHER, "misc" },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

static const struct pat pats_cxgb4[] = {
	{ PAT_NUM, "-Rx", MQ_VEC_COMBINED, NULL },
	{ PAT_SUFFIX, "-FWeventq", MQ_VEC_OTHER, "event" },
	{ PAT_CONTAINS, "-ofld", MQ_VEC_OTHER, "offload" },
	{ PAT_CONTAINS, "-rdma", MQ_VEC_OTHER, "rdma" },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

/* "L<lif>-rx<N>"; the adminq name may be cut short ("L0-admin"). */
static const struct pat pats_ionic[] = {
	{ PAT_NUM, "-rx", MQ_VEC_RX, NULL },
	{ PAT_NUM, "-tx", MQ_VEC_TX, NULL },
	{ PAT_CONTAINS, "-admin", MQ_VEC_OTHER, "mgmt" },
	{ PAT_CONTAINS, "-notifyq", MQ_VEC_OTHER, "event" },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

/* tg3 vector 0 with neither ring is "IF-0": link and status only. */
static const struct pat pats_tg3[] = {
	{ PAT_NUM, "-txrx-", MQ_VEC_COMBINED, NULL },
	{ PAT_NUM, "-rx-", MQ_VEC_RX, NULL },
	{ PAT_NUM, "-tx-", MQ_VEC_TX, NULL },
	{ PAT_NUM, "-", MQ_VEC_OTHER, "misc" },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

static const struct pat pats_be2net[] = {
	{ PAT_NUM, "-q", MQ_VEC_COMBINED, NULL },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

static const struct pat pats_vmxnet3[] = {
	{ PAT_NUM, "-event-", MQ_VEC_OTHER, "event" },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

/* --- generic fallback --------------------------------------------------- */

/* Suffixes that are never queues; before the "-N" patterns they end in. */
static const struct pat pats_gen_other[] = {
	{ PAT_SUFFIX, ":misc", MQ_VEC_OTHER, "misc" },
	{ PAT_SUFFIX, ":mbx", MQ_VEC_OTHER, "mailbox" },
	{ PAT_SUFFIX, "-config", MQ_VEC_OTHER, "config" },
	{ PAT_SUFFIX, "-ptp", MQ_VEC_OTHER, "ptp" },
	{ PAT_SUFFIX, "-lsc", MQ_VEC_OTHER, "lsc" },
	{ PAT_SUFFIX, "-unused", MQ_VEC_OTHER, "unused" },
	{ PAT_NUM, "-event-", MQ_VEC_OTHER, "event" },
	{ PAT_NUM, "-xdp-", MQ_VEC_OTHER, "xdp" },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

/* Most specific first: "-Tx-Rx-5" also ends in "-Rx-5" and in "-5". */
static const struct pat pats_gen_queue[] = {
	{ PAT_NUM, "-TxRx-", MQ_VEC_COMBINED, NULL },
	{ PAT_NUM, "-Tx-Rx-", MQ_VEC_COMBINED, NULL },
	{ PAT_NUM, "-rxtx-", MQ_VEC_COMBINED, NULL },
	{ PAT_NUM, "-txrx-", MQ_VEC_COMBINED, NULL },
	{ PAT_NUM, "-rx-", MQ_VEC_RX, NULL },
	{ PAT_NUM, "-Rx-", MQ_VEC_RX, NULL },
	{ PAT_NUM, "-tx-", MQ_VEC_TX, NULL },
	{ PAT_NUM, "-Tx-", MQ_VEC_TX, NULL },
	{ PAT_NUM, "-fp-", MQ_VEC_COMBINED, NULL },
	{ PAT_NUM, "input.", MQ_VEC_RX, NULL },
	{ PAT_NUM, "output.", MQ_VEC_TX, NULL },
	{ PAT_NUM, "-q", MQ_VEC_COMBINED, NULL },
	{ PAT_NUM, "-", MQ_VEC_COMBINED, NULL },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

/* Words that mark housekeeping vectors anywhere in an unmatched name. */
static const struct pat pats_gen_words[] = {
	{ PAT_CONTAINS, "fdir", MQ_VEC_OTHER, "fdir" },
	{ PAT_CONTAINS, "ctrl", MQ_VEC_OTHER, "ctrl" },
	{ PAT_CONTAINS, "async", MQ_VEC_OTHER, "async" },
	{ PAT_CONTAINS, "mgmnt", MQ_VEC_OTHER, "mgmt" },
	{ PAT_CONTAINS, "mgmt", MQ_VEC_OTHER, "mgmt" },
	{ PAT_CONTAINS, "ailbox", MQ_VEC_OTHER, "mailbox" },
	{ PAT_CONTAINS, "misc", MQ_VEC_OTHER, "misc" },
	{ PAT_CONTAINS, "event", MQ_VEC_OTHER, "event" },
	{ PAT_END, NULL, MQ_VEC_OTHER, NULL },
};

static void fixup_e1000e(const struct rule *r, struct mq_vector *v, size_t n);
static void fixup_mana(const struct rule *r, struct mq_vector *v, size_t n);

static const struct rule rules[] = {
	{ { "mlx5_core" }, { pats_mlx5 }, RENUM_RANK, 0, NULL },
	{ { "mlx4_core", "mlx4_en" }, { pats_mlx4 }, RENUM_RANK, 0, NULL },
	{ { "i40e", "ice", "iavf", "i40evf" },
	  { pats_intel_pf, pats_txrx, pats_split }, RENUM_NONE, R_IFNAMED,
	  NULL },
	{ { "ixgbe", "ixgbevf", "igb", "igc" },
	  { pats_intel_legacy, pats_txrx, pats_split }, RENUM_NONE,
	  R_IFNAMED | R_BARE_MISC | R_SOLO, NULL },
	{ { "e1000e" }, { pats_intel_legacy, pats_split }, RENUM_NONE,
	  R_IFNAMED | R_BARE_MISC | R_SOLO, fixup_e1000e },
	{ { "idpf" }, { pats_idpf }, RENUM_RANK, 0, NULL },
	{ { "bnxt_en" }, { pats_txrx, pats_split }, RENUM_BNXT, R_IFNAMED,
	  NULL },
	{ { "ena" }, { pats_ena }, RENUM_NONE, 0, NULL },
	{ { "gve" }, { pats_gve }, RENUM_GVE, 0, NULL },
	{ { "virtio_net", "virtio-pci", "virtio_pci" }, { pats_virtio },
	  RENUM_NONE, 0, NULL },
	{ { "hv_netvsc" }, { NULL }, RENUM_NONE, 0, NULL },
	{ { "mana" }, { pats_mana }, RENUM_NONE, 0, fixup_mana },
	{ { "sfc", "sfc_siena" }, { pats_sfc, pats_split, pats_dash },
	  RENUM_NONE, 0, NULL },
	{ { "nfp" }, { pats_nfp, pats_rxtx }, RENUM_NONE, R_IFNAMED, NULL },
	{ { "qede" }, { pats_qede }, RENUM_NONE, 0, NULL },
	{ { "cxgb4" }, { pats_cxgb4 }, RENUM_NONE,
	  R_IFNAMED | R_BARE_MISC | R_SOLO | R_PORTS, NULL },
	{ { "cxgb4vf" }, { pats_cxgb4, pats_dash }, RENUM_NONE,
	  R_IFNAMED | R_BARE_MISC | R_SOLO, NULL },
	{ { "ionic" }, { pats_ionic }, RENUM_IONIC, 0, NULL },
	{ { "tg3" }, { pats_tg3 }, RENUM_RANK, R_IFNAMED | R_SOLO, NULL },
	{ { "be2net" }, { pats_be2net }, RENUM_NONE, R_IFNAMED, NULL },
	{ { "vmxnet3" }, { pats_vmxnet3, pats_rxtx, pats_split }, RENUM_RANK,
	  R_IFNAMED, NULL },
};

static const struct rule rule_generic = {
	{ NULL }, { pats_gen_other, pats_gen_queue, pats_gen_words },
	RENUM_NONE, R_IFNAMED | R_SOLO, NULL
};

/* --- matching one name -------------------------------------------------- */

/* What one pattern made of one name. */
struct match {
	const struct pat *pat;
	int num;		/* -1: the pattern carries no number */
	bool overflow;		/* the number does not fit an int */
	size_t stem_len;	/* bytes before the pattern text */
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Decimal digits [s, e) into an int; false when it does not fit. */
static bool digits_to_int(const char *s, const char *e, int *out)
{
	int val = 0;

	for (; s < e; s++) {
		if (val > (INT_MAX - (*s - '0')) / 10)
			return false;
		val = val * 10 + (*s - '0');
	}
	*out = val;
	return true;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t sl = strlen(suffix);

	return len >= sl && memcmp(s + len - sl, suffix, sl) == 0;
}

/* <anything><text><digits>: the digits run to the end of the name. */
static bool match_num(const char *name, const char *text, struct match *m)
{
	size_t len = strlen(name);
	size_t start = len;

	while (start > 0 && is_digit(name[start - 1]))
		start--;
	if (start == len || !ends_with(name, start, text))
		return false;
	m->stem_len = start - strlen(text);
	m->overflow = !digits_to_int(name + start, name + len, &m->num);
	return true;
}

/* <text><digits>[@...]: PCI-named vectors, the number ends at '@'. */
static bool match_word_num(const char *name, const char *text,
			   struct match *m)
{
	const char *s, *e;

	if (!starts_with(name, text))
		return false;
	s = name + strlen(text);
	for (e = s; is_digit(*e); e++)
		;
	if (e == s || (*e != '\0' && *e != '@'))
		return false;
	m->stem_len = 0;
	m->overflow = !digits_to_int(s, e, &m->num);
	return true;
}

static bool match_pat(const char *name, const struct pat *p, struct match *m)
{
	m->pat = p;
	m->num = -1;
	m->overflow = false;
	m->stem_len = 0;
	switch (p->how) {
	case PAT_NUM:
		return match_num(name, p->text, m);
	case PAT_WORD_NUM:
		return match_word_num(name, p->text, m);
	case PAT_SUFFIX:
		return ends_with(name, strlen(name), p->text);
	case PAT_PREFIX:
		return starts_with(name, p->text);
	case PAT_CONTAINS:
		return strstr(name, p->text) != NULL;
	case PAT_END:
		break;
	}
	return false;
}

/*
 * A queue match is void when the part before the suffix holds a ':': for
 * drivers that put the interface name there, that part is a PCI name and
 * the vector is adapter-wide.
 */
static bool stem_has_colon(const char *name, const struct match *m)
{
	return memchr(name, ':', m->stem_len) != NULL;
}

/* First pattern of the rule that matches; false when none does. */
static bool match_rule(const struct rule *r, const char *name,
		       struct match *m)
{
	const struct pat *p;
	size_t i;

	for (i = 0; i < MAX_LISTS && r->lists[i]; i++) {
		for (p = r->lists[i]; p->how != PAT_END; p++) {
			if (!match_pat(name, p, m))
				continue;
			if (p->kind != MQ_VEC_OTHER && (r->flags & R_IFNAMED) &&
			    stem_has_colon(name, m))
				continue;
			return true;
		}
	}
	return false;
}

/* Could this be an interface name (kernel dev_valid_name() rules)? */
static bool looks_like_ifname(const char *name)
{
	size_t len = strlen(name);

	return len > 0 && len <= IFNAME_MAX && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0 && strpbrk(name, ":/ \t\n\v\f\r") == NULL;
}

static bool has_name(const struct mq_vector *v)
{
	return v->name && v->name[0];
}

static void set_other(struct mq_vector *v, const char *role)
{
	v->kind = MQ_VEC_OTHER;
	v->queue = -1;
	v->role = role;
}

static void set_queue(struct mq_vector *v, enum mq_vec_kind kind, int queue)
{
	v->kind = kind;
	v->queue = queue;
	v->role = "queue";
}

static const char *unmatched_role(const struct rule *r, const char *name)
{
	if ((r->flags & R_BARE_MISC) && looks_like_ifname(name))
		return "misc";
	return "unknown";
}

/* First pass: the name alone; queue holds the raw number for now. */
static void classify_one(const struct rule *r, const char *ifname,
			 struct mq_vector *v)
{
	struct match m;

	if (!has_name(v)) {
		set_other(v, "unnamed");
		return;
	}
	/* the bare interface name is the housekeeping vector */
	if (ifname && ifname[0] && strcmp(v->name, ifname) == 0) {
		set_other(v, "misc");
		return;
	}
	if (!match_rule(r, v->name, &m)) {
		set_other(v, unmatched_role(r, v->name));
		return;
	}
	if (m.pat->kind == MQ_VEC_OTHER)
		set_other(v, m.pat->role);
	else if (m.overflow)
		set_other(v, "unknown");
	else
		set_queue(v, m.pat->kind, m.num < 0 ? 0 : m.num);
}

/* --- whole-device passes ------------------------------------------------ */

static size_t count_named(const struct mq_vector *v, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += has_name(&v[i]);
	return c;
}

static size_t count_kind(const struct mq_vector *v, size_t n,
			 enum mq_vec_kind kind)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += v[i].kind == kind;
	return c;
}

/* Named, but no pattern of the rule knows the name. */
static bool is_unmatched(const struct rule *r, const struct mq_vector *v)
{
	struct match m;

	return has_name(v) && !match_rule(r, v->name, &m);
}

/*
 * e1000e names all three vectors after a long (11+ byte) interface name.
 * They are requested in a fixed order, rx, tx, other, so use that.
 */
static void fixup_e1000e(const struct rule *r, struct mq_vector *v, size_t n)
{
	struct mq_vector *named[3];
	size_t i, k = 0;

	if (count_named(v, n) != 3)
		return;
	for (i = 0; i < n; i++)
		if (has_name(&v[i]))
			named[k++] = &v[i];
	for (i = 0; i < 3; i++)
		if (!is_unmatched(r, named[i]) ||
		    strcmp(named[i]->name, named[0]->name) != 0)
			return;
	set_queue(named[0], MQ_VEC_RX, 0);
	set_queue(named[1], MQ_VEC_TX, 0);
	set_other(named[2], "misc");
}

/*
 * mana before 2023 named every vector "mana_intr".  Vector 0 is the
 * hardware channel, the others are the queues in order.
 */
static void fixup_mana(const struct rule *r, struct mq_vector *v, size_t n)
{
	size_t i;
	int q = -1;

	(void)r;
	for (i = 0; i < n; i++) {
		if (!has_name(&v[i]) || strcmp(v[i].name, "mana_intr") != 0)
			continue;
		if (q < 0)
			set_other(&v[i], "mgmt");
		else
			set_queue(&v[i], MQ_VEC_COMBINED, q);
		q++;
	}
}

/*
 * A function that serves several ports lists every port's vectors.  Keep
 * the queues named after this interface, if any are; when none are (the
 * interface was renamed after its vectors were named) nothing can be told.
 */
static bool owned_by(const char *name, const char *ifname)
{
	size_t len = strlen(ifname);

	return strncmp(name, ifname, len) == 0 && name[len] == '-';
}

static void filter_ports(struct mq_vector *v, size_t n, const char *ifname)
{
	size_t i;
	bool any = false;

	if (!ifname || !ifname[0])
		return;
	for (i = 0; i < n; i++)
		any |= v[i].kind != MQ_VEC_OTHER && owned_by(v[i].name, ifname);
	if (!any)
		return;
	for (i = 0; i < n; i++)
		if (v[i].kind != MQ_VEC_OTHER && !owned_by(v[i].name, ifname))
			set_other(&v[i], "other-port");
}

/* Later claims of a (kind, queue) already claimed become "unknown". */
static void drop_duplicates(struct mq_vector *v, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		if (v[i].kind == MQ_VEC_OTHER)
			continue;
		for (j = 0; j < i; j++) {
			if (v[j].kind == v[i].kind && v[j].queue == v[i].queue) {
				set_other(&v[i], "unknown");
				break;
			}
		}
	}
}

/*
 * Replace each number of one kind by its rank.  Numbers are distinct and
 * non-negative here, so a rank never exceeds its number: walking the
 * numbers upwards (the next one is the smallest above the last), every
 * rank already written is at most the last number and drops out of the
 * search.  That renumbers in place, without scratch memory.
 */
static void rank_kind(struct mq_vector *v, size_t n, enum mq_vec_kind kind)
{
	int last = -1, rank = 0;
	size_t i, best;

	for (;;) {
		best = n;
		for (i = 0; i < n; i++) {
			if (v[i].kind != kind || v[i].queue <= last)
				continue;
			if (best == n || v[i].queue < v[best].queue)
				best = i;
		}
		if (best == n)
			return;
		last = v[best].queue;
		v[best].queue = rank++;
	}
}

static void renum_rank(struct mq_vector *v, size_t n)
{
	rank_kind(v, n, MQ_VEC_COMBINED);
	rank_kind(v, n, MQ_VEC_RX);
	rank_kind(v, n, MQ_VEC_TX);
}

/* Block i of T is tx queue i below T/2 and rx queue i - T/2 above. */
static void renum_gve(struct mq_vector *v, size_t n)
{
	size_t i;
	int half = (int)(count_kind(v, n, MQ_VEC_COMBINED) / 2);

	for (i = 0; i < n; i++) {
		if (v[i].kind != MQ_VEC_COMBINED)
			continue;
		if (v[i].queue < half)
			set_queue(&v[i], MQ_VEC_TX, v[i].queue);
		else
			set_queue(&v[i], MQ_VEC_RX, v[i].queue - half);
	}
}

/* Split mode numbers rings rx 0..R-1, then tx R.. */
static void renum_bnxt(struct mq_vector *v, size_t n)
{
	size_t i;
	int nr_rx = (int)count_kind(v, n, MQ_VEC_RX);

	for (i = 0; i < n; i++) {
		if (v[i].kind != MQ_VEC_TX)
			continue;
		if (v[i].queue < nr_rx)
			set_other(&v[i], "unknown");
		else
			v[i].queue -= nr_rx;
	}
}

/* Unless split-interrupt mode gave tx its own vectors, rx vectors serve tx. */
static void renum_ionic(struct mq_vector *v, size_t n)
{
	size_t i;

	if (count_kind(v, n, MQ_VEC_TX) > 0)
		return;
	for (i = 0; i < n; i++)
		if (v[i].kind == MQ_VEC_RX)
			v[i].kind = MQ_VEC_COMBINED;
}

static void renumber(const struct rule *r, struct mq_vector *v, size_t n)
{
	switch (r->renum) {
	case RENUM_RANK:
		renum_rank(v, n);
		break;
	case RENUM_GVE:
		renum_gve(v, n);
		break;
	case RENUM_BNXT:
		renum_bnxt(v, n);
		break;
	case RENUM_IONIC:
		renum_ionic(v, n);
		break;
	case RENUM_NONE:
		break;
	}
}

/*
 * One named vector that no pattern knows (typically the bare interface
 * name of MSI mode) is the device's only interrupt, so it serves queue 0.
 */
static void solo_vector(const struct rule *r, struct mq_vector *v, size_t n)
{
	size_t i;

	if (count_named(v, n) != 1)
		return;
	for (i = 0; i < n; i++)
		if (v[i].kind == MQ_VEC_OTHER && is_unmatched(r, &v[i]))
			set_queue(&v[i], MQ_VEC_COMBINED, 0);
}

static const struct rule *find_rule(const char *driver)
{
	size_t i, j;

	if (!driver)
		return &rule_generic;
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		for (j = 0; j < MAX_ALIASES && rules[i].drv[j]; j++)
			if (strcmp(rules[i].drv[j], driver) == 0)
				return &rules[i];
	return &rule_generic;
}

void mq_classify_vectors(const char *driver, const char *ifname,
			 struct mq_vector *v, size_t n)
{
	const struct rule *r = find_rule(driver);
	size_t i;

	for (i = 0; i < n; i++)
		classify_one(r, ifname, &v[i]);
	if (r->fixup)
		r->fixup(r, v, n);
	if (r->flags & R_PORTS)
		filter_ports(v, n, ifname);
	/* renumbering needs distinct numbers per kind */
	drop_duplicates(v, n);
	renumber(r, v, n);
	if (r->flags & R_SOLO)
		solo_vector(r, v, n);
	/* the promise holds whatever a renumbering did */
	drop_duplicates(v, n);
}

const char *mq_vec_kind_name(enum mq_vec_kind kind)
{
	static const char *const names[] = {
		[MQ_VEC_OTHER] = "other",
		[MQ_VEC_COMBINED] = "combined",
		[MQ_VEC_RX] = "rx",
		[MQ_VEC_TX] = "tx",
	};

	if ((unsigned int)kind < sizeof(names) / sizeof(names[0]))
		return names[kind];
	return "invalid";
}

/* --- legacy INTx lines -------------------------------------------------- */

bool mq_classify_intx(const char *ifname, struct mq_vector *v, bool *own)
{
	const char *s = v->name ? v->name : "";
	size_t mine = 0, others = 0, iflen = ifname ? strlen(ifname) : 0;

	while (*s) {
		size_t len;

		while (*s == ',' || *s == ' ')
			s++;
		len = strcspn(s, ",");
		while (len > 0 && s[len - 1] == ' ')
			len--;
		if (len == 0)
			break;
		/* one handler of our own; a second one of the same name is
		 * another device's (an interface of that name elsewhere) */
		if (iflen && len == iflen && memcmp(s, ifname, len) == 0 && !mine)
			mine++;
		else
			others++;
		s += len;
	}
	*own = mine > 0;
	if (!mine && !others)
		set_other(v, "unnamed");
	else if (others)
		set_other(v, "shared");
	else
		set_queue(v, MQ_VEC_COMBINED, 0);
	return others > 0;
}
