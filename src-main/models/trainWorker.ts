import { parentPort, workerData } from 'node:worker_threads';
import { Forest, type ForestKind, type ForestParams } from '../../src-shared/models/forest';

// The training worker (out/worker/train.mjs): grows the forest off the main thread, reporting
// each tree. The main side cancels by terminating it.

const { kind, X, y, params } = workerData as { kind: ForestKind; X: number[][]; y: number[]; params: ForestParams };
const port = parentPort;
if (!port) throw new Error('train.mjs runs as a worker thread');
const forest = Forest.train(kind, X, y, params, (trees) => port.postMessage({ type: 'progress', trees }));
port.postMessage({ type: 'done', forest: forest.toJSON() });
