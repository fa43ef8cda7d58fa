/*
 * check_classify.c - unit tests for the IRQ vector classifier.
 *
 * Each case feeds one device's vector names, in MSI-X order, as the named
 * driver really produces them (formats and orders from the driver notes,
 * including the real /proc/interrupts dumps), and states the expected
 * result per vector.  Expectations are written as tokens: "c3" combined
 * queue 3, "r3" rx queue 3, "t3" tx queue 3, anything else is the role of
 * a non-queue vector.  Every classification, including the generated
 * ones, is also checked for the invariants the interface promises.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/classify.h"

Suite *classify_suite(void);

#define MAX_VEC		1100
#define MAX_CASE_VEC	16

/* Invariants of every classification. */
static void check_vector(const struct mq_vector *v, size_t i,
			 const char *what)
{
	ck_assert_msg(v[i].role != NULL, "%s: vector %zu has no role", what, i);
	if (v[i].kind == MQ_VEC_OTHER) {
		ck_assert_msg(v[i].queue == -1 && strcmp(v[i].role, "queue"),
			      "%s: other vector %zu: queue %d role %s", what, i,
			      v[i].queue, v[i].role);
		return;
	}
	ck_assert_msg(v[i].kind == MQ_VEC_COMBINED || v[i].kind == MQ_VEC_RX ||
		      v[i].kind == MQ_VEC_TX, "%s: vector %zu bad kind %d",
		      what, i, (int)v[i].kind);
	ck_assert_msg(v[i].queue >= 0 && !strcmp(v[i].role, "queue"),
		      "%s: vector %zu: queue %d role %s", what, i, v[i].queue,
		      v[i].role);
}

static void check_invariants(const struct mq_vector *v, size_t n,
			     const char *what)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		check_vector(v, i, what);
		if (v[i].kind == MQ_VEC_OTHER)
			continue;
		for (j = 0; j < i; j++)
			ck_assert_msg(v[j].kind != v[i].kind ||
				      v[j].queue != v[i].queue,
				      "%s: vectors %zu and %zu both claim %s %d",
				      what, j, i, mq_vec_kind_name(v[i].kind),
				      v[i].queue);
	}
}

/* The token for a classified vector, in the notation above. */
static void describe(const struct mq_vector *v, char *buf, size_t len)
{
	static const char letter[] = { '?', 'c', 'r', 't' };

	if (v->kind == MQ_VEC_OTHER)
		snprintf(buf, len, "%s", v->role);
	else
		snprintf(buf, len, "%c%d", letter[v->kind], v->queue);
}

static void run(const char *driver, const char *ifname,
		const char *const *names, struct mq_vector *v, size_t n,
		const char *what)
{
	size_t i;

	for (i = 0; i < n; i++) {
		/* poison the outputs: the classifier must set them all */
		v[i] = (struct mq_vector){ .irq = 100 + (unsigned int)i,
					   .name = names[i], .kind = 77,
					   .queue = 77, .role = NULL };
	}
	mq_classify_vectors(driver, ifname, v, n);
	for (i = 0; i < n; i++)
		ck_assert_msg(v[i].irq == 100 + i && v[i].name == names[i],
			      "%s: inputs of vector %zu changed", what, i);
	check_invariants(v, n, what);
}

/* Classify names and compare with space-separated expected tokens. */
static void expect(const char *driver, const char *ifname, const char *want,
		   const char *const *names, size_t n, const char *what)
{
	struct mq_vector v[MAX_CASE_VEC];
	char wbuf[512], got[64];
	char *tok, *save = NULL;
	size_t i = 0;

	ck_assert(n <= MAX_CASE_VEC && strlen(want) < sizeof(wbuf));
	run(driver, ifname, names, v, n, what);
	strcpy(wbuf, want);
	for (tok = strtok_r(wbuf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save), i++) {
		ck_assert_msg(i < n, "%s: more tokens than vectors", what);
		describe(&v[i], got, sizeof(got));
		ck_assert_msg(strcmp(got, tok) == 0,
			      "%s: vector %zu \"%.60s\": got %s, want %s", what,
			      i, names[i] ? names[i] : "(null)", got, tok);
	}
	ck_assert_msg(i == n, "%s: %zu tokens for %zu vectors", what, i, n);
}

/*
 * One device: a label for messages, driver, interface name, expected
 * tokens and the vector names (NULL = a vector without a handler).
 */
struct ccase {
	const char *what;
	const char *driver;
	const char *ifname;
	const char *want;
	const char *names[MAX_CASE_VEC];
	size_t n;
};

#define CASE(what, drv, ifn, want, ...)					\
	{ what, drv, ifn, want, { __VA_ARGS__ },			\
	  sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *) }

/* cxgb4: port 0 names the adapter-wide vectors; both ports' queues. */
#define CXGB4_NAMES							\
	"eth0", "eth0-FWeventq", "eth0-Rx0", "eth0-Rx1", "eth1-Rx0",	\
	"eth1-Rx1", "eth0-ofld0", "eth0-rdma0", "eth0-rdma-ciq0"

