import type { WorkflowRow } from '@app/persistence';
import { ApiProperty } from '@nestjs/swagger';
import { StageDto, WorkflowOptionsDto } from './dto/workflow.dto';

export class WorkflowView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'each change of stages or options makes a new one' }) version!: number;
  @ApiProperty() isDefault!: boolean;
  @ApiProperty({ description: 'the workflow for emergency posts during a pause' }) emergency!: boolean;
  @ApiProperty({ type: [String], description: 'channels that use it' }) channelIds!: string[];
  @ApiProperty({ type: [StageDto] }) stages!: StageDto[];
  @ApiProperty({ type: WorkflowOptionsDto }) options!: WorkflowOptionsDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', description: 'when the current version was made' }) updatedAt!: string;
}

export function workflowView({ workflow, current, channelIds }: WorkflowRow): WorkflowView {
  // `emergency` is kept among the options but shown (and set) beside them.
  const { emergency, ...options } = current.options;
  return {
    id: workflow.id,
    name: workflow.name,
    version: current.version,
    isDefault: workflow.isDefault,
    emergency: emergency ?? false,
    channelIds,
    stages: current.stages,
    options,
    createdAt: workflow.createdAt.toISOString(),
    updatedAt: current.createdAt.toISOString(),
  };
}
