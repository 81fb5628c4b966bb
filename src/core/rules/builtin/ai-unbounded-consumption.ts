// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules ai-unbounded-consumption` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'ai-unbounded-consumption',
  title: 'Unbounded consumption of an AI service',
  categories: ['denial-of-service'],
  appliesTo: ['process'],
  when: 'is an LLM, agent or RAG component that untrusted input reaches and that is not stated to bound request rate and size',
  condition: {
    all: [
      { attribute: 'ai', in: ['llm', 'agent', 'rag'], if_unknown: false },
      { attribute: 'reachable_from_untrusted', equals: true },
      { not: { attribute: 'rate_limited', equals: true } },
    ],
  },
  likelihood: 'medium',
  impact: 'medium',
  explanation: 'Model calls are slow and expensive. Long prompts, many requests or agent loops exhaust quotas and budgets (denial of wallet) and starve other users.',
  mitigations: [
    'Bound tokens per request, requests per user and agent steps per task; set spending alerts and hard caps, and state `rate_limited: true`.',
  ],
  refs: ['AML.T0034', 'AML.T0029', 'https://genai.owasp.org/llmrisk/llm102025-unbounded-consumption/'],
  source: 'builtin',
};
