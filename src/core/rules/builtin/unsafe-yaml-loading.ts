// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules unsafe-yaml-loading` prints it.
import type { RuleDefinition } from '../types.ts';
import { UNTRUSTED_INPUT } from '../fragments.ts';

export const rule: RuleDefinition = {
  id: 'unsafe-yaml-loading',
  title: 'Unsafe YAML loading',
  categories: ['tampering', 'denial-of-service'],
  appliesTo: ['process'],
  when: 'parses YAML that crosses a trust boundary or originates in an untrusted zone',
  condition: {
    all: [
      { attribute: 'parses', equals: 'yaml', if_unknown: false },
      UNTRUSTED_INPUT,
    ],
  },
  likelihood: 'medium',
  impact: 'medium',
  explanation: 'YAML can build language objects through tags, and anchors and aliases expand exponentially: a small document can instantiate unexpected types or exhaust memory and CPU.',
  mitigations: [
    'Load YAML with a safe, core-schema loader that rejects custom tags.',
    'Cap alias expansion, document size and nesting depth.',
  ],
  refs: ['CWE-502', 'CWE-776', 'A08:2025'],
  source: 'builtin',
};
