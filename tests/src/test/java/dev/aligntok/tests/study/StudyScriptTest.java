package dev.aligntok.tests.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/study.sh} without training anything: its plan of the issue-22 study (units,
 * estimates, the compute budget), and its make-like resumption across machines, run against a
 * stand-in for {@code scripts/aligntok} that records its arguments and writes the report files an
 * evaluation would. "Done" is a result published in the docs folder; a training step runs only
 * when a result downstream of it is missing.
 */
class StudyScriptTest {
  private static final Path REPO = Path.of(System.getProperty("aligntok.repo.root", "..")).toAbsolutePath().normalize();
  private static final Pattern TO_DO = Pattern.compile("^  to do +(\\S+) \\(~(\\d+) min\\)");
  private static final Pattern TOTAL = Pattern.compile("Total to do: ~(\\d+) min");
  private static final List<String> UNITS = List.of("vanilla-c8", "vanilla-c32", "dit-vanilla-c8", "dit-vanilla-c32",
      "seed-7", "dit-alignTok-c8", "encoder-lr", "alignTok-c32", "dit-alignTok-c32", "dit-seeds-alignTok-c32",
      "dit-seeds-vanilla-c32", "seed-11", "vanilla-c8-seed-11", "seed-13",
      "vanilla-c8-seed-13");
  /** Reruns of a DiT whose sample grid was lost: listed always, with work only once its evaluation is published. */
  private static final List<String> SAMPLE_UNITS = List.of("samples-vanilla-c8", "samples-vanilla-c32", "samples-alignTok-c8",
      "samples-alignTok-c32");
  /**
   * A tokenizer evaluation of the current format: its probes chose L2 by the one-standard-error
   * rule and its Fréchet distance has a bootstrap interval.
   */
  private static final String CURRENT_EVAL = "{\"frechet\": {\"interval\": {\"resampledMedian\": 2.1}}, "
      + "\"probes\": {\"latents_full\": {}}, \"definitions\": [\"probe settings: "
      + "L2 chosen by ONE_STANDARD_ERROR (the strongest L2 ...)\"]}";
  /** A DiT evaluation of the current format: its Fréchet distance without CFG has a bootstrap interval. */
  private static final String CURRENT_DIT_EVAL = "{\"runs\": {\"without_cfg\": {\"frechetInterval\": {}}}}";
  /** Issue 22: the whole study in at most 12 hours of 2-core compute, i.e. 24 one-thread hours. */
  private static final int BUDGET_ONE_THREAD_MINUTES = 24 * 60;
  private static final String DATA_FETCH = "data fetch --only emoji-google,emoji-twitter,nsfwjs,emojilib,emojibase";

  @TempDir
  Path work;
  private Path study;
  private Path docs;
  private Path calls;

  @BeforeEach
  void standInCli() throws IOException {
    study = work.resolve("study");
    docs = Files.createDirectories(work.resolve("docs"));
    calls = work.resolve("calls.log");
    Files.writeString(work.resolve("aligntok"), """
        #!/usr/bin/env bash
        # Records its arguments; an evaluation writes its report where the real CLI would.
        echo "$*" >> "$STUDY_TEST_CALLS"
        if [[ "$1 $2" == "data fetch" && -n "${STUDY_TEST_OFFLINE:-}" ]]; then echo "emoji-google: network unreachable" >&2; exit 1; fi
        if [[ "$1" == train && -n "${STUDY_TEST_TRAINING_PIDS:-}" ]]; then echo $$ >> "$STUDY_TEST_TRAINING_PIDS"; exec sleep 300; fi
        args=("$@"); stage=""; run=""; out=""
        for ((i = 0; i < ${#args[@]}; i++)); do
          case "${args[i]}" in --stage) stage="${args[i+1]}";; --run) run="${args[i+1]}";; --out) out="${args[i+1]}";; esac
        done
        if [[ "$1 $2" == "eval tokenizer" ]]; then
          case "$stage" in 1|2|3) dir="stage$stage";; *) dir="$stage";; esac
          mkdir -p "$run/$dir/eval"
          resampled=""
          if [[ " $* " == *" --frechet-bootstrap "* ]]; then resampled='"frechet": {"interval": {"resampledMedian": 2.1}}, '; fi
          echo "{$resampled\"probes\": {\"latents\": {}, \"latents_full\": {}}, \"definitions\": [\"L2 chosen by ONE_STANDARD_ERROR\"]}" > "$run/$dir/eval/eval.json"
          echo "reconstructions" > "$run/$dir/eval/reconstructions.png"
        elif [[ "$1 $2" == "eval generation" ]]; then
          mkdir -p "$out"
          interval=""
          if [[ " $* " == *" --frechet-bootstrap "* ]]; then interval='"frechetInterval": {}'; fi
          echo "{\"runs\": {\"without_cfg\": {$interval}}}" > "$out/generation.json"
          echo "a sample grid" > "$out/samples-without_cfg.png"
          echo "a sample grid" > "$out/samples-with_cfg.png"
        fi
        """);
    assertTrue(work.resolve("aligntok").toFile().setExecutable(true));
  }

