// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules unsafe-deserialization` prints it.
import type { RuleDefinition } from '../types.ts';
import { UNTRUSTED_INPUT } from '../fragments.ts';

export const rule: RuleDefinition = {
  id: 'unsafe-deserialization',
  title: 'Deserialization of untrusted data',
  categories: ['tampering', 'elevation-of-privilege'],
  appliesTo: ['process'],
  when: 'deserializes native objects from data that crosses a trust boundary or originates in an untrusted zone',
  condition: {
    all: [
      { attribute: 'parses', equals: 'serialized', if_unknown: false },
      UNTRUSTED_INPUT,
    ],
  },
  likelihood: 'medium',
  impact: 'high',
  explanation: 'Native serialization formats (Java serialization, pickle, BinaryFormatter, PHP serialize) instantiate objects chosen by the data; gadget chains in the classpath turn that into remote code execution.',
  mitigations: [
    'Do not deserialize native objects from untrusted sources; use a data-only format (JSON with a schema) instead.',
    'Where unavoidable, sign the data and verify before deserializing, and restrict deserialization to an allow-list of types.',
  ],
  refs: ['CWE-502', 'CAPEC-586', 'A08:2025'],
  source: 'builtin',
};
