import { HttpException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { StrictValidationPipe } from '@ahe/platform';
import { AccountIdParams, ComplaintParams, InvoiceParams } from './account-id.params';
import { AssignManagerDto } from './assign-manager.dto';
import { CloseAccountDto } from './close-account.dto';
import { IssueInvoiceDto } from './issue-invoice.dto';
import { LogContactDto } from './log-contact.dto';
import { OpenAccountDto } from './open-account.dto';
import { RaiseComplaintDto } from './raise-complaint.dto';
import { RecordPaymentDto } from './record-payment.dto';
import { RecordRenewalDto } from './record-renewal.dto';
import { RecordSurveyDto } from './record-survey.dto';
import { ResolveComplaintDto } from './resolve-complaint.dto';
import { WinExpansionDto } from './win-expansion.dto';

type Dto = new () => object;
type Outcome = { readonly resolved: unknown; readonly type?: string } | { readonly status: number; readonly body: unknown };

const pipe = new StrictValidationPipe();

async function outcomeOf(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const resolved = await run();
    return { resolved: { ...(resolved as object) }, type: (resolved as object).constructor.name };
  } catch (error) {
    if (!(error instanceof HttpException)) throw error;
    return { status: error.getStatus(), body: error.getResponse() };
  }
}

/** Nest's ValidationPipe with the pipe's own options and error shape: what answered every request before the shortcut. */
const viaValidationPipe = (value: unknown, metadata: ArgumentMetadata) => outcomeOf(() => ValidationPipe.prototype.transform.call(pipe, value, metadata));

/** Every value a rule of `dto` names (IsIn lists, Min/Max bounds) and a pool of near misses of every type. */
function valuesFor(dto: Dto): string[] {
  const named = getMetadataStorage()
    .getTargetValidationMetadatas(dto, undefined as unknown as string, false, false)
    .flatMap((metadata) => (metadata.name === 'isIn' ? (metadata.constraints[0] as unknown[]) : ['min', 'max'].includes(metadata.name ?? '') ? metadata.constraints : []));
  const pool = ['"acme"', '"mgr-7"', '""', '" "', '"a b"', `"${'x'.repeat(5001)}"`, '"2026-01-31"', '"2026-02-30"', '"2026-01-31T09:30:00Z"', '"EUR"', '"5"'];
  const numbers = ['0', '1', '-1', '2.5', '1e16', '100', 'true', 'null', '[]', '["a"]', '{}'];
  return [...new Set([...named.map((value) => JSON.stringify(value)), ...pool, ...numbers])];
}

const propertiesOf = (dto: Dto) => [...new Set(getMetadataStorage().getTargetValidationMetadatas(dto, undefined as unknown as string, false, false).map((metadata) => metadata.propertyName))];

describe('command DTOs through StrictValidationPipe', () => {
  const dtos: readonly [Dto, ArgumentMetadata['type']][] = [
    [LogContactDto, 'body'], [RecordSurveyDto, 'body'], [OpenAccountDto, 'body'], [AssignManagerDto, 'body'], [CloseAccountDto, 'body'],
    [IssueInvoiceDto, 'body'], [RecordPaymentDto, 'body'], [RecordRenewalDto, 'body'], [RaiseComplaintDto, 'body'],
    [ResolveComplaintDto, 'body'], [WinExpansionDto, 'body'], [AccountIdParams, 'param'], [ComplaintParams, 'param'], [InvoiceParams, 'param'],
  ];

  it.each(dtos)('%p: random inputs get the answer Nest’s ValidationPipe gave, errors and instances alike', async (dto, type) => {
    const keys = [...propertiesOf(dto), 'extra'];
    const values = valuesFor(dto);
    let seed = dto.name.length;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const answers = { valid: 0, invalid: 0 };
    for (let n = 0; n < 200; n++) {
      const text = `{${keys.filter((key) => key !== 'extra' ? random(6) > 0 : random(8) === 0).map((key) => `"${key}":${values[random(values.length)]}`).join(',')}}`;
      const metadata: ArgumentMetadata = { type, metatype: dto };
      const expected = await viaValidationPipe(JSON.parse(text), metadata);
      expect(await outcomeOf(() => pipe.transform(JSON.parse(text), metadata))).toEqual(expected);
      answers['status' in expected ? 'invalid' : 'valid']++;
    }
    expect(answers.invalid).toBeGreaterThan(0);
  });

  it('a valid contact, survey and account id skip class-transformer and class-validator', async () => {
    const stock = jest.spyOn(ValidationPipe.prototype, 'transform');
    try {
      // Route parameters as Fastify's router gives them: on an empty null-prototype object.
      const params = Object.assign(Object.create(Object.create(null) as object) as object, { accountId: 'acme' });
      await expect(pipe.transform(params, { type: 'param', metatype: AccountIdParams })).resolves.toBeInstanceOf(AccountIdParams);
      const contact = { channel: 'call', direction: 'outbound', summary: 'Quarterly review', sentiment: 0.4, occurredAt: '2026-01-31T09:30:00Z' };
      await expect(pipe.transform(contact, { type: 'body', metatype: LogContactDto })).resolves.toEqual(Object.assign(new LogContactDto(), contact));
      await expect(pipe.transform({ kind: 'nps', score: 9 }, { type: 'body', metatype: RecordSurveyDto })).resolves.toBeInstanceOf(RecordSurveyDto);
      expect(stock).not.toHaveBeenCalled();
    } finally {
      stock.mockRestore();
    }
  });
});
