// Condition fragments several built-in rules share. They are plain data in the
// rules language, so a rule still prints (and reads) as one whole condition.
import type { Condition } from './types.ts';

/** Input to an element crosses a boundary, or it can be reached from an untrusted zone. */
export const UNTRUSTED_INPUT: Condition = {
  any: [{ inbound: { attribute: 'crosses_boundary', equals: true } }, { attribute: 'reachable_from_untrusted', equals: true }],
};

/** Alternatives for an `any:` list: some data asset handled is sensitive, or personal. */
export const SENSITIVE_OR_PERSONAL_DATA: Condition[] = [{ data: { attribute: 'sensitive', equals: true } }, { data: { attribute: 'personal', equals: true } }];

/** A store other than a log that holds sensitive or personal data. */
export const STORE_WITH_SENSITIVE_DATA: Condition = {
  all: [
    { attribute: 'type', equals: 'store' },
    { not: { attribute: 'kind', equals: 'log', if_unknown: false } },
    { any: SENSITIVE_OR_PERSONAL_DATA },
  ],
};
