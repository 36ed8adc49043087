import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { ClientInfo } from '@app/persistence';
import { CurrentLogin, Public, type Login } from '../access/access.decorators';
import { Client } from '../common/client-info';
import { Problems } from '../openapi';
import { ChangePasswordDto, NewPasswordDto, PasswordResetRequestDto } from './dto/password.dto';
import { PasswordsService } from './passwords.service';

@ApiTags('auth')
@Controller('v1')
export class PasswordsController {
  constructor(private readonly passwords: PasswordsService) {}

  @Public()
  @Post('auth/password-reset')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Ask for a password reset link by e-mail (the same answer whether the address has an account or not)',
  })
  @ApiAcceptedResponse({ description: 'Accepted: an account of that address gets a link valid for an hour' })
  async requestReset(@Body() dto: PasswordResetRequestDto, @Client() client: ClientInfo): Promise<void> {
    await this.passwords.requestReset(dto.email, client.ip);
  }

  @Public()
  @Post('auth/password-reset/:token')
  @HttpCode(204)
  @ApiOperation({ summary: 'Choose a new password with the link from the e-mail; every session ends' })
  @ApiNoContentResponse({ description: 'The password is changed; log in with it' })
  @Problems(410)
  async reset(
    @Param('token') token: string,
    @Body() dto: NewPasswordDto,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.passwords.reset(token, dto.password, client);
  }

  @ApiBearerAuth()
  @Post('me/password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change my password (people only); my other sessions end' })
  @ApiNoContentResponse({ description: 'Changed' })
  async change(
    @CurrentLogin() login: Login,
    @Body() dto: ChangePasswordDto,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.passwords.change(login, dto.currentPassword, dto.newPassword, client);
  }
}
