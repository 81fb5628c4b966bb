// Facts the condition language can read: the attributes stated in the model
// (absent = unknown) and facts derived from the resolved model (boundary
// crossings, trust order, reachability from untrusted zones, data handled).
import type { ResolvedDataAsset, ResolvedElement, ResolvedFlow, ResolvedModel, Trust } from '../types.ts';

export type Context = 'element' | 'flow' | 'data';

export interface AttributeInfo {
  /** What the attribute means, for `threatmark rules` and custom-rule errors. */
  doc: string;
  /** The value type, for validating custom rules. */
  type: 'boolean' | 'string' | 'list' | 'number';
  /** Allowed values, when the attribute is an enumeration. */
  values?: readonly string[];
  /** Never unknown (derived facts and required keys). */
  known?: boolean;
}

const TRUSTS: readonly Trust[] = ['untrusted', 'semi-trusted', 'trusted'];

export const ATTRIBUTES: Record<Context, Record<string, AttributeInfo>> = {
  element: {
    id: { doc: 'the element id', type: 'string', known: true },
    type: { doc: 'external, process or store', type: 'string', values: ['external', 'process', 'store'], known: true },
    title: { doc: 'the title', type: 'string', known: true },
    boundary: { doc: 'the boundary id (absent: the implicit outside zone)', type: 'string', known: true },
    trust: { doc: "trust of the element's zone (outside every boundary: untrusted)", type: 'string', values: TRUSTS, known: true },
    tech: { doc: 'the technology, free text', type: 'string' },
    tags: { doc: 'the tags', type: 'list', known: true },
    out_of_scope: { doc: 'the element is drawn but not analysed', type: 'boolean', known: true },
    human: { doc: 'a person rather than a system (external)', type: 'boolean' },
    authenticates: { doc: 'verifies the identity of its callers (process)', type: 'boolean' },
    authorizes: { doc: "checks each caller's permission per request (process)", type: 'boolean' },
    validates_input: { doc: 'validates all input against an allow-list or schema (process)', type: 'boolean' },
    logs: { doc: 'writes an audit trail of security-relevant actions (process)', type: 'boolean' },
    rate_limited: { doc: 'bounds request rate and size (process)', type: 'boolean' },
    privileged: { doc: 'runs with elevated OS/cloud privileges (process)', type: 'boolean' },
    parses: { doc: 'formats it parses (process)', type: 'list', values: ['json', 'xml', 'yaml', 'serialized', 'files', 'html', 'templates', 'sql'] },
    ai: { doc: 'llm, agent, rag or ml-model (process)', type: 'string', values: ['llm', 'agent', 'rag', 'ml-model'] },
    kind: { doc: 'store kind', type: 'string', values: ['sql', 'nosql', 'object', 'file', 'cache', 'queue', 'secrets', 'log', 'search'] },
    encrypted: { doc: 'encrypted at rest (store)', type: 'boolean' },
    backed_up: { doc: 'backed up (store)', type: 'boolean' },
    reachable_from_untrusted: {
      doc: 'derived: some path of flows leads from an element in an untrusted zone (or outside every boundary) to this element, or it sits in one itself',
      type: 'boolean',
      known: true,
    },
    reaches_human: {
      doc: 'derived: some path of flows leads from this element to a person (an external with `human: true`)',
      type: 'boolean',
      known: true,
    },
    content_reaches_human: {
      doc: 'derived: some path of flows leads from this element to a person, and every flow on it carries a data asset this element handles (a flow with no `data` stated counts: what it carries is unknown)',
      type: 'boolean',
      known: true,
    },
  },
  flow: {
    id: { doc: 'the flow id', type: 'string', known: true },
    title: { doc: 'the title', type: 'string', known: true },
    protocol: { doc: 'the protocol, free text', type: 'string' },
    encrypted: { doc: 'encrypted in transit, as stated', type: 'boolean' },
    authenticated: { doc: 'the receiver authenticates the sender', type: 'boolean' },
    bidirectional: { doc: 'data goes both ways (absent: one way)', type: 'boolean', known: true },
    return_direction: {
      doc: 'derived: the flow is seen in the return direction of a bidirectional flow, i.e. the response of its `to` end to a request of its `from` end (format v1: a bidirectional flow is a request and its response)',
      type: 'boolean',
      known: true,
    },
    crosses_boundary: { doc: 'derived: the two ends sit in different boundaries', type: 'boolean', known: true },
    from_less_trusted: { doc: "derived: the source's zone is less trusted than the destination's", type: 'boolean', known: true },
    to_less_trusted: { doc: "derived: the destination's zone is less trusted than the source's", type: 'boolean', known: true },
    transport_encrypted: {
      doc: 'derived: `encrypted` when stated; otherwise true for a TLS-style protocol (HTTPS, TLS, mTLS, SSH, SFTP, WSS…), false for a plaintext one (HTTP, FTP, Telnet…), else unknown',
      type: 'boolean',
    },
  },
  data: {
    id: { doc: 'the data asset id', type: 'string', known: true },
    title: { doc: 'the title', type: 'string', known: true },
    classification: { doc: 'public, internal, confidential or restricted', type: 'string', values: ['public', 'internal', 'confidential', 'restricted'], known: true },
    personal: { doc: 'personal data about people', type: 'boolean', known: true },
    credentials: { doc: 'secrets, tokens, keys', type: 'boolean', known: true },
    sensitive: { doc: 'derived: credentials, or classified confidential or restricted', type: 'boolean', known: true },
  },
};

