// `covers` globs outside git: relative to the source root; what the messages say.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProject } from '../../src/core/project.ts';
import { TODAY } from './helpers.ts';

describe('covers', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'threatmark-covers-'));
    await mkdir(join(root, 'src/upload'), { recursive: true });
    await mkdir(join(root, 'threat-models'));
    await writeFile(join(root, 'src/upload/handler.py'), 'VERSION = 1\n');
    await writeFile(
      join(root, 'threat-models/m.md'),
      [
        '---',
        'threatmark: 1',
        'title: Covers',
        'owner: o',
        'status: draft',
        'covers: [src/upload/handler.py, src/upload, src/upload/handler.rb]',
        'elements:',
        '  user: { type: external, title: User }',
        'not_applicable:',
        '  - { targets: [user], categories: [spoofing, repudiation], reason: r }',
        '---',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('a file and a folder without wildcards match; a missing file is reported at its entry', async () => {
    const { diagnostics } = await checkProject({ cwd: root, today: TODAY });
    expect(diagnostics.map((d) => `${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.rule}`)).toEqual(['6:45-6:66 covers-matches-nothing']);
  });

  it('a missing file is not called a missing folder', async () => {
    const { diagnostics } = await checkProject({ cwd: root, today: TODAY });
    expect(diagnostics[0]!.message).not.toMatch(/no folder `src\/upload\/handler\.rb`/);
  });
});
