import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { startApi, startWorker, testConfig, type TestApi } from './support/test-app';

const ROOT = resolve(__dirname, '..');

/** The README's five-minute tour, exactly as written but for the API's address and the mail folder. */
function tourScript(apiUrl: string, mailDir: string): string {
  const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## A five-minute tour'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('the README has no tour block');
  if (!block.startsWith('API=http://localhost:3000\n')) throw new Error('the tour must start with API=');
  return [
    'set -euo pipefail',
    // A refusal fails the run (and says what the API answered), as it would stop a reader.
    'curl() { command curl --fail-with-body --show-error --max-time 10 "$@"; }',
    block.replace('API=http://localhost:3000', `API=${apiUrl}`).replaceAll('var/mail', mailDir),
    'echo "TOUR_POST=$POST"',
  ].join('\n');
}

function run(script: string, timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn('bash', ['-c', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

describe("The README's tour", () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let mailDir: string;
  beforeAll(async () => {
    // Mail as `npm start` writes it without SMTP_URL, to a folder of this run's own.
    mailDir = mkdtempSync(join(tmpdir(), 'countersign-tour-mail-'));
    const config = await testConfig({ MAIL_DIR: mailDir });
    api = await startApi(config);
    worker = await startWorker(config);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  it('runs as written, from sign-up to a published post and a verified audit log', async () => {
    const { code, out } = await run(tourScript(api.http.baseUrl, mailDir), 60_000);
    expect([code, out]).toEqual([0, expect.stringMatching(/ok: \d+ events, chain intact/)]);
    expect(out).toContain('"approved"');
    const postId = /TOUR_POST=([0-9a-f-]{36})/.exec(out)?.[1];
    const login = await api.http.post('/v1/auth/login', {
      email: 'maya@brand.example',
      password: 'a long passphrase',
    });
    const me = await api.http.get('/v1/me', { token: login.body.accessToken });
    const ws = me.body.memberships[0].workspace;
    expect(ws.paused).toBe(true);
    const post = await api.http.get(`/v1/workspaces/${ws.id}/posts/${postId}`, {
      token: login.body.accessToken,
    });
    expect({ status: post.body.status, local: post.body.scheduledAtLocal }).toEqual({
      status: 'published',
      // publish-now moved it to now; shown in the workspace's zone, Paris
      local: expect.stringMatching(/\+0[12]:00$/),
    });
  }, 90_000);
});
