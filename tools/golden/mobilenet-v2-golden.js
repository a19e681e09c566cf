#!/usr/bin/env node
// Golden activations of the nsfwjs@4.4.0 MobileNetV2 (Keras 2.2.4, TF.js layers format, uint8
// weights) computed by TensorFlow.js on its pure-JS CPU backend. The trainer's DJL port
// (dev.aligntok.trainer.encoders.MobileNetV2Encoder) must reproduce these; see README.md.
//
// Usage: node mobilenet-v2-golden.js [--nsfwjs <package dir>] [--out <dir>]
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfl = require('@tensorflow/tfjs-layers');
const {truncatedTopology, syntheticPixel, syntheticImage, checkWeightsLoaded} = require('./golden-common');

// Each case: a synthetic image (formula below, identical in the Java test) and the layer tapped.
// 128x128 at the default tap is the trainer's demo configuration. The odd-sized, non-square
// cases (feature maps of 9 and 25 px meet the asymmetric stride-2 padding) catch H/W mix-ups;
// one ends on a linear layer (no ReLU zeros hiding errors), one runs the whole backbone.
const CASES = [
  {name: 'mobilenet_v2_block_10_expand_relu_128x128', height: 128, width: 128,
   tap: 'block_10_expand_relu'},
  {name: 'mobilenet_v2_block_16_project_BN_72x100', height: 72, width: 100,
   tap: 'block_16_project_BN'},
  {name: 'mobilenet_v2_out_relu_72x100', height: 72, width: 100, tap: 'out_relu'},
];

function parseArgs(argv) {
  const cacheRoot = process.env.ALIGNTOK_CACHE || path.join(os.homedir(), '.cache', 'aligntok');
  const args = {
    nsfwjs: path.join(cacheRoot, 'npm', 'nsfwjs@4.4.0', 'package'),
    out: path.resolve(__dirname, '..', '..', 'trainer', 'src', 'test', 'resources', 'encoders'),
  };
  for (let i = 2; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in args) || argv[i + 1] === undefined) {
      throw new Error(`unknown or incomplete option '${argv[i]}' (known: --nsfwjs, --out)`);
    }
    args[key] = path.resolve(argv[i + 1]);
  }
  return args;
}

// The package wraps the model JSON and the base64 weight shards in browserify bundles whose
// module.exports is the object / the string; nsfwjs itself loads them the same way.
function loadNsfwjsArtifacts(packageDir) {
  const modelDir = path.join(packageDir, 'dist', 'models', 'mobilenet_v2');
  const modelFile = path.join(modelDir, 'model.min.js');
  if (!fs.existsSync(modelFile)) {
    throw new Error(`no ${modelFile}: pass --nsfwjs <dir of the extracted nsfwjs@4.4.0 package>`);
  }
  const modelJson = require(modelFile);
  const specs = [];
  const buffers = [];
  for (const group of modelJson.weightsManifest) {
    specs.push(...group.weights);
    for (const shard of group.paths) {
      buffers.push(Buffer.from(require(path.join(modelDir, shard + '.min.js')), 'base64'));
    }
  }
  const all = Buffer.concat(buffers);
  return {
    topology: modelJson.modelTopology,
    weightSpecs: specs,
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
  };
}

function writeCase(outDir, testCase, features, meta) {
  const nchw = tf.transpose(features, [0, 3, 1, 2]);
  const data = nchw.dataSync();
  const bytes = Buffer.alloc(data.length * 4);
  let maxAbs = 0;
  for (let i = 0; i < data.length; i++) {
    bytes.writeFloatLE(data[i], i * 4);
    maxAbs = Math.max(maxAbs, Math.abs(data[i]));
  }
  fs.writeFileSync(path.join(outDir, testCase.name + '.f32'), bytes);
  const header = {
    shape: nchw.shape,
    dtype: 'float32',
    byteOrder: 'little',
    layout: 'NCHW',
    tapLayer: testCase.tap,
    input: {
      height: testCase.height,
      width: testCase.width,
      image: 'synthetic: q(c,y,x) of tools/golden/mobilenet-v2-golden.js, value = float32(q / 255)',
      preprocessing: 'x * 2 - 1 (Keras MobileNetV2 range [-1, 1])',
    },
    maxAbs,
    producer: meta,
  };
  fs.writeFileSync(path.join(outDir, testCase.name + '.json'), JSON.stringify(header, null, 2) + '\n');
  nchw.dispose();
  return {file: testCase.name, shape: header.shape, maxAbs, bytes: bytes.length};
}

async function main() {
  const args = parseArgs(process.argv);
  await tf.setBackend('cpu');
  const artifacts = loadNsfwjsArtifacts(args.nsfwjs);
  const meta = {
    tool: 'tools/golden/mobilenet-v2-golden.js',
    tfjsCore: tf.version_core,
    tfjsLayers: tfl.version_layers,
    backend: tf.getBackend(),
    model: 'nsfwjs@4.4.0 dist/models/mobilenet_v2',
  };
  fs.mkdirSync(args.out, {recursive: true});
  for (const testCase of CASES) {
    const topology = truncatedTopology(artifacts.topology, testCase.tap, testCase.height, testCase.width);
    const model = await tfl.loadLayersModel(
        tf.io.fromMemory({...artifacts, modelTopology: topology}), {strict: false});
    checkWeightsLoaded(model, artifacts);
    const features = tf.tidy(() => {
      const image = syntheticImage(testCase.height, testCase.width);
      return model.predict(tf.sub(tf.mul(image, 2), 1));
    });
    console.log(JSON.stringify(writeCase(args.out, testCase, features, meta)));
    features.dispose();
    model.dispose();
  }
}

main().catch((error) => {
  console.error(error.stack || String(error));
  process.exit(1);
});