static const struct ccase cases[] = {
	/* Mellanox */
	/* ctrl at vector 0, 0-based completion EQs (6.9+ and before 5.16) */
	CASE("mlx5_current/1", "mlx5_core", "ens1f0np0", "async c0 c1 c2 c3",
	     "mlx5_async0@pci:0000:81:00.0", "mlx5_comp0@pci:0000:81:00.0",
	     "mlx5_comp1@pci:0000:81:00.0", "mlx5_comp2@pci:0000:81:00.0",
	     "mlx5_comp3@pci:0000:81:00.0"),
	/* 5.16-6.2: the control vector moved to the last index */
	CASE("mlx5_async_last/1", "mlx5_core", "eth2", "c0 c1 c2 async",
	     "mlx5_comp0@pci:0000:81:00.1", "mlx5_comp1@pci:0000:81:00.1",
	     "mlx5_comp2@pci:0000:81:00.1", "mlx5_async3@pci:0000:81:00.1"),
	/* 6.3-6.8 named completion vectors from 1: channel k is comp(k+1) */
	CASE("mlx5_one_based/1", "mlx5_core", "eth2", "async c0 c1 c2 c3",
	     "mlx5_async0@pci:0000:81:00.0", "mlx5_comp1@pci:0000:81:00.0",
	     "mlx5_comp2@pci:0000:81:00.0", "mlx5_comp3@pci:0000:81:00.0",
	     "mlx5_comp4@pci:0000:81:00.0"),
	/* dump E.1: three control EQs first */
	CASE("mlx5_old_eqs/1", "mlx5_core", "eth0",
	     "async async async c0 c1 c2 c3",
	     "mlx5_pages_eq@pci:0000:01:00.0", "mlx5_cmd_eq@pci:0000:01:00.0",
	     "mlx5_async_eq@pci:0000:01:00.0", "mlx5_comp0@pci:0000:01:00.0",
	     "mlx5_comp1@pci:0000:01:00.0", "mlx5_comp2@pci:0000:01:00.0",
	     "mlx5_comp3@pci:0000:01:00.0"),
	/* before the @pci suffix, and the page-fault EQ */
	CASE("mlx5_old_eqs/2", "mlx5_core", "eth0", "async c0 c1 async",
	     "mlx5_cmd_eq", "mlx5_comp0", "mlx5_comp1",
	     "mlx5_page_fault_eq@pci:0000:01:00.0"),
	/* dynamic allocation can list vectors out of order; comp10 > comp9 */
	CASE("mlx5_numeric_order/1", "mlx5_core", "eth0", "c3 c1 async c2 c0",
	     "mlx5_comp10@pci:0000:81:00.0", "mlx5_comp2@pci:0000:81:00.0",
	     "mlx5_async0@pci:0000:81:00.0", "mlx5_comp9@pci:0000:81:00.0",
	     "mlx5_comp1@pci:0000:81:00.0"),
	/* a single vector for control and data */
	CASE("mlx5_combined_and_sf/1", "mlx5_core", "eth0", "c0",
	     "mlx5_combined0@pci:0000:81:00.0"),
	/* SF pools on the parent PF serve other netdevs */
	CASE("mlx5_combined_and_sf/2", "mlx5_core", "eth0",
	     "async c0 c1 sf sf sf",
	     "mlx5_async0@pci:0000:81:00.0", "mlx5_comp0@pci:0000:81:00.0",
	     "mlx5_comp1@pci:0000:81:00.0", "mlx5_sf_ctrl0@pci:0000:81:00.0",
	     "mlx5_sf_comp0@pci:0000:81:00.0",
	     "mlx5_sf_comp1@pci:0000:81:00.0"),
	/* near misses */
	CASE("mlx5_combined_and_sf/3", "mlx5_core", "eth0",
	     "unknown unknown unknown unknown",
	     "mlx5_comp", "mlx5_comp3x@pci:0000:81:00.0",
	     "mlx5_comp-1@pci:0000:81:00.0", "xmlx5_comp3@pci:0000:81:00.0"),
	/* EQ 0 is async, completion EQs start at 1 */
	CASE("mlx4/1", "mlx4_core", "eth1", "async c0 c1 c2 c3",
	     "mlx4-async@pci:0000:03:00.0", "mlx4-1@0000:03:00.0",
	     "mlx4-2@0000:03:00.0", "mlx4-3@0000:03:00.0",
	     "mlx4-4@0000:03:00.0"),
	/* <= 4.1 naming, through the mlx4_en name */
	CASE("mlx4/2", "mlx4_en", "eth1", "async c0 c1 c2",
	     "mlx4-async@pci:0000:03:00.0", "mlx4-comp-0@pci:0000:03:00.0",
	     "mlx4-comp-1@pci:0000:03:00.0", "mlx4-comp-2@pci:0000:03:00.0"),
	/* Intel */
	/* dump E.2, plus the flow director sideband VSI */
	CASE("i40e/1", "i40e", "enP1s15", "misc c0 c1 fdir",
	     "i40e-0001:00:0f.0:misc", "i40e-enP1s15-TxRx-0",
	     "i40e-enP1s15-TxRx-1", "i40e-0001:00:0f.0:fdir-TxRx-0"),
	CASE("i40e/2", "i40e", "eth0", "misc fdir c0",
	     "i40e-0000:3b:00.0:misc", "i40e-0000:3b:00.0:fdir-TxRx-0",
	     "i40e-eth0-TxRx-0"),
	/* dump E.2: ctrl-TxRx-0 contains TxRx and is no queue */
	CASE("ice/1", "ice", "lan1", "misc c0 c1 c2 ctrl ptp",
	     "ice-0000:65:00.1:misc", "ice-lan1-TxRx-0", "ice-lan1-TxRx-1",
	     "ice-lan1-TxRx-2", "ice-0000:65:00.1:ctrl-TxRx-0",
	     "ice-0000:65:00.1:ll_ts"),
	/* unpaired vectors count rx and tx separately */
	CASE("ice/2", "ice", "eth0", "misc r0 r1 t0 t1",
	     "ice-0000:65:00.0:misc", "ice-eth0-rx-0", "ice-eth0-rx-1",
	     "ice-eth0-tx-0", "ice-eth0-tx-1"),
	/* renamed after open: the names keep the old interface name */
	CASE("ice/3", "ice", "ens2f0", "misc c0 c1",
	     "ice-0000:65:00.0:misc", "ice-eth0-TxRx-0", "ice-eth0-TxRx-1"),
	/* down: only the misc vector has a handler */
	CASE("ice/4", "ice", "eth0", "misc unnamed unnamed",
	     "ice-0000:65:00.0:misc", NULL, NULL),
	CASE("iavf/1", "iavf", "eth1", "mailbox c0 c1 c2 c3",
	     "iavf-0000:00:05.0:mbx", "iavf-eth1-TxRx-0", "iavf-eth1-TxRx-1",
	     "iavf-eth1-TxRx-2", "iavf-eth1-TxRx-3"),
	CASE("iavf/2", "i40evf", "eth1", "mailbox c0 c1",
	     "i40evf-0000:00:05.0:mbx", "i40evf-eth1-TxRx-0",
	     "i40evf-eth1-TxRx-1"),
	/* vector indexes start at 1 and may have gaps */
	CASE("idpf/1", "idpf", "eth1", "mailbox c0 c1 c2 c3",
	     "idpf-Mailbox-0", "idpf-eth1-TxRx-1", "idpf-eth1-TxRx-2",
	     "idpf-eth1-TxRx-4", "idpf-eth1-TxRx-7"),
	/* the 2026 0-based numbering, and split vectors */
	CASE("idpf/2", "idpf", "eth1", "mailbox c0 c1", "idpf-Mailbox-0",
	     "idpf-eth1-TxRx-0", "idpf-eth1-TxRx-1"),
	CASE("idpf/3", "idpf", "eth1", "mailbox r0 r1 t0 t1", "idpf-Mailbox-0",
	     "idpf-eth1-Rx-1", "idpf-eth1-Rx-2", "idpf-eth1-Tx-3",
	     "idpf-eth1-Tx-4"),
	/* in-tree: the bare-name "other" vector is the last entry */
	CASE("ixgbe/1", "ixgbe", "eth0", "c0 c1 c2 c3 misc",
	     "eth0-TxRx-0", "eth0-TxRx-1", "eth0-TxRx-2", "eth0-TxRx-3",
	     "eth0"),
	/* dump E.3 order, bare name first */
	CASE("ixgbe/2", "ixgbe", "eth0", "misc c0 c1 c2 c3 c4 c5 c6 c7",
	     "eth0", "eth0-TxRx-0", "eth0-TxRx-1", "eth0-TxRx-2",
	     "eth0-TxRx-3", "eth0-TxRx-4", "eth0-TxRx-5", "eth0-TxRx-6",
	     "eth0-TxRx-7"),
	/* older "<if>:lsc", unpaired vectors */
	CASE("ixgbe/3", "ixgbe", "eth0", "r0 r1 t0 t1 lsc",
	     "eth0-rx-0", "eth0-rx-1", "eth0-tx-0", "eth0-tx-1", "eth0:lsc"),
	/* renamed since open: bare old name still housekeeping */
	CASE("ixgbe/4", "ixgbe", "ens1f0", "c0 c1 misc",
	     "eth0-TxRx-0", "eth0-TxRx-1", "eth0"),
	CASE("ixgbevf/1", "ixgbevf", "eth0", "c0 c1 misc",
	     "eth0-TxRx-0", "eth0-TxRx-1", "eth0"),
	/* "other" vector first */
	CASE("igb_igc/1", "igb", "eth0", "misc c0 c1 c2 c3",
	     "eth0", "eth0-TxRx-0", "eth0-TxRx-1", "eth0-TxRx-2",
	     "eth0-TxRx-3"),
	/* queue pairing off, and a vector with no ring */
	CASE("igb_igc/2", "igb", "eth0", "misc r0 r1 t0 t1 unused",
	     "eth0", "eth0-rx-0", "eth0-rx-1", "eth0-tx-0", "eth0-tx-1",
	     "eth0-unused"),
	CASE("igb_igc/3", "igc", "enp3s0", "misc c0 c1 c2 c3",
	     "enp3s0", "enp3s0-TxRx-0", "enp3s0-TxRx-1", "enp3s0-TxRx-2",
	     "enp3s0-TxRx-3"),
	CASE("e1000e/1", "e1000e", "enp0s31f6", "r0 t0 misc",
	     "enp0s31f6-rx-0", "enp0s31f6-tx-0", "enp0s31f6"),
	/* 11+ byte names: all three bare, requested rx, tx, other */
	CASE("e1000e/2", "e1000e", "enp0s20f0u1u2", "r0 t0 misc",
	     "enp0s20f0u1u2", "enp0s20f0u1u2", "enp0s20f0u1u2"),
	/* same, with the interface renamed since */
	CASE("e1000e/3", "e1000e", "lan0", "r0 t0 misc",
	     "enp0s20f0u1u2", "enp0s20f0u1u2", "enp0s20f0u1u2"),
	/* MSI: one vector serves everything */
	CASE("e1000e/4", "e1000e", "eth0", "c0", "eth0"),
	/* igb's VF (QEMU igb, SR-IOV): tx, rx, then the bare mailbox */
	CASE("igbvf/1", "igbvf", "eth1", "t0 r0 misc",
	     "eth1-tx-0", "eth1-rx-0", "eth1"),
	/* other vendors */
	CASE("bnxt/1", "bnxt_en", "eth0", "c0 c1 c2 c3",
	     "eth0-TxRx-0", "eth0-TxRx-1", "eth0-TxRx-2", "eth0-TxRx-3"),
	/* split mode: tx numbering continues after rx */
	CASE("bnxt/2", "bnxt_en", "eth0", "r0 r1 r2 t0 t1 t2",
	     "eth0-rx-0", "eth0-rx-1", "eth0-rx-2", "eth0-tx-3", "eth0-tx-4",
	     "eth0-tx-5"),
	CASE("bnxt/3", "bnxt_en", "eth0", "r0 r1 t0 t1 t2 t3",
	     "eth0-rx-0", "eth0-rx-1", "eth0-tx-2", "eth0-tx-3", "eth0-tx-4",
	     "eth0-tx-5"),
	/* a tx number that cannot follow the rx rings */
	CASE("bnxt/4", "bnxt_en", "eth0", "r0 r1 unknown t0",
	     "eth0-rx-0", "eth0-rx-1", "eth0-tx-1", "eth0-tx-2"),
	/* dump E.4: vectors without a handler after shrinking */
	CASE("ena/1", "ena", "enp39s0", "mgmt c0 unnamed unnamed unnamed",
	     "ena-mgmnt@pci:0000:27:00.0", "enp39s0-Tx-Rx-0", NULL, "", NULL),
	CASE("ena/2", "ena", "eth0", "mgmt c0 c1 c2 c3",
	     "ena-mgmnt@pci:0000:00:05.0", "eth0-Tx-Rx-0", "eth0-Tx-Rx-1",
	     "eth0-Tx-Rx-2", "eth0-Tx-Rx-3"),
	/* lower half of the blocks tx, upper half rx; mgmt last */
	CASE("gve/1", "gve", "ens4", "t0 t1 t2 t3 r0 r1 r2 r3 mgmt",
	     "gve-ntfy-blk0@pci:0000:00:04.0", "gve-ntfy-blk1@pci:0000:00:04.0",
	     "gve-ntfy-blk2@pci:0000:00:04.0", "gve-ntfy-blk3@pci:0000:00:04.0",
	     "gve-ntfy-blk4@pci:0000:00:04.0", "gve-ntfy-blk5@pci:0000:00:04.0",
	     "gve-ntfy-blk6@pci:0000:00:04.0", "gve-ntfy-blk7@pci:0000:00:04.0",
	     "gve-mgmnt@pci:0000:00:04.0"),
	/* before early 2023 */
	CASE("gve/2", "gve", "eth0", "t0 t1 r0 r1 mgmt",
	     "eth0-ntfy-block.0", "eth0-ntfy-block.1", "eth0-ntfy-block.2",
	     "eth0-ntfy-block.3", "eth0-mgmnt"),
	CASE("virtio/1", "virtio_net", "eth0", "config r0 t0 r1 t1",
	     "virtio1-config", "virtio1-input.0", "virtio1-output.0",
	     "virtio1-input.1", "virtio1-output.1"),
	/* dump E.5 excerpt */
	CASE("virtio/2", "virtio_net", "ens5", "r1 t1 r2 t2 r3",
	     "virtio5-input.1", "virtio5-output.1", "virtio5-input.2",
	     "virtio5-output.2", "virtio5-input.3"),
	/* dump E.2: one shared vector for all virtqueues */
	CASE("virtio/3", "virtio_net", "eth0", "config c0",
	     "virtio0-config", "virtio0-virtqueues"),
	CASE("mana/1", "mana", "enP30832s1", "mgmt c0 c1 c2 c3",
	     "mana_hwc@pci:7870:00:00.0", "mana_q0@pci:7870:00:00.0",
	     "mana_q1@pci:7870:00:00.0", "mana_q2@pci:7870:00:00.0",
	     "mana_q3@pci:7870:00:00.0"),
	/* before the 2023 fix every vector was "mana_intr"; vector 0 = hwc */
	CASE("mana/2", "mana", "eth1", "mgmt c0 c1 c2",
	     "mana_intr", "mana_intr", "mana_intr", "mana_intr"),
	/* combined channels and the PTP channel; RHEL5 dump "eth1-0" */
	CASE("sfc/1", "sfc", "eth1", "c0 c1 c2 c3 ptp",
	     "eth1-0", "eth1-1", "eth1-2", "eth1-3", "eth1-ptp"),
	/* separate channels are numbered per type; xdp channels */
	CASE("sfc/2", "sfc", "eth0", "r0 r1 t0 t1 xdp xdp",
	     "eth0-rx-0", "eth0-rx-1", "eth0-tx-0", "eth0-tx-1",
	     "eth0-xdp-0", "eth0-xdp-1"),
	CASE("nfp/1", "nfp", "eth0", "misc lsc c0 c1 c2",
	     "eth0-exn", "eth0-lsc", "eth0-rxtx-0", "eth0-rxtx-1",
	     "eth0-rxtx-2"),
	/* slowpath: "sp-<hwfn>-<bus>:<slot>.<pf>", no domain, no ifname */
	CASE("qede/1", "qede", "eth0", "misc c0 c1 c2",
	     "sp-0-3b:00.00", "eth0-fp-0", "eth0-fp-1", "eth0-fp-2"),
	/* an interface whose own name starts with "sp-" */
	CASE("qede/2", "qede", "sp-lan", "misc c0 c1",
	     "sp-0-3b:00.01", "sp-lan-fp-0", "sp-lan-fp-1"),
	/* tx shares its rx queue's vector; adminq name cut by "%.8s" */
	CASE("ionic/1", "ionic", "eth0", "mgmt c0 c1 c2 c3",
	     "ionic-0000:b5:00.0-L0-admin", "ionic-eth0-L0-rx0",
	     "ionic-eth0-L0-rx1", "ionic-eth0-L0-rx2", "ionic-eth0-L0-rx3"),
	/* split-interrupt mode */
	CASE("ionic/2", "ionic", "eth0", "mgmt r0 r1 t0 t1",
	     "ionic-0000:b5:00.0-L0-admin0", "ionic-eth0-L0-rx0",
	     "ionic-eth0-L0-rx1", "ionic-eth0-L0-tx0", "ionic-eth0-L0-tx1"),
	/* RSS without TSS: vector 0 has tx ring 0 only, rx rings from 1 */
	CASE("tg3/1", "tg3", "eth0", "t0 r0 r1 r2 r3",
	     "eth0-tx-0", "eth0-rx-1", "eth0-rx-2", "eth0-rx-3", "eth0-rx-4"),
	/* RSS and TSS: vector 0 carries neither */
	CASE("tg3/2", "tg3", "eth0", "misc c0 c1 c2",
	     "eth0-0", "eth0-txrx-1", "eth0-txrx-2", "eth0-txrx-3"),
	/* one vector: the bare interface name */
	CASE("tg3/3", "tg3", "eth0", "c0", "eth0"),
	/* pre-2024 labels cut at 15 bytes lose the index */
	CASE("tg3/4", "tg3", "enp129s0f0", "t0 unknown unknown",
	     "enp129s0f0-tx-0", "enp129s0f0-rx-", "enp129s0f0-rx-"),
	CASE("be2net/1", "be2net", "eth0", "c0 c1 c2 c3",
	     "eth0-q0", "eth0-q1", "eth0-q2", "eth0-q3"),
	CASE("vmxnet3/1", "vmxnet3", "ens192", "c0 c1 c2 c3 event",
	     "ens192-rxtx-0", "ens192-rxtx-1", "ens192-rxtx-2",
	     "ens192-rxtx-3", "ens192-event-4"),
	/* separate mode: rx vector indexes follow the tx ones */
	CASE("vmxnet3/2", "vmxnet3", "ens192",
	     "t0 t1 t2 t3 r0 r1 r2 r3 event",
	     "ens192-tx-0", "ens192-tx-1", "ens192-tx-2", "ens192-tx-3",
	     "ens192-rx-4", "ens192-rx-5", "ens192-rx-6", "ens192-rx-7",
	     "ens192-event-8"),
	CASE("hv_netvsc/1", "hv_netvsc", "eth0", "unknown unnamed",
	     "hv_something", NULL),
	/* one function, two ports: keep this port's queues */
	CASE("cxgb4/1", "cxgb4", "eth1",
	     "misc event other-port other-port c0 c1 offload rdma rdma",
	     CXGB4_NAMES),
	CASE("cxgb4/2", "cxgb4", "eth0",
	     "misc event c0 c1 other-port other-port offload rdma rdma",
	     CXGB4_NAMES),
	/* neither port's name matches: first claim wins, no double claims */
	CASE("cxgb4/3", "cxgb4", "ens1f4",
	     "misc event c0 c1 unknown unknown offload rdma rdma",
	     CXGB4_NAMES),
	/* a port name that is a prefix of another's */
	CASE("cxgb4/4", "cxgb4", "eth1", "c0 other-port",
	     "eth1-Rx0", "eth10-Rx0"),
	CASE("cxgb4vf/1", "cxgb4vf", "eth0", "c0 c1", "eth0-0", "eth0-1"),
	/* generic fallback */
	CASE("generic/1", "nosuchdrv", "eth0",
	     "misc c0 r1 t1 c3 c2 c5 r2 t2 lsc config unknown",
	     "eth0", "eth0-TxRx-0", "eth0-rx-1", "eth0-tx-1", "eth0-3",
	     "eth0-fp-2", "eth0-q5", "virtio3-input.2", "virtio3-output.2",
	     "eth0-lsc", "eth0-config", "eth0-nonumber"),
	CASE("generic/2", NULL, "eth0", "misc c0 c1 event",
	     "foo-0000:3b:00.0:misc", "eth0-Tx-Rx-0", "eth0-rxtx-1",
	     "eth0-event-2"),
	/* a PCI-named vector is adapter-wide even with a queue suffix */
	CASE("generic/3", "newdrv", "eth0", "fdir ctrl c0 mgmt async",
	     "newdrv-0000:3b:00.0:fdir-TxRx-0",
	     "newdrv-0000:3b:00.0:ctrl-TxRx-0", "newdrv-eth0-TxRx-0",
	     "newdrv-mgmnt@pci:0000:3b:00.0",
	     "newdrv_async@pci:0000:3b:00.0"),
	/* one MSI vector named after the interface (r8169 and the like) */
	CASE("generic/4", "r8169", "enp2s0", "c0", "enp2s0"),
	CASE("generic/5", "r8169", "enp2s0", "c0 unnamed", "enp2s0", NULL),
	/* traps and hostile input */
	/* a bare name is never a queue where the driver has other vectors */
	CASE("bare_name_traps/1", "igc", "eth0", "misc c0",
	     "eth0", "eth0-TxRx-0"),
	/* the exact interface name is housekeeping for every driver... */
	CASE("bare_name_traps/2", "i40e", "eth0", "misc c0",
	     "eth0", "i40e-eth0-TxRx-0"),
	/* ...another bare name only where the driver has such a vector */
	CASE("bare_name_traps/3", "bnxt_en", "eth0", "unknown c0",
	     "eth9", "eth0-TxRx-0"),
	/* ifname NULL or empty must not make "" a match */
	CASE("bare_name_traps/4", "ixgbe", NULL, "unnamed c0 misc",
	     "", "eth0-TxRx-0", "eth0"),
	CASE("bare_name_traps/5", "ixgbe", "", "unnamed c0 misc",
	     NULL, "eth0-TxRx-0", "eth0"),
	/* duplicate names: the later claim is dropped */
	CASE("duplicates/1", "ixgbe", "eth0", "c0 unknown c1 misc",
	     "eth0-TxRx-0", "eth0-TxRx-0", "eth0-TxRx-1", "eth0"),
	CASE("duplicates/2", "mlx5_core", "eth0", "c0 unknown c1",
	     "mlx5_comp3@pci:0000:81:00.0", "mlx5_comp3@pci:0000:81:00.0",
	     "mlx5_comp5@pci:0000:81:00.0"),
	CASE("duplicates/3", "vmxnet3", "ens192", "c0 unknown c1",
	     "ens192-rxtx-4", "ens192-rxtx-4", "ens192-rxtx-7"),
	/* same index through two spellings of one kind */
	CASE("duplicates/4", "virtio_net", "eth0", "c0 unknown",
	     "virtio0-virtqueues", "virtio1-virtqueues"),
	CASE("duplicates/5", "gve", "eth0", "t0 unknown r0",
	     "gve-ntfy-blk0@pci:0000:00:04.0", "eth0-ntfy-block.0",
	     "gve-ntfy-blk1@pci:0000:00:04.0"),
	CASE("hostile_numbers/1", "ixgbe", "eth0",
	     "unknown unknown c2147483647 unknown",
	     "eth0-TxRx-99999999999999999999", "eth0-TxRx-2147483648",
	     "eth0-TxRx-2147483647", "eth0-rx-4294967296"),
	CASE("hostile_numbers/2", "mlx5_core", "eth0", "unknown c0",
	     "mlx5_comp99999999999999999999@pci:0000:81:00.0",
	     "mlx5_comp1@pci:0000:81:00.0"),
	CASE("hostile_numbers/3", "gve", "eth0", "unknown t0 r0",
	     "gve-ntfy-blk4294967297@pci:0000:00:04.0",
	     "gve-ntfy-blk0@pci:0000:00:04.0",
	     "gve-ntfy-blk1@pci:0000:00:04.0"),
	/* leading zeros are still numbers; bare digits are not names */
	CASE("hostile_numbers/4", "sfc", "eth0", "c7 unknown unknown",
	     "eth0-007", "0", "123"),
	CASE("hostile_numbers/5", NULL, "eth0", "unknown unknown",
	     "12345", "-"),
	/* spaces, UTF-8 and printf conversions are plain bytes */
	CASE("hostile_text/1", "ixgbe", "eth0", "c0 c1 c2 unknown",
	     "eth 0-TxRx-0", "\xc3\xabth0-TxRx-1", "%s%n%x-TxRx-2",
	     "%s%n%x and spaces"),
	CASE("hostile_text/2", NULL, "eth0", "t4 unknown",
	     "caf\xc3\xa9-rx 2-tx-4",
	     "\xe2\x82\xac\xe2\x82\xac"),
	CASE("hostile_text/3", "ice", "eth0", "unknown unknown unknown",
	     "-", "TxRx", "ice-0000:65:00.0:unknown-TxRx-3"),
};

