import { Capability, type Actor } from '@app/domain';
import type { WorkflowRow } from '@app/persistence';
import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentActor } from '../access/access.decorators';
import { NotFoundUuidPipe } from '../common/not-found-uuid.pipe';
import { WorkflowDto } from './dto/workflow.dto';
import { WorkflowsService } from './workflows.service';

const workflowView = ({ workflow, current, channelIds }: WorkflowRow) => ({
  id: workflow.id,
  name: workflow.name,
  version: current.version,
  isDefault: workflow.isDefault,
  emergency: current.options.emergency ?? false,
  channelIds,
  stages: current.stages,
  options: current.options,
  createdAt: workflow.createdAt.toISOString(),
  updatedAt: current.createdAt.toISOString(),
});

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/workflows')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  @Post()
  @HttpCode(201)
  @Can(Capability.WorkflowsManage)
  @ApiOperation({ summary: 'Create a workflow' })
  async create(@CurrentActor() actor: Actor, @Body() dto: WorkflowDto) {
    return workflowView(await this.workflows.create(actor, dto));
  }

  @Get()
  @Can(Capability.WorkflowsRead)
  @ApiOperation({ summary: 'List workflows' })
  async list(@CurrentActor() actor: Actor) {
    return { items: (await this.workflows.list(actor)).map(workflowView), nextCursor: null };
  }

  @Get(':workflowId')
  @Can(Capability.WorkflowsRead)
  @ApiOperation({ summary: 'Get a workflow' })
  async get(@CurrentActor() actor: Actor, @Param('workflowId', NotFoundUuidPipe) id: string) {
    return workflowView(await this.workflows.get(actor, id));
  }

  /** Replaces the stages and options: a new version; submitted posts keep theirs. */
  @Put(':workflowId')
  @Can(Capability.WorkflowsManage)
  @ApiOperation({ summary: 'Replace a workflow (a new version)' })
  async update(
    @CurrentActor() actor: Actor,
    @Param('workflowId', NotFoundUuidPipe) id: string,
    @Body() dto: WorkflowDto,
  ) {
    return workflowView(await this.workflows.update(actor, id, dto));
  }
}
