#!/usr/bin/env bash
# The small-scale AlignTok study (docs/results.md): every tokenizer variant of the table, the
# diffusion models of the convergence comparison, their evaluations, and the credible study of
# issue 22 (three seeds, the fair vanilla baseline, the latent-width frontier), then the report.
#
#   scripts/study.sh            # run (or resume) everything, then the report
#   scripts/study.sh credible   # only the issue-22 study (its units, in order), then the report
#   scripts/study.sh unit NAME  # only one unit of it (no report: two units may run side by side)
#   scripts/study.sh lanes [N]  # the issue-22 study's remaining units shared out over N lanes
#                               # (default 2) that run side by side at ALIGNTOK_THREADS=1 each
#                               # (longest first, each to the least loaded lane), then the report;
#                               # logs in $STUDY_DIR/logs/lane-K.log. --plan lanes shows the split
#   scripts/study.sh fashion    # only the Fashion-MNIST tokenizer table
#   scripts/study.sh diffusion [alignTok|baseline]  # only the emoji table and the C = 8 convergence
#                               # comparison with the old baseline (or one side of it)
#   scripts/study.sh vanilla    # only the fair vanilla tokenizer at C = 8 and 32, evaluated, and a
#                               # DiT on its C = 8 latents
#   scripts/study.sh --plan [credible|unit NAME|fashion|diffusion|vanilla]
#                               # list the steps: done, published, skipped or to do (with estimated
#                               # minutes at one thread; a training step stopped part-way on this
#                               # machine: its remaining steps), per unit and in total; runs nothing
#   scripts/study.sh report     # only rebuild docs/study/summary.md and the figures
#
# What counts as done, so that a study can go on across sessions and machines (weights are not
# committed, the small published files in docs/study/ are):
# - an evaluation is done when its result is published in docs/study/ (a tokenizer evaluation
#   must also be of the current format: the one-standard-error probes and a Fréchet interval; see
#   current());
# - a training or extraction step runs only when some evaluation downstream of it is not published
#   yet (make-like), and then resumes from its last checkpoint if this machine has one;
# - $STUDY_DIR/done/<step> (elapsed and CPU seconds) marks a step finished on this machine, a cache
#   that keeps its outputs' weights from being rebuilt.
# A fresh machine needs only the repository: before its first step, a study process fetches the
# emoji datasets and the frozen encoder's weights (`scripts/aligntok data fetch`), or finds them.
# Each step is one `scripts/aligntok` command, logged to $STUDY_DIR/logs/<step>.log. A step that
# another study process is running (two units side by side sharing an input) is waited for. Every
# finished step adds a line to docs/study/cost.tsv (step, wall and CPU seconds, when): the study's
# compute ledger, committed with the results, which `--plan` sums.
#
# Units (issue 22; `--plan credible` lists them with estimates) each fit a session at one thread
# when their inputs exist. Two units can run side by side with ALIGNTOK_THREADS=1 each (faster on
# 2 cores than one after the other with 2 threads; `lanes` does that for every unit left). A DiT unit
# needs its tokenizer's weights: run it on the machine that trained the tokenizer, or it retrains
# the tokenizer first (without evaluating it again). The samples-* units rerun a frontier DiT whose
# sample grid was lost before the report kept its rows (see samples_rerun); otherwise they do nothing.
#
# Seeds: seed 7 keeps the original commands (no seed arguments) and publishes to
# docs/study/<variant>/; seed S publishes to docs/study/<variant>/seed-S/ and trains with
# --seed S --split-seed 7, so every seed is evaluated on the same held-out images.
#
# Environment: STUDY_DIR (default runs/study), STUDY_DOCS (default docs/study), ALIGNTOK_THREADS
# (passed through), STUDY_SEEDS (extra training seeds of the credible study, default "11 13"),
# STUDY_DIT_SEEDS (extra DiT seeds on the C = 32 latents, default "11 13"),
# STUDY_DIT_STEPS (default 1000), STUDY_DIT_EVAL_STEPS (default "250 500 750 1000"),
# STUDY_FRECHET_BOOTSTRAP (bootstrap resamples of the new DiT evaluations' Fréchet intervals,
# default 20: about 5 minutes per evaluation), STUDY_FASHION_STEPS (stage-1 steps of the
# Fashion-MNIST table, default 500: half the emoji budget; stages 2 and 3 get half of it each and
# the baseline twice it, the same proportions as the emoji table), STUDY_ALIGNTOK (the CLI; for
# StudyScriptTest's stand-in).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STUDY="${STUDY_DIR:-runs/study}"
DOCS="${STUDY_DOCS:-docs/study}"
DIT_STEPS="${STUDY_DIT_STEPS:-1000}"
DIT_EVAL_STEPS="${STUDY_DIT_EVAL_STEPS:-250 500 750 1000}"
FASHION_STEPS="${STUDY_FASHION_STEPS:-500}"
SEEDS="${STUDY_SEEDS:-11 13}"
DIT_SEEDS="${STUDY_DIT_SEEDS:-11 13}"  # further DiT seeds at C = 32 (the seed-7 DiT is the convergence run)
SPLIT_SEED=7  # the held-out split of every seed: seed 7's, the split of the published runs
BOOTSTRAP="${STUDY_FRECHET_BOOTSTRAP:-20}"
ALIGNTOK="${STUDY_ALIGNTOK:-scripts/aligntok}"

if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
  exit 0
fi
PLAN=0
if [[ "${1:-}" == "--plan" ]]; then PLAN=1; shift; fi
MODE="${1:-run}"
ARG="${2:-}"  # 'diffusion': the DiT sides; 'unit': the unit's name
if [[ "$MODE" == "unit" && -z "$ARG" ]]; then
  echo "usage: scripts/study.sh [--plan] unit NAME (scripts/study.sh --plan credible lists the units)" >&2
  exit 2
fi

