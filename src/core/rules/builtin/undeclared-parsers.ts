// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules undeclared-parsers` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'undeclared-parsers',
  title: 'Input parsed from another zone, formats not stated',
  categories: ['tampering'],
  appliesTo: ['process'],
  when: 'receives data across a trust boundary but does not state what it parses (`parses`), so the parser rules (XML, YAML, deserialization, files, templates, HTML) cannot decide; state `parses` to settle this finding',
  condition: {
    all: [{ attribute: 'parses', present: false }, { inbound: { attribute: 'crosses_boundary', equals: true } }],
  },
  likelihood: 'medium',
  impact: 'medium',
  explanation: 'Parsers are where hostile input does its damage: entity expansion, object instantiation, decompression bombs, template evaluation. Which of these apply depends on the formats the process parses, which the model does not state yet.',
  mitigations: ['State `parses:` on the process (e.g. `parses: [json]`, or `parses: []` when it parses nothing).'],
  refs: ['CWE-20'],
  source: 'builtin',
};
