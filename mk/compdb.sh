#!/bin/sh
# Write compile_commands.json for editors (clangd): one entry per kernel
# and libexo source of both arches and per host unit-test source, with the
# flags make uses (a portable file appears once per arch; clangd takes the
# first).
set -eu
top=$(pwd)
first=1
echo "["
for arch in x86_64 aarch64; do
	make -s --no-print-directory ARCH=$arch print-compile-commands
done | while IFS='|' read -r file cmd; do
	[ $first = 1 ] || echo ","
	first=0
	cmd=$(printf '%s' "$cmd" | sed 's/\\/\\\\/g; s/"/\\"/g')
	printf '  { "directory": "%s", "file": "%s", "command": "%s" }' \
		"$top" "$file" "$cmd"
done
echo
echo "]"
