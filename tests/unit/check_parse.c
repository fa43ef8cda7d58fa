/*
 * check_parse.c - unit tests for the scalar parsers and /proc/interrupts.
 *
 * The /proc/interrupts fixtures follow real layouts from several kernel
 * eras and architectures (docs: drivers.md section E): the old fused
 * "PCI-MSI-edge" chip, the hwirq column, per-device MSI-X domains,
 * arm64 GICv3/ITS with a trigger column, Xen event channels, rows
 * without handlers, and the arch rows with text labels.  The large
 * tables are generated, so a 1024-CPU machine is tested without a
 * megabyte of literals.
 */
#include <check.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mqtune/parse.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Input text with its length, so that embedded NUL bytes count. */
struct text {
	const char *s;
	size_t len;
};

#define TXT(lit) { (lit), sizeof(lit) - 1 }

/* --- integers ------------------------------------------------------- */

enum int_kind { U64, S64, U32, S32 };

static const struct int_case {
	enum int_kind kind;
	struct text in;
	int ret;
	const char *val;	/* the value stored, printed in decimal */
} int_cases[] = {
#define OK(k, lit, v)	{ k, TXT(lit), MQ_PARSE_OK, v }
#define SYN(k, lit)	{ k, TXT(lit), MQ_PARSE_SYNTAX, "777" }	/* untouched */
#define RNG(k, lit)	{ k, TXT(lit), MQ_PARSE_RANGE, "777" }
	OK(U64, "0", "0"),
	OK(U64, "42\n", "42"),
	OK(U64, "007", "7"),
	OK(U64, "18446744073709551615", "18446744073709551615"),
	OK(U64, "18446744073709551615\n", "18446744073709551615"),
	RNG(U64, "18446744073709551616"),
	RNG(U64, "99999999999999999999"),
	RNG(U64, "184467440737095516150"),
	SYN(U64, "99999999999999999999x"),
	SYN(U64, ""),
	SYN(U64, "\n"),
	SYN(U64, "1\n\n"),
	SYN(U64, "\n1"),
	SYN(U64, "-1"),
	SYN(U64, "-0"),
	SYN(U64, "+1"),
	SYN(U64, " 1"),
	SYN(U64, "1 "),
	SYN(U64, "1\r\n"),
	SYN(U64, "0x10"),
	SYN(U64, "1.5"),
	SYN(U64, "1e3"),
	SYN(U64, "1\0"),
	SYN(U64, "1\0" "2"),
	SYN(U64, "\0"),

	OK(S64, "0", "0"),
	OK(S64, "-0", "0"),
	OK(S64, "-1\n", "-1"),
	OK(S64, "123", "123"),
	OK(S64, "9223372036854775807", "9223372036854775807"),
	OK(S64, "-9223372036854775808", "-9223372036854775808"),
	OK(S64, "-9223372036854775807", "-9223372036854775807"),
	RNG(S64, "9223372036854775808"),
	RNG(S64, "-9223372036854775809"),
	RNG(S64, "-99999999999999999999"),
	SYN(S64, "-"),
	SYN(S64, "-\n"),
	SYN(S64, "--1"),
	SYN(S64, "- 1"),
	SYN(S64, " -1"),
	SYN(S64, "+5"),
	SYN(S64, "1-"),
	SYN(S64, ""),
	SYN(S64, "-1\0"),

	OK(U32, "4294967295", "4294967295"),
	OK(U32, "0\n", "0"),
	RNG(U32, "4294967296"),
	RNG(U32, "99999999999999999999"),
	SYN(U32, "-1"),
	SYN(U32, "x"),

	OK(S32, "2147483647", "2147483647"),
	OK(S32, "-2147483648", "-2147483648"),
	OK(S32, "-1\n", "-1"),
	RNG(S32, "2147483648"),
	RNG(S32, "-2147483649"),
	RNG(S32, "4294967295"),
	RNG(S32, "-9223372036854775809"),
	SYN(S32, "+1"),
	SYN(S32, ""),
#undef OK
#undef SYN
#undef RNG
};

