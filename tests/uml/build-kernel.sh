#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds (once) the UML kernel the KUnit suites run on and prints its build
# directory; tests/lib/kernel.sh has the caching rules.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$PORTREG_TOP/tests/lib/kernel.sh"

build_cached_kernel uml um defconfig "$PORTREG_TOP/tests/uml/kernel.config" linux
