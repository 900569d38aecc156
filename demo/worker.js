// Runs compare() off the main thread and streams meta, rows and progress back to the page.
import { init, runtimeInfo, compare } from './lib/index.js';

let controller = null;
const ready = init().then(() => self.postMessage({ type: 'ready', simd: runtimeInfo().simd }));

self.onmessage = async (e) => {
  const msg = e.data;
  if (msg.type === 'cancel') {
    controller?.abort();
    return;
  }
  if (msg.type !== 'run') return;
  await ready;
  controller = new AbortController();
  try {
    const result = await compare(msg.config, {
      signal: controller.signal,
      onMeta: (meta) => self.postMessage({ type: 'meta', meta }),
      onProgress: (p) => self.postMessage({ type: 'progress', done: p.done, total: p.total, eta: p.etaSeconds, row: p.row }),
    });
    self.postMessage({ type: 'done', result, cancelled: controller.signal.aborted, memoryBytes: runtimeInfo().memoryBytes });
  } catch (err) {
    self.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  } finally {
    controller = null;
  }
};
