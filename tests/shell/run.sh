#!/bin/sh
# A scripted session with the posix-shell image's busybox shell, typed
# into the serial console of a QEMU boot (its stdin, through a FIFO).
#
#   tests/shell/run.sh ARCH KERNEL INITRD [LOGDIR]
#
# Prints one "PASS ARCH/shell/NAME" or "FAIL ARCH/shell/NAME: why" line
# per case; the exit status is non-zero if a case failed.  Each command
# line ends with `echo "@@END" N`: the lines between the shell's echo of
# the typed line and the line "@@END N" are the command's output.  A
# case that leaves the shell hung or dead fails and the image boots
# again (console.2.log, ...), so the cases after it still run; cases
# that may hang have a short limit (limit=SECONDS before the helper).
# LOGDIR/times gets how long the 200 forks took.
set -u

[ $# -ge 3 ] || { echo "usage: $0 ARCH KERNEL INITRD [LOGDIR]" >&2; exit 2; }
arch=$1 kernel=$2 initrd=$3 dir=${4:-build/$1/shell-test}
WAIT=${SHELL_CASE_TIMEOUT:-60} # seconds a case may take
PROMPT='/ # '
failed=0 boots=0 qemu='' dead=''

mkdir -p "$dir" || exit 2
if [ ! -f "$initrd" ] || [ ! -f "$kernel" ]; then
	echo "FAIL $arch/shell/boot: $kernel or $initrd missing"
	exit 1
fi

# Boot the image with a fresh console log and FIFO on fd 3.
boot() {
	boots=$((boots + 1))
	log=$dir/console.log fifo=$dir/input
	[ $boots -gt 1 ] && log=$dir/console.$boots.log
	rm -f "$fifo" "$log"
	# There before QEMU's shell opens it, which waits for the FIFO.
	: >"$log"
	mkfifo "$fifo" || exit 2
	sh mk/qemu.sh --arch "$arch" --kernel "$kernel" --initrd "$initrd" \
		--timeout $((WAIT * 12)) <"$fifo" >"$log" 2>&1 &
	qemu=$!
	exec 3>"$fifo"
}

# Stop this session's QEMU (mk/qemu.sh runs it under timeout, which
# passes the signal on) and boot a new shell for the cases left.
reboot() {
	pkill -TERM -P "$qemu" 2>/dev/null
	wait "$qemu"
	exec 3>&-
	boot
	limit=$WAIT wait_line "^$PROMPT" || dead="the shell did not boot again"
}

# The console so far, without CRs and terminal escape sequences.
console() {
	tr -d '\r' <"$log" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g'
}

# wait_line RE [RE2]: wait until the console has a line matching the
# extended regex RE (and then a later line matching RE2), at most
# $limit seconds (default $WAIT).  It looks less often after the first
# two seconds: each look costs processes that slow QEMU down.
wait_line() {
	t=0 dt=1
	while ! console | awk -v a="$1" -v b="${2-}" '
		!seen && $0 ~ a { seen = 1; if (b == "") exit; next }
		seen && b != "" && $0 ~ b { found = 1; exit }
		END { exit !(seen && (b == "" || found)) }'; do
		kill -0 "$qemu" 2>/dev/null || return 1
		[ $t -ge $((${limit:-$WAIT} * 10)) ] && return 1
		[ $t -ge 20 ] && dt=5
		sleep "0.$dt"
		t=$((t + dt))
	done
}

result() { # NAME why-or-empty
	if [ -z "$2" ]; then
		echo "PASS $arch/shell/$1"
	else
		# One line: the runner counts every line that is not a PASS.
		echo "FAIL $arch/shell/$1: $2 (log: $log)" |
			awk 'NR > 1 { printf "\\n" } { printf "%s", $0 } END { print "" }'
		failed=1
	fi
}

hung() { # NAME why: the case left the shell hung or dead
	result "$1" "$2"
	reboot
}

n=0
# run NAME COMMAND [LINES...]: type the command line, then the lines it
# reads from the console (a here-document's, or a program's); the output
# it printed goes in $out.  Busybox wraps lines at the console's 80
# columns, which would split the marker: a case's line must fit.
run() {
	name=$1 cmd=$2
	n=$((n + 1))
	shift 2
	out=
	[ -n "$dead" ] && { result "$name" "$dead"; return 1; }
	extra=0
	[ -n "${ready:-}" ] && extra=$((13 + ${#n})) # echo "@@GO" N;
	if [ $((${#PROMPT} + ${#cmd} + ${#n} + 15 + extra)) -ge 80 ]; then
		result "$name" "\`$cmd\` is too long for one console line"
		return 1
	fi
	# Lines for the command itself go once the shell has taken its
	# line: for lines the shell reads (a here-document), once it echoed
	# it; for a program's (ready=1), once the command runs, so that they
	# do not reach the terminal while ash's line editor still has it in
	# raw mode.
	if [ -n "${ready:-}" ]; then
		printf 'echo "@@GO" %s; %s; echo "@@END" %s\r' $n "$cmd" $n >&3
		go="^@@GO $n\$"
	else
		printf '%s; echo "@@END" %s\r' "$cmd" $n >&3
		go="\"@@END\" $n\$"
	fi
	[ $# -gt 0 ] && ! wait_line "$go" && {
		hung "$name" "the shell did not take \`$cmd\`"
		return 1
	}
	for line in "$@"; do
		printf '%s\r' "$line" >&3
	done
	if ! wait_line "^@@END $n\$"; then
		hung "$name" "no end marker after \`$cmd\` in ${limit:-$WAIT}s"
		return 1
	fi
	out=$(console | awk -v n="$n" '
		index($0, "\"@@END\" " n) && !on { on = 1; next }
		on && $0 == "@@GO " n { next }
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

# NAME COMMAND FLAGS WHAT WANT...: each WANT must be found in the output
# by grep -qFLAGS (Fw: a word, Fx: a whole line, Ex: a line matching).
expect_each() {
	name=$1 cmd=$2 flags=$3 what=$4
	shift 4
	run "$name" "$cmd" || return
	for want in "$@"; do
		if ! printf '%s\n' "$out" | grep -q"$flags" -- "$want"; then
			result "$name" \
				"\`$cmd\` printed no $what '$want': '$out'"
			return
		fi
	done
	result "$name" ""
}

expect_words() { # NAME COMMAND WORD... (each must be a word of the output)
	ew_name=$1 ew_cmd=$2
	shift 2
	expect_each "$ew_name" "$ew_cmd" Fw word "$@"
}

expect_lines() { # NAME COMMAND LINE... (each must be a line of the output)
	el_name=$1 el_cmd=$2
	shift 2
	expect_each "$el_name" "$el_cmd" Fx line "$@"
}

expect_match() { # NAME COMMAND ERE... (each must match a whole line)
	em_name=$1 em_cmd=$2
	shift 2
	expect_each "$em_name" "$em_cmd" Ex "line matching" "$@"
}

boot
if limit=$WAIT wait_line "^$PROMPT"; then
	result prompt ""
else
	result prompt "no prompt"
	dead="no shell"
fi

expect_out echo 'echo hel""lo   wor""ld' "hello world"
# Line editing in busybox (raw mode): DEL and ^H erase.
expect_out edit "$(printf 'echo abX\177c x\010y')" "abc y"
# The line discipline (canonical mode) under cat: DEL erases, ^U kills
# the line, ^D on an empty line ends the input.  (Lines echo as the
# terminal takes them, which may be before cat prints earlier ones.)
ready=1 run canonical cat "$(printf 'ab\177c')" "$(printf 'xyz\025q')" \
	"$(printf '\004')" &&
	if printf '%s\n' "$out" | grep -qx ac &&
		printf '%s\n' "$out" | grep -qx q &&
		[ "$(printf '%s\n' "$out" | grep -c .)" = 4 ]; then
		result canonical ""
	else
		result canonical "cat read the wrong lines: '$out'"
	fi
# ^C at the prompt: busybox drops the line (its SIGINT handler) and ash
# prompts again; the shell stays.
[ -z "$dead" ] && printf 'echo lo""st\003' >&3
if [ -z "$dead" ] && ! wait_line 'echo lo""st' "^$PROMPT"; then
	hung interrupt "no new prompt after ^C"
elif run interrupt 'echo al""ive'; then
	if [ "$out" != alive ] || console | grep -qx lost; then
		result interrupt "after ^C the shell printed '$out'"
	else
		result interrupt ""
	fi
fi
expect_words ls 'ls /bin' sh cat ls busybox true ps
# Times count from boot (there is no real-time clock): do not depend
# on them.
when='[A-Z][a-z][a-z] +[0-9]+ +[0-9:]+'
expect_match ls-l 'ls -l /' '^total [0-9]+$' \
	"^drwxr-xr-x +[0-9]+ root +root +[0-9]+ $when bin\$" \
	"^drwxr-xr-x +[0-9]+ root +root +[0-9]+ $when boot\$" \
	"^drwxr-xr-x +[0-9]+ root +root +[0-9]+ $when etc\$"
expect_match ls-l-file 'ls -l /etc/motd' \
	"^-rw-r--r-- +1 root +root +56 $when /etc/motd\$"
expect_out cat 'cat /etc/motd' \
	"Welcome to Exo: busybox runs unmodified on libos-posix."
expect_out pipeline "echo c b a | tr ' ' '\\n' | sort" "a
b
c"
expect_out redirect 'echo red""irected > /f; echo more >> /f; cat < /f' \
	"redirected
more"
expect_out redirect-err 'ls /nope 2>/f; echo st=$?; wc -l </f; cat /f' "st=1
1
ls: /nope: No such file or directory"
# Here-document lines echo after the continuation prompt; their
# expansion is the output.
run heredoc 'cat <<E' 'v=$((40 + 2))' 'E' &&
	if [ "$out" = "> v=\$((40 + 2))
> E
v=42" ]; then
		result heredoc ""
	else
		result heredoc "the here-document printed '$out'"
	fi
expect_out sh-c "sh -c 'echo in\$((1 + 1)); exit 7'; echo st=\$?" "in2
st=7"
expect_out sh-c-nested \
	"sh -c 'sh -c \"exit 4\"; exit \$((\$? + 1))'; echo \$?" 5
expect_out status 'false; echo st$?; true; echo st$?' "st1
st0"
expect_out status-pipe 'true | false; echo $?; false | true; echo $?' "1
0"
expect_out status-not '! sh -c "exit 9"; echo $?; ! true; echo $?' "0
1"

# Tools over files made in the ramfs (there is no mkdir yet: /etc).
expect_out files "printf 'pear 3\\napple 10\\nfig 7\\n' >/etc/a; cat /etc/a" \
	"pear 3
apple 10
fig 7"
expect_out files-2 "printf 'kiwi 2\\nplum 5\\nlime 4\\n' >/etc/b; cat /etc/b" \
	"kiwi 2
plum 5
lime 4"
expect_out find "find /etc -type f -name '?' | sort" "/etc/a
/etc/b"
expect_out grep 'grep -n p /etc/a /etc/b' "/etc/a:1:pear 3
/etc/a:2:apple 10
/etc/b:2:plum 5"
expect_out sed "sed -e 's/[0-9]*\$/<&>/' -e '/fig/d' /etc/a" "pear <3>
apple <10>"
expect_out awk "awk '{ s += \$2 } END { print NR, s }' /etc/a /etc/b" "6 31"
expect_out sort 'sort -k2 -n /etc/a /etc/b' "kiwi 2
pear 3
lime 4
plum 5
fig 7
apple 10"
expect_out wc 'wc -l /etc/a /etc/b; wc -c </etc/b' "        3 /etc/a
        3 /etc/b
        6 total
21"
expect_lines ls-etc 'ls -1a /etc' . .. a b motd
expect_out pipeline-files 'cat /etc/a /etc/b | grep -v i | sort -r' "plum 5
pear 3
apple 10"

# procfs and the directory calls.
expect_match meminfo 'cat /proc/meminfo' '^MemTotal: +[1-9][0-9]* kB$'
# ps lists the shell ($$) and itself (the pid `sh -c` had before it
# executed /bin/ps; without the path busybox would run ps in the shell's
# process); busybox shows "{name} argv" when the process's name is not
# argv[0]'s.
run ps "echo \$\$; sh -c 'echo \$\$; exec /bin/ps'" && {
	sh_pid=$(printf '%s\n' "$out" | sed -n 1p)
	ps_pid=$(printf '%s\n' "$out" | sed -n 2p)
	list=$(printf '%s\n' "$out" | sed 1,2d)
	if ! printf '%s\n' "$list" | grep -qx 'PID   USER     COMMAND'; then
		result ps "no ps header in '$out'"
	elif ! printf '%s\n' "$list" |
		grep -qE "^ *$sh_pid +[^ ]+ +(\\{[^}]*\\} )?sh\$"; then
		result ps "no line for the shell (pid $sh_pid) in '$out'"
	elif ! printf '%s\n' "$list" |
		grep -qE "^ *$ps_pid +[^ ]+ +(\\{[^}]*\\} )?/bin/ps\$"; then
		result ps "no line for ps (pid $ps_pid) in '$out'"
	else
		result ps ""
	fi
}
expect_out mkdir 'mkdir /d && echo x >/d/f && mv /d/f /d/g && ls /d' g
expect_out rmdir 'cat /d/g; rm /d/g && rmdir /d; echo st=$?; ls /d' "x
st=0
ls: /d: No such file or directory"
# 200 fork+exec of /bin/true leak no frame of the shell's env: its
# resident count (statm's second field, the kernel's per-env counter)
# read without forking before and after them is the same.  A first
# round of 10 takes what the shell legitimately keeps after its first
# forks.
run forks-warm "cat >/etc/forks <<'E'" \
	'read -r s a x </proc/self/statm' \
	'i=0; while [ $i -lt $1 ]; do /bin/true; i=$((i + 1)); done' \
	'read -r s b x </proc/self/statm' 'echo $a $b' 'E' &&
	expect_match forks-warm '. /etc/forks 10' '^[1-9][0-9]* [1-9][0-9]*$'
t0=$(date +%s)
limit=$((WAIT * 3)) run forks '. /etc/forks 200' && {
	t1=$(date +%s)
	if ! printf '%s\n' "$out" | grep -qxE '[1-9][0-9]* [1-9][0-9]*'; then
		result forks "200 forks printed '$out'"
	elif [ "${out% *}" != "${out#* }" ]; then
		result forks "resident frames before and after 200 forks: $out"
	else
		result forks ""
	fi
	echo "$arch/shell/forks: 200 forks took $((t1 - t0))s" >>"$dir/times"
}

expect_out symlink 'ln -s /etc/motd /tmp/m; readlink /tmp/m; cat /tmp/m' \
	"/etc/motd
Welcome to Exo: busybox runs unmodified on libos-posix."
# Who we are, the file system, and a file's time.
expect_out id 'id' "uid=0(root) gid=0(root)"
expect_match df 'df / | tail -1' \
	'^ramfs +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+% /$'
expect_out touch 'touch -d 2001-02-03 /tmp/t1; date -r /tmp/t1 +%F' \
	"2001-02-03"

# Jobs and signals.
expect_out trap "trap 'echo got' USR1; kill -USR1 \$\$; trap - USR1" got
limit=20 expect_out sh-kill "sh -c 'kill -TERM \$\$'; echo \$?" "Terminated
143"
limit=20 expect_out jobs 'sleep 2 & jobs; wait $!; echo st=$?; jobs' \
	"[1]+  Running                    sleep 2
st=0
[1]+  Done                       sleep 2"
# An interactive ash's child ignores SIGTERM until it is set up: give
# sleep a second to start before killing it.  The status is what these
# check: ash prints "Terminated" or "Killed" from `wait` only if that
# wait reaps the job, and about one run in thirty (aarch64, a loaded
# host) `wait` printed nothing and the job's line came at the next
# prompt: a difference from Linux not explained yet.  sh-kill checks a
# foreground kill's message.
limit=20 expect_out kill-term \
	'sleep 30 & sleep 1; kill $!; wait $! 2>/dev/null; echo $?' 143
limit=20 expect_out kill-9 'sleep 30 & kill -9 $!; wait $! 2>/dev/null; echo $?' \
	137
# A background job that reads the terminal stops (SIGTTIN); kill -9
# ends it even stopped.
limit=20 expect_out ttin 'cat & sleep 1; jobs; kill -9 %1; sleep 1; jobs' \
	"[1]+  Stopped (tty input)        cat
[1]+  Killed                     cat"
# A background job that computes without system calls hears kill.
limit=20 expect_out kill-busy \
	"sh -c 'while :;do :;done'&sleep 1;kill \$!;wait \$!;echo \$?" \
	"Terminated
143"

# ctrl_c NAME COMMAND: ^C while COMMAND runs in the foreground kills it
# (the line's rest is dropped) and the shell prompts again at once with
# $? = 130.
ctrl_c() {
	cc_name=$1 cc_cmd=$2
	n=$((n + 1))
	[ -z "$dead" ] && printf '%s; echo af""ter %s\r' "$cc_cmd" $n >&3
	if [ -z "$dead" ] && ! wait_line "; echo af\"\"ter $n\$"; then
		hung "$cc_name" "the shell did not take \`$cc_cmd\`"
	elif [ -z "$dead" ]; then
		sleep 1
		printf '\003' >&3
		if ! limit=10 wait_line "; echo af\"\"ter $n\$" "^$PROMPT"; then
			hung "$cc_name" "no prompt within 10s of ^C at \`$cc_cmd\`"
		elif run "$cc_name" 'echo st=$?'; then
			if [ "$out" != st=130 ] ||
				console | grep -qx "after $n"; then
				result "$cc_name" "after ^C the shell printed '$out'"
			else
				result "$cc_name" ""
			fi
		fi
	else
		result "$cc_name" "$dead"
	fi
}
ctrl_c sigint 'sleep 30'
ctrl_c sigint-busy "sh -c 'while :; do :; done'"

if [ -z "$dead" ]; then
	printf 'exit 3\r' >&3
else
	pkill -TERM -P "$qemu" 2>/dev/null
fi
wait "$qemu"
rc=$?
if console | grep -q '^root: the shell exited with status 3$'; then
	result exit ""
else
	result exit "the shell did not exit with status 3 (qemu status $rc)"
fi
exec 3>&-
rm -f "$fifo"
exit $failed
