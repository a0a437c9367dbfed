#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The stress run (tests/vm/stress.sh) on the debug kernel, for
# PORTREG_STRESS_SECS (default 20; make stress runs longer).
set -euo pipefail
export PORTREG_VM_KERNEL=debug
exec "$(dirname "$0")/../vm/run.sh" stress
