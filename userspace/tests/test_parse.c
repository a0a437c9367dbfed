// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the /proc line parsers: table-driven, one row per input,
 * each with what must come out.  Prints one "PASS|FAIL name" line per row.
 */
#include <stdbool.h>
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

/*
 * binds lines: the golden lines of docs/proc-binds.md (pinned by the KUnit
 * suite portreg_bindfmt), a line for each holder kind, and each way a line
 * can be wrong, with the reason it must be refused for.
 */
struct bind_case {
	const char *line;
	enum pr_parse_result result;
	const char *why;		/* PR_PARSE_ERROR: the reason */
	long pid, tid;
	const char *comm;
	bool has_uid;
	unsigned long uid;
	enum pr_kind kind;
	unsigned int port;
	int ret;
	const char *service;
	enum pr_kind hkind;
	long hpid;
	const char *hcomm;
	bool has_huid;
	unsigned long huid;
	const char *haddr, *hremote;
	long long hexpire;
	unsigned long hinode;
	const char *hwhy;
	unsigned long long lost;
	enum pr_lost_reason reason;
	unsigned long long since;	/* a release's SINCE */
	enum pr_kind ckind;		/* ... and CKIND */
	const char *expected;		/* EXPECTED, unescaped */
	const char *cgroup, *hcgroup;	/* CGROUP and HCGROUP, unescaped */
	const char *remote;		/* REMOTE: a connect's */
};

#define NO_HOLDER .hkind = PR_KIND_NONE, .hpid = -1, .hexpire = -1
/* sshd's line as a module before REMOTE wrote it: 32 fields. */
#define G_SSHD_NO_REMOTE "5 1764000000123456789 4026531840 812 812 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0 - - - - -"
#define G_SSHD "5 1764000000123456789 4026531840 812 812 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0 - - - - - -"
#define G_NGINX "18446744073709551614 1764000000000000001 4026532100 4001 4003 1000 my\\040app\\1341 listen ipv6 tcp 2001:db8::1 8080 0 -98 FTNRr eth0 http-alt 77 33 nginx bind :: - - 5150 reuseport-uid 0 - - - - - -"
#define G_TIMEWAIT "1 7 4026531840 9 9 0 web bind ipv4 tcp 127.0.0.1 8080 0 -98 ..... - http-alt - - - timewait 127.0.0.1 10.0.0.9:51334 41999 - exclusive 0 - - - - - -"
#define G_BEFORE "0 0 1 2 2 0 dns bind ipv6 udp :: 53 0 -98 ..... - domain - 101 - before-load :: - - 99 exclusive 0 - - - - - -"
#define G_GONE "2 7 4026531840 9 9 0 web bind ipv4 tcp 127.0.0.1 8080 0 -98 ..... - http-alt - - - gone - - - - - 0 - - - - - -"
#define G_LOST "9 1764000000000000002 4026531840 - - - - lost - - - 0 0 0 ..... - - - - - - - - - - - 3 - - - - - -"
/* The markers that name a user: over its share of the log, a locked socket. */
#define M_SHARE "10 1764000000000000003 4026531840 - - 65534 - lost - - - 0 0 -122 ..... - - - - - - - - - - - 250 - - - - - -"
#define M_LOCKED "11 1764000000000000003 4026531840 - - 65534 - lost - - - 0 0 -16 ..... - - - - - - - - - - - 1 - - - - - -"
/* A failed bind of 127.0.0.1:8080, then the holder's twelve fields. */
#define CONFLICT "3 7 4026531840 9 9 0 web bind ipv4 tcp 127.0.0.1 8080 0 -98 ..... - http-alt "
#define G_RELEASE "12 1764000000900000000 4026531840 200 201 100 named release ipv6 udp :: 0 53 0 ..... - domain - - - - - - - - - 0 1764000000100000000 autobind - - - -"
/* A connect that found no port: KUnit's golden lines. */
#define G_CONNECT "14 1764000000200000000 4026531840 300 302 1000 curl connect ipv4 tcp 10.0.0.2 0 0 -99 ..... - - - - - - - - - - - 0 - - - - - 192.0.2.7:443"
#define G_CONNECT6 "15 1764000000200000000 4026531840 300 302 1000 curl connect ipv6 tcp ::1 49999 0 -99 ...R. - - - - - - - - - - - 0 - - - - - [::1]:443"
/* A connect up to OPTS, then IF to HCGROUP, before REMOTE. */
#define CONNECT "14 1 4026531840 300 302 1000 curl connect ipv4 tcp 10.0.0.2 0 "
#define TO_REMOTE " - - - - - - - - - - - 0 - - - - - "
/* A release of 8080/tcp, up to its RET; then OPTS to LOST, SINCE, CKIND. */
#define RELEASE "7 9 4026531840 9 9 0 web release ipv4 tcp 127.0.0.1 0 8080 0 "
#define BIND_ERR(text, reason) { text, PR_PARSE_ERROR, reason }

