// SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`, or
// the REST endpoint). One run, every rule Threatmark knows, one result per
// diagnostic. GitHub's extra requirements beyond the OASIS schema are met:
// rules carry shortDescription/fullDescription/help text, results carry
// message.text, a location and partialFingerprints, and no required property
// is an empty string.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { docsUrl, type RuleMeta } from '../diagnostics.ts';
import type { ProjectResult } from '../project.ts';
import type { Diagnostic, DiagnosticSeverity, ResolvedModel, Severity } from '../types.ts';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://threatmark.dev/';

type SarifLevel = 'error' | 'warning' | 'note';

const LEVELS: Record<DiagnosticSeverity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * GitHub's `security-severity` for a threat severity (reference: critical 9.5,
 * high 8.0, medium 5.5, low 2.0; `note` has none, so GitHub shows the level).
 */
export const SECURITY_SEVERITY: Record<Severity, string | undefined> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
  note: undefined,
};

/**
 * Rules whose results are about a threat's treatment: their results take the
 * threat's own security-severity (looked up through `model` + `subject`).
 * The result level stays the diagnostic's (an error fails the gate whatever
 * the threat's severity); security-severity tells GitHub how bad it is.
 */
const THREAT_RULES = new Set(['unmitigated-threat', 'missing-mitigations', 'missing-acceptance', 'acceptance-expired', 'acceptance-too-long', 'missing-transfer']);

/** Rules about a rules-engine finding (`subject` = `rule-id@target`): the finding's severity. */
const FINDING_RULES = new Set(['unanswered-finding']);

let cachedVersion: string | undefined;
function toolVersion(): string {
  if (cachedVersion === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
      cachedVersion = typeof pkg.version === 'string' && pkg.version !== '' ? pkg.version : '0.0.0';
    } catch {
      cachedVersion = '0.0.0';
    }
  }
  return cachedVersion;
}

/** Never an empty string where GitHub requires a value. */
function text(value: string | undefined, fallback: string): string {
  const trimmed = value?.trim();
  return trimmed ? trimmed : fallback;
}

/** `unmitigated-threat` → `UnmitigatedThreat` (SARIF's readable rule name). */
function ruleName(id: string): string {
  const name = id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
  return name || id;
}

/** A path as a SARIF uri: relative paths stay relative (to %SRCROOT%), each segment percent-encoded. */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  const posix = file.split('\\').join('/');
  if (/^[A-Za-z]:\//.test(posix) || posix.startsWith('/')) {
    // Outside the working directory: an absolute file URI (GitHub cannot map it, but it stays valid).
    const path = posix.startsWith('/') ? posix : `/${posix}`;
    return { uri: `file://${path.split('/').map(encodeSegment).join('/')}` };
  }
  const relative = posix.replace(/^\.\//, '');
  return { uri: text(relative.split('/').map(encodeSegment).join('/'), '.'), uriBaseId: '%SRCROOT%' };
}

function encodeSegment(segment: string): string {
  // Keep drive letters (`C:`) readable; encode everything a URI reference may not hold.
  return /^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment);
}

function ruleDescriptor(rule: RuleMeta, failOn: Severity) {
  const url = docsUrl(rule.id);
  const title = text(rule.title, rule.id);
  const description = text(rule.description, title);
  const help = text(rule.help, `See ${url}`);
  const properties: Record<string, unknown> = { tags: ['security', 'threat-model'], precision: 'very-high' };
  // Every unmitigated-threat result is at or above fail_on, so the rule's
  // default security-severity is fail_on's; each result refines it with its
  // threat's own severity.
  const gate = rule.id === 'unmitigated-threat' ? SECURITY_SEVERITY[failOn] : undefined;
  if (gate) properties['security-severity'] = gate;
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: title },
    fullDescription: { text: description },
    help: {
      text: `${description}\n\nHow to fix: ${help}\n\n${url}`,
      markdown: `${description}\n\n**How to fix:** ${help}\n\n[Documentation](${url})`,
    },
    helpUri: url,
    defaultConfiguration: { level: LEVELS[rule.severity] ?? 'warning' },
    properties,
  };
}

/**
 * `partialFingerprints.primaryLocationLineHash` must follow a finding across
 * commits, so it is built only from what identifies the finding, never from
 * where it sits:
 *
 * - the model id (or the file path when the file never became a model), so an
 *   edit elsewhere in the file, or in another file, changes nothing;
 * - the rule id;
 * - the subject (threat, element or flow id) when the check names one. Then the
 *   message is left out: it restates details that change while the finding
 *   stays the same (a threat re-rated from HIGH to CRITICAL is still the same
 *   unmitigated threat; a coverage gap that lost one of three categories is
 *   still that element's gap; "expires in 16 days" changes every day);
 * - otherwise the message with every run of digits removed, so line numbers,
 *   day counts and dates do not make a new alert, while the words that tell
 *   two findings apart (the unknown key's name, the missing field) still do;
 * - an occurrence counter (`:1`, `:2`…, in the stable diagnostic order) for
 *   findings that are otherwise identical, like GitHub's own line hashes.
 *
 * Not included, on purpose: line and column, the path of a file that became a
 * model (renaming it keeps the alert while the id stays), the severity (a
 * config override from warning to error is the same finding), the version.
 */
