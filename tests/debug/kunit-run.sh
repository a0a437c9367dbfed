#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make stress's run on the debug kernel (tests/debug/kernel.config): the
# KUnit suites with kprobes live, under KASAN, lockdep and kmemleak, then
# the failslab sweep of module load and "add" (tests/vm/faults.sh).  It
# tries every allocation point; PORTREG_FAULT_STRIDE=N tries every point
# up to 40 and every Nth after, for a quicker look.
set -euo pipefail
export PORTREG_VM_KERNEL=debug PORTREG_FAULT_STRIDE=${PORTREG_FAULT_STRIDE:-1}
exec "$(dirname "$0")/../vm/run.sh" kunit
