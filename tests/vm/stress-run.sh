#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The VM stress run for "make test": a short one, PORTREG_STRESS_SECS
# (default 20) seconds.  "make stress" runs the same for longer.
set -euo pipefail
exec "$(dirname "$0")/run.sh" stress