START_TEST(test_case)
{
	const struct ccase *c = &cases[_i];

	expect(c->driver, c->ifname, c->want, c->names, c->n, c->what);
}
END_TEST

static char *long_name(size_t len, const char *prefix, const char *suffix)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);
	char *s = malloc(len + 1);

	ck_assert(s && len >= pl + sl);
	memset(s, 'a', len);
	memcpy(s, prefix, pl);
	memcpy(s + len - sl, suffix, sl + 1);
	return s;
}

/* 500-byte names: longer than any kernel name, no buffer of ours cuts. */
START_TEST(test_long_names)
{
	char *q = long_name(500, "", "-TxRx-3");
	char *junk = long_name(500, "", "");
	char *colon = long_name(500, "", ":misc");
	char *mlx = long_name(500, "mlx5_comp2@pci:", "");

	expect("ixgbe", "eth0", "c3 unknown misc",
	       (const char *[]){ q, junk, "eth0" }, 3, "long/ixgbe");
	expect("ice", "eth0", "c3 unknown misc",
	       (const char *[]){ q, junk, colon }, 3, "long/ice");
	expect("mlx5_core", "eth0", "c0 unknown",
	       (const char *[]){ mlx, junk }, 2, "long/mlx5");
	expect(NULL, NULL, "c3 unknown misc",
	       (const char *[]){ q, junk, colon }, 3, "long/generic");
	free(q);
	free(junk);
	free(colon);
	free(mlx);
}
END_TEST

