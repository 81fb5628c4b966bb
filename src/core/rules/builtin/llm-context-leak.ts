// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules llm-context-leak` prints it.
import type { RuleDefinition } from '../types.ts';
import { SENSITIVE_OR_PERSONAL_DATA } from '../fragments.ts';

export const rule: RuleDefinition = {
  id: 'llm-context-leak',
  title: 'Sensitive data leaks through the model\'s context',
  categories: ['information-disclosure', 'data-disclosure'],
  appliesTo: ['process'],
  when: 'is an LLM, agent or RAG component whose context holds sensitive or personal data and whose output goes to a less trusted zone or an external entity',
  condition: {
    all: [
      { attribute: 'ai', in: ['llm', 'agent', 'rag'], if_unknown: false },
      {
        any: [
          ...SENSITIVE_OR_PERSONAL_DATA,
        ],
      },
      {
        outbound: {
          any: [{ attribute: 'to_less_trusted', equals: true }, { to: { attribute: 'type', equals: 'external' } }],
        },
      },
    ],
  },
  likelihood: 'medium',
  impact: 'high',
  explanation: 'Whatever is in the context window can appear in the output: other customers\' records retrieved by mistake, system prompts, secrets, internal notes. A crafted question or an injected instruction is enough to surface it.',
  mitigations: [
    'Put only data the current user may see into the context (authorize retrieval per user); never put secrets in prompts.',
    'Filter outputs for personal data and secrets; log and review leaks.',
  ],
  refs: [
    'AML.T0057',
    'AML.T0056',
    'CWE-200',
    'https://genai.owasp.org/llmrisk/llm022025-sensitive-information-disclosure/',
  ],
  source: 'builtin',
};