/* Run the parser for @kind and print the value it left in its output. */
static int run_int(enum int_kind kind, const struct text *in, char *val,
		   size_t size)
{
	uint64_t u64 = 777;
	int64_t s64 = 777;
	uint32_t u32 = 777;
	int32_t s32 = 777;
	int ret = -100;

	switch (kind) {
	case U64:
		ret = mq_parse_u64(in->s, in->len, &u64);
		break;
	case S64:
		ret = mq_parse_s64(in->s, in->len, &s64);
		break;
	case U32:
		ret = mq_parse_u32(in->s, in->len, &u32);
		u64 = u32;
		break;
	case S32:
		ret = mq_parse_s32(in->s, in->len, &s32);
		s64 = s32;
		break;
	}
	if (kind == U64 || kind == U32)
		snprintf(val, size, "%" PRIu64, u64);
	else
		snprintf(val, size, "%" PRId64, s64);
	return ret;
}

START_TEST(test_int)
{
	const struct int_case *c = &int_cases[_i];
	char val[32];
	int ret = run_int(c->kind, &c->in, val, sizeof(val));

	ck_assert_msg(ret == c->ret, "case %d '%s': %d, want %d", _i, c->in.s,
		      ret, c->ret);
	ck_assert_msg(!strcmp(val, c->val), "case %d '%s': stored %s, want %s",
		      _i, c->in.s, val, c->val);
}
END_TEST

/* The length, not a NUL, ends the input. */
START_TEST(test_int_length_bound)
{
	uint64_t v = 0;
	int32_t s = 0;

	ck_assert_int_eq(mq_parse_u64("12345", 2, &v), MQ_PARSE_OK);
	ck_assert_uint_eq(v, 12);
	ck_assert_int_eq(mq_parse_u64("12\n45", 3, &v), MQ_PARSE_OK);
	ck_assert_uint_eq(v, 12);
	ck_assert_int_eq(mq_parse_u64("12", 0, &v), MQ_PARSE_SYNTAX);
	ck_assert_int_eq(mq_parse_s32("-7abc", 2, &s), MQ_PARSE_OK);
	ck_assert_int_eq(s, -7);
	ck_assert_int_eq(mq_parse_s32("-7abc", 1, &s), MQ_PARSE_SYNTAX);
}
END_TEST

/* /proc entries that name processes, and those that do not. */
START_TEST(test_pid_dir)
{
	int pid = -1;

	ck_assert(mq_parse_pid_dir("1", &pid));
	ck_assert_int_eq(pid, 1);
	ck_assert(mq_parse_pid_dir("999999999", &pid));
	ck_assert_int_eq(pid, 999999999);
	pid = -1;
	ck_assert(!mq_parse_pid_dir("", &pid));
	ck_assert(!mq_parse_pid_dir("self", &pid));
	ck_assert(!mq_parse_pid_dir("0", &pid));
	ck_assert(!mq_parse_pid_dir("012", &pid));
	ck_assert(!mq_parse_pid_dir("-5", &pid));
	ck_assert(!mq_parse_pid_dir("12a", &pid));
	ck_assert(!mq_parse_pid_dir("1234567890", &pid));
	ck_assert_int_eq(pid, -1);
}
END_TEST

START_TEST(test_chomp)
{
	ck_assert_uint_eq(mq_chomp("", 0), 0);
	ck_assert_uint_eq(mq_chomp("\n", 1), 0);
	ck_assert_uint_eq(mq_chomp("a", 1), 1);
	ck_assert_uint_eq(mq_chomp("a\n", 2), 1);
	ck_assert_uint_eq(mq_chomp("a\n\n", 3), 2);	/* only one */
	ck_assert_uint_eq(mq_chomp("a\r\n", 3), 2);	/* only the newline */
	ck_assert_uint_eq(mq_chomp("a \n", 3), 2);
	ck_assert_uint_eq(mq_chomp("ab\n", 2), 2);	/* within the length */
}
END_TEST

/* --- /proc/interrupts fixtures -------------------------------------- */

struct want_row {
	unsigned int irq;
	const char *names;
};

#define MAX_WANT 12

