// Yield to the event loop (so AbortSignals, worker messages and timers get a turn) without
// the ≥ 4 ms clamp browsers apply to nested setTimeout(0): setImmediate in Node, a
// MessageChannel round trip elsewhere (pages and Web Workers).

let channel: MessageChannel | null = null;
const waiting: (() => void)[] = [];

export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => void };
  if (typeof g.setImmediate === "function") return new Promise((r) => g.setImmediate!(r));
  if (typeof MessageChannel === "function") {
    if (channel === null) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => waiting.shift()?.();
    }
    return new Promise((r) => {
      waiting.push(r);
      channel!.port2.postMessage(0);
    });
  }
  return new Promise((r) => setTimeout(r, 0));
}
