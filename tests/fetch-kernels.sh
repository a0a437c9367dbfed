#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetches what the kernel matrix needs from outside Debian 12's own apt
# sources, into the cache (tests/lib/foreign.sh, tests/lib/kernels.sh):
# trixie-backports' 7.3 source, image and headers (with the trixie root
# its module is built in), and Debian 12's arm64 kernel, headers and
# busybox.  Nothing is installed on this machine.  Every download is kept
# under its package version, so a second run costs seconds.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

linux_source_tree 7.3 >/dev/null
for kernel in $PORTREG_VM_KERNELS; do
	vm_kernel "$kernel"
	log "kernel $kernel: $VM_RELEASE ready"
done
foreign_unpack bookworm-arm64 busybox-static >/dev/null
