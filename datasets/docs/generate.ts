/**
 * The internal documents of a fictional payments company, Northwind Pay, for the RAG lab: runbooks,
 * policies in several versions (only the newest in force), team handbooks, meeting notes, HTML
 * tables, FAQs and near-duplicate drafts, plus a later batch that edits one document and deletes
 * another. Every fact a question asks about is planted as one sentence (or table row) whose span
 * is the question's answer passage, so a grader can tell a retrieved chunk that answers from one
 * that only looks alike. Names and numbers come from the seed: a hidden seed has other values.
 */
import type { Scale } from '../../src/lab/scale.js';
import { random, type Random } from '../random.js';

export const CORPUS_SIZES: Record<Scale, { services: number; teams: number; meetings: number }> = {
  small: { services: 60, teams: 10, meetings: 600 },
  medium: { services: 90, teams: 12, meetings: 2_500 },
  large: { services: 100, teams: 12, meetings: 10_000 },
};

export type DocKind = 'runbook' | 'policy' | 'handbook' | 'meeting' | 'table' | 'faq';

export interface Doc {
  id: string;
  /** Where it would live in the company's wiki export: `runbooks/ledger-api.md`. */
  path: string;
  format: 'md' | 'html';
  kind: DocKind;
  title: string;
  text: string;
  /** Metadata a retriever may filter on. */
  meta: { team?: string; service?: string; policy?: string; version?: number; effective?: string; status: 'current' | 'superseded' | 'draft' };
}

/** A span of a document's text (character offsets, end exclusive) that answers a question. */
export interface Passage {
  doc_id: string;
  start: number;
  end: number;
  /** 2: states the answer where a reader would look for it; 1: states it too, in passing (a table row). */
  relevance: 1 | 2;
}

export interface Question {
  id: string;
  question: string;
  /** The planted fact, as written in the passages; empty when the documents do not say. */
  answer: string;
  passages: Passage[];
  answerable: boolean;
  /** The learner sees `visible`; `held_out` grades. */
  split: 'visible' | 'held_out';
  kind: 'port' | 'slo' | 'restart' | 'escalation' | 'error' | 'lead' | 'standup' | 'policy' | 'unanswerable';
  /** After the update batch: the edited document's new answer, or unanswerable once its only document is deleted. */
  afterUpdate?: { answer: string; passages: Passage[]; answerable: boolean };
}

export interface Corpus {
  docs: Doc[];
  questions: Question[];
  /** The later batch: new versions of existing documents (same id), ids removed, and text the edits took out (no chunk may keep it). */
  update: { edited: Doc[]; deleted: string[]; stale: Array<{ doc_id: string; text: string }> };
}

const SYSTEMS = ['ledger', 'payout', 'card', 'fx', 'risk', 'notify', 'billing', 'identity', 'settlement', 'report', 'search', 'audit', 'kyc', 'merchant', 'refund', 'invoice', 'wallet', 'pricing', 'dispute', 'webhook'];
const ROLES = ['api', 'worker', 'gateway', 'scheduler', 'store'];
const TEAMS = ['Atlas', 'Borealis', 'Cobalt', 'Delta', 'Ember', 'Fjord', 'Granite', 'Harbor', 'Iris', 'Juniper', 'Kestrel', 'Lumen', 'Meridian', 'Nimbus'];
/** Names the corpus never uses: the subjects of questions it cannot answer. */
const ABSENT_SYSTEMS = ['quasar', 'orbit', 'tundra', 'mosaic', 'pylon', 'comet', 'vector', 'prism', 'beacon', 'cascade'];
const ABSENT_TEAMS = ['Zephyr', 'Obsidian', 'Sequoia', 'Aurora', 'Tempest'];
const FIRST = ['Amara', 'Bruno', 'Chen', 'Dalia', 'Emeka', 'Freya', 'Goran', 'Hana', 'Ines', 'Jonas', 'Kofi', 'Lena', 'Mateo', 'Nadia', 'Oskar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Viktor', 'Wen', 'Yusuf', 'Zoe'];
const LAST = ['Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Novak', 'Haddad', 'Fischer', 'Costa', 'Ivanova', 'Mensah', 'Kowalski', 'Schmidt', 'Duarte', 'Berg', 'Rossi'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];

