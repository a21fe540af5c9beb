#!/usr/bin/env bash
# The full Fashion-MNIST test set (10 000 images) through the platform and the reference evaluator:
#   bash sw/apps/infer/full-test-set.sh [net.onnx] [platform]   (default sw/nets/fmnist-cnn.onnx, hermes64)
# Prints the evaluator's accuracies (float, digitally quantized, ideal devices, platform devices at t = 0)
# and the platform's report (PCM devices, t = 0: the cores' clock held, as the evaluator's). Takes about
# 15-20 minutes of wall time for the CNN on a 2-core machine; needs `build/` (bash .ci/build test).
set -euo pipefail
cd "$(dirname "$0")/../../.."
net=${1:-sw/nets/fmnist-cnn.onnx}
platform=${2:-hermes64}
out=build/full-test-set
mkdir -p "$out"
build/bin/aimc-compile "$net" --platform "$platform" -o "$out/model.aimg" --quiet \
    --evaluate 10000 --devices digital,ideal,platform
build/bin/aimc-dataset "$out/model.aimg" -n 10000 -o "$out/batch.bin"
build/bin/aimc-vp --platform "$platform" --firmware build/sw/infer.elf --set tile.drift_update_interval=100000s \
    --load "$out/model.aimg@0x80400000" --load "$out/batch.bin@0x80800000" --stats "$out/stats.json"
