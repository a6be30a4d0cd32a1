#!/bin/bash
# Every registered algorithm with its default server learning rate, 20 rounds of the default task
# (MNIST 2NN, 100 IID clients, 10 per round), in-process clients; prints the final test accuracy.
# Run from the repo root after building: bash apps/simulator/bench/algorithm-defaults.sh
set -u
for alg in fedavg fedavg-unweighted fedavgm fedadam fedyogi fedadagrad fedprox fedsgd fednova qfedavg scaffold; do
  out=$(mktemp -d)/$alg
  node apps/simulator/dist/cli.js --algorithm $alg --rounds 20 --eval-every 20 --workers 0 --checkpoint-every 1000 --out $out > $out.log 2>&1
  echo "$alg $(grep 'test accuracy' $out.log)"
done
