#!/bin/sh
# The fuzz command under a supervisor: `check` runs in the harness's own process (as --isolation off), so an
# ONNX Runtime fault on a mutant kills the harness. Each time that happens, the input is kept as
# native-<kind>-<index>.bin, a "native" line goes to the journal, and the harness restarts just past it
# (the mutant sequence is regenerated from the seed). The last segment prints the totals over all segments.
# Usage: fuzz-supervised.sh ONNX YAML SEED SCRATCH   (from tests/PipelineGate.Benchmarks, after a Release build)
set -u
onnx=$1 yaml=$2 seed=$3 scratch=$4
mkdir -p "$scratch"
journal="$scratch/journal.tsv"
: > "$journal"
from=0
while :; do
  dotnet bin/Release/net10.0/PipelineGate.Benchmarks.dll fuzz "$onnx" "$yaml" "$seed" check "from=$from" "scratch=$scratch" "journal=$journal"
  rc=$?
  if [ "$rc" -lt 128 ]; then
    exit "$rc"
  fi
  at="$scratch/onnx/current.txt"
  if [ -f "$scratch/yaml/current.txt" ] && [ "$scratch/yaml/current.txt" -nt "$at" ]; then
    at="$scratch/yaml/current.txt"
  fi
  read -r kind index < "$at"
  cp "$scratch/$kind/current.bin" "$scratch/native-$kind-$index.bin"
  printf '%s\t%s\tnative\tsignal-%s\n' "$kind" "$index" "$((rc - 128))" >> "$journal"
  echo "supervisor: the harness died with exit code $rc on $kind input $index (kept as native-$kind-$index.bin); restarting past it"
  if [ "$kind" != onnx ]; then
    exit 1
  fi
  from=$((index + 1))
done
