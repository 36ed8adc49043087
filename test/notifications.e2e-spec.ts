import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { channel, draft, memberWithRole, signUp } from './support/factories';
import { SmtpSink } from './support/smtp-sink';
import { startApi, startWorker, testConfig, type TestApi } from './support/test-app';
import { waitFor } from './support/wait-for';

describe('E-mail notifications', () => {
  let smtp: SmtpSink;
  let api: TestApi;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    const config = await testConfig({
      SMTP_URL: smtp.url,
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

  it('tells the author about requested changes, once, with the post text escaped in the HTML', async () => {
    const owner = await signUp(api.http);
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const author = await memberWithRole(api.http, owner.token, owner.workspaceId, 'editor');
    const approver = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
    await api.http.post(
      `${ws}/workflows`,
      {
        name: 'W',
        isDefault: true,
        stages: [{ name: 'S', approvers: { roles: ['approver'] }, required: 1 }],
      },
      { token: owner.token },
    );
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
    expect(smtp.to(approver.email)).toHaveLength(0);

    // Once: the database records one message for the author and this event.
    const db = new Client({ connectionString: api.config.databaseUrl });
    await db.connect();
    const { rows } = await db.query(
      `SELECT status FROM mail_messages WHERE workspace_id = $1 AND recipient_user_id = $2`,
      [owner.workspaceId, author.userId],
    );
    await db.end();
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
});
