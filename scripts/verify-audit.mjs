#!/usr/bin/env node
// Checks an audit export offline: every event's hash, and that each one chains to
// the one before. Needs nothing but Node.
//   curl -s -H "authorization: Bearer $TOKEN" "$API/v1/workspaces/$WS/audit/export" | node scripts/verify-audit.mjs
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';

const FIELDS = [
  'prevHash',
  'workspaceId',
  'seq',
  'postId',
  'actorKind',
  'actorId',
  'action',
  'version',
  'before',
  'after',
  'ip',
  'userAgent',
  'at',
];
let previous = null;
let count = 0;
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const event = JSON.parse(line);
  const hash = createHash('sha256')
    .update(FIELDS.map((f) => event[f]).join('|'))
    .digest('hex');
  if (hash !== event.hash) {
    console.error(`event ${event.seq}: its content does not match its hash (altered)`);
    process.exit(1);
  }
  if (previous && (event.prevHash !== previous.hash || BigInt(event.seq) !== BigInt(previous.seq) + 1n)) {
    console.error(`event ${event.seq}: does not follow event ${previous.seq} (removed or reordered events)`);
    process.exit(1);
  }
  previous = event;
  count += 1;
}
console.log(`ok: ${count} events, chain intact${previous ? `, last hash ${previous.hash}` : ''}`);
