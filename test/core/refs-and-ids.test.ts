// Reference identifiers of every catalogue (examples from /work/shared/reference.md),
// and model ids derived from file names.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProject } from '../../src/core/project.ts';
import { classifyRef, suggestRef } from '../../src/core/refs.ts';
import { modelIdFromPath } from '../../src/core/resolve.ts';
import { TODAY } from './helpers.ts';

describe('reference identifiers', () => {
  it.each([
    ['CWE-79', 'cwe', 'https://cwe.mitre.org/data/definitions/79.html'],
    ['CWE-287', 'cwe', 'https://cwe.mitre.org/data/definitions/287.html'],
    ['CWE-99999', 'cwe', 'https://cwe.mitre.org/data/definitions/99999.html'],
    ['CAPEC-66', 'capec', 'https://capec.mitre.org/data/definitions/66.html'],
    ['CAPEC-702', 'capec', 'https://capec.mitre.org/data/definitions/702.html'],
    ['T1190', 'attack', 'https://attack.mitre.org/techniques/T1190/'],
    ['T1059.001', 'attack', 'https://attack.mitre.org/techniques/T1059/001/'],
    ['AML.T0051', 'atlas', 'https://atlas.mitre.org/techniques/AML.T0051'],
    ['AML.T0051.000', 'atlas', 'https://atlas.mitre.org/techniques/AML.T0051.000'],
    ['A01:2021', 'owasp-top10', undefined],
    ['A10:2025', 'owasp-top10', undefined],
    ['A1:2017', 'owasp-top10', undefined],
    ['A10:2017', 'owasp-top10', undefined],
    ['v5.0.0-1.2.5', 'asvs', undefined],
    ['v4.0.3-1.11.3', 'asvs', undefined],
    ['1.2.5', 'asvs', undefined],
    ['V1.2.5', 'asvs', undefined],
    ['https://owasp.org/Top10/', 'url', 'https://owasp.org/Top10/'],
    ['http://example.com/a?b=c#d', 'url', 'http://example.com/a?b=c#d'],
  ])('%s is %s', (id, kind, url) => {
    const info = classifyRef(id);
    expect(info.kind).toBe(kind);
    expect(info.url).toBe(url);
  });

  it.each([
    ['CWE-0', 'no CWE 0'],
    ['CWE-079', 'no leading zero'],
    ['CWE-123456', 'at most five digits'],
    ['cwe-79', 'upper case only'],
    ['CWE 79', 'a dash, not a space'],
    ['CAPEC-12345', 'at most four digits'],
    ['T190', 'four digits'],
    ['T1059.1', 'three-digit sub-technique'],
    ['T1059/001', 'a dot, not a slash'],
    ['TA0001', 'tactics are not listed in the format'],
    ['M1036', 'mitigations are not listed in the format'],
    ['AML.TA0000', 'ATLAS tactics are not listed in the format'],
    ['aml.t0051', 'upper case only'],
    ['A01:2017', '2017 ids have no leading zero'],
    ['A11:2021', 'there are ten'],
    ['A00:2025', 'there is no A00'],
    ['A01:2024', 'no 2024 edition'],
    ['V5.0.0-1.2.5', 'the version v is lower case'],
    ['v5.0-1.2.5', 'three-part version'],
    ['1.2', 'three parts'],
    ['ftp://example.com', 'http(s) only'],
    ['https://', 'a URL needs a host'],
    ['https://example.com/a b', 'no spaces'],
    ['javascript:alert(1)', 'not a URL'],
    ['', 'empty'],
  ])('%s is not a reference (%s)', (id) => {
    expect(classifyRef(id).kind).toBe('unknown');
  });

  it.each([
    ['cwe79', 'CWE-79'],
    ['CWE 79', 'CWE-79'],
    ['CWE-0079', 'CWE-79'],
    ['capec_66', 'CAPEC-66'],
    ['t1059/001', 'T1059.001'],
    ['aml.t0051', 'AML.T0051'],
    ['V5.0.0-1.2.5', 'v5.0.0-1.2.5'],
    [' CWE-79 ', 'CWE-79'],
  ])('%s suggests %s', (id, suggestion) => {
    expect(suggestRef(id)).toBe(suggestion);
    expect(classifyRef(suggestion).kind).not.toBe('unknown');
  });

  it('suggests nothing for what it cannot repair', () => {
    expect(suggestRef('not a ref')).toBeUndefined();
    expect(suggestRef('CWE-0')).toBeUndefined();
  });
});

describe('model ids from file names', () => {
  it.each([
    ['src/upload/upload.threat.md', 'upload'],
    ['threat-models/profile-upload.md', 'profile-upload'],
    ['threat-models/Profile Upload.md', 'profile-upload'],
    ['x/UPLOAD.THREAT.MD', 'upload'],
    ['payments_api.md', 'payments-api'],
    ['a/b/--odd--name--.threat.md', 'odd--name'],
    ['.threat.md', 'model'],
    ['日本語.md', 'model'],
    ['v2.1.md', 'v2-1'],
  ])('%s → %s', (path, id) => {
    expect(modelIdFromPath(path)).toBe(id);
  });

  describe('through discovery', () => {
    let root: string;
    const minimal = (extra = '') => `---\nthreatmark: 1\n${extra}title: T\nowner: o\nstatus: draft\nelements:\n  user: { type: external, title: User }\nnot_applicable:\n  - { targets: [user], categories: [spoofing, repudiation], reason: r }\n---\n`;
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'threatmark-ids-'));
      const files: Record<string, string> = {
        'src/upload/upload.threat.md': minimal(),
        'threat-models/team/payments.md': minimal(),
        'threat-models/explicit.md': minimal('id: chosen-id\n'),
        'docs/readme.md': '# not discovered: not under threat-models/ and not *.threat.md\n',
        'node_modules/pkg/x.threat.md': 'never searched',
        'dist/y.threat.md': 'never searched',
        '.hidden/z.threat.md': 'never searched',
      };
      for (const [path, text] of Object.entries(files)) {
        await mkdir(join(root, path, '..'), { recursive: true });
        await writeFile(join(root, path), text);
      }
    });
    afterAll(async () => {
      await rm(root, { recursive: true, force: true });
    });

    it('finds threat-models/**/*.md and **/*.threat.md, skips node_modules, dist and hidden folders, and derives ids', async () => {
      const result = await checkProject({ cwd: root, today: TODAY });
      expect(result.diagnostics).toEqual([]);
      expect(result.models.map((m) => `${m.id} ${m.file}`)).toEqual(['chosen-id threat-models/explicit.md', 'payments threat-models/team/payments.md', 'upload src/upload/upload.threat.md']);
    });
  });
});
