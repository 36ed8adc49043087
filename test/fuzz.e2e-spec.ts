import { randomUUID } from 'node:crypto';
import { channel, draft, signUp, type SignedUp } from './support/factories';
import { startApi, type TestApi } from './support/test-app';

const REQUESTS = 3000;

/** A small seeded generator: the same requests on every run, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}
type Rng = ReturnType<typeof rng>;
type Schema = Record<string, any>;

const NASTY_STRINGS = [
  'a\u0000b',
  'x\ud800y',
  '\udfff',
  'x'.repeat(70_000),
  '👍🏽 مرحبا 𝕏 \u202e ﷽',
  '',
  ' ',
  'not-a-uuid',
  '2026-13-45T25:61:00Z',
  '2026-05-01T09:30:00',
  '../../etc/passwd',
  "'; DROP TABLE posts; --",
  '{"$gt":""}',
  'http://127.0.0.1:22/',
  '-1',
  '1e309',
];

/**
 * Fuzzes every operation of the OpenAPI document: bodies built from its schemas
 * with fields of the wrong type, NUL and lone surrogates, huge and odd unicode
 * strings, unknown fields, bad UUIDs and dates; path parameters that are real,
 * foreign, malformed or huge. No answer may be a 5xx, and every 4xx is problem+json.
 */
describe('Fuzzing the API from its OpenAPI document', () => {
  let api: TestApi;
  let owner: SignedUp;
  let doc: Schema;
  let known: Record<string, string>;
  beforeAll(async () => {
    api = await startApi();
    owner = await signUp(api.http);
    const ch = await channel(api.http, owner.token, owner.workspaceId);
    const post = await draft(api.http, owner.token, owner.workspaceId, { channelId: ch.id });
    known = { workspaceId: owner.workspaceId, channelId: ch.id, postId: post.id, userId: owner.userId };
    doc = (await api.http.get('/docs-json')).body;
  });
  afterAll(() => api.close());

  const resolve = (schema: Schema): Schema =>
    schema.$ref ? resolve(doc.components.schemas[String(schema.$ref).split('/').pop()!]) : schema;

  function valid(schema: Schema, r: Rng, depth = 0): unknown {
    const s = resolve(schema);
    if (s.enum) return r.pick(s.enum);
    if (s.allOf) return Object.assign({}, ...s.allOf.map((x: Schema) => valid(x, r, depth)));
    switch (s.type) {
      case 'string':
        if (s.format === 'uuid') return r.pick(Object.values(known));
        if (s.format === 'date-time') return new Date(Date.now() + 3600_000).toISOString();
        return s.example ?? 'text';
      case 'integer':
      case 'number':
        return s.minimum ?? 1;
      case 'boolean':
        return r.next() < 0.5;
      case 'array':
        return depth > 3 ? [] : [valid(s.items ?? {}, r, depth + 1)];
      case 'object':
      default: {
        if (depth > 3) return {};
        const props = (s.properties ?? {}) as Record<string, Schema>;
        return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valid(v, r, depth + 1)]));
      }
    }
  }

  function nasty(r: Rng): unknown {
    return r.pick<() => unknown>([
      () => r.pick(NASTY_STRINGS),
      () => (r.int(2) === 0 ? -1 : 2 ** 53 + 1),
      () => null,
      () => true,
      () => [r.pick(NASTY_STRINGS)],
      () => ({ nested: r.pick(NASTY_STRINGS) }),
      () => randomUUID(),
    ])();
  }

  /** A valid body with a few fields spoiled, sometimes an unknown one added, sometimes no object at all. */
  function body(schema: Schema | undefined, r: Rng): unknown {
    if (r.int(12) === 0) return nasty(r);
    const base = schema ? valid(schema, r) : {};
    if (!base || typeof base !== 'object' || Array.isArray(base)) return base;
    const out = { ...(base as Record<string, unknown>) };
    const keys = Object.keys(out);
    for (let i = 0; i < 1 + r.int(3); i++) {
      if (keys.length > 0 && r.int(4) !== 0) out[r.pick(keys)] = nasty(r);
      else out[r.pick(['unknownField', 'constructor', 'a\u0000', 'role'])] = nasty(r);
    }
    return out;
  }

  function path(template: string, r: Rng): string {
    return template.replace(/\{(\w+)\}/g, (_m, name: string) =>
      encodeURIComponent(
        r.pick([
          known[name] ?? randomUUID(),
          known[name] ?? randomUUID(),
          randomUUID(),
          'not-a-uuid',
          'a'.repeat(500),
          'x\u0000y',
          '%',
        ]),
      ).replace('%25', r.int(2) === 0 ? '%' : '%25'),
    );
  }

  it(`answers ${REQUESTS} generated requests without a 5xx, every 4xx as problem+json`, async () => {
    const operations: Array<{ method: string; path: string; schema?: Schema }> = [];
    for (const [p, item] of Object.entries(doc.paths as Record<string, Schema>)) {
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        // The lockdown ends the sessions the fuzzer's token does not hold: harmless, but it ends the run's reach.
        if (p.endsWith('/lockdown')) continue;
        const schema = (op as Schema).requestBody?.content?.['application/json']?.schema;
        operations.push({ method: method.toUpperCase(), path: p, schema });
      }
    }
    expect(operations.length).toBeGreaterThan(40);

    const r = rng(20261202);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    while (sent < REQUESTS) {
      const batch = Array.from({ length: 20 }, () => {
        const op = r.pick(operations);
        const url = `${path(op.path, r)}${r.int(4) === 0 ? `?cursor=${encodeURIComponent(r.pick(NASTY_STRINGS.slice(0, 1)))}&limit=${r.pick(['-1', 'x', '1e9', '10'])}` : ''}`;
        const withBody = op.method !== 'GET' && op.method !== 'DELETE';
        const headers: Record<string, string> =
          r.int(10) === 0 ? { 'if-match': r.pick(['"1"', 'W/"x"', '*']) } : {};
        return { op, url, withBody, headers, payload: withBody ? body(op.schema, r) : undefined };
      });
      const answers = await Promise.all(
        batch.map(async (req) => {
          const res = await api.http.request(req.op.method, req.url, {
            token: r.int(8) === 0 ? 'not-a-token' : owner.token,
            headers: req.headers,
            body: req.payload === undefined ? undefined : JSON.stringify(req.payload),
          });
          return { req, res };
        }),
      );
      for (const { req, res } of answers) {
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const type = res.headers.get('content-type') ?? '';
        if (res.status >= 500 || (res.status >= 400 && !type.startsWith('application/problem+json'))) {
          failures.push(
            `${req.op.method} ${req.url.slice(0, 120)} -> ${res.status} ${type} ${res.text.slice(0, 200)}`,
          );
        }
      }
      sent += batch.length;
    }
    expect(failures).toEqual([]);
    // The requests reached the handlers: some were taken, many refused for their fields.
    const count = (status: number) => statuses.get(status) ?? 0;
    expect(count(200) + count(201)).toBeGreaterThan(50);
    expect(count(400)).toBeGreaterThan(REQUESTS / 10);
  }, 180_000);
});
