// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules data-to-third-party` prints it.
import type { RuleDefinition } from '../types.ts';
import { SENSITIVE_OR_PERSONAL_DATA } from '../fragments.ts';

export const rule: RuleDefinition = {
  id: 'data-to-third-party',
  title: 'Sensitive or personal data sent to a third-party system',
  categories: ['information-disclosure', 'data-disclosure', 'non-compliance'],
  appliesTo: ['flow'],
  when: 'hands sensitive or personal data from one of our processes or stores to an external system (not a person) outside our trusted zones',
  condition: {
    all: [
      { from: { attribute: 'type', in: ['process', 'store'] } },
      {
        to: {
          all: [
            { attribute: 'type', equals: 'external' },
            { not: { attribute: 'human', equals: true } },
            // An external system in a trusted zone is our own (another team's service with its own model).
            { not: { attribute: 'trust', equals: 'trusted' } },
          ],
        },
      },
      {
        any: [
          ...SENSITIVE_OR_PERSONAL_DATA,
        ],
      },
    ],
  },
  likelihood: 'medium',
  impact: 'high',
  explanation:
    'Data handed to another organisation leaves your controls: it is subject to their security, retention and legal regime. For personal data this is a disclosure that needs a legal basis, a processing agreement and minimisation. ' +
    'A third party is an external system in a semi-trusted or untrusted zone, or outside every boundary. An external system in a trusted zone is taken to be your own organisation\'s (another team\'s service, drawn as external because it is analysed in its own model), so data sent to it does not leave the organisation and the rule stays quiet; put vendors and partners in a zone that is not `trusted`. Being out of scope is not a test: a vendor analysed in another model (an identity provider, say) is still a third party.',
  mitigations: [
    'Send only the fields the recipient needs (minimise, pseudonymise); document the legal basis and processing agreement.',
    'Verify the recipient\'s security commitments and retention; prefer regional endpoints where data residency matters.',
  ],
  refs: ['CWE-359', 'CWE-201', 'https://linddun.org/threat-types/'],
  source: 'builtin',
};
