import { ApiProperty } from '@nestjs/swagger';
import {
  ACCOUNT_STATUSES, BANDS, type AccountHealthView, type AccountStatus, type Arrow, type Band, type ChurnRiskFactor, type HealthHistoryPoint, type HistoryInterval,
  type LtvSummary, type Page, type SatisfactionSummary,
} from '@ahe/read-models';

/* OpenAPI shapes of the health answers; `implements` keeps them in step with @ahe/read-models. */

export class ChurnRiskFactorDto implements ChurnRiskFactor {
  @ApiProperty({ example: 'openComplaints' }) readonly name!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'What was measured: a count, days, a score, a slope' }) readonly value!: number | null;
  @ApiProperty({ description: 'Points added to churnRisk; all factors add up to churnRisk' }) readonly points!: number;
}

export class SatisfactionSummaryDto implements SatisfactionSummary {
  @ApiProperty({ type: Number, nullable: true, description: '0–100 (csat and nps on one scale)' }) readonly latest!: number | null;
  @ApiProperty({ type: Number, nullable: true }) readonly mean90d!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Slope, points per 30 days' }) readonly trend!: number | null;
  @ApiProperty({ enum: ['up', 'flat', 'down'] }) readonly arrow!: Arrow;
}

export class LtvSummaryDto implements LtvSummary {
  @ApiProperty({ description: 'Payments received, minor units' }) readonly realized!: number;
  @ApiProperty({ description: 'Expected future value, minor units' }) readonly expected!: number;
  @ApiProperty() readonly total!: number;
  @ApiProperty({ example: 'EUR' }) readonly currency!: string;
  @ApiProperty({
    description: 'The model behind expected: sbg (remaining contract + DERL × annual value), bgnbd-gamma-gamma, contract (remaining contract only), none',
    enum: ['sbg', 'bgnbd-gamma-gamma', 'contract', 'none'],
    example: 'sbg',
  })
  readonly model!: string;
}

export class AccountHealthViewDto implements AccountHealthView {
  @ApiProperty({ example: 'acme' }) readonly accountId!: string;
  @ApiProperty() readonly name!: string;
  @ApiProperty() readonly segment!: string;
  @ApiProperty() readonly managerId!: string;
  @ApiProperty({ enum: ACCOUNT_STATUSES, description: 'churned: from the day after the contract\'s end, once its renewal is lost' }) readonly status!: AccountStatus;
  @ApiProperty({ minimum: 0, maximum: 100 }) readonly churnRisk!: number;
  @ApiProperty({ enum: BANDS }) readonly band!: Band;
  @ApiProperty({ type: [ChurnRiskFactorDto] }) readonly factors!: readonly ChurnRiskFactorDto[];
  @ApiProperty({ type: SatisfactionSummaryDto }) readonly satisfaction!: SatisfactionSummaryDto;
  @ApiProperty({ type: LtvSummaryDto }) readonly ltv!: LtvSummaryDto;
  @ApiProperty() readonly openComplaints!: number;
  @ApiProperty() readonly overdueInvoices!: number;
  @ApiProperty({ type: Number, nullable: true }) readonly daysSinceLastContact!: number | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) readonly renewalDate!: string | null;
  @ApiProperty() readonly scoringVersion!: string;
  @ApiProperty({ description: 'Global position of the last event folded into the row' }) readonly position!: number;
  @ApiProperty({ format: 'date-time' }) readonly updatedAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When the time-based factors were evaluated' }) readonly scoredAt!: string;
}

export class HealthPageDto implements Page<AccountHealthView> {
  @ApiProperty({ type: [AccountHealthViewDto] }) readonly items!: readonly AccountHealthViewDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last' }) readonly nextCursor!: string | null;
}

class HistorySatisfactionDto {
  @ApiProperty({ type: Number, nullable: true }) readonly latest!: number | null;
  @ApiProperty({ type: Number, nullable: true }) readonly mean90d!: number | null;
}

class HistoryLtvDto {
  @ApiProperty() readonly realized!: number;
  @ApiProperty() readonly expected!: number;
  @ApiProperty() readonly total!: number;
}

export class HealthHistoryPointDto implements HealthHistoryPoint {
  @ApiProperty({ format: 'date', description: 'First day of the bucket' }) readonly period!: string;
  @ApiProperty() readonly churnRisk!: number;
  @ApiProperty({ enum: BANDS }) readonly band!: Band;
  @ApiProperty({ type: HistorySatisfactionDto }) readonly satisfaction!: HistorySatisfactionDto;
  @ApiProperty({ type: HistoryLtvDto }) readonly ltv!: HistoryLtvDto;
  @ApiProperty() readonly position!: number;
}

export class HealthHistoryDto {
  @ApiProperty() readonly accountId!: string;
  @ApiProperty({ enum: ['day', 'week', 'month'] }) readonly interval!: HistoryInterval;
  @ApiProperty({ type: [HealthHistoryPointDto] }) readonly items!: readonly HealthHistoryPointDto[];
}
