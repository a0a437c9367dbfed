// SPDX-License-Identifier: GPL-2.0
/*
 * portreg: the IANA port and protocol registries under /proc/portreg, and
 * a record of who claims each port.  This file only brings the parts up in
 * order and down in reverse.
 */

#include <linux/err.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>

#include "api.h"
#include "hook.h"
#include "netns.h"
#include "proc.h"
#include "proc_track.h"
#include "registry_data.h"
#include "services.h"
#include "sweep.h"
#include "track.h"
#include "version.h"

#define PR_USER_ENTRIES_LIMIT	65536

static unsigned int max_user_entries = 1024;
module_param(max_user_entries, uint, 0444);
MODULE_PARM_DESC(max_user_entries,
		 "Most service entries that writes to /proc/portreg/services may add, 0 to 65536 (default 1024)");

static unsigned int ring_size = 4096;
module_param(ring_size, uint, 0444);
MODULE_PARM_DESC(ring_size,
		 "Events the initial network namespace's bind log keeps, a power of two from 64 to 1048576 (default 4096)");

static unsigned int netns_ring_size = 256;
module_param(netns_ring_size, uint, 0444);
MODULE_PARM_DESC(netns_ring_size,
		 "Events the bind log of each network namespace but the initial one keeps, a power of two from 64 to 1048576 (default 256); charged to the namespace creator's memory cgroup");

static unsigned int max_claims = 8192;
module_param(max_claims, uint, 0444);
MODULE_PARM_DESC(max_claims,
		 "Sockets whose claimer portreg remembers at once, 1 to 1048576 (default 8192); claims lists every socket either way");

static unsigned int tenant_share = 25;
module_param(tenant_share, uint, 0444);
MODULE_PARM_DESC(tenant_share,
		 "Percent of the records, and of the initial network namespace's bind log, one tenant may take, 1 to 100 (default 25); a tenant is a user, with every namespace it made, or a container; root on the host has no limit");

static struct pr_services *pr_live_services;
static struct pr_tracker *pr_live_tracker;
static const struct pr_sweep_counters pr_live_sweep_counters = {
	.missed = pr_hook_missed,
	.release_missed = pr_hook_release_missed,
};

static int __init portreg_init(void)
{
	bool tracking;
	int err;

	if (max_user_entries > PR_USER_ENTRIES_LIMIT) {
		pr_err("max_user_entries=%u is above %u\n", max_user_entries,
		       PR_USER_ENTRIES_LIMIT);
		return -EINVAL;
	}
	if (ring_size < PR_RING_MIN || ring_size > PR_RING_MAX ||
	    !is_power_of_2(ring_size)) {
		pr_err("ring_size=%u is not a power of two from %u to %u\n",
		       ring_size, PR_RING_MIN, PR_RING_MAX);
		return -EINVAL;
	}
	if (netns_ring_size < PR_RING_MIN || netns_ring_size > PR_RING_MAX ||
	    !is_power_of_2(netns_ring_size)) {
		pr_err("netns_ring_size=%u is not a power of two from %u to %u\n",
		       netns_ring_size, PR_RING_MIN, PR_RING_MAX);
		return -EINVAL;
	}
	if (!max_claims || max_claims > PR_RECORDS_MAX) {
		pr_err("max_claims=%u is not from 1 to %u\n", max_claims,
		       PR_RECORDS_MAX);
		return -EINVAL;
	}
	if (!tenant_share || tenant_share > 100) {
		pr_err("tenant_share=%u is not from 1 to 100\n", tenant_share);
		return -EINVAL;
	}
	err = pr_hook_check_params();
	if (err)
		return err;
	pr_live_services = pr_services_create(max_user_entries);
	if (!pr_live_services)
		return -ENOMEM;
	pr_api_init(pr_live_services);
	pr_live_tracker = pr_tracker_create(ring_size, netns_ring_size,
					    max_claims, tenant_share);
	if (IS_ERR(pr_live_tracker)) {
		err = PTR_ERR(pr_live_tracker);
		goto err_services;
	}
	/* Every namespace has its log before any probe can fire. */
	err = pr_netns_register(&pr_live_tracker->netns);
	if (err)
		goto err_tracker;
	/* Without probes the registry still works; stats says why. */
	tracking = !pr_hook_init(pr_live_tracker);
	/*
	 * With the probes in, every socket that takes a port from now on is
	 * recorded; the rest were there before.
	 */
	err = pr_preload_take(&pr_live_tracker->preload);
	if (err)
		goto err_hook;
	err = pr_proc_init(pr_live_services);
	if (err)
		goto err_hook;
	err = pr_proc_track_init(pr_proc_root(), pr_live_tracker);
	if (err)
		goto err_proc;
	pr_sweep_start(pr_live_tracker, &pr_live_sweep_counters);
	if (tracking)
		pr_info("%u services, %u protocols, room for %u more services; bind tracking active\n",
			pr_builtin_nservices, pr_builtin_nprotocols,
			max_user_entries);
	else
		pr_warn("%u services, %u protocols, room for %u more services; bind tracking unavailable: %s\n",
			pr_builtin_nservices, pr_builtin_nprotocols,
			max_user_entries, pr_hook_status());
	return 0;

err_proc:
	pr_proc_exit();
err_hook:
	pr_hook_exit();
	pr_netns_unregister();
err_tracker:
	pr_tracker_destroy(pr_live_tracker);
err_services:
	pr_api_exit();
	pr_services_destroy(pr_live_services);
	return err;
}

static void __exit portreg_exit(void)
{
	pr_hook_exit();
	pr_sweep_stop(pr_live_tracker);
	pr_netns_unregister();
	pr_proc_track_exit(pr_live_tracker);
	pr_proc_exit();
	pr_api_exit();
	/* No new reader can start now; let those still in a lookup finish. */
	synchronize_rcu();
	pr_tracker_destroy(pr_live_tracker);
	pr_services_destroy(pr_live_services);
}

module_init(portreg_init);
module_exit(portreg_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("portreg developers");
MODULE_DESCRIPTION("IANA service and protocol registries in /proc/portreg, and who claims each port");
MODULE_VERSION(PORTREG_VERSION);