/** The policies, each fact with its unit and how a question asks for it (by meaning, not by the document's words). */
const POLICIES: Array<{ topic: string; facts: Array<{ name: string; unit: string; range: [number, number]; step: number; ask: string; say: (v: string) => string }> }> = [
  { topic: 'Travel', facts: [{ name: 'hotel cap', unit: 'EUR per night', range: [120, 260], step: 10, ask: 'How much may a hotel night cost on a business trip?', say: (v) => `Hotels are booked up to ${v}.` }] },
  { topic: 'Expenses', facts: [{ name: 'meal allowance', unit: 'EUR per day', range: [30, 75], step: 5, ask: 'What is the daily allowance for food when travelling for work?', say: (v) => `The meal allowance is ${v}.` }] },
  { topic: 'Remote work', facts: [{ name: 'office days', unit: 'days per week', range: [1, 4], step: 1, ask: 'How often am I expected to come into the office?', say: (v) => `Employees work from the office ${v}.` }] },
  { topic: 'Passwords', facts: [{ name: 'minimum length', unit: 'characters', range: [12, 20], step: 2, ask: 'How long must a password be at least?', say: (v) => `A password has at least ${v}.` }] },
  { topic: 'Data retention', facts: [{ name: 'log retention', unit: 'days', range: [30, 400], step: 10, ask: 'For how long are application logs stored before deletion?', say: (v) => `Application logs are kept for ${v}.` }] },
  { topic: 'Vacation', facts: [{ name: 'annual leave', unit: 'days per year', range: [24, 32], step: 1, ask: 'How many days off per year does an employee get?', say: (v) => `Every employee has ${v} of paid annual leave.` }] },
  { topic: 'Parental leave', facts: [{ name: 'paid parental leave', unit: 'weeks', range: [8, 26], step: 2, ask: 'How much paid time off does a new parent get?', say: (v) => `New parents take ${v} of paid parental leave.` }] },
  { topic: 'Equipment', facts: [{ name: 'laptop refresh', unit: 'years', range: [2, 5], step: 1, ask: 'When can I get a new laptop?', say: (v) => `Laptops are replaced every ${v}.` }] },
  { topic: 'Incident severity', facts: [{ name: 'SEV1 response', unit: 'minutes', range: [5, 30], step: 5, ask: 'How fast must someone respond to the most severe incidents?', say: (v) => `A SEV1 incident is acknowledged within ${v}.` }] },
  { topic: 'Code review', facts: [{ name: 'approvals', unit: 'approvals', range: [1, 3], step: 1, ask: 'How many reviewers have to approve a change before merge?', say: (v) => `A pull request needs ${v} before it is merged.` }] },
  { topic: 'Access requests', facts: [{ name: 'approval time', unit: 'hours', range: [4, 72], step: 4, ask: 'How long does it take to get production access approved?', say: (v) => `Production access requests are decided within ${v}.` }] },
  { topic: 'Vendor onboarding', facts: [{ name: 'security review', unit: 'business days', range: [5, 30], step: 5, ask: 'How long does the security check of a new supplier take?', say: (v) => `The security review of a new vendor takes ${v}.` }] },
];

interface Service {
  name: string;
  team: string;
  port: number;
  sloMs: number;
  namespace: string;
  escalateAfter: number;
  replicas: number;
}

interface Team {
  name: string;
  lead: string;
  standup: string;
  rotationDays: number;
}

/** A document being written: its text grows by sentences, and the spans of planted facts are kept. */
class Writer {
  text = '';
  add(line = ''): void {
    this.text += `${line}\n`;
  }
  /** Writes a line holding `fact` and returns the fact's span. */
  plant(line: string, fact: string): { start: number; end: number } {
    const at = line.indexOf(fact);
    if (at < 0) throw new Error(`the fact '${fact}' is not in '${line}'`);
    const start = this.text.length + at;
    this.add(line);
    return { start, end: start + fact.length };
  }
}

