// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the command parser, one table of good lines and one of bad lines,
 * each bad line with the errno it must get.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "cmd.h"

struct pr_cmd_bad_case {
	const char *desc;
	const char *line;
	size_t len;		/* 0: strlen(line) */
	int err;
};

/* Each one byte over its limit; filled in by pr_cmd_suite_init(). */
static char pr_long_name[PR_NAME_MAX + 16];
static char pr_long_line[PR_LINE_MAX + 2];
static char pr_long_desc[PR_DESC_MAX + 32];

static const struct pr_cmd_bad_case pr_cmd_bad_cases[] = {
	{ "unknown verb", "set foo 1/tcp", 0, -EINVAL },
	{ "verb in capitals", "ADD foo 1/tcp", 0, -EINVAL },
	{ "add without arguments", "add", 0, -EINVAL },
	{ "add without port", "add foo", 0, -EINVAL },
	{ "port without proto", "add foo 80", 0, -EINVAL },
	{ "empty proto", "add foo 80/", 0, -EINVAL },
	{ "unknown proto", "add foo 80/icmp", 0, -EINVAL },
	{ "proto in capitals", "add foo 80/TCP", 0, -EINVAL },
	{ "port zero", "add foo 0/tcp", 0, -EINVAL },
	{ "port above 65535", "add foo 65536/tcp", 0, -EINVAL },
	{ "port far above 65535", "add foo 4294967297/tcp", 0, -EINVAL },
	{ "negative port", "add foo -1/tcp", 0, -EINVAL },
	{ "port with sign", "add foo +80/tcp", 0, -EINVAL },
	{ "port with leading zero", "add foo 080/tcp", 0, -EINVAL },
	{ "port in hex", "add foo 0x50/tcp", 0, -EINVAL },
	{ "empty port", "add foo /tcp", 0, -EINVAL },
	{ "two slashes", "add foo 80/tcp/udp", 0, -EINVAL },
	{ "all-digit name", "add 8080 80/tcp", 0, -EINVAL },
	{ "all-digit alias", "add foo 80/tcp 99", 0, -EINVAL },
	{ "control byte", "add fo\001o 1/tcp", 0, -EINVAL },
	{ "carriage return", "add foo 1/tcp\r", 0, -EINVAL },
	{ "DEL byte", "add foo\177 1/tcp", 0, -EINVAL },
	{ "UTF-8 name", "add caf\xc3\xa9 1/tcp", 0, -EINVAL },
	{ "invalid UTF-8", "add foo 1/tcp # \xff\xfe", 0, -EINVAL },
	{ "NUL inside the line", "add foo\0bar 1/tcp", 17, -EINVAL },
	{ "del without port", "del foo", 0, -EINVAL },
	{ "del with alias", "del foo 1/tcp bar", 0, -EINVAL },
	{ "del with description", "del foo 1/tcp # gone", 0, -EINVAL },
	{ "name too long", pr_long_name, 0, -E2BIG },
	{ "too many aliases", "add foo 1/tcp a b c d e f g h i", 0, -E2BIG },
	{ "line too long", pr_long_line, 0, -E2BIG },
	{ "description too long", pr_long_desc, 0, -E2BIG },
};

static void pr_cmd_bad_desc(const struct pr_cmd_bad_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pr_cmd_bad, pr_cmd_bad_cases, pr_cmd_bad_desc);

static void pr_cmd_test_bad(struct kunit *test)
{
	const struct pr_cmd_bad_case *c = test->param_value;
	size_t len = c->len ? c->len : strlen(c->line);
	struct pr_cmd cmd;
	char *line;

	line = kunit_kzalloc(test, len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, line);
	memcpy(line, c->line, len);
	KUNIT_EXPECT_EQ(test, pr_cmd_parse(line, len, &cmd), c->err);
}

static int pr_cmd_parse_str(struct kunit *test, const char *text,
			    struct pr_cmd *cmd)
{
	size_t len = strlen(text);
	char *line = kunit_kzalloc(test, len + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, line);
	memcpy(line, text, len);
	return pr_cmd_parse(line, len, cmd);
}

static void pr_cmd_test_add_full(struct kunit *test)
{
	const char *line =
		"  add\thttp-alt 8080/tcp  webcache  www-alt # HTTP Alternate  ";
	struct pr_cmd cmd;

	KUNIT_ASSERT_EQ(test, pr_cmd_parse_str(test, line, &cmd), 0);
	KUNIT_EXPECT_EQ(test, cmd.op, PR_CMD_ADD);
	KUNIT_EXPECT_STREQ(test, cmd.name, "http-alt");
	KUNIT_EXPECT_EQ(test, cmd.port, 8080);
	KUNIT_EXPECT_EQ(test, cmd.proto, PR_PROTO_TCP);
	KUNIT_ASSERT_EQ(test, cmd.naliases, 2);
	KUNIT_EXPECT_STREQ(test, cmd.aliases[0], "webcache");
	KUNIT_EXPECT_STREQ(test, cmd.aliases[1], "www-alt");
	KUNIT_EXPECT_STREQ(test, cmd.description, "HTTP Alternate");
}