static const struct irq_fixture {
	const char *what;
	const char *text;
	unsigned int nr_columns;
	size_t nr_rows;
	struct want_row rows[MAX_WANT];	/* in file order, all of them */
} irq_fixtures[] = {
	{
		/* mlx5 on an old x86 kernel: chip and flow fused, no hwirq */
		"mlx5-old",
		"           CPU0       CPU1       CPU2       CPU3       \n"
		" 16:          5          0          0          0   IO-APIC-level  uhci_hcd:usb3, HDA Intel\n"
		" 27:          1          0          0          0   PCI-MSI-edge      mlx5_pages_eq@pci:0000:01:00.0\n"
		" 28:     221496          0          0          0   PCI-MSI-edge      mlx5_cmd_eq@pci:0000:01:00.0\n"
		" 30:  127355089          0          0          0   PCI-MSI-edge      mlx5_comp0@pci:0000:01:00.0\n"
		" 31:  120112828    5482507          0          0   PCI-MSI-edge      mlx5_comp1@pci:0000:01:00.0\n"
		" 40:          0          0          7          0   IO-APIC-fasteoi   2-0050\n"
		"NMI:          0          0          0          0   Non-maskable interrupts\n"
		"LOC:   34522412   30114327   29871135   29740104   Local timer interrupts\n"
		"ERR:          0\n"
		"MIS:          0\n",
		4, 6,
		{ { 16, "uhci_hcd:usb3, HDA Intel" },
		  { 27, "mlx5_pages_eq@pci:0000:01:00.0" },
		  { 28, "mlx5_cmd_eq@pci:0000:01:00.0" },
		  { 30, "mlx5_comp0@pci:0000:01:00.0" },
		  { 31, "mlx5_comp1@pci:0000:01:00.0" },
		  { 40, "2-0050" } },
	},
	{
		/* ixgbe, 3.x kernel: 32-bit counters near wrapping */
		"ixgbe-old",
		"            CPU0       CPU1       \n"
		"  63: 3489881715          0   PCI-MSI-edge      eth2\n"
		"  65:         19          0   PCI-MSI-edge      eth0\n"
		"  66:    5001062          0   PCI-MSI-edge      eth0-TxRx-0\n"
		"  74:          0          0   PCI-MSI-edge      eth1\n",
		2, 4,
		{ { 63, "eth2" }, { 65, "eth0" }, { 66, "eth0-TxRx-0" }, { 74, "eth1" } },
	},
	{
		/* i40e and virtio: global PCI-MSI domain, hwirq with the flow */
		"i40e-hwirq",
		"           CPU0       CPU1       CPU2       CPU3       \n"
		"  5:          0          0          0          0   PCI-MSI 134217728-edge      virtio0-config\n"
		"  6:          0        752          0          0   PCI-MSI 134217729-edge      virtio0-virtqueues\n"
		"  9:          0          0          0          2   PCI-MSI 134463488-edge      i40e-0001:00:0f.0:misc\n"
		" 10:        119          0          0          0   PCI-MSI 134463489-edge      i40e-enP1s15-TxRx-0\n"
		" 11:          0          0          0          0   PCI-MSI 134463490-edge      i40e-enP1s15-TxRx-1\n"
		"NMI:          0          0          0          0   Non-maskable interrupts\n",
		4, 5,
		{ { 5, "virtio0-config" }, { 6, "virtio0-virtqueues" },
		  { 9, "i40e-0001:00:0f.0:misc" }, { 10, "i40e-enP1s15-TxRx-0" },
		  { 11, "i40e-enP1s15-TxRx-1" } },
	},
	{
		/* ENA: per-device MSI-X domain, rows without a handler */
		"ena-nohandler",
		"           CPU0       CPU1       CPU2       CPU3       \n"
		" 65:       8362          0          0          2  PCI-MSIX-0000:27:00.0   0-edge      ena-mgmnt@pci:0000:27:00.0\n"
		" 66:        261          0          0          0  PCI-MSIX-0000:27:00.0   1-edge      enp39s0-Tx-Rx-0\n"
		" 67:          0        163          0          1  PCI-MSIX-0000:27:00.0   2-edge      \n"
		" 68:          1          0        159          0  PCI-MSIX-0000:27:00.0   3-edge\n"
		" 69:          0          0          0        134\n",
		4, 5,
		{ { 65, "ena-mgmnt@pci:0000:27:00.0" }, { 66, "enp39s0-Tx-Rx-0" },
		  { 67, "" }, { 68, "" }, { 69, "" } },
	},
	{
		/* x86 with interrupt remapping, offline CPUs 1, 3 and 4 */
		"x86-ir-offline",
		"            CPU0       CPU2       CPU5       \n"
		"   0:         44          0          0   IO-APIC    2-edge      timer\n"
		"   9:          0          4          0   IR-IO-APIC    9-fasteoi   acpi\n"
		" 120:          0          0          0  DMAR-MSI    0-edge      dmar0\n"
		" 121:          0          0          0  IR-PCI-MSI 458752-edge      PCIe PME, pciehp\n"
		" 122:         10          0          0  IR-PCI-MSIX-0000:27:00.0    0-edge      ice-0000:27:00.0:misc\n"
		" 123:        500          0          0  IR-PCI-MSIX-0000:27:00.0  1-edge  ice-eth0-TxRx-0\n"
		" 124:          0       1670          0  IR-PCI-MSIX-0000:27:00.0    2-edge      ice-eth0-TxRx-1\n"
		" 125:          0          0          0  IR-PCI-MSIX-0000:27:00.0    3-edge    \n"
		" 126:          0          0          9  IR-IO-APIC   16-fasteoi   2-0050, i801_smbus   \n"
		" NMI:          0          0          0   Non-maskable interrupts\n"
		" LOC:     123456     234567     345678   Local timer interrupts\n"
		" PIN:          0          0          0   Posted-interrupt notification event\n"
		" ERR:          0\n"
		" MIS:          0\n",
		3, 9,
		{ { 0, "timer" }, { 9, "acpi" }, { 120, "dmar0" },
		  { 121, "PCIe PME, pciehp" }, { 122, "ice-0000:27:00.0:misc" },
		  { 123, "ice-eth0-TxRx-0" }, { 124, "ice-eth0-TxRx-1" }, { 125, "" },
		  { 126, "2-0050, i801_smbus" } },
	},
	{
		/* ice, 16 CPUs, hwirq in the global IR-PCI-MSI domain */
		"ice-16",
		"            CPU0       CPU1       CPU2       CPU3       CPU4       CPU5       CPU6       CPU7       CPU8       CPU9       CPU10      CPU11      CPU12      CPU13      CPU14      CPU15      \n"
		"  66:          0          0          0          0          0          0          0          0          0          0          0          0          0          0          0          0  IR-PCI-MSI 52953105-edge      ice-0000:65:00.0:ctrl-TxRx-0\n"
		"  78:       1670          0          0          0          0          0          0          0          0          0          0          0          0          0          0          0  IR-PCI-MSI 52955137-edge      ice-lan1-TxRx-0\n"
		"  79:          0        609          0          0          0          0          0          0          0          0          0          0          0          0          0          0  IR-PCI-MSI 52955138-edge      ice-lan1-TxRx-1\n",
		16, 3,
		{ { 66, "ice-0000:65:00.0:ctrl-TxRx-0" }, { 78, "ice-lan1-TxRx-0" },
		  { 79, "ice-lan1-TxRx-1" } },
	},
	{
		/* arm64: GICv3 and ITS-MSI with the Level/Edge column */
		"arm64-gic-its",
		"           CPU0       CPU1       \n"
		" 11:      73543      72617     GICv3  27 Level     arch_timer\n"
		" 14:          0          0     GICv3  92 Level     a0000000.ethernet\n"
		" 47:       1234          0   ITS-MSI 524288 Edge      eth0-TxRx-0\n"
		" 48:          0       5678   ITS-MSI 524289 Edge      eth0-TxRx-1\n"
		" 50:          3          0   ITS-MSI 1572864 Edge      nvme0q0, nvme1q0\n"
		" 51:          0          0   ITS-MSI 1572865 Edge\n"
		" 52:          0          0     GICv3  30 Level   -fasteoi   uart-pl011\n"
		"IPI0:      1234       2345       Rescheduling interrupts\n"
		"IPI1:        12         34       Function call interrupts\n"
		"Err:          0\n",
		2, 7,
		{ { 11, "arch_timer" }, { 14, "a0000000.ethernet" },
		  { 47, "eth0-TxRx-0" }, { 48, "eth0-TxRx-1" },
		  { 50, "nvme0q0, nvme1q0" }, { 51, "" }, { 52, "uart-pl011" } },
	},
	{
		/* Xen guest: event channels, flow fused onto the chip */
		"xen",
		"           CPU0       CPU1       \n"
		" 48:     123456          0  xen-pirq-msi-x     eth0-Tx-Rx-0\n"
		" 49:          0     654321  xen-pirq-msi-x     eth0-Tx-Rx-1\n"
		" 50:         12          0   xen-dyn-event     xenbus\n"
		" 51:        999        999  xen-percpu-virq      timer0\n",
		2, 4,
		{ { 48, "eth0-Tx-Rx-0" }, { 49, "eth0-Tx-Rx-1" },
		  { 50, "xenbus" }, { 51, "timer0" } },
	},
	{
		/* virtio_net, no trailing newline at the end of the text */
		"virtio-no-eol",
		"           CPU0       CPU1       CPU2       CPU3       \n"
		" 41:          0        328          0          0  IR-PCI-MSI 163843-edge      virtio5-input.1\n"
		" 42:          0          1          0          0  IR-PCI-MSI 163844-edge      virtio5-output.1",
		4, 2,
		{ { 41, "virtio5-input.1" }, { 42, "virtio5-output.1" } },
	},
	{
		/* a machine with no numbered rows at all (s390 style labels) */
		"labels-only",
		"           CPU0       \n"
		"EXT:        100   External interrupts\n"
		"I/O:         50   I/O interrupts\n",
		1, 0,
		{ { 0, NULL } },
	},
};

