// The rules engine's shapes: a rule is data (id, categories, a declarative
// condition over the resolved model, ratings, advice, references). Built-in
// rules are TypeScript modules holding such data; custom rules are the same
// data in YAML or JSON files. Nothing here is executable code from the user.
import type { Category } from '../types.ts';

/** What a rule is evaluated on. */
export type RuleTarget = 'external' | 'process' | 'store' | 'flow';
export const RULE_TARGETS: readonly RuleTarget[] = ['external', 'process', 'store', 'flow'];

export type Level = 'low' | 'medium' | 'high';
export const LEVELS: readonly Level[] = ['low', 'medium', 'high'];

export type Scalar = string | number | boolean;

/**
 * A test of one attribute (a stated fact or a derived one) of the element,
 * flow or data asset in context. An absent fact is unknown: the test is then
 * unknown too, unless `if_unknown` says what to assume.
 */
export interface AttributeTest {
  attribute: string;
  /** The value equals this (for a list attribute: the list contains it). */
  equals?: Scalar;
  /** The value is one of these (for a list attribute: the lists share an item). */
  in?: Scalar[];
  /** The value matches this regular expression (case-insensitive). */
  matches?: string;
  /** The fact is stated (true) or not stated (false). Never unknown. */
  present?: boolean;
  /** What to assume when the fact is not stated; default: unknown. */
  if_unknown?: boolean;
}

export interface AllCondition { all: Condition[] }
export interface AnyCondition { any: Condition[] }
export interface NotCondition { not: Condition }
/** Flow context → the element the flow comes from. */
export interface FromCondition { from: Condition }
/** Flow context → the element the flow goes to. */
export interface ToCondition { to: Condition }
/** Element context → at least `at_least` (default 1) flows into the element satisfy the condition. */
export interface InboundCondition { inbound: Condition; at_least?: number }
/** Element context → at least `at_least` (default 1) flows out of the element satisfy the condition. */
export interface OutboundCondition { outbound: Condition; at_least?: number }
/** Element or flow context → some data asset it handles satisfies the condition. */
export interface DataCondition { data: Condition }

export type Condition =
  | AllCondition
  | AnyCondition
  | NotCondition
  | FromCondition
  | ToCondition
  | InboundCondition
  | OutboundCondition
  | DataCondition
  | AttributeTest;

export interface RuleDefinition {
  /** Stable, kebab-case; part of every finding id (`rule-id@target-id`). Never reuse one. */
  id: string;
  title: string;
  /** STRIDE and/or LINDDUN category keys. */
  categories: Category[];
  appliesTo: RuleTarget[];
  /** When the rule fires, in plain words (used in finding messages). */
  when: string;
  condition: Condition;
  likelihood: Level;
  impact: Level;
  /** Why this matters. */
  explanation: string;
  mitigations: string[];
  /** CWE, CAPEC, ATT&CK, ATLAS, OWASP ids or http(s) URLs (the refs syntax of format v1). */
  refs: string[];
  /** Where the rule comes from: built in, or the custom rules file that defines it. */
  source: 'builtin' | { file: string; line: number };
}
