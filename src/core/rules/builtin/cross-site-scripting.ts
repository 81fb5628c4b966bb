// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules cross-site-scripting` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'cross-site-scripting',
  title: 'Cross-site scripting through rendered content',
  categories: ['tampering', 'spoofing'],
  appliesTo: ['process'],
  when: 'handles HTML built from content an untrusted zone can influence, and that content reaches people (every flow on the way carries data it handles, or states none)',
  condition: {
    all: [
      { attribute: 'parses', equals: 'html', if_unknown: false },
      { attribute: 'reachable_from_untrusted', equals: true },
      { attribute: 'content_reaches_human', equals: true },
    ],
  },
  likelihood: 'medium',
  impact: 'high',
  explanation:
    'HTML that carries attacker-controlled content runs the attacker\'s script in other people\'s browsers, with their session: account takeover, data theft, actions on their behalf. ' +
    'Parsing HTML is not serving it: the rule needs a path from the process to a person on which every flow carries one of the data assets the process handles, directly or through stores and other services (a static site built here, uploaded to a bucket and served by a CDN). A flow with no `data` stated counts, since what it carries is unknown. A process that converts HTML into something else (text chunks for an index) whose path to people continues only as other data (a generated answer) is quiet. `templates` alone does not count, since prompt and e-mail templates produce no HTML: state `html` for a process that renders HTML pages.',
  mitigations: [
    'Encode output by context (HTML, attribute, URL, script) with an auto-escaping template engine; sanitize rich text with an allow-list sanitizer.',
    'Set a strict Content-Security-Policy and serve user content from a separate origin.',
  ],
  refs: ['CWE-79', 'CAPEC-63', 'A05:2025'],
  source: 'builtin',
};
