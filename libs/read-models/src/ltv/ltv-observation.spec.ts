import { minorUnitsPerMajor, observeLtv } from './ltv-observation';
import { closed, foldLtv, invoice, openedWithContract, openedWithoutContract, renewalLost, renewalWon } from './ltv.fixtures';

const contract = { startsOn: '2023-01-01', endsOn: '2023-12-31', annualValue: 120_000 };
const AT = new Date('2024-03-01T15:00:00.000Z');

describe('observeLtv', () => {
  it('sees a contractual account as its survived renewals, churned once lost or closed', () => {
    const opened = openedWithContract('2023-01-01T09:00:00.000Z', 'enterprise', contract);
    const renewed = [opened, renewalWon('2023-12-01T09:00:00.000Z', '2024-12-31', 130_000), renewalWon('2024-12-01T09:00:00.000Z', '2025-12-31', 130_000)];
    expect(observeLtv(foldLtv(renewed), AT)).toEqual({ kind: 'contractual', segment: 'enterprise', sbg: { renewals: 2, churned: false } });
    expect(observeLtv(foldLtv([...renewed, renewalLost('2025-11-01T09:00:00.000Z')]), AT)).toMatchObject({ sbg: { renewals: 2, churned: true } });
    expect(observeLtv(foldLtv([opened, closed('2023-06-01T09:00:00.000Z')]), AT)).toMatchObject({ sbg: { renewals: 0, churned: true } });
  });

  it('has nothing to fit for a non-contractual account without invoices', () => {
    expect(observeLtv(foldLtv([openedWithoutContract('2024-01-01T09:00:00.000Z', 'smb')]), AT)).toEqual({ kind: 'none' });
  });

  it('measures repeat purchases in weeks from the first purchase day, and their mean value in major units', () => {
    const history = foldLtv([
      openedWithoutContract('2024-01-01T09:00:00.000Z', 'smb'),
      invoice('2024-01-01T10:00:00.000Z', 10_000),
      invoice('2024-01-15T10:00:00.000Z', 2_000),
      invoice('2024-01-15T16:00:00.000Z', 1_000),
      invoice('2024-02-05T23:00:00.000Z', 4_500),
    ]);
    // Days: Jan 1 → Jan 15 (14) → Feb 5 (35); `at` is Mar 1 (60 days after Jan 1).
    expect(observeLtv(history, AT)).toEqual({
      kind: 'purchases',
      segment: 'smb',
      bgnbd: { x: 2, tx: 5, T: 60 / 7 },
      spend: { x: 2, meanValue: (30 + 45) / 2 },
    });
  });

  it('has no spend before a repeat purchase, and never puts T before the last purchase', () => {
    const once = foldLtv([openedWithoutContract('2024-01-01T09:00:00.000Z', 'smb'), invoice('2024-02-23T10:00:00.000Z', 10_000)]);
    expect(observeLtv(once, AT)).toEqual({ kind: 'purchases', segment: 'smb', bgnbd: { x: 0, tx: 0, T: 1 }, spend: null });
    const later = foldLtv([openedWithoutContract('2024-01-01T09:00:00.000Z', 'smb'), invoice('2024-02-01T10:00:00.000Z', 100), invoice('2024-03-14T10:00:00.000Z', 100)]);
    expect(observeLtv(later, AT)).toMatchObject({ bgnbd: { x: 1, tx: 6, T: 6 } });
  });

  it('converts by the currency’s own minor unit', () => {
    expect([minorUnitsPerMajor('EUR'), minorUnitsPerMajor('JPY'), minorUnitsPerMajor('BHD')]).toEqual([100, 1, 1000]);
    const yen = foldLtv([openedWithoutContract('2024-01-01T09:00:00.000Z', 'smb', 'JPY'), invoice('2024-01-01T10:00:00.000Z', 5_000), invoice('2024-01-08T10:00:00.000Z', 7_000)]);
    expect(observeLtv(yen, AT)).toMatchObject({ spend: { x: 1, meanValue: 7_000 } });
  });
});
