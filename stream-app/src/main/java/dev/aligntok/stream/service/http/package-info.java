/**
 * The HTTP API: controllers, authentication and authorization, body limits, request checks and routing to
 * the owning instance; may import every other service package and the pipeline packages.
 */
package dev.aligntok.stream.service.http;
