#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds (once) the UML kernel the KUnit suites run on, from Debian's
# linux-source of series $1 (6.1 by default), and prints its build
# directory; tests/lib/kernel.sh has the caching rules.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$PORTREG_TOP/tests/lib/kernel.sh"

series=${1:-6.1}
# 7.3's UML sizes the host's XSAVE area itself; 6.1's and 6.12's need the
# patch on hosts with AMX (tests/uml/uml-xstate.patch says why).
case $series in
6.1|6.12) export KERNEL_PATCHES=$PORTREG_TOP/tests/uml/uml-xstate.patch ;;
esac
build_cached_kernel uml "$series" um tinyconfig "$PORTREG_TOP/tests/uml/kernel.config" linux