/** A flow seen from one direction (a bidirectional flow is seen both ways). */
export interface FlowView {
  flow: ResolvedFlow;
  from?: ResolvedElement;
  to?: ResolvedElement;
  reversed: boolean;
}

export interface ModelIndex {
  model: ResolvedModel;
  elements: Map<string, ResolvedElement>;
  data: Map<string, ResolvedDataAsset>;
  inbound: Map<string, FlowView[]>;
  outbound: Map<string, FlowView[]>;
  reachable: Set<string>;
  /** Elements from which some path of flows leads to a person. */
  reachesHuman: Set<string>;
  /** Data asset ids an element handles: its own plus those on its flows. */
  handled: Map<string, string[]>;
  /** Memo of `content_reaches_human`, filled on first use. */
  contentReachesHuman: Map<string, boolean>;
}

const TRUST_RANK: Record<Trust, number> = { untrusted: 0, 'semi-trusted': 1, trusted: 2 };

export function trustRank(trust: Trust): number {
  return TRUST_RANK[trust];
}

const cache = new WeakMap<ResolvedModel, ModelIndex>();

export function indexModel(model: ResolvedModel): ModelIndex {
  const cached = cache.get(model);
  if (cached) return cached;
  const elements = new Map(model.elements.map((e) => [e.id, e]));
  const data = new Map(model.data.map((d) => [d.id, d]));
  const inbound = new Map<string, FlowView[]>();
  const outbound = new Map<string, FlowView[]>();
  const push = (map: Map<string, FlowView[]>, key: string, view: FlowView) => {
    const list = map.get(key) ?? [];
    list.push(view);
    map.set(key, list);
  };
  const handled = new Map<string, Set<string>>(model.elements.map((e) => [e.id, new Set(e.data)]));
  for (const flow of model.flows) {
    const a = elements.get(flow.from);
    const b = elements.get(flow.to);
    if (!a || !b) continue;
    const forward: FlowView = { flow, from: a, to: b, reversed: false };
    push(outbound, a.id, forward);
    push(inbound, b.id, forward);
    if (flow.bidirectional) {
      const backward: FlowView = { flow, from: b, to: a, reversed: true };
      push(outbound, b.id, backward);
      push(inbound, a.id, backward);
    }
    for (const d of flow.data) {
      handled.get(a.id)?.add(d);
      handled.get(b.id)?.add(d);
    }
  }
  // Reachability along flow direction from every element in an untrusted zone.
  const reachable = new Set<string>();
  const queue = model.elements.filter((e) => e.trust === 'untrusted').map((e) => e.id);
  for (const id of queue) reachable.add(id);
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const view of outbound.get(id) ?? []) {
      const next = view.to?.id;
      if (next !== undefined && !reachable.has(next)) {
        reachable.add(next);
        queue.push(next);
      }
    }
  }
  // Elements with a path to a person: walk the flows backwards from every human external.
  const reachesHuman = new Set<string>();
  const back = model.elements.filter((e) => e.type === 'external' && e.attributes.human === true).map((e) => e.id);
  const seen = new Set(back);
  while (back.length > 0) {
    const id = back.shift()!;
    for (const view of inbound.get(id) ?? []) {
      const prev = view.from?.id;
      if (prev !== undefined && !seen.has(prev)) {
        seen.add(prev);
        reachesHuman.add(prev);
        back.push(prev);
      }
    }
  }
  const index: ModelIndex = {
    model,
    elements,
    data,
    inbound,
    outbound,
    reachable,
    reachesHuman,
    handled: new Map([...handled].map(([k, v]) => [k, [...v].sort()])),
    contentReachesHuman: new Map(),
  };
  cache.set(model, index);
  return index;
}

/**
 * Whether what an element handles can reach a person: a path of flows from
 * the element to an external with `human: true` on which every flow carries
 * one of the element's data assets, or states no data at all (unknown
 * content, so it counts). A process that turns HTML into text chunks for an
 * index, whose path to people goes on only as other data (a generated
 * answer), does not reach them with its own content.
 */
