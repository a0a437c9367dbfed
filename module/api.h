/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PORTREG_API_H
#define PORTREG_API_H

struct pr_services;

void pr_api_init(struct pr_services *live);
void pr_api_exit(void);

#endif
