/**
 * The pipelines' framework-free settings (topics, batching, limits) as validated records; imports no other
 * stream-app package.
 */
package dev.aligntok.stream.config;
