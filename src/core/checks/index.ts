// Every check, in the order they run. One module per check; each module
// declares its rule ids, documentation and default severities.
import { CONFIG_RULES } from '../config.ts';
import type { RuleMeta } from '../diagnostics.ts';
import { FILE_RULES } from '../pipeline-rules.ts';
import { SCHEMA_RULES } from '../validate.ts';
import { linddunCoverageCheck, strideCoverageCheck } from './coverage.ts';
import { coversCheck } from './covers.ts';
import { duplicateModelIdCheck } from './duplicate-ids.ts';
import { exclusionsCheck } from './exclusions.ts';
import { findingsCheck } from './findings.ts';
import { gateCheck } from './gate.ts';
import { headingsCheck } from './headings.ts';
import { mitigationRefsCheck } from './mitigation-refs.ts';
import { referencesCheck } from './references.ts';
import { refsCheck } from './refs.ts';
import { reviewCheck } from './review.ts';
import { treatmentCheck } from './treatment.ts';
import type { ModelCheck, ProjectCheck } from './types.ts';

export const MODEL_CHECKS: ModelCheck[] = [
  referencesCheck,
  gateCheck,
  treatmentCheck,
  reviewCheck,
  refsCheck,
  strideCoverageCheck,
  linddunCoverageCheck,
  exclusionsCheck,
  headingsCheck,
  coversCheck,
  mitigationRefsCheck,
  findingsCheck,
];

export const PROJECT_CHECKS: ProjectCheck[] = [duplicateModelIdCheck];

export function allRules(extra: readonly { rules: RuleMeta[] }[] = []): RuleMeta[] {
  return [...FILE_RULES, ...SCHEMA_RULES, ...CONFIG_RULES, ...[...MODEL_CHECKS, ...PROJECT_CHECKS, ...extra].flatMap((c) => c.rules)];
}
