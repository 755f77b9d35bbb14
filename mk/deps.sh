#!/bin/sh
# Install the Debian packages Exo needs, only those missing.  Run by
# `make deps`, and by `make run` / `make test` before they build anything.
set -eu

PKGS="make gcc libc6-dev binutils gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu cpio
libc6-dev-arm64-cross
qemu-system-x86 qemu-system-arm qemu-system-data
grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools ovmf
musl-tools gdb-multiarch check pkg-config clang-format git ca-certificates
gnuplot-nox"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "deps: installing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "deps: need root to run apt-get; install them by hand:" >&2
		echo "  apt-get install$missing" >&2
		exit 1
	fi
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
