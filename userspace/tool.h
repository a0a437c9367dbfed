/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of the portreg tool share: exit codes, output mode, the
 * directory it reads, and the helpers that report errors and write JSON.
 */
#ifndef PORTREG_TOOL_H
#define PORTREG_TOOL_H

#include <stdbool.h>
#include <stdio.h>

#define PORTREG_VERSION "0.2.0"

enum {
	EXIT_NOMATCH = 1,	/* a lookup found nothing */
	EXIT_USAGE = 2,		/* bad arguments, or the module is not loaded */
	EXIT_ACCESS = 3,	/* a file could not be read or written, or was malformed */
	EXIT_REFUSED = 4,	/* the kernel refused a change */
};

extern const char *proc_dir;
extern const char *procfs_dir;
extern bool json_output;
extern bool colour;

void usage(FILE *out);
void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void table_path(const char *name, char *path, size_t size);
FILE *open_table(const char *name, char *path, size_t size);
void json_string(const char *s);
void json_string_or_null(const char *s);
const char *printable(const char *s, char *buf, size_t size);
void output_begin(void);
void output_direct(void);
int output_end(int ret);
const char *errno_name(int err);
void format_time(unsigned long long ns, bool date, char *buf, size_t size);
void format_duration(unsigned long long ns, char *buf, size_t size);
int parse_port_arg(char *arg, unsigned int *port, const char **proto);

struct option;
int command_getopt(int argc, char **argv, const char *shortopts,
		   const struct option *longopts);
int command_operands(int argc, char **argv, int min, int max);

int cmd_binds(int argc, char **argv);
int cmd_claims(int argc, char **argv);
int cmd_who(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_owners(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_why(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_sync(int argc, char **argv);
int cmd_export(int argc, char **argv);
int send_command(const char *path, const char *cmd, int *err);
const char *refusal_reason(int err);

#endif
