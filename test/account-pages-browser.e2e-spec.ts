import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { signUp, uniqueEmail } from './support/factories';
import { startMailWorld, type MailWorld } from './support/mail-world';

const ARTIFACTS = resolve(__dirname, '../test-artifacts');

/** A person in a real browser (Debian's chromium) following the invitation and password reset mails. */
describe('The invitation and password reset pages in a browser', () => {
  let world: MailWorld;
  let browser: Browser;

  beforeAll(async () => {
    world = await startMailWorld();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await (browser as Browser | undefined)?.close();
    await world?.close();
  });

  /** The link of `kind` in the first mail to `email`, on the app under test. */
  const linkIn = async (email: string, kind: 'invite' | 'reset') => {
    const [mail] = await world.mailsTo(email, 1);
    const path = new RegExp(`https://countersign\\.example(/${kind}/[A-Za-z0-9_-]{43})`).exec(
      mail.text ?? '',
    )?.[1];
    if (!path) throw new Error(`no ${kind} link in: ${mail.text}`);
    return `${world.api.http.baseUrl}${path}`;
  };

  it('accepts an invitation: a weak password is answered on the page with the name kept, then a welcome', async () => {
    const owner = await signUp(world.api.http, { workspaceName: 'Acme Bakery' });
    const email = uniqueEmail('browser-invitee');
    await world.api.http.post(
      `/v1/workspaces/${owner.workspaceId}/members`,
      { email, name: 'Lee', role: 'editor' },
      { token: owner.token },
    );
    const link = await linkIn(email, 'invite');

    const page = await browser.newPage();
    try {
      await page.goto(link);
      await page.getByRole('heading', { name: 'Join Acme Bakery' }).waitFor();
      await page.getByLabel('Your name, as the others will see it').fill('Lee Park');
      await page.getByLabel(/Choose a password/).fill('password123');
      await page.getByRole('button', { name: 'Accept the invitation' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toMatch(/too easy to guess/);
      expect(await page.getByLabel('Your name, as the others will see it').inputValue()).toBe('Lee Park');

      await page.getByLabel(/Choose a password/).fill('marmalade on a quiet sunday');
      await page.getByRole('button', { name: 'Accept the invitation' }).click();
      await page.getByRole('heading', { name: 'Welcome to Acme Bakery' }).waitFor();
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'invitation-accepted.png') });

      const login = await world.api.http.post('/v1/auth/login', {
        email,
        password: 'marmalade on a quiet sunday',
      });
      expect(login.status).toBe(200);
      const me = await world.api.http.get('/v1/me', { token: login.body.accessToken });
      expect(me.body.user.name).toBe('Lee Park');
      expect(me.body.memberships).toEqual([
        expect.objectContaining({
          role: 'editor',
          workspace: expect.objectContaining({ name: 'Acme Bakery' }),
        }),
      ]);

      // Back in the history, the link says it is spent.
      const again = await page.goto(link);
      expect(again?.status()).toBe(410);
      expect(await page.textContent('body')).toMatch(/accepted already/);
    } finally {
      await page.close();
    }
  });

  it('resets a password from the mail link', async () => {
    const person = await signUp(world.api.http);
    await world.api.http.post('/v1/auth/password-reset', { email: person.email });
    const link = await linkIn(person.email, 'reset');

    const page = await browser.newPage();
    try {
      await page.goto(link);
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      expect(await page.textContent('body')).toContain(person.email);
      await page.getByLabel(/New password/).fill('lanterns over the harbour');
      await page.getByRole('button', { name: 'Set the password' }).click();
      await page.getByRole('heading', { name: 'Your password is changed' }).waitFor();
      const login = await world.api.http.post('/v1/auth/login', {
        email: person.email,
        password: 'lanterns over the harbour',
      });
      expect(login.status).toBe(200);
    } finally {
      await page.close();
    }
  });
});
