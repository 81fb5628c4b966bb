// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules observable-communication` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'observable-communication',
  title: 'Observers can tell who uses the system',
  categories: ['detecting'],
  appliesTo: ['flow'],
  when: 'carries personal data across a boundary to or from an untrusted zone, where its existence, timing and size can be observed',
  condition: {
    all: [
      { attribute: 'crosses_boundary', equals: true },
      { data: { attribute: 'personal', equals: true } },
      {
        any: [
          { from: { attribute: 'trust', equals: 'untrusted' } },
          { to: { attribute: 'trust', equals: 'untrusted' } },
        ],
      },
    ],
  },
  likelihood: 'low',
  impact: 'medium',
  explanation: 'Even encrypted traffic reveals that a person talks to this service, when and how much. Where using the service is itself sensitive (health, finance, support for a problem), that observation discloses something about the person (LINDDUN detecting).',
  mitigations: [
    'Decide whether using the service is sensitive; if so, avoid telling third parties (analytics, CDNs with logging, e-mail notifications with revealing subjects) and consider padding or batching.',
    'Keep access logs pseudonymous and short-lived.',
  ],
  refs: ['https://linddun.org/threat-types/'],
  source: 'builtin',
};
