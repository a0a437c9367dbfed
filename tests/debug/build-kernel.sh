#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds (once) the x86_64 debug kernel of tests/debug/kernel.config and
# prints its build directory; tests/lib/kernel.sh has the caching rules.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$PORTREG_TOP/tests/lib/kernel.sh"

build_cached_kernel debug-x86_64 6.1 x86_64 tinyconfig "$PORTREG_TOP/tests/debug/kernel.config" bzImage