START_TEST(test_irq_fixture)
{
	const struct irq_fixture *f = &irq_fixtures[_i];
	struct mq_interrupts t;
	size_t i, bad_line = 99;

	ck_assert_msg(mq_parse_interrupts(f->text, strlen(f->text), &t, &bad_line) ==
		      MQ_PARSE_OK, "%s: rejected at line %zu", f->what, bad_line);
	ck_assert_uint_eq(bad_line, 0);
	ck_assert_uint_eq(t.nr_columns, f->nr_columns);
	ck_assert_uint_eq(t.nr_rows, f->nr_rows);
	for (i = 0; i < f->nr_rows; i++) {
		ck_assert_uint_eq(t.rows[i].irq, f->rows[i].irq);
		ck_assert_msg(!strcmp(t.rows[i].names, f->rows[i].names),
			      "%s: irq %u: got '%s', want '%s'", f->what,
			      f->rows[i].irq, t.rows[i].names, f->rows[i].names);
		ck_assert_ptr_eq(mq_interrupts_name(&t, f->rows[i].irq), t.rows[i].names);
	}
	mq_interrupts_free(&t);
	ck_assert_ptr_null(t.rows);
	ck_assert_uint_eq(t.nr_rows, 0);
}
END_TEST

static const struct irq_bad {
	const char *what;
	struct text in;
	size_t line;
} irq_bad[] = {
	{ "empty", TXT(""), 1 },
	{ "empty header", TXT("\n"), 1 },
	{ "blank header", TXT("      \n 1:  2  chip  x\n"), 1 },
	{ "bad CPU token", TXT("           CPU0       CPUx\n"), 1 },
	{ "lowercase cpu", TXT("  cpu0\n"), 1 },
	{ "CPU without number", TXT("  CPU0 CPU\n"), 1 },
	{ "decreasing CPUs", TXT("  CPU1 CPU0\n"), 1 },
	{ "duplicate CPU", TXT("  CPU0 CPU0\n"), 1 },
	{ "no header", TXT("  0:         44   IO-APIC    2-edge      timer\n"), 1 },
	{ "NUL in header", TXT("  CPU0\0 CPU1\n"), 1 },
	{ "too few counts",
	  TXT("  CPU0 CPU1 CPU2 CPU3\n 45:   1   2\n"), 2 },
	{ "name where a count belongs",
	  TXT("  CPU0 CPU1 CPU2 CPU3\n 45:   1   2  PCI-MSI-edge  eth0\n"), 2 },
	{ "wrapped counts",
	  TXT("  CPU0 CPU1 CPU2 CPU3\n 44:  1  2  3  4  PCI-MSI-edge  eth0\n"
	      " 45:   1   2\n   3   4  PCI-MSI-edge  eth1\n"), 3 },
	{ "wrapped tail",
	  TXT("  CPU0 CPU1\n 45:   1   2  PCI-MSI\n-edge  eth1\n"), 3 },
	{ "bad count", TXT("  CPU0 CPU1\n 45:   1   2x  PCI-MSI-edge  eth0\n"), 2 },
	{ "signed count", TXT("  CPU0 CPU1\n 45:   1   -2  PCI-MSI-edge  eth0\n"), 2 },
	{ "more counts than CPUs",
	  TXT("  CPU0 CPU1\n 45:   1   2   3  PCI-MSI-edge  eth0\n"), 2 },
	{ "NUL in a row",
	  TXT("  CPU0\n 44:  1  chip  a\n 45:  1  PCI-MSI-edge  et\0h0\n"), 3 },
	{ "blank line", TXT("  CPU0\n 44:  1  chip  a\n\n 45:  1  chip  b\n"), 3 },
	{ "no colon", TXT("  CPU0\n 45   1  chip  eth0\n"), 2 },
	{ "colon alone", TXT("  CPU0\n :   1  chip  eth0\n"), 2 },
	{ "colon attached", TXT("  CPU0\n 45:1  chip  eth0\n"), 2 },
	{ "negative irq", TXT("  CPU0\n -1:   1  chip  eth0\n"), 2 },
	{ "irq overflow", TXT("  CPU0\n 4294967296:   1  chip  eth0\n"), 2 },
	{ "decreasing irqs",
	  TXT("  CPU0\n 46:  1  chip  a\n 45:  1  chip  b\n"), 3 },
	{ "duplicate irq",
	  TXT("  CPU0\n 45:  1  chip  a\n 47:  1  chip  b\n 47:  1  chip  c\n"), 4 },
	{ "CRLF", TXT("  CPU0\r\n 45:  1  chip  a\r\n"), 1 },
};

