/* SPDX-License-Identifier: MIT */
/* The media sandbox child: gives up what a decoder does not need, then decodes on request. */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sched.h>
#include <unistd.h>

#include <seccomp.h>

#include "base/buf.h"
#include "base/fdio.h"
#include "base/log.h"
#include "media/wire.h"

/* What one child may use: CPU seconds over its life, and memory. */
#define CHILD_CPU_S	300
#define CHILD_AS_BYTES	(4ull * 1024 * 1024 * 1024)
/* The largest upload any type allows, and its limits. */
#define MAX_REQUEST	(2049ull * 1024 * 1024)

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

static int
limit(int what, rlim_t soft, rlim_t hard)
{
	struct rlimit rl = { soft, hard };

	return setrlimit(what, &rl);
}

/*
 * CPU over the child's life (the server recycles it at half), no core
 * file, no descriptor beyond those it has; the address space too, but
 * not under AddressSanitizer, whose shadow memory is terabytes of it.
 * No RLIMIT_FSIZE: the one file it may write is the log it shares with
 * the server on stderr (a limit would cut the log, not the child), and
 * the filter leaves it no way to open another.
 */
static int
set_limits(void)
{
	if (limit(RLIMIT_CPU, CHILD_CPU_S, CHILD_CPU_S + 5) != 0 ||
	    limit(RLIMIT_CORE, 0, 0) != 0 ||
	    limit(RLIMIT_NOFILE, 16, 16) != 0)
		return -1;
#ifndef UNDER_ASAN
	if (limit(RLIMIT_AS, CHILD_AS_BYTES, CHILD_AS_BYTES) != 0)
		return -1;
#endif
	return 0;
}

/*
 * A refused system call: say which (async-signal-safe), then die of
 * it, so that the server reports signal 31 and the log names the call.
 */
static void
on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	char	msg[64] = "media: sandbox: refused system call ";
	char	num[12];
	int	n = si->si_syscall, k = 0, len = (int)strlen(msg);

	(void)ctx;
	do
		num[k++] = (char)('0' + n % 10);
	while ((n /= 10) > 0 && k < 11);
	while (k > 0)
		msg[len++] = num[--k];
	msg[len++] = '\n';
	(void)!write(2, msg, (size_t)len);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Allowed: memory, threads (clone with CLONE_THREAD only: no new
 * process), time, signals to itself, and reading and writing the
 * descriptors it has. open and stat answer EACCES (a library looking
 * for an optional file goes on without it); anything else -- socket,
 * connect, execve, ptrace, kill of another process -- is not made and
 * kills the child (through on_sigsys, which names it).
 */
static int
install_filter(void)
{
	static const int allowed[] = {
		SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv),
		SCMP_SYS(writev), SCMP_SYS(pread64), SCMP_SYS(lseek),
		SCMP_SYS(close), SCMP_SYS(fstat), SCMP_SYS(recvfrom),
		SCMP_SYS(sendto), SCMP_SYS(recvmsg), SCMP_SYS(sendmsg),
		SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap),
		SCMP_SYS(mprotect), SCMP_SYS(brk), SCMP_SYS(madvise),
		SCMP_SYS(futex), SCMP_SYS(set_robust_list),
		SCMP_SYS(get_robust_list), SCMP_SYS(rseq),
		SCMP_SYS(sched_yield), SCMP_SYS(sched_getaffinity),
		SCMP_SYS(sched_setaffinity), SCMP_SYS(sched_getparam),
		SCMP_SYS(sched_getscheduler), SCMP_SYS(sched_setscheduler),
		SCMP_SYS(getpriority), SCMP_SYS(setpriority),
		SCMP_SYS(exit), SCMP_SYS(exit_group),
		SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask),
		SCMP_SYS(rt_sigaction), SCMP_SYS(sigaltstack),
		SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(getppid),
		SCMP_SYS(getuid), SCMP_SYS(geteuid), SCMP_SYS(getgid),
		SCMP_SYS(getegid), SCMP_SYS(clock_gettime),
		SCMP_SYS(clock_getres), SCMP_SYS(gettimeofday),
		SCMP_SYS(clock_nanosleep), SCMP_SYS(nanosleep),
		SCMP_SYS(getrusage), SCMP_SYS(getrandom), SCMP_SYS(sysinfo),
		SCMP_SYS(uname), SCMP_SYS(eventfd2), SCMP_SYS(poll),
		SCMP_SYS(ppoll), SCMP_SYS(membarrier), SCMP_SYS(getcwd),
		SCMP_SYS(prlimit64), SCMP_SYS(umask),
	};
	static const int denied[] = {
		SCMP_SYS(open), SCMP_SYS(openat), SCMP_SYS(stat),
		SCMP_SYS(lstat), SCMP_SYS(newfstatat), SCMP_SYS(statx),
		SCMP_SYS(access), SCMP_SYS(faccessat), SCMP_SYS(faccessat2),
		SCMP_SYS(readlink), SCMP_SYS(readlinkat), SCMP_SYS(statfs),
		SCMP_SYS(fstatfs),
	};
	struct sigaction	sa;
	scmp_filter_ctx		ctx;
	int			rc = -1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSYS, &sa, NULL) != 0 ||
	    (ctx = seccomp_init(SCMP_ACT_TRAP)) == NULL)
		return -1;
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0) != 0)
			goto out;
	for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), denied[i],
		    0) != 0)
			goto out;
	/* Threads, not processes; clone3 hides its flags: glibc falls back. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
	    SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD)) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3),
	    0) != 0)
		goto out;
	/* Thread names (glib), and raising a signal in itself (abort). */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
	    SCMP_A0(SCMP_CMP_EQ, PR_SET_NAME)) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
	    SCMP_A0(SCMP_CMP_EQ, PR_GET_NAME)) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
	    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid())) != 0 ||
	    /* isatty() and FIONREAD; never TIOCSTI into a terminal. */
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
	    SCMP_A1(SCMP_CMP_EQ, TCGETS)) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
	    SCMP_A1(SCMP_CMP_EQ, FIONREAD)) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1,
	    SCMP_A1(SCMP_CMP_LE, F_SETFL)) != 0)
		goto out;
	rc = seccomp_load(ctx);
