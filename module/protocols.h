/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_PROTOCOLS_H
#define PORTREG_PROTOCOLS_H

#include "portreg.h"

int pr_protocols_by_number(u8 number, portreg_protocol_fn fn, void *arg);
int pr_protocols_by_name(const char *name, portreg_protocol_fn fn, void *arg);
bool pr_protocols_at(unsigned int idx, struct portreg_protocol *view);

#endif