function fingerprintKey(d: Diagnostic): string {
  const owner = d.model ? `model:${d.model}` : `file:${d.file}`;
  const what = d.subject ? `subject:${d.subject}` : `message:${d.message.replace(/\d+/g, '#').replace(/\s+/g, ' ').trim()}`;
  return [owner, d.rule, what].join('\u0000');
}

function modelOf(result: ProjectResult, d: Diagnostic): ResolvedModel | undefined {
  if (!d.model) return undefined;
  const candidates = result.models.filter((m) => m.id === d.model);
  return candidates.length <= 1 ? candidates[0] : (candidates.find((m) => d.file === m.file || d.file.endsWith(`/${m.file}`)) ?? candidates[0]);
}

/** The severity of what a diagnostic is about: its threat's, or its rules-engine finding's. */
function subjectSeverity(result: ProjectResult, d: Diagnostic): { kind: 'threat' | 'finding'; severity: Severity } | undefined {
  if (!d.subject) return undefined;
  const model = modelOf(result, d);
  if (!model) return undefined;
  if (THREAT_RULES.has(d.rule)) {
    const severity = model.threats.find((t) => t.id === d.subject)?.severity;
    return severity ? { kind: 'threat', severity } : undefined;
  }
  if (FINDING_RULES.has(d.rule)) {
    const severity = (model.findings ?? []).find((f) => f.id === d.subject)?.severity;
    return severity ? { kind: 'finding', severity } : undefined;
  }
  return undefined;
}

function positive(n: number | undefined, fallback: number): number {
  return Number.isInteger(n) && (n as number) >= 1 ? (n as number) : fallback;
}

export function formatSarif(result: ProjectResult): string {
  // Rules: every known rule, once, in declaration order; then any rule a
  // diagnostic uses that no check declared (so ruleIndex always resolves).
  const rules: RuleMeta[] = [];
  const index = new Map<string, number>();
  for (const rule of result.rules) {
    if (index.has(rule.id)) continue;
    index.set(rule.id, rules.length);
    rules.push(rule);
  }
  for (const d of result.diagnostics) {
    if (index.has(d.rule)) continue;
    index.set(d.rule, rules.length);
    rules.push({ id: d.rule, severity: d.severity, title: d.rule, description: `Reported by Threatmark as \`${d.rule}\`.`, help: `See ${docsUrl(d.rule)}` });
  }

  const seen = new Map<string, number>();
  const results = result.diagnostics.map((d) => {
    const key = fingerprintKey(d);
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    const hash = createHash('sha256').update(key).digest('hex').slice(0, 32);

    const startLine = positive(d.line, 1);
    const startColumn = positive(d.column, 1);
    let endLine = positive(d.endLine, startLine);
    let endColumn = positive(d.endColumn, startColumn);
    if (endLine < startLine || (endLine === startLine && endColumn < startColumn)) {
      endLine = startLine;
      endColumn = startColumn;
    }

    const properties: Record<string, unknown> = {};
    if (d.model) properties.model = d.model;
    if (d.subject) properties.subject = d.subject;
    const about = subjectSeverity(result, d);
    if (about) {
      properties[about.kind === 'threat' ? 'threatSeverity' : 'findingSeverity'] = about.severity;
      const score = SECURITY_SEVERITY[about.severity];
      if (score) properties['security-severity'] = score;
    }

    return {
      ruleId: d.rule,
      ruleIndex: index.get(d.rule)!,
      level: LEVELS[d.severity] ?? 'warning',
      message: { text: text(d.message, rules[index.get(d.rule)!]?.title ?? d.rule) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifactLocation(text(d.file, '.')),
            region: { startLine, startColumn, endLine, endColumn },
          },
        },
      ],
      partialFingerprints: { primaryLocationLineHash: `${hash}:${occurrence}` },
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
    };
  });

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'threatmark',
            semanticVersion: toolVersion(),
            informationUri: INFORMATION_URI,
            rules: rules.map((rule) => ruleDescriptor(rule, result.config.failOn)),
          },
        },
        automationDetails: { id: 'threatmark/' },
        columnKind: 'utf16CodeUnits',
        results,
        properties: {
          failOn: result.config.failOn,
          strict: result.config.strict,
          today: result.today,
          ok: result.ok,
          files: result.summary.files,
          models: result.summary.models,
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
