import type { INestApplicationContext } from '@nestjs/common';
import { MAILED_ACTIONS } from '@app/domain';
import { Client } from 'pg';
import { PublishingLoad } from '../apps/worker/src/publishing/publishing-load';
import { Reminders } from '../apps/worker/src/notifications/reminders';
import { approverWorkflow, channel, draft, memberWithRole, signUp } from './support/factories';
import { MEMBER_ADDED_MAIL, SmtpSink } from './support/smtp-sink';
import { startApi, startWorker, testConfig, type TestApi } from './support/test-app';
import { waitFor } from './support/wait-for';

describe('Mail', () => {
  let smtp: SmtpSink;
  let api: TestApi;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    smtp = await new SmtpSink(MEMBER_ADDED_MAIL).start();
    const config = await testConfig({
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://countersign.example',
      PUBLISH_RETRY_BASE_MS: '100',
      WORKER_METRICS_PORT: '0',
    });
    api = await startApi(config);
    worker = await startWorker(config);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await smtp.stop();
  });

  describe('E-mail notifications', () => {
    it('writes a mail outbox row for exactly the actions of the NOTIFICATIONS table, and for no other', async () => {
      const db = new Client({ connectionString: api.config.databaseUrl });
      await db.connect();
      try {
        const triggers = await db.query<{ name: string; body: string }>(
          `SELECT t.tgname AS name, pg_get_functiondef(t.tgfoid) AS body
             FROM pg_trigger t WHERE t.tgrelid = 'audit_events'::regclass AND NOT t.tgisinternal`,
        );
        const mailing = triggers.rows.filter((t) => t.body.includes("'mail.notify'"));
        expect(mailing.map((t) => t.name)).toEqual(['audit_events_to_mail']);
        const list = /action IN \(([^)]*)\)/.exec(mailing[0].body)?.[1] ?? '';
        const actions = [...list.matchAll(/'([^']+)'/g)].map((m) => m[1]);
        expect(actions.sort()).toEqual([...MAILED_ACTIONS].sort());
      } finally {
        await db.end();
      }
    });

    it('sends mail that behaves like mail: automatic, our Message-ID, subjects that name the post', async () => {
      const owner = await signUp(api.http, { timezone: 'Europe/Paris', workspaceName: 'Acme Coffee' });
      const ws = `/v1/workspaces/${owner.workspaceId}`;
      const author = await memberWithRole(api.http, owner.token, owner.workspaceId, 'editor');
      const approver = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
      await approverWorkflow(api.http, owner.token, owner.workspaceId);
      const ch = await channel(api.http, owner.token, owner.workspaceId, {
        name: 'Acme on LinkedIn',
        network: 'linkedin',
      });
      const post = await draft(api.http, author.token, owner.workspaceId, {
        channelId: ch.id,
        text: 'Spring menu is here, with fresh asparagus and a new dessert for everyone',
        scheduledAt: '2027-03-28T09:30',
      });
      await api.http.post(`${ws}/posts/${post.id}/submit`, undefined, { token: author.token });
      const [request] = await waitFor(
        () => (smtp.to(approver.email).length > 0 ? smtp.to(approver.email) : undefined),
        {
          what: 'the review request',
        },
      );
      expect(request.subject).toBe(
        'Please review: "Spring menu is here, with fresh…" · Acme on LinkedIn (linkedin) · Sun 28 Mar 2027, 09:30 (Europe/Paris) (Acme Coffee)',
      );
      expect(request.headers.get('auto-submitted')).toBe('auto-generated');
      expect(request.messageId).toMatch(
        new RegExp(`^<countersign\\.[^@]+@${new URL(api.config.publicUrl).hostname}>$`),
      );

      await api.http.post(
        `${ws}/posts/${post.id}/approvals`,
        { decision: 'reject', version: 1, comment: 'Wrong price' },
        { token: approver.token },
      );
      const [rejected] = await waitFor(
        () => (smtp.to(author.email).length > 0 ? smtp.to(author.email) : undefined),
        {
          what: 'the changes-requested mail',
        },
      );
      expect(rejected.subject).toMatch(
        /^Changes requested on your post: "Spring menu is here, with fresh…" · Acme on LinkedIn \(linkedin\) · Sun 28 Mar 2027, 09:30 \(Europe\/Paris\) \(Acme Coffee\)$/,
      );
      expect(rejected.text).toContain('Scheduled for Sun 28 Mar 2027, 09:30 (Europe/Paris)');
      expect(rejected.headers.get('auto-submitted')).toBe('auto-generated');
      expect(rejected.messageId).not.toBe(request.messageId);
    });

    it('tells the author about requested changes, once, with the post text escaped in the HTML', async () => {
      const owner = await signUp(api.http);
      const ws = `/v1/workspaces/${owner.workspaceId}`;
      const author = await memberWithRole(api.http, owner.token, owner.workspaceId, 'editor');
      const approver = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
      await approverWorkflow(api.http, owner.token, owner.workspaceId);
      const ch = await channel(api.http, owner.token, owner.workspaceId, { network: 'linkedin' });
      const post = await draft(api.http, author.token, owner.workspaceId, {
        channelId: ch.id,
        text: 'Hello <script>alert("x")</script> world',
      });
      await api.http.post(`${ws}/posts/${post.id}/submit`, undefined, { token: author.token });
      await api.http.post(
        `${ws}/posts/${post.id}/approvals`,
        { decision: 'reject', version: 1, comment: 'Wrong price' },
        { token: approver.token },
      );

      const [mail] = await waitFor(
        () => (smtp.to(author.email).length > 0 ? smtp.to(author.email) : undefined),
        {
          what: 'the changes-requested mail',
        },
      );
      expect(mail.subject).toMatch(/Changes requested/);
      expect(mail.text).toContain('Wrong price');
      expect(mail.text).toContain('<script>alert("x")</script>');
      expect(mail.html).toContain('&lt;script&gt;');
      expect(mail.html).not.toContain('<script>');
      // The approver was asked to review (the stage opened), not told about the outcome.
      expect(smtp.to(approver.email).every((m) => /Please review/.test(m.subject ?? ''))).toBe(true);

      // Once: the database records one message for the author and this event (marked sent after the SMTP reply).
      const db = new Client({ connectionString: api.config.databaseUrl });
      await db.connect();
      const rows = await waitFor(
        async () => {
          const { rows: found } = await db.query(
            `SELECT status FROM mail_messages WHERE workspace_id = $1 AND recipient_user_id = $2`,
            [owner.workspaceId, author.userId],
          );
          return found.every((r: { status: string }) => r.status === 'sent') ? found : undefined;
        },
        { what: 'the message marked sent' },
      ).finally(() => db.end());
      expect(rows).toEqual([{ status: 'sent' }]);
      expect(smtp.to(author.email)).toHaveLength(1);
    });

    it('tells the owners and admins, and only them, when publishing is paused', async () => {
      const owner = await signUp(api.http);
      const admin = await memberWithRole(api.http, owner.token, owner.workspaceId, 'admin');
      const editor = await memberWithRole(api.http, owner.token, owner.workspaceId, 'editor');
      await api.http.post(
        `/v1/workspaces/${owner.workspaceId}/pause`,
        { reason: 'Suspected hack' },
        { token: owner.token },
      );
      await waitFor(
        () => (smtp.to(owner.email).length > 0 && smtp.to(admin.email).length > 0 ? true : undefined),
        {
          what: 'the pause mails',
        },
      );
      expect(smtp.to(admin.email)[0].subject).toMatch(/Publishing is paused/);
      expect(smtp.to(admin.email)[0].text).toContain('Suspected hack');
      expect(smtp.to(editor.email)).toHaveLength(0);
    });

    it('holds mail in the outbox while a burst of publishes runs, and sends it once the burst has passed', async () => {
      const load = worker.get(PublishingLoad);
      let slots = 0;
      const db = new Client({ connectionString: api.config.databaseUrl });
      await db.connect();
      try {
        for (; !load.busy; slots += 1) load.begin();
        const owner = await signUp(api.http);
        await api.http.post(
          `/v1/workspaces/${owner.workspaceId}/pause`,
          { reason: 'Hold' },
          { token: owner.token },
        );
        // A message written after the mail: once the relay has moved it, the relay has been past the mail.
        const marker = await db.query<{ id: string }>(
          `INSERT INTO outbox (topic, payload) VALUES ('publish.unschedule', jsonb_build_object('postId', gen_random_uuid(), 'version', 1))
           RETURNING id`,
        );
        await waitFor(
          async () =>
            (await db.query('SELECT 1 FROM outbox WHERE id = $1', [marker.rows[0].id])).rowCount === 0 ||
            undefined,
          { what: 'the relay to move the later message' },
        );
        const held = await db.query(
          `SELECT 1 FROM outbox WHERE topic = 'mail.notify' AND payload->>'workspaceId' = $1`,
          [owner.workspaceId],
        );
        expect(held.rowCount).toBe(1);
        expect(smtp.to(owner.email)).toHaveLength(0);

        for (; slots > 0; slots -= 1) load.end();
        const [mail] = await waitFor(
          () => (smtp.to(owner.email).length > 0 ? smtp.to(owner.email) : undefined),
          {
            what: 'the pause mail after the burst',
          },
        );
        expect(mail.subject).toMatch(/Publishing is paused/);
      } finally {
        for (; slots > 0; slots -= 1) load.end();
        await db.end();
      }
    });
  });

  describe('Approving from e-mail', () => {
    const linkIn = (text: string | undefined): string => {
      const match = /https:\/\/countersign\.example(\/review\/[A-Za-z0-9_-]{43})/.exec(text ?? '');
      if (!match) throw new Error(`no review link in: ${text}`);
      return match[1];
    };
    const csrfIn = (html: string): string => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const form = (fields: Record<string, string>) => ({
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const mailsTo = (email: string, count: number) =>
      waitFor(() => (smtp.to(email).length >= count ? smtp.to(email) : undefined), {
        what: `${count} mail(s) to ${email}`,
      });

    it('walks two stages from e-mail alone, the last by an outside reviewer without a password', async () => {
      const owner = await signUp(api.http);
      const ws = `/v1/workspaces/${owner.workspaceId}`;
      const author = await memberWithRole(api.http, owner.token, owner.workspaceId, 'editor');
      const legal = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
      const clientEmail = `client-${Date.now()}@brand.example`;
      const client = await api.http.post(
        `${ws}/members`,
        { email: clientEmail, name: 'The Client', role: 'reviewer' },
        { token: owner.token },
      );
      await api.http.post(
        `${ws}/workflows`,
        {
          name: 'Legal then client',
          isDefault: true,
          stages: [
            { name: 'Legal', approvers: { roles: ['approver'] }, required: 1 },
            { name: 'Client', approvers: { userIds: [client.body.userId] }, required: 1 },
          ],
        },
        { token: owner.token },
      );
      const ch = await channel(api.http, owner.token, owner.workspaceId, { network: 'linkedin' });
      const post = await draft(api.http, author.token, owner.workspaceId, {
        channelId: ch.id,
        text: 'Spring menu <script>alert(1)</script> is here',
      });
      await api.http.post(`${ws}/posts/${post.id}/submit`, undefined, { token: author.token });

      const [legalMail] = await mailsTo(legal.email, 1);
      expect(smtp.to(clientEmail)).toHaveLength(0);
      expect(legalMail.html).toContain('&lt;script&gt;');
      const legalLink = linkIn(legalMail.text);

      // Reading changes nothing and uses nothing up, however often.
      let page = await api.http.get(legalLink);
      for (let i = 0; i < 4; i++) page = await api.http.get(legalLink);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(page.text).toContain('Spring menu &lt;script&gt;alert(1)&lt;/script&gt; is here');
      expect(page.text).not.toContain('<script>');
      expect((await api.http.get(`${ws}/posts/${post.id}`, { token: owner.token })).body.status).toBe(
        'in_review',
      );

      // No CSRF token, no decision.
      const noCsrf = await api.http.request('POST', legalLink, form({ decision: 'approve' }));
      expect(noCsrf.status).toBe(403);

      const approved = await api.http.request(
        'POST',
        legalLink,
        form({ decision: 'approve', csrf: csrfIn(page.text) }),
      );
      expect(approved.status).toBe(200);
      expect(approved.text).toMatch(/Approved/);
      // Single use.
      expect((await api.http.get(legalLink)).status).toBe(410);
      // A tampered token names nothing.
      expect(
        (await api.http.get(`${legalLink.slice(0, -1)}${legalLink.endsWith('A') ? 'B' : 'A'}`)).status,
      ).toBe(404);

      // Stage 2 opens: the outside reviewer finishes it from the mail alone.
      const [clientMail] = await mailsTo(clientEmail, 1);
      const clientLink = linkIn(clientMail.text);
      const clientPage = await api.http.get(clientLink);
      expect(clientPage.text).toMatch(/Signed off so far|No sign-offs yet/);
      const done = await api.http.request(
        'POST',
        clientLink,
        form({ decision: 'approve', csrf: csrfIn(clientPage.text) }),
      );
      expect(done.status).toBe(200);
      const final = await api.http.get(`${ws}/posts/${post.id}`, { token: owner.token });
      expect(final.body.status).toBe('approved');
      // Each link acted for its own approver, and no one else.
      expect(final.body.review.decisions.map((d: any) => [d.userId, d.via])).toEqual([
        [legal.userId, 'email'],
        [client.body.userId, 'email'],
      ]);
    });

    it('refuses a form field sent twice on the page itself, and the link still works', async () => {
      const owner = await signUp(api.http);
      const ws = `/v1/workspaces/${owner.workspaceId}`;
      const approver = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
      await approverWorkflow(api.http, owner.token, owner.workspaceId);
      const ch = await channel(api.http, owner.token, owner.workspaceId);
      const post = await draft(api.http, owner.token, owner.workspaceId, { channelId: ch.id, text: 'Twice' });
      await api.http.post(`${ws}/posts/${post.id}/submit`, undefined, { token: owner.token });
      const [mail] = await mailsTo(approver.email, 1);
      const link = linkIn(mail.text);
      const csrf = csrfIn((await api.http.get(link)).text);
      const twice = await api.http.request('POST', link, {
        body: `csrf=${encodeURIComponent(csrf)}&decision=reject&comment=one&comment=two`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(twice.status).toBe(400);
      expect(twice.text).toContain('comment: must be sent once, as text');
      expect(twice.text).toContain('name="csrf"');
      const once = await api.http.request('POST', link, form({ decision: 'reject', comment: 'Once', csrf }));
      expect(once.status).toBe(200);
      expect((await api.http.get(`${ws}/posts/${post.id}`, { token: owner.token })).body.status).toBe(
        'changes_requested',
      );
    });

    it('throttles guessing at review links, per link', async () => {
      const guess = `/review/${'g'.repeat(43)}`;
      const statuses: number[] = [];
      // 20 a minute per link: within 45 tries a 429 comes, even if a minute turns over.
      while (statuses.length < 45 && !statuses.includes(429))
        statuses.push((await api.http.get(guess)).status);
      expect(statuses).toContain(429);
      expect(statuses.filter((s) => s === 404).length).toBeGreaterThanOrEqual(20);
      expect(statuses.every((s) => s === 404 || s === 429)).toBe(true);
    });

    it('reminds approvers before the time and tells the admins, once however often the job runs', async () => {
      const owner = await signUp(api.http);
      const ws = `/v1/workspaces/${owner.workspaceId}`;
      const approver = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
      await approverWorkflow(api.http, owner.token, owner.workspaceId, { stage: 'Brand' });
      const ch = await channel(api.http, owner.token, owner.workspaceId);
      // 30 minutes ahead: inside the 24 h and 2 h reminder leads and the 1 h escalation lead.
      const post = await draft(api.http, owner.token, owner.workspaceId, {
        channelId: ch.id,
        scheduledAt: new Date(Date.now() + 30 * 60_000).toISOString(),
      });
      await api.http.post(`${ws}/posts/${post.id}/submit`, undefined, { token: owner.token });
      await mailsTo(approver.email, 1);

      const reminders = worker.get(Reminders);
      await reminders.run();
      await reminders.run();
      const toApprover = await mailsTo(approver.email, 2);
      expect(toApprover.filter((m) => /^Reminder/.test(m.subject ?? ''))).toHaveLength(1);
      const reminderLink = linkIn(toApprover.find((m) => /^Reminder/.test(m.subject ?? ''))?.text);
      expect((await api.http.get(reminderLink)).status).toBe(200);
      const overdue = await waitFor(
        () => {
          const found = smtp.to(owner.email).filter((m) => /without its sign-offs/.test(m.subject ?? ''));
          return found.length > 0 ? found : undefined;
        },
        { what: 'the escalation' },
      );
      expect(overdue).toHaveLength(1);
    });

    it('kills a link when the post changes, and refuses a removed approver', async () => {
      const owner = await signUp(api.http);
      const ws = `/v1/workspaces/${owner.workspaceId}`;
      const a = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
      const b = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
      await approverWorkflow(api.http, owner.token, owner.workspaceId, { required: 2 });
      const ch = await channel(api.http, owner.token, owner.workspaceId);
      const post = await draft(api.http, owner.token, owner.workspaceId, {
        channelId: ch.id,
        text: 'Version one',
      });
      await api.http.post(`${ws}/posts/${post.id}/submit`, undefined, { token: owner.token });
      const linkA = linkIn((await mailsTo(a.email, 1))[0].text);
      const linkB = linkIn((await mailsTo(b.email, 1))[0].text);

      await api.http.delete(`${ws}/members/${b.userId}`, { token: owner.token });
      expect((await api.http.get(linkB)).status).toBe(410);

      await api.http.patch(
        `${ws}/posts/${post.id}`,
        { text: 'Version two' },
        { token: owner.token, headers: { 'if-match': '"1"' } },
      );
      const stale = await api.http.get(linkA);
      expect(stale.status).toBe(410);
      expect(stale.text).toMatch(/changed/);

      // The edit restarts the review: a new link, and the page shows what changed.
      const [, second] = await mailsTo(a.email, 2);
      const fresh = await api.http.get(linkIn(second.text));
      expect(fresh.status).toBe(200);
      expect(fresh.text).toContain('What changed since version 1');
      expect(fresh.text).toMatch(/<del>one<\/del>/);
      expect(fresh.text).toMatch(/<ins>two<\/ins>/);

      // An expired link says so.
      const db = new Client({ connectionString: api.config.databaseUrl });
      await db.connect();
      await db.query(
        `UPDATE review_links SET expires_at = now() - interval '1 minute' WHERE version = 2 AND approver_user_id = $1`,
        [a.userId],
      );
      await db.end();
      const expired = await api.http.get(linkIn(second.text));
      expect(expired.status).toBe(410);
      expect(expired.text).toMatch(/expired/);
    });
  });
});
