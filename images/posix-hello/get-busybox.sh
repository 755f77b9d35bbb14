#!/bin/sh
# Fetch Debian's busybox-static for an Exo arch and extract the binary,
# unmodified:  get-busybox.sh ARCH OUT   (ARCH: x86_64 or aarch64)
#
# Everything comes from this machine's own Debian sources through apt:
# `apt-get download` of busybox-static for the Debian architecture that
# matches ARCH.  For a foreign architecture, dpkg must know it (and apt
# have its package lists); the script adds it when it may (as root, or
# through sudo) and says what to run otherwise.
set -eu

arch=$1 out=$2
case "$arch" in
x86_64) debarch=amd64 ;;
aarch64) debarch=arm64 ;;
*) echo "get-busybox: unknown arch $arch" >&2; exit 2 ;;
esac

if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO=sudo
else
	SUDO=none
fi

native=$(dpkg --print-architecture)
if [ "$debarch" != "$native" ] &&
    ! dpkg --print-foreign-architectures | grep -qx "$debarch"; then
	if [ "$SUDO" = none ]; then
		echo "get-busybox: run as root: dpkg --add-architecture $debarch && apt-get update" >&2
		exit 1
	fi
	echo "get-busybox: adding the Debian architecture $debarch"
	$SUDO dpkg --add-architecture "$debarch"
	$SUDO apt-get update -q
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# apt's download sandbox user must be able to write here.
chmod 0777 "$tmp"
if ! (cd "$tmp" && apt-get download -q "busybox-static:$debarch") >"$tmp/log" 2>&1; then
	cat "$tmp/log" >&2
	echo "get-busybox: apt-get download busybox-static:$debarch failed" >&2
	exit 1
fi
dpkg-deb -x "$tmp"/busybox-static_*_"$debarch".deb "$tmp/root"
mkdir -p "$(dirname "$out")"
cp "$tmp/root/bin/busybox" "$out.tmp"
mv "$out.tmp" "$out"
