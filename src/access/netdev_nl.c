/*
 * netdev_nl.c - queue -> NAPI -> IRQ map from the "netdev" genl family.
 *
 * Linux 6.8+ tells which NAPI instance serves each rx and tx queue
 * (queue-get) and which IRQ each NAPI instance runs on (napi-get).  We
 * dump both for one ifindex and join them by NAPI id.  Drivers that do
 * not register their IRQs with the core, virtual devices without vectors,
 * and older kernels all end up as MQ_ETHTOOL_UNSUPPORTED, so the caller
 * falls back to the name-based vector discovery.  The dumps reuse the
 * genl plumbing of ethtool_nl.c; the callbacks only copy attributes.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "ethtool_int.h"
#include "mqtune/diag.h"
#include "mqtune/ethtool.h"
#include "mqtune/napi_nl.h"

/* ---- reply parsing ---- */

int mq_netdev_parse_queue(struct nlmsghdr *nlh, struct mq_nd_queue *q)
{
	static const struct nla_policy pol[MQ_NETDEV_A_QUEUE_MAX + 1] = {
		[MQ_NETDEV_A_QUEUE_ID]		= { .type = NLA_U32 },
		[MQ_NETDEV_A_QUEUE_IFINDEX]	= { .type = NLA_U32 },
		[MQ_NETDEV_A_QUEUE_TYPE]	= { .type = NLA_U32 },
		[MQ_NETDEV_A_QUEUE_NAPI_ID]	= { .type = NLA_U32 },
	};
	struct nlattr *tb[MQ_NETDEV_A_QUEUE_MAX + 1];

	if (!genlmsg_valid_hdr(nlh, 0))
		return -EBADMSG;
	/* types above our maximum (newer kernels) are skipped */
	if (genlmsg_parse(nlh, 0, tb, MQ_NETDEV_A_QUEUE_MAX, pol) < 0)
		return -EBADMSG;
	if (!tb[MQ_NETDEV_A_QUEUE_ID] || !tb[MQ_NETDEV_A_QUEUE_TYPE])
		return 1;
	q->id = nla_get_u32(tb[MQ_NETDEV_A_QUEUE_ID]);
	q->type = nla_get_u32(tb[MQ_NETDEV_A_QUEUE_TYPE]);
	q->has_napi = tb[MQ_NETDEV_A_QUEUE_NAPI_ID] != NULL;
	q->napi_id = q->has_napi ?
		nla_get_u32(tb[MQ_NETDEV_A_QUEUE_NAPI_ID]) : 0;
	return 0;
}

int mq_netdev_parse_napi(struct nlmsghdr *nlh, struct mq_nd_napi *n)
{
	static const struct nla_policy pol[MQ_NETDEV_A_NAPI_MAX + 1] = {
		[MQ_NETDEV_A_NAPI_IFINDEX]	= { .type = NLA_U32 },
		[MQ_NETDEV_A_NAPI_ID]		= { .type = NLA_U32 },
		[MQ_NETDEV_A_NAPI_IRQ]		= { .type = NLA_U32 },
		[MQ_NETDEV_A_NAPI_PID]		= { .type = NLA_U32 },
		/* a u32, or a variable-size uint: checked below */
		[MQ_NETDEV_A_NAPI_THREADED]	= { .type = NLA_UNSPEC },
	};
	struct nlattr *tb[MQ_NETDEV_A_NAPI_MAX + 1];

	if (!genlmsg_valid_hdr(nlh, 0))
		return -EBADMSG;
	if (genlmsg_parse(nlh, 0, tb, MQ_NETDEV_A_NAPI_MAX, pol) < 0)
		return -EBADMSG;
	if (!tb[MQ_NETDEV_A_NAPI_ID])
		return 1;
	n->id = nla_get_u32(tb[MQ_NETDEV_A_NAPI_ID]);
	n->has_irq = tb[MQ_NETDEV_A_NAPI_IRQ] != NULL;
	n->irq = n->has_irq ? nla_get_u32(tb[MQ_NETDEV_A_NAPI_IRQ]) : 0;
	n->has_pid = tb[MQ_NETDEV_A_NAPI_PID] != NULL;
	n->pid = n->has_pid ? nla_get_u32(tb[MQ_NETDEV_A_NAPI_PID]) : 0;
	n->has_threaded = false;
	n->threaded = 0;
	if (tb[MQ_NETDEV_A_NAPI_THREADED]) {
		struct nlattr *a = tb[MQ_NETDEV_A_NAPI_THREADED];

		if (nla_len(a) == 4)
			n->threaded = nla_get_u32(a);
		else if (nla_len(a) == 8)
			n->threaded = nla_get_u64(a) > UINT32_MAX ? UINT32_MAX :
				      (uint32_t)nla_get_u64(a);
		else
			return -EBADMSG;
		n->has_threaded = true;
	}
	return 0;
}

