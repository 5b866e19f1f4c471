# SPDX-License-Identifier: MIT
# Chart for docs/PERFORMANCE.md, run by bench/run.py:
#   gnuplot -e "datafile='chart.dat'; outfile='chart.png'" bench/chart.gp
# chart.dat: a header line, then one line per system: "name" irq_insns ipi_send_insns
# (NaN where a figure does not exist). Log scale: the anchors span 188 to 7831.
set terminal pngcairo size 960,540 font "DejaVu Sans,11"
set output outfile
set title "EL2 instructions per operation (lower is better)"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y 10
set yrange [10:20000]
set ylabel "EL2 instructions (log scale)"
set grid ytics
set key top left
set xtics nomirror
set label 1 "Bulkhead: QEMU 7.2 TCG -icount, PMU INST_RETIRED at EL2 only. Others: published\nhardware figures (Martins & Pinto, RTAS 2023; ZCU104 Cortex-A53, GIC-400)." \
    at graph 0.01, graph -0.14 font ",9"
set bmargin 6
plot datafile using 2:xtic(1) title "per guest IRQ" linecolor rgb "#3060a0", \
     '' using 3 title "per IPI send" linecolor rgb "#d08030"
