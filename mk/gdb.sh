#!/bin/sh
# `make gdb`: boot the kernel in QEMU halted at its first instruction with
# the gdb stub on :1234, and attach gdb-multiarch with the kernel's symbols.
# The guest's console goes to build/<arch>/gdb-console.log.
#   mk/gdb.sh ARCH IMAGE ELF [CMDLINE [INITRD]]
set -eu
arch=$1 image=$2 elf=$3 append=${4:-} initrd=${5:-}
log=build/$arch/gdb-console.log

sh mk/qemu.sh --arch "$arch" --kernel "$image" --append "$append" --gdb \
	${initrd:+--initrd "$initrd"} \
	-- -serial "file:$log" -monitor none >/dev/null 2>&1 &
qpid=$!
trap 'kill $qpid 2>/dev/null || true' EXIT INT TERM
echo "gdb: QEMU (pid $qpid) waits for gdb on :1234; console in $log"

case $arch in
x86_64) gdbarch=i386:x86-64 ;;
aarch64) gdbarch=aarch64 ;;
esac
# Hardware breakpoints: the kernel runs at addresses the early boot code
# has not mapped yet when gdb attaches.
gdb-multiarch -q "$elf" \
	-ex "set architecture $gdbarch" \
	-ex "target remote localhost:1234" \
	-ex "hbreak kmain" \
	-ex "echo Type 'continue' to run to kmain.\n"
