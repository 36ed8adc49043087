import { DateTime } from 'luxon';
import { ReviewDigests } from '../apps/worker/src/notifications/review-digests';
import { apiClient } from './support/api-client';
import { apiKey, approverWorkflow, channel, draft, memberWithRole, signUp } from './support/factories';
import { MEMBER_ADDED_MAIL, type SmtpSink } from './support/smtp-sink';
import { startMailWorld, type MailWorld } from './support/mail-world';
import type { TestApi } from './support/test-app';

const ZONE = 'Europe/Paris';
const inHours = (hours: number): string => new Date(Date.now() + hours * 3600_000).toISOString();
/** Tomorrow at `hour` o'clock in Paris: a time the digest job may run at. */
const tomorrowAt = (hour: number): Date =>
  DateTime.now().setZone(ZONE).plus({ days: 1 }).set({ hour, minute: 5 }).toJSDate();

describe('The daily digest of review requests', () => {
  let world: MailWorld;
  let smtp: SmtpSink;
  let api: TestApi;
  let digests: ReviewDigests;

  beforeAll(async () => {
    // The tests run the digest themselves, at the times they choose.
    world = await startMailWorld({ REMINDERS_EVERY_MS: '3600000', DIGEST_HOUR: '8' }, MEMBER_ADDED_MAIL);
    ({ smtp, api } = world);
    digests = world.worker.get(ReviewDigests);
  });
  afterAll(() => world.close());

  const mailsTo = (email: string, count: number) => world.mailsTo(email, count);

  /** A workspace in Paris with an author, two approvers (one taking the digest) and a channel. */
  async function team() {
    const owner = await signUp(api.http, { timezone: ZONE, workspaceName: `Acme ${Date.now()}` });
    const author = await memberWithRole(api.http, owner.token, owner.workspaceId, 'editor');
    const daily = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
    const instant = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
    await approverWorkflow(api.http, owner.token, owner.workspaceId);
    const ch = await channel(api.http, owner.token, owner.workspaceId, { name: 'Acme on X' });
    const { data } = await apiClient(api.http, daily.token).PATCH('/v1/me', {
      body: { mailDigest: 'daily' },
    });
    expect(data?.mailDigest).toBe('daily');
    const submitted = async (text: string, scheduledAt: string) => {
      const post = await draft(api.http, author.token, owner.workspaceId, {
        channelId: ch.id,
        text,
        scheduledAt,
      });
      const { response } = await apiClient(api.http, author.token).POST(
        '/v1/workspaces/{workspaceId}/posts/{postId}/submit',
        { params: { path: { workspaceId: owner.workspaceId, postId: post.id } } },
      );
      expect(response.status).toBe(200);
      return post;
    };
    return { owner, author, daily, instant, submitted };
  }

  it("is a setting of one's own: shown by GET /v1/me, refused for API keys and for bad values", async () => {
    const owner = await signUp(api.http);
    const me = apiClient(api.http, owner.token);
    expect((await me.GET('/v1/me')).data).toMatchObject({ mailDigest: 'off' });

    const renamed = await me.PATCH('/v1/me', { body: { name: 'Maya Lind', mailDigest: 'daily' } });
    expect(renamed.data).toMatchObject({ user: { name: 'Maya Lind' }, mailDigest: 'daily' });
    expect((await me.GET('/v1/me')).data).toMatchObject({ user: { name: 'Maya Lind' }, mailDigest: 'daily' });

    const weekly = await api.http.request('PATCH', '/v1/me', {
      token: owner.token,
      body: { mailDigest: 'weekly' },
    });
    expect(weekly.status).toBe(400);
    expect(weekly.body.errors).toEqual([expect.objectContaining({ field: 'mailDigest' })]);
    const nulled = await api.http.request('PATCH', '/v1/me', {
      token: owner.token,
      body: { name: null, mailDigest: null },
    });
    expect(nulled.status).toBe(400);
    expect(new Set(nulled.body.errors.map((e: { field: string }) => e.field))).toEqual(
      new Set(['mailDigest', 'name']),
    );
    const unknown = await api.http.request('PATCH', '/v1/me', {
      token: owner.token,
      body: { role: 'owner' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'role' })]);
    const key = await apiKey(api.http, owner.token, owner.workspaceId, 'editor');
    const byKey = await api.http.request('PATCH', '/v1/me', { token: key.key, body: { mailDigest: 'off' } });
    expect(byKey.status).toBe(403);
    // Nothing refused changed anything.
    expect((await me.GET('/v1/me')).data).toMatchObject({ user: { name: 'Maya Lind' }, mailDigest: 'daily' });
  });

  it('holds requests of posts due more than 48 h ahead for the next morning, and sends nearer ones at once', async () => {
    const { daily, instant, submitted } = await team();
    const far = await submitted('Summer menu teaser for next week', inHours(24 * 5));
    await submitted('Tomorrow: espresso tasting', inHours(30));

    // The approver without a digest hears of both at once; the one with it, of the near one only.
    await mailsTo(instant.email, 2);
    const [nearMail] = await mailsTo(daily.email, 1);
    expect(nearMail.subject).toMatch(/^Please review: "Tomorrow: espresso tasting"/);
    expect(smtp.to(daily.email)).toHaveLength(1);

    // Before 08:00 local time: nothing yet.
    expect(await digests.run(tomorrowAt(7))).toEqual({ digests: 0 });
    expect(await digests.run(tomorrowAt(8))).toEqual({ digests: 1 });
    const [, digest] = await mailsTo(daily.email, 2);
    expect(digest.subject).toMatch(/^1 post awaits your review \(Acme \d+\)$/);
    expect(digest.text).toContain('Summer menu teaser for next week');
    expect(digest.text).not.toContain('espresso');
    expect(digest.headers.get('auto-submitted')).toBe('auto-generated');
    // Once a day.
    expect(await digests.run(tomorrowAt(20))).toEqual({ digests: 0 });

    // Its link is the approver's own, for this version, and works like any review link.
    const link = /https:\/\/countersign\.example(\/review\/[A-Za-z0-9_-]{43})/.exec(digest.text ?? '')?.[1];
    const page = await api.http.get(link ?? 'missing');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Summer menu teaser for next week');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const approved = await api.http.request('POST', link!, {
      body: new URLSearchParams({ decision: 'approve', csrf }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(approved.status).toBe(200);
    const post = await apiClient(api.http, instant.token).GET('/v1/workspaces/{workspaceId}/posts/{postId}', {
      params: { path: { workspaceId: far.workspaceId, postId: far.id } },
    });
    expect(post.data?.status).toBe('approved');
  });

  it('leaves out what no longer stands: a post edited or canceled since, or already signed off', async () => {
    const { owner, author, daily, instant, submitted } = await team();
    const edited = await submitted('First draft of the launch', inHours(24 * 4));
    const canceled = await submitted('A post we will drop', inHours(24 * 4));
    const signedOff = await submitted('Signed off by the other approver', inHours(24 * 4));
    await submitted('The one still waiting', inHours(24 * 4));
    await mailsTo(instant.email, 4);

    const client = apiClient(api.http, author.token);
    const path = (postId: string) => ({ params: { path: { workspaceId: owner.workspaceId, postId } } });
    const changed = await client.PATCH('/v1/workspaces/{workspaceId}/posts/{postId}', {
      ...path(edited.id),
      params: { ...path(edited.id).params, header: { 'If-Match': '"1"' } },
      body: { text: 'Second draft of the launch' },
    });
    expect(changed.data?.version).toBe(2);
    await client.POST('/v1/workspaces/{workspaceId}/posts/{postId}/cancel', path(canceled.id));
    const approval = await apiClient(api.http, instant.token).POST(
      '/v1/workspaces/{workspaceId}/posts/{postId}/approvals',
      { ...path(signedOff.id), body: { decision: 'approve', version: 1 } },
    );
    expect(approval.response.status).toBe(201);
    // The edit opened the stage again for version 2: that request is held too.
    await mailsTo(instant.email, 5);

    expect(await digests.run(tomorrowAt(9))).toEqual({ digests: 1 });
    const [digest] = await mailsTo(daily.email, 1);
    expect(digest.subject).toMatch(/^2 posts await your review/);
    expect(digest.text).toContain('Second draft of the launch');
    expect(digest.text).toContain('The one still waiting');
    expect(digest.text).not.toContain('First draft');
    expect(digest.text).not.toContain('drop');
    expect(digest.text).not.toContain('Signed off');
  });

  it('sends what it held at the next run when the member turns the digest off', async () => {
    const { daily, instant, submitted } = await team();
    await submitted('Held, then wanted now', inHours(24 * 6));
    await mailsTo(instant.email, 1);
    expect(smtp.to(daily.email)).toHaveLength(0);

    await apiClient(api.http, daily.token).PATCH('/v1/me', { body: { mailDigest: 'off' } });
    // Any hour will do now, even one before DIGEST_HOUR.
    expect(await digests.run(tomorrowAt(3))).toEqual({ digests: 1 });
    const [mail] = await mailsTo(daily.email, 1);
    expect(mail.text).toContain('Held, then wanted now');
  });
});
