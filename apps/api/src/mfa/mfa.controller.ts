import { Body, Controller, Delete, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ClientInfo, UserEntity } from '@app/persistence';
import { CurrentLogin, CurrentUser, Public, type Login } from '../access/access.decorators';
import type { IssuedToken } from '../auth/auth.service';
import { Client } from '../common/client-info';
import { Returns } from '../common/views';
import { Problems } from '../openapi';
import { TokenView } from '../workspaces/workspace.views';
import { ConfirmTotpDto, LoginMfaDto, TotpCodeDto } from './dto/mfa.dto';
import { MfaService, type TotpEnrolment } from './mfa.service';
import { RecoveryCodesView, TotpEnrolmentView } from './mfa.views';

@ApiTags('auth')
@Controller('v1')
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  @ApiBearerAuth()
  @Post('me/mfa/totp')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Start two-factor sign-in: a secret for an authenticator app (confirm it with a code)',
  })
  @Problems(409)
  @Returns(TotpEnrolmentView, HttpStatus.CREATED)
  begin(@CurrentUser() user: UserEntity): Promise<TotpEnrolment> {
    return this.mfa.begin(user);
  }

  @ApiBearerAuth()
  @Post('me/mfa/totp/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Turn two-factor sign-in on with a first code; answers the recovery codes, once' })
  @Problems(409)
  @Returns(RecoveryCodesView)
  async confirm(
    @CurrentLogin() login: Login,
    @Body() dto: ConfirmTotpDto,
    @Client() client: ClientInfo,
  ): Promise<RecoveryCodesView> {
    return { recoveryCodes: await this.mfa.confirm(login, dto.code, client) };
  }

  @ApiBearerAuth()
  @Delete('me/mfa/totp')
  @HttpCode(204)
  @ApiOperation({ summary: 'Turn two-factor sign-in off, with a current code or a recovery code' })
  @ApiNoContentResponse({ description: 'Off' })
  @Problems(409)
  async disable(
    @CurrentUser() user: UserEntity,
    @Body() dto: TotpCodeDto,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.mfa.disable(user, dto.code, client);
  }

  @Public()
  @Post('auth/login/mfa')
  @HttpCode(200)
  @ApiOperation({ summary: 'Finish a login that asked for a second factor: the challenge and a code' })
  @Problems(401, 403)
  @Returns(TokenView)
  loginMfa(@Body() dto: LoginMfaDto, @Client() client: ClientInfo): Promise<IssuedToken> {
    return this.mfa.completeLogin(dto.mfaToken, dto.code, client);
  }
}
