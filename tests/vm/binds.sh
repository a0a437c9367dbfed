# Sourced by the VM's init: portreg's bind tracking, end to end, on
# Debian's kernel with real sockets.  bindtest (bindtest.c) checks every
# field; this script adds what needs the module reloaded.

bindtest all

check "ring_size that is not a power of two is refused" sh -c "
	rmmod portreg && ! insmod /portreg.ko ring_size=100 2>/dev/null"
check "ring_size=64 loads" insmod /portreg.ko ring_size=64
bindtest ring 64
check "max_claims=0 is refused" sh -c "
	rmmod portreg && ! insmod /portreg.ko max_claims=0 2>/dev/null"
check "read_gid=4242 loads" insmod /portreg.ko read_gid=4242
bindtest group 4242
rmmod portreg
insmod /portreg.ko

check "rmmod with a blocked binds_follow reader" sh -c '
	cat /proc/portreg/binds_follow >/tmp/follow & pid=$!
	sleep 1; rmmod portreg; r=$?; wait $pid; insmod /portreg.ko
	grep -q "^SEQ " /tmp/follow && [ $r = 0 ]'
