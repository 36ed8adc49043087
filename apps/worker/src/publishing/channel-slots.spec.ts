import { ChannelSlots } from './channel-slots';

/** Whether `promise` has settled by the end of this turn of the event loop, and to what. */
async function settledNow<T>(promise: Promise<T>): Promise<{ value: T } | 'pending'> {
  const pending = Symbol('pending');
  const value = await Promise.race([promise, new Promise<symbol>((r) => setImmediate(() => r(pending)))]);
  return value === pending ? 'pending' : { value: value as T };
}

describe('ChannelSlots', () => {
  it('gives each channel its slots at once, and no more', async () => {
    const slots = new ChannelSlots(2, 1);
    expect(await slots.take('a')).toBe(true);
    expect(await slots.take('a')).toBe(true);
    expect(await settledNow(slots.take('a'))).toBe('pending');
    // Another channel is not held up by the first one's being busy.
    expect(await slots.take('b')).toBe(true);
  });

  it('lets jobs wait in line up to its length, then turns the next away at once', async () => {
    const slots = new ChannelSlots(1, 2);
    await slots.take('a');
    const first = slots.take('a');
    const second = slots.take('a');
    expect(await slots.take('a')).toBe(false);
    expect(await settledNow(first)).toBe('pending');
    expect(await settledNow(second)).toBe('pending');
  });

  it('hands a freed slot to the first in line, then the next, and frees the channel after the last', async () => {
    const slots = new ChannelSlots(1, 5);
    await slots.take('a');
    const order: string[] = [];
    const first = slots.take('a').then((taken) => order.push(`first ${taken}`));
    const second = slots.take('a').then((taken) => order.push(`second ${taken}`));
    slots.release('a', 10);
    await first;
    expect(order).toEqual(['first true']);
    // The slot passed on: a newcomer still waits behind the second in line.
    const newcomer = slots.take('a');
    expect(await settledNow(newcomer)).toBe('pending');
    slots.release('a', 10);
    await second;
    expect(order).toEqual(['first true', 'second true']);
    slots.release('a', 10);
    expect(await newcomer).toBe(true);
    slots.release('a', 10);
    // Nothing held: the channel has all its slots again.
    expect(await slots.take('a')).toBe(true);
  });

  it('turns away everyone in line at close, and still serves those holding slots', async () => {
    const slots = new ChannelSlots(1, 5);
    await slots.take('a');
    const waiting = [slots.take('a'), slots.take('a')];
    slots.close();
    expect(await Promise.all(waiting)).toEqual([false, false]);
    slots.release('a', 10);
    expect(await slots.take('a')).toBe(true);
  });

  it('spaces out the jobs it turns away at the pace the channel goes, after those in line', async () => {
    const slots = new ChannelSlots(2, 1);
    await slots.take('a');
    await slots.take('a');
    void slots.take('a');
    // No slot released yet: a job is guessed to hold one for 100 ms, so 50 ms per job for two slots.
    expect([1000, 1000, 1000].map((now) => slots.stepAsideMs('a', now))).toEqual([100, 150, 200]);
    // Once those have had their turn, the next starts after the line again.
    expect(slots.stepAsideMs('a', 5000)).toBe(100);
    // A slow receiver: a slot held for 2 s moves the estimate (a moving average) from
    // 100 to 480 ms; the one in line took that slot, so the next comes back in 240.
    slots.release('a', 2000);
    expect(slots.stepAsideMs('a', 10_000)).toBe(240);
    // Never more than 30 s, and never less than 40 ms: not for a channel whose jobs
    // are quick (seven slots held 0 ms bring the estimate to 21 ms, 2.6 ms per job),
    // nor for one the process holds nothing of.
    const quick = new ChannelSlots(8, 0);
    for (let i = 0; i < 8; i += 1) await quick.take('q');
    for (let i = 0; i < 7; i += 1) quick.release('q', 0);
    for (let i = 0; i < 7; i += 1) await quick.take('q');
    expect(await quick.take('q')).toBe(false);
    expect(quick.stepAsideMs('q', 10_000)).toBe(40);
    expect(slots.stepAsideMs('b', 10_000)).toBe(40);
    for (let i = 0; i < 200; i += 1) slots.stepAsideMs('a', 10_000);
    expect(slots.stepAsideMs('a', 10_000)).toBe(30_000);
  });
});
