/**
 * The service's model ({@link dev.aligntok.stream.service.model.ModelPorts}: the loaded bundle's enabled
 * ports) and the factory that opens it; may import service.config, runtime and model.
 */
package dev.aligntok.stream.service.model;