/* 1024 queue vectors in reverse order: renumbering stays exact. */
START_TEST(test_many_vectors)
{
	static char buf[1024][48];
	static const char *names[1025];
	static struct mq_vector v[1025];
	size_t i, n = 1024;

	for (i = 0; i < n; i++) {
		snprintf(buf[i], sizeof(buf[i]), "mlx5_comp%zu@pci:0000:81:00.0",
			 n - i);
		names[i] = buf[i];
	}
	names[n] = "mlx5_async0@pci:0000:81:00.0";
	run("mlx5_core", "eth0", names, v, n + 1, "many/mlx5");
	for (i = 0; i < n; i++)
		ck_assert(v[i].kind == MQ_VEC_COMBINED &&
			  v[i].queue == (int)(n - 1 - i));
	ck_assert(v[n].kind == MQ_VEC_OTHER && !strcmp(v[n].role, "async"));

	for (i = 0; i < n; i++)
		snprintf(buf[i], sizeof(buf[i]), "gve-ntfy-blk%zu@pci:0:4.0", i);
	run("gve", "eth0", names, v, n, "many/gve");
	for (i = 0; i < n; i++)
		ck_assert(v[i].kind == (i < n / 2 ? MQ_VEC_TX : MQ_VEC_RX) &&
			  v[i].queue == (int)(i % (n / 2)));

	/* all duplicates: one claim, the rest dropped */
	for (i = 0; i < n; i++)
		names[i] = "eth0-TxRx-5";
	run("ixgbe", "eth0", names, v, n, "many/dup");
	ck_assert(v[0].kind == MQ_VEC_COMBINED && v[0].queue == 5);
	ck_assert(v[n - 1].kind == MQ_VEC_OTHER);
}
END_TEST

