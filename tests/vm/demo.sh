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

# Who took each port: real daemons from busybox.
ip link set lo up
show 'httpd -p 8080; telnetd -p 2323; (nc -l -p 9000 </dev/null >/dev/null &); sleep 1'
show 'timeout 2 nslookup portreg.test 127.0.0.1 >/dev/null 2>&1; true'
show 'httpd -f -p 127.0.0.1:8080'
show 'su nobody -s /bin/sh -c "telnetd -F -p 23"'
show 'cat /proc/portreg/binds'
show 'cat /proc/portreg/claims'
show 'cat /proc/portreg/stats'
show 'portreg binds -t'
show 'portreg claims'
show 'portreg who 8080'
show 'portreg why 8080'
show 'portreg why 23'
show 'portreg --json binds -E'
show 'portreg binds --count'
show 'printf "%s\n" "our-api 18443/tcp # internal API" "ssh 22/tcp" "rtmp 1/ddp" > /tmp/services; portreg sync /tmp/services'
show 'portreg export --prometheus | grep -v "^#"'
show 'su nobody -s /bin/sh -c "cat /proc/portreg/claims"'
show 'killall telnetd; sleep 1; grep -c telnetd /proc/portreg/claims'
show 'rmmod portreg'
show 'portreg services 22'
