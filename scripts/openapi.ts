// Writes the API's OpenAPI document to openapi.json, without a database or Redis:
// the application is built in preview mode (modules and routes, no providers run).
// With --check it writes nothing and fails when the committed file is not up to date.
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '@app/config';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ApiModule } from '../apps/api/src/api.module';
import { openApiDocument } from '../apps/api/src/openapi';

async function main(): Promise<void> {
  // The committed copy names the local default; the served one (/docs-json) names PUBLIC_URL.
  const config = loadConfig({ PUBLIC_URL: 'http://localhost:3000' });
  const app = await NestFactory.create(ApiModule.forRoot(config), new FastifyAdapter(), {
    preview: true,
    logger: false,
  });
  const out = resolve(__dirname, '..', 'openapi.json');
  const text = `${JSON.stringify(openApiDocument(app, config), null, 2)}\n`;
  await app.close();
  if (!process.argv.includes('--check')) return writeFileSync(out, text);
  if (readFileSync(out, 'utf8') !== text) {
    console.error('openapi.json is not up to date: run npm run openapi:generate and commit it');
    process.exit(1);
  }
}

void main();