static const struct bind_case bind_cases[] = {
	{ G_SSHD "\n", PR_PARSE_ENTRY, NULL, 812, 812, "sshd", true, 0,
	  PR_KIND_BIND, 22, 0, "ssh", NO_HOLDER },
	{ G_NGINX, PR_PARSE_ENTRY, NULL, 4001, 4003, "my app\\1", true, 1000,
	  PR_KIND_LISTEN, 0, -98, "http-alt", PR_KIND_BIND, 77, "nginx", true,
	  33, "::", NULL, -1, 5150, "reuseport-uid" },
	{ G_TIMEWAIT, PR_PARSE_ENTRY, NULL, 9, 9, "web", true, 0, PR_KIND_BIND,
	  0, -98, "http-alt", PR_KIND_TIMEWAIT, -1, NULL, false, 0,
	  "127.0.0.1", "10.0.0.9:51334", 41999, 0, "exclusive" },
	{ G_BEFORE, PR_PARSE_ENTRY, NULL, 2, 2, "dns", true, 0, PR_KIND_BIND,
	  0, -98, "domain", PR_KIND_BEFORE_LOAD, -1, NULL, true, 101, "::",
	  NULL, -1, 99, "exclusive" },
	{ G_GONE, PR_PARSE_ENTRY, NULL, 9, 9, "web", true, 0, PR_KIND_BIND, 0,
	  -98, "http-alt", PR_KIND_GONE, -1, NULL, false, 0, NULL, NULL, -1, 0,
	  NULL },
	{ "5 1764000000123456789 4026531840 812 812 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0 - - openssh - - -",
	  PR_PARSE_ENTRY, NULL, 812, 812, "sshd", true, 0, PR_KIND_BIND, 22, 0,
	  "ssh", NO_HOLDER, .expected = "openssh" },
	{ G_RELEASE "\n", PR_PARSE_ENTRY, NULL, 200, 201, "named", true, 100,
	  PR_KIND_RELEASE, 53, 0, "domain", NO_HOLDER,
	  .since = 1764000000100000000ULL, .ckind = PR_KIND_AUTOBIND },
	{ RELEASE "..... - http-alt - - - - - - - - - 0 5 listen",
	  PR_PARSE_ENTRY, NULL, 9, 9, "web", true, 0, PR_KIND_RELEASE, 8080, 0,
	  "http-alt", NO_HOLDER, .since = 5, .ckind = PR_KIND_LISTEN },
	/* The realtime clock may have been set back since the claim. */
	{ RELEASE "..... - http-alt - - - - - - - - - 0 18 bind",
	  PR_PARSE_ENTRY, NULL, 9, 9, "web", true, 0, PR_KIND_RELEASE, 8080, 0,
	  "http-alt", NO_HOLDER, .since = 18, .ckind = PR_KIND_BIND },
	/* A module older than releases wrote no SINCE or CKIND; later ones
	 * may write more columns, which are ignored.
	 */
	{ "5 1764000000123456789 4026531840 812 812 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0",
	  PR_PARSE_ENTRY, NULL, 812, 812, "sshd", true, 0, PR_KIND_BIND, 22, 0,
	  "ssh", NO_HOLDER },
	{ G_SSHD " x y", PR_PARSE_ENTRY, NULL, 812, 812, "sshd", true, 0,
	  PR_KIND_BIND, 22, 0, "ssh", NO_HOLDER },
	{ G_CONNECT, PR_PARSE_ENTRY, NULL, 300, 302, "curl", true, 1000,
	  PR_KIND_CONNECT, 0, -99, NULL, NO_HOLDER,
	  .remote = "192.0.2.7:443" },
	{ G_CONNECT6 "\n", PR_PARSE_ENTRY, NULL, 300, 302, "curl", true, 1000,
	  PR_KIND_CONNECT, 0, -99, NULL, NO_HOLDER, .remote = "[::1]:443" },
	{ G_LOST, PR_PARSE_ENTRY, NULL, -1, -1, NULL, false, 0, PR_KIND_LOST,
	  0, 0, NULL, NO_HOLDER, .lost = 3, .reason = PR_LOST_PROBE_MISSED },
	{ M_SHARE, PR_PARSE_ENTRY, NULL, -1, -1, NULL, true, 65534,
	  PR_KIND_LOST, 0, -122, NULL, NO_HOLDER, .lost = 250,
	  .reason = PR_LOST_OVER_SHARE },
	{ M_LOCKED "\n", PR_PARSE_ENTRY, NULL, -1, -1, NULL, true, 65534,
	  PR_KIND_LOST, 0, -16, NULL, NO_HOLDER, .lost = 1,
	  .reason = PR_LOST_SOCKET_LOCKED },
	/* Their user may be one the reader's user namespace does not map. */
	{ "12 1 4026532100 - - - - lost - - - 0 0 -122 ..... - - - - - - - - - - - 7",
	  PR_PARSE_ENTRY, NULL, -1, -1, NULL, false, 0, PR_KIND_LOST, 0, -122,
	  NULL, NO_HOLDER, .lost = 7, .reason = PR_LOST_OVER_SHARE },
	{ "0 1 4026532100 - - 0 - lost - - - 0 0 -16 ..... - - - - - - - - - - - 18446744073709551615",
	  PR_PARSE_ENTRY, NULL, -1, -1, NULL, true, 0, PR_KIND_LOST, 0, -16,
	  NULL, NO_HOLDER, .lost = 18446744073709551615ULL,
	  .reason = PR_LOST_SOCKET_LOCKED },
	/* A process the reader cannot see, and a name that is exactly "-". */
	{ "3 7 4026531840 - - 0 - bind ipv4 tcp 0.0.0.0 7000 7000 0 ..... - - - - - - - - - - - 0",
	  PR_PARSE_ENTRY, NULL, -1, -1, NULL, true, 0, PR_KIND_BIND, 7000, 0,
	  NULL, NO_HOLDER },
	{ "0 0 0 1 1 65534 \\055 autobind ipv4 udp 127.0.0.1 0 65001 -13 ..... 9 - - - - - - - - - - 0",
	  PR_PARSE_ENTRY, NULL, 1, 1, "-", true, 65534, PR_KIND_AUTOBIND,
	  65001, -13, NULL, NO_HOLDER },
	/* One of each other holder kind. */
	{ CONFLICT "118 0 nc accept ::ffff:10.0.0.1 [::ffff:192.0.2.7]:40001 - 20001 listener 0",
	  PR_PARSE_ENTRY, NULL, 9, 9, "web", true, 0, PR_KIND_BIND, 0, -98,
	  "http-alt", PR_KIND_ACCEPT, 118, "nc", true, 0, "::ffff:10.0.0.1",
	  "[::ffff:192.0.2.7]:40001", -1, 20001, "listener" },
	{ CONFLICT "- 1000 - connect 10.0.0.2 93.184.216.34:443 - 20002 exclusive 0",
	  PR_PARSE_ENTRY, NULL, 9, 9, "web", true, 0, PR_KIND_BIND, 0, -98,
	  "http-alt", PR_KIND_CONNECT, -1, NULL, true, 1000, "10.0.0.2",
	  "93.184.216.34:443", -1, 20002, "exclusive" },
	{ CONFLICT "- 0 - kernel 0.0.0.0 - - - exclusive 0",
	  PR_PARSE_ENTRY, NULL, 9, 9, "web", true, 0, PR_KIND_BIND, 0, -98,
	  "http-alt", PR_KIND_KERNEL, -1, NULL, true, 0, "0.0.0.0", NULL, -1,
	  0, "exclusive" },
	{ CONFLICT "- 109 - unrecorded 0.0.0.0 - - 20004 listener 0",
	  PR_PARSE_ENTRY, NULL, 9, 9, "web", true, 0, PR_KIND_BIND, 0, -98,
	  "http-alt", PR_KIND_UNRECORDED, -1, NULL, true, 109, "0.0.0.0", NULL,
	  -1, 20004, "listener" },
	{ CONFLICT "140 0 d\\151g autobind 0.0.0.0 - - 20006 exclusive 0",
	  PR_PARSE_ENTRY, NULL, 9, 9, "web", true, 0, PR_KIND_BIND, 0, -98,
	  "http-alt", PR_KIND_AUTOBIND, 140, "dig", true, 0, "0.0.0.0", NULL,
	  -1, 20006, "exclusive" },
	{ CONFLICT "- - - too-many - - - - - 0", PR_PARSE_ENTRY, NULL, 9, 9,
	  "web", true, 0, PR_KIND_BIND, 0, -98, "http-alt", PR_KIND_TOO_MANY,
	  -1, NULL, false, 0, NULL, NULL, -1, 0, NULL },
	{ CONFLICT "- - - unreachable - - - - - 0", PR_PARSE_ENTRY, NULL, 9, 9,
	  "web", true, 0, PR_KIND_BIND, 0, -98, "http-alt",
	  PR_KIND_UNREACHABLE, -1, NULL, false, 0, NULL, NULL, -1, 0, NULL },
	/* A later version's extra columns are ignored. */
	{ G_SSHD " extra 42", PR_PARSE_ENTRY, NULL, 812, 812, "sshd", true, 0,
	  PR_KIND_BIND, 22, 0, "ssh", NO_HOLDER },
	{ "SEQ TIME NETNS PID TID UID COMM KIND FAMILY PROTO ADDR REQ PORT RET OPTS IF SERVICE HPID HUID HCOMM HKIND HADDR HREMOTE HEXPIRE HINODE HWHY LOST",
	  PR_PARSE_SKIP },
	{ "# tracking unavailable: this kernel was built without CONFIG_KRETPROBES", PR_PARSE_SKIP },
	{ "", PR_PARSE_SKIP },

	/* The line as a whole. */
	BIND_ERR("5 1764000000123456789 4026531840 812 812 0 sshd bind ipv4 tcp", "too few fields"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - -", "too few fields"),
	BIND_ERR("5 1 4026531840 812 812 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - -", "too few fields"),
	BIND_ERR(G_SSHD "\nfoo", "line break inside a line"),
	BIND_ERR("5  1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "SEQ or TIME is not a number"),
	/* Found by fuzz_parse: an empty field (two spaces) was taken for a name. */
	BIND_ERR("5 17956514100 4026531840 124 124 65534 telnetd bind ipv6 tcp :: 23 0 -13 ...R.  8081net - - - - - - - - - 0",
		 "bad escape in IF or SERVICE"),
	/* The event's own fields. */
	BIND_ERR("x 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "SEQ or TIME is not a number"),
	BIND_ERR("05 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "SEQ or TIME is not a number"),
	BIND_ERR("18446744073709551616 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "SEQ or TIME is not a number"),
	BIND_ERR("5 1 - 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "NETNS is not a number"),
	BIND_ERR("5 1 1 -5 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "PID is not a pid or -"),
	BIND_ERR("5 1 1 2147483648 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "PID is not a pid or -"),
	BIND_ERR("5 1 1 - - 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "PID and COMM are not both - or both given"),
	BIND_ERR("5 1 1 1 1 0 - bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "PID and COMM are not both - or both given"),
	BIND_ERR("5 1 1 1 - 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "PID and TID are not both - or both given"),
	BIND_ERR("5 1 1 - 1 0 - bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "PID and TID are not both - or both given"),
	BIND_ERR("5 1 1 1 x 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "TID is not a pid or -"),
	BIND_ERR("5 1 1 1 1 - sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "UID is - on an event"),
	BIND_ERR("5 1 1 1 1 4294967296 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "UID is not a uid or -"),
	BIND_ERR("5 1 1 1 1 0 s\\9hd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "bad escape in COMM"),
	BIND_ERR("5 1 1 1 1 0 s\\000 bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "bad escape in COMM"),
	BIND_ERR("5 1 1 1 1 0 sshd bond ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "unknown KIND"),
	BIND_ERR("5 1 1 1 1 0 sshd accept ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "unknown KIND"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv5 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "unknown FAMILY or PROTO"),
	BIND_ERR("5 1 1 1 1 0 sshd bind - tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "unknown FAMILY or PROTO"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 icmp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0", "unknown FAMILY or PROTO"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 tcp ::1 22 22 0 ...R. - ssh - - - - - - - - - 0", "ADDR is not an address of its family"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv6 tcp 1.2.3.4 22 22 0 ...R. - ssh - - - - - - - - - 0", "ADDR is not an address of its family"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 tcp 1..2.3 22 22 0 ...R. - ssh - - - - - - - - - 0", "ADDR is not an address of its family"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 tcp 127.0.0.01 22 22 0 ...R. - ssh - - - - - - - - - 0", "ADDR is not an address of its family"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv6 tcp 2001:DB8::1 22 22 0 ...R. - ssh - - - - - - - - - 0", "ADDR is not an address of its family"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv6 tcp 1:2:3 22 22 0 ...R. - ssh - - - - - - - - - 0", "ADDR is not an address of its family"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 65536 22 0 ...R. - ssh - - - - - - - - - 0", "REQ or PORT is not a port number"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 98 ...R. - ssh - - - - - - - - - 0", "RET is not 0 or a negative errno"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 -0 ...R. - ssh - - - - - - - - - 0", "RET is not 0 or a negative errno"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 -4096 ...R. - ssh - - - - - - - - - 0", "RET is not 0 or a negative errno"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R - ssh - - - - - - - - - 0", "OPTS is not five flags"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 R.... - ssh - - - - - - - - - 0", "OPTS is not five flags"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. e\\th0 ssh - - - - - - - - - 0", "bad escape in IF or SERVICE"),
	/* The holder's fields. */
	BIND_ERR(CONFLICT "- - - bound - - - - - 0", "unknown HKIND"),
	BIND_ERR(CONFLICT "- - - lost - - - - - 0", "unknown HKIND"),
	BIND_ERR(CONFLICT "- - - - - - - - - 0", "HKIND is not given exactly when RET is -98 for a REQ not 0"),
	BIND_ERR("3 7 1 9 9 0 web bind ipv4 tcp 127.0.0.1 8080 0 -13 ..... - - - - - gone - - - - - 0", "HKIND is not given exactly when RET is -98 for a REQ not 0"),
	BIND_ERR("3 7 1 9 9 0 web bind ipv4 tcp 127.0.0.1 8080 8080 0 ..... - - 77 33 nginx bind :: - - 5150 exclusive 0", "HKIND is not given exactly when RET is -98 for a REQ not 0"),
	BIND_ERR(CONFLICT "x 33 nginx bind :: - - 5150 exclusive 0", "HPID is not a pid or -"),
	BIND_ERR(CONFLICT "77 -1 nginx bind :: - - 5150 exclusive 0", "HUID is not a uid or -"),
	BIND_ERR(CONFLICT "77 33 ng\\inx bind :: - - 5150 exclusive 0", "bad escape in HCOMM"),
	BIND_ERR(CONFLICT "77 33 - bind :: - - 5150 exclusive 0", "HPID and HCOMM are not both - or both given"),
	BIND_ERR(CONFLICT "- 33 nginx bind :: - - 5150 exclusive 0", "HPID and HCOMM are not both - or both given"),
	BIND_ERR(CONFLICT "77 33 nginx bind 1.2.3 - - 5150 exclusive 0", "HADDR is not an address or -"),
	BIND_ERR(CONFLICT "- - - timewait 127.0.0.1 10.0.0.9 41999 - exclusive 0", "HREMOTE is not ADDR:PORT, [IPv6]:PORT or -"),
	BIND_ERR(CONFLICT "- - - timewait 127.0.0.1 10.0.0.9:65536 41999 - exclusive 0", "HREMOTE is not ADDR:PORT, [IPv6]:PORT or -"),
	BIND_ERR(CONFLICT "- - - timewait :: ::1:80 41999 - exclusive 0", "HREMOTE is not ADDR:PORT, [IPv6]:PORT or -"),
	BIND_ERR(CONFLICT "- - - timewait :: [::1]80 41999 - exclusive 0", "HREMOTE is not ADDR:PORT, [IPv6]:PORT or -"),
	BIND_ERR(CONFLICT "- - - timewait 127.0.0.1 [10.0.0.9]:80 41999 - exclusive 0", "HREMOTE is not ADDR:PORT, [IPv6]:PORT or -"),
	BIND_ERR(CONFLICT "- - - timewait 127.0.0.1 [::1]:80 41999 - exclusive 0", "HREMOTE and HADDR are of different families"),
	BIND_ERR(CONFLICT "- - - timewait 127.0.0.1 10.0.0.9:51334 -1 - exclusive 0", "HEXPIRE is not a number or -"),
	BIND_ERR(CONFLICT "- - - timewait 127.0.0.1 10.0.0.9:51334 4.2 - exclusive 0", "HEXPIRE is not a number or -"),
	BIND_ERR(CONFLICT "77 33 nginx bind :: - - x exclusive 0", "HINODE is not a number or -"),
	BIND_ERR(CONFLICT "77 33 nginx bind :: - - 5150 shared 0", "unknown HWHY"),
	BIND_ERR(CONFLICT "- 33 - gone - - - - - 0", "holder fields given though HKIND names no socket"),
	BIND_ERR(CONFLICT "- - - too-many - - - 99 - 0", "holder fields given though HKIND names no socket"),
	BIND_ERR(CONFLICT "- - - unreachable - - - - exclusive 0", "holder fields given though HKIND names no socket"),
	BIND_ERR(CONFLICT "77 33 nginx bind - - - 5150 exclusive 0", "HADDR or HWHY is - for a socket found"),
	BIND_ERR(CONFLICT "77 33 nginx bind :: - - 5150 - 0", "HADDR or HWHY is - for a socket found"),
	BIND_ERR(CONFLICT "9 0 web timewait 127.0.0.1 10.0.0.9:51334 41999 - exclusive 0", "HPID given for an HKIND that has no claimer"),
	BIND_ERR(CONFLICT "9 0 web connect 10.0.0.2 93.184.216.34:443 - 20002 exclusive 0", "HPID given for an HKIND that has no claimer"),
	BIND_ERR(CONFLICT "9 101 web before-load :: - - 99 exclusive 0", "HPID given for an HKIND that has no claimer"),
	BIND_ERR(CONFLICT "- 0 - timewait 127.0.0.1 10.0.0.9:51334 41999 - exclusive 0", "HUID is not - exactly for timewait"),
	BIND_ERR(CONFLICT "- - - before-load :: - - 99 exclusive 0", "HUID is not - exactly for timewait"),
	BIND_ERR(CONFLICT "- - - timewait 127.0.0.1 10.0.0.9:51334 - - exclusive 0", "HEXPIRE is not given exactly for timewait"),
	BIND_ERR(CONFLICT "77 33 nginx bind :: - 500 5150 exclusive 0", "HEXPIRE is not given exactly for timewait"),
	BIND_ERR(CONFLICT "- - - timewait 127.0.0.1 10.0.0.9:51334 41999 5150 exclusive 0", "HINODE given for timewait, which has no file"),
	BIND_ERR(CONFLICT "- - - timewait 127.0.0.1 - 41999 - exclusive 0", "HREMOTE is - for a connection"),
	BIND_ERR(CONFLICT "118 0 nc accept :: - - 20001 listener 0", "HREMOTE is - for a connection"),
	BIND_ERR(CONFLICT "- 1000 - connect 10.0.0.2 - - 20002 exclusive 0", "HREMOTE is - for a connection"),
	/* LOST, and the lost marker. */
	/* CGROUP and HCGROUP: the claimer's and the holder's cgroups. */
	{ "0 0 1 3000 3001 0 app bind ipv4 tcp 0.0.0.0 80 0 -98 ..... - http 500 0 hostd bind 0.0.0.0 - - - exclusive 0 - - - /system.slice/web\\0401.service /../other.slice/docker-0123.scope -",
	  PR_PARSE_ENTRY, NULL, 3000, 3001, "app", true, 0, PR_KIND_BIND, 0, -98,
	  "http", PR_KIND_BIND, 500, "hostd", true, 0, "0.0.0.0", NULL, -1, 0,
	  "exclusive", .cgroup = "/system.slice/web 1.service",
	  .hcgroup = "/../other.slice/docker-0123.scope" },
	{ "5 1764000000123456789 4026531840 812 812 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0 - - -", PR_PARSE_ENTRY, NULL, 812, 812, "sshd", true, 0,
	  PR_KIND_BIND, 22, 0, "ssh", NO_HOLDER },
	{ "5 1764000000123456789 4026531840 812 812 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0 - - - /system.slice/ssh.service -", PR_PARSE_ENTRY, NULL, 812, 812,
	  "sshd", true, 0, PR_KIND_BIND, 22, 0, "ssh", NO_HOLDER,
	  .cgroup = "/system.slice/ssh.service" },
	{ "5 1764000000123456789 4026531840 812 812 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0 - - - ? -", PR_PARSE_ENTRY, NULL, 812, 812, "sshd", true, 0,
	  PR_KIND_BIND, 22, 0, "ssh", NO_HOLDER, .cgroup = "?" },
	{ CONFLICT "- - - gone - - - - - 0 - - - /../web\\040app -",
	  PR_PARSE_ENTRY, NULL, 9, 9, "web", true, 0, PR_KIND_BIND, 0, -98,
	  "http-alt", PR_KIND_GONE, -1, .hexpire = -1,
	  .cgroup = "/../web app" },
	{ CONFLICT "77 33 nginx bind 127.0.0.1 - - 5150 exclusive 0 - - - / /docker/1",
	  PR_PARSE_ENTRY, NULL, 9, 9, "web", true, 0, PR_KIND_BIND, 0, -98,
	  "http-alt", PR_KIND_BIND, 77, "nginx", true, 33, "127.0.0.1", NULL,
	  -1, 5150, "exclusive", .cgroup = "/", .hcgroup = "/docker/1" },
	BIND_ERR("5 1764000000123456789 4026531840 812 812 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0 - - - system.slice -", "CGROUP is not a path, ? or -"),
	BIND_ERR("5 1764000000123456789 4026531840 812 812 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0 - - - /a\\9 -", "bad escape in CGROUP"),
	BIND_ERR("5 1764000000123456789 4026531840 812 812 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0 - - - - /a", "HCGROUP given for a claimer not shown"),
	BIND_ERR(CONFLICT "77 33 nginx bind 127.0.0.1 - - 5150 exclusive 0 - - - - docker", "HCGROUP is not a path, ? or -"),
	/* The kernel shows at most 511 bytes, else "?". */
	{ CONFLICT "77 33 nginx bind 127.0.0.1 - - 5150 exclusive 0 - - - - /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  PR_PARSE_ENTRY, NULL, 9, 9, "web", true, 0, PR_KIND_BIND, 0, -98,
	  "http-alt", PR_KIND_BIND, 77, "nginx", true, 33, "127.0.0.1", NULL,
	  -1, 5150, "exclusive", .hcgroup = "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
	BIND_ERR(CONFLICT "77 33 nginx bind 127.0.0.1 - - 5150 exclusive 0 - - - - /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "HCGROUP is longer than the kernel's 511 bytes"),
	BIND_ERR("9 1764000000000000002 4026531840 - - - - lost - - - 0 0 0 ..... - - - - - - - - - - - 3 - - - /a -", "CGROUP given for a process not shown"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - x", "LOST is not a number"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - -", "LOST is not a number"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 3", "LOST is not 0 on an event"),
	BIND_ERR("9 1 4026531840 1 1 0 sshd lost - - - 0 0 0 ..... - - - - - - - - - - - 3", "a lost marker with a field that is not -"),
	BIND_ERR("9 1 4026531840 1 1 0 sshd lost - - - 0 0 -122 ..... - - - - - - - - - - - 3", "a lost marker with a field that is not -"),
	BIND_ERR("9 1 4026531840 - - - - lost ipv4 tcp 0.0.0.0 0 0 0 ..... - - - - - - - - - - - 3", "a lost marker with a field that is not -"),
	BIND_ERR("9 1 4026531840 - - - - lost - - - 0 0 0 ..... - - - - - gone - - - - - 3", "a lost marker with a field that is not -"),
	BIND_ERR("9 1 4026531840 - - 0 - lost - - - 0 0 -16 ..... - - - - - gone - - - - - 1", "a lost marker with a field that is not -"),
	BIND_ERR("9 1 4026531840 - - - - lost - - - 22 0 0 ..... - - - - - - - - - - - 3", "a lost marker with REQ or PORT not 0"),
	BIND_ERR("9 1 4026531840 - - 0 - lost - - - 0 80 -122 ..... - - - - - - - - - - - 3", "a lost marker with REQ or PORT not 0"),
	/* RET is the marker's reason: only the three there are. */
	BIND_ERR("9 1 4026531840 - - - - lost - - - 0 0 -98 ..... - - - - - - - - - - - 3", "a lost marker with RET not 0, -122 or -16"),
	BIND_ERR("9 1 4026531840 - - 0 - lost - - - 0 0 -22 ..... - - - - - - - - - - - 3", "a lost marker with RET not 0, -122 or -16"),
	BIND_ERR("9 1 4026531840 - - 0 - lost - - - 0 0 -0122 ..... - - - - - - - - - - - 3", "a lost marker with RET not 0, -122 or -16"),
	BIND_ERR("9 1 4026531840 - - 0 - lost - - - 0 0 122 ..... - - - - - - - - - - - 3", "a lost marker with RET not 0, -122 or -16"),
	BIND_ERR("9 1 4026531840 - - 0 - lost - - - 0 0 - ..... - - - - - - - - - - - 3", "a lost marker with RET not 0, -122 or -16"),
	BIND_ERR("9 1 4026531840 - - 0 - lost - - - 0 0 0 ..... - - - - - - - - - - - 3", "a lost marker of missed probe hits (RET 0) with a UID"),
	BIND_ERR("9 1 4026531840 - - x - lost - - - 0 0 -122 ..... - - - - - - - - - - - 3", "UID is not a uid or -"),
	BIND_ERR("9 1 4026531840 - - 4294967296 - lost - - - 0 0 -16 ..... - - - - - - - - - - - 3", "UID is not a uid or -"),
	BIND_ERR("9 1 4026531840 - - - - lost - - - 0 0 0 ...R. - - - - - - - - - - - 3", "a lost marker with OPTS not ....."),
	BIND_ERR("9 1 4026531840 - - 65534 - lost - - - 0 0 -122 ....r - - - - - - - - - - - 3", "a lost marker with OPTS not ....."),
	BIND_ERR("9 1 4026531840 - - - - lost - - - 0 0 0 ..... - - - - - - - - - - - 0", "a lost marker that lost no event"),
	BIND_ERR("9 1 4026531840 - - 65534 - lost - - - 0 0 -16 ..... - - - - - - - - - - - 0", "a lost marker that lost no event"),
	BIND_ERR("9 1 4026531840 - - 65534 - lost - - - 0 0 -122 ..... - - - - - - - - - - - -", "LOST is not a number"),
	/* EXPECTED: only on a claim, escaped as COMM is. */
	BIND_ERR(RELEASE "..... - http-alt - - - - - - - - - 0 5 bind nginx", "EXPECTED given on a line that is no claim"),
	BIND_ERR("9 1 4026531840 - - - - lost - - - 0 0 0 ..... - - - - - - - - - - - 3 - - x", "EXPECTED given on a line that is no claim"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0 - - a\\9", "bad escape in EXPECTED"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0 - - 0123456789abcdef", "EXPECTED is longer than the kernel's 15 bytes"),
	/* SINCE and CKIND: a release's, and only a release's. */
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0 5 bind", "SINCE or CKIND given on a line that is no release"),
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 0 ...R. - ssh - - - - - - - - - 0 - bind", "SINCE or CKIND given on a line that is no release"),
	BIND_ERR("9 1 4026531840 - - - - lost - - - 0 0 0 ..... - - - - - - - - - - - 3 5 -", "SINCE or CKIND given on a line that is no release"),
	BIND_ERR(RELEASE "..... - http-alt - - - - - - - - - 0 - bind", "SINCE is not a time on a release"),
	BIND_ERR(RELEASE "..... - http-alt - - - - - - - - - 0 0 bind", "SINCE is not a time on a release"),
	BIND_ERR(RELEASE "..... - http-alt - - - - - - - - - 0", "SINCE is not a time on a release"),
	BIND_ERR(RELEASE "..... - http-alt - - - - - - - - - 0 5 accept", "CKIND is not bind, listen, autobind or unrecorded on a release"),
	BIND_ERR(RELEASE "..... - http-alt - - - - - - - - - 0 5 -", "CKIND is not bind, listen, autobind or unrecorded on a release"),
	BIND_ERR(RELEASE "..... - http-alt - - - - - - - - - 0 5 release", "CKIND is not bind, listen, autobind or unrecorded on a release"),
	BIND_ERR("7 9 4026531840 9 9 0 web release ipv4 tcp 127.0.0.1 0 8080 -98 ..... - http-alt - - - gone - - - - - 0 5 bind", "a release with RET or REQ not 0, or PORT 0"),
	BIND_ERR("7 9 4026531840 9 9 0 web release ipv4 tcp 127.0.0.1 8080 8080 0 ..... - http-alt - - - - - - - - - 0 5 bind", "a release with RET or REQ not 0, or PORT 0"),
	BIND_ERR("7 9 4026531840 9 9 0 web release ipv4 tcp 127.0.0.1 0 0 0 ..... - http-alt - - - - - - - - - 0 5 bind", "a release with RET or REQ not 0, or PORT 0"),
	BIND_ERR(RELEASE "..... - http-alt - - - - - - - - - 2 5 bind", "LOST is not 0 on an event"),
	/* No port asked for: the range was full, and nobody is named. */
	{ "3 7 4026531840 9 9 0 web bind ipv4 tcp 127.0.0.1 0 0 -98 ..... - - - - - - - - - - - 0 - - - - - -",
	  PR_PARSE_ENTRY, NULL, 9, 9, "web", true, 0, PR_KIND_BIND, 0, -98,
	  NULL, NO_HOLDER },
	BIND_ERR("3 7 4026531840 9 9 0 web bind ipv4 tcp 127.0.0.1 0 0 -98 ..... - - - - - gone - - - - - 0", "HKIND is not given exactly when RET is -98 for a REQ not 0"),
	BIND_ERR(CONNECT "0 -98 ..... - - - - - gone - - - - - 0 - - - - - 192.0.2.7:443", "HKIND is not given exactly when RET is -98 for a REQ not 0"),
	/* REMOTE: a connect's, and only a connect's; a connect only fails. */
	BIND_ERR(CONNECT "0 0 ....." TO_REMOTE "192.0.2.7:443", "a connect with RET 0 or a PORT"),
	BIND_ERR(CONNECT "40000 -99 ....." TO_REMOTE "192.0.2.7:443", "a connect with RET 0 or a PORT"),
	BIND_ERR(CONNECT "0 -99 ....." TO_REMOTE "-", "REMOTE is not ADDR:PORT or [IPv6]:PORT on a connect"),
	BIND_ERR(CONNECT "0 -99 ..... - - - - - - - - - - - 0 - - - - -", "REMOTE is not ADDR:PORT or [IPv6]:PORT on a connect"),
	BIND_ERR(CONNECT "0 -99 ....." TO_REMOTE "192.0.2.7", "REMOTE is not ADDR:PORT or [IPv6]:PORT on a connect"),
	BIND_ERR(CONNECT "0 -99 ....." TO_REMOTE "[::1]:443", "REMOTE and FAMILY are of different families"),
	BIND_ERR(G_SSHD_NO_REMOTE " 192.0.2.7:443", "REMOTE given on a line that is no connect"),
	BIND_ERR("9 1 4026531840 - - - - lost - - - 0 0 0 ..... - - - - - - - - - - - 3 - - - - - [::1]:1", "a lost marker with a field that is not -"),
	/* A marker's RET is no errno of an event. */
	BIND_ERR("5 1 1 1 1 0 sshd bind ipv4 tcp 0.0.0.0 22 22 -122 ...R. - ssh - - - - - - - - - 250", "LOST is not 0 on an event"),
};

/* claims lines: docs/proc-claims.md's golden lines, each KIND, each error. */
struct claim_case {
	const char *line;
	enum pr_parse_result result;
	const char *why;
	long pid;
	const char *comm;
	bool has_uid;
	unsigned long uid;
	unsigned long long since;
	enum pr_kind kind;
	unsigned int port;
	unsigned long inode;
	const char *ifname;
	const char *state;
	const char *remote;
	unsigned long long cookie;
	const char *expected;
	const char *cgroup;
};

#define CLAIM_ERR(text, reason) { text, PR_PARSE_ERROR, reason }

static const struct claim_case claim_cases[] = {
	{ "tcp ipv4 127.0.0.1 8080 4026531840 42 1000 web 1764000000000000000 bind ....r - 12345 http-alt listen - 4097 - -\n",
	  PR_PARSE_ENTRY, NULL, 42, "web", true, 1000, 1764000000000000000ULL,
	  PR_KIND_BIND, 8080, 12345, NULL, "listen", NULL, 4097 },
	{ "udp ipv6 :: 53 4026531840 42 1000 web 1764000000000000000 autobind ..... lo 12345 domain established [2001:db8::53]:53 4097 - -",
	  PR_PARSE_ENTRY, NULL, 42, "web", true, 1000, 1764000000000000000ULL,
	  PR_KIND_AUTOBIND, 53, 12345, "lo", "established", "[2001:db8::53]:53", 4097 },
	{ "udp ipv6 :: 53 4026531840 42 1000 web 1764000000000000000 autobind ..... lo 12345 domain established [2001:db8::53]:53 4097 my\\040db -",
	  PR_PARSE_ENTRY, NULL, 42, "web", true, 1000, 1764000000000000000ULL,
	  PR_KIND_AUTOBIND, 53, 12345, "lo", "established", "[2001:db8::53]:53", 4097,
	  "my db" },
	{ "tcp ipv4 127.0.0.1 8080 4026531840 42 1000 web 1764000000000000000 bind ....r - 12345 http-alt listen - 4097 - /system.slice/docker-1.scope",
	  PR_PARSE_ENTRY, NULL, 42, "web", true, 1000, 1764000000000000000ULL,
	  PR_KIND_BIND, 8080, 12345, NULL, "listen", NULL, 4097,
	  .cgroup = "/system.slice/docker-1.scope" },
	{ "udp ipv6 :: 53 4026531840 42 1000 web 1764000000000000000 autobind ..... lo 12345 domain established [2001:db8::53]:53 4097 my\\040db /a/b\\134c",
	  PR_PARSE_ENTRY, NULL, 42, "web", true, 1000, 1764000000000000000ULL,
	  PR_KIND_AUTOBIND, 53, 12345, "lo", "established", "[2001:db8::53]:53", 4097,
	  "my db", "/a/b\\c" },
	/* A module before cgroups wrote 18 fields. */
	{ "tcp ipv4 127.0.0.1 8080 4026531840 42 1000 web 1764000000000000000 bind ....r - 12345 http-alt listen - 4097 -",
	  PR_PARSE_ENTRY, NULL, 42, "web", true, 1000, 1764000000000000000ULL,
	  PR_KIND_BIND, 8080, 12345, NULL, "listen", NULL, 4097 },
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 4026531840 - 1000 - 1764000000000000000 bind ....r - 12345 http-alt listen - 4097 - /a", "CGROUP given for a process not shown"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 4026531840 42 1000 web 1764000000000000000 bind ....r - 12345 http-alt listen - 4097 - a", "CGROUP is not a path, ? or -"),
	CLAIM_ERR("udp ipv6 :: 53 4026531840 42 1000 web 1764000000000000000 autobind ..... lo 12345 domain established [2001:db8::53]:53 4097 a\\", "bad escape in EXPECTED"),
	CLAIM_ERR("udp ipv6 :: 53 4026531840 42 1000 web 1764000000000000000 autobind ..... lo 12345 domain established [2001:db8::53]:53 4097 0123456789\\040bcdef", "EXPECTED is longer than the kernel's 15 bytes"),
	{ "tcp ipv4 0.0.0.0 22 4026531840 - 0 - - before-load ..... - 777 ssh listen - 12 - -",
	  PR_PARSE_ENTRY, NULL, -1, NULL, true, 0, 0, PR_KIND_BEFORE_LOAD, 22,
	  777, NULL, "listen", NULL, 12 },
	{ "tcp ipv4 0.0.0.0 22 4026531840 - - - - timewait ..... - - ssh time-wait 192.0.2.7:40000 12 - -",
	  PR_PARSE_ENTRY, NULL, -1, NULL, false, 0, 0, PR_KIND_TIMEWAIT, 22, 0,
	  NULL, "time-wait", "192.0.2.7:40000", 12 },
	/* A TIME_WAIT socket standing for an orphaned FIN_WAIT2, as ss shows it. */
	{ "tcp ipv4 10.0.0.1 80 4026531840 - - - - timewait ..... - - http fin-wait-2 192.0.2.9:40010 5002",
	  PR_PARSE_ENTRY, NULL, -1, NULL, false, 0, 0, PR_KIND_TIMEWAIT, 80, 0,
	  NULL, "fin-wait-2", "192.0.2.9:40010", 5002 },
	{ "tcp ipv6 ::1 80 4026531840 - - - - timewait ..... - - http fin-wait-2 [::1]:40010 5003\n",
	  PR_PARSE_ENTRY, NULL, -1, NULL, false, 0, 0, PR_KIND_TIMEWAIT, 80, 0,
	  NULL, "fin-wait-2", "[::1]:40010", 5003 },
	/* Any state of a connection: the kernel may name others one day. */
	{ "tcp ipv4 0.0.0.0 22 1 - - - - timewait ..... - - ssh established 192.0.2.7:40000 12",
	  PR_PARSE_ENTRY, NULL, -1, NULL, false, 0, 0, PR_KIND_TIMEWAIT, 22, 0,
	  NULL, "established", "192.0.2.7:40000", 12 },
	{ "tcp ipv6 ::ffff:10.0.0.1 9000 4026531840 118 0 nc 1 accept ...R. - 20001 cslistener syn-recv [::ffff:192.0.2.7]:40001 18446744073709551615",
	  PR_PARSE_ENTRY, NULL, 118, "nc", true, 0, 1, PR_KIND_ACCEPT, 9000,
	  20001, NULL, "syn-recv", "[::ffff:192.0.2.7]:40001", 18446744073709551615ULL },
	{ "tcp ipv4 10.0.0.2 45000 4026531840 - 1000 - - connect ..... - 20002 - fin-wait-2 93.184.216.34:443 7",
	  PR_PARSE_ENTRY, NULL, -1, NULL, true, 1000, 0, PR_KIND_CONNECT, 45000,
	  20002, NULL, "fin-wait-2", "93.184.216.34:443", 7 },
	{ "udp ipv4 0.0.0.0 2049 4026531840 - 0 - - kernel ..... - 20003 nfs bound - 8",
	  PR_PARSE_ENTRY, NULL, -1, NULL, true, 0, 0, PR_KIND_KERNEL, 2049,
	  20003, NULL, "bound", NULL, 8 },
	{ "tcp ipv4 0.0.0.0 5432 4026531840 - 109 - - unrecorded ..... - 20004 postgresql listen - 0 - - extra",
	  PR_PARSE_ENTRY, NULL, -1, NULL, true, 109, 0, PR_KIND_UNRECORDED, 5432,
	  20004, NULL, "listen", NULL, 0 },
	/* A claimer the reader cannot see; a name that is exactly "-". */
	{ "tcp ipv4 0.0.0.0 7000 4026531840 - 0 - 1795651470000000000 bind ..... - 20005 - listen - 9",
	  PR_PARSE_ENTRY, NULL, -1, NULL, true, 0, 1795651470000000000ULL,
	  PR_KIND_BIND, 7000, 20005, NULL, "listen", NULL, 9 },
	{ "tcp ipv4 0.0.0.0 7001 4026531840 5 0 \\055 - listen ..... - - - close-wait 10.0.0.3:9 9",
	  PR_PARSE_ENTRY, NULL, 5, "-", true, 0, 0, PR_KIND_LISTEN, 7001, 0,
	  NULL, "close-wait", "10.0.0.3:9", 9 },
	{ "PROTO FAMILY ADDR PORT NETNS PID UID COMM SINCE KIND OPTS IF INODE SERVICE STATE REMOTE COOKIE", PR_PARSE_SKIP },

	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 4026531840 42 1000 web 1 bind ....r - 12345 http-alt", "too few fields"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 4026531840 42 1000 web 1 bind ....r - 1 - listen -", "too few fields"),
	CLAIM_ERR("raw ipv4 127.0.0.1 8080 4026531840 42 1000 web 1 bind ....r - 1 - listen - 1", "unknown PROTO, FAMILY or KIND"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 4026531840 42 1000 web 1 bound ....r - 1 - listen - 1", "unknown PROTO, FAMILY or KIND"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 4026531840 42 1000 web 1 gone ....r - 1 - listen - 1", "unknown PROTO, FAMILY or KIND"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 4026531840 42 1000 web 1 lost ....r - 1 - listen - 1", "unknown PROTO, FAMILY or KIND"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 4026531840 42 1000 web 1 bind ....r - 1 - listening - 1", "unknown STATE"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 4026531840 42 1000 web 1 bind ....r - 1 - - - 1", "unknown STATE"),
	CLAIM_ERR("tcp ipv4 ::1 8080 4026531840 42 1000 web 1 bind ....r - 1 - listen - 1", "ADDR is not an address of its family"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 0 4026531840 42 1000 web 1 bind ....r - 1 - listen - 1", "PORT is not a port number"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 - 42 1000 web 1 bind ....r - 1 - listen - 1", "NETNS is not a number"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 1 x 1000 web 1 bind ....r - 1 - listen - 1", "PID is not a pid or -"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 1 - 1000 web 1 bind ....r - 1 - listen - 1", "PID and COMM are not both - or both given"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 1 42 1000 - 1 bind ....r - 1 - listen - 1", "PID and COMM are not both - or both given"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 1 42 x web 1 bind ....r - 1 - listen - 1", "UID is not a uid or -"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 1 42 1000 w\\eb 1 bind ....r - 1 - listen - 1", "bad escape in COMM"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 1 42 1000 web x bind ....r - 1 - listen - 1", "SINCE is not a number or -"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 1 42 1000 web 1 bind ....r - x - listen - 1", "INODE is not a number or -"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 1 42 1000 web 1 bind ....r - 1 - listen - -", "COOKIE is not a number"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 1 42 1000 web 1 bind ....r - 1 - listen - 18446744073709551616", "COOKIE is not a number"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 1 42 1000 web 1 bind ..r.. - 1 - listen - 1", "OPTS is not five flags"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 1 42 1000 web 1 bind ....r - 1 http\\ listen - 1", "bad escape in IF or SERVICE"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 1 42 1000 web 1 bind ....r - 1 - established 192.0.2.7 1", "REMOTE is not ADDR:PORT, [IPv6]:PORT or -"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 1 42 1000 web 1 bind ....r - 1 - established [2001:db8::1]:80 1", "REMOTE is not of the socket's family"),
	CLAIM_ERR("tcp ipv6 ::1 8080 1 42 1000 web 1 bind ....r - 1 - established 192.0.2.7:80 1", "REMOTE is not of the socket's family"),
	CLAIM_ERR("tcp ipv4 0.0.0.0 22 1 - 0 - - connect ..... - - ssh time-wait 192.0.2.7:40000 12", "STATE time-wait without KIND timewait"),
	CLAIM_ERR("tcp ipv4 0.0.0.0 22 1 - 0 - - accept ..... - 5 ssh time-wait 192.0.2.7:40000 12", "STATE time-wait without KIND timewait"),
	CLAIM_ERR("tcp ipv4 0.0.0.0 22 1 - - - - timewait ..... - - ssh listen - 12", "KIND timewait with STATE listen or bound"),
	CLAIM_ERR("tcp ipv4 0.0.0.0 22 1 - - - - timewait ..... - - ssh bound - 12", "KIND timewait with STATE listen or bound"),
	CLAIM_ERR("tcp ipv4 0.0.0.0 22 1 - - - - timewait ..... - - ssh fin-wait-2 - 12", "REMOTE is not given exactly for a connection"),
	CLAIM_ERR("tcp ipv4 0.0.0.0 22 1 - 0 - - timewait ..... - - ssh fin-wait-2 192.0.2.7:40000 12", "UID is not - exactly for TIME_WAIT"),
	CLAIM_ERR("tcp ipv4 0.0.0.0 22 1 - - - - timewait ..... - 777 ssh fin-wait-2 192.0.2.7:40000 12", "INODE given for TIME_WAIT, which has no file"),
	CLAIM_ERR("tcp ipv4 0.0.0.0 22 1 - - - - timewait ..... - - ssh fin-wait-3 192.0.2.7:40000 12", "unknown STATE"),
	CLAIM_ERR("tcp ipv4 0.0.0.0 22 1 - 0 - - timewait ..... - - ssh time-wait 192.0.2.7:40000 12", "UID is not - exactly for TIME_WAIT"),
	CLAIM_ERR("tcp ipv4 0.0.0.0 22 1 - - - - before-load ..... - 777 ssh listen - 12", "UID is not - exactly for TIME_WAIT"),
	CLAIM_ERR("tcp ipv4 0.0.0.0 22 1 - - - - timewait ..... - 777 ssh time-wait 192.0.2.7:40000 12", "INODE given for TIME_WAIT, which has no file"),
	CLAIM_ERR("tcp ipv4 0.0.0.0 22 1 9 - web - timewait ..... - - ssh time-wait 192.0.2.7:40000 12", "PID given for a KIND that has no claimer"),
	CLAIM_ERR("tcp ipv4 0.0.0.0 22 1 9 0 web - before-load ..... - 777 ssh listen - 12", "PID given for a KIND that has no claimer"),
	CLAIM_ERR("tcp ipv4 10.0.0.2 45000 1 9 0 web - connect ..... - 1 - established 93.184.216.34:443 7", "PID given for a KIND that has no claimer"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 1 42 1000 web 1 bind ....r - 1 - listen 192.0.2.7:80 1", "REMOTE is not given exactly for a connection"),
	CLAIM_ERR("udp ipv4 127.0.0.1 8080 1 42 1000 web 1 bind ....r - 1 - bound 192.0.2.7:80 1", "REMOTE is not given exactly for a connection"),
	CLAIM_ERR("tcp ipv4 127.0.0.1 8080 1 42 1000 web 1 bind ....r - 1 - established - 1", "REMOTE is not given exactly for a connection"),
};
static int failures, passes;

/*
 * One output line per case, whatever the input holds; an error row shows
 * the reason it was refused for, since that is what it tests.
 */
static void report(int ok, const char *what, const char *line,
		   const char *why)
{
	size_t i, len = strlen(line);
	char shown[41];

	/* The tail tells rows apart: most differ in the holder's fields. */
	if (len > sizeof(shown) - 1)
		line += len - (sizeof(shown) - 1);
	for (i = 0; i < sizeof(shown) - 1 && line[i]; i++)
		shown[i] = line[i] == '\n' ? ' ' : line[i];
	shown[i] = '\0';
	printf("%s parse %s: \"%s\"%s%s\n", ok ? "PASS" : "FAIL", what,
	       shown, why ? ": " : "", why ? why : "");
	if (ok)
		passes++;
	else
		failures++;
}

static int streq(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/* Lines of /proc/portreg/owners and of the file owners load reads. */
static const struct {
	const char *line;
	enum pr_parse_result result;
	const char *why;
	unsigned int port;
	const char *proto, *comm;
} owner_cases[] = {
	{ "5432/tcp postgres\n", PR_PARSE_ENTRY, NULL, 5432, "tcp", "postgres" },
	{ "  53/udp\tnamed  # the resolver", PR_PARSE_ENTRY, NULL, 53, "udp", "named" },
	{ "8080/sctp my\\040app", PR_PARSE_ENTRY, NULL, 8080, "sctp", "my app" },
	{ "1/dccp \\055", PR_PARSE_ENTRY, NULL, 1, "dccp", "-" },
	{ "9/tcp 0123456789abcde", PR_PARSE_ENTRY, NULL, 9, "tcp", "0123456789abcde" },
	{ "# a comment\n", PR_PARSE_SKIP },
	{ "   \n", PR_PARSE_SKIP },
	{ "", PR_PARSE_SKIP },
	{ "5432 postgres", PR_PARSE_ERROR, "not PORT/PROTO COMM" },
	{ "5432/tcp", PR_PARSE_ERROR, "not PORT/PROTO COMM" },
	{ "5432/tcp a b", PR_PARSE_ERROR, "not PORT/PROTO COMM" },
	{ "0/tcp x", PR_PARSE_ERROR, "PORT is not a number from 1 to 65535" },
	{ "65536/tcp x", PR_PARSE_ERROR, "PORT is not a number from 1 to 65535" },
	{ "05432/tcp x", PR_PARSE_ERROR, "PORT is not a number from 1 to 65535" },
	{ "5432/icmp x", PR_PARSE_ERROR, "PROTO is not tcp, udp, sctp or dccp" },
	{ "5432/tcp -", PR_PARSE_ERROR, "COMM has a bad escape, or is -" },
	{ "5432/tcp a\\x", PR_PARSE_ERROR, "COMM has a bad escape, or is -" },
	{ "5432/tcp 0123456789abcdef", PR_PARSE_ERROR, "COMM is longer than the kernel's 15 bytes" },
};

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
		report(ok, "service", c->line, NULL);
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
		report(ok, "protocol", c->line, NULL);
		free(line);
	}
	for (i = 0; i < sizeof(bind_cases) / sizeof(bind_cases[0]); i++) {
		const struct bind_case *c = &bind_cases[i];
		char *line = strdup(c->line);
		struct pr_bind b;
		enum pr_parse_result res = pr_parse_bind(line, &b, &why);
		const struct pr_holder *h = &b.holder;
		int ok = res == c->result;

		if (ok && res == PR_PARSE_ENTRY)
			ok = b.task.pid == c->pid && b.tid == c->tid &&
			     streq(b.task.comm, c->comm) &&
			     b.task.has_uid == c->has_uid &&
			     (!c->has_uid || b.task.uid == c->uid) &&
			     b.kind == c->kind && b.port == c->port &&
			     b.result == c->ret && streq(b.service, c->service) &&
			     h->kind == c->hkind && h->who.pid == c->hpid &&
			     streq(h->who.comm, c->hcomm) &&
			     h->who.has_uid == c->has_huid &&
			     (!c->has_huid || h->who.uid == c->huid) &&
			     streq(h->addr, c->haddr) &&
			     streq(h->remote, c->hremote) &&
			     h->expire_ms == c->hexpire && h->inode == c->hinode &&
			     streq(h->why, c->hwhy) && b.lost == c->lost &&
			     b.lost_reason == c->reason &&
			     b.since_ns == c->since && b.claim_kind == c->ckind &&
			     streq(b.expected_owner, c->expected) &&
			     streq(b.task.cgroup, c->cgroup) &&
			     streq(h->who.cgroup, c->hcgroup) &&
			     streq(b.remote, c->remote);
		if (ok && res == PR_PARSE_ERROR)
			ok = streq(why, c->why);
		report(ok, "bind", c->line, res == PR_PARSE_ERROR ? why : NULL);
		free(line);
	}
	for (i = 0; i < sizeof(claim_cases) / sizeof(claim_cases[0]); i++) {
		const struct claim_case *c = &claim_cases[i];
		char *line = strdup(c->line);
		struct pr_claim cl;
		enum pr_parse_result res = pr_parse_claim(line, &cl, &why);
		int ok = res == c->result;

		if (ok && res == PR_PARSE_ENTRY)
			ok = cl.task.pid == c->pid && streq(cl.task.comm, c->comm) &&
			     cl.task.has_uid == c->has_uid &&
			     (!c->has_uid || cl.task.uid == c->uid) &&
			     cl.since_ns == c->since && cl.kind == c->kind &&
			     cl.port == c->port && cl.inode == c->inode &&
			     streq(cl.ifname, c->ifname) &&
			     streq(cl.state, c->state) &&
			     streq(cl.remote, c->remote) && cl.cookie == c->cookie &&
			     streq(cl.expected_owner, c->expected) &&
			     streq(cl.task.cgroup, c->cgroup);
		if (ok && res == PR_PARSE_ERROR)
			ok = streq(why, c->why);
		report(ok, "claim", c->line, res == PR_PARSE_ERROR ? why : NULL);
		free(line);
	}
	for (i = 0; i < sizeof(owner_cases) / sizeof(owner_cases[0]); i++) {
		char *line = strdup(owner_cases[i].line);
		struct pr_owner_entry o;
		enum pr_parse_result res = pr_parse_owner(line, &o, &why);
		int ok = res == owner_cases[i].result;

		if (ok && res == PR_PARSE_ENTRY)
			ok = o.port == owner_cases[i].port &&
			     streq(o.proto, owner_cases[i].proto) &&
			     streq(o.comm, owner_cases[i].comm);
		if (ok && res == PR_PARSE_ERROR)
			ok = streq(why, owner_cases[i].why);
		report(ok, "owner", owner_cases[i].line,
		       res == PR_PARSE_ERROR ? why : NULL);
		free(line);
	}
	/* Every kind has its name, and the names are the files' words. */
	report(!strcmp(pr_kind_name(PR_KIND_BEFORE_LOAD), "before-load") &&
	       !strcmp(pr_kind_name(PR_KIND_TOO_MANY), "too-many") &&
	       !strcmp(pr_kind_name(PR_KIND_NONE), "-") &&
	       !strcmp(pr_kind_name(PR_KIND_COUNT), "?"), "kind names",
	       "pr_kind_name", NULL);
	/* The lost markers' reasons, as docs/json.md names them. */
	report(!pr_lost_reason_name(PR_LOST_NONE) &&
	       !strcmp(pr_lost_reason_name(PR_LOST_PROBE_MISSED), "probe_missed") &&
	       !strcmp(pr_lost_reason_name(PR_LOST_OVER_SHARE), "over_share") &&
	       !strcmp(pr_lost_reason_name(PR_LOST_SOCKET_LOCKED), "socket_locked") &&
	       !pr_lost_reason_name((enum pr_lost_reason)4), "lost reason names",
	       "pr_lost_reason_name", NULL);
	printf("%d passed, %d failed\n", passes, failures);
	return failures ? 1 : 0;
}
