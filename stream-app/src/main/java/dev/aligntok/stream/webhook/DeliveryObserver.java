package dev.aligntok.stream.webhook;

/** What the webhook delivery reports to metrics; every method is called from delivery threads. */
public interface DeliveryObserver {
  /** A call answered 2xx after {@code nanos} (that attempt alone). */
  void delivered(long nanos);

  /** An attempt failed (non-2xx, timeout, connection, refused destination); retried or dead-lettered next. */
  void attemptFailed();

  /** A call failed on its last attempt (or was refused) and went to the dead-letter topic. */
  void deadLettered();

  /** Calls read from the status topic and not yet delivered or dead-lettered. */
  void pending(int calls);

  DeliveryObserver NONE = new DeliveryObserver() {
    @Override
    public void delivered(long nanos) {}

    @Override
    public void attemptFailed() {}

    @Override
    public void deadLettered() {}

    @Override
    public void pending(int calls) {}
  };
}
