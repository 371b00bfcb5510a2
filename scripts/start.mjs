// `npm start`: build, then open the Electron app if its binary is installed; otherwise say so in
// one line and open browser mode (`pumpdeck serve`) instead. Extra args pass through: npm start -- --db FILE
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const args = process.argv.slice(2);
if (spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' }).status !== 0) process.exit(1);

let electronBinary = null;
try {
  // The electron package exports the binary's path, and throws when the binary was never downloaded.
  electronBinary = createRequire(import.meta.url)('electron');
} catch {
  electronBinary = null;
}

if (electronBinary) {
  const electronArgs = [
    '.',
    ...args.map((a, i) => (a === '--db' ? `--db=${args[i + 1]}` : a)).filter((_a, i) => args[i - 1] !== '--db'),
  ];
  spawn(electronBinary, electronArgs, { stdio: 'inherit' }).on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    'Electron binary not installed (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1?); opening browser mode instead. For the desktop app run `node node_modules/electron/install.js` where downloads work.',
  );
  const serve = spawn('bin/pumpdeck', ['serve', ...args], { stdio: ['inherit', 'pipe', 'inherit'] });
  serve.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    const url = /Open (http:\/\/\S+)/.exec(String(chunk))?.[1];
    if (url && process.env.PUMPDECK_NO_BROWSER !== '1') {
      const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
      spawn(opener, [url], { stdio: 'ignore', detached: true })
        .on('error', () => {})
        .unref();
    }
  });
  const stop = () => serve.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  serve.on('exit', (code) => process.exit(code ?? 0));
}