  /** The plan's lines of one unit, from its heading to the next. */
  private static String unitBlock(Result plan, String unit) {
    String output = plan.output();
    int start = output.indexOf("unit " + unit + ": ");
    assertTrue(start >= 0, unit + " in\n" + output);
    int end = output.indexOf("\nunit ", start + 1);
    return output.substring(start, end < 0 ? output.length() : end);
  }

  @Test
  void theSyntaxIsValid() throws Exception {
    Process process = new ProcessBuilder("bash", "-n", REPO.resolve("scripts/study.sh").toString())
        .redirectErrorStream(true).start();
    assertTrue(process.waitFor(1, TimeUnit.MINUTES));
    assertEquals(0, process.exitValue(), new String(process.getInputStream().readAllBytes()));
  }

  @Test
  void withNothingPublishedThePlanListsEveryUnitOnceWithinTheBudgetAndRunsNothing() throws Exception {
    Result plan = run("--plan", "credible");
    assertEquals(0, plan.exitCode(), plan.output());
    for (String unit : UNITS) {
      assertTrue(plan.output().contains("unit " + unit + ": "), unit + " in\n" + plan.output());
    }
    for (String unit : SAMPLE_UNITS) {
      assertTrue(unitBlock(plan, unit).contains("=> nothing to do"), "the DiT's own evaluation draws the grid: " + unitBlock(plan, unit));
    }
    Set<String> listed = new HashSet<>();
    int sum = 0;
    for (String line : plan.output().split("\n")) {
      Matcher toDo = TO_DO.matcher(line);
      if (toDo.find()) {
        assertTrue(listed.add(toDo.group(1)), "listed twice: " + toDo.group(1));
        sum += Integer.parseInt(toDo.group(2));
      }
    }
    int total = total(plan);
    assertEquals(sum, total, "the total is the sum of the steps to do");
    assertTrue(total <= BUDGET_ONE_THREAD_MINUTES, "estimate " + total + " min at one thread exceeds the issue's budget");
    assertTrue(listed.containsAll(List.of("seed-13-vanilla-c8", "c32-stage3", "stage2-wsp1-elr1e-4", "eval-dit-alignTok-c32-1000")),
        plan.output());
    assertFalse(Files.exists(study), "a plan creates nothing");
    assertFalse(Files.exists(calls), "a plan runs nothing");
  }

