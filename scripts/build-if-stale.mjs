// npm start's prestart: builds dist/ only when a source it is built from is newer
// than the last build (a fresh clone, a pull, an edit); otherwise starts at once.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = 'dist/.build-stamp';
const SOURCES = ['apps', 'libs', 'migrations', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

const sources = Math.max(...SOURCES.filter((p) => existsSync(p)).map(newest));
if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= sources) {
  console.error('dist/ is up to date');
} else {
  execSync('npm run build', { stdio: 'inherit' });
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}
