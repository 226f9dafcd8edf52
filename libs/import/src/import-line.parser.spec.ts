import { z } from 'zod';
import { parseImportLine } from './import-line.parser';
import { InvalidImportLineError } from './import.errors';

const valid = {
  accountId: 'acme',
  type: 'InvoiceIssued',
  occurredAt: '2025-03-01T12:00:00+02:00',
  data: { invoiceId: 'inv-1', amount: 1000, dueOn: '2025-03-31' },
};

const problemOf = (line: unknown) => {
  try {
    parseImportLine(typeof line === 'string' ? line : JSON.stringify(line), 9);
  } catch (error) {
    if (error instanceof InvalidImportLineError) return { code: error.code, field: error.field, message: error.message };
    throw error;
  }
  throw new Error('the line was accepted');
};

describe('parseImportLine', () => {
  it('accepts a valid line, derives the stream and stores occurredAt in UTC', () => {
    expect(parseImportLine(JSON.stringify(valid), 1)).toEqual({
      line: 1,
      accountId: 'acme',
      streamId: 'account-acme',
      occurredAt: '2025-03-01T10:00:00.000Z',
      event: { type: 'InvoiceIssued', data: valid.data },
    });
    expect(parseImportLine(JSON.stringify({ ...valid, streamId: 'account-acme' }), 1).streamId).toBe('account-acme');
  });

  it("gives a complaint without slaDueAt its severity's deadline from occurredAt, as the command does, and keeps a given one", () => {
    const complaint = { complaintId: 'c-1', severity: 'critical', category: 'outage', description: 'Down' };
    const line = (data: object) => JSON.stringify({ accountId: 'acme', type: 'ComplaintRaised', occurredAt: '2025-03-01T12:00:00+02:00', data });
    expect(parseImportLine(line(complaint), 1).event.data).toEqual({ ...complaint, slaDueAt: '2025-03-01T14:00:00.000Z' });
    expect(parseImportLine(line({ ...complaint, severity: 'low' }), 1).event.data).toMatchObject({ slaDueAt: '2025-03-08T10:00:00.000Z' });
    expect(parseImportLine(line({ ...complaint, slaDueAt: '2025-03-02T00:00:00Z' }), 1).event.data).toMatchObject({ slaDueAt: '2025-03-02T00:00:00Z' });
    expect(problemOf(line({ ...complaint, severity: 'dire' }))).toMatchObject({ code: 'INVALID_DATA', field: 'data.severity' });
  });

  it.each([
    ['{', 'INVALID_JSON', undefined, /^line 9: not valid JSON/],
    ['"text"', 'INVALID_LINE', undefined, /must be a JSON object/],
    [{ ...valid, accountId: 'a:b' }, 'INVALID_FIELD', 'accountId', /accountId must be an id/],
    [{ ...valid, streamId: 'account-other' }, 'STREAM_MISMATCH', 'streamId', /streamId "account-other" must be "account-acme"/],
    [{ ...valid, type: 'invoiceissued' }, 'UNKNOWN_TYPE', 'type', /type "invoiceissued" is not a known event type/],
    [{ ...valid, occurredAt: '2025-03-01T12:00:00' }, 'INVALID_FIELD', 'occurredAt', /occurredAt must be an ISO 8601 timestamp/],
    [{ ...valid, data: { ...valid.data, dueOn: '31/03/2025' } }, 'INVALID_DATA', 'data.dueOn', /line 9: InvoiceIssued data\.dueOn must be a calendar date/],
    [{ ...valid, data: undefined }, 'INVALID_DATA', 'data', /InvoiceIssued data is required/],
    [{ ...valid, extra: 1 }, 'UNKNOWN_FIELD', 'extra', /extra is not a known field/],
  ])('refuses %j as %s', (line, code, field, message) => {
    const problem = problemOf(line);
    expect(problem).toMatchObject({ code, field });
    expect(problem.message).toMatch(message);
  });

  it('names a streamId or type that is not a string by its kind, however deeply it is nested', () => {
    const nested = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    const line = (field: string, value: string) => JSON.stringify(valid).replace(/^\{/, `{"${field}":${value},`);
    expect(problemOf(line('streamId', nested))).toEqual({
      code: 'STREAM_MISMATCH', field: 'streamId', message: 'line 9: streamId (an array) must be "account-acme" for accountId acme',
    });
    expect(problemOf(JSON.stringify(valid).replace('"InvoiceIssued"', `{"a":${nested}}`))).toMatchObject({
      code: 'UNKNOWN_TYPE', field: 'type', message: expect.stringMatching(/^line 9: type \(an object\) is not a known event type/),
    });
    expect(problemOf({ ...valid, type: 7 }).message).toMatch(/^line 9: type \(a number\) is not/);
    expect(problemOf({ ...valid, type: undefined }).message).toMatch(/^line 9: type \(missing\) is not/);
  });

  it('quotes at most 64 characters of a long streamId, type or unknown field', () => {
    const long = 'x'.repeat(100_000);
    const cut = `${'x'.repeat(64)}…`;
    expect(problemOf({ ...valid, streamId: long }).message).toContain(`streamId "${cut}" must be`);
    expect(problemOf({ ...valid, type: long }).message).toContain(`type "${cut}" is not`);
    expect(problemOf({ ...valid, [long]: 1 })).toEqual({ code: 'UNKNOWN_FIELD', field: cut, message: `line 9: ${cut} is not a known field` });
  });

  // UTC timestamps on a day every year's month has skip the full check: both must agree.
  it('accepts and refuses each day of the month exactly as an ISO 8601 check of the calendar does', () => {
    const iso = z.iso.datetime({ offset: true });
    for (const year of ['2024', '2025', '1900', '2000']) {
      for (let month = 0; month <= 13; month++) {
        for (const day of ['00', '01', '28', '29', '30', '31', '32']) {
          for (const time of ['T23:59:59Z', 'T00:00:00.5Z', 'T24:00:00Z']) {
            const occurredAt = `${year}-${String(month).padStart(2, '0')}-${day}${time}`;
            const accepted = iso.safeParse(occurredAt).success;
            const line = JSON.stringify({ ...valid, occurredAt });
            if (accepted) expect(parseImportLine(line, 1).occurredAt).toBe(new Date(occurredAt).toISOString());
            else expect(problemOf(line)).toMatchObject({ code: 'INVALID_FIELD', field: 'occurredAt' });
          }
        }
      }
    }
  });
});
