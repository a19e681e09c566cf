package dev.aligntok.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aligntok.events.GenerationStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * summary.json: what was sent, what came back, whether every input is accounted for
 * (inputs = outputs + dead letters), and how long it took.
 *
 * @param bundleId   the bundle the client decoded with
 * @param complete   every input ended before the timeout
 * @param missing    inputs without an end, and what each waits for
 * @param failures   inputs that ended without their output
 */
public record RunSummary(String runId, boolean complete, String bundleId, List<String> outputBundleIds, Sent sent,
                         Received received, Conservation conservation, Timings timingsMs, List<String> missing,
                         List<Failure> failures, Map<String, String> files, List<String> notes) {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public record Sent(int images, int prompts, int imagesRequested) {}

  /**
   * @param deadLetters     dead letters of this run's inputs
   * @param failedRequests  requests whose last status is FAILED, CANCELLED or EXPIRED
   * @param duplicates      outputs or dead letters seen a second time for the same input (must be 0)
   * @param unreadable      records on the output topics that did not decode (another producer's)
   */
  public record Received(int latents, int images, int completedRequests, int deadLetters, int failedRequests,
                         int duplicates, int unreadable) {}

  /**
   * @param outputs latents + completed requests
   * @param holds   inputs = outputs + dead letters, with no duplicates
   */
  public record Conservation(int inputs, int outputs, int deadLetters, boolean holds) {}

  /**
   * Milliseconds measured by the client: send → latent per image (tokenize), send → last image
   * per request (generate); wall = first send → last end.
   */
  public record Timings(Percentiles tokenize, Percentiles generate, double wall) {}

  /** An input that ended without its output: the stage and error of its dead letter or status. */
  public record Failure(String id, String stage, String error) {}

  /** Counts and conservation from what the tracker saw. */
  public static RunSummary of(RunTracker tracker, String bundleId, double wallMs, int unreadable,
                              Map<String, String> files, List<String> notes) {
    RunInputs inputs = tracker.inputs();
    Received received = new Received(tracker.latents().size(), tracker.imageCount(), tracker.completedRequests().size(),
        tracker.deadLetters().size(), tracker.failedRequests().size(), tracker.duplicates(), unreadable);
    int outputs = received.latents() + received.completedRequests();
    Conservation conservation = new Conservation(inputs.size(), outputs, received.deadLetters(),
        inputs.size() == outputs + received.deadLetters() && tracker.duplicates() == 0);
    List<String> bundles = new ArrayList<>();
    tracker.latents().values().forEach(e -> addOnce(bundles, e.getBundleId()));
    inputs.requests().keySet().forEach(id -> tracker.images(id).values().forEach(i -> addOnce(bundles, i.getBundleId())));
    return new RunSummary(inputs.runId(), tracker.allEnded(), bundleId, bundles,
        new Sent(inputs.images().size(), inputs.requests().size(), inputs.requestedImages()), received, conservation,
        new Timings(Percentiles.of(tracker.tokenizeLatenciesMs()), Percentiles.of(tracker.generateLatenciesMs()), wallMs),
        tracker.missing(), failures(tracker), files, List.copyOf(notes));
  }

  public void write(Path file) throws IOException {
    JSON.writeValue(file.toFile(), this);
  }

  private static List<Failure> failures(RunTracker tracker) {
    List<Failure> failures = new ArrayList<>();
    tracker.deadLetters().forEach((id, letter) ->
        failures.add(new Failure(id, "dead letter at " + letter.getStage(), letter.getErrorMessage())));
    for (String id : tracker.failedRequests()) {
      if (!tracker.deadLetters().containsKey(id)) {
        GenerationStatus status = tracker.lastStatus(id);
        failures.add(new Failure(id, "status " + status.getState(), status.getError()));
      }
    }
    return failures;
  }

  private static void addOnce(List<String> list, String value) {
    if (!list.contains(value)) {
      list.add(value);
    }
  }
}
