package dev.aligntok.benchmarks.scaleout;

import dev.aligntok.stream.output.EventSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

/**
 * One fail-over measurement at one num.standby.replicas: the instances under steady load, then kill -9
 * of one instance at a time; per partition the victim held, the time from the kill to the first
 * committed output of that partition's inputs. Outputs read within {@link #GRACE} of the kill are
 * ones the victim committed just before it died (read one poll later), so they do not end the gap.
 */
final class FailoverRun {
  static final Duration GRACE = Duration.ofSeconds(1);
  private static final Duration READINESS_WAIT = Duration.ofSeconds(10);

  /** One orphaned partition's gap: seconds from the kill to its first output again, null if none came. */
  record Gap(String input, int partition, Double seconds) {}

  /**
   * @param survivorsNotReadySeconds kill → first moment a survivor's readiness turned DOWN (its Streams
   *     client left RUNNING: the group coordinator noticed the dead member, after session.timeout.ms),
   *     null if none was seen
   * @param survivorsReadySeconds kill → every survivor ready again after that (rebalance done)
   */
  record Kill(int victim, Map<String, List<Integer>> orphans, List<Gap> gaps, Double survivorsNotReadySeconds,
              Double survivorsReadySeconds, double restartReadySeconds) {}

  record Result(int standbyReplicas, String applicationId, List<Kill> kills, Map<String, Double> medianSeconds,
                Map<String, Double> maxSeconds, int outputs, int duplicates, int unknownOutputs) {}

  private final ScaleOutBench.Common common;
  private final ScaleOutBench.Failover options;
  private final int standby;
  private final String applicationId;
  private final EventSerdes serdes;

  FailoverRun(ScaleOutBench.Common common, ScaleOutBench.Failover options, int standby, String applicationId,
              EventSerdes serdes) {
    this.common = common;
    this.options = options;
    this.standby = standby;
    this.applicationId = applicationId;
    this.serdes = serdes;
  }

