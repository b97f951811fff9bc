#!/bin/sh
# Writes the orders CSV that examples/distributed-map.asl.json reads: a header and N rows
# (default 100000). Every 5000th row has the status BAD, so its batch fails on purpose.
#   sh examples/make-orders-csv.sh /tmp/orders-bucket/orders.csv [N]
set -eu
out=${1:?usage: make-orders-csv.sh FILE [ROWS]}
rows=${2:-100000}
mkdir -p "$(dirname "$out")"
awk -v n="$rows" 'BEGIN {
  print "id,status,amount,customer"
  for (i = 0; i < n; i++)
    printf "%d,%s,%d.%02d,\"Customer %d, Ltd\"\n", i, (i % 5000 == 4999 ? "BAD" : "OK"), i % 997, i % 100, i % 313
}' > "$out"
