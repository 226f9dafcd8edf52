import { ApiProperty } from '@nestjs/swagger';
import { ESCALATION_RULES, SEVERITIES, type EscalationRule, type Severity } from '@ahe/events';
import { ESCALATION_STATUSES, type EscalationStatus, type EscalationView, type Page } from '@ahe/read-models';

/* OpenAPI shapes of the escalation answers; `implements` keeps them in step with @ahe/read-models. */

export class EscalationViewDto implements EscalationView {
  @ApiProperty() readonly escalationId!: string;
  @ApiProperty({ example: 'acme' }) readonly accountId!: string;
  @ApiProperty() readonly accountName!: string;
  @ApiProperty({ description: "The account's current manager" }) readonly managerId!: string;
  @ApiProperty() readonly segment!: string;
  @ApiProperty({ enum: ESCALATION_RULES }) readonly rule!: EscalationRule;
  @ApiProperty() readonly reason!: string;
  @ApiProperty({ enum: SEVERITIES, nullable: true }) readonly severity!: Severity | null;
  @ApiProperty({ enum: ESCALATION_STATUSES }) readonly status!: EscalationStatus;
  @ApiProperty({ description: 'eventId of the event that fired the rule (for a timer, the one that started it)' }) readonly triggeringEventId!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it should be acknowledged by' }) readonly dueAt!: string | null;
  @ApiProperty({ format: 'date-time', description: 'occurredAt of EscalationOpened' }) readonly createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readonly acknowledgedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Actor that acknowledged, e.g. writer:3f2a…' }) readonly acknowledgedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) readonly acknowledgementNote!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readonly resolvedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) readonly resolution!: string | null;
  @ApiProperty({ description: 'Global position of the last event that changed the row' }) readonly position!: number;
  @ApiProperty({ format: 'date-time', description: 'recordedAt of that event' }) readonly updatedAt!: string;
}

export class EscalationPageDto implements Page<EscalationView> {
  @ApiProperty({ type: [EscalationViewDto] }) readonly items!: readonly EscalationViewDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last' }) readonly nextCursor!: string | null;
}
