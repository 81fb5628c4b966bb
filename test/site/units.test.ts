// Unit tests of the site's pure parts: body splitting, Markdown sanitising, CSV, URLs.
import { describe, expect, it } from 'vitest';
import { createSlugger, questionOf, renderMarkdown, splitBody, threatOfHeading } from '../../src/astro/markdown.ts';
import { basePath, editUrlFor, isHttpUrl } from '../../src/astro/site-data.ts';
import { csvCell, daysUntil, toCsv } from '../../src/astro/views.ts';
import { htmlToText } from '../../src/astro/search-index.ts';

describe('splitBody', () => {
  const body = [
    'Intro paragraph.',
    '',
    '## What are we working on?',
    '',
    'The system.',
    '',
    '## What can go wrong?',
    '',
    '### UP-1 Upload as another user',
    '',
    'Prose for UP-1.',
    '',
    '#### Details of UP-1',
    '',
    'Still UP-1.',
    '',
    '### Other heading',
    '',
    'Kept in Q2.',
    '',
    '## Did we do a good enough job?',
    '',
    'Reviewed.',
    '',
    '## Appendix',
    '',
    'Notes here.',
  ].join('\n');

  it('moves question sections to their question and cuts threat prose', () => {
    const parts = splitBody(body, ['UP-1', 'UP-10']);
    expect(parts.intro).toEqual([{ kind: 'markdown', markdown: 'Intro paragraph.' }]);
    expect(parts.q1).toEqual([{ kind: 'markdown', markdown: 'The system.' }]);
    expect(parts.q2[0]).toEqual({ kind: 'threat', id: 'UP-1', heading: 'UP-1 Upload as another user' });
    expect(parts.q2[1]).toEqual({ kind: 'markdown', markdown: '### Other heading\n\nKept in Q2.' });
    expect(JSON.stringify(parts)).not.toContain('Still UP-1');
    expect(parts.q3).toEqual([]);
    expect(parts.q4).toEqual([{ kind: 'markdown', markdown: 'Reviewed.' }]);
    expect(parts.notes).toEqual([{ kind: 'markdown', markdown: '## Appendix\n\nNotes here.' }]);
  });

  it('without question headings everything stays in the intro, in order', () => {
    const parts = splitBody('# Title\n\nText\n\n## Section\n\nMore', []);
    expect(parts.intro.map((p) => (p.kind === 'markdown' ? p.markdown : ''))).toEqual(['# Title\n\nText\n\n## Section\n\nMore']);
  });

  it('recognises the four questions in their variants', () => {
    expect(questionOf('What are we working on?')).toBe('q1');
    expect(questionOf('1. What are we building')).toBe('q1');
    expect(questionOf('What can go wrong?')).toBe('q2');
    expect(questionOf('What are we going to do about it?')).toBe('q3');
    expect(questionOf('Did we do a good job?')).toBe('q4');
    expect(questionOf('Did we do a good enough job?')).toBe('q4');
    expect(questionOf('What went wrong last time')).toBeUndefined();
  });

  it('matches threat ids at the start of a heading only, longest first', () => {
    expect(threatOfHeading('UP-10 Big', ['UP-1', 'UP-10'])).toBe('UP-10');
    expect(threatOfHeading('UP-1: colon', ['UP-1'])).toBe('UP-1');
    expect(threatOfHeading('UP-1', ['UP-1'])).toBe('UP-1');
    expect(threatOfHeading('UP-12 other', ['UP-1'])).toBeUndefined();
    expect(threatOfHeading('About UP-1', ['UP-1'])).toBeUndefined();
  });
});

describe('renderMarkdown', () => {
  it('keeps safe Markdown and HTML, drops scripts, handlers and unsafe URLs', async () => {
    const html = await renderMarkdown(
      [
        '**bold** [ok](https://example.com) [js](javascript:alert(1)) [data](data:text/html,x)',
        '',
        '<script>alert(1)</script><img src=x onerror=alert(1)><a href="JaVaScRiPt:alert(1)">a</a>',
        '',
        '<div style="color:red" onclick="x()"><em>em</em></div><iframe src="https://evil.example"></iframe>',
        '',
        '| a | b |',
        '|---|---|',
        '| 1 | 2 |',
      ].join('\n'),
    );
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<a href="https://example.com">ok</a>');
    expect(html).not.toMatch(/javascript:|data:text|<script|onerror|onclick|style=|<iframe/i);
    expect(html).toContain('<em>em</em>');
    expect(html).toContain('<table>');
    expect(html).toContain('<span class="image-placeholder">[Image: x]</span>');
  });

  it('prefixes heading ids and keeps them unique across fragments of one page', async () => {
    const slugger = createSlugger();
    const a = await renderMarkdown('## Notes', slugger);
    const b = await renderMarkdown('## Notes', slugger);
    expect(a).toContain('id="md-notes"');
    expect(b).toContain('id="md-notes-1"');
  });

  it('cannot clobber page anchors with author ids', async () => {
    const html = await renderMarkdown('<p id="threat-X" name="y">p</p>');
    expect(html).toContain('id="user-content-threat-X"');
  });
});

describe('CSV', () => {
  it('neutralises formula cells and quotes everything', () => {
    expect(csvCell('=1+1')).toBe(`"'=1+1"`);
    expect(csvCell('+1')).toBe(`"'+1"`);
    expect(csvCell('-1')).toBe(`"'-1"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('\t=x')).toBe(`"'\t=x"`);
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(undefined)).toBe('""');
    expect(toCsv([['a', 'b'], ['1', '=2']])).toBe(`"a","b"\r\n"1","'=2"\r\n`);
  });
});

describe('URLs and dates', () => {
  it('accepts only http(s) URLs', () => {
    expect(isHttpUrl('https://example.com/x')).toBe(true);
    expect(isHttpUrl('javascript:alert(1)')).toBe(false);
    expect(isHttpUrl('https://exa mple.com')).toBe(false);
    expect(isHttpUrl('PAY-123')).toBe(false);
  });

  it('builds edit links and base paths', () => {
    expect(editUrlFor('https://github.com/o/r/edit/main', 'threat-models/a b.md')).toBe('https://github.com/o/r/edit/main/threat-models/a%20b.md');
    expect(editUrlFor(undefined, 'x.md')).toBeUndefined();
    expect(basePath('https://o.github.io/repo')).toBe('/repo/');
    expect(basePath('https://threats.example/')).toBe('/');
    expect(basePath(undefined)).toBe('/');
  });

  it('counts days', () => {
    expect(daysUntil('2026-12-31', '2026-12-01')).toBe(30);
    expect(daysUntil('2026-11-01', '2026-12-01')).toBe(-30);
    expect(daysUntil(undefined, '2026-12-01')).toBeUndefined();
  });

  it('turns rendered HTML into search text', () => {
    expect(htmlToText('<p>a &amp; <b>b</b>&#39;s</p>')).toBe("a & b 's");
  });
});
