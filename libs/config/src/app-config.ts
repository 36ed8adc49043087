import { isIP } from 'node:net';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  validateSync,
  type ValidationError,
} from 'class-validator';

/** The JWT secret used when none is configured; refused when NODE_ENV=production. */
export const DEV_JWT_SECRET = 'countersign-dev-secret-change-me-before-production';

export const PROCESS_ROLES = ['all', 'api', 'worker'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value;
};

const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

const URL_OPTIONS = { require_tld: false, require_protocol: true } as const;

const HOST_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

/** A host name, an IP address, or a CIDR (`10.0.0.0/8`, `fd00::/8`). */
function isHostOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const plain = address.replace(/^\[|\]$/g, '');
  if (rest.length > 0) return false;
  if (prefix === undefined) return isIP(plain) !== 0 || HOST_NAME.test(entry);
  return isIP(plain) !== 0 && /^\d{1,3}$/.test(prefix) && Number(prefix) <= (isIP(plain) === 6 ? 128 : 32);
}

/** Environment variables as read from process.env, before defaults. */
class EnvironmentVariables {
  @IsOptional() @IsIn(['development', 'production', 'test']) NODE_ENV?: string;
  @IsOptional() @IsUrl({ ...URL_OPTIONS, protocols: ['postgres', 'postgresql'] }) DATABASE_URL?: string;
  @IsOptional() @IsUrl({ ...URL_OPTIONS, protocols: ['redis', 'rediss'] }) REDIS_URL?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() HOST?: string;
  @IsOptional() @IsUrl({ ...URL_OPTIONS, protocols: ['http', 'https'] }) PUBLIC_URL?: string;
  @IsOptional() @IsString() @MinLength(32) JWT_SECRET?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(60) @Max(86400) JWT_TTL_SECONDS?: number;
  @IsOptional() @IsUrl({ ...URL_OPTIONS, protocols: ['smtp', 'smtps'] }) SMTP_URL?: string;
  @IsOptional() @IsString() MAIL_FROM?: string;
  @IsOptional() @IsString() MAIL_DIR?: string;
  @IsOptional() @IsIn(PROCESS_ROLES) ROLE?: ProcessRole;
  @IsOptional()
  @Transform(toList)
  @IsUrl({ ...URL_OPTIONS, protocols: ['http', 'https'] }, { each: true })
  CORS_ORIGINS?: string[];
  @IsOptional()
  @Transform(toList)
  @ValidateBy(
    {
      name: 'hostsOrCidrs',
      validator: { validate: (v: unknown) => Array.isArray(v) && v.every((e) => isHostOrCidr(String(e))) },
    },
    {
      message: 'must be comma-separated host names, addresses or CIDRs, e.g. 127.0.0.1,localhost,10.0.0.0/8',
    },
  )
  OUTBOUND_ALLOWED_HOSTS?: string[];
  @IsOptional()
  @ValidateBy(
    {
      name: 'trustProxy',
      validator: {
        validate: (v: unknown) =>
          typeof v === 'string' &&
          (/^\d{1,2}$/.test(v.trim()) ||
            v.split(',').every((e) => isHostOrCidr(e.trim()) && isIP(e.trim().split('/')[0]) !== 0)),
      },
    },
    { message: 'must be a number of proxy hops (e.g. 1) or comma-separated proxy addresses or CIDRs' },
  )
  TRUST_PROXY?: string;
  @IsOptional() @Matches(/^[A-Za-z0-9_{}-]{1,64}$/) QUEUE_PREFIX?: string;
  @IsOptional() @IsIn(LOG_LEVELS) LOG_LEVEL?: LogLevel;
  @IsOptional() @Transform(toBool) @IsBoolean() MIGRATIONS_RUN?: boolean;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1024) @Max(10 * 1024 * 1024) BODY_LIMIT_BYTES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100000) RATE_LIMIT_PER_MINUTE?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000) PUBLISH_CONCURRENCY?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100) PUBLISH_PER_CHANNEL?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(120000) PUBLISH_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(20) PUBLISH_ATTEMPTS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(10) @Max(600000) PUBLISH_RETRY_BASE_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1000) @Max(600000) PUBLISH_LOCK_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(200) @Max(3600000) RECONCILE_EVERY_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1000) @Max(86400000) PUBLISHING_STUCK_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) WORKER_METRICS_PORT?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(600000) SHUTDOWN_GRACE_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(2) @Max(500) DATABASE_POOL_SIZE?: number;
  @IsOptional() @IsString() @MinLength(16) ADMIN_PASSWORD?: string;
  @IsOptional() @IsString() @MinLength(16) METRICS_TOKEN?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1440) CALENDAR_EVENT_MINUTES?: number;
  @IsOptional()
  @Transform(toList)
  @Matches(/^\d{1,5}$/, { each: true, message: 'must be minutes, e.g. 1440,120' })
  REMINDER_LEADS_MINUTES?: string[];
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(10080) ESCALATION_LEAD_MINUTES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(200) @Max(3600000) REMINDERS_EVERY_MS?: number;
}

