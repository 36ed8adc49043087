import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { chromium, type Browser } from 'playwright-core';
import { approverWorkflow, channel, draft, memberWithRole, signUp } from './support/factories';
import { SmtpSink } from './support/smtp-sink';
import { startApi, startWorker, testConfig, type TestApi } from './support/test-app';
import { waitFor } from './support/wait-for';

const ARTIFACTS = resolve(__dirname, '../test-artifacts');

/** A person in a real browser (Debian's chromium): open the link from the mail, read, approve. */
describe('The review page in a browser', () => {
  let smtp: SmtpSink;
  let api: TestApi;
  let worker: INestApplicationContext;
  let browser: Browser;

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    const config = await testConfig({
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://countersign.example',
      WORKER_METRICS_PORT: '0',
    });
    api = await startApi(config);
    worker = await startWorker(config);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  // Each part is stopped if it started: when chromium cannot launch, the test fails
  // with that error instead of leaving the app's handles open (and Jest running).
  afterAll(async () => {
    await (browser as Browser | undefined)?.close();
    await worker?.close();
    await api?.close();
    await smtp?.stop();
  });

  it('shows the post, takes the approval from the button, and says so', async () => {
    const owner = await signUp(api.http);
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const approver = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
    await approverWorkflow(api.http, owner.token, owner.workspaceId, { stage: 'Brand' });
    const ch = await channel(api.http, owner.token, owner.workspaceId, { name: 'Acme on X' });
    const post = await draft(api.http, owner.token, owner.workspaceId, {
      channelId: ch.id,
      text: 'Our spring menu is here <b>today</b>',
    });
    await api.http.post(`${ws}/posts/${post.id}/submit`, undefined, { token: owner.token });
    const [mail] = await waitFor(
      () => (smtp.to(approver.email).length > 0 ? smtp.to(approver.email) : undefined),
      {
        what: 'the review mail',
      },
    );
    const path = /https:\/\/countersign\.example(\/review\/[A-Za-z0-9_-]{43})/.exec(mail.text ?? '')?.[1];
    expect(path).toBeDefined();

    const page = await browser.newPage();
    await page.goto(new URL(path!, api.http.baseUrl).toString());
    await expect(page.locator('.post').innerText()).resolves.toBe('Our spring menu is here <b>today</b>');
    await expect(page.locator('h1').innerText()).resolves.toContain('Brand');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForSelector('text=Approved');
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'review-approved.png'), fullPage: true });
    await page.close();

    expect((await api.http.get(`${ws}/posts/${post.id}`, { token: owner.token })).body.status).toBe(
      'approved',
    );
  });
});