/* Growable arrays the dump callbacks append to. */
struct queue_vec {
	struct mq_nd_queue *v;	/* owned */
	size_t n, cap;
};

struct napi_vec {
	struct mq_nd_napi *v;	/* owned */
	size_t n, cap;
};

/* Make room for one more element of @size in *@v; 0 or -ENOMEM. */
static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / size)
		return -ENOMEM;
	p = realloc(*v, ncap * size);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = ncap;
	return 0;
}

static int queue_cb(struct nlmsghdr *nlh, void *arg)
{
	struct queue_vec *qv = arg;
	struct mq_nd_queue q;
	void *v = qv->v;
	int ret;

	ret = mq_netdev_parse_queue(nlh, &q);
	if (ret)
		return ret < 0 ? ret : 0;
	ret = grow(&v, &qv->cap, qv->n, sizeof(q));
	qv->v = v;
	if (ret < 0)
		return ret;
	qv->v[qv->n++] = q;
	return 0;
}

static int napi_cb(struct nlmsghdr *nlh, void *arg)
{
	struct napi_vec *nv = arg;
	struct mq_nd_napi n;
	void *v = nv->v;
	int ret;

	ret = mq_netdev_parse_napi(nlh, &n);
	if (ret)
		return ret < 0 ? ret : 0;
	ret = grow(&v, &nv->cap, nv->n, sizeof(n));
	nv->v = v;
	if (ret < 0)
		return ret;
	nv->v[nv->n++] = n;
	return 0;
}

/* ---- the join ---- */

static int napi_cmp(const void *a, const void *b)
{
	const struct mq_nd_napi *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int qirq_cmp(const void *a, const void *b)
{
	const struct mq_queue_irq *x = a, *y = b;

	if (x->is_tx != y->is_tx)
		return x->is_tx - y->is_tx;
	return (x->queue > y->queue) - (x->queue < y->queue);
}

int mq_netdev_join(const struct mq_nd_queue *queues, size_t nq,
		   struct mq_nd_napi *napis, size_t nn,
		   struct mq_queue_irq **out, size_t *n)
{
	struct mq_queue_irq *v;
	bool any_irq = false;
	size_t i, k = 0;

	*out = NULL;
	*n = 0;
	if (nq == 0)
		return MQ_ETHTOOL_UNSUPPORTED;
	if (nn)
		qsort(napis, nn, sizeof(*napis), napi_cmp);
	v = calloc(nq, sizeof(*v));
	if (!v)
		return -ENOMEM;

	for (i = 0; i < nq; i++) {
		const struct mq_nd_queue *q = &queues[i];
		const struct mq_nd_napi *hit = NULL;
		struct mq_nd_napi key = { .id = q->napi_id };

		if (q->type != MQ_NETDEV_QUEUE_TYPE_RX &&
		    q->type != MQ_NETDEV_QUEUE_TYPE_TX)
			continue;	/* a queue type newer than us */
		v[k].queue = q->id;
		v[k].is_tx = q->type == MQ_NETDEV_QUEUE_TYPE_TX;
		v[k].irq = -1;
		if (q->has_napi && nn)
			hit = bsearch(&key, napis, nn, sizeof(*napis),
				      napi_cmp);
		if (hit && hit->has_irq && hit->irq <= INT_MAX) {
			v[k].irq = (int)hit->irq;
			any_irq = true;
		}
		k++;
	}
	if (!any_irq) {
		free(v);
		return MQ_ETHTOOL_UNSUPPORTED;
	}
	qsort(v, k, sizeof(*v), qirq_cmp);
	*out = v;
	*n = k;
	return 0;
}

/* ---- the dumps ---- */

/* Dump @cmd filtered by @ifindex through @fn; 0 or -errno, @e filled. */
static int netdev_dump(struct mq_genl *g, uint8_t cmd, int ifindex_attr,
		       int ifindex, mq_genl_reply_fn fn, void *arg,
		       struct mq_genl_err *e)
{
	struct nl_msg *msg;
	int ret;

	e->err = 0;
	e->extack[0] = '\0';
	msg = nlmsg_alloc();
	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, g->family, 0,
			 NLM_F_DUMP, cmd, MQ_NETDEV_FAMILY_VERSION) ||
	    nla_put_u32(msg, ifindex_attr, (uint32_t)ifindex) < 0) {
		ret = -ENOMEM;
		goto out;
	}
	ret = mq_genl_transact(g, msg, fn, arg, e);
out:
	nlmsg_free(msg);
	return ret;
}

/* The kernel does not know the command (or the filter): no such op. */
static bool op_unsupported(int ret)
{
	return ret == -EOPNOTSUPP || ret == -EINVAL;
}

/*
 * Dump the queues and the NAPI instances of @ifindex into @qv and @nv.
 * Return: 0; MQ_ETHTOOL_UNSUPPORTED when the kernel has no netdev family
 * or no queue-get/napi-get; -1 with @d set.
 */
