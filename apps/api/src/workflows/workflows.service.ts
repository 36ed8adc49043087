import {
  DEFAULT_WORKFLOW_OPTIONS,
  DomainError,
  ErrorCode,
  validateWorkflowStages,
  type Actor,
  type FieldError,
  type WorkflowOptions,
  type WorkflowStage,
} from '@app/domain';
import {
  AuditRepository,
  ChannelsRepository,
  WorkflowsRepository,
  WorkspacesRepository,
  type WorkflowRow,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { auditActor } from '../audit/audit-actor';
import type { WorkflowDto } from './dto/workflow.dto';

const stagesOf = (dto: WorkflowDto): WorkflowStage[] =>
  dto.stages.map((s) => ({
    name: s.name,
    approvers: {
      userIds: [...new Set(s.approvers.userIds ?? [])],
      roles: [...new Set(s.approvers.roles ?? [])],
    },
    required: s.required,
  }));

const optionsOf = (dto: WorkflowDto): WorkflowOptions => ({
  ...DEFAULT_WORKFLOW_OPTIONS,
  ...dto.options,
  emergency: dto.emergency ?? false,
});

/**
 * Approval workflows. Saving checks the stages against the members as they are now
 * (every approver a member, every quorum reachable); editing makes a new version,
 * and posts already submitted keep the version they were submitted under.
 */
@Injectable()
export class WorkflowsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly workflows: WorkflowsRepository,
    private readonly workspaces: WorkspacesRepository,
    private readonly channels: ChannelsRepository,
    private readonly audit: AuditRepository,
  ) {}

  create(actor: Actor, dto: WorkflowDto): Promise<WorkflowRow> {
    return this.db.transaction(async (em) => {
      const stages = await this.validated(actor, dto, em);
      if (dto.isDefault) await this.workflows.clearDefault(actor.workspaceId, em);
      const workflow = await this.workflows.create(
        {
          workspaceId: actor.workspaceId,
          name: dto.name,
          isDefault: dto.isDefault ?? false,
          createdBy: userOf(actor),
        },
        stages,
        optionsOf(dto),
        em,
      );
      await this.workflows.setChannels(workflow.id, dto.channelIds ?? [], em);
      await this.audit.append(
        {
          ...auditActor(actor),
          action: 'workflow.created',
          after: { workflowId: workflow.id, version: 1, name: dto.name, stages },
        },
        em,
      );
      return this.found(await this.workflows.get(actor.workspaceId, workflow.id, em));
    });
  }

  update(actor: Actor, id: string, dto: WorkflowDto): Promise<WorkflowRow> {
    return this.db.transaction(async (em) => {
      const workflow = await this.workflows.lockInWorkspace(actor.workspaceId, id, em);
      if (!workflow) throw DomainError.notFound('Workflow');
      const stages = await this.validated(
        actor,
        { ...dto, isDefault: dto.isDefault ?? workflow.isDefault },
        em,
      );
      if (dto.isDefault && !workflow.isDefault) await this.workflows.clearDefault(actor.workspaceId, em);
      workflow.name = dto.name;
      workflow.isDefault = dto.isDefault ?? workflow.isDefault;
      await this.workflows.addVersion(workflow, stages, optionsOf(dto), userOf(actor), em);
      await this.workflows.setChannels(workflow.id, dto.channelIds ?? [], em);
      await this.audit.append(
        {
          ...auditActor(actor),
          action: 'workflow.updated',
          after: { workflowId: id, version: workflow.currentVersion, name: dto.name, stages },
        },
        em,
      );
      return this.found(await this.workflows.get(actor.workspaceId, id, em));
    });
  }

  list(actor: Actor): Promise<WorkflowRow[]> {
    return this.workflows.list(actor.workspaceId);
  }

  async get(actor: Actor, id: string): Promise<WorkflowRow> {
    return this.found(await this.workflows.get(actor.workspaceId, id));
  }

  private async validated(actor: Actor, dto: WorkflowDto, em: EntityManager): Promise<WorkflowStage[]> {
    const stages = stagesOf(dto);
    const errors: FieldError[] = validateWorkflowStages(
      stages,
      await this.workspaces.members(actor.workspaceId, em),
      await this.workspaces.invited(actor.workspaceId, em),
    );
    // An emergency workflow is chosen post by post, by an admin: never by default.
    if (dto.emergency && dto.isDefault)
      errors.push({ field: 'isDefault', message: 'an emergency workflow cannot be the default' });
    if (dto.emergency && (dto.channelIds ?? []).length > 0) {
      errors.push({ field: 'channelIds', message: "an emergency workflow cannot be a channel's workflow" });
    }
    for (const [i, channelId] of (dto.channelIds ?? []).entries()) {
      if (!(await this.channels.findInWorkspace(actor.workspaceId, channelId, em))) {
        errors.push({ field: `channelIds[${i}]`, message: 'no such channel in this workspace' });
      }
    }
    if (errors.length > 0) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        errors.map((e) => `${e.field}: ${e.message}`).join('; '),
        errors,
      );
    }
    return stages;
  }

  private found(row: WorkflowRow | null): WorkflowRow {
    if (!row) throw DomainError.notFound('Workflow');
    return row;
  }
}

const userOf = (actor: Actor): string | null => (actor.kind === 'user' ? actor.userId : null);
