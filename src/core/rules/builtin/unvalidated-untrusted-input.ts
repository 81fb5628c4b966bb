// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules unvalidated-untrusted-input` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'unvalidated-untrusted-input',
  title: 'Input from a less trusted source is not validated',
  categories: ['tampering'],
  appliesTo: ['process'],
  when: 'takes input from a less trusted zone, or reads a store written from an untrusted zone, and is not stated to validate its input',
  condition: {
    all: [
      { not: { attribute: 'validates_input', equals: true } },
      {
        any: [
          { inbound: { attribute: 'from_less_trusted', equals: true } },
          {
            inbound: {
              from: {
                all: [
                  { attribute: 'type', equals: 'store' },
                  { inbound: { from: { attribute: 'trust', equals: 'untrusted' } } },
                ],
              },
            },
          },
        ],
      },
    ],
  },
  likelihood: 'medium',
  impact: 'high',
  explanation: 'Input an attacker shapes drives the process\'s behaviour: injection, logic abuse and crashes all start with input that was accepted without checking its type, size and allowed values. Data stored from a less trusted zone is the same input, read later (second-order injection).',
  mitigations: [
    'Validate every input against a schema or allow-list (types, lengths, ranges, formats) at the trust boundary, reject the rest, and state `validates_input: true`.',
  ],
  refs: ['CWE-20', 'CAPEC-153', 'A05:2025'],
  source: 'builtin',
};
