import type { WorkflowOptions, WorkflowSnapshot, WorkflowStage } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { WorkflowChannelEntity, WorkflowEntity, WorkflowVersionEntity } from '../entities';

/** A workflow with its current version and the channels that follow it. */
export interface WorkflowRow {
  workflow: WorkflowEntity;
  current: WorkflowVersionEntity;
  channelIds: string[];
}

export const snapshotOf = (v: WorkflowVersionEntity): WorkflowSnapshot => ({
  workflowId: v.workflowId,
  workflowVersionId: v.id,
  version: v.version,
  stages: v.stages,
  options: v.options,
});

/** Workflows and their versions (one aggregate). */
@Injectable()
export class WorkflowsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(
    input: { workspaceId: string; name: string; isDefault: boolean; createdBy: string | null },
    stages: WorkflowStage[],
    options: WorkflowOptions,
    em: EntityManager,
  ): Promise<WorkflowEntity> {
    const workflow = await em.save(
      WorkflowEntity,
      em.create(WorkflowEntity, {
        workspaceId: input.workspaceId,
        name: input.name,
        isDefault: input.isDefault,
        currentVersion: 1,
      }),
    );
    await em.insert(WorkflowVersionEntity, {
      workflowId: workflow.id,
      version: 1,
      stages,
      options,
      createdBy: input.createdBy,
    });
    return workflow;
  }

  /** A new version becomes current; earlier versions stay for the posts submitted under them. */
  async addVersion(
    workflow: WorkflowEntity,
    stages: WorkflowStage[],
    options: WorkflowOptions,
    createdBy: string | null,
    em: EntityManager,
  ): Promise<void> {
    workflow.currentVersion += 1;
    await em.save(WorkflowEntity, workflow);
    await em.insert(WorkflowVersionEntity, {
      workflowId: workflow.id,
      version: workflow.currentVersion,
      stages,
      options,
      createdBy,
    });
  }

  async clearDefault(workspaceId: string, em: EntityManager): Promise<void> {
    await em.update(WorkflowEntity, { workspaceId, isDefault: true }, { isDefault: false });
  }

  async setChannels(workflowId: string, channelIds: string[], em: EntityManager): Promise<void> {
    await em.delete(WorkflowChannelEntity, { workflowId });
    if (channelIds.length === 0) return;
    await em.delete(WorkflowChannelEntity, { channelId: In(channelIds) });
    await em.insert(
      WorkflowChannelEntity,
      channelIds.map((channelId) => ({ channelId, workflowId })),
    );
  }

  lockInWorkspace(workspaceId: string, id: string, em: EntityManager): Promise<WorkflowEntity | null> {
    return em.findOne(WorkflowEntity, { where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } });
  }

  async get(
    workspaceId: string,
    id: string,
    em: EntityManager = this.db.manager,
  ): Promise<WorkflowRow | null> {
    const workflow = await em.findOneBy(WorkflowEntity, { workspaceId, id });
    return workflow ? this.rowOf(workflow, em) : null;
  }

  async list(workspaceId: string): Promise<WorkflowRow[]> {
    const workflows = await this.db.manager.find(WorkflowEntity, {
      where: { workspaceId },
      order: { createdAt: 'ASC' },
    });
    return Promise.all(workflows.map((w) => this.rowOf(w, this.db.manager)));
  }

  findVersion(id: string, em: EntityManager = this.db.manager): Promise<WorkflowVersionEntity | null> {
    return em.findOneBy(WorkflowVersionEntity, { id });
  }

  /**
   * The workflow version a post is reviewed under when submitted now: the one it
   * asked for, else its channel's, else the workspace default; null when none.
   */
  async currentFor(
    workspaceId: string,
    channelId: string,
    explicitWorkflowId: string | null,
    em: EntityManager,
  ): Promise<WorkflowVersionEntity | null> {
    const rows = await em.query<Array<{ id: string }>>(
      `SELECT v.id FROM workflows w
         JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.current_version
        WHERE w.workspace_id = $1
          AND ( ($3::uuid IS NOT NULL AND w.id = $3::uuid)
             OR ($3::uuid IS NULL AND (w.id IN (SELECT workflow_id FROM workflow_channels WHERE channel_id = $2) OR w.is_default)) )
        ORDER BY (w.id IN (SELECT workflow_id FROM workflow_channels WHERE channel_id = $2)) DESC
        LIMIT 1`,
      [workspaceId, channelId, explicitWorkflowId],
    );
    return rows[0] ? this.findVersion(rows[0].id, em) : null;
  }

  private async rowOf(workflow: WorkflowEntity, em: EntityManager): Promise<WorkflowRow> {
    const current = await em.findOneByOrFail(WorkflowVersionEntity, {
      workflowId: workflow.id,
      version: workflow.currentVersion,
    });
    const channels = await em.findBy(WorkflowChannelEntity, { workflowId: workflow.id });
    return { workflow, current, channelIds: channels.map((c) => c.channelId) };
  }
}
