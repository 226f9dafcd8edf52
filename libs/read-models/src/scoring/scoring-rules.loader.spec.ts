import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultScoringRulesFile, InvalidScoringRulesError, loadScoringRules, parseScoringRules } from './scoring-rules.loader';
import { MAX_LTV_HORIZON_WEEKS, maximumChurnRisk } from './scoring-rules.schema';

const shippedFile = defaultScoringRulesFile();
const shipped = () => JSON.parse(readFileSync(shippedFile, 'utf8')) as Record<string, any>;

describe('scoring rules', () => {
  const folder = mkdtempSync(join(tmpdir(), 'ahe-rules-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const writeRules = (name: string, content: string) => {
    const file = join(folder, name);
    writeFileSync(file, content);
    return file;
  };

  it('loads the shipped config/scoring-rules.json, found from any folder below the repository', () => {
    expect(shippedFile).toMatch(/config[\\/]scoring-rules\.json$/);
    expect(defaultScoringRulesFile(join(__dirname, '..', '..', '..', '..', 'dist', 'libs', 'read-models', 'src', 'scoring'))).toBe(shippedFile);
    const rules = loadScoringRules();
    expect(rules.scoringVersion).toMatch(/^v\d+-[0-9a-f]{8}$/);
    expect(rules.scoringVersion.startsWith(`v${rules.version}-`)).toBe(true);
    expect(maximumChurnRisk(rules.factors)).toBeLessThanOrEqual(100);
  });

  it('changes scoringVersion with any edit, even one that forgets to bump version', () => {
    const original = parseScoringRules(shipped(), 'a.json');
    const edited = shipped();
    edited.factors.renewalLost.points -= 1;
    const bumped = { ...shipped(), version: shipped().version + 1 };
    expect(parseScoringRules(edited, 'a.json').scoringVersion).not.toBe(original.scoringVersion);
    const rediscounted = shipped();
    rediscounted.ltv.discountRate /= 2;
    expect(parseScoringRules(rediscounted, 'a.json').scoringVersion).not.toBe(original.scoringVersion);
    expect(parseScoringRules(bumped, 'a.json').scoringVersion.startsWith(`v${bumped.version}-`)).toBe(true);
    // Key order is not an edit: the hash is of the canonical JSON.
    const reordered = Object.fromEntries(Object.entries(shipped()).reverse());
    expect(parseScoringRules(reordered, 'a.json').scoringVersion).toBe(original.scoringVersion);
  });

  it('rejects a bad field, naming the file and the field path', () => {
    const rules = shipped();
    rules.factors.slaBreaches.cap = 'ten';
    const file = writeRules('bad-field.json', JSON.stringify(rules));
    expect(() => loadScoringRules(file)).toThrow(InvalidScoringRulesError);
    expect(() => loadScoringRules(file)).toThrow(new RegExp(`${escape(file)}.*factors\\.slaBreaches\\.cap`));
  });

  it('rejects unknown fields, non-integer points, steps out of order and a file that is not JSON', () => {
    const unknown = { ...shipped(), weights: {} };
    expect(() => parseScoringRules(unknown, 'x.json')).toThrow(/x\.json.*weights|x\.json.*\(root\)/);
    const fractional = shipped();
    fractional.factors.renewalLost.points = 2.5;
    expect(() => parseScoringRules(fractional, 'x.json')).toThrow(/factors\.renewalLost\.points/);
    const unordered = shipped();
    unordered.factors.daysSinceLastContact.steps = [{ from: 60, points: 10 }, { from: 30, points: 5 }];
    expect(() => parseScoringRules(unordered, 'x.json')).toThrow(/factors\.daysSinceLastContact\.steps\.1\.from/);
    const file = writeRules('broken.json', '{ "version": ');
    expect(() => loadScoringRules(file)).toThrow(new RegExp(`${escape(file)}: is not JSON`));
    expect(() => loadScoringRules(join(folder, 'missing.json'))).toThrow(/missing\.json: cannot be read/);
  });

  it('rejects rules whose factors could add up to more than 100', () => {
    const rules = shipped();
    const headroom = 100 - maximumChurnRisk(parseScoringRules(rules, 'x.json').factors);
    rules.factors.renewalLost.points += headroom;
    expect(() => parseScoringRules(rules, 'x.json')).not.toThrow();
    rules.factors.renewalLost.points += 1;
    expect(() => parseScoringRules(rules, 'x.json')).toThrow(/x\.json.*factors: the factors can add up to 101 points/);
  });

  it('reads the LTV settings, and rejects a rate or a horizon out of range naming the field', () => {
    expect(loadScoringRules().ltv).toEqual(shipped().ltv);
    const undiscounted = shipped();
    undiscounted.ltv.discountRate = 0;
    expect(() => parseScoringRules(undiscounted, 'x.json')).toThrow(/x\.json.*ltv\.discountRate/);
    const endless = shipped();
    endless.ltv.horizonWeeks = MAX_LTV_HORIZON_WEEKS + 1;
    expect(() => parseScoringRules(endless, 'x.json')).toThrow(/x\.json.*ltv\.horizonWeeks/);
    const fractional = shipped();
    fractional.ltv.horizonWeeks = 52.5;
    expect(() => parseScoringRules(fractional, 'x.json')).toThrow(/ltv\.horizonWeeks/);
    const { ltv: _ltv, ...missing } = shipped();
    expect(() => parseScoringRules(missing, 'x.json')).toThrow(/x\.json.*ltv/);
  });

  it('rejects bands that do not ascend', () => {
    const rules = shipped();
    rules.bands = { amber: 60, red: 60 };
    expect(() => parseScoringRules(rules, 'x.json')).toThrow(/bands\.red: must be above bands\.amber/);
  });
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