  @Test
  void aPublishedDitNeedsNoTokenizerAndAMissingCheckpointEvaluationRetrainsOnlyItsInputs() throws Exception {
    publish("vanilla-c32/eval.json", CURRENT_EVAL);
    for (int step : new int[] {250, 500, 750, 1000}) {
      publish("dit-vanilla-c32/step-" + step + "/generation.json", CURRENT_DIT_EVAL);
    }
    Result published = run("--plan", "unit", "dit-vanilla-c32");
    assertEquals(0, published.exitCode(), published.output());
    assertTrue(published.output().contains("skip      vanilla-c32: every result downstream is published"), published.output());
    assertTrue(published.output().contains("=> nothing to do"), published.output());

    Files.delete(docs.resolve("dit-vanilla-c32/step-250/generation.json"));
    Files.delete(docs.resolve("dit-vanilla-c32/step-1000/generation.json"));
    Result twoMissing = run("unit", "dit-vanilla-c32");
    assertEquals(0, twoMissing.exitCode(), twoMissing.output());
    List<String> invoked = calls();
    assertEquals(5, invoked.size(), "train, extract, train DiT, evaluate steps 250 and 1000: " + invoked);
    assertTrue(invoked.get(0).startsWith("train tokenizer --stage vanilla --latent-channels 32 --run " + study.resolve("vanilla-c32")),
        invoked.get(0));
    assertTrue(invoked.get(1).startsWith("extract-latents --run " + study.resolve("vanilla-c32")), invoked.get(1));
    assertTrue(invoked.get(2).startsWith("train dit "), invoked.get(2));
    assertTrue(invoked.get(3).contains("step-00000250"), invoked.get(3));
    assertTrue(invoked.get(4).contains("step-00001000") && invoked.get(4).endsWith("--frechet-bootstrap 20"), invoked.get(4));
    assertTrue(Files.isRegularFile(docs.resolve("dit-vanilla-c32/step-1000/generation.json")));
    assertTrue(Files.isRegularFile(docs.resolve("dit-vanilla-c32/step-1000/samples-without_cfg.png")), "the last step's grid");
    assertFalse(Files.exists(docs.resolve("dit-vanilla-c32/step-1000/samples-with_cfg.png")), "the one without CFG only");
    assertTrue(Files.isRegularFile(docs.resolve("dit-vanilla-c32/step-250/generation.json")));
    assertFalse(Files.exists(docs.resolve("dit-vanilla-c32/step-250/samples-without_cfg.png")), "no grid of earlier steps");
  }

  @Test
  void aDitWhoseSampleGridWasLostIsRerunWithItsTokenizerAndPublishedAsARerun() throws Exception {
    publish("vanilla-c32/eval.json", CURRENT_EVAL);
    for (int step : new int[] {250, 500, 750, 1000}) {
      publish("dit-vanilla-c32/step-" + step + "/generation.json", CURRENT_DIT_EVAL);
    }
    publish("dit-vanilla-c8/step-1000/generation.json", CURRENT_DIT_EVAL);
    publish("dit-vanilla-c8/step-1000/rows-without_cfg.png", "the rows the report kept");
    Result plan = run("--plan", "credible");
    assertTrue(unitBlock(plan, "samples-vanilla-c8").contains("=> nothing to do"), "its rows are kept: " + plan.output());
    assertTrue(unitBlock(plan, "dit-vanilla-c32").contains("=> nothing to do"), plan.output());

    Result rerun = run("unit", "samples-vanilla-c32");
    assertEquals(0, rerun.exitCode(), rerun.output());
    List<String> invoked = calls();
    assertEquals(4, invoked.size(), "tokenizer, latents, DiT and its last checkpoint, not the published evaluations: " + invoked);
    assertTrue(invoked.get(0).startsWith("train tokenizer --stage vanilla --latent-channels 32 "), invoked.get(0));
    assertTrue(invoked.get(3).startsWith("eval generation --dit " + study.resolve("dit-vanilla-c32/checkpoints/step-00001000"))
        && invoked.get(3).endsWith("--frechet-bootstrap 20"), invoked.get(3));
    assertTrue(Files.isRegularFile(docs.resolve("dit-vanilla-c32/rerun/step-1000/generation.json")));
    assertTrue(Files.isRegularFile(docs.resolve("dit-vanilla-c32/rerun/step-1000/samples-without_cfg.png")), "the grid");
    assertEquals(CURRENT_DIT_EVAL, Files.readString(docs.resolve("dit-vanilla-c32/step-1000/generation.json")).strip(),
        "the published curve stays the first run's");

    Files.delete(calls);
    deleteRecursively(study);  // another machine: the rerun is published
    assertEquals(0, run("unit", "samples-vanilla-c32").exitCode());
    assertFalse(Files.exists(calls), "nothing runs again");
  }

  @Test
  void aTrainingStepStoppedPartWayIsChargedOnlyItsRemainingSteps() throws Exception {
    Result fresh = run("--plan", "unit", "vanilla-c8");
    assertTrue(fresh.output().contains("to do     vanilla-c8 (~67 min): "), fresh.output());
    // a session ended while it trained: its checkpoints stay on this machine, and training resumes from the last
    Files.createDirectories(study.resolve("vanilla-c8/vanilla/checkpoints/step-00000250"));
    Files.createDirectories(study.resolve("vanilla-c8/vanilla/checkpoints/step-00001000"));
    Result resumed = run("--plan", "unit", "vanilla-c8");
    assertTrue(resumed.output().contains("to do     vanilla-c8 (~34 min) from its checkpoint at step 1000 of 2000: "),
        resumed.output());
    assertEquals(34 + 7, total(resumed), "the rest of the training and the evaluation");
  }

