import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/domain';
import { UsersRepository, type ClientInfo } from '@app/persistence';
import { REDIS_CLIENT } from '@app/queue';
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import * as oidc from 'openid-client';
import { AuthService, type IssuedToken, type MfaChallenge } from '../auth/auth.service';
import { InvitationsService } from '../invitations/invitations.service';

/** How long a sign-in may take at the identity provider. */
const PENDING_SECONDS = 600;
/** `amr` values that say the identity provider asked for more than a password. */
const SECOND_FACTOR_AMR = new Set(['mfa', 'otp', 'hwk', 'swk', 'sms', 'fpt', 'face', 'iris', 'retina']);

/** What a sign-in started here remembers until the identity provider sends the person back. */
interface Pending {
  codeVerifier: string;
  nonce: string;
  browserKeyHash: string;
  returnTo: string | null;
  /** the id of the invitation whose link started it (never its token) */
  invitationId: string | null;
}

const hashOf = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * Single sign-on with OpenID Connect (openid-client): the authorization code flow
 * with PKCE, state and nonce. The state is kept in Redis for ten minutes, used
 * once, and bound to the browser that started (a cookie), so nobody can finish a
 * sign-in someone else began. The person signed in is the user whose e-mail the
 * provider says is verified; it never makes a membership by itself, only by an
 * invitation the person was sent.
 */
@Injectable()
export class OidcService {
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(
    private readonly config: AppConfig,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly users: UsersRepository,
    private readonly auth: AuthService,
    private readonly invitations: InvitationsService,
  ) {}

  get redirectUri(): string {
    return `${this.config.publicUrl}/v1/auth/oidc/callback`;
  }

  /** Where to send the browser, and the key it must bring back (as a cookie). */
  async start(input: { returnTo?: string; invitation?: string; loginHint?: string }): Promise<{
    url: string;
    browserKey: string;
  }> {
    const configuration = await this.provider();
    const returnTo = input.returnTo ? this.checkedReturnTo(input.returnTo) : null;
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const browserKey = randomBytes(32).toString('base64url');
    const pending: Pending = {
      codeVerifier,
      nonce,
      browserKeyHash: hashOf(browserKey),
      returnTo,
      // Checked now (a spent link says so before the trip to the provider); kept by id.
      invitationId: input.invitation ? (await this.invitations.open(input.invitation)).invitation.id : null,
    };
    await this.redis.set(this.key(state), JSON.stringify(pending), 'EX', PENDING_SECONDS);
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...(input.loginHint ? { login_hint: input.loginHint } : {}),
    });
    return { url: url.href, browserKey };
  }

  /** Finishes a sign-in: the session (or the second-factor challenge), and where the browser goes next. */
  async callback(
    query: URLSearchParams,
    browserKey: string | undefined,
    client: ClientInfo,
  ): Promise<{ result: IssuedToken | MfaChallenge; returnTo: string | null }> {
    const configuration = await this.provider();
    const state = query.get('state') ?? '';
    const stored = state ? await this.redis.getdel(this.key(state)) : null;
    if (!stored)
      throw DomainError.invalid('state', 'is unknown, used, or older than ten minutes: sign in again');
    const pending = JSON.parse(stored) as Pending;
    const expected = Buffer.from(pending.browserKeyHash);
    const given = Buffer.from(hashOf(browserKey ?? ''));
    if (!timingSafeEqual(expected, given)) {
      throw DomainError.invalid(
        'state',
        'this sign-in was started in another browser: sign in again from here',
      );
    }

    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(
        configuration,
        new URL(`${this.redirectUri}?${query.toString()}`),
        {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        },
      );
      const idToken = tokens.claims()!;
      // Providers may keep the e-mail for the userinfo endpoint rather than the ID token.
      claims =
        typeof idToken.email === 'string'
          ? idToken
          : { ...idToken, ...(await oidc.fetchUserInfo(configuration, tokens.access_token, idToken.sub)) };
    } catch (error) {
      const cause = (error as Error).cause;
      const why =
        cause instanceof Error ? `${(error as Error).message}: ${cause.message}` : (error as Error).message;
      throw new DomainError(
        ErrorCode.Unauthenticated,
        `The identity provider's answer did not check out: ${why}`,
      );
    }
    const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : null;
    if (!email || claims.email_verified !== true) {
      throw new DomainError(
        ErrorCode.Forbidden,
        'The identity provider does not vouch for your e-mail address (email_verified), so it cannot sign you in here.',
      );
    }
    const user = await this.users.findByEmail(email);
    if (!user) {
      throw new DomainError(
        ErrorCode.Forbidden,
        `There is no Countersign account for ${email}: ask a workspace owner to invite you.`,
      );
    }
    if (pending.invitationId) await this.invitations.acceptAs(pending.invitationId, user.id);
    // The provider vouches for the address: a password someone else set on it is out.
    await this.auth.proveMailbox(user, null);
    const amr = Array.isArray(claims.amr) ? (claims.amr as unknown[]) : [];
    const result =
      user.totpEnabledAt === null
        ? await this.auth.startSession(user.id, client, {
            method: 'sso',
            secondFactor: amr.some((m) => SECOND_FACTOR_AMR.has(String(m))),
          })
        : await this.auth.sessionOrChallenge(user, client, 'sso');
    return { result, returnTo: pending.returnTo };
  }

  /** The provider's metadata, discovered once (again after a failure). */
  private provider(): Promise<oidc.Configuration> {
    const { oidcIssuer, oidcClientId, oidcClientSecret } = this.config;
    if (!oidcIssuer || !oidcClientId || !oidcClientSecret) {
      return Promise.reject(DomainError.notFound('Single sign-on (not configured here)'));
    }
    this.configuration ??= oidc
      .discovery(
        new URL(oidcIssuer),
        oidcClientId,
        oidcClientSecret,
        undefined,
        // Plain http only outside production (the configuration refuses it there): a local provider.
        oidcIssuer.startsWith('http:') ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error: Error) => {
        this.configuration = undefined;
        throw new DomainError(ErrorCode.BadGateway, `The identity provider did not answer: ${error.message}`);
      });
    return this.configuration;
  }

  /** Only back to the frontend's own origins (CORS_ORIGINS): tokens go nowhere else. */
  private checkedReturnTo(returnTo: string): string {
    let url: URL | null = null;
    try {
      url = new URL(returnTo);
    } catch {
      url = null;
    }
    const origins = this.config.corsOrigins.map((origin) => new URL(origin).origin);
    if (!url || !origins.includes(url.origin) || url.hash) {
      throw DomainError.invalid(
        'returnTo',
        'must be a page of one of the frontend origins (CORS_ORIGINS), without #',
      );
    }
    return url.href;
  }

  private key(state: string): string {
    return `${this.config.queuePrefix}:oidc:${hashOf(state)}`;
  }
}
