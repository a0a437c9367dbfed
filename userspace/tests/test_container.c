// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for container names and cgroup prefixes: one row per path,
 * in each runtime's layouts.  Prints one "PASS|FAIL name" line per row.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "container.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define POD_SLICE "kubepods-burstable-pod6f1c5c7e_2b8a_4c4e_9f1a_0123456789ab.slice"

static const struct {
	const char *cgroup;
	const char *name;	/* NULL: none */
} name_cases[] = {
	{ "/system.slice/docker-" ID ".scope", "docker:0123456789ab" },
	{ "/docker/" ID, "docker:0123456789ab" },
	{ "/machine.slice/libpod-" ID ".scope", "podman:0123456789ab" },
	{ "/machine.slice/libpod-" ID ".scope/container", "podman:0123456789ab" },
	{ "/libpod_parent/" ID, "podman:0123456789ab" },
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID ".scope",
	  "podman:0123456789ab" },
	{ "/kubepods.slice/kubepods-burstable.slice/" POD_SLICE "/cri-containerd-" ID ".scope",
	  "k8s:6f1c5c7e/0123456789ab" },
	{ "/kubepods.slice/kubepods-pod6f1c5c7e_2b8a_4c4e_9f1a_0123456789ab.slice/crio-" ID ".scope",
	  "k8s:6f1c5c7e/0123456789ab" },
	{ "/kubepods/burstable/pod6f1c5c7e-2b8a-4c4e-9f1a-0123456789ab/" ID,
	  "k8s:6f1c5c7e/0123456789ab" },
	{ "/kubepods/pod6f1c5c7e-2b8a-4c4e-9f1a-0123456789ab/" ID,
	  "k8s:6f1c5c7e/0123456789ab" },
	/* containerd and CRI-O outside a pod: the runtime alone. */
	{ "/system.slice/containerd.service/cri-containerd-" ID ".scope",
	  "containerd:0123456789ab" },
	{ "/system.slice/crio-" ID ".scope", "cri-o:0123456789ab" },
	{ "/system.slice/nerdctl-" ID ".scope", "containerd:0123456789ab" },
	/* A service inside a container: the container names it. */
	{ "/system.slice/docker-" ID ".scope/system.slice/nginx.service",
	  "docker:0123456789ab" },
	/* systemd units, the deepest one. */
	{ "/system.slice/nginx.service", "nginx.service" },
	{ "/user.slice/user-1000.slice/user@1000.service/app.slice/app-foo.scope",
	  "app-foo.scope" },
	{ "/user.slice/user-1000.slice/session-3.scope", "session-3.scope" },
	/* Nothing a runtime or systemd made. */
	{ "/", NULL },
	{ "/a/b", NULL },
	{ "/system.slice", NULL },
	{ "?", NULL },
	{ NULL, NULL },
	/* Ids that are not a container's: short, upper case, not hex. */
	{ "/docker/0123456789ab", NULL },
	{ "/system.slice/docker-0123456789ABCDEF.scope", "docker-0123456789ABCDEF.scope" },
	{ "/other/" ID, NULL },
	{ "/../system.slice/docker-" ID ".scope", "docker:0123456789ab" },
	/* The longest name there may be, 63 bytes, kept whole. */
	{ "/system.slice/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.service", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.service" },
	/* A unit name longer than a name may be is no name. */
	{ "/system.slice/a-very-long-unit-name-that-goes-on-and-on-past-sixty-four-bytes.service",
	  NULL },
};

static const struct {
	const char *cgroup, *prefix;
	bool under;
} under_cases[] = {
	{ "/system.slice/a.service", "/system.slice", true },
	{ "/system.slice/a.service", "/system.slice/", true },
	{ "/system.slice", "/system.slice", true },
	{ "/system.slicer/a.service", "/system.slice", false },
	{ "/system", "/system.slice", false },
	{ "/a/b", "/", true },
	{ "/", "/", true },
	{ "/a/b", "/a/b/c", false },
	{ NULL, "/", false },
	{ "?", "/", false },
};

static int passes, failures;

static void report(int ok, const char *what, const char *input)
{
	printf("%s %s: %s\n", ok ? "PASS" : "FAIL", what,
	       input ? input : "(null)");
	if (ok)
		passes++;
	else
		failures++;
}

static int streq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

int main(void)
{
	char buf[CONTAINER_NAME_MAX], clause[CONTAINER_CLAUSE_MAX],
	     want[CONTAINER_CLAUSE_MAX];
	size_t i;

	for (i = 0; i < sizeof(name_cases) / sizeof(name_cases[0]); i++) {
		const char *got = container_name(name_cases[i].cgroup, buf);

		report(streq(got, name_cases[i].name), "container_name",
		       name_cases[i].cgroup);
		if (!streq(got, name_cases[i].name))
			printf("  got %s, want %s\n", got ? got : "(null)",
			       name_cases[i].name ? name_cases[i].name : "(null)");
	}
	/* The clause is the name after its lead, whole, or nothing at all. */
	for (i = 0; i < sizeof(name_cases) / sizeof(name_cases[0]); i++) {
		const char *got = container_clause(name_cases[i].cgroup,
						   ", in ", clause);

		snprintf(want, sizeof(want), "%s%s",
			 name_cases[i].name ? ", in " : "",
			 name_cases[i].name ? name_cases[i].name : "");
		report(!strcmp(got, want), "container_clause",
		       name_cases[i].cgroup);
		if (strcmp(got, want))
			printf("  got \"%s\", want \"%s\"\n", got, want);
	}
	for (i = 0; i < sizeof(under_cases) / sizeof(under_cases[0]); i++)
		report(cgroup_under(under_cases[i].cgroup,
				    under_cases[i].prefix) == under_cases[i].under,
		       "cgroup_under", under_cases[i].prefix);
	printf("%d passed, %d failed\n", passes, failures);
	return failures ? 1 : 0;
}
