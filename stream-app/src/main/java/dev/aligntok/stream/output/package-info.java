/**
 * What processors write: the routing emitter, dead letters, output encoding with its size check, event
 * serdes and codecs; may import record, model, blob, config and logging.
 */
package dev.aligntok.stream.output;
