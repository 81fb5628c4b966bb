// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules template-injection` prints it.
import type { RuleDefinition } from '../types.ts';
import { UNTRUSTED_INPUT } from '../fragments.ts';

export const rule: RuleDefinition = {
  id: 'template-injection',
  title: 'Template injection',
  categories: ['elevation-of-privilege', 'tampering'],
  appliesTo: ['process'],
  when: 'evaluates templates with content that crosses a trust boundary or originates in an untrusted zone',
  condition: {
    all: [
      { attribute: 'parses', equals: 'templates', if_unknown: false },
      UNTRUSTED_INPUT,
    ],
  },
  likelihood: 'medium',
  impact: 'high',
  explanation: 'Template engines are interpreters. When input becomes part of a template rather than data passed to it, an attacker writes template expressions that read secrets or run code on the server.',
  mitigations: [
    'Never build templates from input; pass input as data to fixed templates.',
    'Use a logic-less or sandboxed template engine and auto-escaping.',
  ],
  refs: ['CWE-1336', 'CAPEC-242', 'A05:2025'],
  source: 'builtin',
};
