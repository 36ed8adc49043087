import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { Housekeeping } from '../apps/worker/src/maintenance/housekeeping';
import { PASSWORD, signUp } from './support/factories';
import { startApi, startWorker, testConfig, type TestApi } from './support/test-app';

describe(Housekeeping.name, () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let db: Client;

  beforeAll(async () => {
    const config = await testConfig({ WORKER_METRICS_PORT: '0' });
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
    expect(purged).toEqual({ refreshTokens: 1, sessions: 1, passwordResets: 1 });
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
});
