/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bounds on what a write to /proc/portreg/services and owners may contain.
 * They are part of the ABI (docs/proc-services.md, docs/proc-owners.md)
 * and shared with the userspace build of the command parser and with the
 * tool, so this header includes nothing.
 */
#ifndef PORTREG_LIMITS_H
#define PORTREG_LIMITS_H

#define PR_NAME_MAX	63	/* bytes in a service name or alias */
#define PR_DESC_MAX	255	/* bytes in a description */
#define PR_ALIASES_MAX	8	/* aliases on one entry */
#define PR_LINE_MAX	512	/* bytes in one command line, without '\n' */
#define PR_WRITE_MAX	16384	/* bytes in one write() */

#define PR_OWNERS_MAX		1024	/* expected owners */
#define PR_OWNERS_WRITE_MAX	65536	/* bytes in one write() to owners */

#endif