static void pr_cmd_test_add_minimal(struct kunit *test)
{
	struct pr_cmd cmd;

	KUNIT_ASSERT_EQ(test, pr_cmd_parse_str(test, "add x 65535/dccp", &cmd),
			0);
	KUNIT_EXPECT_EQ(test, cmd.op, PR_CMD_ADD);
	KUNIT_EXPECT_STREQ(test, cmd.name, "x");
	KUNIT_EXPECT_EQ(test, cmd.port, 65535);
	KUNIT_EXPECT_EQ(test, cmd.proto, PR_PROTO_DCCP);
	KUNIT_EXPECT_EQ(test, cmd.naliases, 0);
	KUNIT_EXPECT_STREQ(test, cmd.description, "");
}

/* IANA's own names use '/', '.', '*' and '_': all must be accepted. */
static void pr_cmd_test_iana_name_chars(struct kunit *test)
{
	struct pr_cmd cmd;

	KUNIT_EXPECT_EQ(test, pr_cmd_parse_str(test, "add cl/1 172/udp", &cmd),
			0);
	KUNIT_EXPECT_STREQ(test, cmd.name, "cl/1");
	KUNIT_EXPECT_EQ(test, pr_cmd_parse_str(test, "add sql*net 66/tcp z39.50 a_b",
					       &cmd), 0);
	KUNIT_EXPECT_EQ(test, cmd.naliases, 2);
}

static void pr_cmd_test_limits_exact(struct kunit *test)
{
	char *line = kunit_kzalloc(test, PR_LINE_MAX + 1, GFP_KERNEL);
	struct pr_cmd cmd;
	size_t len;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, line);
	/* A name of exactly PR_NAME_MAX bytes, eight aliases. */
	len = sprintf(line, "add %0*d 1/sctp a b c d e f g h", PR_NAME_MAX, 0);
	line[4] = 'n';
	KUNIT_EXPECT_EQ(test, pr_cmd_parse(line, len, &cmd), 0);
	KUNIT_EXPECT_EQ(test, strlen(cmd.name), PR_NAME_MAX);
	KUNIT_EXPECT_EQ(test, cmd.naliases, PR_ALIASES_MAX);

	/* A line of exactly PR_LINE_MAX bytes. */
	memset(line, ' ', PR_LINE_MAX);
	memcpy(line, "add foo 1/udp #", 15);
	KUNIT_EXPECT_EQ(test, pr_cmd_parse(line, PR_LINE_MAX, &cmd), 0);
}

static void pr_cmd_test_nop(struct kunit *test)
{
	struct pr_cmd cmd;

	KUNIT_EXPECT_EQ(test, pr_cmd_parse_str(test, "", &cmd), 0);
	KUNIT_EXPECT_EQ(test, cmd.op, PR_CMD_NOP);
	KUNIT_EXPECT_EQ(test, pr_cmd_parse_str(test, " \t ", &cmd), 0);
	KUNIT_EXPECT_EQ(test, cmd.op, PR_CMD_NOP);
	KUNIT_EXPECT_EQ(test, pr_cmd_parse_str(test, "# add x 1/tcp", &cmd), 0);
	KUNIT_EXPECT_EQ(test, cmd.op, PR_CMD_NOP);
}

static void pr_cmd_test_del(struct kunit *test)
{
	struct pr_cmd cmd;

	KUNIT_ASSERT_EQ(test, pr_cmd_parse_str(test, "del ssh 22/udp", &cmd), 0);
	KUNIT_EXPECT_EQ(test, cmd.op, PR_CMD_DEL);
	KUNIT_EXPECT_STREQ(test, cmd.name, "ssh");
	KUNIT_EXPECT_EQ(test, cmd.port, 22);
	KUNIT_EXPECT_EQ(test, cmd.proto, PR_PROTO_UDP);
}

static int pr_cmd_suite_init(struct kunit_suite *suite)
{
	snprintf(pr_long_name, sizeof(pr_long_name), "add %0*d 1/tcp",
		 PR_NAME_MAX + 1, 0);
	pr_long_name[4] = 'n';
	memset(pr_long_line, ' ', PR_LINE_MAX + 1);
	memcpy(pr_long_line, "add foo 1/tcp", 13);
	memset(pr_long_desc, 'd', PR_DESC_MAX + 17);
	memcpy(pr_long_desc, "add foo 1/tcp # ", 16);
	return 0;
}

static struct kunit_case pr_cmd_cases[] = {
	KUNIT_CASE_PARAM(pr_cmd_test_bad, pr_cmd_bad_gen_params),
	KUNIT_CASE(pr_cmd_test_add_full),
	KUNIT_CASE(pr_cmd_test_add_minimal),
	KUNIT_CASE(pr_cmd_test_iana_name_chars),
	KUNIT_CASE(pr_cmd_test_limits_exact),
	KUNIT_CASE(pr_cmd_test_nop),
	KUNIT_CASE(pr_cmd_test_del),
	{}
};

static struct kunit_suite pr_cmd_suite = {
	.name = "portreg_cmd",
	.suite_init = pr_cmd_suite_init,
	.test_cases = pr_cmd_cases,
};

kunit_test_suite(pr_cmd_suite);
