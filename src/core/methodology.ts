// STRIDE-per-element and LINDDUN tables, as format v1 defines them.
import type { Category, ElementType, LinddunCategory, StrideCategory, StoreKind } from './types.ts';

export const STRIDE = [
  'spoofing',
  'tampering',
  'repudiation',
  'information-disclosure',
  'denial-of-service',
  'elevation-of-privilege',
] as const satisfies readonly StrideCategory[];

export const LINDDUN = [
  'linking',
  'identifying',
  'non-repudiation',
  'detecting',
  'data-disclosure',
  'unawareness',
  'non-compliance',
] as const satisfies readonly LinddunCategory[];

export const CATEGORY_LABELS: Record<Category, string> = {
  spoofing: 'Spoofing',
  tampering: 'Tampering',
  repudiation: 'Repudiation',
  'information-disclosure': 'Information disclosure',
  'denial-of-service': 'Denial of service',
  'elevation-of-privilege': 'Elevation of privilege',
  linking: 'Linking',
  identifying: 'Identifying',
  'non-repudiation': 'Non-repudiation',
  detecting: 'Detecting',
  'data-disclosure': 'Data disclosure',
  unawareness: 'Unawareness & unintervenability',
  'non-compliance': 'Non-compliance',
};

/** One-letter codes used in compact tables (STRIDE) and LINDDUN's own codes. */
export const CATEGORY_CODES: Record<Category, string> = {
  spoofing: 'S',
  tampering: 'T',
  repudiation: 'R',
  'information-disclosure': 'I',
  'denial-of-service': 'D',
  'elevation-of-privilege': 'E',
  linking: 'L',
  identifying: 'Id',
  'non-repudiation': 'Nr',
  detecting: 'De',
  'data-disclosure': 'DD',
  unawareness: 'U',
  'non-compliance': 'Nc',
};

export type CoverageTargetType = ElementType | 'flow';

export function isStride(category: string): category is StrideCategory {
  return (STRIDE as readonly string[]).includes(category);
}

export function isLinddun(category: string): category is LinddunCategory {
  return (LINDDUN as readonly string[]).includes(category);
}

/** The STRIDE categories that apply to an element or flow (STRIDE-per-element). */
export function strideFor(type: CoverageTargetType, storeKind?: StoreKind): StrideCategory[] {
  switch (type) {
    case 'external':
      return ['spoofing', 'repudiation'];
    case 'process':
      return [...STRIDE];
    case 'store':
      return storeKind === 'log'
        ? ['tampering', 'repudiation', 'information-disclosure', 'denial-of-service']
        : ['tampering', 'information-disclosure', 'denial-of-service'];
    case 'flow':
      return ['tampering', 'information-disclosure', 'denial-of-service'];
  }
}

/** The LINDDUN categories that apply to an element or flow handling personal data (LINDDUN 2015 mapping). */
export function linddunFor(type: CoverageTargetType): LinddunCategory[] {
  if (type === 'external') return ['linking', 'identifying', 'unawareness'];
  return ['linking', 'identifying', 'non-repudiation', 'detecting', 'data-disclosure', 'non-compliance'];
}
