/*
 * Exo error codes: the one error enum shared by the kernel and every
 * library OS.  Kernel calls return 0 (or a non-negative result) on success
 * and a negated code from this list on failure.  Library OSes translate at
 * their own boundary (libos-posix maps these to Linux errno values).
 */
#ifndef EXO_ERROR_H
#define EXO_ERROR_H

enum exo_error {
	EXO_OK = 0,
	EXO_EINVAL = 1,	  /* an argument is malformed or out of range */
	EXO_ENOMEM = 2,	  /* no free frame, slot or table entry */
	EXO_EPERM = 3,	  /* the caller lacks the right or capability */
	EXO_EFAULT = 4,	  /* a pointer names memory the caller cannot access */
	EXO_EBUSY = 5,	  /* the resource is already bound or in use */
	EXO_ENOENT = 6,	  /* no such object (stale id, empty slot) */
	EXO_ENOSYS = 7,	  /* no such system call */
	EXO_EAGAIN = 8,	  /* would block; try again later */
	EXO_ERANGE = 9,	  /* a number does not fit */
	EXO_ENOTSUP = 10, /* the hardware or build lacks the feature */
	EXO_NERRORS
};

/* Short upper-case name of an error code (positive or negative). */
static inline const char *
exo_strerror(long err)
{
	static const char *const names[EXO_NERRORS] = {
		"OK",	  "EINVAL", "ENOMEM", "EPERM",	"EFAULT",  "EBUSY",
		"ENOENT", "ENOSYS", "EAGAIN", "ERANGE", "ENOTSUP",
	};
	if (err < 0)
		err = -err;
	return err < EXO_NERRORS ? names[err] : "E?";
}

#endif