  @Test
  void seed7PublishesItsPicturesWithItsNumbers() throws Exception {
    assertEquals(0, run("unit", "vanilla-c8").exitCode());
    assertTrue(Files.isRegularFile(docs.resolve("vanilla-c8/eval.json")));
    assertTrue(Files.isRegularFile(docs.resolve("vanilla-c8/reconstructions.png")), "the pictures the report stacks");
  }

  @Test
  void ditSeedsTrainOnTheSeed7LatentsAndAreEvaluatedAtTheLastStepOnly() throws Exception {
    publish("vanilla-c32/eval.json", CURRENT_EVAL);
    Result run = run("unit", "dit-seeds-vanilla-c32");
    assertEquals(0, run.exitCode(), run.output());
    List<String> invoked = calls();
    assertEquals(6, invoked.size(), "tokenizer, latents, then per seed a DiT and one evaluation: " + invoked);
    assertTrue(invoked.get(0).startsWith("train tokenizer --stage vanilla --latent-channels 32 --run " + study.resolve("vanilla-c32"))
        && !invoked.get(0).contains("--seed"), "the seed-7 tokenizer: " + invoked.get(0));
    assertTrue(invoked.get(1).endsWith("--out " + study.resolve("latents-vanilla-c32")), invoked.get(1));
    for (int i = 0; i < 2; i++) {
      String seed = i == 0 ? "11" : "13";
      Path dir = study.resolve("dit-vanilla-c32/seed-" + seed);
      assertTrue(invoked.get(2 + 2 * i).startsWith("train dit --latents " + study.resolve("latents-vanilla-c32") + " --run " + dir
          + " --seed " + seed + " --steps 1000"), invoked.get(2 + 2 * i));
      assertTrue(invoked.get(3 + 2 * i).contains(dir.resolve("checkpoints/step-00001000").toString())
          && invoked.get(3 + 2 * i).endsWith("--frechet-bootstrap 20"), invoked.get(3 + 2 * i));
      assertTrue(Files.isRegularFile(docs.resolve("dit-vanilla-c32/seed-" + seed + "/step-1000/generation.json")));
      assertFalse(Files.exists(docs.resolve("dit-vanilla-c32/seed-" + seed + "/step-1000/samples-without_cfg.png")),
          "the seeds publish numbers only");
    }
    assertFalse(Files.exists(docs.resolve("dit-vanilla-c32/step-1000")), "the seed-7 DiT is the convergence unit's");

    Files.delete(calls);
    assertEquals(0, run("unit", "dit-seeds-vanilla-c32").exitCode());
    assertFalse(Files.exists(calls), "everything done: nothing runs again");
  }

