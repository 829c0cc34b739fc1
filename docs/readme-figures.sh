#!/usr/bin/env bash
# Redraws README's pictures from the release binary, so they follow the current palette and
# layout:  bash docs/readme-figures.sh [BIN]   (default target/release/dln-explorer; run from the
# repository root). The animation strip needs ImageMagick (convert); the window screenshot is
# taken by `gui --screenshot` under xvfb-run.
set -eu
BIN=${1:-target/release/dln-explorer}
[ -x "$BIN" ] || { echo "no binary at $BIN (cargo build --release first)"; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$BIN" figure --preset large-steps-help-sgd --plot gamma-sweep --seeds 10 --scale 1 --out assets/gamma-sweep.png
"$BIN" figure --preset large-steps-help-sgd --plot phase --alphas 0.01,0.03,0.1,0.3,1 --seeds 5 --scale 1 --out assets/phase.png
"$BIN" figure --preset edge-of-stability --plot sharpness --scale 1 --out assets/edge-of-stability.png
"$BIN" figure --preset sgd-beats-gd --plot all --frames 120 --fps 12 --out "$tmp/run.gif"
# Frames 1, 30, 60, 90 and 120 side by side, 1920 pixels wide.
convert "$tmp/run.gif" -coalesce "$tmp/frame-%03d.png"
convert "$tmp"/frame-{000,029,059,089,119}.png -resize 384x +append assets/animation-strip.png
xvfb-run -a -s "-screen 0 1600x900x24" "$BIN" gui --window 1600x900 --screenshot assets/screenshot.png
rm -f assets/screenshot.png.json
