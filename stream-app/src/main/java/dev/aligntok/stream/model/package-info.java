/**
 * The model ports the topologies call (encoder, generator) and the records that cross them; imports no
 * other stream-app package.
 */
package dev.aligntok.stream.model;
