import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CredentialsCipher } from '../credentials-cipher';
import { ChannelEntity } from '../entities';
import { decodeCursor, toPage, type Page } from '../pagination';

/** Sealed credentials no configured key opens (CREDENTIALS_KEY rotated without the previous one). */
export class UnreadableCredentials extends Error {
  constructor() {
    super(
      'the stored credentials cannot be opened with CREDENTIALS_KEY or CREDENTIALS_KEY_PREVIOUS: connect the channel again',
    );
    this.name = 'UnreadableCredentials';
  }
}

/** A channel the network stopped taking the credentials of, as its admins are told. */
export interface ChannelToReconnect {
  id: string;
  workspaceId: string;
  name: string;
  network: ChannelEntity['network'];
}

/** Channels of a workspace; network credentials are sealed on the way in and opened on the way out. */
@Injectable()
export class ChannelsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cipher: CredentialsCipher,
  ) {}

  /** The credentials, sealed as they are kept. */
  seal(credentials: object): string {
    return this.cipher.seal(JSON.stringify(credentials));
  }

  /** Opened credentials of a channel row (null for the kinds that have none). */
  open(sealed: string | null): object | null {
    if (sealed === null) return null;
    try {
      return JSON.parse(this.cipher.open(sealed)) as object;
    } catch {
      throw new UnreadableCredentials();
    }
  }

  /** The app Countersign registered on a Mastodon instance for this redirect URI, if it did. */
  async mastodonApp(
    instanceUrl: string,
    redirectUri: string,
    scopes: string,
  ): Promise<{ clientId: string; clientSecret: string } | null> {
    const [row] = await this.db.query<Array<{ client_id: string; client_secret: string }>>(
      `SELECT client_id, client_secret FROM mastodon_apps WHERE instance_url = $1 AND redirect_uri = $2 AND scopes = $3`,
      [instanceUrl, redirectUri, scopes],
    );
    return row ? { clientId: row.client_id, clientSecret: this.cipher.open(row.client_secret) } : null;
  }

  /** Keeps a registered app (its secret sealed); the first of two registrations at once wins. */
  async saveMastodonApp(
    instanceUrl: string,
    redirectUri: string,
    scopes: string,
    app: { clientId: string; clientSecret: string },
  ): Promise<{ clientId: string; clientSecret: string }> {
    await this.db.query(
      `INSERT INTO mastodon_apps (instance_url, redirect_uri, scopes, client_id, client_secret) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [instanceUrl, redirectUri, scopes, app.clientId, this.cipher.seal(app.clientSecret)],
    );
    return (await this.mastodonApp(instanceUrl, redirectUri, scopes)) ?? app;
  }

  /** The channel as a publisher takes it, its credentials opened. */
  forPublisher(
    channel: Pick<
      ChannelEntity,
      'id' | 'publisherKind' | 'publisherUrl' | 'publisherSecret' | 'publisherConfig' | 'publisherCredentials'
    >,
  ) {
    const { id, publisherKind, publisherUrl, publisherSecret, publisherConfig } = channel;
    return {
      id,
      publisherKind,
      publisherUrl,
      publisherSecret,
      publisherConfig,
      credentials: this.open(channel.publisherCredentials),
    };
  }

  /** Keeps credentials the network renewed (a session); the channel keeps its connection state. */
  async saveCredentials(id: string, credentials: object, em: EntityManager = this.db.manager): Promise<void> {
    await em.query(`UPDATE channels SET publisher_credentials = $2, updated_at = now() WHERE id = $1`, [
      id,
      this.seal(credentials),
    ]);
  }

  /**
   * Marks the channel as needing to be connected again; answers the channel only for
   * the call that marked it (the first to see the refusal), so admins are told once.
   */
  async markNeedsReconnect(
    id: string,
    reason: string,
    em: EntityManager = this.db.manager,
  ): Promise<ChannelToReconnect | null> {
    const [rows] = await em.query<
      [Array<{ id: string; workspace_id: string; name: string; network: string }>]
    >(
      `UPDATE channels SET needs_reconnect_at = now(), reconnect_reason = $2, updated_at = now()
        WHERE id = $1 AND needs_reconnect_at IS NULL
        RETURNING id, workspace_id, name, network`,
      [id, reason],
    );
    const row = rows[0];
    return row
      ? {
          id: row.id,
          workspaceId: row.workspace_id,
          name: row.name,
          network: row.network as ChannelEntity['network'],
        }
      : null;
  }

  /** New credentials (a reconnection, a check that passed): the channel publishes again. */
  async reconnect(
    id: string,
    change: { credentials: object; config: ChannelEntity['publisherConfig'] },
    em: EntityManager = this.db.manager,
  ): Promise<void> {
    await em.query(
      `UPDATE channels SET publisher_credentials = $2, publisher_config = $3, needs_reconnect_at = NULL,
              reconnect_reason = NULL, updated_at = now()
        WHERE id = $1`,
      [id, this.seal(change.credentials), change.config],
    );
  }

  findInWorkspace(
    workspaceId: string,
    id: string,
    em: EntityManager = this.db.manager,
  ): Promise<ChannelEntity | null> {
    return em.findOneBy(ChannelEntity, { workspaceId, id });
  }

  /** The channel with its sealed credentials. */
  findWithCredentials(workspaceId: string, id: string): Promise<ChannelEntity | null> {
    return this.db.manager
      .createQueryBuilder(ChannelEntity, 'c')
      .addSelect('c.publisherCredentials')
      .where('c.workspace_id = :workspaceId AND c.id = :id', { workspaceId, id })
      .getOne();
  }

  /** The channel with its publisher secret, share-locked: a pause cannot commit while we decide. */
  findForPublishing(workspaceId: string, id: string, em: EntityManager): Promise<ChannelEntity | null> {
    return em
      .createQueryBuilder(ChannelEntity, 'c')
      .addSelect('c.publisherSecret')
      .addSelect('c.publisherCredentials')
      .where('c.workspace_id = :workspaceId AND c.id = :id', { workspaceId, id })
      .setLock('pessimistic_read')
      .getOne();
  }

  create(channel: Partial<ChannelEntity>): Promise<ChannelEntity> {
    return this.db.manager.save(ChannelEntity, this.db.manager.create(ChannelEntity, channel));
  }

  /** Every channel of the workspace (an import resolves its rows' channels against them). */
  listInWorkspace(workspaceId: string, em: EntityManager = this.db.manager): Promise<ChannelEntity[]> {
    return em.find(ChannelEntity, { where: { workspaceId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Oldest first, cursor-paginated. */
  async list(workspaceId: string, limit: number, cursor?: string): Promise<Page<ChannelEntity>> {
    const qb = this.db.manager
      .createQueryBuilder(ChannelEntity, 'c')
      .where('c.workspace_id = :workspaceId', { workspaceId })
      .orderBy("date_trunc('milliseconds', c.created_at)")
      .addOrderBy('c.id')
      .limit(limit + 1);
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor, 2);
      qb.andWhere("(date_trunc('milliseconds', c.created_at), c.id) > (:createdAt, :id)", { createdAt, id });
    }
    return toPage(await qb.getMany(), limit, (c) => [c.createdAt.toISOString(), c.id]);
  }
}
