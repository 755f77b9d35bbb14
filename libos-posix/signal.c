/*
 * Signal dispositions and the mask, recorded but not yet delivered
 * (delivery, kill and SIGCHLD come with the next milestone): a program
 * that installs handlers and blocks signals runs on, and sees what it
 * set.  Dispositions survive fork; execve resets handled ones to the
 * default, as POSIX says.
 */
#include <exo/string.h>

#include "posix.h"

#define NSIG 64
#define L_SIGSTOP 19
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SIG_DFL 0
#define SIG_IGN 1
#define UNBLOCKABLE ((1ull << (L_SIGKILL - 1)) | (1ull << (L_SIGSTOP - 1)))

/* The kernel's struct sigaction: the same layout on both arches. */
struct l_sigaction {
	uint64_t handler, flags, restorer, mask;
};

static struct l_sigaction actions[NSIG];
static uint64_t blocked;

/* rt_sigaction(sig, act, oact, sigsetsize) */
POSIX_SYS(rt_sigaction)
{
	struct l_sigaction act;

	if (a[0] < 1 || a[0] > NSIG || a[3] != 8)
		return -L_EINVAL;
	if (a[1] && copy_in(&act, a[1], sizeof(act)) < 0)
		return -L_EFAULT;
	if (a[1] && (a[0] == L_SIGKILL || a[0] == L_SIGSTOP))
		return -L_EINVAL;
	if (a[2] && copy_out(a[2], &actions[a[0] - 1], sizeof(act)) < 0)
		return -L_EFAULT;
	if (a[1])
		actions[a[0] - 1] = act;
	return 0;
}

/* rt_sigprocmask(how, set, oset, sigsetsize) */
POSIX_SYS(rt_sigprocmask)
{
	uint64_t set;

	if (a[3] != 8 || (a[1] && a[0] > SIG_SETMASK))
		return -L_EINVAL;
	if (a[1] && copy_in(&set, a[1], sizeof(set)) < 0)
		return -L_EFAULT;
	if (a[2] && copy_out(a[2], &blocked, sizeof(blocked)) < 0)
		return -L_EFAULT;
	if (!a[1])
		return 0;
	if (a[0] == SIG_BLOCK)
		blocked |= set;
	else if (a[0] == SIG_UNBLOCK)
		blocked &= ~set;
	else
		blocked = set;
	blocked &= ~UNBLOCKABLE;
	return 0;
}

void
signal_exec(void)
{
	for (unsigned i = 0; i < NSIG; i++)
		if (actions[i].handler != SIG_IGN)
			memset(&actions[i], 0, sizeof(actions[i]));
}
