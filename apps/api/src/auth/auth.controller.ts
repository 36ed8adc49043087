import { Body, Controller, HttpCode, Ip, Post, HttpStatus } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Problems } from '../openapi';
import { Public } from '../access/access.decorators';
import { SignedUpView, TokenView, userView, workspaceWithRoleView } from '../workspaces/workspace.views';
import { Returns } from '../common/views';
import { AuthService, type IssuedToken } from './auth.service';
import { LoginDto } from './dto/login.dto';
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
}