START_TEST(test_irq_bad)
{
	const struct irq_bad *c = &irq_bad[_i];
	struct mq_interrupts t;
	size_t line = 0;

	memset(&t, 0xa5, sizeof(t));	/* must be emptied on failure */
	ck_assert_msg(mq_parse_interrupts(c->in.s, c->in.len, &t, &line) ==
		      MQ_PARSE_SYNTAX, "%s: accepted", c->what);
	ck_assert_msg(line == c->line, "%s: bad line %zu, want %zu", c->what,
		      line, c->line);
	ck_assert_ptr_null(t.rows);
	ck_assert_uint_eq(t.nr_rows, 0);
	ck_assert_uint_eq(t.nr_columns, 0);
	/* a NULL bad_line is allowed */
	ck_assert_int_eq(mq_parse_interrupts(c->in.s, c->in.len, &t, NULL),
			 MQ_PARSE_SYNTAX);
}
END_TEST

/* --- generated tables ----------------------------------------------- */

struct gen {
	char *buf;
	size_t len, cap;
};

static void gen_add(struct gen *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void gen_add(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!g->buf) {
		g->cap = 4096;
		g->buf = malloc(g->cap);
		ck_assert_ptr_nonnull(g->buf);
	}
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(g->buf + g->len, g->cap - g->len, fmt, ap);
		va_end(ap);
		ck_assert_int_ge(n, 0);
		if ((size_t)n < g->cap - g->len)
			break;
		g->cap = g->cap * 2 + (size_t)n + 1;
		g->buf = realloc(g->buf, g->cap);
		ck_assert_ptr_nonnull(g->buf);
	}
	g->len += (size_t)n;
}

