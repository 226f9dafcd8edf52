import { InvalidCursorError } from '../account-health/health-cursor';
import { encodeEscalationCursor } from './escalation-cursor';
import { HANDOVER, projectEscalations, type EscalationsHarness } from './escalations.harness.contract';
import { EscalationQueries } from './escalations.queries';
import type { EscalationListQuery, EscalationView } from './escalations.types';

const newestFirst = (a: EscalationView, b: EscalationView) =>
  a.createdAt === b.createdAt ? (a.escalationId < b.escalationId ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1;

/** Queries on tables under their logical names, as the engine's views serve them. */
export function describeEscalationQueries(harness: EscalationsHarness): void {
  describe('escalation queries', () => {
    let queries: EscalationQueries;
    let all: readonly EscalationView[];

    const walk = async (query: Omit<EscalationListQuery, 'limit' | 'cursor'>, limit: number): Promise<EscalationView[]> => {
      const seen: EscalationView[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 1_000; pages++) {
        const page = await queries.list({ ...query, limit, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...page.items);
        if (page.nextCursor === null) return seen;
        expect(page.items).toHaveLength(limit);
        cursor = page.nextCursor;
      }
      throw new Error('pagination does not end');
    };

    beforeAll(async () => {
      await projectEscalations(harness.sql(), '', harness.log(), { batchSize: 250 });
      queries = new EscalationQueries(harness.sql());
      all = (await queries.list({ limit: 1_000 })).items;
    });

    it('lists newest first, ties broken by escalation id, 100 by default', async () => {
      expect(all.length).toBeGreaterThan(40);
      expect(all.length).toBeLessThan(1_000);
      expect([...all].sort(newestFirst)).toEqual(all);
      const first = await queries.list({});
      expect(first.items).toEqual(all.slice(0, 100));
      expect(first.nextCursor).toBe(all.length > 100 ? expect.any(String) : null);
    });

    it('walks every row exactly once, in the order of one big page, whatever the page size', async () => {
      for (const limit of [1, 3, 7]) expect((await walk({}, limit)).map((view) => view.escalationId)).toEqual(all.map((view) => view.escalationId));
      // esc-h1 and esc-h2 share created_at: a page boundary between them loses neither.
      const handover = await walk({ accountId: HANDOVER }, 1);
      expect(handover.map((view) => view.escalationId)).toEqual(['esc-h3', 'esc-h2', 'esc-h1']);
    });

    it.each<[string, Omit<EscalationListQuery, 'limit' | 'cursor'>, (view: EscalationView) => boolean]>([
      ['status', { status: 'acknowledged' }, (view) => view.status === 'acknowledged'],
      ['status open', { status: 'open' }, (view) => view.status === 'open'],
      ['accountId', { accountId: HANDOVER }, (view) => view.accountId === HANDOVER],
      ['rule', { rule: 'invoice-overdue' }, (view) => view.rule === 'invoice-overdue'],
      ['managerId', { managerId: 'mgr-esc-b' }, (view) => view.managerId === 'mgr-esc-b'],
      ['several filters', { status: 'resolved', rule: 'complaint-sla-breach' }, (view) => view.status === 'resolved' && view.rule === 'complaint-sla-breach'],
    ])('filters by %s, paged the same way', async (_name, filter, keep) => {
      const expected = all.filter(keep);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(all.length);
      expect((await queries.list({ ...filter, limit: 1_000 })).items).toEqual(expected);
      expect(await walk(filter, 2)).toEqual(expected);
    });

    it('answers nothing for a filter nothing matches', async () => {
      expect(await queries.list({ accountId: 'nobody-at-all' })).toEqual({ items: [], nextCursor: null });
    });

    it('gets one escalation by id, as the list serves it, and null for an unknown id', async () => {
      const h1 = await queries.get('esc-h1');
      expect(h1).toEqual(all.find((view) => view.escalationId === 'esc-h1'));
      expect(h1).toEqual<EscalationView>({
        escalationId: 'esc-h1',
        accountId: HANDOVER,
        accountName: 'Handover Ltd',
        managerId: 'mgr-esc-b',
        segment: 'esc-lab',
        rule: 'band-red',
        reason: 'Band turned red',
        severity: 'high',
        status: 'resolved',
        triggeringEventId: 'trigger-h1',
        dueAt: '2025-04-02T09:00:00.000Z',
        createdAt: '2025-04-01T09:00:00.000Z',
        acknowledgedAt: '2025-04-01T10:00:00.000Z',
        acknowledgedBy: 'writer:alice',
        acknowledgementNote: 'Looking into it',
        resolvedAt: '2025-04-05T09:00:00.000Z',
        resolution: 'Fixed',
        position: expect.any(Number),
        updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      });
      expect(await queries.get('esc-nope')).toBeNull();
    });

    it.each([
      ['not base64url', 'not a cursor!'],
      ['not JSON', Buffer.from('{"c":').toString('base64url')],
      ['another shape', Buffer.from(JSON.stringify({ s: '-churnRisk', v: '1', id: 'a' })).toString('base64url')],
      ['a bad instant', encodeEscalationCursor({ createdAt: '2025-13-45T00:00:00.000Z', escalationId: 'esc-h1' })],
      ['a day that does not exist', encodeEscalationCursor({ createdAt: '2025-02-30T00:00:00.000Z', escalationId: 'esc-h1' })],
      ['year 0, which PostgreSQL has not', encodeEscalationCursor({ createdAt: '0000-01-01T00:00:00.000Z', escalationId: 'esc-h1' })],
      ['a bad id', encodeEscalationCursor({ createdAt: '2025-04-01T09:00:00.000Z', escalationId: "x' OR 1=1" })],
    ])('refuses a cursor that is %s', async (_name, cursor) => {
      await expect(queries.list({ cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it.each([0, 1_001, 2.5])('refuses limit %p', async (limit) => {
      await expect(queries.list({ limit })).rejects.toBeInstanceOf(RangeError);
    });
  });
}
