import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { DEV_CREDENTIALS_KEY } from '@app/config';
import { CredentialsCipher } from '@app/persistence';
import { Housekeeping } from '../apps/worker/src/maintenance/housekeeping';
import { PASSWORD, signUp } from './support/factories';
import { startApi, startWorker, testConfig, type TestApi } from './support/test-app';

const NEW_KEY = randomBytes(32).toString('base64');

describe(Housekeeping.name, () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let db: Client;

  beforeAll(async () => {
    // Mid-rotation: a new key, and the one before it (the development key) still opening.
    const config = await testConfig({
      WORKER_METRICS_PORT: '0',
      CREDENTIALS_KEY: NEW_KEY,
      CREDENTIALS_KEY_PREVIOUS: DEV_CREDENTIALS_KEY,
    });
    api = await startApi(config);
    worker = await startWorker(config);
    db = new Client({ connectionString: config.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await worker.close();
    await api.close();
  });

  it('forgets expired refresh tokens, long-ended sessions and old reset links, and nothing still of use', async () => {
    const person = await signUp(api.http);
    const login = async () =>
      (await api.http.post('/v1/auth/login', { email: person.email, password: PASSWORD })).body;
    const old = await login();
    const kept = await login();
    await api.http.post('/v1/auth/logout', undefined, { token: old.accessToken });
    // The old session ended long ago, and its refresh token ran out too.
    await db.query(
      `UPDATE sessions SET ended_at = now() - interval '91 days' WHERE user_id = $1 AND ended_at IS NOT NULL`,
      [person.userId],
    );
    await db.query(
      `UPDATE refresh_tokens SET expires_at = now() - interval '2 days'
        WHERE session_id IN (SELECT id FROM sessions WHERE ended_at IS NOT NULL)`,
    );
    await db.query(
      `INSERT INTO password_resets (token_hash, user_id, expires_at)
       VALUES ('\\x01', $1, now() - interval '2 days'), ('\\x02', $1, now() + interval '1 hour')`,
      [person.userId],
    );

    const purged = await worker.get(Housekeeping).run();
    expect(purged).toEqual({ refreshTokens: 1, sessions: 1, passwordResets: 1, resealed: 0 });
    const sessions = await db.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [
      person.userId,
    ]);
    expect(sessions.rows[0].n).toBe(2);
    const resets = await db.query(`SELECT count(*)::int AS n FROM password_resets WHERE user_id = $1`, [
      person.userId,
    ]);
    expect(resets.rows[0].n).toBe(1);
    // What is still of use goes on working.
    expect((await api.http.post('/v1/auth/refresh', { refreshToken: kept.refreshToken })).status).toBe(200);
    expect((await api.http.get('/v1/me', { token: person.token })).status).toBe(200);
  });

  it('writes values sealed under the previous key again under the current one, so that key can go', async () => {
    const owner = await signUp(api.http);
    const before = new CredentialsCipher({ credentialsKey: DEV_CREDENTIALS_KEY });
    const sealed = before.seal(JSON.stringify({ accessToken: 'token-under-the-old-key' }));
    const { rows } = await db.query(
      `INSERT INTO channels (workspace_id, name, network, publisher_kind, publisher_config, publisher_credentials)
       VALUES ($1, 'Old key', 'mastodon', 'mastodon', '{"serviceUrl":"https://m.example"}', $2) RETURNING id`,
      [owner.workspaceId, sealed],
    );
    expect((await worker.get(Housekeeping).run()).resealed).toBe(1);
    const after = await db.query(`SELECT publisher_credentials FROM channels WHERE id = $1`, [rows[0].id]);
    const now = new CredentialsCipher({ credentialsKey: NEW_KEY });
    expect(now.needsResealing(after.rows[0].publisher_credentials)).toBe(false);
    expect(JSON.parse(now.open(after.rows[0].publisher_credentials))).toEqual({
      accessToken: 'token-under-the-old-key',
    });
    expect((await worker.get(Housekeeping).run()).resealed).toBe(0);
  });
});
