import type { AppConfig } from '@app/config';
import { PublishingLoad } from './publishing-load';

const settledWithin = async (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);

describe('PublishingLoad', () => {
  const load = () => new PublishingLoad({ publishConcurrency: 8 } as AppConfig);

  it('lets other work through at once while fewer than a quarter of the publish slots are taken', async () => {
    const l = load();
    l.begin();
    await expect(settledWithin(l.light(10_000), 50)).resolves.toBe(true);
  });

  it('holds other work during a burst and lets it go as soon as the burst falls below the threshold', async () => {
    const l = load();
    l.begin();
    expect(l.busy).toBe(false);
    l.begin();
    expect(l.busy).toBe(true);
    const waiting = l.light(10_000);
    await expect(settledWithin(waiting, 50)).resolves.toBe(false);
    l.end();
    expect(l.busy).toBe(false);
    await expect(settledWithin(waiting, 50)).resolves.toBe(true);
  });

  it('holds nothing longer than its limit', async () => {
    const l = load();
    for (let i = 0; i < 8; i += 1) l.begin();
    const started = Date.now();
    await l.light(100);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });
});
