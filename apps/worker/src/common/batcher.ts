/** What a batch gives each of its items: a value, or the error that item alone failed with. */
export type BatchResult<O> = O | Error;

interface Waiting<I, O> {
  input: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the hot path: items submitted while a batch is in flight wait
 * and go together in the next one, so a burst costs a round trip and a commit per
 * batch instead of per item, and a lone item goes at once (after the current turn
 * of the event loop, which gathers the items submitted in it).
 */
export class Batcher<I, O> {
  private waiting: Array<Waiting<I, O>> = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (inputs: I[]) => Promise<Array<BatchResult<O>>>,
    private readonly options: { maxSize: number; maxInFlight: number },
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxSize);
      this.inFlight += 1;
      this.run(batch.map((w) => w.input))
        .then(
          (results) =>
            batch.forEach((w, i) => {
              const result = results[i];
              if (result instanceof Error) w.reject(result);
              else w.resolve(result);
            }),
          (error: unknown) => batch.forEach((w) => w.reject(error)),
        )
        .finally(() => {
          this.inFlight -= 1;
          this.flush();
        });
    }
  }
}
