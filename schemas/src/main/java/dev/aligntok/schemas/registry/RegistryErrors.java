package dev.aligntok.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Turns an unsuccessful registry response into the matching typed exception. */
final class RegistryErrors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY_IN_MESSAGE = 500;

  private RegistryErrors() {}

  static SchemaRegistryException fromResponse(String request, int status, String body) {
    int code = status;
    String detail = truncate(body);
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.has("error_code")) {
        code = node.get("error_code").asInt(status);
        detail = node.path("message").asText(detail);
      }
    } catch (Exception notJson) {
      // Keep the raw body as the detail: proxies answer 502/503 with HTML.
    }
    String message = request + " failed: HTTP " + status + ", error_code " + code + ": " + detail;
    if (status == 401 || status == 403) {
      return new RegistryAuthException(message + " (check basic.auth.user.info or bearer.auth.token)", status, code);
    }
    if (status == 429 || status >= 500) {
      return new RegistryServerException(message, status, code);
    }
    switch (code) {
      case 40401:
        return new SubjectNotFoundException(message, status, code);
      case 40402:
        return new VersionNotFoundException(message, status, code);
      case 40403:
        return new SchemaNotFoundException(message, status, code);
      default:
        break;
    }
    if ((status == 409 || code == 409) && detail.contains("already exists")) {
      return new ConcurrentRegistrationException(message, status, code);
    }
    if (status == 409 || code == 409) {
      return new IncompatibleSchemaException(message, status, code);
    }
    if (status == 422 || (code >= 42200 && code < 42300)) {
      return new InvalidSchemaException(message, status, code);
    }
    return new SchemaRegistryException(message, status, code, null);
  }

  private static String truncate(String body) {
    if (body == null || body.isBlank()) {
      return "(empty body)";
    }
    String oneLine = body.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_BODY_IN_MESSAGE ? oneLine : oneLine.substring(0, MAX_BODY_IN_MESSAGE) + "…";
  }
}
