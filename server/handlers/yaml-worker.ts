// The worker thread that decodes large YAML bodies (see yaml-pool.ts): the yaml library needs
// seconds for a few megabytes, time the API server's event loop must not spend.
import { parentPort } from 'node:worker_threads';
import { decodeYamlText } from './yaml-decode.js';

parentPort?.on('message', (msg: { id: number; text: string }) => {
  parentPort!.postMessage({ id: msg.id, result: decodeYamlText(msg.text) });
});
