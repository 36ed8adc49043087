/**
 * At most `perChannel` publishes of one channel at a time in this process, so one
 * slow receiver holds a few of the worker's slots, not all of them.
 */
export class ChannelSlots {
  private readonly busy = new Map<string, number>();

  constructor(private readonly perChannel: number) {}

  tryTake(channelId: string): boolean {
    const n = this.busy.get(channelId) ?? 0;
    if (n >= this.perChannel) return false;
    this.busy.set(channelId, n + 1);
    return true;
  }

  release(channelId: string): void {
    const n = (this.busy.get(channelId) ?? 1) - 1;
    if (n <= 0) this.busy.delete(channelId);
    else this.busy.set(channelId, n);
  }
}