out:
	seccomp_release(ctx);
	return rc;
}

static uint64_t
cpu_ms(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
	    (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

/* One request: returns -1 when the server is gone or broke the protocol. */
static int
serve_one(int fd)
{
	uint8_t				 hdr[MB_MEDIA_WIRE_HEADER];
	struct mb_media_wire_hdr	 h;
	struct mb_media_limits		 l;
	struct mb_media_set		 s;
	struct mb_buf			 out = MB_BUF_INIT;
	struct mb_diag			 d = { "" };
	uint8_t				*p;
	int				 rc, ret = -1;

	if (mb_fd_read_all(fd, hdr, sizeof(hdr)) != 0)
		return -1;
	if (mb_media_wire_hdr_get(hdr, "MBMQ", MAX_REQUEST, &h, &d) != MB_OK ||
	    h.code != MB_MEDIA_WIRE_MAKE || h.len < MB_MEDIA_WIRE_LIMITS)
		return -1;
	if ((p = malloc(h.len)) == NULL || mb_fd_read_all(fd, p, h.len) != 0) {
		free(p);
		return -1;
	}
	if ((rc = mb_media_wire_limits_get(p, &l, &d)) == MB_OK)
		rc = mb_media_make(p + MB_MEDIA_WIRE_LIMITS,
		    h.len - MB_MEDIA_WIRE_LIMITS, &l, &s, &d);
	free(p);
	if (rc == MB_OK) {
		rc = mb_media_wire_reply_put(&s, cpu_ms(), &out);
		mb_media_set_free(&s);
		if (rc != MB_OK)
			mb_diag_set(&d, rc, "out of memory");
	}
	if (rc != MB_OK) {
		const char *msg = mb_diag_msg(&d, rc);

		out.len = 0;
		mb_buf_append(&out, msg, strnlen(msg, MB_MEDIA_WIRE_MSG));
	}
	mb_media_wire_hdr_put(hdr, "MBMR", rc, out.len);
	if (mb_fd_write_all(fd, hdr, sizeof(hdr)) == 0 &&
	    mb_fd_write_all(fd, out.data, out.len) == 0)
		ret = 0;
	mb_buf_free(&out);
	return ret;
}

int
mb_media_sandbox_main(int fd)
{
	struct mb_diag d = { "" };

	/* Nothing of the server's but the socket; die with the server. */
	for (int i = 3; i < 1024; i++)
		if (i != fd)
			close(i);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() == 1)
		return 1;
	/*
	 * The codecs are loaded (codec.h) and the decoders read their data
	 * files now, before the limits (the address space) and the filter.
	 */
	if (mb_media_init(&d) != MB_OK) {
		log_error("media: sandbox: %s", d.msg);
		return MB_MEDIA_SANDBOX_NO_CODECS;
	}
	if (set_limits() != 0) {
		log_error("media: sandbox: setrlimit: %s", strerror(errno));
		return 1;
	}
	if (install_filter() != 0) {
		log_error("media: sandbox: cannot install the seccomp filter");
		return 1;
	}
	while (serve_one(fd) == 0)
		;
	return 0;
}
