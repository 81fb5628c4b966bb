// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules missing-authorization` prints it.
import type { RuleDefinition } from '../types.ts';
import { STORE_WITH_SENSITIVE_DATA } from '../fragments.ts';

export const rule: RuleDefinition = {
  id: 'missing-authorization',
  title: 'Caller from a less trusted zone reaches stored data without per-request authorization',
  categories: ['elevation-of-privilege', 'information-disclosure'],
  appliesTo: ['process'],
  when: 'serves people or processes of a less trusted zone, reads or writes a store with sensitive or personal data, and is not stated to check each caller\'s permission',
  condition: {
    all: [
      { not: { attribute: 'authorizes', equals: true } },
      {
        inbound: {
          all: [
            { attribute: 'from_less_trusted', equals: true },
            {
              from: {
                any: [
                  { attribute: 'human', equals: true, if_unknown: false },
                  { attribute: 'type', equals: 'process' },
                ],
              },
            },
          ],
        },
      },
      {
        any: [
          {
            outbound: {
              to: STORE_WITH_SENSITIVE_DATA,
            },
          },
          {
            inbound: {
              from: STORE_WITH_SENSITIVE_DATA,
            },
          },
        ],
      },
    ],
  },
  likelihood: 'medium',
  impact: 'high',
  explanation: 'Authentication says who the caller is; authorization decides what that caller may touch. Without a per-request check, any authenticated caller can read or change other users\' records by changing an identifier (IDOR).',
  mitigations: [
    'Check on every request that the caller may perform the action on the specific record (ownership, tenant, role), deny by default, and state `authorizes: true`.',
    'Test access control with a second user\'s identifiers.',
  ],
  refs: ['CWE-862', 'CWE-639', 'CAPEC-122', 'A01:2025'],
  source: 'builtin',
};
