#!/usr/bin/env bash
# Reruns every measurement of docs/performance.md into docs/performance/ (about 15 minutes on 2
# cores), each through scripts/bench. A benchmark, not a test: run it on a quiet machine (nothing
# else building or training).
#
#   scripts/perf-report.sh            # everything
#   scripts/perf-report.sh serving    # only the ONNX Runtime batch/steps sweeps
#   scripts/perf-report.sh pipeline   # only the Kafka pipeline runs (starts the local stack if needed)
#   scripts/perf-report.sh training   # only the training profiles
#
# Environment: PERF_OUT (default docs/performance), PERF_EVENTS (pipeline events, default 30000),
# PERF_LATENTS (latents for the DiT profile; default: extracted from the default tokenizer).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${PERF_OUT:-docs/performance}"
EVENTS="${PERF_EVENTS:-30000}"
BUNDLE="models/emoji-default-bundle"
WHAT="${1:-all}"
mkdir -p "$OUT"
say() { echo "[perf $(date -u +%H:%M:%S)] $*"; }

serving() {
  say "ONNX Runtime: encode/decode/generate vs batch size (50 steps, CFG 3)"
  scripts/bench serving --bundle "$BUNDLE" --no-djl --batch-sizes 1,4,16,64 --out "$OUT/serving-batch"
  for steps in 10 25; do
    say "ONNX Runtime: generate with $steps steps (batch 8)"
    scripts/bench serving --bundle "$BUNDLE" --no-djl --batch-sizes 8 --generate-steps "$steps" \
      --out "$OUT/serving-steps-$steps"
  done
}

pipeline() {
  local started_stack=0
  if ! scripts/stack.sh status >/dev/null 2>&1; then
    scripts/stack.sh start
    started_stack=1
  fi
  # Two stream threads with one ONNX Runtime thread each (the CPU-node setting), a warm-up as long
  # as the measured pass (JIT), commits every second.
  local common=(--warmup-events "$EVENTS" --batch-size 32 --partitions 2 --threads 1)
  say "Kafka pipeline throughput: $EVENTS events as fast as they can be sent"
  scripts/bench pipeline -n "$EVENTS" "${common[@]}" --commit-interval-ms 1000 \
    -o "$OUT/pipeline-b32-p2.json" || true
  say "Kafka pipeline latency: 20000 events at a steady 600 events/s, commits every 100 ms"
  scripts/bench pipeline -n 20000 "${common[@]}" --commit-interval-ms 100 --rate 600 \
    -o "$OUT/pipeline-b32-p2-rate600.json" || true
  if [[ "$started_stack" == 1 ]]; then
    scripts/stack.sh stop
  fi
}

training() {
  say "profile: tokenizer stage 1, 30 steps"
  scripts/bench profile tokenizer --steps 30 --log "$OUT/train-stage1.log" --top 25 > "$OUT/profile-stage1.md"
  say "profile: demo DiT, 40 steps"
  scripts/bench profile dit --steps 40 --log "$OUT/train-dit.log" --top 25 > "$OUT/profile-dit.md"
}

case "$WHAT" in
  all) serving; pipeline; training ;;
  serving) serving ;;
  pipeline) pipeline ;;
  training) training ;;
  *) echo "usage: scripts/perf-report.sh [all|serving|pipeline|training]" >&2; exit 2 ;;
esac
say "results in $OUT/"
