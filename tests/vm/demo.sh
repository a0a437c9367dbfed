# Sourced by the VM's init in demo mode: what portreg shows on a live kernel.
show() {
	echo
	echo "\$ $1"
	sh -c "$1"
	status=$?
	[ "$status" = 0 ] || echo "(exit $status)"
}
show 'dmesg | grep "portreg: [0-9]"'
show 'cut -d " " -f 1,2 /proc/modules | grep portreg'
show 'head -n 8 /proc/portreg/services'
show 'grep -c "" /proc/portreg/services'
show 'grep -E "^\S+ +465/tcp" /proc/portreg/services'
show 'head -n 5 /proc/portreg/protocols'
show 'portreg services 22/tcp'
show 'portreg services www'
show 'portreg protocols 88'
show 'portreg --json services 5432/tcp'
show 'portreg add demo-api 18080/tcp api -d "our internal API"'
show 'portreg services 18080'
show 'portreg add ssh 22/tcp'
show 'echo "add bad 99999/tcp" > /proc/portreg/services'
show 'portreg services 65000'
show 'rmmod portreg'
show 'portreg services 22'
