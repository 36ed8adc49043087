import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { approverWorkflow, channel, draft, memberWithRole, signUp } from './support/factories';
import { startMailWorld, type MailWorld } from './support/mail-world';
import { waitFor } from './support/wait-for';
import { WebhookReceiver } from './support/webhook-receiver';

const SECRET = 'spike-hook-secret-0123456789';

/** The spike noticed in minutes, and publishing paused before the next post adds fuel. */
describe('Listening: the spike watch', () => {
  let world: MailWorld;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await new WebhookReceiver(SECRET).start();
    world = await startMailWorld({ SPIKE_WATCH_EVERY_MS: '300' });
  });
  afterAll(async () => {
    await world.close();
    await receiver.stop();
  });
  const http = () => world.api.http;

  it('pauses publishing on 60 negative mentions in two minutes after a quiet week: alert, mail, webhook; the emergency reply still goes out', async () => {
    const owner = await signUp(http(), { workspaceName: 'Acme Coffee' });
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const approver = await memberWithRole(http(), owner.token, owner.workspaceId, 'approver');
    const admin = await memberWithRole(http(), owner.token, owner.workspaceId, 'admin');
    await approverWorkflow(http(), owner.token, owner.workspaceId);
    const crisis = await http().post(
      `${ws}/workflows`,
      {
        name: 'Crisis response',
        emergency: true,
        stages: [{ name: 'Senior', approvers: { roles: ['admin'] }, required: 1 }],
      },
      { token: owner.token },
    );
    const ch = await channel(http(), owner.token, owner.workspaceId, {
      name: 'Acme on Mastodon',
      network: 'mastodon',
    });
    const hook = await http().post(
      `${ws}/webhooks`,
      { url: receiver.url, secret: SECRET, events: ['listening.spike'] },
      { token: owner.token },
    );
    expect(hook.status).toBe(201);

    // A quiet week: two mentions every ten minutes, for eight days.
    await world.db.query(
      `INSERT INTO mentions (workspace_id, network, external_id, author_handle, text, sentiment, negative, created_at)
       SELECT $1, 'mastodon', 'history-' || n, '@regular@social.example', 'Nice coffee', 0.2, false,
              now() - interval '8 days' + n * interval '5 minutes'
         FROM generate_series(0, 8 * 24 * 12 - 3) n`,
      [owner.workspaceId],
    );
    const watch = await http().put(
      `${ws}/listening/watch`,
      { action: 'pause', negativeShare: 0.5, minMentions: 40 },
      { token: owner.token },
    );
    expect(watch.status).toBe(200);
    const token = await http().post(
      `${ws}/listening/inbound-tokens`,
      { name: 'Brandwatch' },
      { token: owner.token },
    );

    // A cheerful post due in a few seconds, in review (signed off below, whenever the storm is noticed).
    const cheerful = await draft(http(), owner.token, owner.workspaceId, {
      channelId: ch.id,
      text: 'Happy hour starts now!',
      scheduledAt: new Date(Date.now() + 8000).toISOString(),
    });
    await http().post(`${ws}/posts/${cheerful.id}/submit`, undefined, { token: owner.token });

    // The storm: 60 angry mentions in two minutes, in two signed batches (40 make a spike: the first batch alone is none).
    const path = new URL(token.body.url as string).pathname;
    for (let batch = 0; batch < 2; batch += 1) {
      const body = JSON.stringify({
        mentions: Array.from({ length: 30 }, (_, i) => ({
          network: 'mastodon',
          externalId: `storm-${batch}-${i}`,
          author: { handle: `@angry${i}@social.example` },
          text: 'This is awful, the worst coffee ever. I hate this brand.',
          createdAt: new Date(Date.now() - (batch * 30 + i) * 1500).toISOString(),
        })),
      });
      const id = `msg_${randomUUID()}`;
      const at = new Date();
      const sent = await http().request('POST', path, {
        body,
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(token.body.secret as string).sign(id, at, body),
        },
      });
      expect(sent.body).toMatchObject({ stored: 30 });
    }

    const paused = await waitFor(
      async () => {
        const w = await http().get(ws, { token: owner.token });
        return w.body.paused ? w.body : undefined;
      },
      { what: 'the workspace paused by the spike watch' },
    );
    expect(paused.pausedReason).toMatch(/^mention spike: 60 in 10 min \(baseline 2\)$/);
    const audit = await http().get(`${ws}/audit`, { token: owner.token });
    const spike = audit.body.items.find((e: { action: string }) => e.action === 'listening.spike');
    expect(spike).toMatchObject({
      actor: { kind: 'system' },
      after: { count: 60, windowMinutes: 10, baseline: 2, action: 'pause' },
    });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('workspace.paused');

    const mail = await waitFor(
      () => world.smtp.to(admin.email).find((m) => /Mention spike/.test(m.subject ?? '')),
      {
        what: 'the spike mail',
      },
    );
    expect(mail.subject).toBe('Mention spike in Acme Coffee: 60 in 10 min (publishing paused)');
    expect(mail.text).toMatch(/@angry\d+@social\.example: "This is awful/);
    // The last hours as a chart, inline: a PNG (webmail shows no SVG) the HTML points at.
    const chart = mail.attachments.find((a) => a.cid === 'mention-chart');
    expect(chart?.contentType).toBe('image/png');
    expect(chart!.content.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(chart!.content.length).toBeGreaterThan(5000);
    // (mailparser puts the image the cid: names in its place: the link resolved)
    expect(mail.html).toMatch(/<img src="data:image\/png;base64,[^"]+" alt="Mentions per 5 minutes/);
    const stats = await http().get(`${ws}/mentions/stats?bucket=5m`, { token: owner.token });
    expect(stats.body.spikes).toEqual([
      expect.objectContaining({ count: 60, windowMinutes: 10, baseline: 2 }),
    ]);
    expect(stats.body.buckets.filter((b: { spike: boolean }) => b.spike)).toHaveLength(1);
    await receiver.until(() => receiver.received.some((r) => r.body?.type === 'listening.spike'));
    expect(receiver.received.find((r) => r.body?.type === 'listening.spike')!.body).toMatchObject({
      workspaceId: owner.workspaceId,
      after: { count: 60, action: 'pause' },
    });

    // Signed off now, the cheerful post falls due during the pause: blocked, not published.
    const signed = await http().post(
      `${ws}/posts/${cheerful.id}/approvals`,
      { decision: 'approve', version: 1 },
      { token: approver.token },
    );
    expect(signed.body.status).toBe('approved');
    const blocked = await waitFor(
      async () => {
        const p = await http().get(`${ws}/posts/${cheerful.id}`, { token: owner.token });
        return p.body.status === 'blocked' ? p.body : undefined;
      },
      { what: 'the cheerful post blocked', timeoutMs: 20_000 },
    );
    expect(blocked.outcome.reasons).toEqual([{ code: 'workspace_paused' }]);

    // The apology answers the loudest mention (as read from the channel), on the emergency
    // workflow: it goes out once its senior sign-off is given, paused or not.
    const {
      rows: [loudest],
    } = await world.db.query<{ id: string }>(
      `UPDATE mentions SET channel_id = $2, reply_ref = '{"network":"mastodon","statusId":"109"}'
        WHERE workspace_id = $1 AND external_id = 'storm-0-0' RETURNING id`,
      [owner.workspaceId, ch.id],
    );
    const apology = await http().post(
      `${ws}/mentions/${loudest.id}/reply`,
      {
        text: 'We hear you. We are sorry, and here is what we are doing about it.',
        workflowId: crisis.body.id,
      },
      { token: owner.token },
    );
    expect(apology.body).toMatchObject({ status: 'draft', replyToMentionId: loudest.id });
    const answering = await http().get(`${ws}/mentions/${loudest.id}`, { token: owner.token });
    expect(answering.body).toMatchObject({ authorHandle: '@angry0@social.example', canReply: true });
    await http().post(`${ws}/posts/${apology.body.id}/submit`, undefined, { token: owner.token });
    // The senior signs off from the mail, with what the reply answers shown beside it.
    const request = await waitFor(
      () =>
        world.smtp
          .to(admin.email)
          .find((m) => /Please review/.test(m.subject ?? '') && /We hear you/.test(m.text ?? '')),
      { what: 'the review request for the apology' },
    );
    const link = /https:\/\/countersign\.example(\/review\/[A-Za-z0-9_-]{43})/.exec(request.text ?? '')![1];
    const page = await http().get(link);
    expect(page.text).toMatch(
      /A reply to <strong>@angry0@social\.example<\/strong>, who wrote:<\/p><blockquote>This is awful, the worst coffee ever\. I hate this brand\.<\/blockquote>/,
    );
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1];
    const decided = await http().request('POST', link, {
      body: new URLSearchParams({ decision: 'approve', csrf }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(decided.status).toBe(200);
    expect(
      (await http().post(`${ws}/posts/${apology.body.id}/publish-now`, undefined, { token: owner.token }))
        .status,
    ).toBe(202);
    await waitFor(
      async () =>
        (await http().get(`${ws}/posts/${apology.body.id}`, { token: owner.token })).body.status ===
          'published' || undefined,
      { what: 'the apology published' },
    );
    const answered = await http().get(`${ws}/mentions?limit=100`, { token: owner.token });
    expect(answered.body.items.find((m: { id: string }) => m.id === loudest.id).repliedAt).not.toBeNull();
  });
});
