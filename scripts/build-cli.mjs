// Bundles the CLI (and with it the whole Node side) into out/cli/pumpdeck.mjs, and the model
// training worker into out/worker/train.mjs (the CLI and the Electron main both start it from
// there); node_modules stay external (DuckDB is a native module).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', sourcemap: 'linked', logLevel: 'warning' };
await build({ ...common, entryPoints: ['src-main/models/trainWorker.ts'], outfile: 'out/worker/train.mjs' });
await build({ ...common, entryPoints: ['src-main/cli/main.ts'], outfile: 'out/cli/pumpdeck.mjs' });
