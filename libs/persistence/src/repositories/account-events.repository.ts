import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { decodeCursor, toPage, type Page } from '../pagination';
import type { ClientInfo } from './sessions.repository';

/** What a person's security log records. */
export const ACCOUNT_ACTIONS = [
  'session.started',
  'session.ended',
  'session.refresh_reused',
  'password.changed',
  'password.reset',
  'mfa.enabled',
  'mfa.disabled',
] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];

export interface AccountEvent {
  id: string;
  action: AccountAction;
  ip: string | null;
  userAgent: string | null;
  detail: Record<string, unknown>;
  createdAt: Date;
}

/** A person's security log, append-only. */
@Injectable()
export class AccountEventsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async append(
    userId: string,
    action: AccountAction,
    client: ClientInfo | null,
    detail: Record<string, unknown> = {},
    em: EntityManager = this.db.manager,
  ): Promise<void> {
    await em.query(
      `INSERT INTO account_events (user_id, action, ip, user_agent, detail) VALUES ($1, $2, $3, $4, $5)`,
      [userId, action, client?.ip ?? null, client?.userAgent?.slice(0, 512) ?? null, detail],
    );
  }

  /** Newest first. */
  async list(userId: string, limit: number, cursor?: string): Promise<Page<AccountEvent>> {
    const [before] = cursor ? decodeCursor(cursor, 1) : [null];
    const rows = await this.db.query<AccountEvent[]>(
      `SELECT id::text AS id, action, ip, user_agent AS "userAgent", detail, created_at AS "createdAt"
         FROM account_events WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint)
        ORDER BY id DESC LIMIT $3`,
      [userId, before, limit + 1],
    );
    return toPage(rows, limit, (r) => [r.id]);
  }
}
