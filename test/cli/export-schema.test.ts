// `threatmark export threats` (the jq-friendly shape) and `threatmark schema`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, TODAY, cleanup, fixture, run } from './helpers.ts';

afterAll(cleanup);

type Json = Record<string, any>;

interface ExportedThreat {
  id: string;
  model: string;
  name: string;
  description: string;
  category: string[];
  targets: { id: string; type: string; title: string }[];
  status: string;
  likelihood: string | null;
  impact: string | null;
  score: number | null;
  severity: 'NOTE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' | null;
  mitigated: boolean;
}

function exportThreats(name: string, args: string[] = []) {
  const cwd = fixture(name);
  const r = run(['export', 'threats', ...args, '--today', TODAY], { cwd });
  return { ...r, cwd, threats: r.stdout ? (JSON.parse(r.stdout) as ExportedThreat[]) : [] };
}

/** The jq filter from the docs, `.[] | select(.severity == "HIGH" and (.mitigated | not))`, in JS. */
const highAndOpen = (threats: ExportedThreat[]) => threats.filter((t) => t.severity === 'HIGH' && !t.mitigated);

describe('threatmark export threats', () => {
  it('prints one flat object per threat with the documented fields', () => {
    const { code, threats, stderr } = exportThreats('valid');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(threats.map((t) => t.id)).toEqual(['LOGIN-1', 'LOGIN-2', 'LOGIN-3', 'LOGIN-4', 'LOGIN-5', 'LOGIN-6']);
    for (const t of threats) {
      for (const key of ['id', 'model', 'name', 'description', 'category', 'targets', 'status', 'likelihood', 'impact', 'score', 'severity', 'mitigated']) {
        expect(t, key).toHaveProperty(key);
      }
      expect(t.model).toBe('login');
      expect(Array.isArray(t.category)).toBe(true);
      expect(typeof t.mitigated).toBe('boolean');
      expect(['NOTE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL', null]).toContain(t.severity);
    }
    expect(threats[0]).toMatchObject({
      id: 'LOGIN-1',
      name: 'Credential stuffing',
      description: 'Attackers replay leaked passwords.',
      category: ['spoofing'],
      targets: [
        { id: 'user', type: 'external', title: 'User' },
        { id: 'web', type: 'process', title: 'Web app' },
      ],
      status: 'mitigated',
      likelihood: 'high',
      impact: 'high',
      score: 9,
      severity: 'CRITICAL',
      mitigated: true,
    });
    expect(threats[1]).toMatchObject({ category: ['information-disclosure', 'tampering'], targets: [{ id: 'sign-in', type: 'flow', title: 'Sign-in request' }] });
    // An accepted risk with a current acceptance owes nothing; an open one does.
    expect(threats[2]).toMatchObject({ status: 'accepted', severity: 'LOW', mitigated: true });
    expect(threats[3]).toMatchObject({ id: 'LOGIN-4', status: 'open', severity: 'LOW', score: 2, mitigated: false });
  });

  it('a jq-like filter finds the HIGH threats still owing action', () => {
    expect(highAndOpen(exportThreats('valid').threats)).toEqual([]);
    const high = exportThreats('high-open');
    expect(high.code).toBe(1);
    expect(highAndOpen(high.threats).map((t) => `${t.model}/${t.id}`)).toEqual(['login-high/LOGIN-4']);
    // The same filter over the broken fixture: PAY-1 is open; PAY-4's acceptance expired.
    const broken = exportThreats('invalid');
    expect(highAndOpen(broken.threats).map((t) => t.id)).toEqual(['PAY-1', 'PAY-4']);
  });

  it('models with errors are still exported; their errors go to standard error with exit 1', () => {
    const { code, threats, stderr, stdout } = exportThreats('invalid');
    expect(code).toBe(1);
    expect(threats.map((t) => t.id)).toEqual(['PAY-1', 'PAY-2', 'PAY-3', 'PAY-4']);
    expect(stdout.startsWith('[')).toBe(true);
    expect(stderr).toContain('unmitigated-threat');
    expect(stderr).not.toContain('stride-coverage');
  });

  it('--output writes the JSON to a file', () => {
    const cwd = fixture('valid');
    const r = run(['export', 'threats', '--output', 'threats.json', '--today', TODAY], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect((JSON.parse(readFileSync(join(cwd, 'threats.json'), 'utf8')) as ExportedThreat[]).length).toBe(6);
  });

  it('refuses to export anything but threats (exit 2)', () => {
    const r = run(['export', 'models'], { cwd: fixture('valid') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot export `models`; only `threats`/);
  });
});

describe('threatmark schema', () => {
  type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };
  type AjvCtor = new (options: Record<string, unknown>) => { compile(schema: unknown): Validate };
  const Ajv2020 = ((Ajv2020Module as unknown as { default?: AjvCtor }).default ?? Ajv2020Module) as unknown as AjvCtor;
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: unknown) => void;

  const compileSchema = (): { schema: Json; validate: Validate } => {
    const r = run(['schema'], { cwd: fixture('valid') });
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as Json;
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    return { schema, validate: ajv.compile(schema) };
  };

  const frontmatter = (file: string): Json => {
    const text = readFileSync(file, 'utf8');
    const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
    if (!match) throw new Error(`no frontmatter in ${file}`);
    return parseYaml(match[1]!) as Json;
  };

  it('prints a draft 2020-12 JSON Schema that accepts the example of format.md', () => {
    const { schema, validate } = compileSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const example = frontmatter(join(FIXTURES, 'spec-example.md'));
    expect(example.id).toBe('profile-upload');
    expect(validate(example), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('accepts the CLI fixtures that pass the check, and rejects what the checker calls a schema error', () => {
    const { validate } = compileSchema();
    for (const file of ['valid/threat-models/login.md', 'warnings/threat-models/login-expiring.md', 'high-open/threat-models/login-high.md']) {
      const data = frontmatter(join(FIXTURES, file));
      expect(validate(data), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    const base = frontmatter(join(FIXTURES, 'valid/threat-models/login.md'));
    expect(validate({ ...base, 'weird%,:key': 1 })).toBe(false);
    expect(validate({ ...base, status: 'finished' })).toBe(false);
    expect(validate({ ...base, threatmark: 2 })).toBe(false);
    const { title: _title, ...untitled } = base;
    expect(validate(untitled)).toBe(false);
  });
});
