import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { QueueName } from '@app/queue';
import type { Queue } from 'bullmq';
import type { Client } from 'pg';
import { apiKey, PASSWORD, signUp } from './support/factories';
import type { SmtpSink } from './support/smtp-sink';
import type { TestApi } from './support/test-app';
import { startMailWorld, type MailWorld } from './support/mail-world';
import { waitFor } from './support/wait-for';

const NEW_PASSWORD = 'violet kettles hum at dawn';

describe('Passwords', () => {
  let world: MailWorld;
  let smtp: SmtpSink;
  let api: TestApi;
  let worker: INestApplicationContext;
  let db: Client;

  beforeAll(async () => {
    world = await startMailWorld();
    ({ smtp, api, worker, db } = world);
  });
  afterAll(() => world.close());

  const mailsTo = (email: string, count: number) => world.mailsTo(email, count);
  /** Every account mail asked for so far has been handled (sent, or decided against). */
  const mailSettled = () =>
    waitFor(
      async () => {
        const [{ count }] = (await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM outbox`))
          .rows;
        const jobs = await worker
          .get<Queue>(getQueueToken(QueueName.Mail))
          .getJobCounts('waiting', 'active', 'delayed');
        return count === 0 && jobs.waiting + jobs.active + jobs.delayed === 0 ? true : undefined;
      },
      { what: 'the mail queue to drain' },
    );
  const resetLinkIn = (text: string | undefined): string => {
    const token = /https:\/\/countersign\.example\/reset\/([A-Za-z0-9_-]{43})/.exec(text ?? '')?.[1];
    if (!token) throw new Error(`no reset link in: ${text}`);
    return token;
  };
  const login = (email: string, password: string) => api.http.post('/v1/auth/login', { email, password });
  const form = (fields: Record<string, string>) => ({
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const csrfIn = (html: string): string => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

  it('answers a reset request alike for a known and an unknown address, and mails only the account', async () => {
    const person = await signUp(api.http);
    const unknown = `nobody-${Date.now()}@example.test`;
    const forUnknown = await api.http.post('/v1/auth/password-reset', { email: unknown });
    const forKnown = await api.http.post('/v1/auth/password-reset', { email: person.email });
    for (const answer of [forUnknown, forKnown]) {
      expect(answer.status).toBe(202);
      expect(answer.text).toBe('');
    }
    expect(forKnown.headers.get('content-type')).toBe(forUnknown.headers.get('content-type'));

    const [mail] = await mailsTo(person.email, 1);
    await mailSettled();
    expect(smtp.to(unknown)).toHaveLength(0);
    expect(mail.subject).toBe('Choose a new Countersign password');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.text).toMatch(/works once, for 60 minutes/);
    // Only the hash of the link is stored.
    const token = resetLinkIn(mail.text);
    const stored = await db.query(`SELECT token_hash FROM password_resets`);
    expect(JSON.stringify(stored.rows)).not.toContain(token);
  });

  it('resets from the page: a weak password is refused on it, then every session ends and the link is spent', async () => {
    const person = await signUp(api.http);
    const other = (await login(person.email, PASSWORD)).body;
    await api.http.post('/v1/auth/password-reset', { email: person.email });
    const token = resetLinkIn((await mailsTo(person.email, 1))[0].text);

    const page = await api.http.get(`/reset/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.text).toContain(person.email);
    const csrf = csrfIn(page.text);

    const forged = await api.http.request('POST', `/reset/${token}`, form({ password: NEW_PASSWORD }));
    expect(forged.status).toBe(403);
    const weak = await api.http.request('POST', `/reset/${token}`, form({ password: 'password123', csrf }));
    expect(weak.status).toBe(400);
    expect(weak.text).toMatch(/too easy to guess/);
    expect(weak.text).toContain('name="password"');
    expect((await login(person.email, PASSWORD)).status).toBe(200);

    const done = await api.http.request('POST', `/reset/${token}`, form({ password: NEW_PASSWORD, csrf }));
    expect(done.status).toBe(200);
    expect(done.text).toContain('Your password is changed');
    expect((await login(person.email, PASSWORD)).status).toBe(401);
    expect((await login(person.email, NEW_PASSWORD)).status).toBe(200);
    // Every session from before ends, with its refresh token.
    expect((await api.http.get('/v1/me', { token: person.token })).status).toBe(401);
    expect((await api.http.get('/v1/me', { token: other.accessToken })).status).toBe(401);
    expect((await api.http.post('/v1/auth/refresh', { refreshToken: other.refreshToken })).status).toBe(401);

    const again = await api.http.get(`/reset/${token}`);
    expect(again.status).toBe(410);
    expect(again.text).toContain('already been used');
    const json = await api.http.post(`/v1/auth/password-reset/${token}`, {
      password: 'another fine passphrase',
    });
    expect(json.status).toBe(410);
    expect((await mailsTo(person.email, 2))[1].subject).toBe('Your Countersign password was changed');
  });

  it('resets through the JSON route; an unknown link is 404, an expired one 410', async () => {
    const person = await signUp(api.http);
    await api.http.post('/v1/auth/password-reset', { email: person.email });
    const token = resetLinkIn((await mailsTo(person.email, 1))[0].text);

    const unknown = await api.http.post(`/v1/auth/password-reset/${'A'.repeat(43)}`, {
      password: NEW_PASSWORD,
    });
    expect(unknown.status).toBe(404);
    const short = await api.http.post(`/v1/auth/password-reset/${token}`, { password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.errors).toContainEqual(expect.objectContaining({ field: 'password' }));
    const own = await api.http.post(`/v1/auth/password-reset/${token}`, { password: `${person.email}1` });
    expect(own.status).toBe(400);

    const done = await api.http.post(`/v1/auth/password-reset/${token}`, { password: NEW_PASSWORD });
    expect(done.status).toBe(204);
    expect((await login(person.email, NEW_PASSWORD)).status).toBe(200);

    await api.http.post('/v1/auth/password-reset', { email: person.email });
    const late = resetLinkIn((await mailsTo(person.email, 3))[2].text);
    await db.query(
      `UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`,
    );
    const expired = await api.http.post(`/v1/auth/password-reset/${late}`, {
      password: 'yet another passphrase',
    });
    expect(expired.status).toBe(410);
    expect((await login(person.email, NEW_PASSWORD)).status).toBe(200);
  });

  it('changes a password with the current one; other sessions end, this one goes on', async () => {
    const person = await signUp(api.http);
    const other = (await login(person.email, PASSWORD)).body;
    const change = (body: unknown, token = person.token) => api.http.post('/v1/me/password', body, { token });

    const wrong = await change({ currentPassword: 'not it at all', newPassword: NEW_PASSWORD });
    expect(wrong.status).toBe(403);
    expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'currentPassword' })]);
    const weak = await change({ currentPassword: PASSWORD, newPassword: person.email });
    expect(weak.status).toBe(400);
    expect(weak.body.errors).toContainEqual(expect.objectContaining({ field: 'newPassword' }));
    const extra = await change({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD, email: 'x@y.z' });
    expect(extra.status).toBe(400);
    expect((await login(person.email, PASSWORD)).status).toBe(200);

    expect((await change({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(204);
    expect((await api.http.get('/v1/me', { token: person.token })).status).toBe(200);
    expect((await api.http.get('/v1/me', { token: other.accessToken })).status).toBe(401);
    expect((await login(person.email, NEW_PASSWORD)).status).toBe(200);
    const [told] = await mailsTo(person.email, 1);
    expect(told.subject).toBe('Your Countersign password was changed');

    const key = await apiKey(api.http, person.token, person.workspaceId, 'editor');
    expect(
      (await change({ currentPassword: NEW_PASSWORD, newPassword: 'a third passphrase here' }, key.key))
        .status,
    ).toBe(403);
  });

  it('sends one account at most three reset links an hour, and answers the fourth request alike', async () => {
    const person = await signUp(api.http);
    for (let i = 0; i < 4; i++) {
      expect((await api.http.post('/v1/auth/password-reset', { email: person.email })).status).toBe(202);
    }
    await mailsTo(person.email, 3);
    await mailSettled();
    expect(smtp.to(person.email)).toHaveLength(3);
  });

  it('refuses bad reset requests by field, and too many from one address with 429', async () => {
    const missing = await api.http.post('/v1/auth/password-reset', {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toContainEqual(expect.objectContaining({ field: 'email' }));
    const extra = await api.http.post('/v1/auth/password-reset', { email: 'a@b.example', userId: 'x' });
    expect(extra.status).toBe(400);

    // This file's earlier tests spent some of this IP's ten an hour; spend the rest.
    let answer = await api.http.post('/v1/auth/password-reset', { email: 'a@b.example' });
    for (let i = 0; answer.status === 202 && i < 10; i++) {
      answer = await api.http.post('/v1/auth/password-reset', { email: 'a@b.example' });
    }
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
