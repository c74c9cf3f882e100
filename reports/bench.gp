# bench.gp - classification cost against the criteria count, from the
# data `flowtap bench --sweep ... --data FILE` writes (columns: criteria,
# fast ns/packet, linear ns/packet, BPF ns/packet; NaN when not measured).
#
#   gnuplot -e "dat='build/bench/classify.dat'; out='build/bench/classify'" \
#       reports/bench.gp
# writes out.png and out.svg.

if (!exists("dat")) dat = 'build/bench/classify.dat'
if (!exists("out")) out = 'build/bench/classify'

set title "flowtap: match cost per packet against the number of criteria"
set xlabel "criteria"
set ylabel "ns per packet (median, log scale)"
set logscale xy
set xrange [0.7:4500]
set xtics ("1" 1, "10" 10, "100" 100, "1000" 1000, "3000" 3000)
set grid xtics ytics mytics
# The key above the budget line, clear of the curves.
set yrange [5:1e6]
set key top left box opaque
set datafile missing "NaN"
# The services PIC's budget, 20 Kpps: 50000 ns per packet.
budget = 50000

set terminal pngcairo size 900,600 font "sans,11"
set output out.'.png'
plot dat using 1:3 with linespoints lw 2 pt 7 title "linear reference", \
     dat using 1:4 with linespoints lw 2 pt 5 title "libpcap BPF", \
     dat using 1:2 with linespoints lw 2 pt 9 title "fast classifier", \
     budget with lines dt 2 lc rgb "gray40" title "20 Kpps budget (50 us)"

set terminal svg size 900,600 font "sans,11"
set output out.'.svg'
replot
unset output
