# SPDX-License-Identifier: MIT
# Chart for docs/PERFORMANCE.md, run by bench/run.py:
#   gnuplot -e "datafile='chart.dat'; outfile='chart.png'" bench/chart.gp
# chart.dat: a header line, then one line per system: "name" irq_insns ipi_send_insns
# (NaN where a figure does not exist). Log scale: the anchors span 100 to 7831.
set terminal pngcairo size 960,540 font "DejaVu Sans,11" noenhanced
set output outfile
set title "EL2 instructions per guest IRQ and per IPI send (lower is better)"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y 10
set yrange [10:30000]
set ylabel "EL2 instructions (log scale)"
set grid ytics
set key top left autotitle columnhead
set xtics nomirror
set label 1 "Bulkhead: QEMU 7.2 TCG with -icount, PMU INST_RETIRED counted at EL2 only " . \
    "(make bench).\nBulkhead target: issue 4 (IRQ only). Others: published hardware " . \
    "figures, Martins & Pinto,\nRTAS 2023, ZCU104 (Cortex-A53, GIC-400)." \
    at graph 0.0, graph -0.13 font ",9"
set bmargin 7
# bar centres in a 2-series cluster with gap 1: -1/6 and +1/6 of the cluster pitch
plot datafile using 2:xtic(1) title "per guest IRQ" linecolor rgb "#3060a0", \
     '' using 3 title "per IPI send" linecolor rgb "#d08030", \
     '' using ($0 - 1.0/6):2:(sprintf("%.0f", $2)) with labels offset 0,0.7 font ",9" notitle, \
     '' using ($0 + 1.0/6):3:(sprintf("%.0f", $3)) with labels offset 0,0.7 font ",9" notitle
