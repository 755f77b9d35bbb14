#!/bin/sh
# A scripted session with the posix-shell image's busybox shell, typed
# into the serial console of a QEMU boot (its stdin, through a FIFO).
#
#   tests/shell/run.sh ARCH KERNEL INITRD [LOGDIR]
#
# Prints one "PASS ARCH/shell/NAME" or "FAIL ARCH/shell/NAME: why" line
# per case; the exit status is non-zero if a case failed.  Each command
# line ends with `echo "@@END" N`: the lines between the shell's echo of
# the typed line and the line "@@END N" are the command's output.
set -u

[ $# -ge 3 ] || { echo "usage: $0 ARCH KERNEL INITRD [LOGDIR]" >&2; exit 2; }
arch=$1 kernel=$2 initrd=$3 dir=${4:-build/$1/shell-test}
WAIT=${SHELL_CASE_TIMEOUT:-60} # seconds a case may take
failed=0

mkdir -p "$dir" || exit 2
log=$dir/console.log fifo=$dir/input
rm -f "$fifo" "$log"
mkfifo "$fifo" || exit 2
if [ ! -f "$initrd" ] || [ ! -f "$kernel" ]; then
	echo "FAIL $arch/shell/boot: $kernel or $initrd missing"
	exit 1
fi
sh mk/qemu.sh --arch "$arch" --kernel "$kernel" --initrd "$initrd" \
	--timeout $((WAIT * 12)) <"$fifo" >"$log" 2>&1 &
qemu=$!
exec 3>"$fifo"

# The console so far, without CRs and terminal escape sequences.
console() {
	tr -d '\r' <"$log" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g'
}

# Wait until the console has a line matching the extended regex $1.
wait_line() {
	t=0
	while ! console | grep -qE -- "$1"; do
		kill -0 $qemu 2>/dev/null || return 1
		[ $t -ge $((WAIT * 10)) ] && return 1
		sleep 0.1
		t=$((t + 1))
	done
}

result() { # NAME why-or-empty
	if [ -z "$2" ]; then
		echo "PASS $arch/shell/$1"
	else
		echo "FAIL $arch/shell/$1: $2 (log: $log)"
		failed=1
	fi
}

n=0
# run NAME COMMAND [LINES...]: type the command line, then the lines it
# reads from the console (a here-document's, or a program's); the output
# it printed goes in $out.
run() {
	name=$1 cmd=$2
	n=$((n + 1))
	shift 2
	printf '%s; echo "@@END" %s\r' "$cmd" $n >&3
	# Lines for the command itself go once the shell has taken its
	# line (and so left the console to the command).
	[ $# -gt 0 ] && ! wait_line "\"@@END\" $n\$" && {
		result "$name" "the shell did not take \`$cmd\`"
		return 1
	}
	for line in "$@"; do
		printf '%s\r' "$line" >&3
	done
	out=
	if ! wait_line "^@@END $n\$"; then
		result "$name" "no end marker after \`$cmd\`"
		return 1
	fi
	out=$(console | awk -v n="$n" '
		index($0, "\"@@END\" " n) && !on { on = 1; next }
		on && $0 == "@@END " n { exit }
		on { print }')
}

expect_out() { # NAME COMMAND WANT
	run "$1" "$2" || return
	if [ "$out" = "$3" ]; then
		result "$1" ""
	else
		result "$1" "\`$2\` printed '$out', not '$3'"
	fi
}

# NAME COMMAND FLAG WHAT WANT...: each WANT must be found in the output by
# grep -qFFLAG (w: a word, x: a whole line).
expect_each() {
	name=$1 cmd=$2 flag=$3 what=$4
	shift 4
	run "$name" "$cmd" || return
	for want in "$@"; do
		if ! printf '%s\n' "$out" | grep -qF"$flag" -- "$want"; then
			result "$name" "\`$cmd\` printed no $what '$want'"
			return
		fi
	done
	result "$name" ""
}

expect_words() { # NAME COMMAND WORD... (each must be a word of the output)
	ew_name=$1 ew_cmd=$2
	shift 2
	expect_each "$ew_name" "$ew_cmd" w word "$@"
}

expect_lines() { # NAME COMMAND LINE... (each must be a line of the output)
	el_name=$1 el_cmd=$2
	shift 2
	expect_each "$el_name" "$el_cmd" x line "$@"
}

if wait_line '^/ # ' || wait_line '/ # $'; then
	result prompt ""
else
	result prompt "no prompt"
fi

expect_out echo 'echo hel""lo   wor""ld' "hello world"
# Line editing in busybox (raw mode): DEL and ^H erase.
expect_out edit "$(printf 'echo abX\177c x\010y')" "abc y"
# The line discipline (canonical mode) under cat: DEL erases, ^U kills
# the line, ^C (no signals yet) discards it, ^D on an empty line ends
# the input.
run canonical cat "$(printf 'ab\177c')" "$(printf 'xyz\025q')" \
	"$(printf 'junk\003ok')" "$(printf '\004')" &&
	if printf '%s\n' "$out" | grep -qx ac &&
		printf '%s\n' "$out" | grep -qx q &&
		[ "$(printf '%s\n' "$out" | grep -cx ok)" = 2 ] &&
		! printf '%s\n' "$out" | grep -q junkok; then
		result canonical ""
	else
		result canonical "cat read the wrong lines: '$out'"
	fi
# ^C at the prompt: busybox drops the line; with no signal to deliver
# yet, ash takes it as the end of input, which the image's shrc
# (ignoreeof) answers with a hint and a new prompt.
printf 'echo lo""st\003' >&3
if ! wait_line 'Use "exit" to leave shell'; then
	result interrupt "no new prompt after ^C"
elif run interrupt 'echo al""ive'; then
	if [ "$out" != alive ] || console | grep -qx lost; then
		result interrupt "after ^C the shell printed '$out'"
	else
		result interrupt ""
	fi
fi
expect_words ls 'ls /bin' sh cat ls busybox
expect_out cat 'cat /etc/motd' \
	"Welcome to Exo: busybox runs unmodified on libos-posix."
expect_out pipeline "echo c b a | tr ' ' '\\n' | sort" "a
b
c"
expect_out redirect 'echo red""irected > /f; echo more >> /f; cat < /f' \
	"redirected
more"
# Here-document lines echo after the continuation prompt; their
# expansion is the output.
run heredoc 'cat <<E' 'v=$((40 + 2))' 'E' &&
	if printf '%s\n' "$out" | grep -qx 'v=42'; then
		result heredoc ""
	else
		result heredoc "the here-document printed '$out'"
	fi
expect_out sh-c "sh -c 'echo in\$((1 + 1)); exit 7'; echo st=\$?" "in2
st=7"
expect_out status 'false; echo st$?; true; echo st$?' "st1
st0"
printf 'exit 3\r' >&3
wait $qemu
rc=$?
if console | grep -q '^root: the shell exited with status 3$'; then
	result exit ""
else
	result exit "the shell did not exit with status 3 (qemu status $rc)"
fi
exec 3>&-
rm -f "$fifo"
exit $failed
