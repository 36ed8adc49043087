import { Capability, type Actor } from '@app/domain';
import type { Page } from '@app/persistence';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  HttpStatus,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Problems } from '../openapi';
import { Can, CurrentActor } from '../access/access.decorators';
import { PageQueryDto } from '../common/pagination.dto';
import { NotFoundUuidPipe } from '../common/not-found-uuid.pipe';
import { AddMemberDto, ChangeRoleDto } from './dto/add-member.dto';
import { memberView, MemberView } from './member.views';
import { MembersService } from './members.service';
import { PageOf, Returns } from '../common/views';

@ApiTags('members')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @Can(Capability.MembersRead)
  @ApiOperation({ summary: 'List members' })
  @Returns(PageOf(MemberView))
  async list(@CurrentActor() actor: Actor, @Query() q: PageQueryDto): Promise<Page<MemberView>> {
    const page = await this.members.list(actor, q.limit, q.cursor);
    return { items: page.items.map(memberView), nextCursor: page.nextCursor };
  }

  @Post()
  @HttpCode(201)
  @Can(Capability.MembersManage)
  @ApiOperation({
    summary:
      'Add a member: someone with an account (or a reviewer) at once, anyone else by an invitation e-mail',
  })
  @Problems(409)
  @Returns(MemberView, HttpStatus.CREATED)
  async add(@CurrentActor() actor: Actor, @Body() dto: AddMemberDto): Promise<MemberView> {
    return memberView(await this.members.add(actor, dto));
  }

  @Get(':userId')
  @Can(Capability.MembersRead)
  @ApiOperation({ summary: 'Get a member' })
  @Returns(MemberView)
  async get(
    @CurrentActor() actor: Actor,
    @Param('userId', NotFoundUuidPipe) userId: string,
  ): Promise<MemberView> {
    return memberView(await this.members.get(actor, userId));
  }

  @Patch(':userId')
  @Can(Capability.MembersManage)
  @ApiOperation({ summary: "Change a member's role" })
  @Problems(409)
  @Returns(MemberView)
  async changeRole(
    @CurrentActor() actor: Actor,
    @Param('userId', NotFoundUuidPipe) userId: string,
    @Body() dto: ChangeRoleDto,
  ): Promise<MemberView> {
    return memberView(await this.members.changeRole(actor, userId, dto.role));
  }

  @Post(':userId/resend-invitation')
  @HttpCode(200)
  @Can(Capability.MembersManage)
  @ApiOperation({ summary: 'Send an invitation again: a new link for 7 days; the old one stops working' })
  @Problems(409)
  @Returns(MemberView)
  async resendInvitation(
    @CurrentActor() actor: Actor,
    @Param('userId', NotFoundUuidPipe) userId: string,
  ): Promise<MemberView> {
    return memberView(await this.members.resendInvitation(actor, userId));
  }

  @Delete(':userId')
  @HttpCode(204)
  @Can(Capability.MembersManage)
  @ApiOperation({ summary: 'Remove a member, or withdraw an invitation not accepted yet' })
  @Problems(409)
  async remove(
    @CurrentActor() actor: Actor,
    @Param('userId', NotFoundUuidPipe) userId: string,
  ): Promise<void> {
    await this.members.remove(actor, userId);
  }
}
