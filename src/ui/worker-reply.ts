// One job in a web worker, as a promise: the worker posts { kind: 'progress' }
// messages while it works, then one { kind: 'done' } or { kind: 'error', message };
// the worker is terminated when the job ends (the page's tools start a worker
// per job, and terminate it to cancel).

export type WorkerMessage = { kind: 'progress' } | { kind: 'done' } | { kind: 'error'; message: string };

/** Posts `request` to `worker` and resolves with its 'done' message; `onProgress` sees the rest. */
export function workerReply<M extends WorkerMessage>(worker: Worker, request: unknown, what: string, onProgress: (m: M & { kind: 'progress' }) => void): Promise<M & { kind: 'done' }> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<M>) => {
      const m = e.data;
      if (m.kind === 'progress') { onProgress(m as M & { kind: 'progress' }); return; }
      worker.terminate();
      if (m.kind === 'error') reject(new Error((m as { message: string }).message));
      else resolve(m as M & { kind: 'done' });
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(`the ${what} worker failed: ${e.message || 'could not load'}`));
    };
    worker.postMessage(request);
  });
}
