import { createServer, type Server } from 'node:http';
import { AppConfig } from '@app/config';
import { publishMetricsRegistry } from '@app/queue';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

/**
 * A worker running on its own serves its publishing metrics (lateness, outcomes)
 * at :WORKER_METRICS_PORT/metrics. With ROLE=all the API's /metrics carries them.
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerMetricsServer.name);
  private server: Server | undefined;

  constructor(private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    if (this.config.role !== 'worker' || this.config.workerMetricsPort === 0) return;
    this.server = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      publishMetricsRegistry
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': publishMetricsRegistry.contentType }).end(text))
        .catch(() => res.writeHead(500).end());
    });
    this.server.on('error', (error) => this.logger.warn(`metrics server: ${error.message}`));
    this.server.listen(this.config.workerMetricsPort, this.config.host);
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }
}
