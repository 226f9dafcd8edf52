import { z } from 'zod';

export const API_ROLES = ['writer', 'analyst', 'auditor', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export interface ApiKey {
  readonly role: ApiRole;
  readonly key: string;
}

/** Keys travel in an Authorization header: no whitespace, no separators of this format. */
const KEY_PATTERN = /^[^\s,]+$/;

const isRole = (value: string): value is ApiRole => (API_ROLES as readonly string[]).includes(value);

/**
 * `API_KEYS=role:key,role:key`. Entries are named by position and role, never by key, so a
 * typo does not print a secret into the logs. A key listed under two roles holds both.
 */
export const apiKeysVar = z
  .string()
  .optional()
  .transform((raw, ctx): readonly ApiKey[] => {
    if (raw === undefined || raw.trim() === '') return [];
    const keys: ApiKey[] = [];
    raw.split(',').forEach((entry, index) => {
      const position = `entry ${index + 1}`;
      const trimmed = entry.trim();
      const separator = trimmed.indexOf(':');
      if (trimmed === '') {
        ctx.addIssue({ code: 'custom', message: `${position} is empty (expected role:key)` });
        return;
      }
      if (separator < 0) {
        ctx.addIssue({ code: 'custom', message: `${position} must be role:key (no ":" found)` });
        return;
      }
      const role = trimmed.slice(0, separator).trim().toLowerCase();
      const key = trimmed.slice(separator + 1).trim();
      if (!isRole(role)) {
        ctx.addIssue({
          code: 'custom',
          message: `${position} has unknown role ${JSON.stringify(role.slice(0, 20))} (expected one of ${API_ROLES.join(', ')})`,
        });
        return;
      }
      if (key === '' || !KEY_PATTERN.test(key)) {
        ctx.addIssue({ code: 'custom', message: `${position} (${role}) has an empty key or one containing whitespace` });
        return;
      }
      if (keys.some((existing) => existing.role === role && existing.key === key)) {
        ctx.addIssue({ code: 'custom', message: `${position} (${role}) repeats an earlier entry` });
        return;
      }
      keys.push({ role, key });
    });
    return keys;
  });
