// Bundles the CLI (and with it the whole Node side) into out/cli/ (pumpdeck.mjs and its chunks), and the model
// training and alerts workers into out/worker/ (the CLI and the Electron main both start them from
// there); node_modules stay external (DuckDB is a native module).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
};
await build({ ...common, entryPoints: ['src-main/models/trainWorker.ts'], outfile: 'out/worker/train.mjs' });
await build({ ...common, entryPoints: ['src-main/alerts/alertsWorker.ts'], outfile: 'out/worker/alerts.mjs' });
await build({ ...common, entryPoints: ['src-main/optimize/solveWorker.ts'], outfile: 'out/worker/solve.mjs' });
// The CLI in chunks: each command's code loads when it runs (src-main/cli/main.ts). Chunks are
// named by hash: the last build's would pile up beside the new ones.
rmSync('out/cli', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { pumpdeck: 'src-main/cli/main.ts' },
  outdir: 'out/cli',
  splitting: true,
  outExtension: { '.js': '.mjs' },
  // Chunks beside the entry: code in them finds out/renderer and out/worker as ../renderer, ../worker.
  chunkNames: '[name]-[hash]',
});
/**
 * dbffile decodes text through iconv-lite, whose double-byte (CJK) tables are most of its size; an
 * RSView32 or FactoryTalk log on a site PC is Latin-1 / Windows-1252, so the runner leaves them out.
 */
const withoutDoubleByteTables = {
  name: 'without-dbcs-tables',
  setup(b) {
    b.onResolve({ filter: /^\.\/dbcs-data$/ }, (args) =>
      args.importer.includes('iconv-lite') ? { path: 'dbcs-data', namespace: 'empty' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

// The edge runner: one file with its dependencies inside (papaparse, ml-matrix, zod, dbffile), for
// Node 18+ on a Raspberry Pi with no node_modules.
await build({
  ...common,
  packages: undefined,
  plugins: [withoutDoubleByteTables],
  // dbffile is CommonJS and requires Node's own modules: an ESM bundle gives it a real require.
  banner: {
    js: "import { createRequire as __pdRequire } from 'node:module'; const require = __pdRequire(import.meta.url);",
  },
  target: 'node18',
  entryPoints: ['src-edge/runner.ts'],
  outfile: 'out/edge/runner.mjs',
  sourcemap: false,
  minify: true,
  legalComments: 'none',
});
