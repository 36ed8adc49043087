import { Body, Controller, Get, HttpCode, Ip, Post, HttpStatus } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Problems } from '../openapi';
import { CurrentPrincipal, Public } from '../access/access.decorators';
import type { Principal } from '../access/principal';
import {
  SignedUpView,
  TokenView,
  userView,
  workspaceView,
  workspaceWithRoleView,
} from '../workspaces/workspace.views';
import { Returns } from '../common/views';
import { WorkspacesService } from '../workspaces/workspaces.service';
import { AuthService, type IssuedToken } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { MeApiKeyView, MeUserView } from './me.views';
import { SignupDto } from './dto/signup.dto';

@ApiTags('auth')
@Controller('v1')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly workspaces: WorkspacesService,
  ) {}

  @Public()
  @Post('auth/signup')
  @HttpCode(201)
  @ApiOperation({ summary: 'Sign up: a user, their first workspace, a login token' })
  @Problems(409)
  @Returns(SignedUpView, HttpStatus.CREATED)
  async signup(@Body() dto: SignupDto, @Ip() ip: string): Promise<SignedUpView> {
    const { user, workspace, ...token } = await this.auth.signup(dto, ip);
    return { ...token, user: userView(user), workspace: workspaceWithRoleView(workspace, 'owner') };
  }

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with e-mail and password' })
  @Problems(401)
  @Returns(TokenView)
  login(@Body() dto: LoginDto, @Ip() ip: string): Promise<IssuedToken> {
    return this.auth.login(dto, ip);
  }

  /** Who the credentials belong to: a user with their workspaces, or an API key. */
  @ApiBearerAuth()
  @Get('me')
  @ApiOperation({ summary: 'Who I am, and my workspaces' })
  @ApiExtraModels(MeUserView, MeApiKeyView)
  @ApiOkResponse({
    description: 'a person with their memberships, or an API key with its workspace',
    schema: { oneOf: [{ $ref: getSchemaPath(MeUserView) }, { $ref: getSchemaPath(MeApiKeyView) }] },
  })
  async me(@CurrentPrincipal() principal: Principal): Promise<MeUserView | MeApiKeyView> {
    if (principal.kind === 'api-key') {
      const { key } = principal;
      const workspace = await this.workspaces.workspaceOfKey(key);
      return { apiKey: { id: key.id, name: key.name, role: key.role, workspace: workspaceView(workspace) } };
    }
    const memberships = await this.workspaces.membershipsOf(principal.user.id);
    return {
      user: userView(principal.user),
      memberships: memberships.map(({ workspace, role }) => ({ role, workspace: workspaceView(workspace) })),
    };
  }
}
