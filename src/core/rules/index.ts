// The rules engine's public surface: the built-in rule catalogue (for the
// checker, the CLI and the site's /rules/ page) and the engine itself.
import { rule as unauthenticatedEntry } from './builtin/unauthenticated-entry.ts';
import { rule as humanCredentialAttacks } from './builtin/human-credential-attacks.ts';
import { rule as storeExposedToLessTrustedZone } from './builtin/store-exposed-to-less-trusted-zone.ts';
import { rule as unencryptedBoundaryCrossing } from './builtin/unencrypted-boundary-crossing.ts';
import { rule as cleartextCredentials } from './builtin/cleartext-credentials.ts';
import { rule as sensitiveStoreUnencrypted } from './builtin/sensitive-store-unencrypted.ts';
import { rule as storeWithoutBackup } from './builtin/store-without-backup.ts';
import { rule as auditLogNotPreserved } from './builtin/audit-log-not-preserved.ts';
import { rule as logInjection } from './builtin/log-injection.ts';
import { rule as missingAuditTrail } from './builtin/missing-audit-trail.ts';
import { rule as unvalidatedUntrustedInput } from './builtin/unvalidated-untrusted-input.ts';
import { rule as undeclaredParsers } from './builtin/undeclared-parsers.ts';
import { rule as xmlExternalEntities } from './builtin/xml-external-entities.ts';
import { rule as unsafeDeserialization } from './builtin/unsafe-deserialization.ts';
import { rule as maliciousFileUpload } from './builtin/malicious-file-upload.ts';
import { rule as templateInjection } from './builtin/template-injection.ts';
import { rule as unsafeYamlLoading } from './builtin/unsafe-yaml-loading.ts';
import { rule as crossSiteScripting } from './builtin/cross-site-scripting.ts';
import { rule as queryInjection } from './builtin/query-injection.ts';
import { rule as pathTraversal } from './builtin/path-traversal.ts';
import { rule as unthrottledEntry } from './builtin/unthrottled-entry.ts';
import { rule as privilegedExposedProcess } from './builtin/privileged-exposed-process.ts';
import { rule as missingAuthorization } from './builtin/missing-authorization.ts';
import { rule as secretsReachableFromUntrusted } from './builtin/secrets-reachable-from-untrusted.ts';
import { rule as sensitiveDataInLogs } from './builtin/sensitive-data-in-logs.ts';
import { rule as dataToThirdParty } from './builtin/data-to-third-party.ts';
import { rule as unauthenticatedServiceCall } from './builtin/unauthenticated-service-call.ts';
import { rule as unauthenticatedStoreAccess } from './builtin/unauthenticated-store-access.ts';
import { rule as promptInjection } from './builtin/prompt-injection.ts';
import { rule as llmContextLeak } from './builtin/llm-context-leak.ts';
import { rule as excessiveAgency } from './builtin/excessive-agency.ts';
import { rule as poisonedRetrieval } from './builtin/poisoned-retrieval.ts';
import { rule as mlModelManipulation } from './builtin/ml-model-manipulation.ts';
import { rule as improperOutputHandling } from './builtin/improper-output-handling.ts';
import { rule as aiUnboundedConsumption } from './builtin/ai-unbounded-consumption.ts';
import { rule as personalDataRetention } from './builtin/personal-data-retention.ts';
import { rule as personalDataSecondaryCopies } from './builtin/personal-data-secondary-copies.ts';
import { rule as datasetLinking } from './builtin/dataset-linking.ts';
import { rule as auditTrailAttributesIndividuals } from './builtin/audit-trail-attributes-individuals.ts';
import { rule as collectionWithoutAwareness } from './builtin/collection-without-awareness.ts';
import { rule as observableCommunication } from './builtin/observable-communication.ts';
import { rule as personalDataInAiContext } from './builtin/personal-data-in-ai-context.ts';
import type { RuleDefinition } from './types.ts';

export type { Condition, Level, RuleDefinition, RuleTarget } from './types.ts';
export { findingsFor, ruleRating, activeRules } from './engine.ts';

/** Every built-in rule, in catalogue order (grouped: STRIDE, AI systems, LINDDUN). */
export const BUILTIN_RULES: readonly RuleDefinition[] = [
  unauthenticatedEntry,
  humanCredentialAttacks,
  storeExposedToLessTrustedZone,
  unencryptedBoundaryCrossing,
  cleartextCredentials,
  sensitiveStoreUnencrypted,
  storeWithoutBackup,
  auditLogNotPreserved,
  logInjection,
  missingAuditTrail,
  unvalidatedUntrustedInput,
  undeclaredParsers,
  xmlExternalEntities,
  unsafeDeserialization,
  maliciousFileUpload,
  templateInjection,
  unsafeYamlLoading,
  crossSiteScripting,
  queryInjection,
  pathTraversal,
  unthrottledEntry,
  privilegedExposedProcess,
  missingAuthorization,
  secretsReachableFromUntrusted,
  sensitiveDataInLogs,
  dataToThirdParty,
  unauthenticatedServiceCall,
  unauthenticatedStoreAccess,
  promptInjection,
  llmContextLeak,
  excessiveAgency,
  poisonedRetrieval,
  mlModelManipulation,
  improperOutputHandling,
  aiUnboundedConsumption,
  personalDataRetention,
  personalDataSecondaryCopies,
  datasetLinking,
  auditTrailAttributesIndividuals,
  collectionWithoutAwareness,
  observableCommunication,
  personalDataInAiContext,
];

const byId = new Map(BUILTIN_RULES.map((r) => [r.id, r]));

export function builtinRule(id: string): RuleDefinition | undefined {
  return byId.get(id);
}

/** Built-in rules followed by custom ones (custom ids never shadow built-in ids; the loader rejects that). */
export function allRuleDefinitions(custom: readonly RuleDefinition[] = []): RuleDefinition[] {
  return [...BUILTIN_RULES, ...custom.filter((r) => !byId.has(r.id))];
}
