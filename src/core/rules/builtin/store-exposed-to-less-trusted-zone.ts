// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules store-exposed-to-less-trusted-zone` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'store-exposed-to-less-trusted-zone',
  title: 'Store reached directly from a less trusted zone',
  categories: ['tampering', 'information-disclosure', 'elevation-of-privilege'],
  appliesTo: ['store'],
  when: 'is read or written directly by an element in a less trusted zone, with no process of its own zone in between',
  condition: {
    all: [
      { not: { attribute: 'kind', equals: 'secrets', if_unknown: false } },
      {
        any: [
          { inbound: { attribute: 'from_less_trusted', equals: true } },
          { outbound: { attribute: 'to_less_trusted', equals: true } },
        ],
      },
    ],
  },
  likelihood: 'medium',
  impact: 'high',
  explanation: 'A store should normally be reached only through a process of its own zone that authenticates, authorizes and validates. Direct access from a less trusted zone puts the store\'s own access control (policies, ACLs, credentials) on the front line: one misconfigured policy exposes or corrupts all of its data.',
  mitigations: [
    'Put a process of the store\'s zone in front of it, or restrict the direct access to the narrowest identity, action and prefix (least-privilege policy, signed URLs, origin access control).',
    'Block public access at the account or service level and alert on policy changes.',
  ],
  refs: ['CWE-284', 'CWE-668', 'T1530', 'A01:2025'],
  source: 'builtin',
};
