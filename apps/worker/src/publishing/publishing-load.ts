import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';

/** The longest a mail waits for a burst of publishes to pass. */
export const MAX_MAIL_DEFERRAL_MS = 5_000;

/**
 * How busy this process's publish worker is. Publishing is the deadline; mail about
 * it is not: while a quarter or more of the publish slots are taken (a burst),
 * other work waits for them to free up, so that the burst gets the CPU.
 */
@Injectable()
export class PublishingLoad {
  private inFlight = 0;
  private readonly threshold: number;
  private readonly waiting = new Set<() => void>();

  constructor(config: AppConfig) {
    this.threshold = Math.max(1, Math.floor(config.publishConcurrency / 4));
  }

  /** A quarter of the publish slots or more are taken: a burst. */
  get busy(): boolean {
    return this.inFlight >= this.threshold;
  }

  begin(): void {
    this.inFlight += 1;
  }

  end(): void {
    this.inFlight -= 1;
    if (!this.busy) {
      for (const wake of this.waiting) wake();
    }
  }

  /** Resolves once the publish worker is below its burst threshold, or after `maxWaitMs`. */
  light(maxWaitMs: number): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, maxWaitMs);
      this.waiting.add(wake);
    });
  }
}
