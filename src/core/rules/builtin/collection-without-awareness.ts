// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules collection-without-awareness` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'collection-without-awareness',
  title: 'People unaware of what is collected about them',
  categories: ['unawareness', 'non-compliance'],
  appliesTo: ['external'],
  when: 'is a person who provides personal data to the system',
  condition: {
    all: [
      { attribute: 'human', equals: true, if_unknown: false },
      { outbound: { data: { attribute: 'personal', equals: true } } },
    ],
  },
  likelihood: 'medium',
  impact: 'medium',
  explanation: 'People have to know what is collected, why, and what they can do about it (access, correct, object, erase). Collection they do not expect, or cannot control, is a privacy threat and usually a compliance gap.',
  mitigations: [
    'Tell people at collection what is collected and why (notice, consent where needed), and give them access, correction and erasure.',
    'Collect only what the purpose needs.',
  ],
  refs: ['https://linddun.org/threat-types/', 'https://gdpr-info.eu/art-13-gdpr/'],
  source: 'builtin',
};
