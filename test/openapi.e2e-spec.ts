import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startApi, type TestApi } from './support/test-app';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** The OpenAPI document against the running API: what a client generated from it will meet. */
describe('OpenAPI document', () => {
  let api: TestApi;
  let doc: any;
  beforeAll(async () => {
    api = await startApi();
    doc = (await api.http.get('/docs-json')).body;
  });
  afterAll(() => api.close());

  const operations = () =>
    Object.entries(doc.paths as Record<string, any>).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })),
    );

  it('is the committed openapi.json, but for the server (PUBLIC_URL)', () => {
    const committed = JSON.parse(readFileSync(resolve(__dirname, '..', 'openapi.json'), 'utf8'));
    expect({ ...doc, servers: undefined }).toEqual({ ...committed, servers: undefined });
    expect(doc.servers).toEqual([{ url: api.config.publicUrl }]);
  });

  it('names each class of the API once (the document keys its schemas by class name: a second one would replace the first)', () => {
    const dir = resolve(__dirname, '../apps/api/src');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const names = files.flatMap((f) =>
      [...readFileSync(resolve(dir, f), 'utf8').matchAll(/^(?:export )?class (\w+)/gm)].map((m) => m[1]),
    );
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it('declares every path parameter, with a unique operationId and a summary', () => {
    const ids = new Set<string>();
    for (const { path, op } of operations()) {
      const declared = op.parameters.filter((p: any) => p.in === 'path').map((p: any) => p.name);
      expect([path, declared.sort()]).toEqual([
        path,
        [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort(),
      ]);
      expect(ids.has(op.operationId)).toBe(false);
      ids.add(op.operationId);
      expect(op.summary).toEqual(expect.any(String));
    }
  });

  it('says which routes need credentials exactly as the guard does', async () => {
    for (const { path, method, op } of operations()) {
      const url = path.replace(/\{(\w+)\}/g, '00000000-0000-4000-8000-000000000000');
      const res = await api.http.request(method.toUpperCase(), url, method === 'get' ? {} : { body: {} });
      const guarded = op.security.length > 0;
      expect([method, path, res.status === 401]).toEqual([method, path, guarded]);
      if (guarded) expect(op.responses['401'].content['application/problem+json']).toBeDefined();
    }
  });
});
