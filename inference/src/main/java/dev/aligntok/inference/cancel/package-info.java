/**
 * Stopping a running model call from another thread: {@link dev.aligntok.inference.cancel.Cancellation}
 * scopes, honoured by the sampler between steps and by ONNX Runtime sessions through their terminate flag.
 *
 * <p>Layering: a leaf; it uses no other inference package.
 */
package dev.aligntok.inference.cancel;
