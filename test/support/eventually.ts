import { expect } from 'chai';

/**
 * Waits until `condition` holds, polling every 10 ms in real time: for what happens over real I/O
 * (Redis, another process), never for time the injected clock governs. Fails after `limitMs`.
 */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  what = 'the condition',
  limitMs = 5000,
): Promise<void> {
  const giveUpAt = Date.now() + limitMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() >= giveUpAt) expect.fail(`${what} did not hold within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
