import { ApiProperty } from '@nestjs/swagger';
import type { BgNbdFit, GammaGammaFit, LtvModels, SbgFit, TimeAxis } from '@ahe/read-models';
import { TIME_AXES } from './analytics-query-fields';

/* OpenAPI shapes of GET /v1/ltv/models; `implements` keeps them in step with @ahe/read-models. */

class FitFiguresDto {
  @ApiProperty({ description: 'Customers in the fit' }) readonly n!: number;
  @ApiProperty({ description: 'Log-likelihood at the parameters (natural log)' }) readonly logLikelihood!: number;
}

export class SbgFitDto extends FitFiguresDto implements SbgFit {
  @ApiProperty({ example: 'enterprise' }) readonly segment!: string;
  @ApiProperty({ description: 'Beta(alpha, beta) of the churn probability per contract term' }) readonly alpha!: number;
  @ApiProperty() readonly beta!: number;
}

export class BgNbdFitDto extends FitFiguresDto implements BgNbdFit {
  @ApiProperty({ description: 'Gamma(r, alpha) of the purchase rate per week' }) readonly r!: number;
  @ApiProperty() readonly alpha!: number;
  @ApiProperty({ description: 'Beta(a, b) of the dropout probability after a purchase' }) readonly a!: number;
  @ApiProperty() readonly b!: number;
}

export class GammaGammaFitDto extends FitFiguresDto implements GammaGammaFit {
  @ApiProperty() readonly p!: number;
  @ApiProperty() readonly q!: number;
  @ApiProperty() readonly v!: number;
}

export class RejectedFitDto {
  @ApiProperty({ enum: ['sbg', 'bgnbd', 'gamma-gamma'] }) readonly model!: 'sbg' | 'bgnbd' | 'gamma-gamma';
  @ApiProperty({ description: "The sbg row's segment; '' for the portfolio-wide models" }) readonly segment!: string;
  @ApiProperty({ description: 'Why the fit is not used (docs/analytics.md "When a fit is not used")' }) readonly reason!: string;
}

export class LtvModelsDto implements LtvModels {
  @ApiProperty({ format: 'date-time', description: 'The instant the history is taken as of' }) readonly asOf!: string;
  @ApiProperty({ enum: TIME_AXES }) readonly axis!: TimeAxis;
  @ApiProperty({ description: 'Global position of the last event in the data' }) readonly position!: number;
  @ApiProperty({ description: 'Identifies the fit; account_health rows name the fit their expected LTV used' }) readonly fitId!: string;
  @ApiProperty({ type: [SbgFitDto], description: 'One per segment with a renewal decision, by segment' }) readonly sbg!: readonly SbgFitDto[];
  @ApiProperty({ type: BgNbdFitDto, nullable: true, description: 'null without purchase data to fit' }) readonly bgnbd!: BgNbdFitDto | null;
  @ApiProperty({ type: GammaGammaFitDto, nullable: true, description: 'null without repeat purchases to fit' }) readonly gammaGamma!: GammaGammaFitDto | null;
  @ApiProperty({ type: [RejectedFitDto], required: false, description: 'Fits refused, with the reason; their accounts fall back to the next model' })
  readonly rejected?: readonly RejectedFitDto[];
}
