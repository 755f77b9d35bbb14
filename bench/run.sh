#!/bin/sh
# Boot the Exo bench image and Debian's Linux in the same QEMU machine and
# print one table: each operation on Exo, the matching one on Linux, their
# ratio and the target of the benchmark issue (docs/BENCHMARKS.md).
#
#   bench/run.sh [x86_64|aarch64] [--wall] [--trials N] [--rounds N]
#                [--scale N]
#
# Default: deterministic mode (-icount shift=0,sleep=off, figures in guest
# instructions), one boot of each.  --wall: wall-clock TCG, `rounds` boots
# of each (default 3), alternating Exo and Linux; a figure is the median of
# the boots' medians.  Every boot runs `trials` timed trials (default 5).
# Writes build/bench/table-ARCH.json, build/bench/ratios-ARCH.png and each
# boot's console under build/bench/runs-ARCH/.  Needs root for the Linux
# side (bench/linux/linux.sh).
set -eu

usage() {
	echo "usage: $0 [x86_64|aarch64] [--wall] [--trials N] [--rounds N]" \
		"[--scale N]" >&2
	exit 2
}

arch=x86_64 wall=0 trials=5 rounds='' scale=1 timeout=900
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
	mode=wall-clock icount='' rounds=${rounds:-3}
else
	mode=icount icount=--icount rounds=${rounds:-1}
fi
case "$arch" in
x86_64) kernel=build/x86_64/exo.elf ;;
aarch64) kernel=build/aarch64/exo.bin ;;
esac

cd "$(dirname "$0")/.."
out=build/bench
runs=$out/runs-$arch
initrd=build/$arch/images/bench.cpio
mkdir -p "$runs"
rm -f "$runs"/*.log

${MAKE:-make} --no-print-directory ARCH="$arch" kernel-images bench-image >&2

# One boot of the Exo bench image; its console goes to $runs/exo-$1.log.
exo_boot() {
	log=$runs/exo-$1.log
	echo "run.sh: Exo on $arch, $mode, boot $1" >&2
	set +e
	{
		sh mk/qemu.sh --arch "$arch" --kernel "$kernel" \
			--initrd "$initrd" --append "trials=$trials scale=$scale" \
			$icount --timeout "$timeout" 2>"$runs/exo-qemu.err"
		echo $? >"$runs/exo-status"
	} | sed -u 's/\r$//' | tee "$log" | grep --line-buffered '^BENCH'
	set -e
	if [ "$(cat "$runs/exo-status")" != 0 ] ||
	    ! grep -q '^BENCH_END' "$log"; then
		echo "run.sh: the Exo boot failed (qemu.sh status" \
			"$(cat "$runs/exo-status")); see $log" >&2
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
	exo_boot "$r"
	linux_boot "$r"
	r=$((r + 1))
done

accel=$(sed -n 's/.*accel=\([a-z]*\).*/\1/p' "$runs/exo-qemu.err" | tail -n 1)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- exo bindings images/bench 2>/dev/null ||
	rev="$rev+changes"
json=$out/table-$arch.json
dat=$runs/ratios.dat
rm -f "$dat"
echo
awk -f bench/table.awk -v arch="$arch" -v mode="$mode" -v accel="$accel" \
	-v qemu="$(qemu-system-"$arch" --version | head -n 1)" \
	-v linux_kernel="$(cat "build/bench/linux-$arch/package")" \
	-v exo_rev="$rev" -v trials="$trials" -v json="$json" -v dat="$dat" \
	sys=exo "$runs"/exo-*.log sys=linux "$runs"/linux-*.log
echo
echo "run.sh: wrote $json"

# The ratios as a bar chart, log scale, with the targets as marks.
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
set title "Exo / Linux on $arch, $mode mode (accel=$accel): below 1, Exo is faster" noenhanced
set logscale y
set yrange [*:*]
set ylabel "Exo / Linux (log scale)"
set style fill solid 0.7 border -1
set boxwidth 0.6
set xtics rotate by -35 font ",8"
set grid ytics
set key top left
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "black"
plot "$dat" using 0:2:xtic(1) with boxes lc rgb "#4a7ab5" title "ratio", \
     "" using 0:(\$2 * 1.25):(sprintf("%.3g", \$2)) with labels notitle, \
     "" using (\$0 + 0.3):(\$3 > 0 ? \$3 : 1/0) with points pt 9 ps 2 lc rgb "#c0392b" \
	title "target"
GNUPLOT
echo "run.sh: wrote $png"
