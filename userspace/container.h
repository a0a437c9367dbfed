/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a cgroup path says of the container or service a process runs in,
 * and whether a path lies under a prefix (docs/json.md, portreg(8)).
 */
#ifndef PORTREG_CONTAINER_H
#define PORTREG_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>

/* Longest name container_name() writes, with its NUL. */
#define CONTAINER_NAME_MAX 64

/*
 * The container @cgroup names: "docker:ID", "podman:ID", "containerd:ID",
 * "cri-o:ID" or "k8s:POD/ID" (IDs cut to 12 hex digits, a pod's uid to
 * its first 8), else the systemd unit it ends in ("nginx.service"), in
 * @buf of CONTAINER_NAME_MAX bytes.  NULL when it names none, or for a
 * NULL or "?" path.
 */
const char *container_name(const char *cgroup, char *buf);

/* Longest clause container_clause() writes, with its NUL. */
#define CONTAINER_CLAUSE_MAX (CONTAINER_NAME_MAX + 8)

/*
 * @lead and the container @cgroup names (" in docker:0123456789ab"), in
 * @buf of CONTAINER_CLAUSE_MAX bytes, so that a sentence can take it
 * with one "%s"; "" when it names none.  @lead is at most 8 bytes.
 */
const char *container_clause(const char *cgroup, const char *lead, char *buf);

/*
 * Whether @cgroup is @prefix or lies under it, a component at a time:
 * "/system.slice" takes "/system.slice/a.service", not "/system.slicer".
 */
bool cgroup_under(const char *cgroup, const char *prefix);

#endif