const FILLER = [
  (s: Service, o: Service) => `${s.name} talks to ${o.name} over gRPC; a slow ${o.name} shows up here as queueing, not as errors.`,
  (s: Service) => `Dashboards for ${s.name} live in the ${s.team} folder; the golden signals panel is the first one to open.`,
  (s: Service) => `Deploys of ${s.name} go through the usual pipeline: build, integration tests, canary at 5 %, then the rest.`,
  (s: Service) => `The ${s.team} team reviews this page every quarter; if something here is wrong, fix it and tell the team.`,
  (s: Service, o: Service) => `Unlike ${o.name}, which listens on port ${o.port}, this service keeps no state of its own.`,
  (s: Service) => `Logs of ${s.name} are structured JSON; search them by request id before anything else.`,
  (s: Service) => `${s.name} runs ${s.replicas} replicas at peak; the autoscaler adds one per 70 % of CPU.`,
];

function person(r: Random): string {
  return `${r.pick(FIRST)} ${r.pick(LAST)}`;
}

/** What an error code of a runbook means: the same few phrases everywhere, told apart only by the code. */
const ERROR_MEANINGS = [
  'the upstream timed out before answering',
  'the request was refused by the rate limiter',
  'a downstream lock could not be taken in time',
  'the message failed schema validation and was parked',
  'the database connection pool is exhausted',
  'an idempotency key was reused with another body',
];

function runbook(r: Random, s: Service, all: Service[], codes: Set<string>): { doc: Omit<Doc, 'id'>; facts: Record<'port' | 'slo' | 'restart' | 'escalation' | 'error', { start: number; end: number; fact: string }> } {
  const w = new Writer();
  const other = () => r.pick(all.filter((x) => x !== s));
  const filler = () => r.pick(FILLER)(s, other());
  w.add(`# Runbook: ${s.name}`);
  w.add();
  w.add(`Owner: ${s.team} team · on-call channel #oncall-${s.team.toLowerCase()}`);
  w.add();
  w.add('## Overview');
  const portFact = `port ${s.port}`;
  const port = w.plant(`${s.name} is part of the ${s.team} team's estate and listens on ${portFact} inside the cluster.`, portFact);
  w.add(filler());
  w.add(filler());
  w.add();
  w.add('## Service level');
  const sloFact = `${s.sloMs} ms`;
  const slo = w.plant(`The p99 latency objective of ${s.name} is ${sloFact}, measured at the load balancer over 28 days.`, sloFact);
  w.add(filler());
  w.add();
  w.add('## Alerts');
  w.add(`The error-rate alert fires when more than 2 % of requests fail for 5 minutes. ${filler()}`);
  w.add(filler());
  w.add();
  // Error codes: the sentences read alike across runbooks, only the code differs (words beat meaning here).
  w.add('## Errors');
  const code = () => {
    let c: string;
    do c = `NWP-${r.int(1000, 9999)}`;
    while (codes.has(c));
    codes.add(c);
    return c;
  };
  const [first, second] = [code(), code()];
  const [m1, m2] = r.shuffle(ERROR_MEANINGS).slice(0, 2);
  const errorFact = `${first} means ${m1}`;
  const error = w.plant(`Error ${errorFact}; retry once, then follow the escalation below.`, errorFact);
  w.add(`Error ${second} means ${m2}; it clears by itself within a minute.`);
  w.add();
  w.add('## Restart');
  const restartFact = `kubectl rollout restart deployment/${s.name} -n ${s.namespace}`;
  const restart = w.plant(`To restart ${s.name}, run \`${restartFact}\` and watch the pods come back.`, restartFact);
  w.add(`Do not restart during a settlement run unless the incident commander agrees. ${filler()}`);
  w.add();
  w.add('## Dependencies');
  w.add(filler());
  w.add(filler());
  w.add(filler());
  w.add();
  w.add('## Escalation');
  const escFact = `${s.escalateAfter} minutes`;
  const escalation = w.plant(`If ${s.name} is not healthy after ${escFact}, page the ${s.team} team lead.`, escFact);
  w.add(filler());
  return {
    doc: { path: `runbooks/${s.name}.md`, format: 'md', kind: 'runbook', title: `Runbook: ${s.name}`, text: w.text, meta: { team: s.team, service: s.name, status: 'current' } },
    facts: { port: { ...port, fact: portFact }, slo: { ...slo, fact: sloFact }, restart: { ...restart, fact: restartFact }, escalation: { ...escalation, fact: escFact }, error: { ...error, fact: errorFact } },
  };
}

