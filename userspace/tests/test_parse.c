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

/* binds lines: the KUnit golden lines, and each way a line can be wrong. */
struct bind_case {
	const char *line;
	enum pr_parse_result result;
	long pid;
	const char *comm;
	unsigned int port;
	int ret;
	const char *holder;	/* NULL: none */
	const char *service;	/* NULL: none */
};

#define B_OK "5 1764000000123456789 4026531840 812 812 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - -"

static const struct bind_case bind_cases[] = {
	{ B_OK "\n", PR_PARSE_ENTRY, 812, "sshd", 22, 0, NULL, "ssh" },
	{ "18446744073709551614 1764000000000000001 4026532100 4001 4003 1000 my\\040app\\1341 listen ipv6 tcp 2001:db8::1 8080 0 -98 FTNRr eth0 http-alt 77 33 nginx",
	  PR_PARSE_ENTRY, 4001, "my app\\1", 0, -98, "nginx", "http-alt" },
	{ "0 0 0 1 1 65534 \\055 autobind ipv4 udp 127.0.0.1 0 65001 -13 ..... 9 - - - -",
	  PR_PARSE_ENTRY, 1, "-", 65001, -13, NULL, NULL },
	{ "1 0 0 1 1 0 - autobind ipv6 udp :: 0 65001 -13 ..... - - - - -",
	  PR_PARSE_ENTRY, 1, "", 65001, -13, NULL, NULL },
	/* A later version's extra columns are ignored. */
	{ B_OK " extra 42", PR_PARSE_ENTRY, 812, "sshd", 22, 0, NULL, "ssh" },
	{ "SEQ TIME NETNS PID TID UID COMM KIND FAMILY PROTO ADDR REQ PORT RET OPTS IF SERVICE HPID HUID HCOMM",
	  PR_PARSE_SKIP },
	{ "# tracking unavailable: this kernel was built without CONFIG_KRETPROBES", PR_PARSE_SKIP },
	{ "", PR_PARSE_SKIP },
	{ "5 1764000000123456789 4026531840 812 812 0 sshd bind ipv4 tcp", PR_PARSE_ERROR },
	{ "x 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - -", PR_PARSE_ERROR },
	{ "5 1 1 1 1 0 sshd bond ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - -", PR_PARSE_ERROR },
	{ "5 1 1 1 1 0 sshd bind ipv5 tcp 0.0.0.0 22 22 0 ...R. - ssh - - -", PR_PARSE_ERROR },
	{ "5 1 1 1 1 0 sshd bind ipv4 icmp 0.0.0.0 22 22 0 ...R. - ssh - - -", PR_PARSE_ERROR },
	{ "5 1 1 1 1 0 sshd bind ipv4 tcp ::1 22 22 0 ...R. - ssh - - -", PR_PARSE_ERROR },
	{ "5 1 1 1 1 0 sshd bind ipv6 tcp 1.2.3.4 22 22 0 ...R. - ssh - - -", PR_PARSE_ERROR },
	{ "5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 65536 22 0 ...R. - ssh - - -", PR_PARSE_ERROR },
	{ "5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 98 ...R. - ssh - - -", PR_PARSE_ERROR },
	{ "5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 -0 ...R. - ssh - - -", PR_PARSE_ERROR },
	{ "5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 -4096 ...R. - ssh - - -", PR_PARSE_ERROR },
	{ "5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R - ssh - - -", PR_PARSE_ERROR },
	{ "5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 R.... - ssh - - -", PR_PARSE_ERROR },
	{ "5 1 1 1 1 0 s\\9hd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - -", PR_PARSE_ERROR },
	{ "5 1 1 1 1 0 s\\000 bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - -", PR_PARSE_ERROR },
	{ "5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 -98 ...R. - ssh 7 - -", PR_PARSE_ERROR },
	{ "5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 -98 ...R. - ssh - 0 x", PR_PARSE_ERROR },
	{ "5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - -\nfoo", PR_PARSE_ERROR },
	{ "5 1 1 1 1 4294967296 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - -", PR_PARSE_ERROR },
	{ "5  1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - -", PR_PARSE_ERROR },
	/* Found by fuzz_parse: an empty field (two spaces) was taken for a name. */
	{ "5 17956514100 4026531840 124 124 65534 telnetd bind ipv6 tcp :: 23 0 -13 ...R.  8081net - - -",
	  PR_PARSE_ERROR },
	{ "05 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - -", PR_PARSE_ERROR },
	{ "18446744073709551616 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - -", PR_PARSE_ERROR },
};

