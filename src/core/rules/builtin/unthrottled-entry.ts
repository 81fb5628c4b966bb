// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules unthrottled-entry` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'unthrottled-entry',
  title: 'Entry point from a less trusted zone without rate limits',
  categories: ['denial-of-service'],
  appliesTo: ['process'],
  when: 'receives input from a less trusted zone (other than responses to its own calls) and is not stated to bound request rate and size',
  condition: {
    all: [
      { attribute: 'ai', present: false },
      { not: { attribute: 'rate_limited', equals: true } },
      {
        inbound: {
          all: [
            { attribute: 'from_less_trusted', equals: true },
            {
              // The response to a request the process makes is not an entry point, unless a person (or an
              // external not stated to be a system) answers: people start their own requests.
              any: [
                { not: { attribute: 'return_direction', equals: true } },
                { from: { all: [{ attribute: 'type', equals: 'external' }, { attribute: 'human', equals: true, if_unknown: true }] } },
              ],
            },
          ],
        },
      },
    ],
  },
  likelihood: 'medium',
  impact: 'medium',
  explanation:
    'Anyone in the less trusted zone can send more and larger requests than the process can handle, starving legitimate users or running up costs. ' +
    'Format v1 draws flows in the direction data moves and has no notion of who starts an exchange, so a one-way flow into the process counts whether someone sends it requests or the process downloads from there itself; such a download is answered with a `not_applicable` entry that says what bounds it (timeouts, size limits, pinned content). ' +
    'A bidirectional flow is a request from its `from` end and the response of its `to` end: the return direction, the answer to a call the process makes, is not an entry point and does not count, unless the answering end is a person or an external not stated to be a system (`human: false`). To say that the process calls out, draw the exchange as a bidirectional flow from the process. Flows from stores count: a queue or bucket in a less trusted zone can trigger or feed the process as fast as it is filled.',
  mitigations: [
    'Bound request rate, concurrency and body size per caller at the entry point (or in front of it), and state `rate_limited: true`.',
    'Set timeouts and queue limits so overload degrades instead of cascading.',
  ],
  refs: ['CWE-770', 'CAPEC-125', 'T1499'],
  source: 'builtin',
};
