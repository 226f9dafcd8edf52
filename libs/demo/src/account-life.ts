import type { SegmentName, SegmentProfile } from './demo-catalogue';
import type { AccountTimeline } from './account-timeline';
import type { SeededRandom } from './seeded-random';

/**
 * What decides churn: `signals`, the observable symptoms of the latent health (README.md); or
 * `random`, the same overall rates with no link to anything observable, the null case a
 * churn-score backtest must not find signal in.
 */
export type ChurnMode = 'signals' | 'random';

/** The simulation's view of one account while its life unfolds. */
export interface AccountLife {
  readonly accountId: string;
  readonly rng: SeededRandom;
  readonly timeline: AccountTimeline;
  readonly segment: SegmentName;
  readonly profile: SegmentProfile;
  readonly openedAt: number;
  readonly endsAt: number;
  readonly churn: ChurnMode;
  /**
   * Latent health, about N(0.3, 1) at the start: a random walk the signals are drawn from.
   * Below about -0.6 the account goes quiet. Never emitted: only its symptoms are.
   */
  health: number;
  managerId: string;
  annualValue: number;
  /** null for a non-contractual account. */
  contractEndsOn: string | null;
  renewalLost: boolean;
  invoices: number;
  complaints: number;
}
