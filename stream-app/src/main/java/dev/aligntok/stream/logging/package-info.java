/**
 * Request-id log context and log levels; imports no other stream-app package.
 */
package dev.aligntok.stream.logging;
