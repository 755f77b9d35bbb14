# Generate the system call headers from bindings/syscalls.tbl.
#   awk -v out=nr|stubs|kernel -f bindings/gen-syscalls.awk syscalls.tbl
# nr:     exo/syscall_nr.h      EXO_SYS_<NAME> numbers
# stubs:  exo/syscall_stubs.h   static inline long exo_<name>(...) stubs
# kernel: kernel/syscall_gen.h  sys_<name> prototypes and the dispatch
# Pointer arguments reach the kernel as uintptr_t: user addresses it must
# check and copy, never dereference.

function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }

BEGIN {
	if (out == "nr")
		print "#ifndef EXO_SYSCALL_NR_H\n#define EXO_SYSCALL_NR_H\n"
	if (out == "stubs") {
		print "#ifndef EXO_SYSCALL_STUBS_H\n#define EXO_SYSCALL_STUBS_H\n"
		print "#include <stdint.h>"
		print "#include <exo/arch/syscall.h>"
		print "#include <exo/cap.h>\n#include <exo/envinfo.h>"
		print "#include <exo/event.h>\n#include <exo/map.h>"
		print "#include <exo/syscall_nr.h>\n#include <exo/types.h>"
	}
	if (out == "kernel")
		print "#ifndef EXO_KERNEL_SYSCALL_GEN_H\n#define EXO_KERNEL_SYSCALL_GEN_H"
}

/^[ \t]*(#|$)/ { next }
{
	nr = $1; name = $2; raw = 0; slow = 0
	if (name ~ /^@/) { raw = 1; slow = 1; name = substr(name, 2) }
	if (name ~ /^!/) { slow = 1; name = substr(name, 2) }
	if (nr in seen_nr) { print "duplicate number " nr > "/dev/stderr"; exit 1 }
	seen_nr[nr] = 1
	args = $0
	sub(/^[ \t]*[0-9]+[ \t]+[@!]?[a-z_0-9]+[ \t]*/, "", args)
	n = 0
	if (args != "") {
		n = split(args, parts, ",")
		for (i = 1; i <= n; i++) {
			a = trim(parts[i])
			match(a, /[A-Za-z_0-9]+$/)
			an[i] = substr(a, RSTART)
			at[i] = trim(substr(a, 1, RSTART - 1))
		}
	}
	if (n > 6) { print name ": more than 6 arguments" > "/dev/stderr"; exit 1 }
	NAME = toupper(name)
	if (out == "nr") {
		printf "#define EXO_SYS_%s %d\n", NAME, nr
		if (nr > max) max = nr
	} else if (out == "stubs" && !raw) {
		printf "\nstatic inline long\nexo_%s(", name
		for (i = 1; i <= n; i++)
			printf "%s%s%s%s", (i > 1 ? ", " : ""), at[i],
			    (at[i] ~ /\*$/ ? "" : " "), an[i]
		if (n == 0) printf "void"
		printf ")\n{\n\treturn exo_syscall%d(EXO_SYS_%s", n, NAME
		for (i = 1; i <= n; i++)
			printf ",\n\t\t\t    (uint64_t)(uintptr_t)%s", an[i]
		printf ");\n}\n"
	} else if (out == "kernel") {
		if (!slow)
			fast[++nf] = NAME
		if (raw) {
			proto[++np] = sprintf("long sys_%s(const uint64_t *a);", name)
			call[np] = sprintf("\tcase EXO_SYS_%s:\n\t\treturn sys_%s(a);", NAME, name)
			next
		}
		p = sprintf("long sys_%s(", name)
		c = sprintf("\tcase EXO_SYS_%s:\n\t\treturn sys_%s(", NAME, name)
		for (i = 1; i <= n; i++) {
			t = (at[i] ~ /\*$/) ? "uintptr_t" : at[i]
			p = p sprintf("%s%s %s", (i > 1 ? ", " : ""), t, an[i])
			c = c sprintf("%s(%s)a[%d]", (i > 1 ? ", " : ""), t, i - 1)
		}
		if (n == 0) p = p "void"
		proto[++np] = p ");"
		call[np] = c ");"
	}
}
END {
	if (out == "nr")
		printf "#define EXO_SYS_MAX %d\n", max
	if (out == "nr" || out == "stubs")
		print "\n#endif"
	if (out == "kernel") {
		for (i = 1; i <= np; i++) print proto[i]
		print "\n/* Call handler nr with the six raw argument registers. */"
		print "static inline long\nsyscall_dispatch(uint64_t nr, const uint64_t *a)\n{"
		print "\tswitch (nr) {"
		for (i = 1; i <= np; i++) print call[i]
		print "\tdefault:\n\t\treturn -EXO_ENOSYS;\n\t}\n}"
		print "\n/* Whether call nr may take the fast path (no '!' or '@'). */"
		print "static inline bool\nsyscall_is_fast(uint64_t nr)\n{"
		print "\tswitch (nr) {"
		for (i = 1; i <= nf; i++) print "\tcase EXO_SYS_" fast[i] ":"
		print "\t\treturn true;\n\tdefault:\n\t\treturn false;\n\t}\n}"
		print "\n#endif"
	}
}
