// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules poisoned-retrieval` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'poisoned-retrieval',
  title: 'Poisoned retrieval content',
  categories: ['tampering'],
  appliesTo: ['process'],
  when: 'is an LLM, agent or RAG component that reads from a store whose content untrusted input can reach',
  condition: {
    all: [
      { attribute: 'ai', in: ['llm', 'agent', 'rag'], if_unknown: false },
      {
        inbound: {
          from: {
            all: [{ attribute: 'type', equals: 'store' }, { attribute: 'reachable_from_untrusted', equals: true }],
          },
        },
      },
    ],
  },
  likelihood: 'medium',
  impact: 'high',
  explanation: 'Documents an attacker can get into the index (a ticket, a review, a wiki page) are retrieved as trusted context: they carry indirect prompt injections or false facts that the model repeats with authority.',
  mitigations: [
    'Record the provenance and trust of indexed content and filter or label untrusted sources at retrieval.',
    'Scan content for injection patterns before indexing; let users see the sources behind an answer.',
  ],
  refs: [
    'AML.T0070',
    'AML.T0066',
    'AML.T0071',
    'https://genai.owasp.org/llmrisk/llm082025-vector-and-embedding-weaknesses/',
  ],
  source: 'builtin',
};