function contentReachesHuman(index: ModelIndex, start: ResolvedElement): boolean {
  const memo = index.contentReachesHuman.get(start.id);
  if (memo !== undefined) return memo;
  const own = new Set(index.handled.get(start.id) ?? []);
  const seen = new Set<string>([start.id]);
  const queue = [start.id];
  let found = false;
  while (queue.length > 0 && !found) {
    const id = queue.shift()!;
    for (const view of index.outbound.get(id) ?? []) {
      const next = view.to;
      if (!next) continue;
      if (view.flow.data.length > 0 && !view.flow.data.some((d) => own.has(d))) continue;
      if (next.type === 'external' && next.attributes.human === true) {
        found = true;
        break;
      }
      if (!seen.has(next.id)) {
        seen.add(next.id);
        queue.push(next.id);
      }
    }
  }
  index.contentReachesHuman.set(start.id, found);
  return found;
}

/** A fact: known with a value, or unknown (named so a message can say what to state). */
export type Fact = { known: true; value: unknown } | { known: false; fact: string };

const known = (value: unknown): Fact => ({ known: true, value });

const TLS_PROTOCOL = /\b(https|tls|mtls|ssh|sftp|ftps|wss|ldaps|smtps|imaps|pop3s|quic|http\/3|ipsec|wireguard|vpn)\b|\(tls\)|over tls/i;
const PLAIN_PROTOCOL = /\b(http|ftp|telnet|ws|tftp|snmp|ldap|smtp|imap|pop3)\b/i;

export function elementFact(index: ModelIndex, element: ResolvedElement, attribute: string): Fact {
  const a = element.attributes;
  switch (attribute) {
    case 'id':
      return known(element.id);
    case 'type':
      return known(element.type);
    case 'title':
      return known(element.title);
    case 'boundary':
      return known(element.boundary);
    case 'trust':
      return known(element.trust);
    case 'tags':
      return known(element.tags);
    case 'out_of_scope':
      return known(element.outOfScope !== undefined);
    case 'tech':
      return element.tech !== undefined ? known(element.tech) : { known: false, fact: `elements.${element.id}.tech` };
    case 'reachable_from_untrusted':
      return known(index.reachable.has(element.id));
    case 'reaches_human':
      return known(index.reachesHuman.has(element.id));
    case 'content_reaches_human':
      return known(contentReachesHuman(index, element));
    case 'human':
    case 'authenticates':
    case 'authorizes':
    case 'validates_input':
    case 'logs':
    case 'rate_limited':
    case 'privileged':
    case 'parses':
    case 'ai':
    case 'kind':
    case 'encrypted':
    case 'backed_up': {
      const value = a[attribute];
      return value !== undefined ? known(value) : { known: false, fact: `elements.${element.id}.${attribute}` };
    }
    default:
      return known(undefined);
  }
}

export function flowFact(view: FlowView, attribute: string): Fact {
  const { flow } = view;
  const fromRank = view.from ? trustRank(view.from.trust) : 0;
  const toRank = view.to ? trustRank(view.to.trust) : 0;
  switch (attribute) {
    case 'id':
      return known(flow.id);
    case 'title':
      return known(flow.title);
    case 'protocol':
      return flow.protocol !== undefined ? known(flow.protocol) : { known: false, fact: `flows.${flow.id}.protocol` };
    case 'encrypted':
    case 'authenticated':
      return flow[attribute] !== undefined ? known(flow[attribute]) : { known: false, fact: `flows.${flow.id}.${attribute}` };
    case 'bidirectional':
      return known(flow.bidirectional === true);
    case 'return_direction':
      return known(view.reversed);
    case 'crosses_boundary':
      return known(flow.crossesBoundary);
    case 'from_less_trusted':
      return known(fromRank < toRank);
    case 'to_less_trusted':
      return known(toRank < fromRank);
    case 'transport_encrypted': {
      if (flow.encrypted !== undefined) return known(flow.encrypted);
      // Inferred from the protocol only when it names TLS or only a plaintext protocol (not both, as in "SMTP / HTTPS").
      const tls = flow.protocol !== undefined && TLS_PROTOCOL.test(flow.protocol);
      const plain = flow.protocol !== undefined && PLAIN_PROTOCOL.test(flow.protocol);
      if (tls && !plain) return known(true);
      if (plain && !tls) return known(false);
      return { known: false, fact: `flows.${flow.id}.encrypted` };
    }
    default:
      return known(undefined);
  }
}

export function dataFact(asset: ResolvedDataAsset, attribute: string): Fact {
  switch (attribute) {
    case 'id':
      return known(asset.id);
    case 'title':
      return known(asset.title);
    case 'classification':
      return known(asset.classification);
    case 'personal':
      return known(asset.personal);
    case 'credentials':
      return known(asset.credentials);
    case 'sensitive':
      return known(asset.credentials || asset.classification === 'confidential' || asset.classification === 'restricted');
    default:
      return known(undefined);
  }
}
