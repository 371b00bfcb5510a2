#!/usr/bin/env bash
# Developer helper: bundle one TypeScript entry with esbuild and run it with node.
set -euo pipefail
entry=$1; shift
out=".scratch/$(basename "${entry%.*}").mjs"
mkdir -p .scratch
npx esbuild "$entry" --bundle --platform=node --format=esm --packages=external --log-level=warning --outfile="$out"
exec node --expose-gc "$out" "$@"