/** Phrasings per question kind: lexical and paraphrased, so neither keyword nor dense retrieval wins everywhere. */
const ASK: Record<'port' | 'slo' | 'restart' | 'escalation' | 'lead' | 'standup' | 'error', Array<(x: string) => string>> = {
  error: [(x) => `What does error ${x} mean?`, (x) => `I got ${x} in the logs, what is it?`, (x) => `${x}?`],
  // Terse ones (`ledger-api p99 objective?`) are where exact identifiers beat meaning.
  port: [(x) => `Which port does ${x} listen on?`, (x) => `On what TCP port can I reach ${x}?`, (x) => `${x} port number?`],
  slo: [(x) => `What is the p99 latency objective of ${x}?`, (x) => `How fast is ${x} supposed to answer for 99 % of requests?`, (x) => `${x} p99 objective?`],
  restart: [(x) => `How do I restart ${x}?`, (x) => `What is the command to bounce ${x} in Kubernetes?`, (x) => `${x} restart command?`],
  escalation: [(x) => `When should an incident on ${x} be escalated?`, (x) => `How long do I wait before paging someone about ${x}?`, (x) => `${x} escalation time?`],
  lead: [(x) => `Who leads the ${x} team?`, (x) => `Who is in charge of team ${x}?`, (x) => `Name the head of ${x}.`],
  standup: [(x) => `When is the ${x} team's daily standup?`, (x) => `At what time does team ${x} meet every morning?`],
};

