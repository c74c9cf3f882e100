#!/bin/sh
# make-trace.sh [PKTGEN] - cut.pcap: packets.txt made by pktgen, then cut
# 40 bytes before its end, inside the last record (a capture killed while
# it wrote). Run from this folder; the result is committed.
set -e
PKTGEN=${1:-../../../build/release/pktgen}
"$PKTGEN" packets.txt full.tmp
size=$(wc -c <full.tmp)
head -c $((size - 40)) full.tmp >cut.pcap
rm -f full.tmp
