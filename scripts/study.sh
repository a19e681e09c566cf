#!/usr/bin/env bash
# The small-scale AlignTok study (docs/results.md): every tokenizer variant of the table, the two
# diffusion models of the convergence comparison, and their evaluations, then the report.
#
#   scripts/study.sh            # run (or resume) everything; hours on 2 CPU cores
#   scripts/study.sh fashion    # only the Fashion-MNIST tokenizer table (about 1.5 hours)
#   scripts/study.sh diffusion [alignTok|baseline]  # only the emoji table and the convergence
#                               # comparison (or one side of it), not Fashion-MNIST
#   scripts/study.sh vanilla    # only the fair vanilla tokenizer (LDM-style CNN encoder; issue 22) at
#                               # C = 8 and C = 32, evaluated, and a DiT on its C = 8 latents
#   scripts/study.sh --plan     # list the steps and which are done
#   scripts/study.sh report     # only rebuild docs/study/summary.md and convergence.png from finished evaluations
#
# Each step is one `scripts/aligntok` command; a finished step leaves a marker in $STUDY_DIR/done/
# and is skipped on the next run, and training commands resume from their last checkpoint, so an
# interrupted study continues where it stopped. Evaluations are copied to docs/study/ (small JSON
# and PNG files worth committing); weights stay in $STUDY_DIR.
#
# 'fashion', 'diffusion alignTok' and 'diffusion baseline' share no step once the emoji table is done,
# so on 2 cores two of them can run side by side with ALIGNTOK_THREADS=1 each (faster than one after
# the other with 2 threads).
#
# Environment: STUDY_DIR (default runs/study), ALIGNTOK_THREADS (passed through), STUDY_DIT_STEPS
# (default 1000), STUDY_DIT_EVAL_STEPS (default "250 500 750 1000"), STUDY_FASHION_STEPS (stage-1
# steps of the Fashion-MNIST table, default 500: half the emoji budget; stages 2 and 3 get half of
# it each and the baseline twice it, the same proportions as the emoji table).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STUDY="${STUDY_DIR:-runs/study}"
DOCS="docs/study"
DIT_STEPS="${STUDY_DIT_STEPS:-1000}"
DIT_EVAL_STEPS="${STUDY_DIT_EVAL_STEPS:-250 500 750 1000}"
FASHION_STEPS="${STUDY_FASHION_STEPS:-500}"
ALIGNTOK="scripts/aligntok"
MODE="${1:-run}"
DIT_SIDES="${2:-alignTok baseline}"  # 'diffusion' mode only

mkdir -p "$STUDY/done" "$DOCS"

# step NAME COMMAND...: runs COMMAND once (logged to $STUDY/logs/NAME.log), then marks NAME done.
step() {
  local name="$1"; shift
  if [[ -e "$STUDY/done/$name" ]]; then
    [[ "$MODE" == "--plan" ]] && echo "  done     $name"
    return 0
  fi
  if [[ "$MODE" == "--plan" ]]; then
    echo "  to do    $name: $*"
    return 0
  fi
  mkdir -p "$STUDY/logs"
  echo "[study $(date -u +%H:%M:%S)] $name: $*"
  local started=$SECONDS
  if ! "$@" > "$STUDY/logs/$name.log" 2>&1; then
    echo "[study] step $name failed; log: $STUDY/logs/$name.log" >&2
    tail -20 "$STUDY/logs/$name.log" >&2
    exit 1
  fi
  echo "$((SECONDS - started))" > "$STUDY/done/$name"
  echo "[study $(date -u +%H:%M:%S)] $name finished in $((SECONDS - started)) s"
}

# publish FROM TO: copies a finished evaluation's small files into docs/study/TO (find rounds -size
# up to its unit, so the limit is in KiB: -2M would drop every file over 1 MiB).
publish() {
  mkdir -p "$DOCS/$2"
  find "$1" -maxdepth 1 -type f \( -name '*.json' -o -name '*.png' \) -size -2048k -exec cp {} "$DOCS/$2/" \;
}

EVAL_ARGS=()  # extra arguments of the tokenizer evaluations only
STEPS_STAGE1=(); STEPS_STAGE23=(); STEPS_BASELINE=()  # budgets; empty = the trainer's defaults

