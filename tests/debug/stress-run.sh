#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The stress run (tests/vm/stress.sh) on the debug kernel, for
# PORTREG_STRESS_SECS (default 20; make stress runs longer), twice: with
# kmemleak but without the file readers and the registry writer, then
# with them and kmemleak=off.  With both at once, kmemleak's RCU callback
# for every free outruns single-threaded TCG and every grace period waits
# minutes (docs/testing.md).
set -euo pipefail
export PORTREG_VM_KERNEL=debug
for variant in leaks reads; do
	PORTREG_STRESS_VARIANT=$variant "$(dirname "$0")/../vm/run.sh" stress
done
