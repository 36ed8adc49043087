import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { approverWorkflow, channel, draft, memberWithRole, signUp } from './support/factories';
import { MEMBER_ADDED_MAIL, SmtpSink } from './support/smtp-sink';
import { startApi, startWorker, testConfig, type TestApi } from './support/test-app';
import { waitFor } from './support/wait-for';

const ARTIFACTS = resolve(__dirname, '../test-artifacts');
// A 2x2 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

/** A person in a real browser (Debian's chromium): open the link from the mail, read, approve. */
describe('The review page in a browser', () => {
  let smtp: SmtpSink;
  let api: TestApi;
  let worker: INestApplicationContext;
  let browser: Browser;
  let media: Server;
  let mediaBase = '';

  beforeAll(async () => {
    smtp = await new SmtpSink(MEMBER_ADDED_MAIL).start();
    // Where the posts' media live: a real server the browser loads them from.
    media = createServer((req, res) => {
      if (!req.url?.endsWith('.png')) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    });
    await new Promise<void>((r) => media.listen(0, '127.0.0.1', r));
    mediaBase = `http://127.0.0.1:${(media.address() as { port: number }).port}`;
    const config = await testConfig({
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://countersign.example',
      WORKER_METRICS_PORT: '0',
    });
    api = await startApi(config);
    worker = await startWorker(config);
    browser = await launchBrowser();
  });
  // Each part is stopped if it started: when chromium cannot launch, the test fails
  // with that error instead of leaving the app's handles open (and Jest running).
  afterAll(async () => {
    await (browser as Browser | undefined)?.close();
    await worker?.close();
    await api?.close();
    await smtp?.stop();
    await new Promise((r) => media?.close(r));
  });

  /** The path of the review link in the latest mail to `email` that has one for `version`. */
  const reviewPath = async (email: string, count: number) => {
    const mails = await waitFor(() => (smtp.to(email).length >= count ? smtp.to(email) : undefined), {
      what: `review mail ${count}`,
    });
    const text = mails[count - 1].text ?? '';
    return { text, path: /https:\/\/countersign\.example(\/review\/[A-Za-z0-9_-]{43})/.exec(text)?.[1] };
  };

  it('shows every media item and the link, and what changed in them since the last version', async () => {
    const owner = await signUp(api.http);
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const approver = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
    await approverWorkflow(api.http, owner.token, owner.workspaceId);
    const ch = await channel(api.http, owner.token, owner.workspaceId);
    const photo = `${mediaBase}/menu.png`;
    const clip = `${mediaBase}/teaser.mp4`;
    const post = await draft(api.http, owner.token, owner.workspaceId, {
      channelId: ch.id,
      text: 'Spring menu',
      mediaUrls: [photo, clip],
      link: 'https://shop.example/spring',
    });
    await api.http.post(`${ws}/posts/${post.id}/submit`, undefined, { token: owner.token });
    const first = await reviewPath(approver.email, 1);
    expect(first.text).toContain(photo);
    expect(first.text).toContain('https://shop.example/spring');

    const page = await browser.newPage();
    await page.goto(new URL(first.path!, api.http.baseUrl).toString());
    const img = page.locator('.media img');
    await expect(img.getAttribute('src')).resolves.toBe(photo);
    // Loaded, within the page's content security policy.
    await waitFor(
      async () =>
        (await img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)) > 0
          ? true
          : undefined,
      { what: 'the image to load' },
    );
    await expect(page.getByRole('link', { name: 'Video' }).getAttribute('href')).resolves.toBe(clip);
    await expect(page.locator('.link').innerText()).resolves.toContain('https://shop.example/spring');

    // A media- and link-only edit: no text changed, and the page says what did.
    const second = `${mediaBase}/menu-2.png`;
    const edited = await api.http.patch(
      `${ws}/posts/${post.id}`,
      { mediaUrls: [photo, second], link: 'https://shop.example/summer' },
      { token: owner.token, headers: { 'if-match': '"1"' } },
    );
    expect(edited.body.version).toBe(2);
    const next = await reviewPath(approver.email, 2);
    await page.goto(new URL(next.path!, api.http.baseUrl).toString());
    await expect(page.locator('h2').first().innerText()).resolves.toBe('What changed since version 1');
    await expect(page.locator('.media.added img').getAttribute('src')).resolves.toBe(second);
    await expect(page.locator('.media.removed a').getAttribute('href')).resolves.toBe(clip);
    await expect(page.locator('.link-change').innerText()).resolves.toBe(
      'Link: https://shop.example/spring → https://shop.example/summer',
    );
    await expect(page.locator('.text-changes').count()).resolves.toBe(0);
    // A comment from the page: the team's by default for the brand's people; the link stays good.
    await page.locator('#comment-body').fill('The second photo is darker');
    await page.getByRole('button', { name: 'Comment' }).click();
    await page.waitForSelector('.notice');
    await expect(page.locator('.comment .body').allInnerTexts()).resolves.toEqual([
      'The second photo is darker',
    ]);
    await expect(page.locator('.comment .meta').first().innerText()).resolves.toMatch(/team only/);
    await expect(page.getByRole('button', { name: 'Approve' }).isVisible()).resolves.toBe(true);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'review-media-changes.png'), fullPage: true });
    await page.close();
  });

  it('shows the content warning, audience and language, and a wider audience after approval as a change to sign off again', async () => {
    const owner = await signUp(api.http);
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const approver = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
    await approverWorkflow(api.http, owner.token, owner.workspaceId);
    const ch = await channel(api.http, owner.token, owner.workspaceId, { network: 'mastodon' });
    const post = await draft(api.http, owner.token, owner.workspaceId, {
      channelId: ch.id,
      text: 'Staff party moved to Friday',
      contentWarning: 'Internal news',
      visibility: 'private',
      language: 'en-GB',
    });
    await api.http.post(`${ws}/posts/${post.id}/submit`, undefined, { token: owner.token });
    const page = await browser.newPage();
    await page.goto(new URL((await reviewPath(approver.email, 1)).path!, api.http.baseUrl).toString());
    await expect(page.locator('.content-warning').innerText()).resolves.toBe(
      'Folded behind the content warning: Internal news',
    );
    await expect(page.locator('.audience').innerText()).resolves.toBe(
      'Seen by: followers only (private) · language: en',
    );
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForSelector('text=Approved');
    expect((await api.http.get(`${ws}/posts/${post.id}`, { token: owner.token })).body.status).toBe(
      'approved',
    );

    // Widening the audience is a new version: the sign-off does not carry over.
    const widened = await api.http.patch(
      `${ws}/posts/${post.id}`,
      { visibility: 'public', contentWarning: null },
      { token: owner.token, headers: { 'if-match': '"1"' } },
    );
    expect(widened.body).toMatchObject({
      status: 'in_review',
      version: 2,
      visibility: 'public',
      contentWarning: null,
    });
    await page.goto(new URL((await reviewPath(approver.email, 2)).path!, api.http.baseUrl).toString());
    await expect(page.locator('.shown-with-change').allInnerTexts()).resolves.toEqual([
      'Content warning: Internal news → none',
      'Visibility: private → public',
    ]);
    await expect(page.locator('.audience').innerText()).resolves.toBe(
      'Seen by: everyone (public) · language: en',
    );
    await page.close();
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

  it('says who is reviewing, which stage of how many, what comes next, and keeps the form on a refusal', async () => {
    const owner = await signUp(api.http);
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const legal = await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
    const brand = await memberWithRole(api.http, owner.token, owner.workspaceId, 'editor');
    const workflow = await api.http.post(
      `${ws}/workflows`,
      {
        name: 'Legal then brand',
        isDefault: true,
        stages: [
          { name: 'Legal', approvers: { userIds: [legal.userId] }, required: 1 },
          { name: 'Brand', approvers: { userIds: [brand.userId] }, required: 1 },
        ],
      },
      { token: owner.token },
    );
    expect(workflow.status).toBe(201);
    const ch = await channel(api.http, owner.token, owner.workspaceId);
    const post = await draft(api.http, owner.token, owner.workspaceId, {
      channelId: ch.id,
      text: 'Two stages',
    });
    await api.http.post(`${ws}/posts/${post.id}/submit`, undefined, { token: owner.token });
    const { path } = await reviewPath(legal.email, 1);

    const page = await browser.newPage();
    await page.goto(new URL(path!, api.http.baseUrl).toString());
    await expect(page.locator('.reviewer').innerText()).resolves.toBe(
      `Reviewing as A approver (${legal.email}) · stage 1 of 2`,
    );
    await expect(page.locator('.next').innerText()).resolves.toBe(
      'Yours completes this stage; then "Brand" signs off (stage 2).',
    );
    // The first round has nothing to compare with.
    await expect(page.locator('text=What changed').count()).resolves.toBe(0);

    // Request changes without saying which: answered on the page, the link still good.
    await page.getByRole('button', { name: 'Request changes' }).click();
    await page.waitForSelector('.error');
    await expect(page.locator('.error').innerText()).resolves.toMatch(/comment/i);
    await expect(page.locator('h1').innerText()).resolves.toBe('Review: Legal');
    await page.fill('#comment', 'Wrong price');
    await page.getByRole('button', { name: 'Request changes' }).click();
    await page.waitForSelector('text=Changes requested');
    await page.close();
    expect((await api.http.get(`${ws}/posts/${post.id}`, { token: owner.token })).body.status).toBe(
      'changes_requested',
    );
  });
});
