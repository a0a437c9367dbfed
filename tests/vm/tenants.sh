# Sourced by the VM's init in test mode, portreg loaded: the attacks of
# docs/security.md's threat model, each played by the unprivileged tenant
# (uid 65534, in namespaces of its own where the attack needs them) by
# tests/vm/tenant.c, which checks the outcome for everyone else.

# A chain of SO_REUSEADDR sockets, churn, and binds that conflict: their
# latency loaded against unloaded, in alternating rounds.
tenant stall /portreg.ko "${PR_STALL_ROUNDS:-8}"
check "no lockup, RCU stall or hung task after the stall attack" sh -c '
	! dmesg | grep -E "soft lockup|hard LOCKUP|rcu_.*(stall|detected)|blocked for more than"'
tenant flood-log
tenant flood-records
tenant stats
tenant spy
tenant followers
# The probe's instances pinned by binds waiting for a lock the tenant
# holds forever.  userfaultfd stands in for a FUSE mount in a user
# namespace, which does the same; maxactive=1 makes one waiting bind
# enough to pin them all.
check "maxactive=1 loads" sh -c "rmmod portreg && insmod /portreg.ko maxactive=1"
echo 1 >/proc/sys/vm/unprivileged_userfaultfd
tenant pin
echo 0 >/proc/sys/vm/unprivileged_userfaultfd
check "reloads with the default parameters" sh -c "rmmod portreg && insmod /portreg.ko"
