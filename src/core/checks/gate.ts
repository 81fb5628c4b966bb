// The release gate: open or planned threats at or above `fail_on` must be
// fixed (or their risk accepted) before release.
import { atLeast } from '../risk.ts';
import type { ModelCheck } from './types.ts';

export const gateCheck: ModelCheck = {
  rules: [
    {
      id: 'unmitigated-threat',
      severity: 'error',
      title: 'An open or planned threat is at or above the fail-on severity',
      description: 'Threats with status `open` or `planned` whose severity (likelihood × impact) is at or above `fail_on` (default high) must be fixed before release.',
      help: 'Mitigate the threat (status `mitigated` with mitigations), or record a decision: accept it with an owner, rationale and expiry, or transfer it.',
    },
    {
      id: 'missing-risk-rating',
      severity: 'error',
      title: 'A threat has no likelihood or impact',
      description: 'Likelihood and impact are required unless the threat is `not-applicable`; without them the threat cannot be scored or gated.',
      help: 'Add `likelihood` and `impact` on the configured scale.',
    },
  ],
  check({ model, data, config, report }) {
    const threatsRaw = Object.hasOwn(data, 'threats') ? data.threats : undefined;
    for (const threat of model.threats) {
      if (threat.status !== 'not-applicable') {
        const raw = threatsRaw && typeof threatsRaw === 'object' ? (threatsRaw as Record<string, unknown>)[threat.id] : undefined;
        const missing = raw && typeof raw === 'object' ? (['likelihood', 'impact'] as const).filter((key) => !Object.hasOwn(raw, key)) : [];
        if (missing.length > 0) {
          report('missing-risk-rating', `threat \`${threat.id}\` has no ${missing.map((k) => `\`${k}\``).join(' and ')} (required unless the status is \`not-applicable\`)`, ['threats', threat.id], { part: 'key', subject: threat.id });
        }
      }
      if ((threat.status === 'open' || threat.status === 'planned') && atLeast(threat.severity, config.failOn)) {
        const rating = `${threat.severity!.toUpperCase()} (likelihood ${threat.likelihood} × impact ${threat.impact})`;
        const what = threat.status === 'open' ? 'is open' : 'is only planned';
        report(
          'unmitigated-threat',
          `threat \`${threat.id}\` ${what} with severity ${rating}, at or above fail_on ${config.failOn}: fix before release, or accept or transfer the risk`,
          ['threats', threat.id, 'status'],
          { subject: threat.id },
        );
      }
    }
  },
};
