// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: /proc/portreg as userspace sees it.  The cases open the real files,
 * so they need /proc mounted and portreg loaded; they read whole files and
 * compare golden lines.  Writes go through the write handler behind the
 * copy from userspace, on a file opened with or without CAP_NET_ADMIN; the
 * UML and VM runs write from userspace too.
 * Every entry they add is on a port above 65000, where IANA assigns
 * nothing, and is removed again by the suite's exit.
 */
#include <kunit/test.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "cmdwrite.h"
#include "limits.h"
#include "proc.h"

/*
 * The files, looked up once from the root of the task loading the suite:
 * KUnit runs each case in a kthread, whose root is an empty filesystem
 * from 7.0 on.
 */
static struct path pr_services_path;
static struct path pr_protocols_path;

static int pr_proc_suite_init(struct kunit_suite *suite)
{
	int err;

	err = kern_path("/proc/portreg/services", LOOKUP_FOLLOW,
			&pr_services_path);
	if (err)
		return err;
	err = kern_path("/proc/portreg/protocols", LOOKUP_FOLLOW,
			&pr_protocols_path);
	if (err)
		path_put(&pr_services_path);
	return err;
}

static void pr_proc_suite_exit(struct kunit_suite *suite)
{
	path_put(&pr_protocols_path);
	path_put(&pr_services_path);
}

#define PR_READ_MAX		(4 << 20)

struct pr_text {
	char *buf;
	size_t len;
};

static int pr_text_init(struct kunit_resource *res, void *size)
{
	res->data = vmalloc(*(size_t *)size);
	return res->data ? 0 : -ENOMEM;
}

static void pr_text_free(struct kunit_resource *res)
{
	vfree(res->data);
}

/* Reads all of @path in small chunks, as cat does, so seq_file restarts. */
static void pr_read_all(struct kunit *test, const struct path *path,
			struct pr_text *text)
{
	struct file *file;
	loff_t pos = 0;
	ssize_t n;

	size_t size = PR_READ_MAX + 1;

	text->buf = kunit_alloc_resource(test, pr_text_init, pr_text_free,
					 GFP_KERNEL, &size);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, text->buf);
	file = dentry_open(path, O_RDONLY, current_cred());
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	text->len = 0;
	do {
		n = kernel_read(file, text->buf + text->len,
				min_t(size_t, 1000, PR_READ_MAX - text->len),
				&pos);
		if (n > 0)
			text->len += n;
	} while (n > 0 && text->len < PR_READ_MAX);
	filp_close(file, NULL);
	KUNIT_ASSERT_EQ(test, n, 0);
	text->buf[text->len] = '\0';
}

static bool pr_has_line(const struct pr_text *text, const char *line)
{
	size_t len = strlen(line);
	const char *p = text->buf;

	while ((p = strstr(p, line))) {
		if ((p == text->buf || p[-1] == '\n') && p[len] == '\n')
			return true;
		p += len;
	}
	return false;
}

static const char *pr_last_line(struct kunit *test, struct pr_text *text)
{
	char *p;

	KUNIT_ASSERT_GT(test, text->len, 1);
	text->buf[text->len - 1] = '\0';
	p = strrchr(text->buf, '\n');
	return p ? p + 1 : text->buf;
}

/* Writes @cmd as one write(); with @privileged false, without CAP_NET_ADMIN. */
/* Writes exactly @len bytes of @cmd, as one write(2). */
static int pr_write_raw(const char *cmd, size_t len, bool privileged)
{
	struct cred *cred = NULL;
	struct file *file;
	char *buf;
	int err;

	if (!privileged) {
		cred = prepare_creds();
		if (!cred)
			return -ENOMEM;
		cap_lower(cred->cap_effective, CAP_NET_ADMIN);
	}
	file = dentry_open(&pr_services_path, O_WRONLY,
			   cred ? cred : current_cred());
	if (cred)
		put_cred(cred);
	if (IS_ERR(file))
		return PTR_ERR(file);
	buf = kmalloc(len + 1, GFP_KERNEL);
	if (!buf) {
		filp_close(file, NULL);
		return -ENOMEM;
	}
	memcpy(buf, cmd, len);
	buf[len] = '\0';
	err = pr_cmd_write_buf(file, buf, len, pr_services_apply_to);
	kfree(buf);
	filp_close(file, NULL);
	return err;
}

