// Three-valued (Kleene) evaluation of rule conditions. A fact that is not
// stated is unknown, and so is every test of it; `all`/`any`/`not` and the
// quantifiers combine true, false and unknown the way a careful reader would:
// one false makes `all` false whatever is unknown, one true makes `any` true.
// An unknown result remembers which facts, once stated, would settle it.
import type { ResolvedDataAsset, ResolvedElement } from '../types.ts';
import { dataFact, elementFact, flowFact, type Fact, type FlowView, type ModelIndex } from './facts.ts';
import type { AttributeTest, Condition } from './types.ts';

export type Truth = 'true' | 'false' | 'unknown';

export interface Outcome {
  value: Truth;
  /** Facts whose absence made the outcome unknown (only when `value` is unknown). */
  unknowns: string[];
  /** What matched: flows and data assets, for the finding's message. */
  witnesses: string[];
}

export type Subject = { kind: 'element'; element: ResolvedElement } | { kind: 'flow'; view: FlowView } | { kind: 'data'; asset: ResolvedDataAsset };

const FALSE: Outcome = { value: 'false', unknowns: [], witnesses: [] };
const TRUE: Outcome = { value: 'true', unknowns: [], witnesses: [] };

const uniq = (items: string[]): string[] => [...new Set(items)];

function combineAll(outcomes: Outcome[]): Outcome {
  if (outcomes.some((o) => o.value === 'false')) return FALSE;
  const unknown = outcomes.some((o) => o.value === 'unknown');
  return {
    value: unknown ? 'unknown' : 'true',
    unknowns: uniq(outcomes.flatMap((o) => o.unknowns)),
    witnesses: uniq(outcomes.flatMap((o) => o.witnesses)),
  };
}

function combineAny(outcomes: Outcome[]): Outcome {
  const winners = outcomes.filter((o) => o.value === 'true');
  if (winners.length > 0) return { value: 'true', unknowns: [], witnesses: uniq(winners.flatMap((o) => o.witnesses)) };
  const open = outcomes.filter((o) => o.value === 'unknown');
  if (open.length > 0) return { value: 'unknown', unknowns: uniq(open.flatMap((o) => o.unknowns)), witnesses: uniq(open.flatMap((o) => o.witnesses)) };
  return FALSE;
}

function atLeast(outcomes: Outcome[], n: number): Outcome {
  const yes = outcomes.filter((o) => o.value === 'true');
  if (yes.length >= n) return { value: 'true', unknowns: [], witnesses: uniq(yes.flatMap((o) => o.witnesses)) };
  const maybe = outcomes.filter((o) => o.value === 'unknown');
  if (yes.length + maybe.length >= n) {
    return { value: 'unknown', unknowns: uniq(maybe.flatMap((o) => o.unknowns)), witnesses: uniq([...yes, ...maybe].flatMap((o) => o.witnesses)) };
  }
  return FALSE;
}

function describeView(view: FlowView): string {
  const arrow = view.reversed ? ' (return direction)' : '';
  return `flow \`${view.flow.id}\` from \`${view.from?.id ?? view.flow.from}\` to \`${view.to?.id ?? view.flow.to}\`${arrow}`;
}

function factOf(index: ModelIndex, subject: Subject, attribute: string): Fact {
  switch (subject.kind) {
    case 'element':
      return elementFact(index, subject.element, attribute);
    case 'flow':
      return flowFact(subject.view, attribute);
    case 'data':
      return dataFact(subject.asset, attribute);
  }
}

const regexCache = new Map<string, RegExp | null>();

export function compilePattern(source: string): RegExp | null {
  if (regexCache.has(source)) return regexCache.get(source)!;
  let compiled: RegExp | null = null;
  try {
    compiled = new RegExp(source, 'iu');
  } catch {
    compiled = null;
  }
  regexCache.set(source, compiled);
  return compiled;
}

function testValue(test: AttributeTest, value: unknown): boolean {
  const values = Array.isArray(value) ? (value as unknown[]) : value === undefined ? [] : [value];
  if (test.equals !== undefined) return values.some((v) => v === test.equals);
  if (test.in !== undefined) return values.some((v) => test.in!.some((w) => w === v));
  if (test.matches !== undefined) {
    const pattern = compilePattern(test.matches);
    // Subjects are short (titles, protocols, tech); cap the input anyway.
    return pattern !== null && values.some((v) => pattern.test(String(v).slice(0, 500)));
  }
  // Only `attribute:` given: the fact is true.
  return values.some((v) => v === true);
}

function evaluateTest(index: ModelIndex, subject: Subject, test: AttributeTest): Outcome {
  const fact = factOf(index, subject, test.attribute);
  if (test.present !== undefined) return (fact.known && fact.value !== undefined) === test.present ? TRUE : FALSE;
  if (!fact.known) {
    if (test.if_unknown === true) return TRUE;
    if (test.if_unknown === false) return FALSE;
    return { value: 'unknown', unknowns: [fact.fact], witnesses: [] };
  }
  return testValue(test, fact.value) ? TRUE : FALSE;
}

export function evaluate(index: ModelIndex, subject: Subject, condition: Condition): Outcome {
  if ('all' in condition) {
    // One false decides `all`: stop there (most rules fail on their first test).
    const outcomes: Outcome[] = [];
    for (const c of condition.all) {
      const o = evaluate(index, subject, c);
      if (o.value === 'false') return FALSE;
      outcomes.push(o);
    }
    return combineAll(outcomes);
  }
  if ('any' in condition) return combineAny(condition.any.map((c) => evaluate(index, subject, c)));
  if ('not' in condition) {
    const inner = evaluate(index, subject, condition.not);
    if (inner.value === 'unknown') return { value: 'unknown', unknowns: inner.unknowns, witnesses: [] };
    return inner.value === 'true' ? FALSE : TRUE;
  }
  if ('from' in condition || 'to' in condition) {
    if (subject.kind !== 'flow') return FALSE;
    const end = 'from' in condition ? subject.view.from : subject.view.to;
    if (!end) return FALSE;
    return evaluate(index, { kind: 'element', element: end }, 'from' in condition ? condition.from : (condition as { to: Condition }).to);
  }
  if ('inbound' in condition || 'outbound' in condition) {
    if (subject.kind !== 'element') return FALSE;
    const inbound = 'inbound' in condition;
    const views = (inbound ? index.inbound : index.outbound).get(subject.element.id) ?? [];
    const inner = inbound ? (condition as { inbound: Condition }).inbound : (condition as { outbound: Condition }).outbound;
    const outcomes = views.map((view) => {
      const o = evaluate(index, { kind: 'flow', view }, inner);
      return o.value === 'false' ? o : { ...o, witnesses: [describeView(view), ...o.witnesses] };
    });
    return atLeast(outcomes, condition.at_least ?? 1);
  }
  if ('data' in condition) {
    const ids = subject.kind === 'element' ? (index.handled.get(subject.element.id) ?? []) : subject.kind === 'flow' ? subject.view.flow.data : [];
    const outcomes = ids.flatMap((id) => {
      const asset = index.data.get(id);
      if (!asset) return [];
      const o = evaluate(index, { kind: 'data', asset }, condition.data);
      return [o.value === 'false' ? o : { ...o, witnesses: [`data \`${id}\``, ...o.witnesses] }];
    });
    return combineAny(outcomes);
  }
  return evaluateTest(index, subject, condition);
}
