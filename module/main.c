// SPDX-License-Identifier: GPL-2.0
/*
 * portreg: the IANA port and protocol registries under /proc/portreg.
 * This file only brings the parts up in order and down in reverse.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>

#include "api.h"
#include "proc.h"
#include "registry_data.h"
#include "services.h"

#define PR_USER_ENTRIES_LIMIT	65536

static unsigned int max_user_entries = 1024;
module_param(max_user_entries, uint, 0444);
MODULE_PARM_DESC(max_user_entries,
		 "Most service entries that writes to /proc/portreg/services may add, 0 to 65536 (default 1024)");

static struct pr_services *pr_live_services;

static int __init portreg_init(void)
{
	int err;

	if (max_user_entries > PR_USER_ENTRIES_LIMIT) {
		pr_err("max_user_entries=%u is above %u\n", max_user_entries,
		       PR_USER_ENTRIES_LIMIT);
		return -EINVAL;
	}
	pr_live_services = pr_services_create(max_user_entries);
	if (!pr_live_services)
		return -ENOMEM;
	pr_api_init(pr_live_services);
	err = pr_proc_init(pr_live_services);
	if (err)
		goto err_services;
	pr_info("%u services, %u protocols, room for %u more services\n",
		pr_builtin_nservices, pr_builtin_nprotocols, max_user_entries);
	return 0;

err_services:
	pr_api_exit();
	pr_services_destroy(pr_live_services);
	return err;
}

static void __exit portreg_exit(void)
{
	pr_proc_exit();
	pr_api_exit();
	/* No new reader can start now; let those still in a lookup finish. */
	synchronize_rcu();
	pr_services_destroy(pr_live_services);
}

module_init(portreg_init);
module_exit(portreg_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("portreg developers");
MODULE_DESCRIPTION("IANA service and protocol registries in /proc/portreg");
MODULE_VERSION("0.1.0");
