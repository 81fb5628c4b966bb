// Format v1 as zod schemas: the single source of truth for the validator
// (see checks/schema.ts) and for the published JSON Schema (scripts/generate-schema.ts).
import { z } from 'zod';
import { STRIDE, LINDDUN } from './methodology.ts';

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const MODEL_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const RULE_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

export const MODEL_STATUSES = ['draft', 'in-review', 'approved'] as const;
export const METHODOLOGIES = ['stride', 'linddun'] as const;
export const ELEMENT_TYPES = ['external', 'process', 'store'] as const;
export const TRUST_LEVELS = ['untrusted', 'semi-trusted', 'trusted'] as const;
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export const THREAT_STATUSES = ['open', 'planned', 'mitigated', 'accepted', 'transferred', 'not-applicable'] as const;
export const PARSED_FORMATS = ['json', 'xml', 'yaml', 'serialized', 'files', 'html', 'templates', 'sql'] as const;
export const AI_KINDS = ['llm', 'agent', 'rag', 'ml-model'] as const;
export const STORE_KINDS = ['sql', 'nosql', 'object', 'file', 'cache', 'queue', 'secrets', 'log', 'search'] as const;
export const CATEGORIES = [...STRIDE, ...LINDDUN] as const;

/** A real calendar date written as YYYY-MM-DD. */
export function isValidDate(value: string): boolean {
  if (!DATE_PATTERN.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const date = z
  .string()
  .refine(isValidDate, { message: 'expected a calendar date written as YYYY-MM-DD' })
  .meta({ format: 'date' });
const id = z.string().regex(ID_PATTERN, { message: 'ids start with a letter or digit and use only letters, digits, ".", "_" and "-"' });
// minLength for the JSON Schema; the refinement also refuses text that is only spaces.
const text = z.string().min(1, { message: 'must not be empty', abort: true }).refine((v) => v.trim() !== '', { message: 'must not be empty' });
const stringList = z.array(z.string());
const httpUrl = z
  .string()
  .regex(/^https?:\/\/\S+$/i, { message: 'only http(s) URLs are allowed' });

/** Values that depend on configuration (the risk scale). */
export interface SchemaOptions {
  levels: { likelihood: readonly string[]; impact: readonly string[] };
}

export const DEFAULT_SCHEMA_OPTIONS: SchemaOptions = {
  levels: { likelihood: ['low', 'medium', 'high'], impact: ['low', 'medium', 'high'] },
};

/**
 * A map from entry id to entry. Ids are checked by `reportInvalidIds` rather
 * than by a key schema: zod does not validate the value under a key that fails
 * its key schema, and every problem of an entry should be reported at once.
 */
function idMap<T extends z.ZodType>(value: T) {
  return z.record(z.string(), value);
}

/** Top-level sections whose keys are ids. */
export const ID_SECTIONS = ['data', 'boundaries', 'elements', 'flows', 'threats'] as const;

function enumOf(values: readonly string[]) {
  return z.enum(values as [string, ...string[]]);
}

export function modelSchema(options: SchemaOptions = DEFAULT_SCHEMA_OPTIONS) {
  const category = z.enum(CATEGORIES);
  const likelihood = enumOf(options.levels.likelihood);
  const impact = enumOf(options.levels.impact);

  const dataAsset = z.strictObject({
    title: text,
    description: z.string().optional(),
    classification: z.enum(CLASSIFICATIONS).optional(),
    personal: z.boolean().optional(),
    credentials: z.boolean().optional(),
  });

  const boundary = z.strictObject({
    title: text,
    description: z.string().optional(),
    parent: id.optional(),
    trust: z.enum(TRUST_LEVELS).optional(),
  });

  const element = z.strictObject({
    type: z.enum(ELEMENT_TYPES),
    title: text,
    description: z.string().optional(),
    boundary: id.optional(),
    tech: z.string().optional(),
    tags: stringList.optional(),
    data: z.array(id).optional(),
    out_of_scope: text.optional().describe('a reason: the element is drawn but not analysed'),
    human: z.boolean().optional(),
    authenticates: z.boolean().optional(),
    authorizes: z.boolean().optional(),
    validates_input: z.boolean().optional(),
    logs: z.boolean().optional(),
    rate_limited: z.boolean().optional(),
    privileged: z.boolean().optional(),
    parses: z.array(z.enum(PARSED_FORMATS)).optional(),
    ai: z.enum(AI_KINDS).optional(),
    kind: z.enum(STORE_KINDS).optional(),
    encrypted: z.boolean().optional(),
    backed_up: z.boolean().optional(),
  });

  const flow = z.strictObject({
    from: id,
    to: id,
    title: text,
    description: z.string().optional(),
    protocol: z.string().optional(),
    data: z.array(id).optional(),
    encrypted: z.boolean().optional(),
    authenticated: z.boolean().optional(),
    bidirectional: z.boolean().optional(),
  });

  const mitigation = z.union([
    text,
    z.strictObject({
      title: text,
      ref: z.string().optional().describe('code reference such as src/upload/auth.ts#L12'),
      url: httpUrl.optional(),
    }),
  ]);

  const threat = z.strictObject({
    title: text,
    category: z.union([category, z.array(category).min(1, { message: 'list at least one category' })]),
    targets: z.array(id).min(1, { message: 'list at least one target' }),
    description: z.string().optional(),
    likelihood: likelihood.optional(),
    impact: impact.optional(),
    status: z.enum(THREAT_STATUSES),
    mitigations: z.array(mitigation).optional(),
    ticket: z.string().optional(),
    acceptance: z
      .strictObject({
        owner: text.optional(),
        rationale: text.optional(),
        accepted: date.optional(),
        expires: date.optional(),
        ticket: z.string().optional(),
      })
      .optional(),
    transfer: z.strictObject({ to: text.optional(), rationale: text.optional() }).optional(),
    residual: z.strictObject({ likelihood, impact }).optional(),
    refs: stringList.optional(),
    rule: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'rule ids are kebab-case' }).optional(),
  });

  const exclusion = z.strictObject({
    targets: z.array(id).min(1, { message: 'list at least one target' }),
    categories: z.array(category).optional(),
    rules: z.array(z.string()).optional(),
    reason: text,
  });

  return z.strictObject({
    threatmark: z.literal(1),
    id: z.string().regex(MODEL_ID_PATTERN, { message: 'model ids are lower-case slugs: letters, digits and "-"' }).optional(),
    title: text,
    summary: z.string().optional(),
    owner: text,
    status: z.enum(MODEL_STATUSES),
    reviewed: date.optional(),
    reviewers: stringList.optional(),
    review_by: date.optional(),
    covers: stringList.optional(),
    methodologies: z.array(z.enum(METHODOLOGIES)).optional(),
    tags: stringList.optional(),
    links: z.array(z.strictObject({ title: text, url: httpUrl })).optional(),
    assumptions: stringList.optional(),
    data: idMap(dataAsset).optional(),
    boundaries: idMap(boundary).optional(),
    elements: idMap(element).refine((v) => Object.keys(v).length > 0, { message: 'a model needs at least one element' }),
    flows: idMap(flow).optional(),
    threats: idMap(threat).optional(),
    not_applicable: z.array(exclusion).optional(),
  });
}

export type ModelInput = z.infer<ReturnType<typeof modelSchema>>;
