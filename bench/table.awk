# Turn the BENCH lines of Exo, Linux and libos-posix runs into the
# side-by-side table.
#
#   awk -f bench/table.awk -v arch=A -v mode=M -v accel=X -v qemu=Q \
#       -v linux_kernel=K -v exo_rev=R -v trials=N -v json=F -v dat=F \
#       sys=exo EXO_LOGS... sys=linux LINUX_LOGS... sys=posix POSIX_LOGS...
#
# Each log is one boot.  Over several boots (wall-clock rounds) a figure is
# the median of the boots' medians, its min the least min and its max the
# greatest max.  libos-posix runs Linux's own benchmark program, so its
# figures sit under the Linux operation's name.  A `BENCH name unsupported:
# why` line shows as a dash with a numbered note.  Prints the table; writes
# it as JSON to `json` and the ratios for gnuplot to `dat` (label, Exo
# ratio, its target, libos-posix ratio, its target; NaN or -1 for none).

function str(s) { gsub(/["\\]/, "\\\\&", s); return "\"" s "\"" }

function median(list,    v, n, i, j, t) {
	n = split(list, v, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
		}
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}

# Record field f of a BENCH line under sys/name.
function keep(key, f, val) {
	vals[key, f] = vals[key, f] (vals[key, f] == "" ? "" : " ") val
	if (f == "min" && (!((key, "lo") in fig) || val + 0 < fig[key, "lo"]))
		fig[key, "lo"] = val + 0
	if (f == "max" && (!((key, "hi") in fig) || val + 0 > fig[key, "hi"]))
		fig[key, "hi"] = val + 0
}

# One row: Exo operation, Linux operation, Exo's target ratio (0: none),
# Exo's target in guest instructions (0: none), libos-posix's target
# ratio (0: none).
function row(e, l, t, abs, pt) {
	nrows++
	r_exo[nrows] = e; r_lin[nrows] = l
	r_target[nrows] = t; r_abs[nrows] = abs; r_ptarget[nrows] = pt
}

BEGIN {
	row("boot_to_user", "boot_to_init", 0.01, 0, 0)
	row("null_syscall", "getppid", 0.25, 0, 0.5)
	row("ipc_rtt", "pipe_rtt", 0.03, 350, 0.3)
	row("notify_rtt", "futex_rtt", 0, 0, 0)
	row("notify_one_way", "", 0, 0, 0)
	row("page_map_unmap", "mmap_munmap", 0, 0, 0)
	row("fault_upcall_rtt", "sigsegv_skip", 0.1, 0, 0)
	row("fault_upcall_rtt", "sigsegv_rtt", 0, 0, 0)
	row("demand_zero_fault", "anon_fault", 1.0, 0, 0)
	row("cow_fault", "cow_fault", 0, 0, 0)
	row("ring_tput_64", "pipe_tput_64", 0, 0, 0)
	row("ring_tput_4k", "pipe_tput_4k", 0, 0, 0)
	row("env_create_destroy", "fork_exit_wait", 0, 0, 1.0)
}

# `BENCH name unsupported: why`: the program could not run it here.
$1 == "BENCH" && $3 == "unsupported:" {
	why = $0
	sub(/^BENCH [^ ]+ unsupported: /, "", why)
	unsupported[sys, $2] = why
	next
}

$1 == "BENCH" {
	for (i = 3; i <= NF; i++) {
		split($i, kv, "=")
		# Boot lines: the figure is the time from reset.
		if (kv[1] == "ns_per_op" || kv[1] == "reset_ns")
			keep(sys SUBSEP $2, "v", kv[2])
		else if (kv[1] == "min" || kv[1] == "max")
			keep(sys SUBSEP $2, kv[1], kv[2])
	}
}
$1 == "BENCH_FAIL" { failed[sys SUBSEP $2] = 1 }

# The figure of sys/name, or "" if it did not run.
function figure(s, name) {
	if (name == "" || vals[s, name, "v"] == "")
		return ""
	return median(vals[s, name, "v"])
}

# A figure as a table cell; a dash with a note's number if sys said the
# operation is unsupported.
function cell(v, s, name) {
	if (v != "")
		return sprintf(v >= 100000 ? "%.0f" : "%.1f", v)
	if (name == "" || !((s, name) in unsupported))
		return "-"
	if (!((s, name) in note)) {
		note[s, name] = ++nnotes
		notes[nnotes] = sprintf("[%d] %s %s unsupported: %s", nnotes,
			sysname[s], name, unsupported[s, name])
	}
	return "-[" note[s, name] "]"
}
function num(v) { return v == "" ? "null" : sprintf("%.1f", v) }
function ratio(a, b) { return a != "" && b != "" && b > 0 ? a / b : "" }

function ratio_text(x) {
	return x == "" ? "-" : x < 0.1 ? sprintf("%.4f", x) : sprintf("%.3f", x)
}

# Whether libos-posix met target t with ratio x for Linux operation l.
function posix_met(l, x, t) {
	if (l == "" || (("posix", l) in unsupported))
		return "-"
	if (x == "")
		return "FAIL"
	return !t ? "-" : x <= t ? "met" : "missed"
}

END {
	unit = mode == "icount" ? "guest instructions" : "ns (wall clock)"
	sysname["exo"] = "Exo"; sysname["linux"] = "Linux"
	sysname["posix"] = "libos-posix"
	printf "Exo and libos-posix vs Linux on %s: %s mode (%s), %s, %s\n",
		arch, mode, unit, "accel=" accel, qemu
	printf "Linux: %s; Exo: %s; %s trials per boot\n", linux_kernel,
		exo_rev, trials
	printf "libos-posix: Linux's own benchmark binary on Exo\n\n"
	fmt = "%-19s %12s  %-15s %12s  %9s  %-14s %-6s  %12s  %9s  %-7s %s\n"
	printf fmt, "operation", "Exo", "Linux op", "Linux", "Exo/Linux",
		"target", "met", "libos-posix", "posix/Lx", "target", "met"
	for (i = 1; i <= nrows; i++) {
		e = figure("exo", r_exo[i]); l = figure("linux", r_lin[i])
		p = figure("posix", r_lin[i])
		x = ratio(e, l); px = ratio(p, l)
		tgt = r_target[i] ? sprintf("<=%gx", r_target[i]) : ""
		if (r_abs[i] && mode == "icount")
			tgt = tgt sprintf(",<=%d", r_abs[i])
		ptgt = r_ptarget[i] ? sprintf("<=%gx", r_ptarget[i]) : "-"
		met = "-"
		if (failed["exo", r_exo[i]] || e == "")
			met = "FAIL"
		else if (tgt != "" && x != "")
			met = (x <= r_target[i] && (!r_abs[i] || mode != "icount" ||
				e <= r_abs[i])) ? "met" : "missed"
		pmet = posix_met(r_lin[i], px, r_ptarget[i])
		pu = "null"
		if (("posix", r_lin[i]) in unsupported)
			pu = str(unsupported["posix", r_lin[i]])
		printf fmt, r_exo[i], cell(e, "exo", r_exo[i]),
			r_lin[i] == "" ? "-" : r_lin[i],
			cell(l, "linux", r_lin[i]), ratio_text(x),
			tgt == "" ? "-" : tgt, met, cell(p, "posix", r_lin[i]),
			ratio_text(px), ptgt, pmet
		jrow = sprintf("    {\"op\": %s, \"exo\": %s, \"exo_min\": %s, " \
			"\"exo_max\": %s, \"linux_op\": %s, \"linux\": %s, " \
			"\"ratio\": %s, \"target_ratio\": %s, " \
			"\"target_instructions\": %s, \"status\": %s, ",
			str(r_exo[i]), num(e), num(fig["exo", r_exo[i], "lo"]),
			num(fig["exo", r_exo[i], "hi"]),
			r_lin[i] == "" ? "null" : str(r_lin[i]), num(l),
			x == "" ? "null" : sprintf("%.6f", x),
			r_target[i] ? r_target[i] : "null",
			r_abs[i] ? r_abs[i] : "null", str(met))
		jrow = jrow sprintf("\"posix\": %s, \"posix_min\": %s, " \
			"\"posix_max\": %s, \"posix_ratio\": %s, " \
			"\"posix_target_ratio\": %s, \"posix_status\": %s, " \
			"\"posix_unsupported\": %s}",
			num(p), num(fig["posix", r_lin[i], "lo"]),
			num(fig["posix", r_lin[i], "hi"]),
			px == "" ? "null" : sprintf("%.6f", px),
			r_ptarget[i] ? r_ptarget[i] : "null", str(pmet), pu)
		rows = rows (rows == "" ? "" : ",\n") jrow
		if (x != "" || px != "")
			printf "\"%s\\n/%s\" %s %s %s %s\n", r_exo[i],
				r_lin[i], x == "" ? "NaN" : sprintf("%.6f", x),
				r_target[i] ? r_target[i] : -1,
				px == "" ? "NaN" : sprintf("%.6f", px),
				r_ptarget[i] ? r_ptarget[i] : -1 > dat
	}
	if (nnotes)
		print ""
	for (i = 1; i <= nnotes; i++)
		print notes[i]
	print "{" > json
	print "  \"arch\": " str(arch) "," > json
	print "  \"mode\": " str(mode) "," > json
	print "  \"unit\": " str(unit) "," > json
	print "  \"accel\": " str(accel) "," > json
	print "  \"qemu\": " str(qemu) "," > json
	print "  \"linux_kernel\": " str(linux_kernel) "," > json
	print "  \"exo_rev\": " str(exo_rev) "," > json
	print "  \"trials\": " trials "," > json
	print "  \"rows\": [" > json
	print rows > json
	print "  ]" > json
	print "}" > json
}
