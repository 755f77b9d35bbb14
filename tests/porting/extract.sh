#!/bin/sh
# Extract the code of docs/PORTING.md, so the tutorial is built and run
# by `make test` and cannot drift from what works.
#
#   tests/porting/extract.sh DOC OUTDIR ARCH
#
# A fenced block preceded by the line
#     <!-- porting: FILE -->            (or: <!-- porting: FILE arch=ARCH -->)
# is appended to OUTDIR/FILE (blocks of other arches are skipped), so a
# file can grow step by step through the text.  A block preceded by
#     <!-- porting: expect -->
# lists lines the booted image must print, in that order; it goes to
# OUTDIR/expected.txt.  Every file is rewritten from scratch.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 DOC OUTDIR ARCH" >&2; exit 2; }
doc=$1 out=$2 arch=$3
mkdir -p "$out"
for f in "$out"/*; do [ -f "$f" ] && rm -f "$f"; done
awk -v out="$out" -v arch="$arch" '
function fail(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	bad = 1
	exit 1
}
/^<!-- porting: / {
	if (file != "")
		fail("a porting marker with no code block after it")
	file = $3
	if (file == "expect")
		file = "expected.txt"
	if (file !~ /^[A-Za-z0-9_.-]+$/)
		fail("bad file name \"" $3 "\"")
	skip = ($4 ~ /^arch=/ && $4 != "arch=" arch)
	if ($NF != "-->")
		fail("a porting marker must end with -->")
	next
}
/^```/ {
	if (inblock) {
		inblock = 0
		file = ""
		next
	}
	if (file != "") {
		inblock = 1
		next
	}
}
inblock && !skip {
	print > (out "/" file)
	n++
}
END {
	if (bad)
		exit 1
	if (inblock)
		fail("a code block is not closed")
	if (n == 0)
		fail("no marked code blocks")
}
' "$doc"
