import { Global, Module } from '@nestjs/common';
import { ScoringRulesModule } from '../../queries/scoring-rules.module';
import { AccountAsOfReader } from './account-as-of.reader';
import { AccountSnapshotCache, SNAPSHOT_POLICY, SNAPSHOT_POLICY_TOKEN } from './account-snapshots.cache';
import { AccountStateController } from './account-state.controller';
import { LtvModelsAsOfCache } from './ltv-models-as-of.cache';

/**
 * API.md "Audit": an account's state and health as of any instant on either axis. Global, so
 * that the health controller of QueriesModule can serve GET /v1/health/:accountId?asOf= from the
 * same reader (one route, two forms) without the two modules importing each other.
 */
@Global()
@Module({
  imports: [ScoringRulesModule],
  controllers: [AccountStateController],
  providers: [AccountAsOfReader, LtvModelsAsOfCache, AccountSnapshotCache, { provide: SNAPSHOT_POLICY_TOKEN, useValue: SNAPSHOT_POLICY }],
  exports: [AccountAsOfReader],
})
export class AsOfModule {}
