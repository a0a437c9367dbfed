# Sourced by the VM's init: each claimer's cgroup (CGROUP, HCGROUP;
# docs/proc-binds.md) against real cgroups: nested ones, a scope named as
# docker names its containers, readers in cgroup namespaces of their own,
# and a cgroup removed while the log still names it.
CG=/sys/fs/cgroup
ID=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
mount -t cgroup2 none $CG
mkdir -p $CG/outer/inner "$CG/system.slice/docker-$ID.scope" $CG/other
# in_cgroup DIR CMD [ARGS]: CMD in the cgroup DIR, as a runtime starts it.
in_cgroup() {
	dir=$CG/$1
	shift
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$dir" "$@"
}
ip link set lo up
(in_cgroup outer/inner httpd -f -p 18110) &
sleep 0.2
inner=$(cat $CG/outer/inner/cgroup.procs)
(in_cgroup "system.slice/docker-$ID.scope" httpd -f -p 18111) &
sleep 0.5
expect "containers: a bind names its claimer's cgroup, nested" /outer/inner \
	sh -c "awk '\$4 == $inner && \$13 == 18110 { l = \$31 } END { print l }' /proc/portreg/binds"
expect "containers: so does its claim" /outer/inner \
	sh -c "awk '\$4 == 18110 && \$6 == $inner { print \$19 }' /proc/portreg/claims"
nc -l -p 18112 </dev/null >/dev/null 2>&1 &
rootpid=$!
sleep 0.3
expect "containers: a task in the root cgroup is in /" / \
	sh -c "awk '\$4 == 18112 && \$6 == $rootpid { print \$19 }' /proc/portreg/claims"
kill $rootpid
expect "containers: the tool names the docker scope's container" docker:0123456789ab \
	sh -c "portreg claims -P 18111 | tail -n 1 | awk '{ print \$NF }'"
check "containers: who names it" \
	sh -c "portreg who 18111 | grep -q ', in docker:0123456789ab)'"
expect "containers: claims -c lists the claims under a prefix" 18110 \
	sh -c "portreg claims -c /outer | tail -n +2 | awk '{ print \$3 }'"
expect "containers: binds -c" "$inner" \
	sh -c "portreg binds -c /outer/inner | tail -n +2 | awk '{ print \$1 }' | sort -u"
expect "containers: --json cgroup and container" "/system.slice/docker-$ID.scope docker:0123456789ab" \
	sh -c "portreg --json claims -P 18111 | sed -n 's/.*\"cgroup\":\"\([^\"]*\)\",\"container\":\"\([^\"]*\)\".*/\1 \2/p'"

# A refused bind: the refused process's cgroup and the holder's.
in_cgroup other httpd -f -p 18111 2>/dev/null
expect "containers: a refused bind names both cgroups (CGROUP, HCGROUP)" \
	"/other /system.slice/docker-$ID.scope" \
	sh -c "awk '\$12 == 18111 && \$14 == -98 { l = \$31 \" \" \$32 } END { print l }' /proc/portreg/binds"
check "containers: why names the holder's container" \
	sh -c "portreg why 18111 | grep -q 'httpd (pid [0-9]*, uid 0, in docker:0123456789ab) held it'"

# The longest path shown is 511 bytes; a longer one is "?", never cut.
x255=$(head -c 255 /dev/zero | tr '\0' x)
mkdir -p "$CG/long/$x255/$(head -c 249 /dev/zero | tr '\0' y)" \
	"$CG/long/$x255/$(head -c 250 /dev/zero | tr '\0' z)"
(in_cgroup "long/$x255/$(head -c 249 /dev/zero | tr '\0' y)" \
	nc -l -p 18113 </dev/null >/dev/null 2>&1) &
(in_cgroup "long/$x255/$(head -c 250 /dev/zero | tr '\0' z)" \
	nc -l -p 18114 </dev/null >/dev/null 2>&1) &
sleep 0.5
expect "containers: a cgroup path of 511 bytes is shown whole" 511 \
	sh -c "awk '\$4 == 18113 { print length(\$19) }' /proc/portreg/claims"
expect "containers: one of 512 bytes is ?, never cut short" "?" \
	sh -c "awk '\$4 == 18114 { print \$19 }' /proc/portreg/claims"
kill $(cat "$CG/long/$x255"/*/cgroup.procs) 2>/dev/null

# Paths are relative to the reader's cgroup namespace, as in
# /proc/PID/cgroup: below its root, or up and over to a sibling.
expect "containers: a reader in its own cgroup namespace sees paths from its root" /inner \
	in_cgroup outer prtest cgroupns sh -c "awk '\$4 == 18110 && \$6 == $inner { print \$19 }' /proc/portreg/claims"
expect "containers: a reader in a sibling's namespace sees the way there" /../outer/inner \
	in_cgroup other prtest cgroupns sh -c "awk '\$4 == 18110 && \$6 == $inner { print \$19 }' /proc/portreg/claims"

# The claimer exits and its cgroup is removed: the log still names it,
# and keeps the cgroup, dying, until the log lets go of its events.
kill "$inner"
sleep 0.5
rmdir $CG/outer/inner
expect "containers: a removed cgroup is still named by the release" /outer/inner \
	sh -c "awk '\$8 == \"release\" && \$13 == 18110 { l = \$31 } END { print l }' /proc/portreg/binds"
expect "containers: history names it too" /outer/inner \
	sh -c "portreg --json history 18110 | sed -n 's/.*\"cgroup\":\"\([^\"]*\)\".*/\1/p' | tail -n 1"
check "containers: the log keeps the removed cgroup, dying" \
	sh -c "awk '\$1 == \"nr_dying_descendants\" && \$2 >= 1 { ok = 1 } END { exit !ok }' $CG/cgroup.stat"
kill $(cat "$CG/system.slice/docker-$ID.scope/cgroup.procs") 2>/dev/null
sleep 0.3
