#!/bin/sh
# Boot an Exo image in QEMU.  One place decides the machine, CPU, memory and
# accelerator, so tests, `make run`, `make gdb` and benchmarks all boot the
# same emulated machine.
#
#   mk/qemu.sh --arch A --kernel IMG [--append CMDLINE] [--initrd FILE]
#              [--iso ISO]
#              [--uefi] [--timeout SECS] [--icount] [--accel auto|tcg|kvm]
#              [--gdb] [-- extra qemu args]
#
# The guest's halt status comes back as this script's exit status:
#   0 success, 1 failure, 2 kernel panic, 3 QEMU failed, 4 the machine
#   stopped without a status (reset or triple fault), 124 timeout.
set -u

arch=x86_64 kernel= append= initrd= iso= uefi=0 timeout=0 icount=${ICOUNT:-0}
accel=${ACCEL:-auto} gdb=0 mem=${QEMU_MEM:-256M}
while [ $# -gt 0 ]; do
	case "$1" in
	--arch) arch=$2; shift ;;
	--kernel) kernel=$2; shift ;;
	--append) append=$2; shift ;;
	--initrd) initrd=$2; shift ;;
	--iso) iso=$2; shift ;;
	--uefi) uefi=1 ;;
	--timeout) timeout=$2; shift ;;
	--icount) icount=1 ;;
	--accel) accel=$2; shift ;;
	--gdb) gdb=1 ;;
	--) shift; break ;;
	*) echo "qemu.sh: unknown argument $1" >&2; exit 3 ;;
	esac
	shift
done

host=$(uname -m)
# /dev/kvm may be a software fallback that is slower than TCG: use KVM only
# when the host CPU really has VT-x or AMD-V and the guest arch matches.
if [ "$accel" = auto ]; then
	accel=tcg
	if [ "$arch" = "$host" ] && [ -w /dev/kvm ] &&
	    grep -qwE 'vmx|svm' /proc/cpuinfo 2>/dev/null; then
		accel=kvm
	fi
fi
[ "$accel" = kvm ] && [ "$icount" = 1 ] && {
	echo "qemu.sh: icount needs TCG; using tcg" >&2
	accel=tcg
}

set -- -m "$mem" -smp 1 -nographic -no-reboot "$@"
# TCG emulates Arm pointer authentication with QARMA by default, which is
# very slow; the implementation-defined algorithm counts the same
# instructions at a fraction of the host time (Debian's arm64 Linux uses
# pointer authentication, so this matters for fair comparisons).
cpu=max
[ "$arch" = aarch64 ] && cpu=max,pauth-impdef=on
if [ "$accel" = kvm ]; then
	set -- -accel kvm -cpu host "$@"
else
	set -- -accel tcg -cpu "$cpu" "$@"
fi
[ "$icount" = 1 ] && set -- -icount shift=0,sleep=off "$@"
[ "$gdb" = 1 ] && set -- -s -S "$@"
[ -n "$initrd" ] && set -- -initrd "$initrd" "$@"

case "$arch" in
x86_64)
	# isa-debug-exit: the guest writes 0x10|status to port 0xf4 and QEMU
	# exits with ((0x10|status) << 1) | 1.
	set -- qemu-system-x86_64 -device isa-debug-exit,iobase=0xf4,iosize=4 "$@"
	if [ -n "$iso" ]; then
		if [ "$uefi" = 1 ]; then
			set -- "$@" -M q35 -bios /usr/share/ovmf/OVMF.fd
		else
			set -- "$@" -M q35
		fi
		set -- "$@" -cdrom "$iso" -boot d
	else
		set -- "$@" -M q35 -bios /usr/share/qemu/qboot.rom \
			-kernel "$kernel" -append "$append"
	fi
	decode() {
		case $1 in
		33 | 35 | 37) echo $((($1 - 33) / 2)) ;;
		0) echo 4 ;;
		124) echo 124 ;;
		*) echo 3 ;;
		esac
	}
	;;
aarch64)
	# Semihosting SYS_EXIT: the guest passes 0x10|status as the exit code.
	set -- qemu-system-aarch64 -M virt,gic-version=3 \
		-semihosting-config enable=on,target=native \
		-kernel "$kernel" -append "$append" "$@"
	decode() {
		case $1 in
		16 | 17 | 18) echo $(($1 - 16)) ;;
		0) echo 4 ;;
		124) echo 124 ;;
		*) echo 3 ;;
		esac
	}
	;;
*)
	echo "qemu.sh: unknown arch $arch" >&2
	exit 3
	;;
esac

mode="accel=$accel"
[ "$icount" = 1 ] && mode="$mode icount=shift0"
echo "[qemu] $arch, $mode, mem=$mem${iso:+, iso=$iso}" >&2
[ "${QEMU_VERBOSE:-0}" = 1 ] && echo "[qemu] $*" >&2

if [ "$timeout" != 0 ]; then
	timeout -k 2 "$timeout" "$@"
else
	"$@"
fi
exit "$(decode $?)"
