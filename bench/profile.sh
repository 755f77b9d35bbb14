#!/bin/sh
# Where an image spends its guest instructions, by function.
#
#   bench/profile.sh [--arch A] [--seconds S] [--callers FN] KERNEL INITRD \
#       TRIGGER ELF...
#
# Boots KERNEL with INITRD under icount with one instruction per
# translation block, waits until the console prints a line containing
# TRIGGER, then has QEMU log every instruction executed for S seconds of
# host time (default 2) through its monitor, and prints the count per
# function of the ELF files given (the kernel, the library OS, the
# program: whatever ran), most first.  With --callers FN it also prints
# which functions FN's instructions were entered from.  Under icount the
# window is a deterministic stretch of the run; the counts are exact
# instructions, not samples.  For example, the fork benchmark of the
# posix-bench image (it runs after pipe_tput_4k):
#
#   bench/profile.sh build/x86_64/exo.elf build/x86_64/bench/posix-bench.cpio \
#       'BENCH pipe_tput_4k' build/x86_64/exo.elf \
#       build/x86_64/posix/libos-posix.elf build/bench/linux-x86_64/bench
#
# Needs python3 and socat (installed from Debian's packages if missing).
set -eu

arch=x86_64 secs=2 callers=''
while [ $# -gt 0 ]; do
	case $1 in
	--arch) arch=$2; shift 2 ;;
	--seconds) secs=$2; shift 2 ;;
	--callers) callers=$2; shift 2 ;;
	*) break ;;
	esac
done
[ $# -ge 4 ] || { sed -n '4,5p' "$0" >&2; exit 2; }
kernel=$1 initrd=$2 trigger=$3
shift 3

missing=''
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
command -v socat >/dev/null 2>&1 || missing="$missing socat"
if [ -n "$missing" ]; then
	echo "profile: installing Debian packages:$missing"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $missing >/dev/null
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sh mk/qemu.sh --arch "$arch" --kernel "$kernel" --initrd "$initrd" \
	--icount --timeout 900 -- -singlestep -D "$dir/exec.log" \
	-monitor "unix:$dir/mon.sock,server,nowait" >"$dir/console.log" 2>&1 &
qemu=$!
monitor() { echo "$1" | socat - "UNIX-CONNECT:$dir/mon.sock" >/dev/null; }
echo "profile: waiting for '$trigger' on the console"
until grep -qF "$trigger" "$dir/console.log"; do
	kill -0 $qemu 2>/dev/null || { echo "profile: QEMU ended first" >&2
		exit 1; }
	sleep 0.2
done
monitor 'log exec,nochain'
sleep "$secs"
monitor 'log none'
monitor quit
wait $qemu 2>/dev/null || true
nm=nm
[ "$arch" = aarch64 ] && nm=aarch64-linux-gnu-nm
NM=$nm python3 bench/profile.py "$dir/exec.log" "$callers" "$@"
