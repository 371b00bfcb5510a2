import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, shell, type WebContents } from 'electron';
import { ApiHost, type HostSession } from '../../src-shared/api/host';
import { IPC_CHANNEL } from '../../src-shared/api/ipc';
import type { ClientMessage } from '../../src-shared/api/protocol';
import { createHandlers } from '../api/handlers';
import { openStartupProject, type Project } from '../project';
import { VERSION } from '../version';
import { isInAppNavigation, isSafeExternalUrl } from './navigation';

// The thin Electron layer: a window, the preload, and the API host served over one IPC channel.

let project: Project | null = null;
const host: ApiHost = new ApiHost(
  createHandlers({
    version: VERSION,
    project: () => project,
    changed: (tables) => host.broadcast('data.changed', { tables }),
  }),
  (error, method) => console.error(`pumpdeck: ${method} failed:`, error),
);
const sessions = new Map<number, HostSession>();

function sessionFor(contents: WebContents): HostSession {
  let session = sessions.get(contents.id);
  if (!session) {
    session = host.connect((message) => {
      if (!contents.isDestroyed()) contents.send(IPC_CHANNEL, message);
    });
    sessions.set(contents.id, session);
    contents.once('destroyed', () => {
      sessions.get(contents.id)?.close();
      sessions.delete(contents.id);
    });
  }
  return session;
}

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 900,
    minHeight: 600,
    title: 'PumpDeck',
    show: false,
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  const appUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(join(__dirname, '../renderer/index.html')).href;
  // Links to the outside open in the system browser (http, https, mailto only), never inside the
  // console; the window itself never navigates away from the console.
  const openOutside = (url: string) => isSafeExternalUrl(url) && void shell.openExternal(url);
  window.webContents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (isInAppNavigation(url, appUrl)) return;
    event.preventDefault();
    openOutside(url);
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  void window.loadURL(appUrl);
}

ipcMain.handle(IPC_CHANNEL, (event, message: ClientMessage) => {
  sessionFor(event.sender).receive(message);
});

// V8's gc for the ingest's chunk memory (src-main/db/columnar.ts): a start-up flag, not set at runtime.
app.commandLine.appendSwitch('js-flags', '--expose-gc');

app.whenReady().then(async () => {
  const dbArg = process.argv.find((arg) => arg.startsWith('--db='));
  project = await openStartupProject({ dbPath: dbArg?.slice('--db='.length), demo: process.argv.includes('--demo') });
  createWindow();
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow());
});

app.on('window-all-closed', () => {
  project?.db.close();
  if (process.platform !== 'darwin') app.quit();
});
