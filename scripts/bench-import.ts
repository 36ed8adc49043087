// npm run bench:import — one API process over a fresh database; imports 10,000 rows
// of CSV as a dry run and for real, ROUNDS times each (each real round into a new
// workspace), and prints rows/s per round and the median.
import { parseArgs } from 'node:util';
import { freshDatabase, machine, startApiProcess } from './bench-support';

const ROWS = 10_000;
// Knobs: npm run bench:import -- --rounds 5
const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const ROUNDS = Number(args.rounds);
const DB = 'countersign_bench_import';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function csv(): string {
  const lines = ['channelName,scheduledAt,text,link,mediaUrls,campaign'];
  for (let i = 0; i < ROWS; i += 1) {
    const day = new Date(Date.now() + (2 + (i % 300)) * 86_400_000).toISOString().slice(0, 10);
    lines.push(
      `${i % 2 ? 'Brand LinkedIn' : 'Brand X'},${day}T09:${String(i % 60).padStart(2, '0')},"Post ${i}: spring menu, new prices and more",https://brand.example/${i},https://cdn.brand.example/${i}.png,`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** What the calls here read of an answer. */
interface ImportAnswer {
  accessToken?: string;
  workspace?: { id: string };
  created?: number;
  failed?: number;
  rows?: Array<{ ok: boolean; errors: unknown[] }>;
}

async function call(url: string, path: string, init: { token?: string; body: string; type: string }) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': init.type, ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.body,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as ImportAnswer;
}

/** A workspace with the two channels the rows name: its path and an owner's token. */
async function workspace(url: string, n: number): Promise<{ ws: string; token: string }> {
  const signed = await call(url, '/v1/auth/signup', {
    type: 'application/json',
    body: JSON.stringify({
      email: `bench-${n}-${Date.now()}@bench.test`,
      password: 'bench-password-Import-2027!',
      name: 'Bench',
      workspaceName: `Import ${n}`,
    }),
  });
  const token = signed.accessToken!;
  const ws = `/v1/workspaces/${signed.workspace!.id}`;
  for (const [name, network] of [
    ['Brand X', 'x'],
    ['Brand LinkedIn', 'linkedin'],
  ]) {
    await call(url, `${ws}/channels`, {
      token,
      type: 'application/json',
      body: JSON.stringify({ name, network, publisher: { kind: 'log' } }),
    });
  }
  return { ws, token };
}

async function main(): Promise<void> {
  console.log(`machine: ${machine()}`);
  const databaseUrl = await freshDatabase(DB);
  const api = await startApiProcess({ DATABASE_URL: databaseUrl, RATE_LIMIT_PER_MINUTE: '100000' });
  try {
    const body = csv();
    console.log(`rows per import: ${ROWS} (${(body.length / 1024 / 1024).toFixed(1)} MB of CSV)`);
    const dry: number[] = [];
    const real: number[] = [];
    const first = await workspace(api.url, 0);
    for (let round = 1; round <= ROUNDS; round += 1) {
      let started = performance.now();
      const checked = await call(api.url, `${first.ws}/posts/import?dryRun=true`, {
        ...first,
        type: 'text/csv',
        body,
      });
      if (checked.failed !== 0)
        throw new Error(`dry run refused rows: ${JSON.stringify(checked.rows?.find((r) => !r.ok))}`);
      dry.push(ROWS / ((performance.now() - started) / 1000));
      const target = await workspace(api.url, round);
      started = performance.now();
      const made = await call(api.url, `${target.ws}/posts/import`, { ...target, type: 'text/csv', body });
      if (made.created !== ROWS) throw new Error(`created ${String(made.created)}`);
      real.push(ROWS / ((performance.now() - started) / 1000));
      console.log(
        `round ${round}: dry run ${dry.at(-1)!.toFixed(0)} rows/s, import ${real.at(-1)!.toFixed(0)} rows/s`,
      );
    }
    console.log('\n| run | median rows/s | min | max |');
    console.log('|---|---:|---:|---:|');
    for (const [name, xs] of [
      ['dry run (check only)', dry],
      ['import (posts, revisions, audit)', real],
    ] as const) {
      console.log(
        `| ${name} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)} | ${Math.max(...xs).toFixed(0)} |`,
      );
    }
  } finally {
    await api.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
