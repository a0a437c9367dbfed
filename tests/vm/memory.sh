# Sourced by the VM's init in memory mode (make measure-memory): what the
# registered range (1024-49151) costs compiled in, against loading it at
# runtime into a module built with the well-known range only.  Init has
# loaded /portreg.ko, the full build.
S=/proc/portreg/services
modsize() { awk '$1 == "portreg" { print $2 }' /proc/modules; }
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
entries() { grep -vc '^#' $S; }

echo "portreg-mem: full module_bytes=$(modsize) entries=$(entries)"
rmmod portreg
insmod /portreg-wellknown.ko max_user_entries=65536
echo "portreg-mem: wellknown module_bytes=$(modsize) entries=$(entries)"

# Whole lines per write(): 40 lines stay well under cat's buffer and the
# kernel's 16 KiB limit.
awk '{ print > ("/tmp/chunk." sprintf("%05d", int((NR - 1) / 40))) }' /golden/registered-adds
sync
slab0=$(meminfo SUnreclaim)
vm0=$(meminfo VmallocUsed)
bad=0
for f in /tmp/chunk.*; do cat "$f" > $S || bad=$((bad + 1)); done
slab1=$(meminfo SUnreclaim)
vm1=$(meminfo VmallocUsed)
echo "portreg-mem: runtime added=$(grep -c '' /golden/registered-adds) failed_writes=$bad entries=$(entries) sunreclaim_kb_delta=$((slab1 - slab0)) vmalloc_kb_delta=$((vm1 - vm0))"
rmmod portreg
slab2=$(meminfo SUnreclaim)
echo "portreg-mem: after rmmod sunreclaim_kb_vs_before_adds=$((slab2 - slab0))"
