/**
 * Building ONNX graphs (opset 21, IR 10, dynamic batch axis) from Java over the ONNX protobuf
 * classes. Layers emit themselves through {@link dev.aligntok.export.onnx.OnnxEmitter}, beside their
 * training-time definitions.
 */
package dev.aligntok.export.onnx;
