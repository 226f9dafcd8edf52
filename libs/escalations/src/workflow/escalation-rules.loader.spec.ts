import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultEscalationRulesFile,
  escalationRulesVersion,
  InvalidEscalationRulesError,
  loadEscalationRules,
  parseEscalationRules,
} from './escalation-rules.loader';

const SHIPPED_FILE = join(__dirname, '..', '..', '..', '..', 'config', 'escalation-rules.json');
const shipped = (): Record<string, unknown> => JSON.parse(readFileSync(SHIPPED_FILE, 'utf8')) as Record<string, unknown>;

function rejection(run: () => unknown): InvalidEscalationRulesError {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InvalidEscalationRulesError);
  return thrown as InvalidEscalationRulesError;
}

describe('escalation rules loader', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'escalation-rules-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const write = (name: string, text: string): string => {
    const file = join(folder, name);
    writeFileSync(file, text);
    return file;
  };

  it('finds and loads the shipped config/escalation-rules.json by default', () => {
    expect(defaultEscalationRulesFile()).toBe(SHIPPED_FILE);
    const rules = loadEscalationRules();
    expect(rules.source).toBe(SHIPPED_FILE);
    expect(rules).toMatchObject({
      version: 1,
      maxAgeDays: 30,
      criticalComplaint: { enabled: true, severities: ['critical'] },
      invoiceOverdue: { enabled: true, daysAfterDue: 14 },
      satisfactionDrop: { enabled: true, npsDetractorMax: 6, trendBelow: -15 },
    });
    expect(Object.isFrozen(rules)).toBe(true);
  });

  it('names the file and the field of each problem', () => {
    const bad = { ...shipped(), maxAgeDays: 0, satisfactionDrop: { enabled: true, npsDetractorMax: 11, trendBelow: 5 } };
    const file = write('bad-fields.json', JSON.stringify(bad));
    const { message } = rejection(() => loadEscalationRules(file));
    expect(message).toContain(`${file}: invalid escalation rules`);
    expect(message).toMatch(/maxAgeDays: /);
    expect(message).toMatch(/satisfactionDrop\.npsDetractorMax: /);
    expect(message).toMatch(/satisfactionDrop\.trendBelow: /);
  });

  it.each([
    ['a misspelt key', { bandRed: { enabled: true, enabeld: false } }, /bandRed: .*enabeld/],
    ['a missing section', { complaintSla: undefined }, /complaintSla: /],
    ['an unknown severity', { criticalComplaint: { enabled: true, severities: ['urgent'] } }, /criticalComplaint\.severities\.0: /],
    ['no severity at all', { criticalComplaint: { enabled: true, severities: [] } }, /criticalComplaint\.severities: /],
    ['a repeated severity', { criticalComplaint: { enabled: true, severities: ['high', 'high'] } }, /criticalComplaint\.severities: must not repeat/],
    ['fractional days', { invoiceOverdue: { enabled: true, daysAfterDue: 1.5 } }, /invoiceOverdue\.daysAfterDue: /],
    ['a switch that is not a boolean', { bandRed: { enabled: 'yes' } }, /bandRed\.enabled: /],
    ['version 0', { version: 0 }, /version: /],
  ])('refuses %s', (_case, change, field) => {
    const { message } = rejection(() => parseEscalationRules({ ...shipped(), ...change }, 'spec.json'));
    expect(message).toMatch(/^spec\.json: invalid escalation rules: /);
    expect(message).toMatch(field);
  });

  it('refuses a file that is not JSON, or is missing, naming it', () => {
    const file = write('broken.json', '{ "version": 1,');
    expect(rejection(() => loadEscalationRules(file)).message).toMatch(new RegExp(`^${escapeRegExp(file)}: is not JSON`));
    const missing = join(folder, 'missing.json');
    expect(rejection(() => loadEscalationRules(missing)).message).toMatch(new RegExp(`^${escapeRegExp(missing)}: cannot be read`));
    expect(rejection(() => parseEscalationRules([], 'list.json')).message).toMatch(/^list\.json: invalid escalation rules: \(root\): /);
  });

  it('says where it looked when there is no rules file above a folder', () => {
    expect(rejection(() => defaultEscalationRulesFile(folder)).message).toContain(`no config/escalation-rules.json found in ${folder}`);
  });
});

describe('escalationRulesVersion', () => {
  it('is v<version>-<8 hex>, the same for the same rules whatever their key order or source', () => {
    const rules = parseEscalationRules(shipped(), 'a.json');
    const version = escalationRulesVersion(rules);
    expect(version).toMatch(/^v1-[0-9a-f]{8}$/);
    const reordered = Object.fromEntries(Object.entries(shipped()).reverse());
    expect(escalationRulesVersion(parseEscalationRules(reordered, 'b.json'))).toBe(version);
  });

  it('changes with any rule, even when version is not bumped', () => {
    const rules = parseEscalationRules(shipped(), 'a.json');
    const tighter = parseEscalationRules({ ...shipped(), invoiceOverdue: { enabled: true, daysAfterDue: 7 } }, 'a.json');
    expect(escalationRulesVersion(tighter)).not.toBe(escalationRulesVersion(rules));
    expect(escalationRulesVersion(tighter)).toMatch(/^v1-/);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
