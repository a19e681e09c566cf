package dev.aligntok.quickstart;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.GenerationState;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.events.LatentEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each input of a run stands: sent, then ended by its output (a latent; all images of a
 * request) or by a dead letter or a FAILED (CANCELLED, EXPIRED) status. Records of other runs are
 * ignored; an output seen twice is counted as a duplicate, never twice. Thread-safe: a sender thread
 * may record send times while a reader thread records outputs.
 */
public final class RunTracker {
  private final RunInputs inputs;
  private final Map<String, Long> sentAtNanos = new HashMap<>();
  private final Map<String, Long> endedAtNanos = new HashMap<>();
  private final Map<String, LatentEvent> latents = new LinkedHashMap<>();
  private final Map<String, TreeMap<Integer, GeneratedImage>> images = new HashMap<>();
  private final Map<String, GenerationStatus> lastStatus = new HashMap<>();
  private final Map<String, DeadLetter> deadLetters = new LinkedHashMap<>();
  private int duplicates;

  public RunTracker(RunInputs inputs) {
    this.inputs = inputs;
  }

  public RunInputs inputs() {
    return inputs;
  }

  public synchronized void sent(String id, long nanos) {
    sentAtNanos.put(id, nanos);
  }

  public synchronized void latent(LatentEvent event, long nanos) {
    String id = event.getId();
    if (!inputs.images().containsKey(id)) {
      return;
    }
    if (latents.putIfAbsent(id, event) != null) {
      duplicates++;
      return;
    }
    ended(id, nanos);
  }

  public synchronized void image(GeneratedImage image, long nanos) {
    GenerationRequest request = inputs.requests().get(image.getRequestId());
    if (request == null) {
      return;
    }
    TreeMap<Integer, GeneratedImage> received = images.computeIfAbsent(request.getId(), id -> new TreeMap<>());
    if (received.putIfAbsent(image.getIndex(), image) != null) {
      duplicates++;
      return;
    }
    if (received.size() == request.getCount()) {
      ended(request.getId(), nanos);
    }
  }

  public synchronized void status(GenerationStatus status, long nanos) {
    String id = status.getRequestId();
    if (!inputs.requests().containsKey(id)) {
      return;
    }
    lastStatus.put(id, status);
    if (isFailure(status.getState())) {
      ended(id, nanos);
    }
  }

  /** @param inputId the dead letter's key, which the app sets to the input record's key (our id) */
  public synchronized void deadLetter(String inputId, DeadLetter letter, long nanos) {
    if (inputId == null || !(inputs.images().containsKey(inputId) || inputs.requests().containsKey(inputId))) {
      return;
    }
    if (deadLetters.putIfAbsent(inputId, letter) != null) {
      duplicates++;
      return;
    }
    ended(inputId, nanos);
  }

  public synchronized boolean allEnded() {
    return endedAtNanos.size() == inputs.size();
  }

  public synchronized int endedCount() {
    return endedAtNanos.size();
  }

  /** Latents received, by image id in the order they came. */
  public synchronized Map<String, LatentEvent> latents() {
    return latents;
  }

  /** The images received for a request, by index. */
  public synchronized Map<Integer, GeneratedImage> images(String requestId) {
    return images.getOrDefault(requestId, new TreeMap<>());
  }

  public synchronized int imageCount() {
    return images.values().stream().mapToInt(Map::size).sum();
  }

  /** Requests with every image. */
  public synchronized List<String> completedRequests() {
    return inputs.requests().values().stream()
        .filter(request -> images(request.getId()).size() == request.getCount())
        .map(GenerationRequest::getId).toList();
  }

  /** Requests whose last status is FAILED, CANCELLED or EXPIRED. */
  public synchronized List<String> failedRequests() {
    return inputs.requests().keySet().stream()
        .filter(id -> lastStatus.containsKey(id) && isFailure(lastStatus.get(id).getState())).toList();
  }

  public synchronized GenerationStatus lastStatus(String requestId) {
    return lastStatus.get(requestId);
  }

  /** Dead letters of this run's inputs, by input id. */
  public synchronized Map<String, DeadLetter> deadLetters() {
    return deadLetters;
  }

  public synchronized int duplicates() {
    return duplicates;
  }

  /** When each ended input ended (System.nanoTime), ascending. */
  public synchronized List<Long> endTimesNanos() {
    return endedAtNanos.values().stream().sorted().toList();
  }

  /** Milliseconds from sending each image to its latent. */
  public synchronized List<Double> tokenizeLatenciesMs() {
    return latencies(new ArrayList<>(latents.keySet()));
  }

  /** Milliseconds from sending each completed request to its last image. */
  public synchronized List<Double> generateLatenciesMs() {
    return latencies(completedRequests());
  }

  /** Each input without an end, with what it is waiting for; empty when all ended. */
  public synchronized List<String> missing() {
    List<String> missing = new ArrayList<>();
    for (String id : inputs.images().keySet()) {
      if (!endedAtNanos.containsKey(id)) {
        missing.add(id + ": no latent and no dead letter");
      }
    }
    for (GenerationRequest request : inputs.requests().values()) {
      if (!endedAtNanos.containsKey(request.getId())) {
        GenerationStatus status = lastStatus.get(request.getId());
        missing.add(request.getId() + " ('" + request.getPrompt() + "'): " + images(request.getId()).size() + " of "
            + request.getCount() + " images, last status " + (status == null ? "none" : status.getState())
            + ", no dead letter");
      }
    }
    return missing;
  }

  private List<Double> latencies(List<String> ids) {
    List<Double> ms = new ArrayList<>(ids.size());
    for (String id : ids) {
      Long sent = sentAtNanos.get(id);
      Long ended = endedAtNanos.get(id);
      if (sent != null && ended != null) {
        ms.add((ended - sent) / 1e6);
      }
    }
    return ms;
  }

  private void ended(String id, long nanos) {
    endedAtNanos.putIfAbsent(id, nanos);
  }

  private static boolean isFailure(GenerationState state) {
    return state == GenerationState.FAILED || state == GenerationState.CANCELLED || state == GenerationState.EXPIRED;
  }
}