  @Test
  void seedsShareTheSplitResumeOnTheSameMachineAndRebuildOnlyWhatAMissingResultNeeds() throws Exception {
    Result first = run("unit", "seed-11");
    assertEquals(0, first.exitCode(), first.output());
    List<String> everyCall = Files.readAllLines(calls);
    assertEquals(DATA_FETCH, everyCall.get(0), "a fresh machine fetches the data before the first step");
    assertEquals(1, everyCall.stream().filter(DATA_FETCH::equals).count(), "once per study process: " + everyCall);
    List<String> invoked = calls();
    assertEquals(7, invoked.size(), String.join("\n", invoked));
    invoked.forEach(call -> assertTrue(call.endsWith("--seed 11 --split-seed 7"), call));
    invoked.stream().filter(call -> call.startsWith("eval tokenizer"))
        .forEach(call -> assertTrue(call.contains("--frechet-bootstrap 20") && call.contains("--no-pixel-references")
            && call.contains("--no-frozen-encoder-probe"), "with the Fréchet interval, without references: " + call));
    assertTrue(Files.isRegularFile(docs.resolve("stage3/seed-11/eval.json")));
    assertTrue(Files.isRegularFile(docs.resolve("stage2-wsp0/seed-11/eval.json")));
    assertTrue(Files.isRegularFile(docs.resolve("stage2-wsp1/seed-11/eval.json")), "w_sp = 1 before stage 3, for the pairing");
    assertFalse(Files.exists(docs.resolve("stage3/seed-11/reconstructions.png")), "other seeds publish numbers only");
    assertEquals(study.resolve("seed-11/wsp1/stage1").toAbsolutePath(),
        Files.readSymbolicLink(study.resolve("seed-11/wsp0/stage1")), "w_sp = 0 shares stage 1");

    List<String> ledger = Files.readAllLines(docs.resolve("cost.tsv"));
    assertEquals("step\twall_seconds\tcpu_seconds\tfinished_utc", ledger.get(0));
    assertEquals(8, ledger.size(), "one line per step: " + ledger);
    assertTrue(ledger.get(1).matches("seed-11-stage1\t\\d+\t\\d+\t\\d{4}-\\d\\d-\\d\\dT[\\d:]+Z"), ledger.get(1));
    assertTrue(Files.readString(study.resolve("done/seed-11-stage1")).matches("\\d+ \\d+\n"), "wall and CPU seconds");
    Result plan = run("--plan", "unit", "seed-11");
    assertTrue(plan.output().contains("Spent so far (7 steps in the ledger): 0.0 CPU hours"), plan.output());

    Files.delete(calls);
    assertEquals(0, run("unit", "seed-11").exitCode());
    assertFalse(Files.exists(calls), "everything done: nothing runs again");

    deleteRecursively(study);  // a fresh machine with only the repository
    assertEquals(0, run("unit", "seed-11").exitCode());
    assertFalse(Files.exists(calls), "everything published: nothing is retrained");

    deleteRecursively(study);
    deleteRecursively(docs.resolve("stage3"));
    assertEquals(0, run("unit", "seed-11").exitCode());
    List<String> rebuilt = calls();
    assertEquals(4, rebuilt.size(), "stage 1, 2 (w_sp = 1), 3 and the evaluation, not w_sp = 0: " + rebuilt);
    assertTrue(rebuilt.stream().noneMatch(call -> call.contains("--sp-weight 0") || call.contains("/wsp0")), rebuilt.toString());
  }

  @Test
  void anEvaluationOfTheFormerFormatIsRedoneAndAFinishedOneHereIsPublishedWithoutRerunning() throws Exception {
    for (String variant : List.of("stage1", "stage2-wsp1", "stage2-wsp0")) {
      publish(variant + "/eval.json", CURRENT_EVAL);
    }
    publish("stage3/eval.json", "{\"probes\": {\"latents\": {}}}");  // before the whole-latent probe
    // the whole-latent probe but the former L2 rule (the plain best selection accuracy)
    publish("stage2-wsp1/eval.json", "{\"probes\": {\"latents_full\": {}}}");
    // the current probes but no Fréchet interval
    publish("stage1/eval.json", CURRENT_EVAL.replace("\"resampledMedian\"", "\"median\""));
    Result stale = run("--plan", "unit", "seed-7");
    for (String step : List.of("stage1", "eval-stage1", "stage2-wsp1", "eval-stage2-wsp1", "stage3", "eval-stage3")) {
      assertTrue(stale.output().contains("to do     " + step + " "), step + " in\n" + stale.output());
    }
    assertTrue(stale.output().contains("skip      stage2-wsp0:"), stale.output());
    assertTrue(stale.output().contains("published eval-stage2-wsp0:"), stale.output());

    // the former format still counts where the study redoes nothing: w_sp = 5 of the 2026-11-29 table
    // and the first study's DiTs; a DiT evaluation of the credible study needs its Fréchet interval
    publish("stage2-wsp5/eval.json", "{\"probes\": {\"latents\": {}}}");
    for (String dit : List.of("alignTok", "baseline", "alignTok-c8")) {
      for (int step : new int[] {250, 500, 750, 1000}) {
        publish("dit-" + dit + "/step-" + step + "/generation.json", "{\"runs\": {\"without_cfg\": {}}}");
      }
    }
    publish("dit-alignTok-c8/step-500/generation.json", CURRENT_DIT_EVAL);
    Result table = run("--plan", "diffusion");
    assertTrue(table.output().contains("published eval-stage2-wsp5:"), table.output());
    assertTrue(table.output().contains("published eval-dit-baseline-250:"), table.output());
    assertTrue(table.output().contains("published eval-dit-alignTok-250:"), table.output());
    Result c8 = run("--plan", "unit", "dit-alignTok-c8");
    assertTrue(c8.output().contains("published eval-dit-alignTok-c8-500:"), c8.output());
    assertTrue(c8.output().contains("to do     eval-dit-alignTok-c8-250 ") && c8.output().contains("--frechet-bootstrap 20"),
        c8.output());

    Path local = study.resolve("vanilla-c8/vanilla/eval/eval.json");
    Files.createDirectories(local.getParent());
    Files.writeString(local, CURRENT_EVAL);
    Files.createDirectories(study.resolve("done"));
    Files.writeString(study.resolve("done/vanilla-c8"), "7000\n");
    Files.writeString(study.resolve("done/eval-vanilla-c8"), "300\n");
    Result finished = run("unit", "vanilla-c8");
    assertEquals(0, finished.exitCode(), finished.output());
    assertFalse(Files.exists(calls), "nothing reruns");
    assertTrue(Files.isRegularFile(docs.resolve("vanilla-c8/eval.json")), "published from this machine's result");
  }

