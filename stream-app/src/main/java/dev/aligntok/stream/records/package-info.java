/**
 * The raw records around every processor: an input exactly as it arrived and an output already serialized
 * for its topic; imports no other stream-app package.
 */
package dev.aligntok.stream.records;
