import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, spawnApp, type AppProcess } from './support/app-process';
import { BlueskyServer } from './support/bluesky-server';
import { HttpClient } from './support/http-client';
import { MastodonServer } from './support/mastodon-server';
import { networkTeams, type Team } from './support/network-team';
import { testConfig } from './support/test-app';
import { TEST_REDIS_URL } from './support/test-env';
import { waitFor } from './support/wait-for';

/**
 * The whole product as `npm start` runs it, logging everything it logs (debug),
 * through a key rotation: network credentials never reach a log line, and values
 * sealed under the previous key still open while the operator rotates.
 */
describe('Network credentials at rest and in the logs', () => {
  const started: AppProcess[] = [];
  let pds: BlueskyServer;
  let mastodon: MastodonServer;
  let http: HttpClient;
  const teams = networkTeams(() => http);

  beforeAll(async () => {
    pds = await new BlueskyServer().start();
    mastodon = await new MastodonServer().start();
  });
  afterAll(async () => {
    for (const p of started) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await p.exited;
    }
    await pds.stop();
    await mastodon.stop();
  });

  /** The product on `port` with these keys, up once /health answers. */
  async function run(env: Record<string, string>, port: number): Promise<AppProcess> {
    const p = spawnApp('all', { ...env, PORT: String(port) });
    started.push(p);
    await waitFor(
      async () => ((await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.ok ? true : undefined),
      { timeoutMs: 90_000, what: 'the app to be up' },
    );
    return p;
  }

  async function stop(p: AppProcess): Promise<void> {
    p.child.kill('SIGTERM');
    await p.exited;
  }

  it('logs no token, app password or session, and publishes with credentials sealed under the previous key', async () => {
    const config = await testConfig();
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('base64');
    const port = await freePort();
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug',
      DATABASE_URL: config.databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: config.queuePrefix,
      HOST: '127.0.0.1',
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1,localhost',
      RATE_LIMIT_PER_MINUTE: '10000',
      WORKER_METRICS_PORT: '0',
      MAIL_DIR: mkdtempSync(join(tmpdir(), 'countersign-credentials-mail-')),
    };
    const first = await run({ ...env, CREDENTIALS_KEY: oldKey }, port);
    http = new HttpClient(`http://127.0.0.1:${port}`, config.databaseUrl);

    const t: Team = await teams.team();
    const token = mastodon.issueToken();
    const channels = await Promise.all([
      http.post(
        `${t.ws}/channels`,
        {
          name: 'Acme on Mastodon',
          network: 'mastodon',
          publisher: { kind: 'mastodon', instanceUrl: mastodon.url, accessToken: token },
        },
        { token: t.owner.token },
      ),
      http.post(
        `${t.ws}/channels`,
        {
          name: 'Acme on Bluesky',
          network: 'bluesky',
          publisher: {
            kind: 'bluesky',
            service: pds.url,
            identifier: pds.handle,
            appPassword: pds.appPassword,
          },
        },
        { token: t.owner.token },
      ),
    ]);
    const ids = channels.map((c) => {
      expect(c.status).toBe(201);
      return c.body.id as string;
    });
    for (const id of ids)
      await teams.untilStatus(t, await teams.publishNow(t, id, { text: 'Before' }), 'published');
    await stop(first);

    // Rotated: the new key seals, the previous one still opens what it sealed.
    const second = await run({ ...env, CREDENTIALS_KEY: newKey, CREDENTIALS_KEY_PREVIOUS: oldKey }, port);
    for (const id of ids)
      await teams.untilStatus(t, await teams.publishNow(t, id, { text: 'After' }), 'published');
    expect(mastodon.live().map((s) => s.text)).toEqual(['Before', 'After']);
    expect(pds.live().map((r) => r.value.text)).toEqual(['Before', 'After']);
    await stop(second);

    const logs = first.output() + second.output();
    // The capture is real: the runs logged their requests and publishes.
    expect(logs).toMatch(/"url":"\/v1\/workspaces\/[^"]+\/channels"/);
    for (const secret of [token, pds.appPassword, ...pds.issuedTokens()]) expect(logs).not.toContain(secret);
    const db = new Client({ connectionString: config.databaseUrl });
    await db.connect();
    try {
      const stored = await db.query(`SELECT publisher_credentials FROM channels WHERE id = ANY($1)`, [ids]);
      const sealed = stored.rows
        .map((r: { publisher_credentials: string }) => r.publisher_credentials)
        .join(' ');
      for (const secret of [token, pds.appPassword]) expect(sealed).not.toContain(secret);
      const audit = await db.query(`SELECT before, after FROM audit_events`);
      expect(JSON.stringify(audit.rows)).not.toContain(token);
      expect(JSON.stringify(audit.rows)).not.toContain(pds.appPassword);
    } finally {
      await db.end();
    }
  }, 240_000);
});
