import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNEL, type PreloadBridge } from '../../src-shared/api/ipc';
import type { ServerMessage } from '../../src-shared/api/protocol';

// The renderer gets invoke and on for the one API channel, nothing else (sandboxed, isolated).
const bridge: PreloadBridge = {
  invoke: (channel, message) => {
    if (channel !== IPC_CHANNEL) return Promise.reject(new Error(`channel not allowed: ${channel}`));
    return ipcRenderer.invoke(IPC_CHANNEL, message);
  },
  on: (channel, listener) => {
    if (channel !== IPC_CHANNEL) throw new Error(`channel not allowed: ${channel}`);
    const wrapped = (_event: unknown, message: ServerMessage) => listener(message);
    ipcRenderer.on(IPC_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(IPC_CHANNEL, wrapped);
  },
};

contextBridge.exposeInMainWorld('pumpdeck', bridge);
