#!/usr/bin/env node
// Checks an audit export offline: every event's hash, that each one chains to the
// one before with the next seq, that the first event of a workspace starts the
// chain, and that the export ends with its end line and holds what that line says
// (a cut-off file, or one with lines removed at either end, fails). Needs nothing
// but Node. Compare the last hash it prints with GET .../audit to rule out a
// rewritten file.
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
const GENESIS = '0'.repeat(64);

function fail(message) {
  console.error(message);
  process.exit(1);
}

let previous = null;
let first = null;
let end = null;
let count = 0;
let lineNo = 0;
for await (const line of createInterface({ input: process.stdin })) {
  lineNo += 1;
  if (!line.trim()) continue;
  let event;
  try {
    event = JSON.parse(line);
  } catch {
    fail(`line ${lineNo}: not JSON`);
  }
  if (end) fail(`line ${lineNo}: comes after the end line`);
  if (event.end === true) {
    end = event;
    continue;
  }
  if (typeof event.seq !== 'string' || !/^\d+$/.test(event.seq)) fail(`line ${lineNo}: has no seq`);
  const hash = createHash('sha256')
    .update(FIELDS.map((f) => event[f]).join('|'))
    .digest('hex');
  if (hash !== event.hash) fail(`event ${event.seq}: its content does not match its hash (altered)`);
  if (previous) {
    const expected = BigInt(previous.seq) + 1n;
    if (BigInt(event.seq) !== expected) {
      fail(
        BigInt(event.seq) > expected
          ? `event ${expected}: missing (event ${event.seq} follows event ${previous.seq}: removed or reordered)`
          : `event ${event.seq}: out of order (it follows event ${previous.seq})`,
      );
    }
    if (event.prevHash !== previous.hash || event.workspaceId !== previous.workspaceId) {
      fail(`event ${event.seq}: does not chain to event ${previous.seq} (its prevHash differs)`);
    }
  } else {
    first = event;
    if (event.seq === '1' && event.prevHash !== GENESIS) fail('event 1: does not start the chain');
  }
  previous = event;
  count += 1;
}

if (!end) fail('the export has no end line: it was cut off, or its last lines were removed');
if (first && end.firstSeq !== first.seq)
  fail(`event ${end.firstSeq}: missing (the export starts at ${first.seq})`);
if (previous && end.lastSeq !== previous.seq) {
  fail(`event ${end.lastSeq}: missing (the export ends at ${previous.seq})`);
}
if (end.count !== count) fail(`the end line counts ${end.count} events, the export holds ${count}`);
if (previous && end.lastHash !== previous.hash)
  fail(`event ${previous.seq}: is not the last hash the end line names`);
console.log(`ok: ${count} events, chain intact${previous ? `, last hash ${previous.hash}` : ''}`);
