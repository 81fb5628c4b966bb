// The decisions behind the precision fixes of five rules (and prompt-injection),
// each shown by flipping the deciding fact in a fixture: what the rule now
// leaves out, and the cases next to it that it must keep reporting.
import { describe, expect, it } from 'vitest';
import { checkFixture, checkModelText, edit } from './helpers.ts';

const fired = (text: string, rule: string) =>
  checkModelText(text)
    .model.findings.filter((f) => f.rule === rule)
    .map((f) => f.id);

describe('data-to-third-party: an external system in a trusted zone is our own', () => {
  const { text } = checkFixture('builtin/data-to-third-party/quiet.md');

  it('reports the same service once its zone is not trusted (a vendor, a partner)', () => {
    const vendor = edit(text, '  commerce: { title: Commerce platform }', '  commerce: { title: Commerce platform, trust: semi-trusted }');
    expect(fired(vendor, 'data-to-third-party')).toEqual(['data-to-third-party@lookup']);
  });

  it('reports it outside every boundary (the implicit untrusted zone)', () => {
    expect(fired(edit(text, 'boundary: commerce, ', ''), 'data-to-third-party')).toEqual(['data-to-third-party@lookup']);
  });
});

describe('unthrottled-entry: the response to a call the process makes is not an entry point', () => {
  const { text } = checkFixture('builtin/unthrottled-entry/quiet.md');

  it('drawn one way, the download cannot be told from a request and counts', () => {
    const oneWay = edit(text, '{ from: fetcher, to: registry, title: Package request and download, protocol: HTTPS, bidirectional: true }', '{ from: registry, to: fetcher, title: Packages, protocol: HTTPS }');
    expect(fired(oneWay, 'unthrottled-entry')).toEqual(['unthrottled-entry@fetcher']);
  });

  it('counts when the answering external is not stated to be a system', () => {
    expect(fired(edit(text, 'title: Package registry, human: false,', 'title: Package registry,'), 'unthrottled-entry')).toEqual(['unthrottled-entry@fetcher']);
  });

  it('unauthenticated-entry still reports the response: a spoofed registry is a spoofing threat', () => {
    expect(fired(text, 'unauthenticated-entry')).toContain('unauthenticated-entry@deps');
  });
});

describe('cross-site-scripting: the HTML-handling process must be the one whose content reaches people', () => {
  const { text } = checkFixture('builtin/cross-site-scripting/quiet.md');

  it('reports the indexer when its chunks travel on to the customer', () => {
    const quoted = edit(text, 'bidirectional: true, data: [question, answer] }', 'bidirectional: true, data: [question, answer, chunks] }');
    expect(fired(quoted, 'cross-site-scripting')).toEqual(['cross-site-scripting@indexer']);
  });

  it('a flow with no data stated counts: what it carries is unknown', () => {
    const unstated = edit(text, 'bidirectional: true, data: [question, answer] }', 'bidirectional: true }');
    expect(fired(unstated, 'cross-site-scripting')).toEqual(['cross-site-scripting@indexer']);
  });
});

describe('improper-output-handling: output is what leaves a model, not what returns into it', () => {
  const { text } = checkFixture('builtin/improper-output-handling/quiet.md');

  it('what the model sends to a retriever (a query) still counts when the retriever does not validate it', () => {
    const unvalidated = edit(text, 'ai: rag, parses: [json], validates_input: true }', 'ai: rag, parses: [json] }');
    expect(checkModelText(unvalidated).model.findings.filter((f) => f.rule === 'improper-output-handling').map((f) => [f.id, f.message.includes('(return direction)')])).toEqual([
      ['improper-output-handling@retrieval', false],
    ]);
  });

  it('a tool or agent result drawn one way into the model is not a response to its call, and counts', () => {
    const pushed = edit(text, '{ from: bot, to: tools, title: Tool call and result, bidirectional: true }', '{ from: tools, to: bot, title: Agent report }');
    expect(fired(pushed, 'improper-output-handling')).toEqual(['improper-output-handling@tool-call']);
  });
});

describe('prompt-injection: a retriever that only feeds models has no instruction-following model of its own', () => {
  const { text } = checkFixture('builtin/prompt-injection/fires.md');

  it('reports the retriever once its results also reach a person directly', () => {
    const shown = edit(text, '  ask: {', '  sources: { from: retriever, to: user, title: Sources shown to the user, protocol: HTTPS }\n  ask: {');
    expect(fired(shown, 'prompt-injection')).toEqual(['prompt-injection@answers', 'prompt-injection@bot', 'prompt-injection@retriever']);
  });
});