/*
 * Random names built from the fragments the rules look for, for every
 * driver: the invariants must hold whatever the names.
 */
static const char *const fuzz_drivers[] = {
	"mlx5_core", "mlx4_core", "mlx4_en", "i40e", "ice", "iavf", "idpf",
	"ixgbe", "ixgbevf", "igb", "igc", "e1000e", "bnxt_en", "ena", "gve",
	"virtio_net", "hv_netvsc", "mana", "sfc", "nfp", "qede", "cxgb4",
	"cxgb4vf", "ionic", "tg3", "be2net", "vmxnet3", "unknowndrv", NULL,
};

static const char *const fuzz_parts[] = {
	"eth0", "eth1", "-TxRx-", "-rx-", "-tx-", "-Tx-Rx-", "-rxtx-", "-q",
	"-fp-", "-Rx", "-", "0", "1", "7", "12", "99999999999", ":",
	"@pci:", "0000:81:00.0", "mlx5_comp", "mlx4-", "gve-ntfy-blk",
	"-ntfy-block.", "mana_q", "-input.", "-output.", ":misc", "-event-",
	"ionic-", "-L0-rx", "-L0-tx", "mana_intr", "-virtqueues", " ", "%n",
};

static unsigned int fuzz_next(unsigned int *state)
{
	*state = *state * 1103515245u + 12345u;
	return (*state >> 16) & 0x7fff;
}

