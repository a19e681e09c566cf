package dev.aligntok.stream.webhook;

import dev.aligntok.events.GenerationState;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.inference.io.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The JSON body of a webhook call for one status of a request, and its {@code webhook-id}. The body:
 * {@code type} ({@code generation.<state>}), {@code requestId}, {@code state}, {@code completed},
 * {@code total}, {@code progress}, {@code status} (the status URL), {@code images} (their URLs once
 * SUCCEEDED), {@code error} and {@code errorClass} when it ended without success, {@code bundleId},
 * {@code timestamp} (when the state was entered, ISO-8601).
 */
public final class WebhookPayload {
  private WebhookPayload() {}

  /**
   * The id of the call for {@code state} of {@code requestId}: the same for every attempt, across
   * restarts and instances, so a receiver drops repeats by it ({@code msg_} + 32 hex digits of a SHA-256).
   */
  public static String webhookId(String requestId, GenerationState state) {
    return "msg_" + Sha256.of((requestId + "\n" + state.name()).getBytes(StandardCharsets.UTF_8)).substring(0, 32);
  }

  /**
   * @param baseUrl the service's public URL the links start with (no trailing slash); "" for paths alone
   */
  public static byte[] body(GenerationStatus status, String baseUrl) {
    String id = status.getRequestId();
    String statusUrl = baseUrl + "/v1/generations/" + id;
    StringBuilder json = new StringBuilder(256);
    json.append('{');
    field(json, "type", "generation." + status.getState().name().toLowerCase(Locale.ROOT)).append(',');
    field(json, "requestId", id).append(',');
    field(json, "state", status.getState().name()).append(',');
    json.append("\"completed\":").append(status.getCompleted()).append(',');
    json.append("\"total\":").append(status.getTotal()).append(',');
    json.append("\"progress\":").append(status.getProgress()).append(',');
    field(json, "status", statusUrl).append(',');
    json.append("\"images\":[");
    if (status.getState() == GenerationState.SUCCEEDED) {
      for (int i = 0; i < status.getCompleted(); i++) {
        if (i > 0) {
          json.append(',');
        }
        string(json, statusUrl + "/images/" + i);
      }
    }
    json.append("],");
    if (status.getError() != null) {
      field(json, "error", status.getError()).append(',');
    }
    if (status.getErrorClass() != null) {
      field(json, "errorClass", status.getErrorClass()).append(',');
    }
    if (status.getBundleId() != null) {
      field(json, "bundleId", status.getBundleId()).append(',');
    }
    field(json, "timestamp", status.getUpdatedAtMs().toString());
    json.append('}');
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static StringBuilder field(StringBuilder json, String name, String value) {
    string(json, name);
    json.append(':');
    return string(json, value);
  }

  private static StringBuilder string(StringBuilder json, String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"');
  }
}
