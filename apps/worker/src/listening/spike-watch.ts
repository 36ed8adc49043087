import { checkSpike, type SpikeCheck, type SpikeFigures, type SpikeWatch } from '@app/domain';
import { AuditRepository, OutboxRepository } from '@app/persistence';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** One workspace's watch and the figures of its mentions now, as one query reads them. */
export interface WatchRow {
  workspace_id: string;
  window_minutes: number;
  min_mentions: number;
  factor: number;
  negative_share: number | null;
  action: SpikeWatch['action'];
  cooldown_minutes: number;
  last_alert_at: Date | null;
  count: number;
  negative: number;
  same_hour_last_week: number | null;
  previous_day: number;
}

/**
 * The figures `checkSpike` needs, for every workspace with a watch, in one statement:
 * the window now, the hour of the week around a week ago (only where the mentions
 * go back that far), and the day before the window. Each count is a range scan of
 * (workspace_id, created_at).
 */
export const SPIKE_FIGURES_SQL = `
  SELECT w.workspace_id, w.window_minutes, w.min_mentions, w.factor, w.negative_share, w.action,
         w.cooldown_minutes, w.last_alert_at, f.count, f.negative,
         CASE WHEN h.first_at <= $1::timestamptz - interval '7 days 30 minutes' THEN f.same_hour_last_week END
           AS same_hour_last_week,
         f.previous_day
    FROM listening_watches w
    CROSS JOIN LATERAL (SELECT min(created_at) AS first_at FROM mentions m WHERE m.workspace_id = w.workspace_id) h
    CROSS JOIN LATERAL (
      SELECT count(*) FILTER (WHERE m.created_at >= $1::timestamptz - w.window_minutes * interval '1 minute')::int AS count,
             count(*) FILTER (WHERE m.created_at >= $1::timestamptz - w.window_minutes * interval '1 minute'
                                AND m.negative)::int AS negative,
             count(*) FILTER (WHERE m.created_at < $1::timestamptz - w.window_minutes * interval '1 minute'
                                AND m.created_at >= $1::timestamptz - w.window_minutes * interval '1 minute' - interval '1 day')::int
               AS previous_day,
             (SELECT count(*)::int FROM mentions l
               WHERE l.workspace_id = w.workspace_id
                 AND l.created_at >= $1::timestamptz - interval '7 days 30 minutes'
                 AND l.created_at < $1::timestamptz - interval '7 days' + interval '30 minutes') AS same_hour_last_week
        FROM mentions m
       WHERE m.workspace_id = w.workspace_id
         AND m.created_at >= $1::timestamptz - w.window_minutes * interval '1 minute' - interval '1 day'
         AND m.created_at < $1::timestamptz) f`;

/**
 * Every minute: each watched workspace's mentions against its baseline. On a spike
 * (outside the cooldown): an audit entry `listening.spike` with the figures (which
 * outbound webhooks subscribe to), a mail to the owners and admins, and with
 * `action: "pause"` the workspace paused as POST .../pause pauses it. The alert is
 * taken under the watch's row lock, so two workers never alert twice.
 */
@Injectable()
export class SpikeWatchRun {
  private readonly logger = new Logger(SpikeWatchRun.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  async run(now = new Date()): Promise<{ watched: number; spikes: number }> {
    const rows = await this.db.query<WatchRow[]>(SPIKE_FIGURES_SQL, [now]);
    let spikes = 0;
    for (const row of rows) {
      const watch = watchOf(row);
      const check = checkSpike(watch, figuresOf(row), now, row.last_alert_at);
      if (check.spike && (await this.alert(row.workspace_id, watch, row.count, check, now))) spikes += 1;
    }
    return { watched: rows.length, spikes };
  }

  private alert(
    workspaceId: string,
    watch: SpikeWatch,
    count: number,
    check: SpikeCheck,
    now: Date,
  ): Promise<boolean> {
    return this.db.transaction(async (em) => {
      const [held] = await em.query<Array<{ last_alert_at: Date | null }>>(
        `SELECT last_alert_at FROM listening_watches WHERE workspace_id = $1 FOR UPDATE`,
        [workspaceId],
      );
      const cooling =
        held?.last_alert_at && now.getTime() - held.last_alert_at.getTime() < watch.cooldownMinutes * 60_000;
      if (!held || cooling) return false;
      await em.query(`UPDATE listening_watches SET last_alert_at = $2 WHERE workspace_id = $1`, [
        workspaceId,
        now,
      ]);
      const baseline = Math.round(check.baseline * 10) / 10;
      const figures = {
        count,
        windowMinutes: watch.windowMinutes,
        baseline,
        threshold: Math.round(check.threshold * 10) / 10,
        negativeShare: Math.round(check.negativeShare * 100) / 100,
        action: watch.action,
      };
      await this.audit.append(
        { workspaceId, actorKind: 'system', actorId: null, action: 'listening.spike', after: figures },
        em,
      );
      const paused =
        watch.action === 'pause' &&
        (await this.pause(
          workspaceId,
          `mention spike: ${count} in ${watch.windowMinutes} min (baseline ${baseline})`,
          em,
        ));
      await this.outbox.push(
        { topic: 'mail.account', payload: { kind: 'mention_spike', workspaceId, ...figures, paused } },
        em,
      );
      this.logger.warn(
        `workspace ${workspaceId}: mention spike, ${count} in ${watch.windowMinutes} min${paused ? ', paused' : ''}`,
      );
      return true;
    });
  }

  /** The pause of POST .../pause (FOR NO KEY UPDATE, audited), unless it is paused already. */
  private async pause(workspaceId: string, reason: string, em: EntityManager): Promise<boolean> {
    const [row] = await em.query<Array<{ paused: boolean }>>(
      `SELECT paused FROM workspaces WHERE id = $1 FOR NO KEY UPDATE`,
      [workspaceId],
    );
    if (!row || row.paused) return false;
    await em.query(
      `UPDATE workspaces SET paused = true, paused_reason = $2, updated_at = now() WHERE id = $1`,
      [workspaceId, reason],
    );
    await this.audit.append(
      { workspaceId, actorKind: 'system', actorId: null, action: 'workspace.paused', after: { reason } },
      em,
    );
    return true;
  }
}

export const watchOf = (r: WatchRow): SpikeWatch => ({
  windowMinutes: r.window_minutes,
  minMentions: r.min_mentions,
  factor: r.factor,
  negativeShare: r.negative_share,
  action: r.action,
  cooldownMinutes: r.cooldown_minutes,
});

export const figuresOf = (r: WatchRow): SpikeFigures => ({
  count: r.count,
  negative: r.negative,
  sameHourLastWeek: r.same_hour_last_week,
  previousDay: r.previous_day,
});
