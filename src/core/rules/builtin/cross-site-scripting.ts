// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules cross-site-scripting` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'cross-site-scripting',
  title: 'Cross-site scripting through rendered content',
  categories: ['tampering', 'spoofing'],
  appliesTo: ['process'],
  when: 'handles HTML built from content an untrusted zone can influence, and its output reaches people',
  condition: {
    all: [
      { attribute: 'parses', equals: 'html', if_unknown: false },
      { attribute: 'reachable_from_untrusted', equals: true },
      { attribute: 'reaches_human', equals: true },
    ],
  },
  likelihood: 'medium',
  impact: 'high',
  explanation: 'HTML that carries attacker-controlled content runs the attacker\'s script in other people\'s browsers, with their session: account takeover, data theft, actions on their behalf.',
  mitigations: [
    'Encode output by context (HTML, attribute, URL, script) with an auto-escaping template engine; sanitize rich text with an allow-list sanitizer.',
    'Set a strict Content-Security-Policy and serve user content from a separate origin.',
  ],
  refs: ['CWE-79', 'CAPEC-63', 'A05:2025'],
  source: 'builtin',
};
