import { stringify } from 'yaml';
import { type ConfigIssue, parseConfig } from '../../src/config/index.js';

/** A minimal valid config as a plain object; tests change one thing at a time. */
export function base(): Record<string, unknown> {
  return {
    organization: { id: 'o-a1b2c3d4e5', managementAccount: '100000000001' },
    central: { account: '111111111111', region: 'eu-west-1' },
    members: [{ accounts: ['222222222222'], regions: ['eu-west-1'] }],
  };
}

/** Validates a config object (serialized to YAML) and returns the errors. */
export function errorsOf(obj: unknown): ConfigIssue[] {
  return parseConfig(stringify(obj)).issues.filter((i) => i.severity === 'error');
}

/** Validates a config object that must be valid; returns the config. */
export function valid(obj: unknown) {
  const r = parseConfig(stringify(obj));
  const errors = r.issues.filter((i) => i.severity === 'error');
  if (!r.config) throw new Error(`expected a valid config, got:\n${JSON.stringify(errors, null, 2)}`);
  return r.config;
}

/** Returns a deep copy of base() with `patch` applied at the top level. */
export function withTop(patch: Record<string, unknown>): Record<string, unknown> {
  return { ...base(), ...patch };
}