/* Writes @cmd and a newline, as echo(1) does. */
static int pr_write(const char *cmd, bool privileged)
{
	size_t len = strlen(cmd);
	char *line = kmalloc(len + 2, GFP_KERNEL);
	int err;

	if (!line)
		return -ENOMEM;
	memcpy(line, cmd, len);
	line[len] = '\n';
	line[len + 1] = '\0';
	err = pr_write_raw(line, len + 1, privileged);
	kfree(line);
	return err;
}

static int pr_write_str(const char *cmd)
{
	return pr_write(cmd, true);
}

static void pr_expect_lines(struct kunit *test, const struct pr_text *text,
			    const char *const *lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		KUNIT_EXPECT_TRUE_MSG(test, pr_has_line(text, lines[i]),
				      "no line \"%s\"", lines[i]);
}

static const char *const pr_services_golden[] = {
	"tcpmux          1/tcp      # TCP Port Service Multiplexer",
	"ssh             22/tcp     # The Secure Shell (SSH) Protocol",
	"http            80/tcp     www # World Wide Web HTTP",
	"urd             465/tcp    # URL Rendezvous Directory for SSM",
	"submissions     465/tcp    ssmtp smtps urd # Submission over TLS [RFC8314]",
	"kerberos        88/udp     kerberos5 krb5 kerberos-sec # Kerberos",
	/* No alias, no description: no padding either. */
	"ident           113/tcp",
	"postgresql      5432/tcp   postgres # PostgreSQL Database",
};

static void pr_proc_test_services_golden(struct kunit *test)
{
	const char *header =
		"# portreg services(5): name port/proto [aliases...] # description\n";
	struct pr_text text;

	pr_read_all(test, &pr_services_path, &text);
	KUNIT_EXPECT_TRUE(test, str_has_prefix(text.buf, header));
	pr_expect_lines(test, &text, pr_services_golden,
			ARRAY_SIZE(pr_services_golden));
	KUNIT_EXPECT_FALSE(test, strchr(text.buf, '\t'));
}

static const char *const pr_protocols_golden[] = {
	"ipencap         4   IP-ENCAP ipv4 # IP in IP (encapsulation)",
	"eigrp           88  EIGRP # EIGRP",
	"sctp            132 SCTP # Stream Control Transmission Protocol",
};

static void pr_proc_test_protocols_golden(struct kunit *test)
{
	const char *head =
		"# portreg protocols(5): name number [aliases...] # description\n"
		"ip              0   IP # internet protocol, pseudo protocol number\n"
		"hopopt          0   HOPOPT # IPv6 Hop-by-Hop Option\n"
		"icmp            1   ICMP # Internet Control Message\n"
		"igmp            2   IGMP # Internet Group Management\n";
	const char *last = "experimental2   254 # Use for experimentation and testing";
	struct pr_text text;

	pr_read_all(test, &pr_protocols_path, &text);
	KUNIT_EXPECT_TRUE(test, str_has_prefix(text.buf, head));
	pr_expect_lines(test, &text, pr_protocols_golden,
			ARRAY_SIZE(pr_protocols_golden));
	KUNIT_EXPECT_STREQ(test, pr_last_line(test, &text), last);
}

static void pr_proc_test_add_shows(struct kunit *test)
{
	static const char *const adds[] = {
		"add kunit-proc 65001/tcp kp # KUnit proc entry\n",
		"add kunit-a-rather-long-name 65002/sctp\n",
		"add kunit-a-rather-long-name 65002/udp # padded\n",
	};
	static const char *const shown[] = {
		"kunit-proc      65001/tcp  kp # KUnit proc entry",
		"kunit-a-rather-long-name 65002/sctp",
	};
	const char *dels = "del kunit-proc 65001/tcp\n"
			   "del kunit-a-rather-long-name 65002/sctp\n"
			   "del kunit-a-rather-long-name 65002/udp";
	struct pr_text text;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(adds); i++)
		KUNIT_ASSERT_EQ(test, pr_write_str(adds[i]), 0);
	pr_read_all(test, &pr_services_path, &text);
	pr_expect_lines(test, &text, shown, ARRAY_SIZE(shown));
	KUNIT_EXPECT_STREQ(test, pr_last_line(test, &text),
			   "kunit-a-rather-long-name 65002/udp # padded");

	KUNIT_EXPECT_EQ(test, pr_write_str(dels), 0);
	pr_read_all(test, &pr_services_path, &text);
	KUNIT_EXPECT_FALSE(test, strstr(text.buf, "kunit-"));
}

