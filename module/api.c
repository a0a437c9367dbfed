// SPDX-License-Identifier: GPL-2.0
/*
 * The lookups exported to other kernel code (portreg.h), answered from the
 * module's live table.  A module that calls them depends on portreg, so
 * portreg cannot be unloaded while a caller is in flight.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/string.h>

#include "api.h"
#include "portreg.h"
#include "proto.h"
#include "protocols.h"
#include "services.h"

static struct pr_services *pr_api_live;

void pr_api_init(struct pr_services *live)
{
	pr_api_live = live;
}

void pr_api_exit(void)
{
	pr_api_live = NULL;
}

/* 0 means every transport, as a NULL proto does for getservbyname(3). */
static int pr_api_proto(int ipproto)
{
	return ipproto ? pr_proto_from_ipproto(ipproto) : PR_PROTO_ANY;
}

int portreg_services_by_port(u16 port, int ipproto, portreg_service_fn fn,
			     void *arg)
{
	int proto = pr_api_proto(ipproto);

	if (proto < PR_PROTO_ANY)
		return proto;
	return pr_services_by_port(pr_api_live, port, proto, fn, arg);
}
EXPORT_SYMBOL_GPL(portreg_services_by_port);

int portreg_services_by_name(const char *name, int ipproto,
			     portreg_service_fn fn, void *arg)
{
	int proto = pr_api_proto(ipproto);

	if (proto < PR_PROTO_ANY)
		return proto;
	return pr_services_by_name(pr_api_live, name, proto, fn, arg);
}
EXPORT_SYMBOL_GPL(portreg_services_by_name);

int portreg_protocols_by_number(u8 number, portreg_protocol_fn fn, void *arg)
{
	return pr_protocols_by_number(number, fn, arg);
}
EXPORT_SYMBOL_GPL(portreg_protocols_by_number);

int portreg_protocols_by_name(const char *name, portreg_protocol_fn fn,
			      void *arg)
{
	return pr_protocols_by_name(name, fn, arg);
}
EXPORT_SYMBOL_GPL(portreg_protocols_by_name);

struct pr_name_copy {
	char *buf;
	size_t size;
	int len;
};

static bool pr_copy_first_name(const struct portreg_service *svc, void *arg)
{
	struct pr_name_copy *copy = arg;

	copy->len = strlen(svc->name);
	if (copy->size)
		strscpy(copy->buf, svc->name, copy->size);
	return true;
}

int portreg_service_name(u16 port, int ipproto, char *buf, size_t size)
{
	struct pr_name_copy copy = { .buf = buf, .size = size };
	int found;

	found = portreg_services_by_port(port, ipproto, pr_copy_first_name,
					 &copy);
	if (found < 0)
		return found;
	return found ? copy.len : -ENOENT;
}
EXPORT_SYMBOL_GPL(portreg_service_name);