export function generateCorpus(seed: number, scale: Scale): Corpus {
  const r = random(seed * 2_654_435_761 + 17);
  const size = CORPUS_SIZES[scale];
  const docs: Doc[] = [];
  const questions: Question[] = [];
  let nextDoc = 1;
  const addDoc = (d: Omit<Doc, 'id'>): Doc => {
    const doc = { ...d, id: `doc-${String(nextDoc++).padStart(4, '0')}` };
    docs.push(doc);
    return doc;
  };
  const ask = (q: Omit<Question, 'id' | 'split'>) => questions.push({ id: `q-${String(questions.length + 1).padStart(4, '0')}`, split: 'visible', ...q });

  const teams: Team[] = r.shuffle(TEAMS).slice(0, size.teams).map((name) => ({ name, lead: person(r), standup: `${r.int(8, 10)}:${r.pick(['00', '15', '30', '45'])}`, rotationDays: r.pick([7, 14]) }));
  const names = r.shuffle(SYSTEMS.flatMap((a) => ROLES.map((b) => `${a}-${b}`))).slice(0, size.services);
  const ports = r.shuffle(Array.from({ length: 3000 }, (_, i) => 7000 + i));
  const services: Service[] = names.map((name, i) => ({
    name,
    team: teams[i % teams.length]!.name,
    port: ports[i]!,
    sloMs: r.int(5, 80) * 10,
    namespace: r.pick(['payments', 'core', 'edge', 'risk', 'platform']),
    escalateAfter: r.pick([10, 15, 20, 30, 45]),
    replicas: r.int(2, 12),
  }));

  // Runbooks, and a near-duplicate draft of some: the same facts, reworded here and there.
  const runbooks = new Map<string, { doc: Doc; facts: ReturnType<typeof runbook>['facts'] }>();
  const codes = new Set<string>();
  for (const s of services) {
    const { doc, facts } = runbook(r, s, services, codes);
    runbooks.set(s.name, { doc: addDoc(doc), facts });
  }
  for (const s of r.shuffle(services).slice(0, Math.ceil(services.length / 8))) {
    const original = runbooks.get(s.name)!.doc;
    addDoc({ ...original, path: `drafts/${s.name}-copy.md`, title: `Copy of Runbook: ${s.name}`, text: original.text.replace('watch the pods come back', 'wait for the pods to become ready').replace('# Runbook', '# [DRAFT] Runbook'), meta: { ...original.meta, status: 'draft' } });
  }

  // The service catalogue: one HTML table per team, every service's port and objective again (in passing).
  const rows = new Map<string, { doc: Doc; port: { start: number; end: number } }>();
  for (const t of teams) {
    const w = new Writer();
    w.add(`<html><head><title>Service catalogue: ${t.name}</title></head><body>`);
    w.add(`<h1>Service catalogue: ${t.name}</h1>`);
    w.add('<table><tr><th>Service</th><th>Port</th><th>p99 objective</th><th>Namespace</th></tr>');
    const spans: Array<[Service, { start: number; end: number }]> = [];
    for (const s of services.filter((x) => x.team === t.name)) spans.push([s, w.plant(`<tr><td>${s.name}</td><td>${s.port}</td><td>${s.sloMs} ms</td><td>${s.namespace}</td></tr>`, String(s.port))]);
    w.add('</table></body></html>');
    const doc = addDoc({ path: `catalogue/${t.name.toLowerCase()}.html`, format: 'html', kind: 'table', title: `Service catalogue: ${t.name}`, text: w.text, meta: { team: t.name, status: 'current' } });
    for (const [s, port] of spans) rows.set(s.name, { doc, port });
  }

  // Team handbooks.
  const handbooks = new Map<string, { doc: Doc; lead: { start: number; end: number }; standup: { start: number; end: number } }>();
  for (const t of teams) {
    const w = new Writer();
    w.add(`# The ${t.name} team handbook`);
    w.add();
    const lead = w.plant(`${t.lead} leads the ${t.name} team and sets its quarterly goals.`, t.lead);
    w.add(`The team owns ${services.filter((s) => s.team === t.name).map((s) => s.name).join(', ')}.`);
    w.add();
    w.add('## Rituals');
    const standup = w.plant(`The daily standup is at ${t.standup} CET, fifteen minutes, cameras optional.`, t.standup);
    w.add(`On-call rotates every ${t.rotationDays} days; the hand-over happens at the Monday standup.`);
    w.add(`Retrospectives are every second ${r.pick(WEEKDAYS)}; decisions go into the meeting notes.`);
    handbooks.set(t.name, { doc: addDoc({ path: `handbooks/${t.name.toLowerCase()}.md`, format: 'md', kind: 'handbook', title: `The ${t.name} team handbook`, text: w.text, meta: { team: t.name, status: 'current' } }), lead, standup });
  }

  // Policies in versions: only the newest is in force, the older ones state other values.
  const current = new Map<string, { doc: Doc; span: { start: number; end: number }; value: string }>();
  for (const p of POLICIES) {
    const versions = r.int(2, 3);
    const fact = p.facts[0]!;
    const steps = Math.floor((fact.range[1] - fact.range[0]) / fact.step) + 1;
    // No value may end another ("5 minutes" inside "15 minutes"): each version's value is its own text.
    const values: number[] = [];
    for (const v of r.shuffle(Array.from({ length: steps }, (_, i) => fact.range[0] + i * fact.step))) {
      if (values.length < versions && !values.some((u) => String(u).endsWith(String(v)) || String(v).endsWith(String(u)))) values.push(v);
    }
    for (let v = 1; v <= versions; v++) {
      const w = new Writer();
      const effective = `${2021 + v}-${String(r.int(1, 12)).padStart(2, '0')}-01`;
      const status = v === versions ? 'current' : 'superseded';
      w.add(`# ${p.topic} policy`);
      w.add();
      w.add(`Version ${v} · effective ${effective}${v > 1 ? ` · replaces version ${v - 1}` : ''}${status === 'superseded' ? ` · superseded by version ${v + 1}` : ''}`);
      w.add();
      w.add(`This policy applies to every Northwind Pay employee and contractor. Questions go to People Operations.`);
      const value = `${values[v - 1]} ${fact.unit}`;
      const span = w.plant(fact.say(value), value);
      w.add(`Exceptions need the written approval of a director and are reviewed every quarter.`);
      const doc = addDoc({ path: `policies/${p.topic.toLowerCase().replace(/ /g, '-')}-v${v}.md`, format: 'md', kind: 'policy', title: `${p.topic} policy (version ${v})`, text: w.text, meta: { policy: p.topic, version: v, effective, status } });
      if (status === 'current') current.set(p.topic, { doc, span, value });
    }
  }

  // Meeting notes: decisions, and proposals that were not adopted (values no policy says).
  for (let i = 0; i < size.meetings; i++) {
    const t = r.pick(teams);
    const s = r.pick(services.filter((x) => x.team === t.name));
    const p = r.pick(POLICIES);
    const w = new Writer();
    const date = `2024-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
    w.add(`# ${t.name} weekly, ${date}`);
    w.add();
    w.add(`Present: ${[t.lead, person(r), person(r)].join(', ')}.`);
    w.add();
    w.add(`- ${s.name}: error budget at ${r.int(10, 95)} %; the team agreed to ${r.pick(['add a retry with backoff', 'split the batch job', 'move the cron to the orchestrator', 'add a dashboard panel', 'raise the connection pool'])}.`);
    w.add(`- Someone proposed changing the ${p.facts[0]!.name} in the ${p.topic.toLowerCase()} policy to ${r.int(p.facts[0]!.range[0], p.facts[0]!.range[1] * 2)} ${p.facts[0]!.unit}; not adopted, People Operations decides.`);
    w.add(`- ${r.pick(FILLER)(s, r.pick(services))}`);
    w.add(`- ${r.pick(FILLER)(r.pick(services), r.pick(services))}`);
    w.add(`- Incident review: ${r.pick(services).name} had ${r.pick(['a slow rollout', 'a noisy alert', 'a full disk', 'an expired certificate', 'a retry storm'])}; ${r.pick(['the fix is deployed', 'a follow-up ticket is open', 'the runbook was updated', 'monitoring was added'])}.`);
    w.add(`- Action: ${person(r)} follows up on ${r.pick(services).name} before the next meeting.`);
    addDoc({ path: `meetings/${t.name.toLowerCase()}-${date}-${i}.md`, format: 'md', kind: 'meeting', title: `${t.name} weekly, ${date}`, text: w.text, meta: { team: t.name, status: 'current' } });
  }

  // FAQs: short, general, and near many questions in wording.
  for (const topic of ['on-call', 'deploys', 'access', 'expenses', 'incidents']) {
    const w = new Writer();
    w.add(`# FAQ: ${topic}`);
    w.add();
    w.add(`**Where do I find the runbook of a service?** Under runbooks/, one page per service, owned by its team.`);
    w.add(`**Who do I page?** The on-call of the owning team first; the team lead if it is not healthy after the runbook's escalation time.`);
    w.add(`**Where are the policies?** Under policies/; the newest version of each is the one in force.`);
    addDoc({ path: `faq/${topic}.md`, format: 'md', kind: 'faq', title: `FAQ: ${topic}`, text: w.text, meta: { status: 'current' } });
  }

  // Questions: each planted fact, asked in one of its phrasings.
  const span = (doc: Doc, at: { start: number; end: number }, relevance: 1 | 2 = 2): Passage => ({ doc_id: doc.id, start: at.start, end: at.end, relevance });
  for (const s of services) {
    const { doc, facts } = runbooks.get(s.name)!;
    const drafts = docs.filter((d) => d.meta.status === 'draft' && d.meta.service === s.name);
    // A draft copy states the same fact at its own offset.
    const alsoIn = (fact: { fact: string }) => drafts.flatMap((d) => [{ doc_id: d.id, start: d.text.indexOf(fact.fact), end: d.text.indexOf(fact.fact) + fact.fact.length, relevance: 1 as const }]).filter((p) => p.start >= 0);
    const kinds = r.shuffle(['port', 'slo', 'restart', 'escalation'] as const).slice(0, 2);
    // Asked by its code alone: the question does not say which service.
    const err = facts.error;
    ask({ question: r.pick(ASK.error)(err.fact.split(' ')[0]!), answer: err.fact, passages: [span(doc, err), ...alsoIn(err)], answerable: true, kind: 'error' });
    for (const kind of kinds) {
      const fact = facts[kind];
      const passages = [span(doc, fact), ...alsoIn(fact)];
      if (kind === 'port') passages.push(span(rows.get(s.name)!.doc, rows.get(s.name)!.port, 1));
      ask({ question: r.pick(ASK[kind])(s.name), answer: fact.fact, passages, answerable: true, kind });
    }
  }
  for (const t of teams) {
    const h = handbooks.get(t.name)!;
    ask({ question: r.pick(ASK.lead)(t.name), answer: t.lead, passages: [span(h.doc, h.lead)], answerable: true, kind: 'lead' });
    ask({ question: r.pick(ASK.standup)(t.name), answer: t.standup, passages: [span(h.doc, h.standup)], answerable: true, kind: 'standup' });
  }
  for (const p of POLICIES) {
    const c = current.get(p.topic)!;
    // Asked by meaning, and in the policy's own words: older versions read the same, with other values.
    ask({ question: p.facts[0]!.ask, answer: c.value, passages: [span(c.doc, c.span)], answerable: true, kind: 'policy' });
    ask({ question: `What does the ${p.topic.toLowerCase()} policy say about the ${p.facts[0]!.name}?`, answer: c.value, passages: [span(c.doc, c.span)], answerable: true, kind: 'policy' });
  }
  // Not in the documents: services and teams that do not exist, asked like the others.
  for (const a of ABSENT_SYSTEMS) ask({ question: r.pick([...ASK.port, ...ASK.restart])(`${a}-${r.pick(ROLES)}`), answer: '', passages: [], answerable: false, kind: 'unanswerable' });
  for (const a of ABSENT_TEAMS) ask({ question: r.pick([...ASK.lead, ...ASK.standup])(a), answer: '', passages: [], answerable: false, kind: 'unanswerable' });
  for (const q of ['What is the parking allowance at the Lisbon office?', 'How many days of sabbatical does the policy grant after five years?', 'Which cloud region hosts the disaster-recovery copy of the data warehouse?']) ask({ question: q, answer: '', passages: [], answerable: false, kind: 'unanswerable' });

  // The update batch: one runbook edited (its port changes, and its catalogue row with it), one handbook deleted.
  const askedPort = new Set(questions.filter((q) => q.kind === 'port').flatMap((q) => q.passages.map((p) => p.doc_id)));
  const service = r.pick(services.filter((s) => askedPort.has(runbooks.get(s.name)!.doc.id) && !docs.some((d) => d.meta.status === 'draft' && d.meta.service === s.name)));
  const edited = runbooks.get(service.name)!;
  const newPort = ports[services.length + 1]!;
  // The edit also drops a section, so the new version has fewer chunks: ids past its end are stale.
  const editedDoc: Doc = { ...edited.doc, text: edited.doc.text.replace(`port ${service.port}`, `port ${newPort}`).replace(/## Dependencies\n[\s\S]*?\n\n(?=## Escalation)/, '') };
  if (editedDoc.text.length >= edited.doc.text.length - 100) throw new Error('the edited runbook did not get shorter');
  const table = rows.get(service.name)!.doc;
  const editedTable: Doc = { ...table, text: table.text.replace(`<td>${service.port}</td>`, `<td>${newPort}</td>`) };
  const deletedTeam = r.pick(teams);
  const deleted = handbooks.get(deletedTeam.name)!.doc;
  for (const q of questions) {
    if (q.passages.some((p) => p.doc_id === edited.doc.id) && q.kind === 'port') {
      const start = editedDoc.text.indexOf(`port ${newPort}`);
      const row = editedTable.text.indexOf(`<td>${newPort}</td>`) + 4;
      q.afterUpdate = {
        answer: `port ${newPort}`,
        passages: [
          { doc_id: editedDoc.id, start, end: start + `port ${newPort}`.length, relevance: 2 },
          { doc_id: editedTable.id, start: row, end: row + String(newPort).length, relevance: 1 },
        ],
        answerable: true,
      };
    }
    if (q.passages.length > 0 && q.passages.every((p) => p.doc_id === deleted.id)) q.afterUpdate = { answer: '', passages: [], answerable: false };
  }

  // Held out: 60 % of the questions, by a seeded draw, so the split differs with the seed.
  for (const q of questions) q.split = r.next() < 0.6 ? 'held_out' : 'visible';
  const removedLines = edited.doc.text.split('\n').filter((l) => l.trim() && !editedDoc.text.includes(l));
  const stale = [{ doc_id: edited.doc.id, text: `port ${service.port}` }, ...removedLines.filter((l) => !l.includes(`port ${service.port}`)).map((text) => ({ doc_id: edited.doc.id, text })), { doc_id: table.id, text: String(service.port) }];
  return { docs, questions, update: { edited: [editedDoc, editedTable], deleted: [deleted.id], stale } };
}
