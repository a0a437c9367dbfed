# SPDX-License-Identifier: GPL-2.0
# portreg: see README.md.  "make" builds the module against KDIR and the
# userspace tool; "make demo" and "make test" are the two commands that
# also set the machine up.

KDIR ?= /lib/modules/$(shell uname -r)/build
PORTREG_MAX_PORT ?= 49151

.PHONY: all module tool test demo check deps clean help measure-memory stress

all: module tool

module:
	@test -d "$(KDIR)" || { echo "make: KDIR=$(KDIR) is not a kernel build tree;" \
		"install the kernel headers or pass KDIR=<dir>" >&2; exit 2; }
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" PORTREG_MAX_PORT=$(PORTREG_MAX_PORT) modules

tool:
	$(MAKE) -C userspace

# Installs what a fresh Debian 12 machine lacks (needs root), idempotently.
deps:
	@.ci/install-deps

test: deps
	@tests/run-all.sh

demo: deps
	@tests/demo.sh

check: deps
	@tests/lint.sh

# Bind storms across module reloads in the VM, STRESS_SECS long.
STRESS_SECS ?= 300
stress: deps
	@PORTREG_STRESS_SECS=$(STRESS_SECS) tests/vm/run.sh stress

# What the registered range costs compiled in versus loaded at runtime.
measure-memory: deps
	@tests/vm/run.sh memory

clean:
	-test -d "$(KDIR)" && $(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean
	$(MAKE) -C userspace clean
	rm -rf build

help:
	@echo "make [KDIR=<kernel build dir>]  build portreg.ko and userspace/portreg"
	@echo "make demo   build, boot a test VM with the module loaded, show what portreg sees"
	@echo "make test   run every test suite; ends with 'N passed, N failed'"
	@echo "make check  checkpatch --strict and sparse on the module"
	@echo "make stress [STRESS_SECS=300]  bind storms across module reloads in the VM"
	@echo "make measure-memory  registry memory, compiled in versus loaded at runtime"