function trustProxyOf(value: string | undefined): AppConfig['trustProxy'] {
  if (value === undefined) return false;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) === 0 ? false : Number(value.trim());
  return value.split(',').map((e) => e.trim());
}

/** Raised at boot when the environment holds a value the app cannot run with. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** The typed, validated configuration, loaded once at boot and injected everywhere. */
export class AppConfig {
  readonly nodeEnv!: 'development' | 'production' | 'test';
  readonly databaseUrl!: string;
  readonly redisUrl!: string;
  readonly port!: number;
  readonly host!: string;
  readonly publicUrl!: string;
  readonly jwtSecret!: string;
  readonly jwtTtlSeconds!: number;
  readonly smtpUrl!: string | undefined;
  readonly mailFrom!: string;
  readonly mailDir!: string;
  readonly role!: ProcessRole;
  readonly corsOrigins!: readonly string[];
  /** hosts and CIDRs outbound HTTP may reach although internal (loopback, private, link-local) */
  readonly outboundAllowedHosts!: readonly string[];
  /**
   * Which proxies' X-Forwarded-For to believe, as Fastify takes it: false (none,
   * the default: the client is the socket's peer), a hop count, or their addresses.
   */
  readonly trustProxy!: false | number | readonly string[];
  readonly queuePrefix!: string;
  readonly logLevel!: LogLevel;
  readonly migrationsRun!: boolean;
  readonly bodyLimitBytes!: number;
  readonly rateLimitPerMinute!: number;
  /** publish jobs one worker process runs at once */
  readonly publishConcurrency!: number;
  /** publish jobs of one channel one worker process runs at once */
  readonly publishPerChannel!: number;
  readonly publishTimeoutMs!: number;
  readonly publishAttempts!: number;
  readonly publishRetryBaseMs!: number;
  /** how long a worker may go silent on a publish job before another takes it over */
  readonly publishLockMs!: number;
  readonly reconcileEveryMs!: number;
  /** a post still `publishing` after this long is retried by the reconciler (same idempotency key) */
  readonly publishingStuckMs!: number;
  /** how long a stop waits for in-flight work before the process exits anyway */
  readonly shutdownGraceMs!: number;
  /** the worker's own /metrics port (0: none) */
  readonly workerMetricsPort!: number;
  /** PostgreSQL connections per process */
  readonly databasePoolSize!: number;
  /** before scheduledAt, approvers of a stage still open are reminded at each of these (minutes) */
  readonly reminderLeadsMinutes!: readonly number[];
  /** before scheduledAt, owners and admins are told when a stage is still open (minutes) */
  readonly escalationLeadMinutes!: number;
  readonly remindersEveryMs!: number;
  /** password of the operators' queue dashboard (/admin/queues, user `admin`); unset: no dashboard */
  readonly adminPassword!: string | undefined;
  /** when set, /metrics asks for it as a bearer token */
  readonly metricsToken!: string | undefined;
  /** how long a post's event lasts in the iCalendar feed */
  readonly calendarEventMinutes!: number;

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
}

