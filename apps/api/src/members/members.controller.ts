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
  Put,
  Query,
  HttpStatus,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Problems } from '../openapi';
import { Can, CurrentActor } from '../access/access.decorators';
import { PageQueryDto } from '../common/pagination.dto';
import { NotFoundUuidPipe } from '../common/not-found-uuid.pipe';
import { AddMemberDto, ChangeRoleDto } from './dto/add-member.dto';
import { DelegationDto } from './dto/delegation.dto';
import { DelegationsService } from './delegations.service';
import { delegationView, DelegationView, memberView, MemberView } from './member.views';
import { MembersService } from './members.service';
import { PageOf, Returns } from '../common/views';

@ApiTags('members')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/members')
export class MembersController {
  constructor(
    private readonly members: MembersService,
    private readonly delegations: DelegationsService,
  ) {}

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

  @Get(':userId/delegation')
  @Can(Capability.MembersRead)
  @ApiOperation({ summary: "A member's stand-in, begun or still to come (404 when none)" })
  @Returns(DelegationView)
  async getDelegation(
    @CurrentActor() actor: Actor,
    @Param('userId', NotFoundUuidPipe) userId: string,
  ): Promise<DelegationView> {
    return delegationView(await this.delegations.get(actor, userId));
  }

  @Put(':userId/delegation')
  @Can(Capability.MembersRead)
  @ApiOperation({
    summary:
      'Name a stand-in who signs off for the member between from and until (the member, an owner or an admin; replaces the current one)',
  })
  @Problems(409)
  @Returns(DelegationView)
  async setDelegation(
    @CurrentActor() actor: Actor,
    @Param('userId', NotFoundUuidPipe) userId: string,
    @Body() dto: DelegationDto,
  ): Promise<DelegationView> {
    return delegationView(await this.delegations.set(actor, userId, dto));
  }

  @Delete(':userId/delegation')
  @HttpCode(204)
  @Can(Capability.MembersRead)
  @ApiOperation({ summary: "End a member's stand-in now (sign-offs already made by them still count)" })
  async endDelegation(
    @CurrentActor() actor: Actor,
    @Param('userId', NotFoundUuidPipe) userId: string,
  ): Promise<void> {
    await this.delegations.end(actor, userId);
  }
}
