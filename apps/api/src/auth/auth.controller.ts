import type { ClientInfo } from '@app/persistence';
import { Body, Controller, HttpCode, Post, HttpStatus } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Problems } from '../openapi';
import { CurrentLogin, Public, type Login } from '../access/access.decorators';
import { Client } from '../common/client-info';
import {
  MfaChallengeView,
  SignedUpView,
  TokenView,
  userView,
  workspaceWithRoleView,
} from '../workspaces/workspace.views';
import { Returns } from '../common/views';
import { AuthService, type IssuedToken, type MfaChallenge } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { RefreshDto } from './dto/refresh.dto';
import { SignupDto } from './dto/signup.dto';

@ApiTags('auth')
@Controller('v1')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('auth/signup')
  @HttpCode(201)
  @ApiOperation({ summary: 'Sign up: a user, their first workspace, a login token' })
  @Problems(409)
  @Returns(SignedUpView, HttpStatus.CREATED)
  async signup(@Body() dto: SignupDto, @Client() client: ClientInfo): Promise<SignedUpView> {
    const { user, workspace, ...token } = await this.auth.signup(dto, client);
    return { ...token, user: userView(user), workspace: workspaceWithRoleView(workspace, 'owner') };
  }

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with e-mail and password' })
  @Problems(401)
  @ApiExtraModels(TokenView, MfaChallengeView)
  @ApiOkResponse({
    description: 'signed in; or, for someone with two-factor sign-in, the challenge to answer with a code',
    schema: { oneOf: [{ $ref: getSchemaPath(TokenView) }, { $ref: getSchemaPath(MfaChallengeView) }] },
  })
  login(@Body() dto: LoginDto, @Client() client: ClientInfo): Promise<IssuedToken | MfaChallenge> {
    return this.auth.login(dto, client);
  }

  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Renew a session: a new access token and refresh token for the refresh token (once)',
  })
  @Problems(401)
  @Returns(TokenView)
  refresh(@Body() dto: RefreshDto, @Client() client: ClientInfo): Promise<IssuedToken> {
    return this.auth.refresh(dto.refreshToken, client);
  }

  @ApiBearerAuth()
  @Post('auth/logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the session of this access token (its refresh token dies with it)' })
  async logout(@CurrentLogin() login: Login, @Client() client: ClientInfo): Promise<void> {
    await this.auth.endSession(login.user.id, login.sessionId, 'logout', client);
  }
}