# Tokenizer table: tokenizer_table PREFIX ROOT DOCS_SUB [DATA_ARGS...] trains and evaluates every
# variant under ROOT, names its steps PREFIX<step> and publishes to docs/study/DOCS_SUB<variant>.
# wsp1 is the full method (w_sp = 1, the default); wsp0 and wsp5 share its stage 1.
tokenizer_table() {
  local prefix="$1" root="$2" sub="$3"; shift 3
  local data=("$@")
  local main="$root/wsp1"
  step "${prefix}stage1" "$ALIGNTOK" train tokenizer --stage 1 --run "$main" "${STEPS_STAGE1[@]}" "${data[@]}"
  step "${prefix}eval-stage1" "$ALIGNTOK" eval tokenizer --stage 1 --run "$main" "${data[@]}" "${EVAL_ARGS[@]}"
  [[ "$MODE" == "--plan" ]] || publish "$main/stage1/eval" "${sub}stage1"
  for w in 1 0 5; do
    local run="$root/wsp$w"
    if [[ "$w" != 1 && "$MODE" != "--plan" ]]; then
      mkdir -p "$run"
      [[ -e "$run/stage1" ]] || ln -s "$(cd "$main" && pwd)/stage1" "$run/stage1"
    fi
    step "${prefix}stage2-wsp$w" "$ALIGNTOK" train tokenizer --stage 2 --sp-weight "$w" --run "$run" "${STEPS_STAGE23[@]}" "${data[@]}"
    step "${prefix}eval-stage2-wsp$w" "$ALIGNTOK" eval tokenizer --stage 2 --run "$run" --no-frozen-encoder-probe "${data[@]}" "${EVAL_ARGS[@]}"
    [[ "$MODE" == "--plan" ]] || publish "$run/stage2/eval" "${sub}stage2-wsp$w"
  done
  step "${prefix}stage3" "$ALIGNTOK" train tokenizer --stage 3 --run "$main" "${STEPS_STAGE23[@]}" "${data[@]}"
  step "${prefix}eval-stage3" "$ALIGNTOK" eval tokenizer --stage 3 --run "$main" --no-frozen-encoder-probe "${data[@]}" "${EVAL_ARGS[@]}"
  [[ "$MODE" == "--plan" ]] || publish "$main/stage3/eval" "${sub}stage3"
  step "${prefix}baseline" "$ALIGNTOK" train tokenizer --stage baseline --run "$root/baseline" "${STEPS_BASELINE[@]}" "${data[@]}"
  step "${prefix}eval-baseline" "$ALIGNTOK" eval tokenizer --stage baseline --run "$root/baseline" \
    --no-frozen-encoder-probe "${data[@]}" "${EVAL_ARGS[@]}"
  [[ "$MODE" == "--plan" ]] || publish "$root/baseline/baseline/eval" "${sub}baseline"
}

# Fashion-MNIST (60,000 28-px grey images, resized to 64 px like everything else): the same table,
# seed and proportions at half the emoji budget (STUDY_FASHION_STEPS); 2 % held out (1,200 images,
# close to the emoji's 406 in evaluation cost).
fashion_table() {
  step fashion-data "$ALIGNTOK" data fetch --only fashion-mnist
  EVAL_ARGS=(--probe-train-images 6000)  # probes on a seeded 6,000 of the 58,800 training images
  STEPS_STAGE1=(--steps "$FASHION_STEPS")
  STEPS_STAGE23=(--steps "$((FASHION_STEPS / 2))")
  STEPS_BASELINE=(--steps "$((FASHION_STEPS * 2))")
  tokenizer_table fashion- "$STUDY/fashion-mnist" fashion-mnist/ --dataset fashion-mnist-train --validation-fraction 0.02
  EVAL_ARGS=(); STEPS_STAGE1=(); STEPS_STAGE23=(); STEPS_BASELINE=()
}

# Diffusion on each tokenizer's latents: same DiT, steps, seed; evaluated at several checkpoints.
convergence() {
  local name="$1" run="$2" stage="$3"
  step "latents-$name" "$ALIGNTOK" extract-latents --run "$run" --stage "$stage" --split train --out "$STUDY/latents-$name"
  step "dit-$name" "$ALIGNTOK" train dit --latents "$STUDY/latents-$name" --run "$STUDY/dit-$name" \
    --steps "$DIT_STEPS" --checkpoint-every 250 --keep-checkpoints 100
  for s in $DIT_EVAL_STEPS; do
    local checkpoint
    checkpoint="$STUDY/dit-$name/checkpoints/$(printf 'step-%08d' "$s")"
    step "eval-dit-$name-$s" "$ALIGNTOK" eval generation --dit "$checkpoint" --out "$STUDY/dit-$name/eval-$s"
    [[ "$MODE" == "--plan" ]] || publish "$STUDY/dit-$name/eval-$s" "dit-$name/step-$s"
  done
}

# The fair vanilla tokenizer at C latent channels: the same decoder, losses, EMA, GAN steps and total
# steps as stages 1-3 (the trainer's defaults for --stage vanilla), under $STUDY/vanilla-c<C>.
fair_baseline() {
  local c="$1" run="$STUDY/vanilla-c$1"
  step "vanilla-c$c" "$ALIGNTOK" train tokenizer --stage vanilla --latent-channels "$c" --run "$run"
  step "eval-vanilla-c$c" "$ALIGNTOK" eval tokenizer --stage vanilla --run "$run" --no-frozen-encoder-probe
  [[ "$MODE" == "--plan" ]] || publish "$run/vanilla/eval" "vanilla-c$c"
}

if [[ "$MODE" == "vanilla" || ( "$MODE" == "--plan" && "${2:-}" == "vanilla" ) ]]; then
  [[ "$MODE" == "--plan" ]] && echo "Fair-baseline steps ($STUDY):"
  fair_baseline 8
  fair_baseline 32
  convergence vanilla-c8 "$STUDY/vanilla-c8" vanilla
  exit 0
fi

if [[ "$MODE" != "report" ]]; then
  [[ "$MODE" == "--plan" ]] && echo "Study steps ($STUDY):"
  if [[ "$MODE" != "fashion" ]]; then
    tokenizer_table "" "$STUDY" ""
    if [[ " $DIT_SIDES " == *" alignTok "* ]]; then convergence alignTok "$STUDY/wsp1" 3; fi
    if [[ " $DIT_SIDES " == *" baseline "* ]]; then convergence baseline "$STUDY/baseline" baseline; fi
  fi
  if [[ "$MODE" != "diffusion" ]]; then fashion_table; fi
fi
[[ "$MODE" == "--plan" ]] && exit 0
"$ALIGNTOK" eval study --docs "$DOCS"
echo "[study] evaluations and summary are in $DOCS/; the discussion: docs/results.md"
