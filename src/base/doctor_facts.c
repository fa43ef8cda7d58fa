/*
 * doctor_facts.c - struct mq_doc_facts as a model: set up, released,
 * notes, and the endpoint text findings use (doctor.h).  No I/O.
 */
#include "mqtune/doctor.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

const char *const mq_doc_nic_stat_names[MQ_DOC_NIC_STATS] = {
	"rx_missed_errors", "rx_fifo_errors", "rx_over_errors", "rx_dropped",
	"rx_packets",
};

void mq_doc_facts_init(struct mq_doc_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->sys.netdev_max_backlog = MQ_DOC_NONE;
	f->sys.netdev_budget = MQ_DOC_NONE;
	f->sys.netdev_budget_usecs = MQ_DOC_NONE;
	f->sys.somaxconn = MQ_DOC_NONE;
	f->sys.tcp_max_syn_backlog = MQ_DOC_NONE;
	f->sys.tcp_syncookies = MQ_DOC_NONE;
	f->sys.tcp_tw_reuse = MQ_DOC_NONE;
	f->sys.tcp_fin_timeout = MQ_DOC_NONE;
	f->sys.tcp_max_tw_buckets = MQ_DOC_NONE;
	f->sys.tcp_max_orphans = MQ_DOC_NONE;
	f->sys.file_max = MQ_DOC_NONE;
	f->sys.nr_open = MQ_DOC_NONE;
	f->sys.tcp_tw_recycle = MQ_DOC_NONE;
}

void mq_doc_facts_fini(struct mq_doc_facts *f)
{
	size_t i;

	mq_cpuset_fini(&f->online);
	mq_cpuset_fini(&f->isolated);
	mq_softnet_free(&f->softnet);
	mq_softirqs_free(&f->softirqs);
	mq_keyed_free(&f->netstat);
	mq_keyed_free(&f->sockstat);
	for (i = 0; i < f->nr_nics; i++) {
		struct mq_doc_nic *n = &f->nics[i];
		size_t j;

		for (j = 0; n->irqs && j < n->nr_irqs; j++)
			mq_cpuset_fini(&n->irqs[j].rps);
		free(n->irqs);
		free(n->col_cpu);
		free(n->counts);
	}
	free(f->nics);
	mq_doc_facts_init(f);
}

void mq_doc_note(struct mq_doc_facts *f, const char *fmt, ...)
{
	va_list ap;

	if (f->nr_notes == MQ_DOC_NOTES)
		return;
	va_start(ap, fmt);
	if (vsnprintf(f->notes[f->nr_notes], sizeof(f->notes[0]), fmt, ap) >= 0)
		f->nr_notes++;
	va_end(ap);
}

void mq_doc_endpoint(uint8_t family, const uint8_t addr[16], uint16_t port,
		     char *buf, size_t cap)
{
	char a[INET6_ADDRSTRLEN] = "?";

	inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, a, sizeof(a));
	if (family == AF_INET6)
		snprintf(buf, cap, "[%s]:%u", a, port);
	else
		snprintf(buf, cap, "%s:%u", a, port);
}
