import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { ClientInfo, Page, UserEntity } from '@app/persistence';
import { Client } from '../common/client-info';
import { CurrentLogin, CurrentPrincipal, CurrentUser, type Login } from '../access/access.decorators';
import type { Principal } from '../access/principal';
import { NotFoundUuidPipe } from '../common/not-found-uuid.pipe';
import { PageQueryDto } from '../common/pagination.dto';
import { PageOf, Returns } from '../common/views';
import { SecurityEventView, securityEventView, SessionView, sessionView } from './session.views';
import { UpdateMeDto } from './dto/update-me.dto';
import { MeApiKeyView, MeUserView } from './me.views';
import { MeService } from './me.service';

@ApiTags('me')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  constructor(private readonly me: MeService) {}

  @Get()
  @ApiOperation({ summary: 'Who I am, and my workspaces' })
  @ApiExtraModels(MeUserView, MeApiKeyView)
  @ApiOkResponse({
    description: 'a person with their memberships, or an API key with its workspace',
    schema: { oneOf: [{ $ref: getSchemaPath(MeUserView) }, { $ref: getSchemaPath(MeApiKeyView) }] },
  })
  get(@CurrentPrincipal() principal: Principal): Promise<MeUserView | MeApiKeyView> {
    return this.me.of(principal);
  }

  @Get('sessions')
  @ApiOperation({ summary: 'My running sessions (people only)' })
  @Returns(PageOf(SessionView))
  async sessions(@CurrentLogin() login: Login, @Query() q: PageQueryDto): Promise<Page<SessionView>> {
    const page = await this.me.listSessions(login.user, q.limit, q.cursor);
    return { items: page.items.map((s) => sessionView(s, login.sessionId)), nextCursor: page.nextCursor };
  }

  @Delete('sessions/:sessionId')
  @HttpCode(204)
  @ApiOperation({ summary: 'End one of my sessions (this one too: that is a logout)' })
  async endSession(
    @CurrentUser() user: UserEntity,
    @Param('sessionId', NotFoundUuidPipe) sessionId: string,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.me.endSession(user, sessionId, client);
  }

  @Get('security-events')
  @ApiOperation({ summary: 'My security log: sign-ins, sessions ended, password and second-factor changes' })
  @Returns(PageOf(SecurityEventView))
  async securityEvents(
    @CurrentUser() user: UserEntity,
    @Query() q: PageQueryDto,
  ): Promise<Page<SecurityEventView>> {
    const page = await this.me.securityEvents(user, q.limit, q.cursor);
    return { items: page.items.map(securityEventView), nextCursor: page.nextCursor };
  }

  @Patch()
  @ApiOperation({ summary: 'Change my name or how review requests reach me (people only)' })
  @Returns(MeUserView)
  update(@CurrentUser() user: UserEntity, @Body() dto: UpdateMeDto): Promise<MeUserView> {
    return this.me.update(user, dto);
  }
}
