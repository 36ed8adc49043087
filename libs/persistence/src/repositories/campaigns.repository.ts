import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** One message planned across channels. */
export interface Campaign {
  id: string;
  workspaceId: string;
  name: string;
  description: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  paused: boolean;
  pauseReason: string | null;
  createdByUserId: string | null;
  createdAt: Date;
}

const COLUMNS = `id, workspace_id AS "workspaceId", name, description, starts_at AS "startsAt", ends_at AS "endsAt",
  paused, pause_reason AS "pauseReason", created_by_user_id AS "createdByUserId", created_at AS "createdAt"`;

/** Campaigns of a workspace, by id or by name (case aside). */
@Injectable()
export class CampaignsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(
    campaign: Pick<
      Campaign,
      'workspaceId' | 'name' | 'description' | 'startsAt' | 'endsAt' | 'createdByUserId'
    >,
    em: EntityManager,
  ): Promise<Campaign> {
    const [row] = await em.query<Campaign[]>(
      `INSERT INTO campaigns (workspace_id, name, description, starts_at, ends_at, created_by_user_id)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [
        campaign.workspaceId,
        campaign.name,
        campaign.description,
        campaign.startsAt,
        campaign.endsAt,
        campaign.createdByUserId,
      ],
    );
    return row;
  }

  list(workspaceId: string): Promise<Campaign[]> {
    return this.db.query<Campaign[]>(
      `SELECT ${COLUMNS} FROM campaigns WHERE workspace_id = $1 ORDER BY created_at DESC, id`,
      [workspaceId],
    );
  }

  async find(workspaceId: string, id: string, em: EntityManager = this.db.manager): Promise<Campaign | null> {
    const [row] = await em.query<Campaign[]>(
      `SELECT ${COLUMNS} FROM campaigns WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id],
    );
    return row ?? null;
  }

  /** The campaigns of these names (any case), by lower-cased name. */
  async byNames(
    workspaceId: string,
    names: readonly string[],
    em: EntityManager,
  ): Promise<Map<string, Campaign>> {
    const rows = await em.query<Campaign[]>(
      `SELECT ${COLUMNS} FROM campaigns WHERE workspace_id = $1 AND lower(name) = ANY($2::text[])`,
      [workspaceId, names.map((n) => n.toLowerCase())],
    );
    return new Map(rows.map((c) => [c.name.toLowerCase(), c]));
  }

  /**
   * Pauses or resumes under the campaign's row lock (the publish path reads it FOR
   * SHARE; NO KEY, as a workspace pause, so posts joining the campaign meanwhile are
   * not held up); the row before.
   */
  async setPaused(
    workspaceId: string,
    id: string,
    paused: boolean,
    reason: string | null,
    em: EntityManager,
  ): Promise<{ before: Campaign; after: Campaign } | null> {
    const [before] = await em.query<Campaign[]>(
      `SELECT ${COLUMNS} FROM campaigns WHERE workspace_id = $1 AND id = $2 FOR NO KEY UPDATE`,
      [workspaceId, id],
    );
    if (!before) return null;
    const [[after]] = await em.query<[Campaign[], number]>(
      `UPDATE campaigns SET paused = $2, pause_reason = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, paused, reason],
    );
    return { before, after };
  }

  /** The ids of the campaign's posts, oldest first. */
  async postIds(campaignId: string, em: EntityManager = this.db.manager): Promise<string[]> {
    const rows = await em.query<Array<{ id: string }>>(
      `SELECT id FROM posts WHERE campaign_id = $1 ORDER BY scheduled_at, id`,
      [campaignId],
    );
    return rows.map((r) => r.id);
  }
}
