#!/bin/sh
# Boot bench/linux/bench.c as /init on Debian's own Linux kernel for ARCH, in
# the QEMU machine Exo boots in (mk/qemu.sh), and record its figures.
#
#   bench/linux/linux.sh x86_64|aarch64 [--icount] [--trials N] [--scale N]
#                        [--timeout SECS]
#
# Prints the BENCH lines; writes build/bench/linux-ARCH.json and the whole
# console to build/bench/linux-ARCH.log.  The kernel (boot/ of the package
# linux-image-<debarch> depends on) is fetched once with apt-get download into
# build/bench/linux-ARCH/; remove that folder to fetch the current one.
# Needs root: apt-get, and mknod for the initramfs's /dev/console.
set -eu

usage() {
	echo "usage: $0 x86_64|aarch64 [--icount] [--trials N] [--scale N]" \
		"[--timeout SECS]" >&2
	exit 2
}

[ $# -ge 1 ] || usage
arch=$1
shift
icount='' trials=5 scale=1 timeout=900
while [ $# -gt 0 ]; do
	case "$1" in
	--icount) icount=--icount ;;
	--trials) trials=$2; shift ;;
	--scale) scale=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	*) usage ;;
	esac
	shift
done
case "$arch" in
x86_64) debarch=amd64 console=ttyS0 ;;
aarch64) debarch=arm64 console=ttyAMA0 ;;
*) usage ;;
esac

[ "$(id -u)" = 0 ] || {
	echo "linux.sh: needs root (apt-get, dpkg --add-architecture, mknod)" >&2
	exit 1
}
cd "$(dirname "$0")/../.."
dir=build/bench/linux-$arch
out=build/bench/linux-$arch
cmdline="console=$console quiet nokaslr norandmaps trials=$trials scale=$scale"

# Make apt see the packages of debarch; no-op for the host's own arch.
enable_arch() {
	[ "$debarch" = "$(dpkg --print-architecture)" ] && return 0
	dpkg --print-foreign-architectures | grep -qx "$debarch" && return 0
	echo "linux.sh: adding $debarch as a foreign dpkg architecture" >&2
	dpkg --add-architecture "$debarch"
	apt-get update -q
}

# The versioned kernel package the meta-package linux-image-DEBARCH names.
kernel_package() {
	apt-cache depends "linux-image-$debarch:$debarch" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[^:< ]*\).*/\1/p' | head -n 1
}

# Download the kernel package and keep only its boot/ folder (the modules
# are 400 MB we do not need: the kernel has all it needs built in).
fetch_kernel() {
	enable_arch
	pkg=$(kernel_package)
	if [ -z "$pkg" ]; then
		apt-get update -q
		pkg=$(kernel_package)
	fi
	[ -n "$pkg" ] || {
		echo "linux.sh: no linux-image-$debarch in the apt sources" >&2
		exit 1
	}
	tmp=$(mktemp -d build/bench/apt.XXXXXX)
	(cd "$tmp" && apt-get -q -o APT::Sandbox::User=root download \
		"$pkg:$debarch") >&2
	deb=$(ls "$tmp"/*.deb)
	mkdir -p "$dir"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir" --wildcards './boot/*'
	echo "$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)" \
		>"$dir/package"
	rm -rf "$tmp"
}

# A newc cpio holding /init and /dev/console, which the kernel opens as
# init's stdin, stdout and stderr.
make_initrd() {
	stage=$dir/initrd.d
	rm -rf "$stage"
	mkdir -p "$stage/dev"
	cp "$dir/bench" "$stage/init"
	mknod "$stage/dev/console" c 5 1
	(cd "$stage" && find . | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet) >"$dir/initrd.cpio"
	rm -rf "$stage"
}

# The BENCH lines of the console log as JSON, with how they were taken.
write_json() {
	qemu_line=$(grep '^\[qemu\]' "$dir/qemu.err" | tail -n 1)
	accel=$(echo "$qemu_line" | sed -n 's/.*accel=\([a-z]*\).*/\1/p')
	case "$qemu_line" in
	*icount*) mode=icount unit="guest instructions" ;;
	*) mode=wall-clock unit=ns ;;
	esac
	awk -v arch="$arch" -v mode="$mode" -v unit="$unit" \
		-v accel="$accel" -v secs="$1" -v pkg="$(cat "$dir/package")" \
		-v cmdline="$cmdline" \
		-v qemu="$(qemu-system-"$arch" --version | head -n 1)" '
	function str(s) { gsub(/["\\]/, "\\\\&", s); return "\"" s "\"" }
	$1 == "BENCH_INFO" {
		for (i = 2; i <= NF; i++) {
			split($i, kv, "=")
			info[kv[1]] = kv[2]
		}
	}
	$1 == "BENCH" && $3 == "unsupported:" {
		why = $0
		sub(/^BENCH [^ ]+ unsupported: /, "", why)
		res = res (res ? ",\n" : "") "    " str($2) ": {" \
			str("unsupported") ": " str(why) "}"
		next
	}
	$1 == "BENCH" {
		line = ""
		for (i = 3; i <= NF; i++) {
			split($i, kv, "=")
			line = line (i > 3 ? ", " : "") str(kv[1]) ": " kv[2]
		}
		res = res (res ? ",\n" : "") "    " str($2) ": {" line "}"
	}
	END {
		split(pkg, p, " ")
		print "{"
		print "  \"system\": \"linux\","
		print "  \"arch\": " str(arch) ","
		print "  \"mode\": " str(mode) ","
		print "  \"unit\": " str(unit) ","
		print "  \"accel\": " str(accel) ","
		print "  \"qemu\": " str(qemu) ","
		print "  \"kernel_package\": " str(p[1]) ","
		print "  \"kernel_version\": " str(p[2]) ","
		print "  \"kernel_release\": " str(info["release"]) ","
		print "  \"cmdline\": " str(cmdline) ","
		print "  \"trials\": " info["trials"] ","
		print "  \"scale\": " info["scale"] ","
		print "  \"run_seconds\": " secs ","
		print "  \"results\": {"
		print res
		print "  }"
		print "}"
	}' "$out.log" >"$out.json"
}

mkdir -p build/bench
set -- "$dir"/boot/vmlinuz-*
if [ ! -s "$dir/package" ] || [ ! -f "$1" ]; then
	fetch_kernel
	set -- "$dir"/boot/vmlinuz-*
fi
kernel=$1
make --no-print-directory -f bench/linux.mk "$dir/bench" >&2
make_initrd

echo "linux.sh: $(cat "$dir/package") on $arch${icount:+ (icount)}" >&2
start=$(date +%s)
set +e
{
	sh mk/qemu.sh --arch "$arch" --kernel "$kernel" \
		--initrd "$dir/initrd.cpio" --append "$cmdline" $icount \
		--timeout "$timeout" 2>"$dir/qemu.err"
	echo $? >"$dir/status"
} | sed -u 's/\r$//' | tee "$out.log" | grep --line-buffered '^BENCH'
set -e
secs=$(($(date +%s) - start))
cat "$dir/qemu.err" >&2

# Powering off leaves QEMU without a status (4); anything else is a failure.
if [ "$(cat "$dir/status")" != 4 ] || ! grep -q '^BENCH_END' "$out.log"; then
	echo "linux.sh: the run failed (qemu.sh status $(cat "$dir/status"));" \
		"see $out.log" >&2
	exit 1
fi
write_json "$secs"
echo "linux.sh: $arch done in ${secs}s; wrote $out.json" >&2
