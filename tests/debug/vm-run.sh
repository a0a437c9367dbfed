#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The VM end-to-end test (tests/vm/run.sh test) on the debug kernel: the
# same checks as on Debian's kernel, with every probe firing under KASAN,
# lockdep, kmemleak and the atomic-sleep checks.
set -euo pipefail
export PORTREG_VM_KERNEL=debug
exec "$(dirname "$0")/../vm/run.sh" test
