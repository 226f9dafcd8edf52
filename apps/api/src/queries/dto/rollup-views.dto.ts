import { ApiProperty } from '@nestjs/swagger';
import type { PortfolioGroupBy, PortfolioRollup, SatisfactionTrendPoint, TrendGroupBy, TrendInterval } from '@ahe/read-models';

/* OpenAPI shapes of the satisfaction trends and portfolio answers. */

class CsatFiguresDto {
  @ApiProperty() readonly responses!: number;
  @ApiProperty({ type: Number, nullable: true, description: '0–100' }) readonly mean!: number | null;
}

class NpsFiguresDto {
  @ApiProperty() readonly responses!: number;
  @ApiProperty() readonly promoters!: number;
  @ApiProperty() readonly detractors!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Net Promoter Score, -100..100' }) readonly score!: number | null;
}

export class SatisfactionTrendPointDto implements SatisfactionTrendPoint {
  @ApiProperty({ enum: ['account', 'segment', 'manager'] }) readonly groupBy!: TrendGroupBy;
  @ApiProperty({ description: 'The account id, segment or manager id' }) readonly key!: string;
  @ApiProperty({ enum: ['week', 'month'] }) readonly interval!: TrendInterval;
  @ApiProperty({ format: 'date', description: 'First day of the week (Monday) or month' }) readonly period!: string;
  @ApiProperty() readonly responses!: number;
  @ApiProperty({ description: 'Mean on the 0–100 scale' }) readonly mean!: number;
  @ApiProperty({ type: CsatFiguresDto }) readonly csat!: CsatFiguresDto;
  @ApiProperty({ type: NpsFiguresDto }) readonly nps!: NpsFiguresDto;
}

export class SatisfactionTrendsDto {
  @ApiProperty({ enum: ['account', 'segment', 'manager'] }) readonly groupBy!: TrendGroupBy;
  @ApiProperty({ enum: ['week', 'month'] }) readonly interval!: TrendInterval;
  @ApiProperty({ type: [SatisfactionTrendPointDto] }) readonly items!: readonly SatisfactionTrendPointDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last' }) readonly nextCursor!: string | null;
}

class BandCountsDto {
  @ApiProperty() readonly green!: number;
  @ApiProperty() readonly amber!: number;
  @ApiProperty() readonly red!: number;
}

export class PortfolioRollupDto implements PortfolioRollup {
  @ApiProperty({ enum: ['manager', 'segment'] }) readonly groupBy!: PortfolioGroupBy;
  @ApiProperty() readonly key!: string;
  @ApiProperty({ description: 'ISO 4217 currency of the amounts' }) readonly currency!: string;
  @ApiProperty() readonly accounts!: number;
  @ApiProperty({ type: BandCountsDto, description: 'Open accounts per band' }) readonly bands!: BandCountsDto;
  @ApiProperty({ description: 'Accounts churned at their contract\'s end after a lost renewal, and not closed' }) readonly churned!: number;
  @ApiProperty({ description: 'Closed accounts (AccountClosed)' }) readonly closed!: number;
  @ApiProperty({ description: 'Annual contract value of open red accounts, minor units' }) readonly revenueAtRisk!: number;
  @ApiProperty({ description: 'Annual contract value of open amber accounts, minor units' }) readonly revenueAtWatch!: number;
  @ApiProperty() readonly expectedLtv!: number;
  @ApiProperty() readonly realizedLtv!: number;
}

export class PortfolioDto {
  @ApiProperty({ enum: ['manager', 'segment'] }) readonly groupBy!: PortfolioGroupBy;
  @ApiProperty({ type: [PortfolioRollupDto] }) readonly items!: readonly PortfolioRollupDto[];
}