  Result run() throws Exception {
    ScaleOutTopics.Topics topics = ScaleOutTopics.of(applicationId);
    List<Kill> kills = new ArrayList<>();
    try (ServiceInstances instances = new ServiceInstances(common.settings(applicationId,
             Map.of("num.standby.replicas", Integer.toString(standby))), options.instances);
         Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, common.stack.bootstrapServers()))) {
      instances.startAll(Duration.ofSeconds(common.readyTimeoutSeconds));
      try (InputLoad load = new InputLoad(common.stack.bootstrapServers(), topics.names(), serdes, applicationId,
               common.samples());
           OutputWatch watch = new OutputWatch(common.stack.bootstrapServers(), topics.names(), serdes, load);
           InputLoad.Steady images = new InputLoad.Steady("images", options.imageRate, () -> load.sendImage("s"));
           InputLoad.Steady prompts = options.promptRate <= 0 ? null : new InputLoad.Steady("prompts", options.promptRate,
               () -> load.sendPrompt("s", common.prompt, 1, options.steps))) {
        int partitions = admin.describeTopics(List.of(topics.names().images())).allTopicNames().get()
            .get(topics.names().images()).partitions().size();
        for (int k = 0; k < options.kills; k++) {
          int victim = k % options.instances + 1;
          awaitSteady(watch, partitions);
          Map<String, List<Integer>> orphans = awaitAssignment(admin, instances.instance(victim).clientId(), topics);
          System.out.printf("  kill -9 of instance %d (held %s); load average %s%n", victim, orphans,
              ScaleOutBench.loadAverage());
          long killed = System.nanoTime();
          instances.kill(victim);
          Survivors survivors = new Survivors(instances, victim, killed);
          Restart restart = new Restart(instances, victim, killed, options.restartAfterSeconds);
          List<Gap> gaps = awaitOrphans(watch, orphans, killed, survivors, restart);
          System.out.printf("    gaps: %s; survivors not ready after %s s, ready again after %s s%n", gaps,
              survivors.notReadySeconds(), survivors.readySeconds());
          restart.now();
          instances.awaitReady(victim, Duration.ofSeconds(common.readyTimeoutSeconds));
          kills.add(new Kill(victim, orphans, gaps, survivors.notReadySeconds(), survivors.readySeconds(),
              (System.nanoTime() - restart.startedNanos()) / 1e9));
        }
        List<OutputWatch.Arrival> all = watch.arrivals();
        return new Result(standby, applicationId, kills, summary(kills, true), summary(kills, false), all.size(),
            watch.duplicates(), watch.unknown());
      }
    }
  }

  /** Waits until every input partition produced an output in the last window, then --settle more seconds. */
  private void awaitSteady(OutputWatch watch, int partitions) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.recoveryTimeoutSeconds);
    long window = TimeUnit.SECONDS.toNanos(Math.max(5, (long) Math.ceil(3 * partitions / options.imageRate)));
    while (true) {
      long now = System.nanoTime();
      boolean steady = true;
      for (int p = 0; p < partitions && steady; p++) {
        steady = watch.firstAfter(InputLoad.Kind.IMAGE, p, now - window) != null;
      }
      if (steady) {
        break;
      }
      if (now > deadline) {
        throw new IllegalStateException("the load did not reach every partition's output within "
            + options.recoveryTimeoutSeconds + " s (instance logs in " + common.workDir + ")");
      }
      Thread.sleep(500);
    }
    Thread.sleep(TimeUnit.SECONDS.toMillis(options.settleSeconds));
  }

  /** The input partitions the victim's members hold, once the group is stable with a non-empty assignment. */
  private Map<String, List<Integer>> awaitAssignment(Admin admin, String clientIdPrefix, ScaleOutTopics.Topics topics)
      throws Exception {
    String group = applicationId;
    for (int attempt = 0; attempt < 120; attempt++) {
      ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
      Map<String, List<Integer>> held = new LinkedHashMap<>();
      held.put("images", new ArrayList<>());
      held.put("prompts", new ArrayList<>());
      for (MemberDescription member : description.members()) {
        if (!member.clientId().startsWith(clientIdPrefix + "-")) {
          continue;
        }
        for (TopicPartition tp : member.assignment().topicPartitions()) {
          if (tp.topic().equals(topics.names().images())) {
            held.get("images").add(tp.partition());
          } else if (tp.topic().equals(topics.names().prompts())) {
            held.get("prompts").add(tp.partition());
          }
        }
      }
      if (description.groupState() == GroupState.STABLE && !held.get("images").isEmpty()) {
        held.replaceAll((k, v) -> new ArrayList<>(new TreeSet<>(v)));
        return held;
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("instance " + clientIdPrefix + " held no images partition in a stable group for 120 s");
  }

  private List<Gap> awaitOrphans(OutputWatch watch, Map<String, List<Integer>> orphans, long killed,
                                 Survivors survivors, Restart restart) throws Exception {
    long from = killed + GRACE.toNanos();
    long deadline = killed + TimeUnit.SECONDS.toNanos(options.recoveryTimeoutSeconds);
    boolean prompts = options.promptRate > 0;
    long allSince = Long.MAX_VALUE;
    while (true) {
      List<Gap> gaps = new ArrayList<>();
      boolean all = true;
      for (Map.Entry<String, List<Integer>> entry : orphans.entrySet()) {
        if (entry.getKey().equals("prompts") && !prompts) {
          continue;
        }
        InputLoad.Kind kind = entry.getKey().equals("images") ? InputLoad.Kind.IMAGE : InputLoad.Kind.PROMPT;
        for (int partition : entry.getValue()) {
          OutputWatch.Arrival first = watch.firstAfter(kind, partition, from);
          all &= first != null;
          gaps.add(new Gap(entry.getKey(), partition, first == null ? null : (first.nanos() - killed) / 1e9));
        }
      }
      survivors.look();
      restart.whenDue();
      long now = System.nanoTime();
      allSince = all ? Math.min(allSince, now) : Long.MAX_VALUE;
      // Once every gap is closed, a few more seconds for the survivors' readiness to be seen UP again.
      if (all && (survivors.readySeconds() != null || now - allSince > READINESS_WAIT.toNanos()) || now > deadline) {
        return gaps;
      }
      Thread.sleep(100);
    }
  }

  /** The killed instance's restart: when due (--restart-after), else once the measurement of this kill ends. */
  private static final class Restart {
    private final ServiceInstances instances;
    private final int victim;
    private final long dueNanos;
    private long startedNanos;

    Restart(ServiceInstances instances, int victim, long killed, double afterSeconds) {
      this.instances = instances;
      this.victim = victim;
      this.dueNanos = afterSeconds < 0 ? Long.MAX_VALUE : killed + (long) (afterSeconds * 1e9);
    }

    void whenDue() throws java.io.IOException {
      if (startedNanos == 0 && System.nanoTime() >= dueNanos) {
        now();
      }
    }

    void now() throws java.io.IOException {
      if (startedNanos == 0) {
        startedNanos = System.nanoTime();
        instances.start(victim);
      }
    }

    long startedNanos() {
      return startedNanos;
    }
  }

  /** The survivors' readiness after a kill: when it first turned DOWN, and when all were UP again after that. */
  private static final class Survivors {
    private final ServiceInstances instances;
    private final int victim;
    private final long killed;
    private Double notReady;
    private Double readyAgain;

    Survivors(ServiceInstances instances, int victim, long killed) {
      this.instances = instances;
      this.victim = victim;
      this.killed = killed;
    }

    void look() {
      if (readyAgain != null) {
        return;
      }
      boolean allReady = true;
      for (ServiceInstances.Instance instance : instances.instances()) {
        if (instance.index() != victim) {
          allReady &= instances.ready(instance.index());
        }
      }
      double seconds = (System.nanoTime() - killed) / 1e9;
      if (!allReady && notReady == null) {
        notReady = seconds;
      } else if (allReady && notReady != null) {
        readyAgain = seconds;
      }
    }

    Double notReadySeconds() {
      return notReady;
    }

    Double readySeconds() {
      return readyAgain;
    }
  }

  /** Median (or max) gap per input topic over every kill; missing gaps count as the timeout. */
  private Map<String, Double> summary(List<Kill> kills, boolean median) {
    Map<String, Double> summary = new LinkedHashMap<>();
    for (String input : List.of("images", "prompts")) {
      List<Double> values = new ArrayList<>();
      kills.forEach(kill -> kill.gaps().stream().filter(g -> g.input().equals(input))
          .forEach(g -> values.add(g.seconds() == null ? (double) options.recoveryTimeoutSeconds : g.seconds())));
      if (!values.isEmpty()) {
        values.sort(Double::compare);
        int n = values.size();
        summary.put(input, median ? (n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2)
            : values.get(n - 1));
      }
    }
    return summary;
  }
}
