/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_VERSION_H
#define PORTREG_VERSION_H

#define PORTREG_VERSION	"0.2.0"

#endif
