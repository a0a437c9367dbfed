// SPDX-License-Identifier: GPL-2.0
/*
 * Telling tenants apart (tenant.h).  Process context or probe context:
 * it only follows pointers a live network namespace pins.
 */
#include <linux/export.h>
#include <linux/user_namespace.h>
#include <net/net_namespace.h>
#include <kunit/visibility.h>

#include "tenant.h"

void pr_tenant_of_user(kuid_t uid, struct pr_tenant *tenant)
{
	if (uid_eq(uid, GLOBAL_ROOT_UID)) {
		tenant->kind = PR_TENANT_HOST;
		tenant->id = 0;
		return;
	}
	tenant->kind = PR_TENANT_USER;
	tenant->id = __kuid_val(uid);
}
EXPORT_SYMBOL_IF_KUNIT(pr_tenant_of_user);

void pr_tenant_of_net(const struct net *net, struct pr_tenant *tenant)
{
	const struct user_namespace *top = net->user_ns;

	if (top == &init_user_ns) {
		tenant->kind = PR_TENANT_NETNS;
		tenant->id = net->net_cookie;
		return;
	}
	/* Nesting is at most 32 deep: the kernel refuses more. */
	while (top->parent != &init_user_ns)
		top = top->parent;
	if (uid_eq(top->owner, GLOBAL_ROOT_UID)) {
		tenant->kind = PR_TENANT_USERNS;
		tenant->id = top->ns.inum;
	} else {
		tenant->kind = PR_TENANT_USER;
		tenant->id = __kuid_val(top->owner);
	}
}
EXPORT_SYMBOL_IF_KUNIT(pr_tenant_of_net);
