// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules path-traversal` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'path-traversal',
  title: 'Path or object-key traversal',
  categories: ['tampering', 'information-disclosure'],
  appliesTo: ['process'],
  when: 'writes to or reads from a file or object store while taking input from a less trusted zone or parsing files',
  condition: {
    all: [
      { outbound: { to: { attribute: 'kind', in: ['file', 'object'], if_unknown: false } } },
      {
        any: [
          { inbound: { attribute: 'from_less_trusted', equals: true } },
          { attribute: 'parses', equals: 'files', if_unknown: false },
        ],
      },
    ],
  },
  likelihood: 'medium',
  impact: 'medium',
  explanation: 'File names and object keys derived from input (`../`, absolute paths, another user\'s prefix) let an attacker read or overwrite files and objects outside the intended location.',
  mitigations: [
    'Build paths and keys on the server from validated identifiers; never use client-supplied names as paths.',
    'Canonicalize and check the result stays under the intended root or prefix; scope the process\'s permissions to that prefix.',
  ],
  refs: ['CWE-22', 'CAPEC-126', 'A01:2025'],
  source: 'builtin',
};
