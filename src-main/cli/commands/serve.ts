import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiHost } from '../../../src-shared/api/host';
import { createHandlers } from '../../api/handlers';
import { openStartupProject } from '../../project';
import { startBridge } from '../../server/bridge';
import { serveToken } from '../../server/token';
import { VERSION } from '../../version';
import { type Command, intOption, parseCommandArgs, printed, progressPrinter } from '../command';

/** The built renderer, next to this bundle (out/cli -> out/renderer). */
export function rendererDir(): string {
  return fileURLToPath(new URL('../renderer', import.meta.url));
}

export const serveCommand: Command = {
  name: 'serve',
  usage: `Usage: pumpdeck serve [--db FILE | --demo [--days N]] [--port N] [--host ADDR]

Opens a station database and serves the PumpDeck console to a browser. Prints the URL with its
one-run token; only someone with that URL can use the API.

Options:
  --db FILE     station database (created if missing)
  --demo        open the demo station (generated once into the PumpDeck data folder)
  --days N      days of demo data when the demo is generated (default 30)
  --port N      port (default 4780; 0 picks a free one)
  --host ADDR   address to bind (default 127.0.0.1: loopback only)

With neither --db nor --demo, opens your default project if there is one, else the demo.
PUMPDECK_SERVE_TOKEN (32 or more letters, digits, - or _) fixes the token, so a restarted server
keeps its address and open consoles reconnect; without it each run has a new one.`,
  async run(argv) {
    const token = serveToken();
    const { values } = parseCommandArgs(argv, {
      db: { type: 'string' },
      demo: { type: 'boolean' },
      days: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
    });
    if (values.help) return printed(this.usage);
    const port = intOption(values.port, 'port', [0, 65535]) ?? 4780;
    const progress = progressPrinter('demo');
    const project = await openStartupProject({
      dbPath: values.db ? resolve(values.db) : undefined,
      demo: values.demo,
      days: intOption(values.days, 'days', [1, 3660]),
      onProgress: progress,
    });
    const host: ApiHost = new ApiHost(
      createHandlers({
        version: VERSION,
        project: () => project,
        changed: (tables) => host.broadcast('data.changed', { tables }),
      }),
      (error, method) => console.error(`pumpdeck: ${method} failed:`, error),
    );
    const staticDir = rendererDir();
    const bridge = await startBridge({
      host,
      token,
      port,
      bindAddress: values.host,
      staticDir: existsSync(staticDir) ? staticDir : undefined,
    });
    console.log(`PumpDeck ${VERSION} serving ${project.dbPath}`);
    console.log(`Open ${bridge.url}`);
    await new Promise<void>((done) => {
      const stop = () => done();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await bridge.close();
    project.db.close();
    // A stop signal ends the work still running (a solve or a training in a worker thread would
    // otherwise keep the process alive until it finished): the operator asked to stop.
    process.exit(0);
  },
};
