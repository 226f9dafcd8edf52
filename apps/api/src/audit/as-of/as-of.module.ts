import { Global, Module } from '@nestjs/common';
import { ScoringRulesModule } from '../../queries/scoring-rules.module';
import { AccountAsOfReader } from './account-as-of.reader';
import { AccountSnapshotCache, SNAPSHOT_POLICY, SNAPSHOT_POLICY_TOKEN } from './account-snapshots.cache';
import { AccountStateController } from './account-state.controller';
import { LtvIndexWarmUp } from './ltv-index-warm-up';
import { LtvModelsAsOfCache } from './ltv-models-as-of.cache';

/**
 * API.md "Audit": an account's state and health as of any instant on either axis. Global, so
 * that the health controller of QueriesModule can serve GET /v1/health/:accountId?asOf= from the
 * same reader (one route, two forms) without the two modules importing each other. It shares its
 * LtvModelsAsOfCache with GET /v1/ltv/models?asOf=, so one index of the log serves both, built
 * in the background once the server listens (LtvIndexWarmUp).
 */
@Global()
@Module({
  imports: [ScoringRulesModule],
  controllers: [AccountStateController],
  providers: [AccountAsOfReader, LtvModelsAsOfCache, LtvIndexWarmUp, AccountSnapshotCache, { provide: SNAPSHOT_POLICY_TOKEN, useValue: SNAPSHOT_POLICY }],
  exports: [AccountAsOfReader, LtvModelsAsOfCache],
})
export class AsOfModule {}
