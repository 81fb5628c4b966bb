// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules unauthenticated-store-access` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'unauthenticated-store-access',
  title: 'Unauthenticated access to a store across a boundary',
  categories: ['spoofing', 'tampering'],
  appliesTo: ['flow'],
  when: 'connects a process to a store in another boundary (not from a less trusted zone) without authenticating the connection',
  condition: {
    all: [
      { attribute: 'crosses_boundary', equals: true },
      { not: { attribute: 'authenticated', equals: true } },
      {
        any: [
          {
            all: [
              { to: { attribute: 'type', equals: 'store' } },
              { from: { attribute: 'type', equals: 'process' } },
              { attribute: 'from_less_trusted', equals: false },
            ],
          },
          {
            all: [
              { from: { attribute: 'type', equals: 'store' } },
              { to: { attribute: 'type', equals: 'process' } },
              { attribute: 'to_less_trusted', equals: false },
            ],
          },
        ],
      },
    ],
  },
  likelihood: 'low',
  impact: 'high',
  explanation: 'A store that accepts connections without credentials, or with a shared static password, lets anything that reaches the network read or change its data.',
  mitigations: [
    'Require per-service credentials (IAM roles, client certificates, database users) for every connection and state `authenticated: true`.',
    'Restrict network access to the store to the processes that use it.',
  ],
  refs: ['CWE-306', 'CWE-284', 'T1078'],
  source: 'builtin',
};
