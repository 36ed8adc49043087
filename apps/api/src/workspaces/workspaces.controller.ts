import { Capability, type Actor } from '@app/domain';
import type { UserEntity } from '@app/persistence';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, HttpStatus } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentActor, CurrentLogin, CurrentUser, type Login } from '../access/access.decorators';
import { Problems } from '../openapi';
import { CreateWorkspaceDto, UpdateWorkspaceDto } from './dto/create-workspace.dto';
import {
  workspaceView,
  WorkspaceView,
  workspaceWithRoleView,
  WorkspaceWithRoleView,
} from './workspace.views';
import { Returns } from '../common/views';
import { WorkspacesService } from './workspaces.service';

@ApiTags('workspaces')
@ApiBearerAuth()
@Controller('v1/workspaces')
export class WorkspacesController {
  constructor(private readonly workspaces: WorkspacesService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a workspace' })
  @Returns(WorkspaceWithRoleView, HttpStatus.CREATED)
  async create(@CurrentUser() user: UserEntity, @Body() dto: CreateWorkspaceDto): Promise<WorkspaceView> {
    return workspaceWithRoleView(await this.workspaces.create(user, dto), 'owner');
  }

  @Get(':workspaceId')
  @Can(Capability.WorkspaceRead)
  @ApiOperation({ summary: 'Get the workspace' })
  @Returns(WorkspaceView)
  async get(@Param('workspaceId') workspaceId: string): Promise<WorkspaceView> {
    return workspaceView(await this.workspaces.get(workspaceId));
  }

  @Patch(':workspaceId')
  @Can(Capability.WorkspaceManage)
  @ApiOperation({ summary: 'Change the name, time zone, or (owners) the roles that need two-factor sign-in' })
  @Problems(409)
  @Returns(WorkspaceView)
  async update(
    @CurrentActor() actor: Actor,
    @CurrentLogin() login: Login,
    @Body() dto: UpdateWorkspaceDto,
  ): Promise<WorkspaceView> {
    return workspaceView(await this.workspaces.update(actor, login, dto));
  }
}
