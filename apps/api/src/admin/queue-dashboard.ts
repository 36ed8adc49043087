import { timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '@app/config';
import { ALL_QUEUES } from '@app/queue';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from '../common/problem';

export const DASHBOARD_PATH = '/admin/queues';
const USER = 'admin';

function authorized(header: string | undefined, password: string): boolean {
  const [scheme, encoded] = (header ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'basic' || !encoded) return false;
  const given = Buffer.from(encoded, 'base64');
  const expected = Buffer.from(`${USER}:${password}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Bull Board at /admin/queues for the operators (it shows every workspace's jobs,
 * so it is not a workspace admin's tool): HTTP basic auth as `admin` with
 * ADMIN_PASSWORD. Without ADMIN_PASSWORD there is no dashboard at all.
 */
export async function useQueueDashboard(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const password = config.adminPassword;
  if (!password) return;
  const serverAdapter = new FastifyAdapter().setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: ALL_QUEUES.map(
      (name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name), { strict: false })),
    ),
    serverAdapter,
  });
  await app.register(async (scope: FastifyInstance) => {
    scope.addHook('onRequest', async (request, reply) => {
      if (authorized(request.headers.authorization, password)) return;
      await reply
        .status(401)
        .header('www-authenticate', 'Basic realm="Countersign queues", charset="UTF-8"')
        .header('content-type', PROBLEM_CONTENT_TYPE)
        .send({
          type: 'urn:countersign:problem:unauthenticated',
          title: 'Unauthorized',
          status: 401,
          detail: 'The queue dashboard is for operators: sign in as admin with ADMIN_PASSWORD.',
          code: 'unauthenticated',
        });
    });
    // The dashboard is a small single-page app with inline bootstrapping.
    scope.addHook('onSend', async (_request, reply) => {
      void reply.header(
        'content-security-policy',
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
      );
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
  });
}
