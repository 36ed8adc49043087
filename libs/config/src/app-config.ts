import { isIP } from 'node:net';
import { z } from 'zod';

/** The JWT secret used when none is configured; refused when NODE_ENV=production. */
export const DEV_JWT_SECRET = 'countersign-dev-secret-change-me-before-production';

/** The key secrets are encrypted with at rest when none is configured; refused when NODE_ENV=production. */
export const DEV_CREDENTIALS_KEY = Buffer.alloc(32, 'countersign-dev-credentials-key!').toString('base64');

/** 32 bytes, base64: an AES-256 key. */
const aesKey = z
  .string()
  .trim()
  .refine((v) => /^[A-Za-z0-9+/]+=*$/.test(v) && Buffer.from(v, 'base64').length === 32, {
    message: 'must be 32 random bytes in base64 (openssl rand -base64 32)',
  });

export const PROCESS_ROLES = ['all', 'api', 'worker'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min).max(max));

const url = (...protocols: string[]) =>
  z.url({
    protocol: new RegExp(`^(${protocols.join('|')})$`),
    error: `must be a URL (${protocols.join(' or ')})`,
  });

/** A comma-separated list, each entry checked by `entry`. */
const list = <T>(entry: z.ZodType<T, string>) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(entry));

const HOST_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

/** A host name, an IP address, or a CIDR (`10.0.0.0/8`, `fd00::/8`). */
function isHostOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const plain = address.replace(/^\[|\]$/g, '');
  if (rest.length > 0) return false;
  if (prefix === undefined) return isIP(plain) !== 0 || HOST_NAME.test(entry);
  return isIP(plain) !== 0 && /^\d{1,3}$/.test(prefix) && Number(prefix) <= (isIP(plain) === 6 ? 128 : 32);
}

/**
 * Fastify's trustProxy: false (none: the client is the socket's peer), a hop count,
 * or the proxies' addresses and CIDRs.
 */
const trustProxy = z.string().transform((value, ctx): false | number | string[] => {
  const v = value.trim();
  if (/^\d{1,2}$/.test(v)) return Number(v) === 0 ? false : Number(v);
  const entries = v.split(',').map((e) => e.trim());
  if (entries.every((e) => isHostOrCidr(e) && isIP(e.split('/')[0]) !== 0)) return entries;
  ctx.addIssue({
    code: 'custom',
    message: 'must be a number of proxy hops (e.g. 1) or comma-separated proxy addresses or CIDRs',
  });
  return z.NEVER;
});

/**
 * Every environment variable the product reads, with its default. Each becomes the
 * AppConfig field of the same name in camelCase (DATABASE_URL: `config.databaseUrl`).
 */
const ENVIRONMENT = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: url('postgres', 'postgresql').default('postgres://postgres@localhost:5432/countersign'),
  REDIS_URL: url('redis', 'rediss').default('redis://localhost:6379'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** where people reach the API (links in mails and feeds); default http://localhost:PORT */
  PUBLIC_URL: url('http', 'https')
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  JWT_SECRET: z.string().min(32).default(DEV_JWT_SECRET),
  JWT_TTL_SECONDS: int(60, 86400).default(900),
  /** encrypts secrets kept at rest (second-factor secrets); the previous key still decrypts while you rotate */
  CREDENTIALS_KEY: aesKey.default(DEV_CREDENTIALS_KEY),
  CREDENTIALS_KEY_PREVIOUS: aesKey.optional(),
  /** a session's refresh token lasts this long unused (each refresh gives a new one) */
  REFRESH_TTL_DAYS: int(1, 365).default(30),
  /** unset: mails are written to MAIL_DIR */
  SMTP_URL: url('smtp', 'smtps').optional(),
  MAIL_FROM: z.string().default('Countersign <no-reply@countersign.local>'),
  MAIL_DIR: z.string().default('var/mail'),
  ROLE: z.enum(PROCESS_ROLES).default('all'),
  CORS_ORIGINS: list(url('http', 'https')).default([]),
  /** hosts and CIDRs outbound HTTP may reach although internal (loopback, private, link-local) */
  OUTBOUND_ALLOWED_HOSTS: list(
    z
      .string()
      .refine(
        isHostOrCidr,
        'must be comma-separated host names, addresses or CIDRs, e.g. 127.0.0.1,localhost,10.0.0.0/8',
      ),
  ).default([]),
  /** which proxies' X-Forwarded-For to believe; default none */
  TRUST_PROXY: trustProxy.default(false),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_{}-]{1,64}$/, 'must be 1 to 64 letters, digits, _ - { }')
    .default('countersign'),
  /** default info (silent under NODE_ENV=test) */
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  MIGRATIONS_RUN: z.stringbool().default(true),
  BODY_LIMIT_BYTES: int(1024, 10 * 1024 * 1024).default(256 * 1024),
  RATE_LIMIT_PER_MINUTE: int(1, 100000).default(600),
  /** publish jobs one worker process runs at once */
  PUBLISH_CONCURRENCY: int(1, 1000).default(200),
  /** publish jobs of one channel one worker process runs at once */
  PUBLISH_PER_CHANNEL: int(1, 100).default(8),
  PUBLISH_TIMEOUT_MS: int(100, 120000).default(10_000),
  PUBLISH_ATTEMPTS: int(1, 20).default(6),
  PUBLISH_RETRY_BASE_MS: int(10, 600000).default(1000),
  /** how long a worker may go silent on a publish job before another takes it over */
  PUBLISH_LOCK_MS: int(1000, 600000).default(30_000),
  RECONCILE_EVERY_MS: int(200, 3600000).default(30_000),
  /** a post still `publishing` after this long is retried by the reconciler (same idempotency key) */
  PUBLISHING_STUCK_MS: int(1000, 86400000).default(120_000),
  /** the worker's own /metrics port (0: none) */
  WORKER_METRICS_PORT: int(0, 65535).default(9464),
  /** how long a stop waits for in-flight work before the process exits anyway */
  SHUTDOWN_GRACE_MS: int(100, 600000).default(30_000),
  /** PostgreSQL connections per process */
  DATABASE_POOL_SIZE: int(2, 500).default(20),
  /** password of the operators' queue dashboard (/admin/queues, user `admin`); unset: no dashboard */
  ADMIN_PASSWORD: z.string().min(16).optional(),
  /** when set, /metrics asks for it as a bearer token */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** how long a post's event lasts in the iCalendar feed */
  CALENDAR_EVENT_MINUTES: int(1, 1440).default(15),
  /** before scheduledAt, approvers of a stage still open are reminded at each of these (minutes) */
  REMINDER_LEADS_MINUTES: list(z.string().regex(/^\d{1,5}$/, 'must be minutes, e.g. 1440,120'))
    .transform((leads) => leads.map(Number))
    .default([1440, 120]),
  /** before scheduledAt, owners and admins are told when a stage is still open (minutes) */
  ESCALATION_LEAD_MINUTES: int(1, 10080).default(60),
  REMINDERS_EVERY_MS: int(200, 3600000).default(300_000),
  /** how often each watched workspace's mentions are checked for a spike */
  SPIKE_WATCH_EVERY_MS: int(200, 3600000).default(60_000),
  /** how often connected Mastodon channels are asked for new mentions */
  LISTEN_EVERY_MS: int(200, 3600000).default(60_000),
  /** single sign-on (OpenID Connect): the identity provider; with the client id and secret, or none of the three */
  OIDC_ISSUER: url('http', 'https')
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** the local hour (in each workspace's zone) from which members taking a daily digest get it */
  DIGEST_HOUR: int(0, 23).default(8),
});
type Environment = z.infer<typeof ENVIRONMENT>;