  @Test
  void lanesShareTheRemainingUnitsOutRunEachOnceSideBySideThenReport() throws Exception {
    Result plan = run("--plan", "lanes", "3");
    assertEquals(0, plan.exitCode(), plan.output());
    Matcher lane = Pattern.compile("lane (\\d) \\(~(\\d+) min at one thread\\): (.+)").matcher(plan.output());
    List<String> planned = new ArrayList<>();
    int lanes = 0;
    int estimated = 0;
    while (lane.find()) {
      lanes++;
      estimated += Integer.parseInt(lane.group(2));
      planned.addAll(List.of(lane.group(3).split(" ")));
    }
    assertEquals(3, lanes, plan.output());
    assertEquals(Set.copyOf(UNITS), Set.copyOf(planned), "every unit in one lane: " + plan.output());
    assertEquals(UNITS.size(), planned.size(), "no unit twice: " + plan.output());
    assertEquals(total(run("--plan", "credible")), estimated, "the lanes split the plan's total");
    assertFalse(Files.exists(calls), "a plan runs nothing");

    Result ran = run("lanes", "3");
    assertEquals(0, ran.exitCode(), ran.output());
    assertEquals(DATA_FETCH, Files.readAllLines(calls).get(0), "the data, fetched before the lanes start");
    assertEquals(1, Files.readAllLines(calls).stream().filter(DATA_FETCH::equals).count(),
        "once: lanes fetching into one cache at once could collide");
    for (String unit : UNITS) {
      assertTrue(ran.output().contains(": unit " + unit + "\n"), unit + " in\n" + ran.output());
    }
    List<String> invoked = calls();
    assertEquals(invoked.size(), Set.copyOf(invoked).size(), "no step twice, though lanes share inputs: " + invoked);
    assertEquals("eval study --docs " + docs, invoked.get(invoked.size() - 1), "the report, once every lane is done");
    assertTrue(Files.isRegularFile(docs.resolve("stage3/seed-13/eval.json")));
    assertTrue(Files.isRegularFile(docs.resolve("dit-alignTok-c8/step-1000/generation.json")));
    assertTrue(Files.isRegularFile(study.resolve("logs/lane-3.log")));

    Files.delete(calls);
    Result again = run("lanes");
    assertEquals(0, again.exitCode(), again.output());
    assertTrue(again.output().contains("every unit of the credible study is done"), again.output());
    assertEquals(List.of("eval study --docs " + docs), calls(), "only the report");

    Result refused = run("lanes", "0");
    assertEquals(2, refused.exitCode(), refused.output());
    assertTrue(refused.output().contains("1 to 8"), refused.output());
  }

