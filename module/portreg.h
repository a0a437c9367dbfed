/* SPDX-License-Identifier: GPL-2.0 */
/*
 * portreg: the IANA service and protocol registries in the kernel.
 *
 * Lookups run under rcu_read_lock() and never sleep, so they are safe from
 * any context, probe handlers included.  The struct handed to a callback,
 * and every string it points to, is valid only until the callback returns.
 */
#ifndef PORTREG_H
#define PORTREG_H

#include <linux/types.h>

#define PORTREG_ALIASES_MAX	8

struct portreg_service {
	const char *name;
	const char *description;	/* "" when there is none */
	const char *aliases[PORTREG_ALIASES_MAX];
	unsigned int naliases;
	u16 port;
	u8 ipproto;			/* IPPROTO_TCP, _UDP, _SCTP or _DCCP */
};

struct portreg_protocol {
	const char *name;
	const char *description;
	const char *aliases[PORTREG_ALIASES_MAX];
	unsigned int naliases;
	u8 number;
};

/* Return true to stop the walk. */
typedef bool (*portreg_service_fn)(const struct portreg_service *svc,
				   void *arg);
typedef bool (*portreg_protocol_fn)(const struct portreg_protocol *proto,
				    void *arg);

/*
 * Each walk calls @fn for every live entry that matches, in table order,
 * and returns how many it called @fn for, or -EPROTONOSUPPORT for an
 * @ipproto that has no port registry.  A name matches an entry's name or
 * any of its aliases, as getservbyname(3) does.
 */
int portreg_services_by_port(u16 port, int ipproto, portreg_service_fn fn,
			     void *arg);
int portreg_services_by_name(const char *name, int ipproto,
			     portreg_service_fn fn, void *arg);
int portreg_protocols_by_number(u8 number, portreg_protocol_fn fn, void *arg);
int portreg_protocols_by_name(const char *name, portreg_protocol_fn fn,
			      void *arg);

/*
 * Copies the first registered name for @port/@ipproto into @buf, truncated
 * to @size - 1 bytes.  Returns the untruncated length or -ENOENT.
 */
int portreg_service_name(u16 port, int ipproto, char *buf, size_t size);

#endif
