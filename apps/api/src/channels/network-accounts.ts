import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '@app/config';
import {
  Capability,
  DomainError,
  personOf,
  ErrorCode,
  roleCan,
  type Actor,
  type ChannelAccount,
  type PublisherKind,
} from '@app/domain';
import {
  ChannelsRepository,
  UnreadableCredentials,
  UsersRepository,
  WorkspacesRepository,
  type ChannelEntity,
} from '@app/persistence';
import {
  CredentialsRejected,
  NetworkApi,
  networkPublisher,
  OutboundHttp,
  PublishError,
  type NetworkAccount,
} from '@app/publishers';
import { REDIS_CLIENT } from '@app/queue';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { assertReceiverUrl } from '../common/receiver-url';

/** The scopes Countersign asks a Mastodon instance for: read its account, post, upload media. */
// read:notifications: mentions are read for listening.
const MASTODON_SCOPES = 'read:accounts read:notifications write:statuses write:media';
/** How long the person has to say yes on the instance's page. */
const CONNECT_TTL_SECONDS = 600;
/** How long a call to a network may take while someone waits for the answer. */
const CONNECT_TIMEOUT_MS = 10_000;

const hashOf = (value: string) => createHash('sha256').update(value).digest('base64url');

/** A Mastodon connection under way, kept in Redis by its state's hash until the instance sends the person back. */
interface PendingConnect {
  workspaceId: string;
  userId: string;
  instanceUrl: string;
  name: string;
  codeVerifier: string;
  channelId: string | null;
}

/** A connection the instance authorized, waiting for the person to confirm it on the page. */
interface AuthorizedConnect extends PendingConnect {
  confirmTokenHash: string;
  config: ChannelAccount;
  /** the credentials, sealed: they wait in Redis */
  sealed: string;
}

/** What the confirmation page says, and the form's fields. */
export interface MastodonConfirmation {
  state: string;
  confirmToken: string;
  account: string;
  workspaceName: string;
  requestedBy: string;
  channelName: string;
}

/** A network account checked and ready to be kept on a channel. */
export interface VerifiedAccount {
  config: ChannelAccount;
  credentials: object;
}

/**
 * Connecting network accounts: credentials are checked with the network before a
 * channel keeps them (a refused token or app password is a 400 naming the field),
 * Mastodon by OAuth (an app registered once per instance, PKCE, a single-use state
 * bound to the workspace, the person and ten minutes), and `check` again later.
 */
@Injectable()
export class NetworkAccounts {
  constructor(
    private readonly config: AppConfig,
    private readonly http: OutboundHttp,
    private readonly channels: ChannelsRepository,
    private readonly workspaces: WorkspacesRepository,
    private readonly users: UsersRepository,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
  ) {}

  get mastodonRedirectUri(): string {
    return `${this.config.publicUrl}/v1/oauth/mastodon/callback`;
  }

  /**
   * Checks credentials with the network; `fields` name the input fields a refusal
   * is about (the service's URL, the secret).
   */
  async verify(
    kind: Extract<PublisherKind, 'mastodon' | 'bluesky'>,
    serviceUrl: string,
    credentials: object,
    fields: { url: string; secret: string },
  ): Promise<VerifiedAccount> {
    assertReceiverUrl(this.http, fields.url, serviceUrl);
    let account: NetworkAccount;
    try {
      account = await networkPublisher(
        {
          id: 'new',
          publisherKind: kind,
          publisherUrl: null,
          publisherSecret: null,
          credentials,
          publisherConfig: { serviceUrl },
        },
        { http: this.http, timeoutMs: CONNECT_TIMEOUT_MS, saveCredentials: () => Promise.resolve() },
      ).verify();
    } catch (error) {
      throw refusalOf(error, fields);
    }
    return { config: { serviceUrl, ...account }, credentials };
  }

  /** Verifies a channel's credentials again: working ones clear `needs_reconnect`, refused ones set it. */
  async check(channel: ChannelEntity & { publisherCredentials: string | null }): Promise<void> {
    if (channel.publisherKind !== 'mastodon' && channel.publisherKind !== 'bluesky') return;
    let credentials: object | null;
    try {
      credentials = this.channels.open(channel.publisherCredentials);
    } catch (error) {
      if (!(error instanceof UnreadableCredentials)) throw error;
      await this.channels.markNeedsReconnect(channel.id, error.message);
      return;
    }
    const serviceUrl = channel.publisherConfig.serviceUrl ?? '';
    try {
      const verified = await this.verify(channel.publisherKind, serviceUrl, credentials ?? {}, {
        url: 'publisher.serviceUrl',
        secret: 'publisher.credentials',
      });
      await this.channels.reconnect(channel.id, {
        credentials: verified.credentials,
        config: { ...channel.publisherConfig, ...verified.config },
      });
    } catch (error) {
      const refused =
        error instanceof DomainError
          ? error.errors?.find((f) => f.field === 'publisher.credentials')
          : undefined;
      if (!refused) throw error;
      await this.channels.markNeedsReconnect(channel.id, refused.message);
    }
  }

