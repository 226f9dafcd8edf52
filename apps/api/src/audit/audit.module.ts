import { Module } from '@nestjs/common';
import { AccountExportController } from './export/account-export.controller';
import { AccountVerifyController } from './verify/account-verify.controller';

/**
 * API.md "Audit" (role auditor): the tamper check and the NDJSON export of an account's stream.
 * Every audit read, these and the others marked @AuditRead, is logged as an `audit: true` line.
 */
@Module({
  controllers: [AccountVerifyController, AccountExportController],
})
export class AuditModule {}