# Estimated cost of each step in CPU time at one libtorch thread, in tenths of a second per training
# step (and minutes per evaluation): what docs/study/cost.tsv measured (bash time, user + system) for
# the steps of 2026-12-07: stage 1 at C = 32 1.86 s per step, stage 2 and 3 2.07, the vanilla
# tokenizer at C = 32 1.99, the DiT 1.26 (at C = 8 they are no slower); a tokenizer evaluation
# 4-7 min, 7 with the references (longer at C = 32: the PCA of the 3x3 frozen map); a DiT
# evaluation 15 min with its bootstrap. The old
# baseline's rate is its wall time of 2026-11-29, not remeasured. Wall time is longer when the two
# lanes share the cores with other work (the first C = 32 stage 1: 3,142 s of wall time for 1,859 s
# of CPU beside a CI run). Only the plan uses them.
DS_STAGE1=19; DS_STAGE2=21; DS_STAGE3=21; DS_BASELINE=29; DS_VANILLA=20; DS_DIT=13
# FrechetBootstrap: about 4 s per resample and distance; a DiT evaluation bootstraps 2 (without CFG),
# a tokenizer evaluation 1
MIN_BOOTSTRAP=$(( (BOOTSTRAP * 8 + 59) / 60 )); MIN_TOKENIZER_BOOTSTRAP=$(( (BOOTSTRAP * 4 + 59) / 60 ))
MIN_EVAL_TOKENIZER=$((5 + MIN_TOKENIZER_BOOTSTRAP)); MIN_EVAL_FROZEN=$((10 + MIN_TOKENIZER_BOOTSTRAP))
MIN_EVAL_FASHION=$((12 + MIN_TOKENIZER_BOOTSTRAP)); MIN_LATENTS=2; MIN_EVAL_DIT=12
MIN_EVAL_FROZEN_C32=31  # the references at the C = 32 widths: PCA of 3,456 frozen features (1,845 s CPU)
minutes() { echo $(( ($1 * $2 + 599) / 600 )); }  # minutes STEPS DS_PER_STEP

if (( ! PLAN )) && [[ "$MODE" != report ]]; then mkdir -p "$STUDY/done" "$STUDY/logs" "$STUDY/locks" "$DOCS"; fi

# Tokenizer evaluations are of the current format when their probes chose L2 by the one-standard-
# error rule (the probes of 2026-12-06: whole-latent probe, same-width references, convergence
# flags, per-image results, and that rule) and their Fréchet distance has a bootstrap interval
# (2026-12-07; its resampled median is only in an interval). Older ones count only for what the
# credible study does not redo: w_sp = 5, the old baseline, Fashion-MNIST.
EVAL_FORMAT_KEYS=('L2 chosen by ONE_STANDARD_ERROR' '"resampledMedian"')
LEGACY_EVALS=("stage2-wsp5/eval.json" "baseline/eval.json" "fashion-mnist/*")
# DiT evaluations are current when their Fréchet distance has a bootstrap interval; the first
# study's two DiTs (2026-11-29, without intervals, their weights no longer kept) stand as they are.
DIT_FORMAT_KEY='"frechetInterval"'
LEGACY_DITS=("dit-baseline/*" "dit-alignTok/*")
# Every tokenizer evaluation, with the interval of its Fréchet distance (paired by image).
TOKENIZER_EVAL=("$ALIGNTOK" eval tokenizer --frechet-bootstrap "$BOOTSTRAP")
# The references (frozen encoder and raw pixels cut to each probe's width) depend only on the
# latent width and the split: one evaluation per width computes them (the chain's FROZEN variant),
# the others skip them.
NO_REFERENCES=(--no-frozen-encoder-probe --no-pixel-references)

# current FILE PUB: FILE holds a result good enough to stand as docs/study/PUB.
current() {
  local file="$1" pub="$2" legacy key fresh=1 legacies=()
  [[ -f "$file" ]] || return 1
  case "$pub" in
    */eval.json)
      for key in "${EVAL_FORMAT_KEYS[@]}"; do grep -q -- "$key" "$file" || fresh=0; done
      legacies=("${LEGACY_EVALS[@]}") ;;
    */generation.json)
      grep -q -- "$DIT_FORMAT_KEY" "$file" || fresh=0
      legacies=("${LEGACY_DITS[@]}") ;;
  esac
  (( fresh )) && return 0
  for legacy in "${legacies[@]}"; do
    # shellcheck disable=SC2053  # the legacy entries are patterns
    [[ "$pub" == $legacy ]] && return 0
  done
  return 1
}

# needs PUB...: prints yes if any of these publications is missing or stale, else no.
needs() {
  local pub
  for pub in "$@"; do
    current "$DOCS/$pub" "$pub" || { echo yes; return 0; }
  done
  echo no
}

declare -A LISTED=()  # plan: steps already listed as to do (a later unit needing them is not charged again)
UNIT=""; UNIT_MINUTES=0; TOTAL_MINUTES=0

say() { if (( PLAN )); then printf '  %-9s %s\n' "$1" "$2"; fi; return 0; }

# resume_point COMMAND...: "DONE TOTAL" when COMMAND is a training step (`train tokenizer` or
# `train dit`) that has checkpoints on this machine, DONE being the last one's step; else nothing.
# The plan charges such a step only its remaining steps' share of the estimate.
resume_point() {
  local args=("$@") i run="" stage="" steps="" dir last
  [[ " $* " == *" train tokenizer "* || " $* " == *" train dit "* ]] || return 0
  for ((i = 0; i < ${#args[@]} - 1; i++)); do
    case "${args[i]}" in --run) run="${args[i+1]}";; --stage) stage="${args[i+1]}";; --steps) steps="${args[i+1]}";; esac
  done
  if [[ " $* " == *" train dit "* ]]; then
    dir="$run/checkpoints"; steps="${steps:-$DIT_STEPS}"
  else
    case "$stage" in
      1|2|3) dir="$run/stage$stage/checkpoints"; [[ "$stage" == 1 ]] && steps="${steps:-1000}" || steps="${steps:-500}" ;;
      *) dir="$run/$stage/checkpoints"; steps="${steps:-2000}" ;;
    esac
  fi
  last=$(find "$dir" -maxdepth 1 -name 'step-*' 2> /dev/null | sed 's/.*step-0*//' | sort -n | tail -1)
  if [[ -n "$last" ]] && (( last > 0 && last < steps )); then echo "$last $steps"; fi
}

