import { spawnSync } from 'node:child_process';
import { Client } from 'pg';
import { signUp, type SignedUp } from './support/factories';
import { startApi, type TestApi } from './support/test-app';

const EVENTS = 100_000;

/**
 * The audit export is the proof of what happened: every event exactly once, in seq
 * order, for a workspace of any size, and the documented verifier catches any line
 * altered, removed or moved, naming the event.
 */
describe('Audit export of a long chain', () => {
  let api: TestApi;
  let owner: SignedUp;
  let lines: string[];
  beforeAll(async () => {
    api = await startApi();
    owner = await signUp(api.http);
    // The chain trigger numbers and hashes each row, as it does for the app's own inserts.
    const db = new Client({ connectionString: api.config.databaseUrl });
    await db.connect();
    try {
      await db.query(
        `INSERT INTO audit_events (workspace_id, seq, actor_kind, action, after, prev_hash, hash)
         SELECT $1, 0, 'system', 'post.created', jsonb_build_object('n', g), '', '' FROM generate_series(1, $2::int) g`,
        [owner.workspaceId, EVENTS],
      );
    } finally {
      await db.end();
    }
    const exported = await api.http.get(`/v1/workspaces/${owner.workspaceId}/audit/export`, {
      token: owner.token,
    });
    expect(exported.status).toBe(200);
    lines = exported.text.trimEnd().split('\n');
  }, 120_000);
  afterAll(() => api.close());

  const verify = (input: string[]) =>
    spawnSync(process.execPath, ['scripts/verify-audit.mjs'], {
      input: `${input.join('\n')}\n`,
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });

  it('exports every event once, in seq order, and the verifier passes', () => {
    const events = lines.slice(0, -1).map((l) => JSON.parse(l) as { seq: string });
    expect(events).toHaveLength(EVENTS);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: EVENTS }, (_, i) => String(i + 1)));
    expect(JSON.parse(lines[lines.length - 1])).toMatchObject({
      end: true,
      firstSeq: '1',
      lastSeq: String(events.length),
      count: events.length,
    });
    const ok = verify(lines);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain(`ok: ${events.length} events, chain intact`);
  });

  it('names the event when a line is altered, removed or moved', () => {
    const at = 54_321; // line index; seq = index + 1
    const without = (i: number) => lines.filter((_, j) => j !== i);
    const last = lines.length - 2;

    const altered = lines.map((l, i) => (i === at ? l.replace('post.created', 'post.deleted') : l));
    expect(verify(altered).stderr).toMatch(new RegExp(`^event ${at + 1}: .*altered`));
    expect(verify(without(at)).stderr).toMatch(new RegExp(`^event ${at + 1}: missing`));
    expect(verify(without(0)).stderr).toMatch(/^event 1: missing/);
    expect(verify(without(last)).stderr).toMatch(new RegExp(`^event ${last + 1}: missing`));
    const swapped = [...lines];
    [swapped[at], swapped[at + 1]] = [swapped[at + 1], swapped[at]];
    expect(verify(swapped).stderr).toMatch(new RegExp(`^event ${at + 1}: missing`));
    expect(verify(lines.slice(0, 1000)).stderr).toMatch(/no end line/);
    for (const tampered of [altered, without(at), without(0), without(last), swapped]) {
      expect(verify(tampered).status).toBe(1);
    }
  });

  it('exports a time range as one unbroken stretch of the chain', async () => {
    const all = lines.slice(0, -1).map((l) => JSON.parse(l) as { seq: string; at: string });
    const from = all[500].at;
    const ranged = await api.http.get(
      `/v1/workspaces/${owner.workspaceId}/audit/export?from=${encodeURIComponent(from)}`,
      { token: owner.token },
    );
    const part = ranged.text.trimEnd().split('\n');
    expect(verify(part).status).toBe(0);
    const seqs = part.slice(0, -1).map((l) => Number((JSON.parse(l) as { seq: string }).seq));
    expect(seqs[seqs.length - 1]).toBe(all.length);
    expect(seqs.every((s, i) => i === 0 || s === seqs[i - 1] + 1)).toBe(true);
  });
});
