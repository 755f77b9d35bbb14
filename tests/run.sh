#!/usr/bin/env bash
# The Exo test runner.  `make test` builds everything and calls it.
#
#   tests/run.sh [--filter REGEX] [--arch ARCH] [--only-unit] [--jobs N]
#
# Runs, in order: the clang-format check, the host unit tests (Check, under
# ASan/UBSan), and the in-QEMU cases of every arch, one boot per case.  It
# prints one "PASS name" or "FAIL name: why" line per case and ends with
# "N passed, N failed"; the exit status is non-zero if anything failed.
# Case names look like style/clang-format, unit/pm/named_frames,
# x86_64/timer_rate; --filter selects them by regular expression.
#
# In-QEMU protocol (exo/include/kernel/ktest.h): the test kernel boots with
# "test=NAME", prints "PASS NAME" or "FAIL NAME: ..." and halts; the halt
# status comes back through mk/qemu.sh.  A case marked "panics" passes only
# if the kernel reports a panic and QEMU stops with the panic status, which
# proves a panic is caught as a failure rather than a hang.  Every boot has a
# timeout, so a hung kernel is a FAIL, never a hung runner.
set -u
cd "$(dirname "$0")/.." || exit 2

filter=. only_unit=0 jobs=$(nproc 2>/dev/null || echo 2)
arches="x86_64 aarch64"
while [ $# -gt 0 ]; do
	case "$1" in
	--filter) filter=$2; shift ;;
	--arch) arches=$2; shift ;;
	--only-unit) only_unit=1 ;;
	--jobs) jobs=$2; shift ;;
	--case)
		shift
		[ $# -ge 4 ] || { echo "run.sh: --case ARCH IMAGE NAME KIND [MODE]" >&2; exit 2; }
		exec_case=("$@")
		break
		;;
	*) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done

OUT=${TEST_OUT:-build/test-results} # logs and results of this run
CASE_TIMEOUT=${CASE_TIMEOUT:-60}

# --- one in-QEMU case (run in parallel through xargs) ------------------------
# --case ARCH IMAGE NAME KIND [icount]: KIND is "pass" (expects PASS NAME
# and status 0), "panics" (expects a PANIC line and status 2), "boot"
# (expects the banner and status 0 from a production image; IMAGE may be
# iso:FILE) or "image" (a demo image runs to its end); "icount" boots in
# the deterministic mode.
run_case() {
	local arch=$1 image=$2 name=$3 kind=$4 mode=${5:-}
	local log="$OUT/$arch/$name.log" res="$OUT/$arch/$name.res"
	local args=(--arch "$arch" --timeout "$CASE_TIMEOUT")
	local tname=$name expect=
	case $name in # user/X and native/X are X in their own test root env
	user/* | native/*) tname=${name#*/} ;;
	esac
	[ "$mode" = icount ] && args+=(--icount)
	mkdir -p "$(dirname "$log")"
	case "$image" in
	iso:*) args+=(--iso "${image#iso:}") ;;
	uefi:*) args+=(--iso "${image#uefi:}" --uefi) ;;
	*,*)
		args+=(--kernel "${image%,*}" --initrd "${image#*,}")
		expect=${image#*,}
		expect=${expect%.cpio}.expect
		;;
	*) args+=(--kernel "$image") ;;
	esac
	[ "$kind" = pass ] || [ "$kind" = panics ] && args+=(--append "test=$tname")
	sh mk/qemu.sh "${args[@]}" </dev/null >"$log" 2>&1
	local rc=$? ok=0 why=
	tr -d '\r' <"$log" >"$log.txt" && mv "$log.txt" "$log"
	case "$kind" in
	pass) [ $rc -eq 0 ] && grep -qx "PASS $tname" "$log" && ok=1 ;;
	panics) [ $rc -eq 2 ] && grep -q '^PANIC: ' "$log" && ok=1 ;;
	boot) [ $rc -eq 0 ] && grep -q '^Exo .*booted by' "$log" && ok=1 ;;
	image)
		[ $rc -eq 0 ] && grep -q '^root: the image is done' "$log" &&
			! grep -q 'panic' "$log" && ok=1
		# An image may list lines it must print (images/porting/).
		if [ $ok = 1 ] && [ -f "$expect" ] &&
			! sh tests/porting/check.sh "$expect" "$log" 2>"$log.why"; then
			ok=0
		fi
		;;
	esac
	if [ $ok = 0 ]; then
		why=$(grep -m1 "^FAIL $tname" "$log")
		case $rc in
		0) why=${why:-"no PASS line"} ;;
		2) [ "$kind" = panics ] && why="panic status without a PANIC line" ||
			why="kernel $(grep -m1 '^PANIC: ' "$log")" ;;
		124) why="timed out after ${CASE_TIMEOUT}s" ;;
		*) why="${why:+$why; }halt status $rc" ;;
		esac
		[ "$kind" = boot ] && [ $rc -eq 0 ] && why="no boot banner"
		[ "$kind" = image ] && [ $rc -eq 0 ] && why="the image did not finish cleanly"
		[ -s "$log.why" ] && why=$(cat "$log.why")
	fi
	if [ $ok = 1 ]; then
		echo "PASS $arch/$name" >"$res"
	else
		echo "FAIL $arch/$name: $why (log: $log)" >"$res"
	fi
	# An image that checks things itself reports each as its own case.
	[ "$kind" = image ] && grep -E '^(PASS|FAIL) [^ :]+' "$log" |
		sed -E "s@^(PASS|FAIL) @\1 $arch/$name/@" >>"$res"
}
if [ -n "${exec_case+x}" ]; then
	run_case "${exec_case[@]}"
	exit 0