# run_step NAME MINUTES COMMAND...: runs COMMAND (logged), then marks NAME done; in a plan, lists it.
run_step() {
  local name="$1" minutes="$2"; shift 2
  if (( PLAN )); then
    if [[ -n "${LISTED[$name]:-}" ]]; then
      say "above" "$name (listed under ${LISTED[$name]})"
    else
      LISTED[$name]="${UNIT:-this plan}"
      local resumes
      resumes=$(resume_point "$@")
      if [[ -n "$resumes" ]]; then  # a training step stopped part-way here: only the rest is to do
        minutes=$(( (minutes * (${resumes#* } - ${resumes% *}) + ${resumes#* } - 1) / ${resumes#* } ))
        resumes=" from its checkpoint at step ${resumes% *} of ${resumes#* }"
      fi
      UNIT_MINUTES=$((UNIT_MINUTES + minutes)); TOTAL_MINUTES=$((TOTAL_MINUTES + minutes))
      say "to do" "$name (~$minutes min)$resumes: $*"
    fi
    return 0
  fi
  # Another study process on this STUDY_DIR running the same step (a shared input of two units side
  # by side): wait for it, then take its result. flock lets go when its holder dies.
  local lock
  exec {lock}>"$STUDY/locks/$name.lock"
  if command -v flock > /dev/null && ! flock -n "$lock"; then
    echo "[study] $name is being run by another study process; waiting for it"
    flock "$lock"
  fi
  if [[ -e "$STUDY/done/$name" ]]; then
    exec {lock}>&-
    return 0
  fi
  ensure_data
  echo "[study $(date -u +%H:%M:%S)] $name (~$minutes min): $*"
  local started=$SECONDS timing="$STUDY/logs/$name.time" real user sys cpu
  # bash's `time` gives the step's CPU seconds (user + system, all its threads) beside the wall time:
  # the compute a step really cost, which a paused (kill -STOP) or crowded step's wall time is not.
  if ! { TIMEFORMAT='%R %U %S'; time "$@" > "$STUDY/logs/$name.log" 2>&1; } 2> "$timing"; then
    echo "[study] step $name failed; log: $STUDY/logs/$name.log" >&2
    tail -20 "$STUDY/logs/$name.log" >&2
    exit 1
  fi
  read -r real user sys < "$timing"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", u + s + 0.5 }')
  echo "$((SECONDS - started)) $cpu" > "$STUDY/done/$name"
  [[ -f "$DOCS/cost.tsv" ]] || printf 'step\twall_seconds\tcpu_seconds\tfinished_utc\n' > "$DOCS/cost.tsv"
  printf '%s\t%d\t%d\t%s\n' "$name" "$((SECONDS - started))" "$cpu" "$(date -u +%FT%TZ)" >> "$DOCS/cost.tsv"
  exec {lock}>&-
  echo "[study $(date -u +%H:%M:%S)] $name finished in $((SECONDS - started)) s ($cpu s of CPU)"
}

# ensure_data: before a study process's first step, fetches the emoji datasets and the frozen
# encoder's weights into the cache, or finds them there (about a second): a fresh machine has none,
# and without them every step fails. Fashion-MNIST has its own step (fashion-data).
DATA_SOURCES="emoji-google,emoji-twitter,nsfwjs,emojilib,emojibase"
DATA_READY="${STUDY_DATA_READY:-0}"  # 1: fetched by the process that started this one (lanes)
ensure_data() {
  (( DATA_READY )) && return 0
  echo "[study $(date -u +%H:%M:%S)] data: $ALIGNTOK data fetch --only $DATA_SOURCES"
  if ! "$ALIGNTOK" data fetch --only "$DATA_SOURCES" > "$STUDY/logs/data-fetch.log" 2>&1; then
    echo "[study] fetching the study's data failed; log: $STUDY/logs/data-fetch.log" >&2
    tail -20 "$STUDY/logs/data-fetch.log" >&2
    exit 1
  fi
  DATA_READY=1
}

# done_seconds NAME: "W s" or "W s, C s CPU" from $STUDY/done/NAME (older marks hold only W).
done_seconds() {
  local wall cpu
  read -r wall cpu < "$STUDY/done/$1" || true
  echo "$wall s${cpu:+, $cpu s CPU}"
}

# train NAME MINUTES NEEDED COMMAND...: a training or extraction step, run only if NEEDED (yes: some
# output downstream is not published) and not done on this machine.
train() {
  local name="$1" minutes="$2" needed="$3"; shift 3
  if [[ -e "$STUDY/done/$name" ]]; then
    say "done" "$name ($(done_seconds "$name"))"
  elif [[ "$needed" != yes ]]; then
    say "skip" "$name: every result downstream is published"
  else
    run_step "$name" "$minutes" "$@"
  fi
}

# evaluate [--pictures GLOB] NAME MINUTES PUB FROM COMMAND...: an evaluation writing into FROM,
# done once docs/study/PUB (FROM's report file, published with its pictures: those matching GLOB,
# default $EVAL_PICTURES or every *.png; "none" for none) is current.
evaluate() {
  local pictures="${EVAL_PICTURES:-*.png}"
  if [[ "$1" == --pictures ]]; then pictures="$2"; shift 2; fi
  local name="$1" minutes="$2" pub="$3" from="$4"; shift 4
  local file="$from/${pub##*/}"
  if current "$DOCS/$pub" "$pub"; then
    say "published" "$name: $DOCS/$pub"
    return 0
  fi
  if [[ -e "$STUDY/done/$name" ]] && current "$file" "$pub"; then  # finished here, not published
    if (( PLAN )); then say "publish" "$name: $from -> $DOCS/${pub%/*}"; else publish "$from" "${pub%/*}" "$pictures"; fi
    return 0
  fi
  if (( ! PLAN )); then rm -f "$STUDY/done/$name"; fi  # a stale result: evaluate again
  run_step "$name" "$minutes" "$@"
  if (( ! PLAN )); then publish "$from" "${pub%/*}" "$pictures"; fi
}

# publish FROM TO [GLOB]: copies a finished evaluation's small files into docs/study/TO: its JSON,
# and its pictures matching GLOB (default *.png; none: no pictures). find rounds -size up to its
# unit, so the limit is in KiB: -2M would drop every file over 1 MiB.
publish() {
  mkdir -p "$DOCS/$2"
  find "$1" -maxdepth 1 -type f -name '*.json' -exec cp {} "$DOCS/$2/" \;
  if [[ "${3:-*.png}" != none ]]; then
    find "$1" -maxdepth 1 -type f -name "${3:-*.png}" -size -2048k -exec cp {} "$DOCS/$2/" \;
  fi
}

# link_stage1 FROM RUN: RUN shares FROM's stage 1 (a stage 2 variant of the same stage 1).
link_stage1() {
  (( PLAN )) && return 0
  mkdir -p "$2"
  [[ -e "$2/stage1" || -L "$2/stage1" ]] || ln -s "$(mkdir -p "$1" && cd "$1" && pwd)/stage1" "$2/stage1"
}

# The seed arguments of training and evaluation; seed 7 keeps the original commands.
seed_args() {
  SEED_ARGS=()
  EVAL_PICTURES='*.png'
  # Other seeds publish numbers only: the pictures (reconstructions, loss curves) are seed 7's.
  [[ "$1" == 7 ]] || { SEED_ARGS=(--seed "$1" --split-seed "$SPLIT_SEED"); EVAL_PICTURES=none; }
}

has() { [[ " $1 " == *" $2 "* ]]; }

# AlignTok chain: stage 1 -> stage 2 for each w_sp in WSPS (all sharing stage 1) -> stage 3 (w_sp = 1).
#   alignTok_chain PREFIX ROOT SUB SUFFIX "WSPS" "EVALS" FROZEN WANT1 WANT3 [TRAIN_ARGS -- EVAL_ARGS]
# PREFIX names the steps (PREFIXstage1, PREFIXeval-stage3, ...); runs live under ROOT/wsp<w>;
# variant V of EVALS (stage1 stage2-wsp<w> stage3) is published to docs/study/SUB V SUFFIX;
# FROZEN is the variant whose evaluation also probes the frozen encoder (the same-width
# references; "" for none); WANT1 / WANT3: yes if a step outside the chain needs stage 1's /
# stage 3's weights. TRAIN_ARGS go to every training command, EVAL_ARGS to every evaluation.
alignTok_chain() {
  local prefix="$1" root="$2" sub="$3" suffix="$4" wsps="$5" evals="$6" frozen="$7" want1="$8" want3="$9"; shift 9
  local train_args=() eval_args=()
  while (( $# )) && [[ "$1" != "--" ]]; do train_args+=("$1"); shift; done
  if (( $# )); then shift; eval_args=("$@"); fi
  local main="$root/wsp1" w need1 need3 pub
  declare -A need2=()
  need3="$want3"
  if has "$evals" stage3 && [[ "$(needs "${sub}stage3$suffix/eval.json")" == yes ]]; then need3=yes; fi
  need1="$want1"
  for w in $wsps; do
    need2[$w]=no
    if [[ "$w" == 1 && "$need3" == yes ]]; then need2[$w]=yes; fi
    if has "$evals" "stage2-wsp$w" && [[ "$(needs "${sub}stage2-wsp$w$suffix/eval.json")" == yes ]]; then need2[$w]=yes; fi
    if [[ "${need2[$w]}" == yes ]]; then need1=yes; fi
  done
  if has "$evals" stage1 && [[ "$(needs "${sub}stage1$suffix/eval.json")" == yes ]]; then need1=yes; fi

  reference_flags() { [[ "$1" == "$frozen" ]] || echo "${NO_REFERENCES[@]}"; }
  local s1 s2 s3
  s1=$(minutes "$(steps_of 1000 "${STEPS_STAGE1[@]}")" "$DS_STAGE1")
  s2=$(minutes "$(steps_of 500 "${STEPS_STAGE23[@]}")" "$DS_STAGE2")
  s3=$(minutes "$(steps_of 500 "${STEPS_STAGE23[@]}")" "$DS_STAGE3")
  train "${prefix}stage1" "$s1" "$need1" "$ALIGNTOK" train tokenizer --stage 1 --run "$main" "${STEPS_STAGE1[@]}" \
    "${train_args[@]}"
  if has "$evals" stage1; then
    evaluate "${prefix}eval-stage1" "$(eval_minutes stage1)" "${sub}stage1$suffix/eval.json" "$main/stage1/eval" \
      "${TOKENIZER_EVAL[@]}" --stage 1 --run "$main" $(reference_flags stage1) "${eval_args[@]}"
  fi
  for w in $wsps; do
    local run="$root/wsp$w"
    if [[ "$w" != 1 && "${need2[$w]}" == yes ]]; then link_stage1 "$main" "$run"; fi
    train "${prefix}stage2-wsp$w" "$s2" "${need2[$w]}" "$ALIGNTOK" train tokenizer --stage 2 --sp-weight "$w" --run "$run" \
      "${STEPS_STAGE23[@]}" "${train_args[@]}"
    if has "$evals" "stage2-wsp$w"; then
      evaluate "${prefix}eval-stage2-wsp$w" "$(eval_minutes "stage2-wsp$w")" "${sub}stage2-wsp$w$suffix/eval.json" "$run/stage2/eval" \
        "${TOKENIZER_EVAL[@]}" --stage 2 --run "$run" $(reference_flags "stage2-wsp$w") "${eval_args[@]}"
    fi
  done
  if has "$wsps" 1; then
    train "${prefix}stage3" "$s3" "$need3" "$ALIGNTOK" train tokenizer --stage 3 --run "$main" "${STEPS_STAGE23[@]}" \
      "${train_args[@]}"
    if has "$evals" stage3; then
      evaluate "${prefix}eval-stage3" "$(eval_minutes stage3)" "${sub}stage3$suffix/eval.json" "$main/stage3/eval" \
        "${TOKENIZER_EVAL[@]}" --stage 3 --run "$main" $(reference_flags stage3) "${eval_args[@]}"
    fi
  fi
}

# Step budgets of the chain's stages and the old baseline (empty: the trainer's defaults).
STEPS_STAGE1=(); STEPS_STAGE23=(); STEPS_BASELINE=()

# steps_of DEFAULT [--steps N]: the training steps of a stage, for the estimates.
steps_of() {
  if [[ "${2:-}" == --steps ]]; then echo "$3"; else echo "$1"; fi
}

# eval_minutes VARIANT: uses the caller's frozen and eval_args.
eval_minutes() {
  if [[ " ${eval_args[*]:-} " == *" --probe-train-images "* ]]; then echo "$MIN_EVAL_FASHION"
  elif [[ "$1" == "$frozen" && " ${train_args[*]:-} " == *" --latent-channels 32 "* ]]; then echo "$MIN_EVAL_FROZEN_C32"
  elif [[ "$1" == "$frozen" ]]; then echo "$MIN_EVAL_FROZEN"
  else echo "$MIN_EVAL_TOKENIZER"; fi
}

# The old baseline (MobileNetV2 with BatchNorm folded away, from scratch, no EMA) of a table.
#   old_baseline PREFIX ROOT SUB WANT [TRAIN_ARGS -- EVAL_ARGS]; WANT: yes if a DiT needs its weights
old_baseline() {
  local prefix="$1" root="$2" sub="$3" need="$4"; shift 4
  local train_args=() eval_args=()
  while (( $# )) && [[ "$1" != "--" ]]; do train_args+=("$1"); shift; done
  if (( $# )); then shift; eval_args=("$@"); fi
  local frozen=""
  if [[ "$need" != yes ]]; then need=$(needs "${sub}baseline/eval.json"); fi
  train "${prefix}baseline" "$(minutes "$(steps_of 2000 "${STEPS_BASELINE[@]}")" "$DS_BASELINE")" "$need" \
    "$ALIGNTOK" train tokenizer --stage baseline --run "$root/baseline" "${STEPS_BASELINE[@]}" "${train_args[@]}"
  evaluate "${prefix}eval-baseline" "$(eval_minutes baseline)" "${sub}baseline/eval.json" "$root/baseline/baseline/eval" \
    "${TOKENIZER_EVAL[@]}" --stage baseline --run "$root/baseline" "${NO_REFERENCES[@]}" "${eval_args[@]}"
}

# The emoji tokenizer table of docs/results.md (seed 7): every w_sp, stage 3, the old baseline.
#   emoji_table WANT3 WANT_BASELINE: yes if a DiT needs stage 3's / the old baseline's weights
emoji_table() {
  alignTok_chain "" "$STUDY" "" "" "1 0 5" "stage1 stage2-wsp1 stage2-wsp0 stage2-wsp5 stage3" stage1 no "$1"
  old_baseline "" "$STUDY" "" "$2"
}

# Fashion-MNIST (60,000 28-px grey images, resized to 64 px like everything else): the same table,
# seed and proportions at half the emoji budget (STUDY_FASHION_STEPS); 2 % held out (1,200 images,
# close to the emoji's 406 in evaluation cost); probes on a seeded 6,000 of the 58,800 training images.
fashion_table() {
  local data=(--dataset fashion-mnist-train --validation-fraction 0.02)
  local probe=(--probe-train-images 6000)
  local pubs=() v
  for v in stage1 stage2-wsp1 stage2-wsp0 stage2-wsp5 stage3 baseline; do pubs+=("fashion-mnist/$v/eval.json"); done
  train fashion-data 2 "$(needs "${pubs[@]}")" "$ALIGNTOK" data fetch --only fashion-mnist
  STEPS_STAGE1=(--steps "$FASHION_STEPS")
  STEPS_STAGE23=(--steps "$((FASHION_STEPS / 2))")
  STEPS_BASELINE=(--steps "$((FASHION_STEPS * 2))")
  alignTok_chain fashion- "$STUDY/fashion-mnist" fashion-mnist/ "" "1 0 5" "stage1 stage2-wsp1 stage2-wsp0 stage2-wsp5 stage3" stage1 no no \
    "${data[@]}" -- "${data[@]}" "${probe[@]}"
  old_baseline fashion- "$STUDY/fashion-mnist" fashion-mnist/ no "${data[@]}" -- "${data[@]}" "${probe[@]}"
  STEPS_STAGE1=(); STEPS_STAGE23=(); STEPS_BASELINE=()
}

# dit_needed NAME: yes if an evaluation of the DiT dit-NAME is not published.
dit_needed() {
  local pubs=() s
  for s in $DIT_EVAL_STEPS; do pubs+=("dit-$1/step-$s/generation.json"); done
  needs "${pubs[@]}"
}

# Diffusion on one tokenizer's latents: the same DiT, steps and seed for every tokenizer, evaluated
# at several checkpoints. convergence NAME RUN STAGE [EVAL_ARGS...]
convergence() {
  local name="$1" run="$2" stage="$3"; shift 3
  local need extra=0 s checkpoint pictures
  need=$(dit_needed "$name")
  if [[ " $* " == *" --frechet-bootstrap "* ]]; then extra=$MIN_BOOTSTRAP; fi
  train "latents-$name" "$MIN_LATENTS" "$need" \
    "$ALIGNTOK" extract-latents --run "$run" --stage "$stage" --split train --out "$STUDY/latents-$name"
  train "dit-$name" "$(minutes "$DIT_STEPS" "$DS_DIT")" "$need" \
    "$ALIGNTOK" train dit --latents "$STUDY/latents-$name" --run "$STUDY/dit-$name" \
    --steps "$DIT_STEPS" --checkpoint-every 250 --keep-checkpoints 100
  for s in $DIT_EVAL_STEPS; do
    checkpoint="$STUDY/dit-$name/checkpoints/$(printf 'step-%08d' "$s")"
    # One sample grid (about 1.3 MB, git-ignored), the last checkpoint's without CFG: the report keeps
    # its first rows beside it (rows-without_cfg.png, committed), which docs/study/samples.png stacks.
    pictures=none; [[ "$s" == "${DIT_EVAL_STEPS##* }" ]] && pictures=samples-without_cfg.png
    evaluate --pictures "$pictures" "eval-dit-$name-$s" "$((MIN_EVAL_DIT + extra))" "dit-$name/step-$s/generation.json" "$STUDY/dit-$name/eval-$s" \
      "$ALIGNTOK" eval generation --dit "$checkpoint" --out "$STUDY/dit-$name/eval-$s" "$@"
  done
}

# The fair vanilla tokenizer (LDM-style CNN encoder with GroupNorm; issue 22) at C latent channels:
# the same decoder, losses, EMA, GAN steps and total steps as stages 1-3 (the trainer's defaults for
# --stage vanilla). fair_baseline SEED C [WANT: yes if a DiT needs its weights]
fair_baseline() {
  local seed="$1" c="$2" want="${3:-no}"
  local prefix="" run="$STUDY/vanilla-c$c" pub="vanilla-c$c/eval.json" need=yes
  if [[ "$seed" != 7 ]]; then
    prefix="seed-$seed-"; run="$STUDY/seed-$seed/vanilla-c$c"; pub="vanilla-c$c/seed-$seed/eval.json"
  fi
  seed_args "$seed"
  if [[ "$want" != yes ]]; then need=$(needs "$pub"); fi
  train "${prefix}vanilla-c$c" "$(minutes 2000 "$DS_VANILLA")" "$need" \
    "$ALIGNTOK" train tokenizer --stage vanilla --latent-channels "$c" --run "$run" "${SEED_ARGS[@]}"
  evaluate "${prefix}eval-vanilla-c$c" "$MIN_EVAL_TOKENIZER" "$pub" "$run/vanilla/eval" \
    "${TOKENIZER_EVAL[@]}" --stage vanilla --run "$run" "${NO_REFERENCES[@]}" "${SEED_ARGS[@]}"
}

# ---- The credible study of issue 22, in units --------------------------------------------------

# The deciding AlignTok variants of one seed at C = 8: full method (stages 1, 2 with w_sp = 1, 3)
# and w_sp = 0 (sharing stage 1), with stage 2 at w_sp = 1 evaluated too: w_sp = 0 is compared
# with it, stage for stage, paired by seed. Seed 7 also evaluates stage 1 (with the frozen-encoder
# references at the C = 8 widths).
# aligntok_seed SEED [WANT3: yes if a DiT needs seed 7's stage-3 weights]
aligntok_seed() {
  local seed="$1" want3="${2:-no}"
  seed_args "$seed"
  if [[ "$seed" == 7 ]]; then
    alignTok_chain "" "$STUDY" "" "" "1 0" "stage1 stage2-wsp1 stage2-wsp0 stage3" stage1 no "$want3"
  else
    alignTok_chain "seed-$seed-" "$STUDY/seed-$seed" "" "/seed-$seed" "1 0" "stage2-wsp1 stage2-wsp0 stage3" "" no no \
      "${SEED_ARGS[@]}" -- "${SEED_ARGS[@]}"
  fi
}

# Stage 2 (w_sp = 1) with the encoder's learning rate at 1e-4 instead of 1e-3, from seed 7's stage 1.
# The rule that chooses between them, fixed on 2026-12-07 before the 1e-4 run was evaluated: take
# 1e-4 if it is better than 1e-3 by more than 2 standard errors of the difference in the whole-latent
# probe (paired by image) or in the Fréchet distance (bootstrap), and worse in neither by more than
# 2; otherwise keep 1e-3, with which every other run of the study trains.
encoder_lr() {
  local pub="stage2-wsp1-elr1e-4/eval.json" run="$STUDY/wsp1-elr1e-4" need
  need=$(needs "$pub")
  alignTok_chain "" "$STUDY" "" "" "" "" "" "$need" no
  if [[ "$need" == yes ]]; then link_stage1 "$STUDY/wsp1" "$run"; fi
  train stage2-wsp1-elr1e-4 "$(minutes 500 "$DS_STAGE2")" "$need" \
    "$ALIGNTOK" train tokenizer --stage 2 --sp-weight 1 --encoder-lr 1e-4 --run "$run"
  evaluate eval-stage2-wsp1-elr1e-4 "$MIN_EVAL_TOKENIZER" "$pub" "$run/stage2/eval" \
    "${TOKENIZER_EVAL[@]}" --stage 2 --run "$run" "${NO_REFERENCES[@]}"
}

# The full method at C = 32 (same 8x8 grid), seed 7: its stage 3 evaluated with the frozen-encoder
# references at the C = 32 widths, and stages 1 and 2 without them (where along the chain the C = 32
# latents gain their separability). alignTok_c32 [WANT3]
alignTok_c32() {
  alignTok_chain c32- "$STUDY/c32" "" "-c32" "1" "stage1 stage2-wsp1 stage3" stage3 no "${1:-no}" --latent-channels 32
}

# The DiT on the full method's C = 8 latents (seed 7), with bootstrap intervals, on the stage 3 this
# study trains. It publishes to dit-alignTok-c8: the first study's dit-alignTok (no intervals, an
# earlier stage-3 run) stays as it was, so that no curve mixes the two DiTs.
dit_alignTok_c8() {
  aligntok_seed 7 "$(dit_needed alignTok-c8)"
  convergence alignTok-c8 "$STUDY/wsp1" 3 --frechet-bootstrap "$BOOTSTRAP"
}

dit_alignTok_c32() {
  alignTok_c32 "$(dit_needed alignTok-c32)"
  convergence alignTok-c32 "$STUDY/c32/wsp1" 3 --frechet-bootstrap "$BOOTSTRAP"
}

# Further DiT seeds on one tokenizer's latents (the latents of convergence NAME), trained like
# the seed-7 DiT and evaluated at its last step only: the spread over DiT seeds that the C = 32
# claim is judged against (issue 22), published to dit-NAME/seed-S/step-N/.
#   dit_seeds NAME RUN STAGE TOKENIZER_FUNCTION [ITS ARGS...]; the function gets WANT appended (yes:
#   a result is missing, so the tokenizer's weights are needed unless its steps are done here).
dit_seeds() {
  local name="$1" run="$2" stage="$3"; shift 3
  local seed need pubs=() dir pub last
  last=$(printf 'step-%08d' "$DIT_STEPS")
  for seed in $DIT_SEEDS; do pubs+=("dit-$name/seed-$seed/step-$DIT_STEPS/generation.json"); done
  need=$(needs "${pubs[@]}")
  "$@" "$need"
  train "latents-$name" "$MIN_LATENTS" "$need" \
    "$ALIGNTOK" extract-latents --run "$run" --stage "$stage" --split train --out "$STUDY/latents-$name"
  for seed in $DIT_SEEDS; do
    dir="$STUDY/dit-$name/seed-$seed"; pub="dit-$name/seed-$seed/step-$DIT_STEPS/generation.json"
    train "dit-$name-seed-$seed" "$(minutes "$DIT_STEPS" "$DS_DIT")" "$(needs "$pub")" \
      "$ALIGNTOK" train dit --latents "$STUDY/latents-$name" --run "$dir" --seed "$seed" \
      --steps "$DIT_STEPS" --checkpoint-every 250 --keep-checkpoints 100
    evaluate --pictures none "eval-dit-$name-seed-$seed" "$((MIN_EVAL_DIT + MIN_BOOTSTRAP))" "$pub" "$dir/eval-$DIT_STEPS" \
      "$ALIGNTOK" eval generation --dit "$dir/checkpoints/$last" --out "$dir/eval-$DIT_STEPS" \
      --frechet-bootstrap "$BOOTSTRAP"
  done
}

dit_vanilla() {
  local c="$1"; shift
  fair_baseline 7 "$c" "$(dit_needed "vanilla-c$c")"
  convergence "vanilla-c$c" "$STUDY/vanilla-c$c" vanilla "$@"
}

# samples_needed NAME: yes if the DiT dit-NAME is evaluated at its last step (the convergence unit
# is done) but neither that run nor a rerun has its sample grid or the rows the report keeps of it.
samples_needed() {
  local last="step-${DIT_EVAL_STEPS##* }" folder
  if ! current "$DOCS/dit-$1/$last/generation.json" "dit-$1/$last/generation.json"; then echo no; return 0; fi
  for folder in "$DOCS/dit-$1/$last" "$DOCS/dit-$1/rerun/$last"; do
    if compgen -G "$folder/samples-with*.png" > /dev/null || compgen -G "$folder/rows-with*.png" > /dev/null; then
      echo no; return 0
    fi
  done
  echo yes
}

# The sample grids of three frontier DiTs went with the machines of 2026-12-07 before the report kept
# their rows: such a DiT is trained again with the same commands (its tokenizer first, unless this
# machine has its weights) and its last checkpoint evaluated with the grid, published to
# dit-NAME/rerun/step-N/. Its published curve stays the first run's; the figure's caption names the
# rerun and both Fréchet distances (runs differ across machines).
#   samples_rerun NAME RUN STAGE TOKENIZER_FUNCTION [ITS ARGS...]; the function gets WANT appended
samples_rerun() {
  local name="$1" run="$2" stage="$3"; shift 3
  local need last="${DIT_EVAL_STEPS##* }" dir="$STUDY/dit-$name"
  need=$(samples_needed "$name")
  if [[ "$need" != yes ]]; then
    say "skip" "rerun of dit-$name: its samples are published, or its own evaluation will draw them"
    return 0
  fi
  "$@" yes
  train "latents-$name" "$MIN_LATENTS" yes \
    "$ALIGNTOK" extract-latents --run "$run" --stage "$stage" --split train --out "$STUDY/latents-$name"
  train "dit-$name" "$(minutes "$DIT_STEPS" "$DS_DIT")" yes \
    "$ALIGNTOK" train dit --latents "$STUDY/latents-$name" --run "$dir" \
    --steps "$DIT_STEPS" --checkpoint-every 250 --keep-checkpoints 100
  evaluate --pictures samples-without_cfg.png "rerun-eval-dit-$name-$last" "$((MIN_EVAL_DIT + MIN_BOOTSTRAP))" \
    "dit-$name/rerun/step-$last/generation.json" "$dir/rerun-eval-$last" \
    "$ALIGNTOK" eval generation --dit "$dir/checkpoints/$(printf 'step-%08d' "$last")" --out "$dir/rerun-eval-$last" \
    --frechet-bootstrap "$BOOTSTRAP"
}

UNIT_NAMES=(); ONLY_UNIT=""; UNIT_FOUND=0
SESSION_MINUTES=150  # what a unit may take at one thread so that a session (at most 3 h) finishes it
[[ "$MODE" == unit ]] && ONLY_UNIT="$ARG"

# unit NAME DESCRIPTION FUNCTION ARGS...: one session's worth of work (or, with ONLY_UNIT, only that one).
unit() {
  local name="$1" description="$2"; shift 2
  UNIT_NAMES+=("$name")
  if [[ -n "$ONLY_UNIT" && "$ONLY_UNIT" != "$name" ]]; then return 0; fi
  UNIT_FOUND=1; UNIT="$name"; UNIT_MINUTES=0
  if (( PLAN )); then echo "unit $name: $description"; else echo "[study] unit $name: $description"; fi
  "$@"
  if (( PLAN )); then
    if (( UNIT_MINUTES > 0 )); then echo "  => ~$UNIT_MINUTES min to do"; else echo "  => nothing to do"; fi
    if (( UNIT_MINUTES > SESSION_MINUTES )); then
      echo "  => more than a session at one thread: run it where its inputs' weights are (see 'done'), or alone with ALIGNTOK_THREADS=2"
    fi
  fi
  UNIT=""
}

# In order, each DiT right after its tokenizer (whose weights it needs): the fair baseline at seed 7,
# the seed-7 AlignTok variants and what shares their stage 1, the C = 32 full method and its DiT,
# then the further seeds.
credible_units() {
  local seed
  unit vanilla-c8 "fair vanilla tokenizer, C = 8, seed 7, evaluated" fair_baseline 7 8
  unit dit-vanilla-c8 "DiT on the fair vanilla C = 8 latents, evaluated at $DIT_EVAL_STEPS with bootstrap intervals" \
    dit_vanilla 8 --frechet-bootstrap "$BOOTSTRAP"
  unit vanilla-c32 "fair vanilla tokenizer, C = 32, seed 7, evaluated" fair_baseline 7 32
  unit dit-vanilla-c32 "DiT on the fair vanilla C = 32 latents, evaluated at $DIT_EVAL_STEPS with bootstrap intervals" \
    dit_vanilla 32 --frechet-bootstrap "$BOOTSTRAP"
  unit seed-7 "AlignTok seed 7, C = 8: stage 1, stage 2 (w_sp = 1 and 0), stage 3, each evaluated" aligntok_seed 7
  unit dit-alignTok-c8 "DiT on the AlignTok C = 8 latents, evaluated at $DIT_EVAL_STEPS with bootstrap intervals" \
    dit_alignTok_c8
  unit encoder-lr "stage 2 (w_sp = 1) with --encoder-lr 1e-4 from seed 7's stage 1, evaluated" encoder_lr
  unit alignTok-c32 "AlignTok full method at C = 32, seed 7, each stage evaluated" alignTok_c32
  unit dit-alignTok-c32 "DiT on the AlignTok C = 32 latents, evaluated at $DIT_EVAL_STEPS with bootstrap intervals" \
    dit_alignTok_c32
  unit dit-seeds-alignTok-c32 "DiT seeds $DIT_SEEDS on the AlignTok C = 32 latents, evaluated at step $DIT_STEPS" \
    dit_seeds alignTok-c32 "$STUDY/c32/wsp1" 3 alignTok_c32
  unit dit-seeds-vanilla-c32 "DiT seeds $DIT_SEEDS on the fair vanilla C = 32 latents, evaluated at step $DIT_STEPS" \
    dit_seeds vanilla-c32 "$STUDY/vanilla-c32" vanilla fair_baseline 7 32
  unit samples-vanilla-c8 "a rerun of the fair C = 8 DiT for its lost sample grid (only if lost)" \
    samples_rerun vanilla-c8 "$STUDY/vanilla-c8" vanilla fair_baseline 7 8
  unit samples-vanilla-c32 "a rerun of the fair C = 32 DiT for its lost sample grid (only if lost)" \
    samples_rerun vanilla-c32 "$STUDY/vanilla-c32" vanilla fair_baseline 7 32
  unit samples-alignTok-c8 "a rerun of the AlignTok C = 8 DiT for its lost sample grid (only if lost)" \
    samples_rerun alignTok-c8 "$STUDY/wsp1" 3 aligntok_seed 7
  unit samples-alignTok-c32 "a rerun of the AlignTok C = 32 DiT for its lost sample grid (only if lost)" \
    samples_rerun alignTok-c32 "$STUDY/c32/wsp1" 3 alignTok_c32
  for seed in $SEEDS; do
    unit "seed-$seed" "AlignTok seed $seed (split seed $SPLIT_SEED), C = 8: full method, stage 2 at w_sp = 1 and 0, evaluated" \
      aligntok_seed "$seed"
    unit "vanilla-c8-seed-$seed" "fair vanilla tokenizer, C = 8, seed $seed (split seed $SPLIT_SEED), evaluated" \
      fair_baseline "$seed" 8
  done
}

# run_lanes N: the credible units with work to do, longest first, each to the lane with the least
# estimated work so far (shared steps count for the first unit that lists them; a lane that reaches
# one another lane is running waits for it). Each lane runs its units one after the other.
run_lanes() {
  local count="$1" name minutes k best units=() loads=() assigned=()
  if [[ ! "$count" =~ ^[1-8]$ ]]; then
    echo "scripts/study.sh lanes N: N is the number of lanes, 1 to 8 (one thread each), got '$count'" >&2
    exit 2
  fi
  for ((k = 0; k < count; k++)); do loads[k]=0; assigned[k]=""; done
  local plan
  if ! plan=$(bash "${BASH_SOURCE[0]}" --plan credible 2>&1); then
    echo "[study] lanes: the plan failed, so nothing was shared out:" >&2
    echo "$plan" >&2
    exit 1
  fi
  while read -r minutes name; do
    best=0
    for ((k = 1; k < count; k++)); do (( loads[k] < loads[best] )) && best=$k; done
    loads[best]=$((loads[best] + minutes)); assigned[best]+="$name "; units+=("$name")
  done < <(echo "$plan" | awk '
      /^unit / { unit = substr($2, 1, length($2) - 1) }
      /^  => ~[0-9]+ min to do/ { sub(/~/, "", $2); print $2, unit }' | sort -k1,1nr -k2,2)
  if (( ${#units[@]} == 0 )); then
    echo "[study] lanes: every unit of the credible study is done"
  fi
  for ((k = 0; k < count; k++)); do
    [[ -n "${assigned[k]}" ]] && echo "[study] lane $((k + 1)) (~${loads[k]} min at one thread): ${assigned[k]% }"
  done
  (( PLAN )) && return 0
  # Fetched once here, before the lanes: two lanes fetching into one cache at once could collide.
  if (( ${#units[@]} > 0 )); then ensure_data; fi
  export STUDY_DATA_READY=1
  local pids=() failed=0 log
  # Each lane runs in its own process group (job control on while they start), and an interrupt
  # stops the whole group: its study.sh, the CLI and the JVM, even when the lane's shell died
  # first (a kill sent to every study.sh at once), which walking the process tree would miss.
  trap 'for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2> /dev/null || true; done; exit 130' INT TERM
  set -m
  for ((k = 0; k < count; k++)); do
    [[ -n "${assigned[k]}" ]] || continue
    log="$STUDY/logs/lane-$((k + 1)).log"
    (
      export ALIGNTOK_THREADS="${ALIGNTOK_THREADS:-1}"
      for name in ${assigned[k]}; do
        echo "[study $(date -u +%H:%M:%S)] lane $((k + 1)): unit $name"
        if ! bash "${BASH_SOURCE[0]}" unit "$name" >> "$log" 2>&1; then
          echo "[study] lane $((k + 1)): unit $name failed; log: $log" >&2
          exit 1
        fi
      done
      echo "[study $(date -u +%H:%M:%S)] lane $((k + 1)): done"
    ) &
    pids+=($!)
  done
  set +m
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  trap - INT TERM
  if (( failed )); then
    echo "[study] a lane failed (see above); the units done are published, run 'scripts/study.sh lanes' again to go on" >&2
    exit 1
  fi
}

plan_total() {
  (( PLAN )) || return 0
  local lanes=$(( (TOTAL_MINUTES + 1) / 2 ))
  printf 'Total to do: ~%d min = %d.%d h at one thread (~%d.%d h on 2 cores as two one-thread lanes)\n' \
    "$TOTAL_MINUTES" $((TOTAL_MINUTES / 60)) $(( (TOTAL_MINUTES % 60) / 6 )) $((lanes / 60)) $(( (lanes % 60) / 6 ))
  if [[ -f "$DOCS/cost.tsv" ]]; then
    awk -F'\t' 'NR > 1 { n++; cpu += $3 } END { printf "Spent so far (%d steps in the ledger): %.1f CPU hours\n", n, cpu / 3600 }' \
      "$DOCS/cost.tsv"
  fi
}

if (( PLAN )); then echo "Study steps ($STUDY; published results in $DOCS; estimates at one thread):"; fi
case "$MODE" in
  report) ;;
  unit)
    credible_units
    if (( ! UNIT_FOUND )); then
      echo "scripts/study.sh: no unit '$ARG'; the units are: ${UNIT_NAMES[*]}" >&2
      exit 2
    fi
    plan_total
    exit 0 ;;  # no report: another unit may be writing docs/study beside this one
  credible) credible_units ;;
  lanes)
    run_lanes "${ARG:-2}"
    if (( PLAN )); then exit 0; fi ;;
  vanilla)
    dit_vanilla 8 --frechet-bootstrap "$BOOTSTRAP"
    fair_baseline 7 32
    plan_total
    exit 0 ;;
  fashion) fashion_table ;;
  diffusion|run)
    sides="${ARG:-alignTok baseline}"
    [[ "$MODE" == run ]] && sides="alignTok baseline"
    want3=no; want_baseline=no
    if has "$sides" alignTok; then want3=$(dit_needed alignTok); fi
    if has "$sides" baseline; then want_baseline=$(dit_needed baseline); fi
    emoji_table "$want3" "$want_baseline"
    if has "$sides" alignTok; then convergence alignTok "$STUDY/wsp1" 3; fi
    if has "$sides" baseline; then convergence baseline "$STUDY/baseline" baseline; fi
    if [[ "$MODE" == run ]]; then fashion_table; credible_units; fi ;;
  *)
    echo "scripts/study.sh: unknown mode '$MODE' (run, credible, unit NAME, lanes [N], fashion, diffusion, vanilla, report; --plan before any; --help)" >&2
    exit 2 ;;
esac
if (( PLAN )); then plan_total; exit 0; fi
"$ALIGNTOK" eval study --docs "$DOCS"
echo "[study] evaluations and summary are in $DOCS/; the discussion: docs/results.md"
