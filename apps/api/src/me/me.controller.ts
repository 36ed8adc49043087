import { Body, Controller, Get, Patch } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { UserEntity } from '@app/persistence';
import { CurrentPrincipal, CurrentUser } from '../access/access.decorators';
import type { Principal } from '../access/principal';
import { Returns } from '../common/views';
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

  @Patch()
  @ApiOperation({ summary: 'Change my name or how review requests reach me (people only)' })
  @Returns(MeUserView)
  update(@CurrentUser() user: UserEntity, @Body() dto: UpdateMeDto): Promise<MeUserView> {
    return this.me.update(user, dto);
  }
}
