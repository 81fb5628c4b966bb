// Reference identifiers a threat may cite, by catalogue. Syntax only: whether an
// id exists in the current catalogue release is not checked (no catalogue is vendored yet).
import type { RefInfo } from './types.ts';

interface RefFormat {
  kind: RefInfo['kind'];
  pattern: RegExp;
  url?: (id: string, match: RegExpExecArray) => string;
}

export const REF_FORMATS: RefFormat[] = [
  { kind: 'cwe', pattern: /^CWE-([1-9]\d{0,4})$/, url: (_, m) => `https://cwe.mitre.org/data/definitions/${m[1]}.html` },
  { kind: 'capec', pattern: /^CAPEC-([1-9]\d{0,3})$/, url: (_, m) => `https://capec.mitre.org/data/definitions/${m[1]}.html` },
  { kind: 'attack', pattern: /^T(\d{4})(?:\.(\d{3}))?$/, url: (_, m) => `https://attack.mitre.org/techniques/T${m[1]}${m[2] ? `/${m[2]}` : ''}/` },
  { kind: 'atlas', pattern: /^AML\.T\d{4}(?:\.\d{3})?$/, url: (id) => `https://atlas.mitre.org/techniques/${id}` },
  { kind: 'owasp-top10', pattern: /^A(?:0[1-9]|10):(?:2021|2025)$|^A(?:[1-9]|10):2017$/ },
  { kind: 'asvs', pattern: /^(?:v\d+\.\d+\.\d+-)?V?\d{1,2}\.\d{1,2}\.\d{1,2}$/ },
  { kind: 'url', pattern: /^https?:\/\/[^\s<>"']+$/i, url: (id) => id },
];

export function classifyRef(id: string): RefInfo {
  for (const format of REF_FORMATS) {
    const match = format.pattern.exec(id);
    if (match) return format.url ? { id, kind: format.kind, url: format.url(id, match) } : { id, kind: format.kind };
  }
  return { id, kind: 'unknown' };
}

/** A likely intended form for a malformed reference, for the diagnostic. */
export function suggestRef(id: string): string | undefined {
  const trimmed = id.trim();
  if (trimmed !== id && classifyRef(trimmed).kind !== 'unknown') return trimmed;
  const upper = trimmed.toUpperCase().replace(/\s+/g, '-');
  const cwe = /^CWE[-_ ]?0*([1-9]\d{0,4})$/.exec(upper);
  if (cwe) return `CWE-${cwe[1]}`;
  const capec = /^CAPEC[-_ ]?0*([1-9]\d{0,3})$/.exec(upper);
  if (capec) return `CAPEC-${capec[1]}`;
  const attack = /^T(\d{4})[/_](\d{3})$/.exec(upper);
  if (attack) return `T${attack[1]}.${attack[2]}`;
  if (/^AML\.T\d{4}(\.\d{3})?$/i.test(trimmed)) return trimmed.replace(/^aml\.t/i, 'AML.T');
  if (/^V5\.0\.0-/.test(trimmed)) return `v${trimmed.slice(1)}`;
  return undefined;
}
