/**
 * Micro-batching behind {@link dev.aligntok.stream.batch.MicroBatchProcessor} (pending queue, batch
 * selection, attempts, bisection, watchdog), one {@link dev.aligntok.stream.batch.BatchWork} per topology;
 * may import output, record, config and logging.
 */
package dev.aligntok.stream.batch;
