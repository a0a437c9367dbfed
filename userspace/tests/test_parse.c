// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the /proc line parsers: table-driven, one row per input,
 * each with what must come out.  Prints one "PASS|FAIL name" line per row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

struct service_case {
	const char *line;
	enum pr_parse_result result;
	const char *name;
	unsigned int port;
	const char *proto;
	unsigned int naliases;
	const char *last_alias;
	const char *description;
};

static const struct service_case service_cases[] = {
	{ "ssh             22/tcp     # The Secure Shell (SSH) Protocol\n",
	  PR_PARSE_ENTRY, "ssh", 22, "tcp", 0, NULL, "The Secure Shell (SSH) Protocol" },
	{ "http            80/tcp     www # World Wide Web HTTP",
	  PR_PARSE_ENTRY, "http", 80, "tcp", 1, "www", "World Wide Web HTTP" },
	{ "kerberos\t88/udp\tkerberos5 krb5 kerberos-sec\t# Kerberos v5",
	  PR_PARSE_ENTRY, "kerberos", 88, "udp", 3, "kerberos-sec", "Kerberos v5" },
	{ "ident           113/tcp", PR_PARSE_ENTRY, "ident", 113, "tcp", 0, NULL, "" },
	{ "x 65535/dccp", PR_PARSE_ENTRY, "x", 65535, "dccp", 0, NULL, "" },
	{ "cl/1 172/sctp", PR_PARSE_ENTRY, "cl/1", 172, "sctp", 0, NULL, "" },
	{ "# portreg services(5): header\n", PR_PARSE_SKIP },
	{ "", PR_PARSE_SKIP },
	{ "   \t \n", PR_PARSE_SKIP },
	{ "ssh", PR_PARSE_ERROR },
	{ "ssh 22", PR_PARSE_ERROR },
	{ "ssh 22/", PR_PARSE_ERROR },
	{ "ssh /tcp", PR_PARSE_ERROR },
	{ "ssh 22/icmp", PR_PARSE_ERROR },
	{ "ssh 65536/tcp", PR_PARSE_ERROR },
	{ "ssh 999999/tcp", PR_PARSE_ERROR },
	{ "ssh -1/tcp", PR_PARSE_ERROR },
	{ "ssh 022/tcp", PR_PARSE_ERROR },
	{ "ssh 2x/tcp", PR_PARSE_ERROR },
	{ "ssh 22/tcp a b c d e f g h i", PR_PARSE_ERROR },
	{ "ss\001h 22/tcp", PR_PARSE_ERROR },
	{ "ssh 22/tc", PR_PARSE_ERROR },
	/* Found by fuzz_parse: a newline is only allowed at the very end. */
	{ "fsp 21/udp fsipdp \n  ", PR_PARSE_ERROR },
};

struct protocol_case {
	const char *line;
	enum pr_parse_result result;
	const char *name;
	unsigned int number;
	unsigned int naliases;
};

static const struct protocol_case protocol_cases[] = {
	{ "igmp            2   IGMP # Internet Group Management\n",
	  PR_PARSE_ENTRY, "igmp", 2, 1 },
	{ "ipencap         4   IP-ENCAP ipv4 # IP in IP", PR_PARSE_ENTRY, "ipencap", 4, 2 },
	{ "cbt 7", PR_PARSE_ENTRY, "cbt", 7, 0 },
	{ "# header", PR_PARSE_SKIP },
	{ "tcp", PR_PARSE_ERROR },
	{ "tcp 256", PR_PARSE_ERROR },
	{ "tcp six", PR_PARSE_ERROR },
	{ "tcp 6/tcp", PR_PARSE_ERROR },
};

static int failures, passes;

static void report(int ok, const char *what, const char *line)
{
	printf("%s parse %s: \"%.40s\"\n", ok ? "PASS" : "FAIL", what, line);
	if (ok)
		passes++;
	else
		failures++;
}

static int streq(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

int main(void)
{
	struct pr_entry e;
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(service_cases) / sizeof(service_cases[0]); i++) {
		const struct service_case *c = &service_cases[i];
		char *line = strdup(c->line);
		enum pr_parse_result res = pr_parse_service(line, &e, &why);
		int ok = res == c->result;

		if (ok && res == PR_PARSE_ENTRY)
			ok = streq(e.name, c->name) && e.number == c->port &&
			     streq(e.proto, c->proto) &&
			     e.naliases == c->naliases &&
			     (!c->naliases || streq(e.aliases[e.naliases - 1], c->last_alias)) &&
			     streq(e.description, c->description);
		if (ok && res == PR_PARSE_ERROR)
			ok = why && *why;
		report(ok, "service", c->line);
		free(line);
	}
	for (i = 0; i < sizeof(protocol_cases) / sizeof(protocol_cases[0]); i++) {
		const struct protocol_case *c = &protocol_cases[i];
		char *line = strdup(c->line);
		enum pr_parse_result res = pr_parse_protocol(line, &e, &why);
		int ok = res == c->result;

		if (ok && res == PR_PARSE_ENTRY)
			ok = streq(e.name, c->name) && e.number == c->number &&
			     e.naliases == c->naliases;
		report(ok, "protocol", c->line);
		free(line);
	}
	printf("%d passed, %d failed\n", passes, failures);
	return failures ? 1 : 0;
}
