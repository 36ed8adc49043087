import { AppConfig } from '@app/config';
import { Global, Module } from '@nestjs/common';
import { OutboundHttp } from './outbound-http';
import { OutboundPolicy } from './outbound-policy';

/** One pool of outbound connections per process, under OUTBOUND_ALLOWED_HOSTS. */
@Global()
@Module({
  providers: [
    {
      provide: OutboundHttp,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new OutboundHttp(OutboundPolicy.from(config.outboundAllowedHosts)),
    },
  ],
  exports: [OutboundHttp],
})
export class PublishersModule {}
