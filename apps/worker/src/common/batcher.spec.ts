import { Batcher } from './batcher';

/** A run function that records each batch and answers when the test says so. */
function recorder<I>() {
  const batches: I[][] = [];
  const gates: Array<() => void> = [];
  const run = (inputs: I[]) => {
    batches.push(inputs);
    return new Promise<Array<string | Error>>((resolve) => {
      gates.push(() =>
        resolve(inputs.map((i) => (i === 'bad' ? new Error(`bad item`) : `done ${String(i)}`))),
      );
    });
  };
  const releaseAll = async () => {
    while (gates.length > 0) {
      gates.shift()!();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { batches, run, releaseAll };
}

describe('Batcher', () => {
  it('gathers items submitted in one turn of the event loop into one batch', async () => {
    const r = recorder<string>();
    const batcher = new Batcher(r.run, { maxSize: 10, maxInFlight: 1 });
    const all = Promise.all(['a', 'b', 'c'].map((i) => batcher.submit(i)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.batches).toEqual([['a', 'b', 'c']]);
    await r.releaseAll();
    await expect(all).resolves.toEqual(['done a', 'done b', 'done c']);
  });

  it('holds items submitted while the batches in flight run, and sends them together next', async () => {
    const r = recorder<string>();
    const batcher = new Batcher(r.run, { maxSize: 10, maxInFlight: 1 });
    const first = batcher.submit('a');
    await new Promise((resolve) => setImmediate(resolve));
    const later = ['b', 'c', 'd'].map((i) => batcher.submit(i));
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.batches).toEqual([['a']]);
    await r.releaseAll();
    await expect(Promise.all([first, ...later])).resolves.toHaveLength(4);
    expect(r.batches).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('never sends more than maxSize items at once, nor more than maxInFlight batches', async () => {
    const r = recorder<number>();
    const batcher = new Batcher(r.run, { maxSize: 2, maxInFlight: 2 });
    const all = Promise.all([1, 2, 3, 4, 5].map((i) => batcher.submit(i)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    await r.releaseAll();
    await all;
    expect(r.batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('fails only the item whose result is an error', async () => {
    const r = recorder<string>();
    const batcher = new Batcher(r.run, { maxSize: 10, maxInFlight: 1 });
    const good = batcher.submit('ok');
    const bad = batcher.submit('bad');
    const checked = Promise.all([
      expect(good).resolves.toBe('done ok'),
      expect(bad).rejects.toThrow('bad item'),
    ]);
    await new Promise((resolve) => setImmediate(resolve));
    await r.releaseAll();
    await checked;
  });

  it('fails every item of a batch whose run fails, and goes on with the next batch', async () => {
    let calls = 0;
    const batcher = new Batcher<string, string>(
      (inputs) => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error('database down')) : Promise.resolve(inputs);
      },
      { maxSize: 10, maxInFlight: 1 },
    );
    const failed = [batcher.submit('a'), batcher.submit('b')];
    await expect(failed[0]).rejects.toThrow('database down');
    await expect(failed[1]).rejects.toThrow('database down');
    await expect(batcher.submit('c')).resolves.toBe('c');
  });
});
