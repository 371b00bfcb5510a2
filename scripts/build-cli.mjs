// Bundles the CLI (and with it the whole Node side) into out/cli/pumpdeck.mjs; node_modules stay
// external (DuckDB is a native module).
import { build } from 'esbuild';

await build({
  entryPoints: ['src-main/cli/main.ts'],
  outfile: 'out/cli/pumpdeck.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
