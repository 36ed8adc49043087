import { AppConfig } from '@app/config';
import type { ClientInfo } from '@app/persistence';
import { DomainError, ErrorCode } from '@app/domain';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../access/access.decorators';
import { Client } from '../common/client-info';
import { Problems } from '../openapi';
import { MfaChallengeView, TokenView } from '../workspaces/workspace.views';
import { OidcStartQueryDto } from './dto/oidc-start.dto';
import { OidcService } from './oidc.service';

const COOKIE = 'cs_oidc';
const PATH = '/v1/auth/oidc';

/** The browser's half of a sign-in: the cookie the start set, read back at the callback. */
function browserKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie ?? '';
  return header
    .split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === COOKIE)?.[1];
}

@ApiTags('auth')
@Public()
@Controller('v1/auth/oidc')
export class OidcController {
  constructor(
    private readonly oidc: OidcService,
    private readonly config: AppConfig,
  ) {}

  @Get('start')
  @ApiOperation({ summary: 'Single sign-on: go to the identity provider (404 when none is configured)' })
  @ApiFoundResponse({
    description: 'to the identity provider, with a cookie that binds the sign-in to this browser',
  })
  @Problems(404, 410, 502)
  async start(@Query() query: OidcStartQueryDto, @Res() reply: FastifyReply): Promise<void> {
    const { url, browserKey } = await this.oidc.start(query);
    const secure = this.config.publicUrl.startsWith('https:') ? '; Secure' : '';
    await reply
      .header(
        'set-cookie',
        `${COOKIE}=${browserKey}; Path=${PATH}; Max-Age=600; HttpOnly; SameSite=Lax${secure}`,
      )
      .header('cache-control', 'no-store')
      .redirect(url, 302);
  }

  @Get('callback')
  @ApiOperation({
    summary: 'Where the identity provider sends the browser back: signs in the user of the verified e-mail',
  })
  @ApiExtraModels(TokenView, MfaChallengeView)
  @ApiOkResponse({
    description:
      'signed in (or, with two-factor sign-in, the challenge); a 302 to returnTo#… when the start had one',
    schema: { oneOf: [{ $ref: getSchemaPath(TokenView) }, { $ref: getSchemaPath(MfaChallengeView) }] },
  })
  @Problems(401, 403, 404, 410, 502)
  async callback(
    @Req() request: FastifyRequest,
    @Client() client: ClientInfo,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    const refused = query.get('error');
    if (refused) {
      throw new DomainError(
        ErrorCode.Unauthenticated,
        `The identity provider did not sign you in: ${query.get('error_description') ?? refused}`,
      );
    }
    const { result, returnTo } = await this.oidc.callback(query, browserKeyOf(request), client);
    void reply
      .header('set-cookie', `${COOKIE}=; Path=${PATH}; Max-Age=0; HttpOnly; SameSite=Lax`)
      .header('cache-control', 'no-store');
    if (!returnTo) {
      await reply.status(200).send(result);
      return;
    }
    const fragment = new URLSearchParams(
      Object.entries(result).map(([k, v]): [string, string] => [k, String(v)]),
    );
    await reply.redirect(`${returnTo}#${fragment.toString()}`, 302);
  }
}
