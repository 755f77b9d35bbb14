# Turn the BENCH lines of Exo and Linux runs into the side-by-side table.
#
#   awk -f bench/table.awk -v arch=A -v mode=M -v accel=X -v qemu=Q \
#       -v linux_kernel=K -v exo_rev=R -v trials=N -v json=F -v dat=F \
#       sys=exo EXO_LOGS... sys=linux LINUX_LOGS...
#
# Each log is one boot.  Over several boots (wall-clock rounds) a figure is
# the median of the boots' medians, its min the least min and its max the
# greatest max.  Prints the table; writes it as JSON to `json` and the
# ratios for gnuplot to `dat` (label, ratio, target or -1).

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

# One row: Exo operation, Linux operation, target ratio (0: none),
# target in guest instructions (0: none), both optional.
function row(e, l, t, abs) {
	nrows++
	r_exo[nrows] = e; r_lin[nrows] = l
	r_target[nrows] = t; r_abs[nrows] = abs
}

BEGIN {
	row("boot_to_user", "boot_to_init", 0.01, 0)
	row("null_syscall", "getppid", 0.25, 0)
	row("ipc_rtt", "pipe_rtt", 0.03, 350)
	row("notify_rtt", "futex_rtt", 0, 0)
	row("notify_one_way", "", 0, 0)
	row("page_map_unmap", "mmap_munmap", 0, 0)
	row("fault_upcall_rtt", "sigsegv_skip", 0.1, 0)
	row("fault_upcall_rtt", "sigsegv_rtt", 0, 0)
	row("demand_zero_fault", "anon_fault", 1.0, 0)
	row("cow_fault", "cow_fault", 0, 0)
	row("ring_tput_64", "pipe_tput_64", 0, 0)
	row("ring_tput_4k", "pipe_tput_4k", 0, 0)
	row("env_create_destroy", "fork_exit_wait", 0, 0)
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

function cell(v) { return v == "" ? "-" : sprintf(v >= 100000 ? "%.0f" : "%.1f", v) }
function num(v) { return v == "" ? "null" : sprintf("%.1f", v) }

function ratio_text(x) {
	return x == "" ? "-" : x < 0.1 ? sprintf("%.4f", x) : sprintf("%.3f", x)
}

END {
	unit = mode == "icount" ? "guest instructions" : "ns (wall clock)"
	printf "Exo vs Linux on %s: %s mode (%s), %s, %s\n", arch, mode, unit,
		"accel=" accel, qemu
	printf "Linux: %s; Exo: %s; %s trials per boot\n\n", linux_kernel,
		exo_rev, trials
	fmt = "%-19s %12s  %-15s %12s  %9s  %-12s %s\n"
	printf fmt, "operation", "Exo", "Linux op", "Linux", "Exo/Linux",
		"target", "met"
	for (i = 1; i <= nrows; i++) {
		e = figure("exo", r_exo[i]); l = figure("linux", r_lin[i])
		x = e != "" && l != "" && l > 0 ? e / l : ""
		tgt = r_target[i] ? sprintf("<=%gx", r_target[i]) : ""
		if (r_abs[i] && mode == "icount")
			tgt = tgt sprintf(",<=%d", r_abs[i])
		met = "-"
		if (failed["exo", r_exo[i]] || e == "")
			met = "FAIL"
		else if (tgt != "" && x != "")
			met = (x <= r_target[i] && (!r_abs[i] || mode != "icount" ||
				e <= r_abs[i])) ? "met" : "missed"
		printf fmt, r_exo[i], cell(e), r_lin[i] == "" ? "-" : r_lin[i],
			cell(l), ratio_text(x), tgt == "" ? "-" : tgt, met
		jrow = sprintf("    {\"op\": %s, \"exo\": %s, \"exo_min\": %s, " \
			"\"exo_max\": %s, \"linux_op\": %s, \"linux\": %s, " \
			"\"ratio\": %s, \"target_ratio\": %s, " \
			"\"target_instructions\": %s, \"status\": %s}",
			str(r_exo[i]), num(e), num(fig["exo", r_exo[i], "lo"]),
			num(fig["exo", r_exo[i], "hi"]),
			r_lin[i] == "" ? "null" : str(r_lin[i]), num(l),
			x == "" ? "null" : sprintf("%.6f", x),
			r_target[i] ? r_target[i] : "null",
			r_abs[i] ? r_abs[i] : "null", str(met))
		rows = rows (rows == "" ? "" : ",\n") jrow
		if (x != "")
			printf "\"%s\\n/%s\" %.6f %s\n", r_exo[i], r_lin[i], x,
				r_target[i] ? r_target[i] : -1 > dat
	}
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
