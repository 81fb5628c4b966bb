// Units of the git layer and of the diff's Markdown helpers.
import { describe, expect, it } from 'vitest';
import { compileCover, parseLog, parseLsFiles, PathIndex, History } from '../../src/core/git.ts';
import { parseCodeRef } from '../../src/core/checks/mitigation-refs.ts';
import { fetchHint, headline, type DiffCounts, type ModelDiff } from '../../src/core/diff.ts';

describe('covers globs', () => {
  it('match repository-relative paths, hidden files included; plain paths cover what is under them', () => {
    const all = compileCover('src/upload/**');
    expect(all.base).toBe('src/upload');
    expect(all.match('src/upload/a/.env')).toBe(true);
    expect(all.match('src/uploads/a.ts')).toBe(false);
    for (const written of ['src/upload', 'src/upload/', './src/upload', '/src/upload']) {
      const c = compileCover(written);
      expect([c.match('src/upload/a.ts'), c.match('src/upload'), c.match('src/upload2/a.ts')]).toEqual([true, true, false]);
    }
    const braces = compileCover('{api,web}/**/*.ts');
    expect(braces.base).toBe('');
    expect([braces.match('api/x/y.ts'), braces.match('web/a.ts'), braces.match('cli/a.ts')]).toEqual([true, true, false]);
  });

  it('PathIndex narrows by folder prefix without confusing siblings', () => {
    const index = new PathIndex(['src/a.ts', 'src/upload/b.ts', 'src/upload-old/c.ts', 'src/upload/x/d.ts', 'src/uploadz', 'z']);
    expect([...index.under('src/upload')]).toEqual(['src/upload/b.ts', 'src/upload/x/d.ts']);
    expect(index.isDirectory('src/upload')).toBe(true);
    expect(index.isDirectory('src/upload/b.ts')).toBe(false);
    expect(index.has('src/uploadz')).toBe(true);
    expect(index.matches(compileCover('src/upload*/**'))).toEqual(['src/upload-old/c.ts', 'src/upload/b.ts', 'src/upload/x/d.ts']);
  });
});

describe('git output parsing', () => {
  it('reads `git log -z --name-only`, names with spaces and newlines included', () => {
    const raw = Buffer.from('\x1eaaaa\x1f200\0\nsrc/a b.ts\0src/new\nline.ts\0\x1ebbbb\x1f100\0\nsrc/c.ts\0\x1ecccc\x1f50\0');
    expect(parseLog(raw)).toEqual([
      { hash: 'aaaa', time: 200, files: ['src/a b.ts', 'src/new\nline.ts'] },
      { hash: 'bbbb', time: 100, files: ['src/c.ts'] },
      { hash: 'cccc', time: 50, files: [] },
    ]);
  });

  it('reads `git ls-files -t`: deleted files drop out, untracked ones stay', () => {
    expect(parseLsFiles(Buffer.from('H a.ts\0H gone.ts\0R gone.ts\0? new.ts\0'))).toEqual(['a.ts', 'new.ts']);
  });

  it('History leaves out the shallow edge and filters by time', () => {
    const commits = [
      { hash: 'c3', time: 300, files: ['src/a.ts'] },
      { hash: 'c2', time: 200, files: ['src/b.ts', 'docs/x.md'] },
      { hash: 'c1', time: 100, files: ['src/a.ts', 'src/b.ts', 'docs/x.md'] },
    ];
    const history = new History(commits, 0, { shallow: true, shallowCommits: new Set(['c1']) });
    expect(history.touching(compileCover('src/**'), 0).map((c) => c.hash)).toEqual(['c3', 'c2']);
    expect(history.touching(compileCover('src/**'), 250).map((c) => c.hash)).toEqual(['c3']);
    expect(history.touching(compileCover('docs/**'), 0).map((c) => c.hash)).toEqual(['c2']);
  });
});

describe('code references', () => {
  it('recognises paths, with and without line anchors, and nothing else', () => {
    expect(parseCodeRef('src/upload/auth.ts')).toEqual({ path: 'src/upload/auth.ts' });
    expect(parseCodeRef('src/upload/auth.ts#L12')).toEqual({ path: 'src/upload/auth.ts', start: 12 });
    expect(parseCodeRef('src/upload/auth.ts#L12-L20')).toEqual({ path: 'src/upload/auth.ts', start: 12, end: 20 });
    expect(parseCodeRef('src/upload/auth.ts#L12-20')).toEqual({ path: 'src/upload/auth.ts', start: 12, end: 20 });
    expect(parseCodeRef('package.json')).toEqual({ path: 'package.json' });
    expect(parseCodeRef('Dockerfile#L3')).toEqual({ path: 'Dockerfile', start: 3 });
    expect(parseCodeRef('docs/adr/0004.md#decision')).toEqual({ path: 'docs/adr/0004.md' });
    for (const other of ['JIRA-123', 'ADR 12', 'v1.2', 'https://example.com/a.ts', 'Dockerfile', '', 'see src/a.ts']) expect(parseCodeRef(other)).toBeUndefined();
  });
});

describe('fetch hints', () => {
  it('name the branch as actions/checkout would store it, or give the destination', () => {
    expect(fetchHint('origin/main', ['origin'], () => ['+refs/heads/*:refs/remotes/origin/*'])).toBe('git fetch --depth=1 origin main');
    expect(fetchHint('origin/main', ['origin'], () => ['+refs/heads/feature:refs/remotes/origin/feature'])).toBe('git fetch --depth=1 origin main:refs/remotes/origin/main');
    expect(fetchHint('origin/release/1.2', ['origin'])).toBe('git fetch --depth=1 origin release/1.2');
    expect(fetchHint('origin/main', [])).toBe('git fetch --depth=1 origin main');
    expect(fetchHint('upstream/main', ['origin', 'upstream'])).toBe('git fetch --depth=1 upstream main');
    expect(fetchHint('0123abcd', ['origin'])).toBe('git fetch --depth=1 origin 0123abcd');
  });
});

describe('headline', () => {
  it('headline: accepted risks are named one by one, then summarised', () => {
    const counts = { modelsAdded: 0, modelsRemoved: 0, modelsChanged: 1, threatsAdded: 2, threatsRemoved: 0, threatsChanged: 0, newlyAccepted: 0, newGaps: 0, closedGaps: 0, findingsAdded: 0, findingsUnanswered: 0, errorsIntroduced: 0, errorsFixed: 0, warningsIntroduced: 0, warningsFixed: 0, untouched: 0 } satisfies DiffCounts;
    const risk = (severity: 'high' | 'medium', owner: string) => ({ model: 'm', threat: 't', title: 'T', severity, owner, expires: '2027-03-01' });
    const models = (accepted: ReturnType<typeof risk>[]) => [{ newlyAccepted: accepted } as unknown as ModelDiff];
    expect(headline(counts, models([risk('high', '@alice')]))).toBe('2 new threats, 1 newly accepted HIGH risk by @alice until 2027-03-01');
    expect(headline(counts, models([risk('high', '@alice'), risk('medium', '@bob')]))).toBe('2 new threats, 2 newly accepted risks (HIGH by @alice until 2027-03-01; MEDIUM by @bob until 2027-03-01)');
    expect(headline(counts, models([risk('medium', '@a'), risk('high', '@b'), risk('medium', '@c'), risk('high', '@d')]))).toBe('2 new threats, 4 newly accepted risks (2 HIGH, 2 MEDIUM)');
    expect(headline({ ...counts, threatsAdded: 0, modelsChanged: 0 }, [])).toBe('No change to the threat models');
  });
});