  @Test
  void stoppingLanesStopsTheirTrainingEvenWhenEveryStudyProcessIsKilledAtOnce() throws Exception {
    Path trainingPids = work.resolve("training.pids");
    Path log = work.resolve("lanes.log");
    Process lanes = start(Map.of("STUDY_TEST_TRAINING_PIDS", trainingPids.toString()), log, "lanes", "2");
    List<Long> training = List.of();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (training.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        training = Files.exists(trainingPids) ? Files.readAllLines(trainingPids).stream().map(Long::parseLong).toList() : List.of();
      }
      assertEquals(2, training.size(), "both lanes training: " + Files.readString(log));
      // What an operator's `pkill -f study.sh` does: every study.sh at once, the lanes' shells with the main one.
      List<ProcessHandle> studyShells = new ArrayList<>(List.of(lanes.toHandle()));
      lanes.toHandle().descendants().filter(p -> p.info().commandLine().orElse("").contains("study.sh")).forEach(studyShells::add);
      studyShells.forEach(ProcessHandle::destroy);

      assertTrue(lanes.waitFor(30, TimeUnit.SECONDS), "the study stops");
      for (long pid : training) {
        Optional<ProcessHandle> step = ProcessHandle.of(pid);
        long stepDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (step.isPresent() && step.get().isAlive() && System.nanoTime() < stepDeadline) {
          Thread.sleep(100);
        }
        assertFalse(step.isPresent() && step.get().isAlive(), "training step " + pid + " still runs: " + Files.readString(log));
      }
    } finally {
      lanes.destroyForcibly();
      training.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
  }

  @Test
  void withoutItsDataTheStudyStopsBeforeTrainingAndSaysWhy() throws Exception {
    Result offline = run(Map.of("STUDY_TEST_OFFLINE", "1"), "unit", "vanilla-c8");
    assertEquals(1, offline.exitCode(), offline.output());
    assertTrue(offline.output().contains("fetching the study's data failed") && offline.output().contains("network unreachable"),
        offline.output());
    assertEquals(List.of(DATA_FETCH), Files.readAllLines(calls), "no step runs without the data");
  }

  @Test
  void helpExplainsTheModes() throws Exception {
    Result help = run("--help");
    assertEquals(0, help.exitCode(), help.output());
    assertTrue(help.output().contains("scripts/study.sh unit NAME") && help.output().contains("STUDY_DIR"), help.output());
    assertFalse(Files.exists(calls), "help runs nothing");
  }

  @Test
  void anUnknownUnitIsAClearError() throws Exception {
    Result unknown = run("unit", "seed-99");
    assertEquals(2, unknown.exitCode(), unknown.output());
    assertTrue(unknown.output().contains("no unit 'seed-99'") && unknown.output().contains("vanilla-c8-seed-13"),
        unknown.output());
  }

  private void publish(String path, String json) throws IOException {
    Files.createDirectories(docs.resolve(path).getParent());
    Files.writeString(docs.resolve(path), json);
  }

  /** The CLI calls of the steps, without the data fetch that precedes them. */
  private List<String> calls() throws IOException {
    return Files.exists(calls) ? Files.readAllLines(calls).stream().filter(call -> !call.equals(DATA_FETCH)).toList() : List.of();
  }

  private static int total(Result plan) {
    Matcher matcher = TOTAL.matcher(plan.output());
    assertTrue(matcher.find(), plan.output());
    return Integer.parseInt(matcher.group(1));
  }

  private record Result(int exitCode, String output) {}

  private Result run(String... arguments) throws IOException, InterruptedException {
    return run(Map.of(), arguments);
  }

  private Result run(Map<String, String> environment, String... arguments) throws IOException, InterruptedException {
    Path log = Files.createTempFile(work, "study-", ".log");
    Process process = start(environment, log, arguments);
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("study.sh " + String.join(" ", arguments) + " did not finish: " + Files.readString(log));
    }
    return new Result(process.exitValue(), Files.readString(log));
  }

  private Process start(Map<String, String> environment, Path log, String... arguments) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", REPO.resolve("scripts/study.sh").toString()));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
    builder.environment().putAll(Map.of(
        "STUDY_DIR", study.toString(),
        "STUDY_DOCS", docs.toString(),
        "STUDY_ALIGNTOK", work.resolve("aligntok").toString(),
        "STUDY_TEST_CALLS", calls.toString()));
    builder.environment().putAll(environment);
    builder.redirectOutput(log.toFile());
    return builder.start();
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