struct claim_case {
	const char *line;
	enum pr_parse_result result;
	unsigned int port;
	unsigned long inode;
	const char *ifname;
};

static const struct claim_case claim_cases[] = {
	{ "tcp ipv4 127.0.0.1 8080 4026531840 42 1000 web 1764000000000000000 bind ....r - 12345 http-alt\n",
	  PR_PARSE_ENTRY, 8080, 12345, NULL },
	{ "udp ipv6 :: 53 4026531840 42 1000 web 1764000000000000000 autobind ..... lo 12345 domain",
	  PR_PARSE_ENTRY, 53, 12345, "lo" },
	{ "PROTO FAMILY ADDR PORT NETNS PID UID COMM SINCE KIND OPTS IF INODE SERVICE", PR_PARSE_SKIP },
	{ "tcp ipv4 127.0.0.1 0 4026531840 42 1000 web 1 bind ....r - 1 -", PR_PARSE_ERROR },
	{ "tcp ipv4 127.0.0.1 8080 4026531840 42 1000 web 1 bind ....r -", PR_PARSE_ERROR },
	{ "tcp ipv4 127.0.0.1 8080 4026531840 42 1000 web 1 bound ....r - 1 -", PR_PARSE_ERROR },
	{ "tcp ipv4 127.0.0.1 8080 4026531840 42 1000 web x bind ....r - 1 -", PR_PARSE_ERROR },
	{ "raw ipv4 127.0.0.1 8080 4026531840 42 1000 web 1 bind ....r - 1 -", PR_PARSE_ERROR },
};

static int failures, passes;

static void report(int ok, const char *what, const char *line)
{
	char shown[41];
	size_t i;

	/* One output line per case, whatever the input holds. */
	for (i = 0; i < sizeof(shown) - 1 && line[i]; i++)
		shown[i] = line[i] == '\n' ? ' ' : line[i];
	shown[i] = '\0';
	printf("%s parse %s: \"%s\"\n", ok ? "PASS" : "FAIL", what, shown);
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
	for (i = 0; i < sizeof(bind_cases) / sizeof(bind_cases[0]); i++) {
		const struct bind_case *c = &bind_cases[i];
		char *line = strdup(c->line);
		struct pr_bind b;
		enum pr_parse_result res = pr_parse_bind(line, &b, &why);
		int ok = res == c->result;

		if (ok && res == PR_PARSE_ENTRY)
			ok = b.task.pid == c->pid && streq(b.task.comm, c->comm) &&
			     b.port == c->port && b.result == c->ret &&
			     streq(b.holder.comm, c->holder) &&
			     streq(b.service, c->service);
		if (ok && res == PR_PARSE_ERROR)
			ok = why && *why;
		report(ok, "bind", c->line);
		free(line);
	}
	for (i = 0; i < sizeof(claim_cases) / sizeof(claim_cases[0]); i++) {
		const struct claim_case *c = &claim_cases[i];
		char *line = strdup(c->line);
		struct pr_claim cl;
		enum pr_parse_result res = pr_parse_claim(line, &cl, &why);
		int ok = res == c->result;

		if (ok && res == PR_PARSE_ENTRY)
			ok = cl.port == c->port && cl.inode == c->inode &&
			     streq(cl.ifname, c->ifname);
		if (ok && res == PR_PARSE_ERROR)
			ok = why && *why;
		report(ok, "claim", c->line);
		free(line);
	}
	printf("%d passed, %d failed\n", passes, failures);
	return failures ? 1 : 0;
}
