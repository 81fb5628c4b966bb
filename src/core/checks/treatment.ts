// Each treatment carries what it needs: mitigations, a complete and current
// acceptance, a transfer, a ticket for planned work.
import { days, daysBetween } from '../dates.ts';
import type { ModelCheck } from './types.ts';

export const treatmentCheck: ModelCheck = {
  rules: [
    {
      id: 'missing-mitigations',
      severity: 'error',
      title: 'A planned or mitigated threat lists no mitigation',
      description: 'Status `planned` or `mitigated` claims that something is (or will be) done; the mitigations say what.',
      help: 'Add `mitigations:` with at least one entry (text, or `{title, ref, url}`).',
    },
    {
      id: 'missing-acceptance',
      severity: 'error',
      title: 'An accepted risk lacks owner, rationale or expiry',
      description: 'An accepted risk is a decision someone owns, for a reason, until a date; without all three it is not a decision.',
      help: 'Add `acceptance: {owner, rationale, accepted, expires}`.',
    },
    {
      id: 'acceptance-expired',
      severity: 'error',
      title: 'A risk acceptance has expired',
      description: 'After its expiry date an acceptance no longer covers the threat: it must be reviewed.',
      help: 'Review the risk: mitigate it, or renew the acceptance with a new `accepted` and `expires` date.',
    },
    {
      id: 'acceptance-too-long',
      severity: 'error',
      title: 'A risk acceptance runs longer than allowed',
      description: 'Acceptances must be revisited; they may run at most `max_acceptance_days` (default 365) from the day they were accepted.',
      help: 'Shorten `expires`, or raise `max_acceptance_days` in threatmark.config.yaml if your policy allows.',
    },
    {
      id: 'acceptance-expiring',
      severity: 'warning',
      title: 'A risk acceptance expires soon',
      description: 'The acceptance expires within `expiry_warning_days` (default 30).',
      help: 'Plan the review before it expires.',
    },
    {
      id: 'missing-transfer',
      severity: 'error',
      title: 'A transferred threat does not say to whom and why',
      description: 'Transferring a risk (to a vendor, insurer or another team) needs `transfer: {to, rationale}`.',
      help: 'Add `transfer: {to, rationale}`.',
    },
    {
      id: 'missing-ticket',
      severity: 'warning',
      title: 'A planned threat has no ticket',
      description: 'Planned work should be tracked; the ticket links the threat to it.',
      help: 'Add `ticket:` with the issue key or URL.',
    },
    {
      id: 'unused-treatment',
      severity: 'warning',
      title: 'An acceptance or transfer is written on a threat with another status',
      description: 'An `acceptance` only counts when the status is `accepted`, a `transfer` only when it is `transferred`; otherwise it would be silently ignored.',
      help: 'Change the status, or remove the block.',
    },
  ],
  check({ model, data, config, today, report }) {
    const rawThreats = Object.hasOwn(data, 'threats') && data.threats && typeof data.threats === 'object' ? (data.threats as Record<string, unknown>) : {};
    for (const threat of model.threats) {
      const rawThreat = Object.hasOwn(rawThreats, threat.id) ? (rawThreats[threat.id] as Record<string, unknown>) : {};
      const rawAcceptance = rawThreat && typeof rawThreat.acceptance === 'object' && rawThreat.acceptance !== null ? (rawThreat.acceptance as Record<string, unknown>) : {};
      const at = (...path: string[]) => ['threats', threat.id, ...path];
      const subject = threat.id;
      if ((threat.status === 'planned' || threat.status === 'mitigated') && threat.mitigations.length === 0) {
        report('missing-mitigations', `threat \`${threat.id}\` is ${threat.status} but lists no mitigations`, at('status'), { subject });
      }
      if (threat.status === 'planned' && !threat.ticket) {
        report('missing-ticket', `threat \`${threat.id}\` is planned but has no ticket`, at('status'), { subject });
      }
      if (threat.status === 'accepted') {
        const acceptance = threat.acceptance;
        if (!acceptance) {
          report('missing-acceptance', `threat \`${threat.id}\` is accepted but has no \`acceptance\` (owner, rationale, expires)`, at('status'), { subject });
        } else {
          // Keys written with an invalid value are reported by the schema check, not as missing.
          const missing = (['owner', 'rationale', 'expires'] as const).filter((key) => !acceptance[key] && (!Object.hasOwn(rawAcceptance, key) || rawAcceptance[key] === null || rawAcceptance[key] === ''));
          const invalid = (['owner', 'rationale', 'expires'] as const).some((key) => !acceptance[key]);
          if (missing.length > 0) {
            report('missing-acceptance', `the acceptance of \`${threat.id}\` lacks ${missing.map((m) => `\`${m}\``).join(', ')}`, at('acceptance'), { subject, part: 'key' });
          } else if (invalid) {
            // An invalid value is already reported; judging expiry on it would mislead.
          } else if (threat.acceptanceState === 'expired') {
            report('acceptance-expired', `the acceptance of \`${threat.id}\` by ${acceptance.owner} expired on ${acceptance.expires} (${days(-daysBetween(today, acceptance.expires!))} ago)`, at('acceptance', 'expires'), { subject });
          } else if (threat.acceptanceState === 'too-long') {
            const from = acceptance.accepted ?? today;
            report(
              'acceptance-too-long',
              `the acceptance of \`${threat.id}\` runs ${days(daysBetween(from, acceptance.expires!))} (${from} to ${acceptance.expires}), longer than the maximum of ${config.maxAcceptanceDays}`,
              at('acceptance', 'expires'),
              { subject },
            );
          } else if (threat.acceptanceState === 'expiring') {
            report('acceptance-expiring', `the acceptance of \`${threat.id}\` expires on ${acceptance.expires} (in ${days(daysBetween(today, acceptance.expires!))})`, at('acceptance', 'expires'), { subject });
          }
          if (acceptance.accepted && acceptance.expires && daysBetween(acceptance.accepted, acceptance.expires) < 0) {
            report('missing-acceptance', `the acceptance of \`${threat.id}\` expires (${acceptance.expires}) before it was accepted (${acceptance.accepted})`, at('acceptance', 'expires'), { subject });
          }
        }
      } else if (threat.acceptance) {
        report('unused-treatment', `threat \`${threat.id}\` has an \`acceptance\` but its status is ${threat.status}; the acceptance is not in force`, at('acceptance'), { subject, part: 'key' });
      }
      if (threat.status === 'transferred') {
        const missing = (['to', 'rationale'] as const).filter((key) => !threat.transfer?.[key]);
        if (missing.length > 0) {
          report('missing-transfer', `threat \`${threat.id}\` is transferred but ${threat.transfer ? `its transfer lacks ${missing.map((m) => `\`${m}\``).join(', ')}` : 'has no `transfer` (to, rationale)'}`, threat.transfer ? at('transfer') : at('status'), { subject, part: threat.transfer ? 'key' : 'value' });
        }
      } else if (threat.transfer) {
        report('unused-treatment', `threat \`${threat.id}\` has a \`transfer\` but its status is ${threat.status}; the transfer is not in force`, at('transfer'), { subject, part: 'key' });
      }
    }
  },
};
