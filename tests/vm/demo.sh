# Sourced by the VM's init in demo mode: what portreg shows on a live kernel.
show() { echo; echo "\$ $*"; "$@"; }
show sh -c 'lsmod | grep portreg'
show sh -c 'head -n 8 /proc/portreg/services'
show sh -c 'grep -c "" /proc/portreg/services'
show sh -c 'grep -E "^\S+ +465/tcp" /proc/portreg/services'
show sh -c 'head -n 5 /proc/portreg/protocols'
show portreg services 22/tcp
show portreg services www
show portreg protocols 88
show portreg --json services 5432/tcp
show portreg add demo-api 18080/tcp api -d "our internal API"
show portreg services 18080
show portreg add ssh 22/tcp
show portreg services 70000
show rmmod portreg
show portreg services 22