/**
 * Reads and validates configuration from the environment (overrides win); throws
 * ConfigError naming every bad variable.
 */
export function loadConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  const env = { ...process.env, ...overrides };
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const vars = plainToInstance(EnvironmentVariables, present, { excludeExtraneousValues: false });
  const problems = describe(validateSync(vars, { skipMissingProperties: false }));

  const nodeEnv = (vars.NODE_ENV ?? 'development') as AppConfig['nodeEnv'];
  const jwtSecret = vars.JWT_SECRET ?? DEV_JWT_SECRET;
  if (nodeEnv === 'production' && jwtSecret === DEV_JWT_SECRET) {
    problems.push('JWT_SECRET: must be set to a secret of your own when NODE_ENV=production');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const port = vars.PORT ?? 3000;
  return Object.freeze(
    Object.assign(new AppConfig(), {
      nodeEnv,
      databaseUrl: vars.DATABASE_URL ?? 'postgres://postgres@localhost:5432/countersign',
      redisUrl: vars.REDIS_URL ?? 'redis://localhost:6379',
      port,
      host: vars.HOST ?? '0.0.0.0',
      publicUrl: (vars.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
      jwtSecret,
      jwtTtlSeconds: vars.JWT_TTL_SECONDS ?? 900,
      smtpUrl: vars.SMTP_URL,
      mailFrom: vars.MAIL_FROM ?? 'Countersign <no-reply@countersign.local>',
      mailDir: vars.MAIL_DIR ?? 'var/mail',
      role: vars.ROLE ?? 'all',
      corsOrigins: vars.CORS_ORIGINS ?? [],
      outboundAllowedHosts: vars.OUTBOUND_ALLOWED_HOSTS ?? [],
      trustProxy: trustProxyOf(vars.TRUST_PROXY),
      queuePrefix: vars.QUEUE_PREFIX ?? 'countersign',
      logLevel: vars.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
      migrationsRun: vars.MIGRATIONS_RUN ?? true,
      bodyLimitBytes: vars.BODY_LIMIT_BYTES ?? 256 * 1024,
      rateLimitPerMinute: vars.RATE_LIMIT_PER_MINUTE ?? 600,
      publishConcurrency: vars.PUBLISH_CONCURRENCY ?? 200,
      publishPerChannel: vars.PUBLISH_PER_CHANNEL ?? 8,
      publishTimeoutMs: vars.PUBLISH_TIMEOUT_MS ?? 10_000,
      publishAttempts: vars.PUBLISH_ATTEMPTS ?? 6,
      publishRetryBaseMs: vars.PUBLISH_RETRY_BASE_MS ?? 1000,
      publishLockMs: vars.PUBLISH_LOCK_MS ?? 30_000,
      reconcileEveryMs: vars.RECONCILE_EVERY_MS ?? 30_000,
      publishingStuckMs: vars.PUBLISHING_STUCK_MS ?? 120_000,
      workerMetricsPort: vars.WORKER_METRICS_PORT ?? 9464,
      shutdownGraceMs: vars.SHUTDOWN_GRACE_MS ?? 30_000,
      databasePoolSize: vars.DATABASE_POOL_SIZE ?? 20,
      adminPassword: vars.ADMIN_PASSWORD,
      metricsToken: vars.METRICS_TOKEN,
      calendarEventMinutes: vars.CALENDAR_EVENT_MINUTES ?? 15,
      reminderLeadsMinutes: (vars.REMINDER_LEADS_MINUTES ?? ['1440', '120']).map(Number),
      escalationLeadMinutes: vars.ESCALATION_LEAD_MINUTES ?? 60,
      remindersEveryMs: vars.REMINDERS_EVERY_MS ?? 300_000,
    }),
  );
}

/** This process's environment with `overrides`, for starting a child process (scripts, tests). */
export function environmentWith(overrides: Record<string, string>): Record<string, string | undefined> {
  return { ...process.env, ...overrides };
}
