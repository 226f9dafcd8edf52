import { HttpException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { IsString, MaxLength, ValidateIf } from 'class-validator';
import { TEXT_LIMITS } from '@ahe/events';
import { StrictValidationPipe } from '@ahe/platform';
import { ACCOUNT_STATUSES, BANDS, type Band } from '@ahe/read-models';
import { EnumField, IdField, TextField } from '../../accounts/dto/fields';
import { HEALTH_SORTS, HealthListQueryDto, toHealthListQuery } from './health-list.query';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, QueryNumberField } from './query-fields';

/** The DTO as it was, numbers converted by @Transform: the reference for results and 400 bodies. */
class TransformedHealthListQueryDto {
  @EnumField(BANDS, { optional: true })
  readonly band?: Band;

  @IdField({ optional: true })
  readonly managerId?: string;

  @TextField(TEXT_LIMITS.label, { optional: true })
  readonly segment?: string;

  @EnumField(ACCOUNT_STATUSES, { optional: true })
  readonly status?: string;

  @QueryNumberField({ min: 0, max: 100 })
  readonly minRisk?: number;

  @QueryNumberField({ min: 0, max: 100 })
  readonly maxRisk?: number;

  @EnumField(HEALTH_SORTS, { optional: true })
  readonly sort?: string;

  @QueryNumberField({ min: 1, max: MAX_PAGE_SIZE, integer: true, default: DEFAULT_PAGE_SIZE })
  readonly limit?: number;

  @ValidateIf((_query: object, value: unknown) => value !== undefined)
  @IsString()
  @MaxLength(2_048)
  readonly cursor?: string;
}

const NUMBERS = ['0', '1', '50', '100', '101', '1000', '1001', '-1', '-0', '0.5', '99.99', '1e2', '0x10', ' 5', '5 ', '', 'abc', '1.', '.5', '007', '1234567890123456', 'NaN', 'Infinity'];

/** What the pipe answers: the instance's numbers as the list query sees them, or the 400's body. */
async function outcome(metatype: new () => object, query: Record<string, unknown>): Promise<unknown> {
  const metadata: ArgumentMetadata = { type: 'query', metatype, data: undefined };
  try {
    const dto = (await new StrictValidationPipe().transform(Object.assign(Object.create(null) as object, query), metadata)) as Record<string, unknown>;
    const { minRisk, maxRisk, limit } = dto;
    return { minRisk: minRisk === undefined ? undefined : Number(minRisk), maxRisk: maxRisk === undefined ? undefined : Number(maxRisk), limit: limit === undefined ? undefined : Number(limit) };
  } catch (error) {
    return { status: (error as HttpException).getStatus(), body: (error as HttpException).getResponse() };
  }
}

describe('HealthListQueryDto (numbers kept as query text)', () => {
  const queries: Record<string, unknown>[] = [
    {},
    ...NUMBERS.flatMap((text) => [{ limit: text }, { minRisk: text }, { maxRisk: text }]),
    { limit: ['1', '2'] },
    { minRisk: 'x', maxRisk: '200', limit: '0' },
    { band: 'red', sort: '-churnRisk', limit: '50' },
    { band: 'purple', limit: 'abc', unknown: '1' },
  ];

  it.each(queries.map((query) => [JSON.stringify(query), query]))('answers %s as the transformed DTO did', async (_name, query) => {
    expect(await outcome(HealthListQueryDto, query)).toEqual(await outcome(TransformedHealthListQueryDto, query));
  });

  it('answers a bad number with every failing check, in order', async () => {
    expect(await outcome(HealthListQueryDto, { limit: 'abc' })).toEqual({
      status: 400,
      body: {
        message: 'limit must be an integer from 1 to 1000; limit must not be less than 1; limit must not be greater than 1000',
        code: 'VALIDATION_FAILED',
        field: 'limit',
        details: [{ field: 'limit', messages: ['limit must be an integer from 1 to 1000', 'limit must not be less than 1', 'limit must not be greater than 1000'] }],
      },
    });
  });

  it("takes the pipe's flat-DTO shortcut (no class-transformer, no class-validator), which a @Transform rules out", async () => {
    const full = jest.spyOn(ValidationPipe.prototype, 'transform');
    try {
      const query = { band: 'red', sort: '-churnRisk', limit: '50', minRisk: '10', maxRisk: '90.5' };
      const metadata: ArgumentMetadata = { type: 'query', metatype: HealthListQueryDto, data: undefined };
      const pipe = new StrictValidationPipe();
      expect(await pipe.transform(query, metadata)).toEqual(Object.assign(new HealthListQueryDto(), query));
      expect(full).not.toHaveBeenCalled();
      await pipe.transform({ limit: '50' }, { ...metadata, metatype: TransformedHealthListQueryDto });
      expect(full).toHaveBeenCalledTimes(1);
    } finally {
      full.mockRestore();
    }
  });

  it('turns the texts into the numbers of the list query', () => {
    const dto = Object.assign(new HealthListQueryDto(), { limit: '50', minRisk: '10', maxRisk: '90.5' });
    expect(toHealthListQuery(dto)).toMatchObject({ limit: 50, minRisk: 10, maxRisk: 90.5, sort: { key: 'churnRisk', descending: true } });
    expect(toHealthListQuery(new HealthListQueryDto())).toMatchObject({ limit: DEFAULT_PAGE_SIZE, minRisk: undefined, maxRisk: undefined });
    expect(() => toHealthListQuery(Object.assign(new HealthListQueryDto(), { minRisk: '-0', maxRisk: '-1' }))).toThrow('minRisk (0) must not be greater than maxRisk (-1)');
  });
});
