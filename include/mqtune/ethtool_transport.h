/*
 * ethtool_transport.h - which way mqtune talks ethtool (--ethtool).
 */
#ifndef MQTUNE_ETHTOOL_TRANSPORT_H
#define MQTUNE_ETHTOOL_TRANSPORT_H

enum mq_ethtool_transport {
	MQ_ETHTOOL_AUTO = 0,	/* netlink, then ioctl if no genl family */
	MQ_ETHTOOL_NETLINK,	/* netlink only */
	MQ_ETHTOOL_IOCTL,	/* ioctl only */
};

#endif /* MQTUNE_ETHTOOL_TRANSPORT_H */
