/**
 * Where images too large for a record live (the blob store and its file implementation); imports no other
 * stream-app package.
 */
package dev.aligntok.stream.blob;