static int dump_both(int ifindex, struct queue_vec *qv, struct napi_vec *nv,
		     struct mq_diag *d)
{
	struct mq_genl g = { .sk = NULL };
	struct mq_genl_err e;
	char obj[32];
	int ret, rc = 0;

	snprintf(obj, sizeof(obj), "interface index %d", ifindex);
	if (ifindex <= 0)
		return mq_ethtool_fail(d, obj, "netdev netlink", ENODEV, NULL);

	ret = mq_genl_open(&g, MQ_NETDEV_FAMILY_NAME);
	if (ret == -ENOENT)
		return MQ_ETHTOOL_UNSUPPORTED;	/* before Linux 6.3 */
	if (ret < 0)
		return mq_ethtool_fail(d, obj, "netdev netlink", -ret, NULL);

	ret = netdev_dump(&g, MQ_NETDEV_CMD_QUEUE_GET,
			  MQ_NETDEV_A_QUEUE_IFINDEX, ifindex, queue_cb, qv,
			  &e);
	if (op_unsupported(ret)) {
		rc = MQ_ETHTOOL_UNSUPPORTED;
		goto out;
	}
	if (ret < 0) {
		rc = mq_ethtool_fail(d, obj, "netdev netlink queue-get", -ret,
				     e.extack);
		goto out;
	}

	ret = netdev_dump(&g, MQ_NETDEV_CMD_NAPI_GET,
			  MQ_NETDEV_A_NAPI_IFINDEX, ifindex, napi_cb, nv, &e);
	if (op_unsupported(ret)) {
		rc = MQ_ETHTOOL_UNSUPPORTED;
		goto out;
	}
	if (ret < 0)
		rc = mq_ethtool_fail(d, obj, "netdev netlink napi-get", -ret,
				     e.extack);
out:
	mq_genl_close(&g);
	return rc;
}

int mq_netdev_queue_irqs(int ifindex, struct mq_queue_irq **out, size_t *n,
			 struct mq_diag *d)
{
	struct queue_vec qv = { .v = NULL };
	struct napi_vec nv = { .v = NULL };
	char obj[32];
	int ret, rc;

	*out = NULL;
	*n = 0;
	rc = dump_both(ifindex, &qv, &nv, d);
	if (rc == 0) {
		ret = mq_netdev_join(qv.v, qv.n, nv.v, nv.n, out, n);
		snprintf(obj, sizeof(obj), "interface index %d", ifindex);
		if (ret < 0)
			rc = mq_ethtool_fail(d, obj, "netdev netlink", -ret,
					     NULL);
		else
			rc = ret;
	}
	free(nv.v);
	free(qv.v);
	return rc;
}

int mq_netdev_napi_list(int ifindex, struct mq_napi_info **napis, size_t *nn,
			struct mq_queue_napi **queues, size_t *nq,
			struct mq_diag *d)
{
	struct queue_vec qv = { .v = NULL };
	struct napi_vec nv = { .v = NULL };
	struct mq_napi_info *ni = NULL;
	struct mq_queue_napi *qi = NULL;
	size_t i, k = 0;
	int rc;

	*napis = NULL;
	*queues = NULL;
	*nn = *nq = 0;
	rc = dump_both(ifindex, &qv, &nv, d);
	if (rc)
		goto out;
	ni = calloc(nv.n ? nv.n : 1, sizeof(*ni));
	qi = calloc(qv.n ? qv.n : 1, sizeof(*qi));
	if (!ni || !qi) {
		rc = mq_ethtool_fail(d, "netdev netlink", "napi-get", ENOMEM,
				     NULL);
		free(ni);
		free(qi);
		goto out;
	}
	for (i = 0; i < nv.n; i++) {
		ni[i].id = nv.v[i].id;
		ni[i].irq = nv.v[i].has_irq && nv.v[i].irq <= INT_MAX ?
			    (int)nv.v[i].irq : -1;
		ni[i].pid = nv.v[i].has_pid && nv.v[i].pid <= INT_MAX ?
			    (pid_t)nv.v[i].pid : 0;
		ni[i].threaded = nv.v[i].has_threaded ?
				 (nv.v[i].threaded > 255 ? 255 :
				  (int)nv.v[i].threaded) : -1;
	}
	for (i = 0; i < qv.n; i++) {
		if (qv.v[i].type != MQ_NETDEV_QUEUE_TYPE_RX &&
		    qv.v[i].type != MQ_NETDEV_QUEUE_TYPE_TX)
			continue;
		qi[k].queue = qv.v[i].id;
		qi[k].is_tx = qv.v[i].type == MQ_NETDEV_QUEUE_TYPE_TX;
		qi[k].napi_id = qv.v[i].has_napi ? qv.v[i].napi_id : 0;
		k++;
	}
	*napis = ni;
	*nn = nv.n;
	*queues = qi;
	*nq = k;
out:
	free(nv.v);
	free(qv.v);
	return rc;
}
