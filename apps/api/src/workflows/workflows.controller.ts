import { Capability, type Actor } from '@app/domain';
import { Body, Controller, Get, HttpCode, Param, Post, Put, HttpStatus } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentActor } from '../access/access.decorators';
import { NotFoundUuidPipe } from '../common/not-found-uuid.pipe';
import { WorkflowDto } from './dto/workflow.dto';
import { workflowView, WorkflowView } from './workflow.views';
import { PageOf, Returns } from '../common/views';
import { WorkflowsService } from './workflows.service';

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/workflows')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  @Post()
  @HttpCode(201)
  @Can(Capability.WorkflowsManage)
  @ApiOperation({ summary: 'Create a workflow' })
  @Returns(WorkflowView, HttpStatus.CREATED)
  async create(@CurrentActor() actor: Actor, @Body() dto: WorkflowDto) {
    return workflowView(await this.workflows.create(actor, dto));
  }

  @Get()
  @Can(Capability.WorkflowsRead)
  @ApiOperation({ summary: 'List workflows' })
  @Returns(PageOf(WorkflowView))
  async list(@CurrentActor() actor: Actor) {
    return { items: (await this.workflows.list(actor)).map(workflowView), nextCursor: null };
  }

  @Get(':workflowId')
  @Can(Capability.WorkflowsRead)
  @ApiOperation({ summary: 'Get a workflow' })
  @Returns(WorkflowView)
  async get(@CurrentActor() actor: Actor, @Param('workflowId', NotFoundUuidPipe) id: string) {
    return workflowView(await this.workflows.get(actor, id));
  }

  /** Replaces the stages and options: a new version; submitted posts keep theirs. */
  @Put(':workflowId')
  @Can(Capability.WorkflowsManage)
  @ApiOperation({ summary: 'Replace a workflow (a new version)' })
  @Returns(WorkflowView)
  async update(
    @CurrentActor() actor: Actor,
    @Param('workflowId', NotFoundUuidPipe) id: string,
    @Body() dto: WorkflowDto,
  ) {
    return workflowView(await this.workflows.update(actor, id, dto));
  }
}
