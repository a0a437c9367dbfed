// SPDX-License-Identifier: GPL-2.0
/*
 * Container names from cgroup paths.  Runtimes name the cgroups they make
 * after the container's id, in one of two layouts: systemd's, a scope per
 * container ("docker-ID.scope", "cri-containerd-ID.scope" under a pod's
 * "kubepods-...-podUID.slice"), or cgroupfs's, a directory per container
 * ("/docker/ID", "/kubepods/burstable/podUID/ID").  The deepest component
 * that names a container wins, so a service run inside a container is
 * named by the container.
 */
#include <stdio.h>
#include <string.h>

#include "container.h"

#define ID_LEN 64	/* a container id: 64 hex digits */
#define SHORT_ID 12	/* as docker ps shows it */
#define SHORT_POD 8

struct runtime {
	const char *prefix;	/* of the scope, systemd layout */
	const char *name;
	bool in_pod;		/* a pod's container when under a pod */
};

static const struct runtime runtimes[] = {
	{ "docker-", "docker", false },
	{ "libpod-", "podman", false },
	{ "cri-containerd-", "containerd", true },
	{ "crio-", "cri-o", true },
	{ "nerdctl-", "containerd", false },
};

static bool is_hex_id(const char *s, size_t len)
{
	size_t i;

	if (len != ID_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return false;
	return true;
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !memcmp(s + len - n, suffix, n);
}

/*
 * The pod uid a component names: "podUID" (cgroupfs), or the systemd
 * slice "kubepods[-QOS]-podUID.slice", whose uid has '_' for '-'.  Copies
 * its first SHORT_POD characters into @pod; false if it names none.
 */
static bool pod_of(const char *c, size_t len, char *pod)
{
	const char *p = NULL;
	size_t i;

	if (len > 3 && !memcmp(c, "pod", 3))
		p = c + 3;
	else if (len > 9 && !memcmp(c, "kubepods", 8) &&
		 ends_with(c, len, ".slice")) {
		for (i = len - 6; i > 3; i--)
			if (!memcmp(c + i - 4, "-pod", 4))
				break;
		if (i > 3)
			p = c + i;
	}
	if (!p || c + len - p < SHORT_POD)
		return false;
	for (i = 0; i < SHORT_POD; i++) {
		if (!strchr("0123456789abcdef-_", p[i]))
			return false;
		pod[i] = p[i] == '_' ? '-' : p[i];
	}
	pod[SHORT_POD] = '\0';
	return true;
}

/* A scope of one of the runtimes: its runtime, and where its id starts. */
static const struct runtime *scope_of(const char *c, size_t len,
				      const char **id)
{
	size_t i, n;

	if (!ends_with(c, len, ".scope"))
		return NULL;
	for (i = 0; i < sizeof(runtimes) / sizeof(runtimes[0]); i++) {
		n = strlen(runtimes[i].prefix);
		if (len == n + ID_LEN + 6 && !memcmp(c, runtimes[i].prefix, n) &&
		    is_hex_id(c + n, ID_LEN)) {
			*id = c + n;
			return &runtimes[i];
		}
	}
	return NULL;
}

/* cgroupfs: a bare id under its runtime's directory, or under a pod. */
static const char *cgroupfs_runtime(const char *parent, size_t parent_len,
				    const char *pod)
{
	if (pod[0])
		return "k8s";
	if (parent_len == 6 && !memcmp(parent, "docker", 6))
		return "docker";
	if (parent_len == 13 && !memcmp(parent, "libpod_parent", 13))
		return "podman";
	return NULL;
}

const char *container_name(const char *cgroup, char *buf)
{
	const char *comp, *prev = "", *id, *unit = NULL, *rt_name;
	size_t len, prev_len = 0, unit_len = 0;
	char pod[SHORT_POD + 1] = "";
	const struct runtime *rt;
	bool found = false;

	if (!cgroup || cgroup[0] != '/')
		return NULL;
	for (comp = cgroup; *comp; prev = comp, prev_len = len, comp += len) {
		while (*comp == '/')
			comp++;
		len = strcspn(comp, "/");
		if (!len)
			break;
		pod_of(comp, len, pod);
		rt = scope_of(comp, len, &id);
		if (rt) {
			rt_name = rt->in_pod && pod[0] ? "k8s" : rt->name;
		} else if (is_hex_id(comp, len)) {
			rt_name = cgroupfs_runtime(prev, prev_len, pod);
			id = comp;
		} else {
			rt_name = NULL;
		}
		if (rt_name && !strcmp(rt_name, "k8s"))
			snprintf(buf, CONTAINER_NAME_MAX, "k8s:%s/%.*s", pod,
				 SHORT_ID, id);
		else if (rt_name)
			snprintf(buf, CONTAINER_NAME_MAX, "%s:%.*s", rt_name,
				 SHORT_ID, id);
		found |= rt_name != NULL;
		if (ends_with(comp, len, ".service") ||
		    ends_with(comp, len, ".scope")) {
			unit = comp;
			unit_len = len;
		}
	}
	if (found)
		return buf;
	if (!unit || unit_len >= CONTAINER_NAME_MAX)
		return NULL;
	memcpy(buf, unit, unit_len);
	buf[unit_len] = '\0';
	return buf;
}

const char *container_clause(const char *cgroup, const char *lead, char *buf)
{
	char name[CONTAINER_NAME_MAX];

	if (!container_name(cgroup, name))
		return "";
	snprintf(buf, CONTAINER_CLAUSE_MAX, "%s%s", lead, name);
	return buf;
}

bool cgroup_under(const char *cgroup, const char *prefix)
{
	size_t n = strlen(prefix);

	while (n > 1 && prefix[n - 1] == '/')
		n--;
	if (!cgroup || strncmp(cgroup, prefix, n))
		return false;
	return n == 1 || cgroup[n] == '\0' || cgroup[n] == '/';
}
