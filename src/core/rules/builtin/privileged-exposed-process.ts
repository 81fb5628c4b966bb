// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules privileged-exposed-process` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'privileged-exposed-process',
  title: 'Privileged process takes input from a less trusted zone',
  categories: ['elevation-of-privilege'],
  appliesTo: ['process'],
  when: 'takes input from a less trusted zone and is not stated to run without elevated privileges',
  condition: {
    all: [
      { not: { attribute: 'privileged', equals: false } },
      { inbound: { attribute: 'from_less_trusted', equals: true } },
    ],
  },
  likelihood: 'low',
  impact: 'high',
  explanation: 'Any flaw in a process that input from a less trusted zone reaches is exploitable by that zone; if the process runs with elevated OS or cloud privileges, the attacker inherits them.',
  mitigations: [
    'Run the process with the least privilege it needs (non-root, narrow cloud role), and state `privileged: false`.',
    'Split privileged work into a separate process behind a narrow interface.',
  ],
  refs: ['CWE-250', 'CWE-269', 'T1068'],
  source: 'builtin',
};