struct pr_write_case {
	const char *desc;
	const char *cmd;
	int err;
	bool unprivileged;
	bool raw;		/* as is, without the newline pr_write() adds */
};

static const struct pr_write_case pr_write_cases[] = {
	{ "malformed", "add foo", -EINVAL },
	{ "unknown verb", "remove ssh 22/tcp", -EINVAL },
	{ "port out of range", "add kunit-x 70000/tcp", -EINVAL },
	{ "protocol unknown", "add kunit-x 65003/icmp", -EINVAL },
	{ "binary", "add kunit-\x80 65003/tcp", -EINVAL },
	{ "name overlong (64 bytes)",
	  "add kunit-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx 65003/tcp",
	  -E2BIG },
	{ "aliases overlong", "add kunit-x 65003/tcp a b c d e f g h i", -E2BIG },
	{ "duplicate of built-in", "add ssh 22/tcp", -EEXIST },
	{ "duplicate inside write", "add kunit-x 65003/tcp\nadd kunit-x 65003/tcp", -EEXIST },
	{ "unknown entry", "del kunit-x 65003/tcp", -ENOENT },
	{ "good line then bad line", "add kunit-x 65003/tcp\nadd kunit-y 65004/tcpx", -EINVAL },
	{ "no CAP_NET_ADMIN", "add kunit-x 65003/tcp", -EPERM, true },
	{ "no CAP_NET_ADMIN, del", "del ssh 22/tcp", -EPERM, true },
	/* A write cut short mid-line (a buffered writer's full buffer). */
	{ "last line without its newline", "add kunit-x 65003/tcp", -EINVAL,
	  false, true },
	{ "good line, then half a line",
	  "add kunit-x 65003/tcp\nadd kunit-y 650", -EINVAL, false, true },
	{ "half a line that is valid on its own", "add kunit-x 65003/tcp a",
	  -EINVAL, false, true },
};

static void pr_write_case_desc(const struct pr_write_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pr_write, pr_write_cases, pr_write_case_desc);

/* Every bad write gets its errno and leaves the file byte for byte as it was. */
static void pr_proc_test_bad_write(struct kunit *test)
{
	const struct pr_write_case *c = test->param_value;
	struct pr_text before, after;

	pr_read_all(test, &pr_services_path, &before);
	if (c->raw)
		KUNIT_EXPECT_EQ(test, pr_write_raw(c->cmd, strlen(c->cmd),
						   !c->unprivileged), c->err);
	else
		KUNIT_EXPECT_EQ(test, pr_write(c->cmd, !c->unprivileged),
				c->err);
	pr_read_all(test, &pr_services_path, &after);
	KUNIT_EXPECT_EQ(test, before.len, after.len);
	KUNIT_EXPECT_EQ(test, memcmp(before.buf, after.buf,
				     min(before.len, after.len)), 0);
}

static void pr_proc_test_write_too_big(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, PR_WRITE_MAX + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	memset(buf, '\n', PR_WRITE_MAX + 1);
	KUNIT_EXPECT_EQ(test, pr_write_raw(buf, PR_WRITE_MAX + 1, true),
			-E2BIG);
	KUNIT_EXPECT_EQ(test, pr_write_raw(buf, PR_WRITE_MAX, true), 0);
}

static void pr_proc_test_exit(struct kunit *test)
{
	static const char *const leftovers[] = {
		"del kunit-proc 65001/tcp", "del kunit-x 65003/tcp",
		"del kunit-a-rather-long-name 65002/sctp",
		"del kunit-a-rather-long-name 65002/udp",
	};
	unsigned int i;

	/* Only matters after a failed case; -ENOENT is the normal answer. */
	for (i = 0; i < ARRAY_SIZE(leftovers); i++)
		pr_write_str(leftovers[i]);
}

static struct kunit_case pr_proc_cases[] = {
	KUNIT_CASE(pr_proc_test_services_golden),
	KUNIT_CASE(pr_proc_test_protocols_golden),
	KUNIT_CASE(pr_proc_test_add_shows),
	KUNIT_CASE_PARAM(pr_proc_test_bad_write, pr_write_gen_params),
	KUNIT_CASE(pr_proc_test_write_too_big),
	{}
};

static struct kunit_suite pr_proc_suite = {
	.name = "portreg_proc",
	.suite_init = pr_proc_suite_init,
	.suite_exit = pr_proc_suite_exit,
	.exit = pr_proc_test_exit,
	.test_cases = pr_proc_cases,
};

kunit_test_suite(pr_proc_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for portreg");
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
