# SPDX-License-Identifier: GPL-2.0
# portreg: see README.md.  "make" builds the module against KDIR and the
# userspace tool; "make demo" and "make test" are the two commands that
# also set the machine up.

KDIR ?= /lib/modules/$(shell uname -r)/build
PORTREG_MAX_PORT ?= 49151

VERSION := $(shell sed -n 's/^\#define PORTREG_VERSION\t"\(.*\)"/\1/p' module/version.h)
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
# Where bash-completion looks on its own, for /usr and /usr/local alike.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSTEMDUNITDIR ?= /lib/systemd/system
# The tool's default owners file is /etc/portreg/owners, whatever PREFIX.
SYSCONFDIR ?= /etc
MODULESLOADDIR ?= /usr/lib/modules-load.d
INSTALL_MOD_PATH ?= $(DESTDIR)
DKMS_SRC = $(DESTDIR)/usr/src/portreg-$(VERSION)
KERNELVER ?= $(shell uname -r)

.PHONY: all module tool test demo check deps clean help measure-memory stress bench \
	install install-module install-tool install-systemd dkms-source dkms-install \
	dkms-remove deb matrix

all: module tool

# The tree must be prepared and of a supported series (6.1, 6.12, 7.3):
# scripts/check-kdir.sh says what is wrong and what to install.
module:
	@scripts/check-kdir.sh "$(KDIR)"
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" PORTREG_MAX_PORT=$(PORTREG_MAX_PORT) modules

tool:
	$(MAKE) -C userspace

# The standard layout: the module under /lib/modules/<release>/updates with
# depmod run, the tool and its man page under PREFIX, the boot-time pieces
# for systemd.  DESTDIR stages it all for a package.
install: install-module install-tool install-systemd

# An out-of-tree build has no key to sign with: CONFIG_MODULE_SIG_ALL= skips it.
install-module: module
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" INSTALL_MOD_PATH="$(INSTALL_MOD_PATH)" \
		INSTALL_MOD_DIR=updates CONFIG_MODULE_SIG_ALL= modules_install
	depmod $(if $(INSTALL_MOD_PATH),-b "$(INSTALL_MOD_PATH)") \
		"$$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$(KDIR)/include/generated/utsrelease.h")"

install-tool: tool
	install -D -m 0755 userspace/portreg "$(DESTDIR)$(SBINDIR)/portreg"
	install -D -m 0644 docs/portreg.8 "$(DESTDIR)$(MANDIR)/man8/portreg.8"
	install -D -m 0644 packaging/portreg.bash-completion \
		"$(DESTDIR)$(BASHCOMPDIR)/portreg"

install-systemd:
	install -d "$(DESTDIR)$(SYSTEMDUNITDIR)" "$(DESTDIR)$(MODULESLOADDIR)"
	sed 's|@SBINDIR@|$(SBINDIR)|g; s|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		packaging/portreg-sync.service \
		>"$(DESTDIR)$(SYSTEMDUNITDIR)/portreg-sync.service"
	chmod 0644 "$(DESTDIR)$(SYSTEMDUNITDIR)/portreg-sync.service"
	install -m 0644 packaging/portreg.conf "$(DESTDIR)$(MODULESLOADDIR)/portreg.conf"
	# An admin's edited owners file is never replaced.
	install -d "$(DESTDIR)$(SYSCONFDIR)/portreg"
	[ -e "$(DESTDIR)$(SYSCONFDIR)/portreg/owners" ] || \
		install -m 0644 packaging/owners "$(DESTDIR)$(SYSCONFDIR)/portreg/owners"

# The module's source as DKMS builds it, in DESTDIR/usr/src/portreg-VERSION,
# without what a build in the checkout left behind (the Debian package's too).
dkms-source:
	rm -rf "$(DKMS_SRC)" && install -d "$(DKMS_SRC)"
	cp -r Kbuild dkms.conf module data scripts "$(DKMS_SRC)/"
	find "$(DKMS_SRC)" \( -name '*.o' -o -name '*.ko' -o -name '*.mod' \
		-o -name '*.mod.c' -o -name '.*.cmd' -o -name registry_data.c \
		-o -name Module.symvers -o -name modules.order \) -delete
	# The maintainers' refresh of data/, not part of the build.
	rm -f "$(DKMS_SRC)/data/update.sh"

# DKMS rebuilds the module for every kernel installed now and later.
dkms-install: dkms-source
	dkms add -m portreg -v $(VERSION)
	dkms build -m portreg -v $(VERSION) -k $(KERNELVER)
	dkms install -m portreg -v $(VERSION) -k $(KERNELVER)

dkms-remove:
	-dkms remove -m portreg -v $(VERSION) --all
	rm -rf "$(DKMS_SRC)"

# Debian packages, portreg-dkms and portreg, built with dpkg-buildpackage
# from the checkout's tracked files into build/deb/, and checked by lintian.
deb: deps
	@packaging/build-deb.sh

# Installs what a fresh Debian 12 machine lacks (needs root), idempotently.
deps:
	@.ci/install-deps

test: deps
	@tests/run-all.sh

demo: deps
	@tests/demo.sh

check: deps
	@tests/lint.sh

# Everything on the debug kernel (KASAN, lockdep, kmemleak, failslab): the
# KUnit suites with every failslab point of a load and an add, the VM
# end-to-end test, and bind storms across module reloads, STRESS_SECS
# long, there and on Debian's kernel.  Ends with "N passed, N failed".
STRESS_SECS ?= 300
stress: deps
	@PORTREG_STRESS_SECS=$(STRESS_SECS) tests/run-all.sh stress

# What does not fit a fresh machine's CI hour (docs/testing.md): the
# Debian packages installed, upgraded and purged in a VM booted with
# systemd, DKMS building for 6.1 and 6.12.  Ends with "N passed, N failed".
matrix: deps
	@tests/run-all.sh matrix

# What the bind hook costs, in the VM, against no hook, its own floor
# (empty handlers), the kernel's kprobe tracer, libbpf-tools' bindsnoop
# and bpftrace, and what the connect probes cost a client; writes
# docs/benchmarks.md and ends with the lines "bindsnoop overhead ratio:
# B", "connect overhead ratio: C" and "bind overhead ratio: R".
bench: deps
	@tests/bench/run.sh

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
	@echo "make stress [STRESS_SECS=300]  the debug kernel's KUnit, failslab and VM runs, bind storms on it and on Debian's kernel"
	@echo "make bench  bind- and connect-path overhead, bpftrace anchor, capture, reads, scaling; writes docs/benchmarks.md"
	@echo "make install [DESTDIR=] [PREFIX=/usr/local] [INSTALL_MOD_PATH=]  module, tool, man page, systemd unit"
	@echo "make dkms-install [KERNELVER=]  register with DKMS, build and install; make dkms-remove undoes it"
	@echo "make deb    Debian packages portreg-dkms and portreg in build/deb/, lintian-clean"
	@echo "make matrix KUnit on 6.12, the arm64 VM, the packages installed, upgraded and purged in a VM (about an hour)"
	@echo "make measure-memory  registry memory, compiled in versus loaded at runtime"
