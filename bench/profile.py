"""Count the instructions of a QEMU `-d exec,nochain -singlestep` log by
function (bench/profile.sh).

    profile.py LOG CALLERS ELF...

Each log line is one instruction; its address is named by the nearest
function symbol at or below it in the ELF files (nm, or $NM).  Prints the
total, then the count per function, most first; if CALLERS names a
function, then also the functions its instructions were entered from
(each run of its instructions counted for the function that ran just
before the run).
"""
import bisect
import collections
import os
import re
import subprocess
import sys


def symbols(elves):
    syms = []
    for elf in elves:
        out = subprocess.run([os.environ.get('NM', 'nm'), '-n', elf],
                             capture_output=True, text=True,
                             check=True).stdout
        for line in out.splitlines():
            f = line.split()
            if len(f) == 3 and f[1] in 'tTwW':
                syms.append((int(f[0], 16), f[2]))
    syms.sort()
    return [a for a, _ in syms], [n for _, n in syms]


def main():
    log, callers, elves = sys.argv[1], sys.argv[2], sys.argv[3:]
    addrs, names = symbols(elves)
    line_re = re.compile(r'Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/')
    count = collections.Counter()
    entered = collections.Counter()
    prev = run_from = None
    with open(log, errors='replace') as f:
        for line in f:
            m = line_re.match(line)
            if not m:
                continue
            i = bisect.bisect_right(addrs, int(m.group(1), 16)) - 1
            name = names[i] if i >= 0 else '?'
            count[name] += 1
            if name == callers:
                if prev != callers:
                    run_from = prev
                entered[run_from] += 1
            prev = name
    print('%d instructions' % sum(count.values()))
    for name, n in count.most_common(40):
        print('%10d  %s' % (n, name))
    if callers:
        print('\n%s, by the function it was entered from:' % callers)
        for name, n in entered.most_common(10):
            print('%10d  %s' % (n, name))


main()
