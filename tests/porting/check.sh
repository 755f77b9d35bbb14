#!/bin/sh
# Check a boot log against the lines docs/PORTING.md says its example
# prints (extract.sh's expected.txt): each must appear, whole and in
# order; anything may come between them (the kernel's own log).
#
#   tests/porting/check.sh EXPECTED LOG
#
# Exit status 0 if all are there; otherwise the first missing line is
# named on stderr.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 EXPECTED LOG" >&2; exit 2; }
tr -d '\r' <"$2" | awk -v expfile="$1" '
BEGIN {
	while ((getline line < expfile) > 0)
		want[n++] = line
	if (n == 0) {
		print "check.sh: no expected lines in " expfile > "/dev/stderr"
		exit 2
	}
}
i < n && $0 == want[i] { i++ }
END {
	if (n == 0)
		exit 2
	if (i < n) {
		printf "missing, in order: \"%s\"\n", want[i] > "/dev/stderr"
		exit 1
	}
}
'