START_TEST(test_fuzz_invariants)
{
	static char buf[64][128];
	const char *names[64];
	struct mq_vector v[64];
	const size_t nparts = sizeof(fuzz_parts) / sizeof(fuzz_parts[0]);
	const size_t ndrv = sizeof(fuzz_drivers) / sizeof(fuzz_drivers[0]);
	unsigned int seed = 12345;
	size_t iter, i, k, n;

	for (iter = 0; iter < 4000; iter++) {
		n = fuzz_next(&seed) % 64;
		for (i = 0; i < n; i++) {
			buf[i][0] = '\0';
			for (k = fuzz_next(&seed) % 5; k > 0; k--)
				strcat(buf[i], fuzz_parts[fuzz_next(&seed) %
							  nparts]);
			names[i] = fuzz_next(&seed) % 16 ? buf[i] : NULL;
		}
		run(fuzz_drivers[iter % ndrv], iter % 3 ? "eth0" : NULL,
		    names, v, n, "fuzz");
	}
}
END_TEST

START_TEST(test_no_vectors)
{
	/* hv_netvsc has no MSI-X at all; nothing to do, nothing to touch */
	mq_classify_vectors("hv_netvsc", "eth0", NULL, 0);
	mq_classify_vectors(NULL, NULL, NULL, 0);
}
END_TEST

