// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: who a tenant is, on namespaces made up for the purpose: a user
 * who makes namespaces gains no tenant by it, a container is one tenant
 * however many namespaces it makes inside, and only root in the initial
 * namespace is the host.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <net/net_namespace.h>

#include "tenant.h"

static struct user_namespace *pr_userns(struct kunit *test,
					struct user_namespace *parent,
					uid_t owner, unsigned int inum)
{
	struct user_namespace *ns = kunit_kzalloc(test, sizeof(*ns),
						  GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ns);
	ns->parent = parent;
	ns->owner = KUIDT_INIT(owner);
	ns->ns.inum = inum;
	return ns;
}

static struct net *pr_net(struct kunit *test, struct user_namespace *owner,
			  u64 cookie)
{
	struct net *net = kunit_kzalloc(test, sizeof(*net), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, net);
	net->user_ns = owner;
	net->net_cookie = cookie;
	return net;
}

static void pr_expect_tenant(struct kunit *test, const struct net *net,
			     u8 kind, u64 id)
{
	struct pr_tenant t;

	pr_tenant_of_net(net, &t);
	KUNIT_EXPECT_EQ(test, t.kind, kind);
	KUNIT_EXPECT_EQ(test, t.id, id);
}

static void pr_tenant_test_users(struct kunit *test)
{
	struct pr_tenant t;

	pr_tenant_of_user(GLOBAL_ROOT_UID, &t);
	KUNIT_EXPECT_EQ(test, t.kind, (u8)PR_TENANT_HOST);
	pr_tenant_of_user(KUIDT_INIT(1000), &t);
	KUNIT_EXPECT_EQ(test, t.kind, (u8)PR_TENANT_USER);
	KUNIT_EXPECT_EQ(test, t.id, 1000ULL);
}

/* ip netns add, or a runtime without user namespaces: the namespace. */
static void pr_tenant_test_root_netns(struct kunit *test)
{
	pr_expect_tenant(test, pr_net(test, &init_user_ns, 77),
			 PR_TENANT_NETNS, 77);
	pr_expect_tenant(test, pr_net(test, &init_user_ns, 78),
			 PR_TENANT_NETNS, 78);
}

/*
 * unshare -Urn by uid 1000, as often as it likes, nested or not: always
 * uid 1000, the same tenant as its sockets in the initial namespace.
 */
static void pr_tenant_test_user_namespaces(struct kunit *test)
{
	struct user_namespace *a = pr_userns(test, &init_user_ns, 1000, 11);
	struct user_namespace *b = pr_userns(test, &init_user_ns, 1000, 12);
	struct user_namespace *nested = pr_userns(test, a, 1000, 13);
	struct user_namespace *other = pr_userns(test, &init_user_ns, 1001, 14);

	pr_expect_tenant(test, pr_net(test, a, 1), PR_TENANT_USER, 1000);
	pr_expect_tenant(test, pr_net(test, b, 2), PR_TENANT_USER, 1000);
	pr_expect_tenant(test, pr_net(test, nested, 3), PR_TENANT_USER, 1000);
	pr_expect_tenant(test, pr_net(test, other, 4), PR_TENANT_USER, 1001);
}

/*
 * A runtime's container: a user namespace root made.  Whatever the
 * container makes inside, as any of its users, is the same tenant.
 */
static void pr_tenant_test_containers(struct kunit *test)
{
	struct user_namespace *c1 = pr_userns(test, &init_user_ns, 0, 21);
	struct user_namespace *c2 = pr_userns(test, &init_user_ns, 0, 22);
	struct user_namespace *inside = pr_userns(test, c1, 100000, 23);
	struct user_namespace *deeper = pr_userns(test, inside, 100007, 24);

	pr_expect_tenant(test, pr_net(test, c1, 1), PR_TENANT_USERNS, 21);
	pr_expect_tenant(test, pr_net(test, inside, 2), PR_TENANT_USERNS, 21);
	pr_expect_tenant(test, pr_net(test, deeper, 3), PR_TENANT_USERNS, 21);
	pr_expect_tenant(test, pr_net(test, c2, 4), PR_TENANT_USERNS, 22);
}

static struct kunit_case pr_tenant_cases[] = {
	KUNIT_CASE(pr_tenant_test_users),
	KUNIT_CASE(pr_tenant_test_root_netns),
	KUNIT_CASE(pr_tenant_test_user_namespaces),
	KUNIT_CASE(pr_tenant_test_containers),
	{}
};

static struct kunit_suite pr_tenant_suite = {
	.name = "portreg_tenant",
	.test_cases = pr_tenant_cases,
};

kunit_test_suite(pr_tenant_suite);
