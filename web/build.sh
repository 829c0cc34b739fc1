#!/usr/bin/env bash
# Builds the web edition into a static folder any web server can serve:
#   web/build.sh [OUTDIR]        (default: target/web)
# Installs what it needs when missing: the wasm32 target and wasm-bindgen-cli at the version
# Cargo.lock pins. Uses wasm-opt (Debian's binaryen) when it is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/web}"

rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "installing wasm-bindgen-cli $want (once)…" >&2
  cargo install wasm-bindgen-cli --version "$want"
fi

# SIMD128 lets the stepping kernels' loops vectorise in the browser (every current browser has it).
RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+simd128" \
  cargo rustc --release --lib --crate-type cdylib --target wasm32-unknown-unknown --target-dir target/wasm
mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" \
  target/wasm/wasm32-unknown-unknown/release/dln_explorer.wasm
# wasm-opt before version 116 breaks the module's reference-typed tables (Debian 12 ships 108).
opt=$(wasm-opt --version 2>/dev/null | sed -n 's/^wasm-opt version \([0-9]*\).*/\1/p' || true)
if [ -n "$opt" ] && [ "$opt" -ge 116 ]; then
  wasm-opt -O2 --all-features "$out/dln_explorer_bg.wasm" -o "$out/dln_explorer_bg.wasm.opt"
  mv "$out/dln_explorer_bg.wasm.opt" "$out/dln_explorer_bg.wasm"
else
  echo "wasm-opt ${opt:-not found} (version 116 or later optimises the module): the page works, only larger" >&2
fi
cp web/index.html "$out/index.html"
size=$(du -k "$out/dln_explorer_bg.wasm" | cut -f1)
gz=$(gzip -9 -c "$out/dln_explorer_bg.wasm" | wc -c)
echo "wrote $out: index.html, dln_explorer.js, dln_explorer_bg.wasm (${size} KiB, $((gz / 1024)) KiB gzipped)"