START_TEST(test_kind_names)
{
	ck_assert_str_eq(mq_vec_kind_name(MQ_VEC_OTHER), "other");
	ck_assert_str_eq(mq_vec_kind_name(MQ_VEC_COMBINED), "combined");
	ck_assert_str_eq(mq_vec_kind_name(MQ_VEC_RX), "rx");
	ck_assert_str_eq(mq_vec_kind_name(MQ_VEC_TX), "tx");
	ck_assert_ptr_nonnull(mq_vec_kind_name((enum mq_vec_kind)42));
	ck_assert_ptr_nonnull(mq_vec_kind_name((enum mq_vec_kind)-1));
}
END_TEST

/* Legacy INTx lines: handler lists as actions and /proc/interrupts print them. */
static const struct {
	const char *ifname, *handlers, *want;	/* want: "c0" or a role */
	int shared, own;
} intx_cases[] = {
	{ "eth4", "eth4", "c0", 0, 1 },			/* e1000, link up */
	{ "eth4", "", "unnamed", 0, 0 },		/* before the first open */
	{ "eth4", NULL, "unnamed", 0, 0 },
	{ "eth4", "ahci,eth4", "shared", 1, 1 },	/* actions_show(): ',' */
	{ "eth4", "ahci, eth4", "shared", 1, 1 },	/* show_interrupts(): ", " */
	{ "eth4", "eth4,ahci", "shared", 1, 1 },
	{ "eth4", "ehci_hcd:usb1, i801_smbus, eth4", "shared", 1, 1 },
	{ "eth4", "ahci", "shared", 1, 0 },		/* ours not requested yet */
	{ "eth4", "eth40", "shared", 1, 0 },		/* a prefix is not a match */
	{ "eth40", "eth4", "shared", 1, 0 },
	{ "eth4", "eth4,eth4", "shared", 1, 1 },	/* same name, another netns */
	{ "eth4", ",eth4,", "c0", 0, 1 },		/* stray separators */
	{ "", "eth4", "shared", 1, 0 },
	{ NULL, "eth4", "shared", 1, 0 },
};

