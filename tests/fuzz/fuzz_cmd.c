// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the kernel's /proc/portreg/services command parser
 * (module/cmd.c), built for userspace.  Beyond "no crash", every accepted
 * command must respect the limits the kernel relies on afterwards, and
 * every refusal must be one of the two documented errnos.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../module/cmd.h"

static void check_name(const char *name)
{
	if (!name || !pr_name_valid(name, strlen(name)))
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char line[PR_LINE_MAX + 64];
	struct pr_cmd cmd;
	unsigned int i;
	int err;

	if (size > sizeof(line) - 1)
		size = sizeof(line) - 1;
	memcpy(line, data, size);
	err = pr_cmd_parse(line, size, &cmd);
	if (err == -EINVAL || err == -E2BIG)
		return 0;
	if (err != 0 || size > PR_LINE_MAX)
		abort();
	if (cmd.op == PR_CMD_NOP)
		return 0;
	if (cmd.op != PR_CMD_ADD && cmd.op != PR_CMD_DEL)
		abort();
	check_name(cmd.name);
	if (cmd.port == 0 || cmd.proto >= PR_PROTO_COUNT)
		abort();
	if (cmd.naliases > PR_ALIASES_MAX || strlen(cmd.description) > PR_DESC_MAX)
		abort();
	if (cmd.op == PR_CMD_DEL && (cmd.naliases || *cmd.description))
		abort();
	for (i = 0; i < cmd.naliases; i++)
		check_name(cmd.aliases[i]);
	for (i = 0; cmd.description[i]; i++)
		if ((unsigned char)cmd.description[i] < 0x20 && cmd.description[i] != '\t')
			abort();
	return 0;
}
