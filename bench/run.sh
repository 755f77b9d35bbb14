#!/bin/sh
# Boot the Exo bench image, Debian's Linux and the posix-bench image (the
# same Linux benchmark binary on libos-posix) in the same QEMU machine and
# print one table: each operation on Exo, the matching one on Linux and on
# libos-posix, the ratios to Linux and the targets of the benchmark issues
# (docs/BENCHMARKS.md).
#
#   bench/run.sh [x86_64|aarch64] [--wall] [--trials N] [--rounds N]
#                [--scale N]
#
# Default: deterministic mode (-icount shift=0,sleep=off, figures in guest
# instructions), one boot of each, 3 trials each (they agree to within
# 0.5 %).  --wall: wall-clock TCG, `rounds` boots of each (default 3),
# taking turns, 5 trials each; a figure is the median of the boots'
# medians.  --trials sets the trials of every boot.
# Writes build/bench/table-ARCH.json, build/bench/ratios-ARCH.png and each
# boot's console under build/bench/runs-ARCH/.  Needs root for the Linux
# side (bench/linux/linux.sh).
set -eu

usage() {
	echo "usage: $0 [x86_64|aarch64] [--wall] [--trials N] [--rounds N]" \
		"[--scale N]" >&2
	exit 2
}

arch=x86_64 wall=0 trials='' rounds='' scale=1 timeout=900
case "${1:-}" in
x86_64 | aarch64) arch=$1; shift ;;
esac
while [ $# -gt 0 ]; do
	case "$1" in
	--wall) wall=1 ;;
	--trials) trials=$2; shift ;;
	--rounds) rounds=$2; shift ;;
	--scale) scale=$2; shift ;;
	*) usage ;;
	esac
	shift
done
if [ "$wall" = 1 ]; then
	mode=wall-clock icount='' rounds=${rounds:-3} trials=${trials:-5}
else
	mode=icount icount=--icount rounds=${rounds:-1} trials=${trials:-3}
fi
case "$arch" in
x86_64) kernel=build/x86_64/exo.elf ;;
aarch64) kernel=build/aarch64/exo.bin ;;
esac

cd "$(dirname "$0")/.."
out=build/bench
runs=$out/runs-$arch
mkdir -p "$runs"
rm -f "$runs"/*.log

${MAKE:-make} --no-print-directory ARCH="$arch" kernel-images bench-image \
	posix-bench-image >&2

# One boot of an Exo image: exo_boot SYS INITRD ROUND, SYS exo (the
# native bench image) or posix (posix-bench); the console goes to
# $runs/SYS-ROUND.log.
exo_boot() {
	log=$runs/$1-$3.log
	echo "run.sh: $1 on $arch, $mode, boot $3" >&2
	set +e
	{
		sh mk/qemu.sh --arch "$arch" --kernel "$kernel" \
			--initrd "$2" --append "trials=$trials scale=$scale" \
			$icount --timeout "$timeout" 2>"$runs/$1-qemu.err"
		echo $? >"$runs/$1-status"
	} | sed -u 's/\r$//' | tee "$log" | grep --line-buffered '^BENCH'
	set -e
	if [ "$(cat "$runs/$1-status")" != 0 ] ||
	    ! grep -q '^BENCH_END' "$log"; then
		echo "run.sh: the $1 boot failed (qemu.sh status" \
			"$(cat "$runs/$1-status")); see $log" >&2
		exit 1
	fi
}

# One boot of Linux (bench/linux/linux.sh); its console is kept likewise.
linux_boot() {
	echo "run.sh: Linux on $arch, $mode, boot $1" >&2
	sh bench/linux/linux.sh "$arch" $icount --trials "$trials" \
		--scale "$scale" --timeout "$timeout"
	cp "$out/linux-$arch.log" "$runs/linux-$1.log"
}

r=1
while [ "$r" -le "$rounds" ]; do
	exo_boot exo "build/$arch/images/bench.cpio" "$r"
	linux_boot "$r"
	exo_boot posix "build/$arch/bench/posix-bench.cpio" "$r"
	r=$((r + 1))
done

accel=$(sed -n 's/.*accel=\([a-z]*\).*/\1/p' "$runs/exo-qemu.err" | tail -n 1)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- exo bindings images/bench images/posix-bench \
	libos-posix bench/linux 2>/dev/null ||
	rev="$rev+changes"
json=$out/table-$arch.json
dat=$runs/ratios.dat
rm -f "$dat"
echo
awk -f bench/table.awk -v arch="$arch" -v mode="$mode" -v accel="$accel" \
	-v qemu="$(qemu-system-"$arch" --version | head -n 1)" \
	-v linux_kernel="$(cat "build/bench/linux-$arch/package")" \
	-v exo_rev="$rev" -v trials="$trials" -v json="$json" -v dat="$dat" \
	sys=exo "$runs"/exo-*.log sys=linux "$runs"/linux-*.log \
	sys=posix "$runs"/posix-*.log
echo
echo "run.sh: wrote $json"

# The ratios as bar charts, log scale, Exo's and libos-posix's side by
# side, with their targets as marks.
png=$out/ratios-$arch.png
[ -s "$dat" ] || exit 0
if ! command -v gnuplot >/dev/null 2>&1; then
	echo "run.sh: no gnuplot (apt-get install gnuplot-nox); no chart" >&2
	exit 0
fi
gnuplot <<GNUPLOT
set terminal pngcairo size 1100,600 font "sans,10" noenhanced
set rmargin 10
set bmargin 9
set output "$png"
set title "Exo and libos-posix / Linux on $arch, $mode mode (accel=$accel): below 1, faster than Linux" noenhanced
set logscale y
set yrange [*:*]
set ylabel "system / Linux (log scale)"
set style fill solid 0.7 border -1
set boxwidth 0.35
set xtics rotate by -35 font ",8"
set grid ytics
set key outside top center horizontal
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "black"
ok(v) = v == v ? v : 1/0
plot "$dat" using (\$0 - 0.18):(ok(\$2)):xtic(1) with boxes lc rgb "#4a7ab5" \
	title "Exo (native)", \
     "" using (\$0 + 0.18):(ok(\$4)) with boxes lc rgb "#e6a23c" \
	title "libos-posix", \
     "" using (\$0 - 0.18):(ok(\$2) * 1.25):(sprintf("%.3g", \$2)) \
	with labels font ",7" notitle, \
     "" using (\$0 + 0.18):(ok(\$4) * 1.25):(sprintf("%.3g", \$4)) \
	with labels font ",7" notitle, \
     "" using (\$0 - 0.18):(\$3 > 0 ? \$3 : 1/0) with points pt 9 ps 1.5 \
	lc rgb "#c0392b" title "target (Exo)", \
     "" using (\$0 + 0.18):(\$5 > 0 ? \$5 : 1/0) with points pt 11 ps 1.5 \
	lc rgb "#8e44ad" title "target (libos-posix)"
GNUPLOT
echo "run.sh: wrote $png"