/** `JWT_TTL_SECONDS` -> `jwtTtlSeconds` */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Lowercase<Head>}${Capitalize<CamelCase<Tail>>}`
  : Lowercase<S>;
const camelCase = (name: string): string =>
  name.toLowerCase().replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

type ConfigValues = { readonly [K in keyof Environment as CamelCase<K>]: Environment[K] } & {
  readonly publicUrl: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
};

/** Raised at boot when the environment holds a value the app cannot run with. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

// The class is the injection token; its fields are the variables above (declaration merging).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface AppConfig extends ConfigValues {}
/** The typed, validated configuration, loaded once at boot and injected everywhere. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class AppConfig {
  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }
}

/**
 * Reads and validates configuration from the environment (overrides win); throws
 * ConfigError naming every bad variable. An empty variable counts as unset.
 */
export function loadConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  const env = { ...process.env, ...overrides };
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ENVIRONMENT.safeParse(present);
  const problems = (parsed.error?.issues ?? []).map(
    ({ path: [name, entry], message }) =>
      `${String(name)}: ${typeof entry === 'number' ? `entry ${entry + 1} ` : ''}${message}`,
  );
  if (parsed.success) {
    const oidc = [parsed.data.OIDC_ISSUER, parsed.data.OIDC_CLIENT_ID, parsed.data.OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean))
      problems.push('OIDC_ISSUER: set it with OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or none of the three');
    if (parsed.data.NODE_ENV === 'production' && parsed.data.OIDC_ISSUER?.startsWith('http:'))
      problems.push('OIDC_ISSUER: must be https when NODE_ENV=production');
  }
  if (parsed.success && parsed.data.NODE_ENV === 'production') {
    if (parsed.data.JWT_SECRET === DEV_JWT_SECRET)
      problems.push('JWT_SECRET: must be set to a secret of your own when NODE_ENV=production');
    if (parsed.data.CREDENTIALS_KEY === DEV_CREDENTIALS_KEY)
      problems.push('CREDENTIALS_KEY: must be set to a key of your own when NODE_ENV=production');
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);

  const vars = parsed.data;
  const values = Object.fromEntries(
    Object.keys(ENVIRONMENT.shape).map((name) => [camelCase(name), vars[name as keyof Environment]]),
  );
  return Object.freeze(
    Object.assign(new AppConfig(), values, {
      publicUrl: vars.PUBLIC_URL ?? `http://localhost:${vars.PORT}`,
      logLevel: vars.LOG_LEVEL ?? (vars.NODE_ENV === 'test' ? 'silent' : 'info'),
    }),
  );
}

/** This process's environment with `overrides`, for starting a child process (scripts, tests). */
export function environmentWith(overrides: Record<string, string>): Record<string, string | undefined> {
  return { ...process.env, ...overrides };
}
