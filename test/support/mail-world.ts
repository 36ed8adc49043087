import type { INestApplicationContext } from '@nestjs/common';
import type { ParsedMail } from 'mailparser';
import { Client } from 'pg';
import { SmtpSink } from './smtp-sink';
import { startApi, startWorker, testConfig, type TestApi } from './test-app';
import { waitFor } from './wait-for';

/** The API and a worker sending real mail to an SMTP sink, with a database connection to look underneath. */
export interface MailWorld {
  smtp: SmtpSink;
  api: TestApi;
  worker: INestApplicationContext;
  db: Client;
  /** the first `count` mails to `email`, once that many have come */
  mailsTo(email: string, count: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/**
 * Starts a MailWorld whose links point at https://countersign.example; `ignoring`
 * keeps mail of those subjects out of `smtp.to`. Each part is stopped if it started.
 */
export async function startMailWorld(
  overrides: Record<string, string> = {},
  ignoring?: RegExp,
): Promise<MailWorld> {
  const smtp = await new SmtpSink(ignoring).start();
  const config = await testConfig({
    SMTP_URL: smtp.url,
    PUBLIC_URL: 'https://countersign.example',
    WORKER_METRICS_PORT: '0',
    ...overrides,
  });
  const api = await startApi(config);
  const worker = await startWorker(config);
  const db = new Client({ connectionString: config.databaseUrl });
  await db.connect();
  return {
    smtp,
    api,
    worker,
    db,
    mailsTo: (email, count) =>
      waitFor(() => (smtp.to(email).length >= count ? smtp.to(email) : undefined), {
        what: `${count} mail(s) to ${email}`,
      }),
    async close() {
      await db.end();
      await worker.close();
      await api.close();
      await smtp.stop();
    },
  };
}
