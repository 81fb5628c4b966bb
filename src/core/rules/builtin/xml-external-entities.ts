// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules xml-external-entities` prints it.
import type { RuleDefinition } from '../types.ts';
import { UNTRUSTED_INPUT } from '../fragments.ts';

export const rule: RuleDefinition = {
  id: 'xml-external-entities',
  title: 'XML external entities and entity expansion',
  categories: ['information-disclosure', 'denial-of-service'],
  appliesTo: ['process'],
  when: 'parses XML that crosses a trust boundary or originates in an untrusted zone',
  condition: {
    all: [
      { attribute: 'parses', equals: 'xml', if_unknown: false },
      UNTRUSTED_INPUT,
    ],
  },
  likelihood: 'medium',
  impact: 'high',
  explanation: 'XML parsers that resolve external entities or expand nested entities let a document read local files, reach internal URLs (SSRF) or exhaust memory (billion laughs).',
  mitigations: [
    'Disable DTDs and external entity resolution in every XML parser (secure parser configuration), or use a parser without DTD support.',
    'Bound document size and nesting depth.',
  ],
  refs: ['CWE-611', 'CWE-776', 'CAPEC-221', 'A02:2025'],
  source: 'builtin',
};
