import { ApiProperty } from '@nestjs/swagger';
import type { DecileLift, RocPoint } from '@ahe/analytics';
import { BANDS, type Band, type BandCalibration as BandCalibrationView, type ChurnBacktest, type TimeAxis } from '@ahe/read-models';
import { TIME_AXES } from './analytics-query-fields';

/* OpenAPI shapes of GET /v1/analytics/backtest. */

export class RocPointDto implements RocPoint {
  @ApiProperty({ type: Number, nullable: true, description: 'churnRisk at or above which accounts are flagged; null (+∞) for the (0, 0) start' })
  readonly threshold!: number;
  @ApiProperty({ description: 'Share of the churned accounts flagged' }) readonly tpr!: number;
  @ApiProperty({ description: 'Share of the retained accounts flagged' }) readonly fpr!: number;
}

export class DecileLiftDto implements DecileLift {
  @ApiProperty({ minimum: 1, maximum: 10, description: '1 holds the highest churnRisk' }) readonly decile!: number;
  @ApiProperty() readonly accounts!: number;
  @ApiProperty({ description: 'Accounts of the decile that churned within the horizon' }) readonly positives!: number;
  @ApiProperty({ description: 'positives / accounts' }) readonly rate!: number;
  @ApiProperty({ description: 'rate / the overall churn rate; 0 when nobody churned' }) readonly lift!: number;
  @ApiProperty() readonly minScore!: number;
  @ApiProperty() readonly maxScore!: number;
}

export class BandCalibrationDto implements BandCalibrationView {
  @ApiProperty({ enum: BANDS }) readonly band!: Band;
  @ApiProperty() readonly accounts!: number;
  @ApiProperty() readonly churned!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Observed: churned / accounts; null for an empty band' }) readonly churnRate!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Predicted: mean churnRisk of the band at asOf' }) readonly meanChurnRisk!: number | null;
}

class ExcludedDto {
  @ApiProperty({ description: 'Closed by asOf' }) readonly closed!: number;
  @ApiProperty({ description: 'Open, renewal already lost by asOf' }) readonly renewalLost!: number;
}

export class BacktestDto implements ChurnBacktest {
  @ApiProperty({ format: 'date-time' }) readonly asOf!: string;
  @ApiProperty() readonly horizonDays!: number;
  @ApiProperty({ enum: TIME_AXES }) readonly axis!: TimeAxis;
  @ApiProperty({ description: 'Accounts open at asOf with no renewal lost: the ones scored' }) readonly accounts!: number;
  @ApiProperty({ description: 'Of them, those with a RenewalLost or AccountClosed within the horizon' }) readonly churned!: number;
  @ApiProperty({ type: Number, nullable: true }) readonly churnRate!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Area under the ROC curve; null when nobody or everybody churned' }) readonly auc!: number | null;
  @ApiProperty({ type: [RocPointDto] }) readonly roc!: readonly RocPointDto[];
  @ApiProperty({ type: [DecileLiftDto] }) readonly liftByDecile!: readonly DecileLiftDto[];
  @ApiProperty({ type: [BandCalibrationDto] }) readonly calibration!: readonly BandCalibrationDto[];
  @ApiProperty({ type: ExcludedDto, description: 'Accounts left out: their churn was known at asOf' }) readonly excluded!: ExcludedDto;
}
