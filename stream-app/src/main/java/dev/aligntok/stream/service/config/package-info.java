/**
 * The service's configuration properties and their translation into the pipelines' config records; may
 * import config, blob and output.
 */
package dev.aligntok.stream.service.config;
