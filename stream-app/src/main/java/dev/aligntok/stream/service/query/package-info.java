/**
 * Reads the API's stores on the running Streams instance and finds the instance that owns a key; may import
 * service.kafka, service.config, output and config.
 */
package dev.aligntok.stream.service.query;
