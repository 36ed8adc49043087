import { ConfigError, DEV_JWT_SECRET, loadConfig } from './app-config';

describe(loadConfig.name, () => {
  const clean = {
    NODE_ENV: undefined,
    DATABASE_URL: undefined,
    REDIS_URL: undefined,
    PORT: undefined,
    PUBLIC_URL: undefined,
    JWT_SECRET: undefined,
    CREDENTIALS_KEY: undefined,
    CREDENTIALS_KEY_PREVIOUS: undefined,
    OIDC_ISSUER: undefined,
    OIDC_CLIENT_ID: undefined,
    OIDC_CLIENT_SECRET: undefined,
    ROLE: undefined,
    CORS_ORIGINS: undefined,
    QUEUE_PREFIX: undefined,
    LOG_LEVEL: undefined,
    OUTBOUND_ALLOWED_HOSTS: undefined,
  };

  it('has working local defaults for everything', () => {
    const config = loadConfig(clean);
    expect(config).toMatchObject({
      nodeEnv: 'development',
      databaseUrl: 'postgres://postgres@localhost:5432/countersign',
      redisUrl: 'redis://localhost:6379',
      port: 3000,
      publicUrl: 'http://localhost:3000',
      jwtSecret: DEV_JWT_SECRET,
      role: 'all',
      corsOrigins: [],
      outboundAllowedHosts: [],
      queuePrefix: 'countersign',
      smtpUrl: undefined,
      migrationsRun: true,
    });
  });

  it('parses numbers, booleans and lists, and trims a trailing slash off PUBLIC_URL', () => {
    const config = loadConfig({
      ...clean,
      PORT: '8080',
      MIGRATIONS_RUN: 'false',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
      PUBLIC_URL: 'https://countersign.example.com/',
      QUEUE_PREFIX: '{countersign}',
    });
    expect(config.port).toBe(8080);
    expect(config.migrationsRun).toBe(false);
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(config.publicUrl).toBe('https://countersign.example.com');
    expect(config.queuePrefix).toBe('{countersign}');
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['REDIS_URL', 'localhost:6379'],
    ['ROLE', 'scheduler'],
    ['JWT_SECRET', 'short'],
    ['CORS_ORIGINS', 'not a url'],
    ['QUEUE_PREFIX', 'has:colon'],
    ['MIGRATIONS_RUN', 'maybe'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ ...clean, [name]: value })).toThrow(new RegExp(`${name}: `));
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({ ...clean, PORT: 'x', ROLE: 'y' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual(['PORT', 'ROLE']);
    }
  });

  it('refuses the development JWT secret and credentials key in production, and accepts real ones', () => {
    expect(() => loadConfig({ ...clean, NODE_ENV: 'production' })).toThrow(/JWT_SECRET: must be set/);
    expect(() => loadConfig({ ...clean, NODE_ENV: 'production' })).toThrow(/CREDENTIALS_KEY: must be set/);
    const secret = 'a'.repeat(48);
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig({ ...clean, NODE_ENV: 'production', JWT_SECRET: secret, CREDENTIALS_KEY: key });
    expect(config).toMatchObject({ jwtSecret: secret, credentialsKey: key });
  });

  it('takes single sign-on whole or not at all, and over https in production', () => {
    expect(loadConfig(clean).oidcIssuer).toBeUndefined();
    expect(() => loadConfig({ ...clean, OIDC_ISSUER: 'https://id.example' })).toThrow(
      /OIDC_ISSUER: set it with/,
    );
    const oidc = {
      OIDC_ISSUER: 'https://id.example/',
      OIDC_CLIENT_ID: 'countersign',
      OIDC_CLIENT_SECRET: 's3cret',
    };
    expect(loadConfig({ ...clean, ...oidc }).oidcIssuer).toBe('https://id.example');
    expect(() =>
      loadConfig({ ...clean, ...oidc, OIDC_ISSUER: 'http://id.example', NODE_ENV: 'production' }),
    ).toThrow(/OIDC_ISSUER: must be https/);
  });

  it('takes only 32-byte base64 credentials keys', () => {
    for (const bad of ['short', Buffer.alloc(16).toString('base64'), Buffer.alloc(32).toString('hex')]) {
      expect(() => loadConfig({ ...clean, CREDENTIALS_KEY: bad })).toThrow(
        /CREDENTIALS_KEY: must be 32 random bytes/,
      );
      expect(() => loadConfig({ ...clean, CREDENTIALS_KEY_PREVIOUS: bad })).toThrow(
        /CREDENTIALS_KEY_PREVIOUS/,
      );
    }
  });

  it('reads OUTBOUND_ALLOWED_HOSTS as hosts, addresses and CIDRs, and names a bad entry', () => {
    expect(
      loadConfig({ ...clean, OUTBOUND_ALLOWED_HOSTS: '127.0.0.1, localhost,10.0.0.0/8,fd00::/8' })
        .outboundAllowedHosts,
    ).toEqual(['127.0.0.1', 'localhost', '10.0.0.0/8', 'fd00::/8']);
    for (const bad of ['10.0.0.0/33', 'http://x', 'a b', '1.2.3.4/8/9']) {
      expect(() => loadConfig({ ...clean, OUTBOUND_ALLOWED_HOSTS: bad })).toThrow(/OUTBOUND_ALLOWED_HOSTS/);
    }
  });

  it('trusts no proxy by default, and reads TRUST_PROXY as hops or addresses', () => {
    expect(loadConfig({ ...clean, TRUST_PROXY: undefined }).trustProxy).toBe(false);
    expect(loadConfig({ ...clean, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ ...clean, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    expect(() => loadConfig({ ...clean, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ ...clean, TRUST_PROXY: 'proxy.example' })).toThrow(/TRUST_PROXY/);
  });
});
