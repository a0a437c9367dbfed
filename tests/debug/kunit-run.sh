#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make test's run on the debug kernel (tests/debug/kernel.config): the
# KUnit suites with kprobes live, under KASAN, lockdep and kmemleak, then
# the failslab sweep of module load and "add" (tests/vm/faults.sh), every
# point up to 40 and every PORTREG_FAULT_STRIDE-th (8) after; make stress
# tries every one.
set -euo pipefail
export PORTREG_VM_KERNEL=debug PORTREG_FAULT_STRIDE=${PORTREG_FAULT_STRIDE:-8}
exec "$(dirname "$0")/../vm/run.sh" kunit
