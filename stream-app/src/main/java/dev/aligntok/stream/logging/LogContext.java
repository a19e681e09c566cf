package dev.aligntok.stream.logging;

import java.util.List;
import org.slf4j.MDC;

/**
 * The request or image id in the SLF4J MDC under {@value #REQUEST_ID}, so every log line written
 * while a record, a batch or an HTTP call is handled names it ({@code logback.xml} prints it).
 * Scopes nest: closing one restores the id that was there before.
 */
public final class LogContext {
  public static final String REQUEST_ID = "requestId";
  /** Ids named in a batch's context; the rest are counted. */
  static final int BATCH_IDS_SHOWN = 8;

  private LogContext() {}

  /** Sets the request id (null clears it) until the scope is closed. */
  public static Scope requestId(String id) {
    String previous = MDC.get(REQUEST_ID);
    put(id);
    return new Scope(previous);
  }

  /** The ids of a batch, comma-separated: the first {@value #BATCH_IDS_SHOWN}, then how many more. */
  public static Scope batch(List<String> ids) {
    String shown = String.join(",", ids.subList(0, Math.min(ids.size(), BATCH_IDS_SHOWN)));
    return requestId(ids.size() > BATCH_IDS_SHOWN ? shown + ",+" + (ids.size() - BATCH_IDS_SHOWN) + " more" : shown);
  }

  private static void put(String id) {
    if (id == null) {
      MDC.remove(REQUEST_ID);
    } else {
      MDC.put(REQUEST_ID, id);
    }
  }

  /** Restores the previous request id; never throws. */
  public static final class Scope implements AutoCloseable {
    private final String previous;

    private Scope(String previous) {
      this.previous = previous;
    }

    @Override
    public void close() {
      put(previous);
    }
  }
}