fi

# --- bookkeeping --------------------------------------------------------------
pass=0 fail=0
report() { # "PASS name" | "FAIL name: why"
	echo "$1"
	case "$1" in
	PASS*) pass=$((pass + 1)) ;;
	*) fail=$((fail + 1)) ;;
	esac
}
selected() { echo "$1" | grep -qE -- "$filter"; }

rm -rf "$OUT"
mkdir -p "$OUT"

# --- style --------------------------------------------------------------------
if [ $only_unit = 0 ] && selected style/clang-format; then
	files=$(git ls-files --cached --others --exclude-standard '*.c' '*.h' \
		2>/dev/null | while read -r f; do [ -f "$f" ] && echo "$f"; done)
	[ -n "$files" ] || files=$(find exo bindings tests libos-posix \
		libos-native drivers bench images -name '*.[ch]' 2>/dev/null)
	# shellcheck disable=SC2086
	if clang-format --dry-run --Werror $files >"$OUT/clang-format.log" 2>&1; then
		report "PASS style/clang-format"
	else
		report "FAIL style/clang-format: run 'make format' ($(grep -c 'error:' "$OUT/clang-format.log") places; log: $OUT/clang-format.log)"
	fi
fi

# --- host unit tests ----------------------------------------------------------
for bin in build/host/unit/*; do
	[ -x "$bin" ] && [ -f "$bin" ] || continue
	suite=$(basename "$bin")
	selected "unit/$suite/" || continue
	tap="$OUT/unit-$suite.tap"
	CK_TAP_LOG_FILE_NAME=$tap CK_VERBOSITY=silent "$bin" \
		>"$OUT/unit-$suite.log" 2>&1
	rc=$?
	seen=0
	declare -A reps=()
	while read -r status rest; do
		case "$status" in
		ok | not) ;;
		*) continue ;;
		esac
		[ "$status" = not ] && rest=${rest#ok }
		# "N - file:tcase:test: message"
		desc=${rest#* - }
		tname=$(echo "$desc" | cut -d: -f3)
		msg=$(echo "$desc" | cut -d: -f4-)
		name="unit/$suite/$tname"
		# Loop tests repeat a name: number the repeats (#1, #2, ...).
		reps[$tname]=$((${reps[$tname]:-0} + 1))
		[ "${reps[$tname]}" -gt 1 ] && name="$name#$((${reps[$tname]} - 1))"
		selected "$name" || continue
		seen=$((seen + 1))
		if [ "$status" = ok ]; then
			report "PASS $name"
		else
			report "FAIL $name:$msg"
		fi
	done <"$tap"
	unset reps
	if [ $seen = 0 ] || { [ $rc -ne 0 ] && ! grep -q '^not ok' "$tap"; }; then
		report "FAIL unit/$suite/: exit status $rc (log: $OUT/unit-$suite.log)"
	fi
done
if [ $only_unit = 1 ]; then
	echo "$pass passed, $fail failed"
	[ $fail = 0 ]
	exit
fi

# --- in-QEMU cases ------------------------------------------------------------
# root_cases ARCH KERNEL PREFIX INITRD: queue the cases a test root env in
# build/ARCH/INITRD lists (test=list), named ARCH/PREFIX/NAME.
root_cases() {
	local arch=$1 img=$2 prefix=$3 rd=build/$1/$4
	local list="$OUT/$arch/$prefix-list.log" rc name kind

	if [ ! -f "$rd" ]; then
		report "FAIL $arch/$prefix/list: $rd missing (run 'make test')"
		return
	fi
	sh mk/qemu.sh --arch "$arch" --kernel "$img" --initrd "$rd" \
		--append test=list --timeout "$CASE_TIMEOUT" </dev/null \
		>"$list" 2>&1
	rc=$?
	tr -d '\r' <"$list" | grep '^CASE ' >"$list.cases"
	if [ $rc -ne 0 ] || [ ! -s "$list.cases" ]; then
		report "FAIL $arch/$prefix/list: the test root env did not list its cases (status $rc; log: $list)"
		return
	fi
	while read -r _ name kind; do
		selected "$arch/$prefix/$name" || continue
		echo "$arch $img,$rd $prefix/$name ${kind:-pass}" >>"$jobfile"
	done <"$list.cases"
}

jobfile="$OUT/jobs"
: >"$jobfile"
for arch in $arches; do
	case $arch in
	x86_64) img=build/x86_64/exo.elf timg=build/x86_64/exo-test.elf ;;
	aarch64) img=build/aarch64/exo.bin timg=build/aarch64/exo-test.bin ;;
	*) echo "run.sh: unknown arch $arch" >&2; exit 2 ;;
	esac
	mkdir -p "$OUT/$arch"
	if [ ! -f "$img" ] || [ ! -f "$timg" ]; then
		report "FAIL $arch/build: $img or $timg missing (run 'make test')"
		continue
	fi
	selected "$arch/boot_banner" && echo "$arch $img boot_banner boot" >>"$jobfile"
	for image in build/$arch/images/*.cpio; do
		[ -f "$image" ] || continue
		name=image/$(basename "$image" .cpio)
		# The interactive shell waits for input: tests/shell/run.sh
		# types into it (below).
		[ "$name" = image/posix-shell ] && continue
		selected "$arch/$name" && echo "$arch $img,$image $name image" >>"$jobfile"
	done
	if [ "$arch" = x86_64 ] && selected "$arch/iso_bios"; then
		echo "$arch iso:build/x86_64/exo.iso iso_bios boot" >>"$jobfile"
	fi
	if [ "$arch" = x86_64 ] && selected "$arch/iso_uefi"; then
		echo "$arch uefi:build/x86_64/exo.iso iso_uefi boot" >>"$jobfile"
	fi
	sh mk/qemu.sh --arch "$arch" --kernel "$timg" --append test=list \
		--timeout "$CASE_TIMEOUT" </dev/null >"$OUT/$arch/list.log" 2>&1
	rc=$?
	tr -d '\r' <"$OUT/$arch/list.log" | grep '^CASE ' >"$OUT/$arch/cases"
	if [ $rc -ne 0 ] || [ ! -s "$OUT/$arch/cases" ]; then
		report "FAIL $arch/list: the test kernel did not list its cases (status $rc; log: $OUT/$arch/list.log)"
		continue
	fi
	while read -r _ name kind mode; do
		selected "$arch/$name" || continue
		echo "$arch $timg $name ${kind:-pass}${mode:+ $mode}" >>"$jobfile"
	done <"$OUT/$arch/cases"

	# User-mode cases (tests/user/) and libos-native's (tests/native/):
	# the production kernel with their own test root env.
	root_cases "$arch" "$img" user test-initrd.cpio
	root_cases "$arch" "$img" native native-test-initrd.cpio
done

# Scripted sessions with the interactive shell image, one per arch, next
# to the other cases.
for arch in $arches; do
	selected "$arch/shell/" || continue
	case $arch in
	x86_64) img=build/x86_64/exo.elf ;;
	aarch64) img=build/aarch64/exo.bin ;;
	esac
	sh tests/shell/run.sh "$arch" "$img" "build/$arch/images/posix-shell.cpio" \
		"$OUT/$arch/shell" >"$OUT/$arch/shell.res" 2>&1 &
done
xargs -r -P "$jobs" -L 1 bash tests/run.sh --case <"$jobfile"
wait
while read -r arch _ name _; do
	if [ -f "$OUT/$arch/$name.res" ]; then
		while IFS= read -r line; do
			report "$line"
		done <"$OUT/$arch/$name.res"
	else
		report "FAIL $arch/$name: the runner lost this case"
	fi
done <"$jobfile"

for arch in $arches; do
	[ -f "$OUT/$arch/shell.res" ] || continue
	while IFS= read -r line; do
		report "$line"
	done <"$OUT/$arch/shell.res"
done

echo "$pass passed, $fail failed"
[ $fail = 0 ]
