'use strict';
// Pieces shared by the golden-file scripts: model surgery, the synthetic input image (copied
// bit for bit by the Java tests' SyntheticImage) and the weight-loading check.

const tf = require('@tensorflow/tfjs-core');

// Keeps the tapped layer and its ancestors, makes it the output and sets the input size.
function truncatedTopology(topology, tap, height, width) {
  const config = JSON.parse(JSON.stringify(topology.model_config.config));
  const byName = new Map(config.layers.map((layer) => [layer.name, layer]));
  if (!byName.has(tap)) throw new Error(`no layer '${tap}' in the model`);
  const keep = new Set();
  const pending = [tap];
  while (pending.length > 0) {
    const name = pending.pop();
    if (keep.has(name)) continue;
    keep.add(name);
    for (const node of byName.get(name).inbound_nodes) {
      for (const inbound of node) pending.push(inbound[0]);
    }
  }
  config.layers = config.layers.filter((layer) => keep.has(layer.name));
  const input = config.layers.find((layer) => layer.class_name === 'InputLayer');
  input.config.batch_input_shape = [null, height, width, 3];
  config.output_layers = [[tap, 0, 0]];
  return {...topology, model_config: {...topology.model_config, config}};
}

// Integer-only formula, so Java and JavaScript produce bit-identical pixels: colour gradients,
// an inverted disc and a small deterministic texture. Returns q in [0, 255] for channel c.
function syntheticPixel(c, y, x, height, width) {
  const base = c === 0 ? Math.floor(255 * x / (width - 1))
      : c === 1 ? Math.floor(255 * y / (height - 1))
      : Math.floor(255 * (x + y) / (width + height - 2));
  const dx = 2 * x - width + 1;
  const dy = 2 * y - height + 1;
  const side = Math.min(height, width);
  const inDisc = 9 * (dx * dx + dy * dy) < 4 * side * side;
  const texture = ((x * 7 + y * 13 + c * 5) % 17) * 4 - 32;
  return Math.min(255, Math.max(0, (inDisc ? 255 - base : base) + texture));
}

// NHWC image in [0, 1] (float32 of q / 255), as TF.js wants it.
function syntheticImage(height, width) {
  const values = new Float32Array(height * width * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        values[(y * width + x) * 3 + c] = Math.fround(syntheticPixel(c, y, x, height, width) / 255);
      }
    }
  }
  return tf.tensor4d(values, [1, height, width, 3], 'float32');
}

// Guards against strict:false silently skipping weights: every kept layer that has weights in
// the manifest must have received all of them, equal to a direct dequantisation.
function checkWeightsLoaded(model, artifacts) {
  const expected = new Map();
  for (const spec of artifacts.weightSpecs) {
    const layer = spec.name.split('/')[0];
    expected.set(layer, (expected.get(layer) || 0) + 1);
  }
  for (const layer of model.layers) {
    const want = expected.get(layer.name) || 0;
    if (layer.weights.length !== want) {
      throw new Error(`layer ${layer.name}: ${layer.weights.length} weights loaded, ${want} expected`);
    }
  }
  const first = artifacts.weightSpecs[0];
  const q = new Uint8Array(artifacts.weightData, 0, 4);
  const loaded = model.getLayer(first.name.split('/')[0]).getWeights()[0].dataSync();
  for (let i = 0; i < q.length; i++) {
    const want = Math.fround(q[i] * first.quantization.scale + first.quantization.min);
    if (loaded[i] !== want) throw new Error(`${first.name}[${i}] = ${loaded[i]}, expected ${want}`);
  }
}

module.exports = {truncatedTopology, syntheticPixel, syntheticImage, checkWeightsLoaded};
