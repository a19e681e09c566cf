#!/usr/bin/env node
// Golden numbers for InceptionV3FeaturesTest: the nsfwjs@4.4.0 InceptionV3 (Keras 2.2.4, TF.js
// layers format, uint8 weights) cut at a layer, run by TensorFlow.js on its pure-JS CPU backend on
// the synthetic image of tools/golden/mobilenet-v2-golden.js. Prints one JSON line: the output
// shape, max |value|, each listed channel's largest activation with its position, and the
// per-channel global average (float32 LE, base64). Belongs in tools/golden; kept here until moved.
//
// Usage (from tools/golden, after npm ci): node inception-v3-golden.js \
//          ~/.cache/aligntok/npm/nsfwjs@4.4.0/package/dist/models/inception_v3 mixed5 131 157
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfl = require('@tensorflow/tfjs-layers');
const {truncatedTopology, syntheticPixel, syntheticImage, checkWeightsLoaded} = require('./golden-common');
function loadArtifacts(modelDir) {
  const modelJson = require(path.join(modelDir, 'model.min.js'));
  const specs = []; const buffers = [];
  for (const group of modelJson.weightsManifest) {
    specs.push(...group.weights);
    for (const shard of group.paths) buffers.push(Buffer.from(require(path.join(modelDir, shard + '.min.js')), 'base64'));
  }
  const all = Buffer.concat(buffers);
  return {topology: modelJson.modelTopology, weightSpecs: specs,
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)};
}

async function main() {
  await tf.setBackend('cpu');
  const modelDir = process.argv[2];
  const tap = process.argv[3], height = +process.argv[4], width = +process.argv[5];
  const artifacts = loadArtifacts(modelDir);
  const topology = truncatedTopology(artifacts.topology, tap, height, width);
  const model = await tfl.loadLayersModel(tf.io.fromMemory({...artifacts, modelTopology: topology}), {strict: false});
  checkWeightsLoaded(model, artifacts);
  const t0 = Date.now();
  const features = tf.tidy(() => model.predict(tf.sub(tf.mul(syntheticImage(height, width), 2), 1)));
  const [n, h, w, c] = features.shape;
  const data = features.dataSync();
  const pooled = new Float32Array(c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) pooled[k] += data[(y * w + x) * c + k];
  for (let k = 0; k < c; k++) pooled[k] = Math.fround(pooled[k] / (h * w));
  let maxAbs = 0; for (const v of data) maxAbs = Math.max(maxAbs, Math.abs(v));
  const spots = [];
  for (const k of [0, 5, 100, 200, 300, 500, 640, 50]) {
    let best = [k, 0, 0, -1];
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const v = data[(y * w + x) * c + k];
      if (v > best[3]) best = [k, y, x, v];
    }
    spots.push(best);
  }
  const buf = Buffer.from(pooled.buffer);
  console.log(JSON.stringify({tap, height, width, shapeNCHW: [n, c, h, w], maxAbs, seconds: (Date.now() - t0) / 1000,
    tfjsCore: tf.version_core, tfjsLayers: tfl.version_layers, spots, pooledBase64: buf.toString('base64')}));
}
main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
