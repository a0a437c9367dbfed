// SPDX-License-Identifier: GPL-2.0
/*
 * portreg stats: the module's counters (docs/proc-stats.md), as they are
 * or as one JSON object.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "recfile.h"
#include "tool.h"

/* "tcp4 tcp6 udp4" as ["tcp4","tcp6","udp4"]; cuts @words up. */
static void json_words(char *words)
{
	bool first = true;
	char *word, *save;

	putchar('[');
	for (word = strtok_r(words, " ", &save); word;
	     word = strtok_r(NULL, " ", &save)) {
		if (!first)
			putchar(',');
		json_string(word);
		first = false;
	}
	putchar(']');
}

int cmd_stats(int argc, char **argv)
{
	char path[4096], name[128], *probes = NULL;
	unsigned long long missed;
	size_t i, probes_len = 0;
	FILE *probe_out = NULL, *out;
	struct lines l;
	bool first = true, first_probe = true;
	int ret = 0;

	if (command_operands(argc, argv, 0, 0) < 0)
		return EXIT_USAGE;
	if (read_lines("stats", &l, path, sizeof(path)))
		return EXIT_ACCESS;
	if (json_output) {
		/* The probes come last in the object, gathered on the way. */
		probe_out = open_memstream(&probes, &probes_len);
		if (!probe_out) {
			error("out of memory");
			lines_free(&l);
			return EXIT_ACCESS;
		}
		putchar('{');
	}
	for (i = 0; i < l.n; i++) {
		char *line = l.line[i], *value;
		int keylen, err;

		line[strcspn(line, "\n")] = '\0';
		value = strchr(line, ' ');
		/* No kind of socket proved watched is an empty list, not junk. */
		if (!value && !strcmp(line, "selfcheck"))
			value = line + strlen(line);
		if (!value || value == line) {
			error("%s:%zu: malformed line: expected NAME VALUE", path, i + 1);
			ret = EXIT_ACCESS;
			break;
		}
		keylen = (int)(value - line);
		if (*value)
			value++;
		if (!json_output) {
			printf("%-24.*s %s\n", keylen, line, value);
			continue;
		}
		if (!strncmp(line, "probe ", 6)) {
			out = stdout;
			stdout = probe_out;
			if (!first_probe)
				putchar(',');
			first_probe = false;
			if (sscanf(value, "%127s unavailable %d", name, &err) == 2) {
				json_string(name);
				printf(":{\"missed\":null,\"error\":%d}", err);
			} else if (sscanf(value, "%127s missed %llu", name, &missed) == 2) {
				json_string(name);
				printf(":{\"missed\":%llu}", missed);
			} else {
				error("%s:%zu: malformed line: expected probe NAME missed N",
				      path, i + 1);
				ret = EXIT_ACCESS;
			}
			stdout = out;
			if (ret)
				break;
			continue;
		}
		printf("%s\"%.*s\":", first ? "" : ",", keylen, line);
		first = false;
		if (!strncmp(line, "tracking ", 9)) {
			bool active = !strcmp(value, "active");

			printf("\"%s\",\"tracking_reason\":",
			       active ? "active" : "unavailable");
			json_string_or_null(active ? NULL :
					    !strncmp(value, "unavailable: ", 13) ?
					    value + 13 : value);
		} else if (!strncmp(line, "selfcheck", 9) && keylen == 9) {
			json_words(value);
		} else if (*value && strspn(value, "0123456789") == strlen(value)) {
			fputs(value, stdout);
		} else {
			json_string(value);
		}
	}
	if (probe_out) {
		fclose(probe_out);
		if (!ret)
			printf("%s\"probes\":{%s}}\n", first ? "" : ",",
			       probes ? probes : "");
		free(probes);
	}
	lines_free(&l);
	return ret;
}
