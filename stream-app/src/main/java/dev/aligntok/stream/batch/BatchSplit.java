package dev.aligntok.stream.batch;

import java.util.List;

/**
 * What to run of a selected batch, given how often its records failed before: the whole batch while
 * every record has failed fewer than {@code maxAttempts} runs; otherwise at most half the size of the
 * smallest failed batch such a record was in (bisection across runs, since a crash allows only one
 * try per process); and a record that has failed alone {@code maxAttempts} times does not run at
 * all: it is quarantined.
 *
 * @param run        the records to run now, a prefix of the selection (never empty unless quarantining)
 * @param quarantine a record to take out of the queue instead, or null
 * @param attempts   the quarantined record's failures
 */
record BatchSplit(List<PendingRecord> run, PendingRecord quarantine, AttemptLedger.Attempts attempts) {

  static BatchSplit of(List<PendingRecord> selected, AttemptLedger ledger, int maxAttempts) {
    if (ledger.isEmpty()) {
      return new BatchSplit(selected, null, null);
    }
    int limit = selected.size();
    for (PendingRecord record : selected) {
      AttemptLedger.Attempts attempts = ledger.of(record);
      if (attempts.aloneFailures() >= maxAttempts) {
        return new BatchSplit(List.of(), record, attempts);
      }
      if (attempts.failures() >= maxAttempts) {
        limit = Math.min(limit, Math.max(1, (attempts.lastBatchSize() + 1) / 2));
      }
    }
    return new BatchSplit(selected.subList(0, limit), null, null);
  }
}