  /**
   * New credentials for the channel's account (a new Bluesky app password): checked,
   * for the same account only, and kept; the channel publishes again.
   */
  async renew(
    channel: ChannelEntity & { publisherCredentials: string | null },
    secret: { appPassword: string },
  ): Promise<void> {
    const stored = (this.channels.open(channel.publisherCredentials) ?? {}) as Record<string, unknown>;
    const verified = await this.verify(
      'bluesky',
      channel.publisherConfig.serviceUrl ?? '',
      { identifier: stored.identifier, appPassword: secret.appPassword },
      { url: 'publisher.service', secret: 'appPassword' },
    );
    assertSameAccount(channel, verified.config);
    await this.channels.reconnect(channel.id, verified);
  }

  /** The instance's page to say yes on; the instance then sends the browser to the callback. */
  async startMastodon(
    actor: Actor,
    input: { instanceUrl: string; name: string; channelId?: string },
  ): Promise<{ authorizeUrl: string }> {
    const instanceUrl = new URL(input.instanceUrl).origin;
    assertReceiverUrl(this.http, 'instanceUrl', instanceUrl);
    if (this.config.isProduction && !instanceUrl.startsWith('https:')) {
      throw DomainError.invalid('instanceUrl', 'must be https: the token travels on it');
    }
    if (input.channelId) await this.reconnectable(actor, input.channelId, 'mastodon');
    const app = await this.mastodonApp(instanceUrl);
    const state = randomBytes(32).toString('base64url');
    const codeVerifier = randomBytes(32).toString('base64url');
    const pending: PendingConnect = {
      workspaceId: actor.workspaceId,
      userId: personOf(actor),
      instanceUrl,
      name: input.name,
      codeVerifier,
      channelId: input.channelId ?? null,
    };
    await this.redis.set(this.key(state), JSON.stringify(pending), 'EX', CONNECT_TTL_SECONDS);
    const authorize = new URL('/oauth/authorize', instanceUrl);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: this.mastodonRedirectUri,
      scope: MASTODON_SCOPES,
      state,
      code_challenge: hashOf(codeVerifier),
      code_challenge_method: 'S256',
    }).toString();
    return { authorizeUrl: authorize.href };
  }

  /**
   * The instance sent the browser back: the state is taken (once), its person must
   * still manage channels there, the code is exchanged (with the PKCE verifier) and
   * the account checked. Nothing is connected yet: whoever holds the browser is
   * shown which workspace, whose request and which account, and confirms — so an
   * authorize link someone else made cannot hand them an account unseen.
   */
  async authorizedMastodon(code: string, state: string): Promise<MastodonConfirmation> {
    const raw = await this.redis.getdel(this.key(state));
    if (!raw) {
      throw DomainError.invalid('state', 'is unknown, used or expired: start connecting again');
    }
    const pending = JSON.parse(raw) as PendingConnect;
    await this.managerOf(pending);
    const app = await this.mastodonApp(pending.instanceUrl);
    const api = new NetworkApi(this.http, 'Mastodon', pending.instanceUrl, CONNECT_TIMEOUT_MS);
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: app.clientId,
      client_secret: app.clientSecret,
      redirect_uri: this.mastodonRedirectUri,
      code_verifier: pending.codeVerifier,
      scope: MASTODON_SCOPES,
    });
    let accessToken: string;
    try {
      const { data } = await api.call<{ access_token: string }>('POST', '/oauth/token', {
        bytes: { data: Buffer.from(form.toString()), contentType: 'application/x-www-form-urlencoded' },
      });
      accessToken = data.access_token;
    } catch (error) {
      throw refusalOf(error, { url: 'instanceUrl', secret: 'code' });
    }
    const verified = await this.verify(
      'mastodon',
      pending.instanceUrl,
      { accessToken },
      {
        url: 'instanceUrl',
        secret: 'code',
      },
    );
    const confirmToken = randomBytes(32).toString('base64url');
    const authorized: AuthorizedConnect = {
      ...pending,
      confirmTokenHash: hashOf(confirmToken),
      config: verified.config,
      sealed: this.channels.seal(verified.credentials),
    };
    await this.redis.set(this.confirmKey(state), JSON.stringify(authorized), 'EX', CONNECT_TTL_SECONDS);
    const [workspace, starter] = await Promise.all([
      this.workspaces.findById(pending.workspaceId),
      this.users.findById(pending.userId),
    ]);
    return {
      state,
      confirmToken,
      account: verified.config.handle ?? '',
      workspaceName: workspace?.name ?? '',
      requestedBy: starter ? `${starter.name} (${starter.email})` : 'someone',
      channelName: pending.name,
    };
  }

  /** The person confirmed on the page: the channel is made, or reconnected (the same account only). */
  async confirmMastodon(state: string, confirmToken: string): Promise<ChannelEntity> {
    const raw = await this.redis.getdel(this.confirmKey(state));
    const authorized = raw ? (JSON.parse(raw) as AuthorizedConnect) : null;
    const given = Buffer.from(hashOf(confirmToken));
    if (!authorized || !timingSafeEqual(given, Buffer.from(authorized.confirmTokenHash))) {
      throw DomainError.invalid('state', 'is unknown, used or expired: start connecting again');
    }
    const actor = await this.managerOf(authorized);
    const verified = { config: authorized.config, credentials: this.channels.open(authorized.sealed) ?? {} };
    if (authorized.channelId) {
      const channel = await this.reconnectable(actor, authorized.channelId, 'mastodon');
      assertSameAccount(channel, verified.config);
      await this.channels.reconnect(channel.id, verified);
      return (await this.channels.findInWorkspace(actor.workspaceId, channel.id))!;
    }
    return this.channels.create({
      workspaceId: authorized.workspaceId,
      name: authorized.name,
      network: 'mastodon',
      handle: verified.config.handle ?? null,
      publisherKind: 'mastodon',
      publisherUrl: null,
      publisherSecret: null,
      publisherConfig: verified.config,
      publisherCredentials: authorized.sealed,
    });
  }

  /** The person cancelled on the page: what the instance authorized is dropped. */
  async cancelMastodon(state: string): Promise<void> {
    await this.redis.del(this.confirmKey(state));
  }

  /** The person who started connecting, as long as they still manage channels in that workspace. */
  private async managerOf(pending: PendingConnect): Promise<Actor> {
    const membership = await this.workspaces.findMembership(pending.workspaceId, pending.userId);
    if (!membership || !roleCan(membership.role, Capability.ChannelsManage)) {
      throw new DomainError(ErrorCode.Forbidden, 'You no longer manage channels in that workspace.');
    }
    return { kind: 'user', userId: pending.userId, workspaceId: pending.workspaceId, role: membership.role };
  }

  /** A channel of the workspace that publishes through `kind`, to connect again. */
  async reconnectable(actor: Actor, channelId: string, kind: PublisherKind): Promise<ChannelEntity> {
    const channel = await this.channels.findInWorkspace(actor.workspaceId, channelId);
    if (!channel)
      throw DomainError.ofFields(ErrorCode.NotFound, [
        { field: 'channelId', message: 'no such channel in this workspace' },
      ]);
    if (channel.publisherKind !== kind)
      throw DomainError.invalid('channelId', `publishes through ${channel.publisherKind}, not ${kind}`);
    return channel;
  }

  /** The app registered on the instance for this server's callback and these scopes: made once, kept. */
  private async mastodonApp(instanceUrl: string): Promise<{ clientId: string; clientSecret: string }> {
    const known = await this.channels.mastodonApp(instanceUrl, this.mastodonRedirectUri, MASTODON_SCOPES);
    if (known) return known;
    const api = new NetworkApi(this.http, 'Mastodon', instanceUrl, CONNECT_TIMEOUT_MS);
    try {
      const { data } = await api.call<{ client_id: string; client_secret: string }>('POST', '/api/v1/apps', {
        json: {
          client_name: 'Countersign',
          redirect_uris: this.mastodonRedirectUri,
          scopes: MASTODON_SCOPES,
          website: this.config.publicUrl,
        },
      });
      return await this.channels.saveMastodonApp(instanceUrl, this.mastodonRedirectUri, MASTODON_SCOPES, {
        clientId: data.client_id,
        clientSecret: data.client_secret,
      });
    } catch (error) {
      throw refusalOf(error, { url: 'instanceUrl', secret: 'instanceUrl' });
    }
  }

  private key(state: string): string {
    return `${this.config.queuePrefix}:mastodon-connect:${hashOf(state)}`;
  }

  private confirmKey(state: string): string {
    return `${this.config.queuePrefix}:mastodon-confirm:${hashOf(state)}`;
  }
}

/** Reconnecting keeps the account: posts signed off for one account never go out on another. */
export function assertSameAccount(channel: ChannelEntity, account: ChannelAccount): void {
  const before = channel.publisherConfig.accountId;
  if (before && (before !== account.accountId || channel.publisherConfig.serviceUrl !== account.serviceUrl)) {
    throw new DomainError(
      ErrorCode.Conflict,
      `These credentials are for ${account.handle ?? 'another account'}, not ${channel.handle ?? 'this channel’s account'}: connect that account as a new channel.`,
    );
  }
}

/** A network's refusal as the API answers it: credentials refused name the secret, anything else the URL. */
function refusalOf(error: unknown, fields: { url: string; secret: string }): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof CredentialsRejected) {
    return DomainError.invalid(fields.secret, `was refused by the network (${error.message})`);
  }
  const why = error instanceof PublishError ? error.message : (error as Error).message;
  return DomainError.invalid(fields.url, `could not be used: ${why}`);
}