/*
 * The name the generator gives to row @r: a mix of queue vectors,
 * rows without a handler and shared names with spaces.
 */
static void gen_name(char *out, size_t size, unsigned int r)
{
	if (r % 10 == 9)
		out[0] = '\0';
	else if (r % 10 == 8)
		snprintf(out, size, "PCIe PME, pciehp%u", r);
	else
		snprintf(out, size, "ice-eth%u-TxRx-%u", r / 64, r % 64);
}

static unsigned int gen_irq(unsigned int r)
{
	return 24 + 3 * r;
}

/* Append @n bytes of @p. */
static void gen_put(struct gen *g, const char *p, size_t n)
{
	if (g->cap - g->len <= n) {
		g->cap = g->cap * 2 + n + 1;
		g->buf = realloc(g->buf, g->cap);
		ck_assert_ptr_nonnull(g->buf);
	}
	memcpy(g->buf + g->len, p, n);
	g->len += n;
	g->buf[g->len] = '\0';
}

/*
 * A kernel-shaped table: @cols online CPUs (every seventh CPU offline),
 * @rows numbered rows, the x86 arch rows after them.  Row @short_row
 * (if < rows) loses its last count.  The counts of a row are formatted
 * once and copied, which keeps a 6 MB table quick to build under
 * sanitizers.
 */
