#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job, end to end: build portreg against Debian's kernel, boot the
# test VM with the module loaded, and show what portreg sees.
set -euo pipefail
exec "$(dirname "$0")/vm/run.sh" demo