START_TEST(test_intx)
{
	struct mq_vector v = { 0 };
	bool own = !intx_cases[_i].own, shared;
	char what[128];

	snprintf(what, sizeof(what), "intx %s on %s", intx_cases[_i].ifname ?
		 intx_cases[_i].ifname : "(null)", intx_cases[_i].handlers ?
		 intx_cases[_i].handlers : "(null)");
	v.irq = 20;
	v.name = intx_cases[_i].handlers;
	v.queue = 7;
	shared = mq_classify_intx(intx_cases[_i].ifname, &v, &own);
	check_vector(&v, 0, what);
	ck_assert_msg(shared == (bool)intx_cases[_i].shared, "%s: shared %d",
		      what, shared);
	ck_assert_msg(own == (bool)intx_cases[_i].own, "%s: own %d", what, own);
	if (strcmp(intx_cases[_i].want, "c0") == 0)
		ck_assert_msg(v.kind == MQ_VEC_COMBINED && v.queue == 0,
			      "%s: kind %s queue %d", what,
			      mq_vec_kind_name(v.kind), v.queue);
	else
		ck_assert_msg(v.kind == MQ_VEC_OTHER &&
			      strcmp(v.role, intx_cases[_i].want) == 0,
			      "%s: kind %s role %s, want %s", what,
			      mq_vec_kind_name(v.kind), v.role, intx_cases[_i].want);
}
END_TEST

Suite *classify_suite(void)
{
	Suite *s = suite_create("classify");
	TCase *tc = tcase_create("classify");

	tcase_add_loop_test(tc, test_case, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_long_names);
	tcase_add_test(tc, test_many_vectors);
	tcase_add_test(tc, test_fuzz_invariants);
	tcase_add_test(tc, test_no_vectors);
	tcase_add_test(tc, test_kind_names);
	tcase_add_loop_test(tc, test_intx, 0,
			    (int)(sizeof(intx_cases) / sizeof(intx_cases[0])));
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}