static void gen_table(struct gen *g, unsigned int cols, unsigned int rows,
		      unsigned int short_row)
{
	struct gen counts = { NULL, 0, 0 };
	unsigned int c, r, cpu = 0;
	char name[64];

	for (c = 0; c < cols; c++)
		gen_add(&counts, " %10u", c * 2654435761u);
	g->len = 0;
	gen_add(g, "%*s", 12, "");
	for (c = 0; c < cols; c++, cpu++) {
		if (cpu % 7 == 6)
			cpu++;
		gen_add(g, "CPU%-8u", cpu);
	}
	gen_add(g, "\n");
	for (r = 0; r < rows; r++) {
		gen_add(g, "%4u:", gen_irq(r));
		gen_put(g, counts.buf, counts.len - (r == short_row ? 11 : 0));
		gen_name(name, sizeof(name), r);
		gen_add(g, "  IR-PCI-MSIX-0000:%02x:00.0 %4u-edge      %s\n",
			r / 64, r % 64, name);
	}
	gen_add(g, " NMI:");
	gen_put(g, counts.buf, counts.len);
	gen_add(g, "   Non-maskable interrupts\n ERR:          0\n MIS:          0\n");
	free(counts.buf);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(test_irq_1024_columns)
{
	struct gen g = { NULL, 0, 0 };
	struct mq_interrupts t;
	unsigned int r, bad = 0;
	size_t line = 99;
	char name[64];
	double t0, secs;

	gen_table(&g, 1024, 512, ~0u);
	/* one row really is about 11 KB */
	ck_assert_uint_gt(g.len, 512 * 11 * 1024);
	t0 = now();
	ck_assert_int_eq(mq_parse_interrupts(g.buf, g.len, &t, &line), MQ_PARSE_OK);
	secs = now() - t0;
	ck_assert_uint_eq(line, 0);
	ck_assert_uint_eq(t.nr_columns, 1024);
	ck_assert_uint_eq(t.nr_rows, 512);
	for (r = 0; r < 512; r++) {
		gen_name(name, sizeof(name), r);
		bad += t.rows[r].irq != gen_irq(r) || strcmp(t.rows[r].names, name);
	}
	ck_assert_uint_eq(bad, 0);
	/*
	 * 6 MB takes milliseconds when parsed in one pass; anything
	 * quadratic in the row length takes minutes.  The bound is loose
	 * enough for sanitizers and a loaded machine.
	 */
	ck_assert_msg(secs < 3.0, "parsing took %.2f s", secs);
	mq_interrupts_free(&t);
	free(g.buf);
}
END_TEST

START_TEST(test_irq_1024_short_row)
{
	struct gen g = { NULL, 0, 0 };
	struct mq_interrupts t;
	size_t line = 0;

	gen_table(&g, 1024, 40, 17);
	ck_assert_int_eq(mq_parse_interrupts(g.buf, g.len, &t, &line), MQ_PARSE_SYNTAX);
	ck_assert_uint_eq(line, 17 + 2);	/* header, then rows from 0 */
	ck_assert_ptr_null(t.rows);
	free(g.buf);
}
END_TEST

/* A 1024-column row split in two, as a terminal or a mail client does. */
START_TEST(test_irq_1024_wrapped)
{
	struct gen g = { NULL, 0, 0 };
	struct mq_interrupts t;
	size_t line = 0;
	char *mid;

	gen_table(&g, 1024, 3, ~0u);
	/* break row 1 (line 3) after its 500th count */
	mid = strchr(strchr(g.buf, '\n') + 1, '\n') + 1;
	mid += 5 + 500 * 11;
	ck_assert_int_eq(*mid, ' ');
	*mid = '\n';
	ck_assert_int_eq(mq_parse_interrupts(g.buf, g.len, &t, &line), MQ_PARSE_SYNTAX);
	ck_assert_uint_eq(line, 3);
	free(g.buf);
}
END_TEST

START_TEST(test_irq_lookup_2000)
{
	struct gen g = { NULL, 0, 0 };
	struct mq_interrupts t;
	unsigned int r, bad = 0;
	char name[64];
	const char *got;

	gen_table(&g, 2, 2000, ~0u);
	ck_assert_int_eq(mq_parse_interrupts(g.buf, g.len, &t, NULL), MQ_PARSE_OK);
	ck_assert_uint_eq(t.nr_rows, 2000);
	for (r = 0; r < 2000; r++) {
		gen_name(name, sizeof(name), r);
		got = mq_interrupts_name(&t, gen_irq(r));
		bad += !got || strcmp(got, name);
		/* the numbers between rows are absent */
		bad += mq_interrupts_name(&t, gen_irq(r) + 1) != NULL;
	}
	ck_assert_uint_eq(bad, 0);
	ck_assert_ptr_null(mq_interrupts_name(&t, 0));
	ck_assert_ptr_null(mq_interrupts_name(&t, 23));
	ck_assert_ptr_null(mq_interrupts_name(&t, gen_irq(2000)));
	ck_assert_ptr_null(mq_interrupts_name(&t, 4294967295u));
	mq_interrupts_free(&t);
	free(g.buf);
}
END_TEST

/* A table assembled by hand need not be sorted. */
START_TEST(test_irq_lookup_unsorted)
{
	struct mq_interrupt_row rows[] = {
		{ 50, (char *)"c" }, { 10, (char *)"a" }, { 30, (char *)"b" },
		{ 5, (char *)"z" },
	};
	struct mq_interrupts t = { 1, ARRAY_SIZE(rows), rows };
	struct mq_interrupts empty = { 0, 0, NULL };

	ck_assert_str_eq(mq_interrupts_name(&t, 50), "c");
	ck_assert_str_eq(mq_interrupts_name(&t, 10), "a");
	ck_assert_str_eq(mq_interrupts_name(&t, 30), "b");
	ck_assert_str_eq(mq_interrupts_name(&t, 5), "z");
	ck_assert_ptr_null(mq_interrupts_name(&t, 20));
	ck_assert_ptr_null(mq_interrupts_name(&empty, 0));
}
END_TEST

/*
 * Which search ran.  The parser never yields this table (30 twice, out
 * of order); it exists so that a binary search, landing on the second
 * 30, answers differently from a scan, which finds the first.  A lookup
 * that degraded to a scan for every hit would be slow on big tables
 * without any other test noticing.
 */
START_TEST(test_irq_lookup_binary)
{
	struct mq_interrupt_row rows[] = {
		{ 30, (char *)"scan" }, { 10, (char *)"a" }, { 20, (char *)"b" },
		{ 30, (char *)"binary" }, { 40, (char *)"c" },
	};
	struct mq_interrupts t = { 1, ARRAY_SIZE(rows), rows };

	ck_assert_str_eq(mq_interrupts_name(&t, 30), "binary");
	ck_assert_str_eq(mq_interrupts_name(&t, 40), "c");
}
END_TEST

START_TEST(test_irq_free_twice)
{
	static const char text[] = "  CPU0\n 1:  5  IO-APIC  1-edge  i8042\n";
	struct mq_interrupts t;

	ck_assert_int_eq(mq_parse_interrupts(text, strlen(text), &t, NULL), MQ_PARSE_OK);
	ck_assert_str_eq(mq_interrupts_name(&t, 1), "i8042");
	mq_interrupts_free(&t);
	mq_interrupts_free(&t);
	ck_assert_ptr_null(t.rows);
}
END_TEST

Suite *parse_suite(void);

Suite *parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc;

	tc = tcase_create("integers");
	tcase_add_loop_test(tc, test_int, 0, ARRAY_SIZE(int_cases));
	tcase_add_test(tc, test_int_length_bound);
	tcase_add_test(tc, test_chomp);
	tcase_add_test(tc, test_pid_dir);
	suite_add_tcase(s, tc);

	tc = tcase_create("interrupts");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_irq_fixture, 0, ARRAY_SIZE(irq_fixtures));
	tcase_add_loop_test(tc, test_irq_bad, 0, ARRAY_SIZE(irq_bad));
	tcase_add_test(tc, test_irq_1024_columns);
	tcase_add_test(tc, test_irq_1024_short_row);
	tcase_add_test(tc, test_irq_1024_wrapped);
	tcase_add_test(tc, test_irq_lookup_2000);
	tcase_add_test(tc, test_irq_lookup_unsorted);
	tcase_add_test(tc, test_irq_lookup_binary);
	tcase_add_test(tc, test_irq_free_twice);
	suite_add_tcase(s, tc);
	return s;
}
