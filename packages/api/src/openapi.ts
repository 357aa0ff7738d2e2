/**
 * Generates the OpenAPI 3.1 document from the operations and their zod schemas, so the
 * published document can never disagree with what the server validates.
 * @module
 */
import * as z from 'zod/mini';
import * as auth from './auth.js';
import { LiveControl, LiveEvent } from './events.js';
import * as feedback from './feedback.js';
import * as health from './health.js';
import * as audit from './audit.js';
import * as integrations from './integrations.js';
import * as embed from './embed.js';
import { Health } from './meta.js';
import type { AnySchema, Operation } from './operation.js';
import { OPERATIONS } from './operations.js';
import * as people from './people.js';
import * as programs from './programs.js';
import { Problem } from './problem.js';
import * as roadmaps from './roadmaps.js';
import * as rooms from './rooms.js';
import * as threads from './threads.js';

/** A JSON value of the document. */
export type JsonObject = { [key: string]: unknown };

/** Schemas published under their own names in `components.schemas`. */
const NAMED: Record<string, AnySchema> = {
  Problem,
  Health,
  Organization: people.Organization,
  Person: people.Person,
  ApiKey: people.ApiKey,
  CreatedApiKey: people.CreatedApiKey,
  EmbedSession: auth.EmbedSession,
  AccessToken: auth.AccessToken,
  Me: auth.Me,
  Room: rooms.Room,
  RoomMember: rooms.RoomMember,
  Message: rooms.Message,
  SessionNote: rooms.SessionNote,
  ActionItem: rooms.ActionItem,
  Resource: rooms.Resource,
  Roadmap: roadmaps.Roadmap,
  Milestone: roadmaps.Milestone,
  Revision: roadmaps.Revision,
  FieldChange: roadmaps.FieldChange,
  Thread: threads.Thread,
  Post: threads.Post,
  Comment: threads.Comment,
  ReactionSummary: threads.ReactionSummary,
  CheckIn: feedback.CheckIn,
  Feedback: feedback.Feedback,
  Learning: feedback.Learning,
  RoomHealth: feedback.RoomHealth,
  ProgramHealthSummary: health.ProgramHealthSummary,
  AuditEntry: audit.AuditEntry,
  LiveEvent,
  LiveControl,
  ScimToken: integrations.ScimToken,
  CreatedScimToken: integrations.CreatedScimToken,
  LtiPlatform: integrations.LtiPlatform,
  LtiInstallUrl: integrations.LtiInstallUrl,
  LtiToolConfig: integrations.LtiToolConfig,
  LtiCourse: integrations.LtiCourse,
  LtiRosterSync: integrations.LtiRosterSync,
  EmbedKey: embed.EmbedKey,
  CreatedEmbedKey: embed.CreatedEmbedKey,
  Program: programs.Program,
  RoadmapTemplate: programs.RoadmapTemplate,
  RoadmapTemplateVersion: programs.RoadmapTemplateVersion,
  TemplateMilestone: programs.TemplateMilestone,
  Cohort: programs.Cohort,
  Enrolment: programs.Enrolment,
  EnrolmentImport: programs.EnrolmentImport,
  RejectedRow: programs.RejectedRow,
  CohortGroupLink: programs.CohortGroupLink,
  CohortRoom: programs.CohortRoom,
  TemplateOrigin: programs.TemplateOrigin,
};

/**
 * What each tag (resource family) covers, for the reference's section headings. A tag an
 * operation uses without an entry here fails the contract tests.
 */
export const TAG_DESCRIPTIONS: Readonly<Record<string, string>> = {
  Service: 'Liveness and this document: no credentials needed.',
  Auth: 'Embed sessions for the widgets: a host backend creates a single-use client secret, the browser exchanges it for a short-lived access token.',
  Organization: "The caller's organization, its settings and its secret API keys.",
  People: 'People of the organization, as host backends provision them and as the widgets show them.',
  Rooms: "Mentorship rooms: members, messages, session notes with action items, shared resources, the adjust loop's attention signals and the mentor's overview.",
  Roadmaps: "A room's roadmap of milestones, with revisions that keep why each change was made.",
  'Growth threads': "Each person's growth thread: posts with audiences, comments, reactions and milestone evidence.",
  Feedback: 'Check-ins and their trends, feedback and requests for it, learnings, and room health.',
  'Live events': 'Server-sent event streams: one multiplexed live connection per person, and per-room, per-thread and feed streams.',
  Embedding: 'Signed embed URLs for hosts that cannot run script (SharePoint, Teams, HR suites): the organization\'s embed keys, which host backends sign short-lived, single-use embed tokens with.',
  Integrations: 'Admin operations for SCIM provisioning tokens and LMS (LTI 1.3) platforms, courses and roster syncs.',
  Programs: "Programs, their cohorts and roadmap templates, and enrolment (by API, CSV import or SCIM group): how an organization runs mentoring. Admins, except a cohort's own people reading it and a room deciding about a newer template.",
  Matching: 'Matching mentors and mentees: profiles and reporting lines, explainable scores under hard constraints, admin matching runs (draft, review, publish into rooms) and self-serve requests.',
};

const REF = (id: string) => `#/components/schemas/${id}`;

/**
 * The live-position protocol (docs/architecture.md "Live events"): an authenticated `GET` that
 * asks with `Prefer: event-position` answers where it stands in the organization's event log, so
 * a client can list, then subscribe from there without missing an event. The names match
 * the server's (`packages/server/src/http/event-position.ts`).
 */
export const EVENT_POSITION = {
  /** The `Prefer` token (RFC 7240) that asks for the position. */
  preference: 'event-position',
  /** `components.parameters` key of the `Prefer` request header. */
  parameter: 'PreferEventPosition',
  /** `components.headers` keys of the response headers, by header name. */
  headers: {
    'Preference-Applied': 'PreferenceApplied',
    'Menteo-Event-Position': 'MenteoEventPosition',
    'Menteo-Event-Position-Upper': 'MenteoEventPositionUpper',
  },
} as const;

const EVENT_ID = { type: 'integer', minimum: 0, format: 'int64' } as const;

/** The reusable `Prefer` parameter and response headers of the live-position protocol. */
function eventPositionComponents(): { parameters: JsonObject; headers: JsonObject } {
  return {
    parameters: {
      [EVENT_POSITION.parameter]: {
        name: 'Prefer',
        in: 'header',
        required: false,
        description:
          'Preferences (RFC 7240). `event-position` asks for the answer\'s place in the organization\'s event log ' +
          '(`Menteo-Event-Position`, and `Menteo-Event-Position-Upper` when events were committed while the answer was read), ' +
          'so a live subscription started after it (`since`, `Last-Event-ID`) misses nothing. Without it the server skips that work.',
        schema: { type: 'string' },
        example: 'event-position',
      },
    },
    headers: {
      [EVENT_POSITION.headers['Preference-Applied']]: {
        description: 'Sent as `event-position` when the request asked for the event position and the answer carries it.',
        schema: { type: 'string', enum: [EVENT_POSITION.preference] },
      },
      [EVENT_POSITION.headers['Menteo-Event-Position']]: {
        description:
          'With `Prefer: event-position`: the id of the organization\'s last event committed before the answer was read (0 when there is none). ' +
          'Every event up to it is reflected in the answer: subscribe from it to miss nothing.',
        schema: EVENT_ID,
      },
      [EVENT_POSITION.headers['Menteo-Event-Position-Upper']]: {
        description:
          'With `Prefer: event-position`, only when events of the organization were committed while the answer was read: the last of them. ' +
          'Events after `Menteo-Event-Position` and up to this id may or may not be reflected; a subscriber applies them again, idempotently.',
        schema: EVENT_ID,
      },
    },
  };
}

/**
 * True for the operations whose answers carry the event position when asked: the authenticated,
 * non-streaming `GET`s (the server adds it where a principal of an organization is known).
 */
export function supportsEventPosition(op: Operation): boolean {
  return op.method === 'GET' && !op.stream && (op.auth === 'any' || op.auth === 'key');
}

/** A server the document lists: where the API is reached. */
export interface OpenApiServer {
  /** The API's root URL, without a trailing slash, e.g. `https://menteo.example.com`. */
  url: string;
  /** Which deployment this is, for people choosing among several. */
  description?: string;
}

/**
 * Where a document built without `servers` says the API is: `menteo-server`'s default local
 * address. A served document names the URL it is served from instead.
 */
export const DEFAULT_SERVERS: readonly [OpenApiServer, ...OpenApiServer[]] = [
  { url: 'http://localhost:8787', description: 'A local menteo-server (its default PORT).' },
];

/** Options of the generated document. */
export interface OpenApiOptions {
  /** `info.version`; the package version by default. */
  version?: string;
  /**
   * Servers to list (at least one: an empty list is invalid for linters and leaves generated
   * clients without a base URL). {@link DEFAULT_SERVERS} when absent.
   */
  servers?: readonly [OpenApiServer | string, ...(OpenApiServer | string)[]];
}

/**
 * Extension of a `text/event-stream` media type naming the schemas of its events' `data:`
 * payloads (OpenAPI 3.1 has no keyword for the items of a stream; 3.2's `itemSchema` is invalid
 * here). Each entry is a `$ref` into `components.schemas`.
 */
export const EVENT_SCHEMAS_EXTENSION = 'x-menteo-event-schemas';

/** Builds the OpenAPI 3.1 document of the whole API. */
export function buildOpenApiDocument(options: OpenApiOptions = {}): JsonObject {
  const responses = z.registry<{ id: string }>();
  const requests = z.registry<{ id: string }>();
  const named = new Map<AnySchema, string>();
  for (const [name, schema] of Object.entries(NAMED)) {
    responses.add(schema, { id: name });
    named.set(schema, name);
  }
  const responseIds = new Map<Operation, string>();
  const bodyIds = new Map<Operation, string>();
  for (const op of OPERATIONS) {
    if (op.response && !named.has(op.response)) {
      const name = `${capitalize(op.id)}Response`;
      responses.add(op.response, { id: name });
      responseIds.set(op, name);
    } else if (op.response) {
      responseIds.set(op, named.get(op.response) as string);
    }
    if (op.body) {
      const name = `${capitalize(op.id)}Request`;
      if (!requests.has(op.body)) requests.add(op.body, { id: name });
      bodyIds.set(op, requests.get(op.body)?.id ?? name);
    }
  }
  const out = z.toJSONSchema(responses, { target: 'draft-2020-12', io: 'output', uri: REF, unrepresentable: 'any' });
  const inp = z.toJSONSchema(requests, { target: 'draft-2020-12', io: 'input', uri: REF, unrepresentable: 'any' });
  const schemas: JsonObject = {};
  for (const [id, schema] of Object.entries({ ...out.schemas, ...inp.schemas })) {
    const { $schema: _schema, $id: _id, ...rest } = schema as JsonObject;
    schemas[id] = rest;
  }

  const paths: Record<string, JsonObject> = {};
  for (const op of OPERATIONS) {
    const item = (paths[op.path] ??= {});
    item[op.method.toLowerCase()] = operationObject(op, responseIds.get(op), bodyIds.get(op));
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Menteo API',
      version: options.version ?? '0.1.0',
      license: { name: 'Apache License 2.0', identifier: 'Apache-2.0' },
      contact: { name: 'Menteo', url: 'https://github.com/menteo/menteo' },
      description:
        'Mentorship rooms, roadmaps, growth threads and feedback. Errors are application/problem+json with a stable `code`.',
    },
    servers: (options.servers ?? DEFAULT_SERVERS).map((server) => (typeof server === 'string' ? { url: server } : { ...server })),
    tags: [...new Set(OPERATIONS.map((op) => op.tag))].map((name) => ({ name, description: TAG_DESCRIPTIONS[name] })),
    paths,
    components: {
      schemas,
      ...eventPositionComponents(),
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'A secret API key (`mk_…`, server side only) or an access token from `POST /v1/tokens`.',
        },
      },
    },
    security: [{ bearer: [] }],
  };
}

function operationObject(op: Operation, responseId: string | undefined, bodyId: string | undefined): JsonObject {
  const parameters: JsonObject[] = [
    ...parametersOf(op.params, 'path'),
    ...parametersOf(op.query, 'query'),
  ];
  if (op.method === 'POST') {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Replays of the same key return the first response; the same key with another body is `idempotency_mismatch`.',
      schema: { type: 'string', maxLength: 200 },
    });
  }
  if (op.auth === 'key' || op.auth === 'any') {
    parameters.push({
      name: 'Menteo-Act-As',
      in: 'header',
      required: false,
      description: 'With an API key: the person id to act as (for writes that have an author).',
      schema: { type: 'string' },
    });
  }
  if (op.stream) {
    parameters.push({
      name: 'Last-Event-ID',
      in: 'header',
      required: false,
      description: 'The id of the last event received: events after it are replayed before live ones.',
      schema: { type: 'string' },
    });
  }
  const success: JsonObject = { description: op.summary };
  if (supportsEventPosition(op)) {
    parameters.push({ $ref: `#/components/parameters/${EVENT_POSITION.parameter}` });
    success.headers = Object.fromEntries(Object.entries(EVENT_POSITION.headers).map(([name, id]) => [name, { $ref: `#/components/headers/${id}` }]));
  }
  if (op.stream) {
    // Multiplexed connections also carry control frames (ready, topic closed, end).
    const events = op.body ? ['LiveEvent', 'LiveControl'] : ['LiveEvent'];
    success.content = {
      'text/event-stream': {
        schema: {
          type: 'string',
          description:
            `Server-sent events: \`event:\` is the type, \`id:\` the resume point (send it back as \`Last-Event-ID\`), ` +
            `\`data:\` one JSON ${events.join(' or ')} (listed in \`${EVENT_SCHEMAS_EXTENSION}\`). Comment lines are heartbeats.`,
        },
        [EVENT_SCHEMAS_EXTENSION]: events.map((id) => ({ $ref: REF(id) })),
      },
    };
  } else if (responseId) {
    success.content = { 'application/json': { schema: { $ref: REF(responseId) } } };
  } else if (op.produces) {
    success.content = Object.fromEntries(op.produces.map((type) => [type, { schema: { type: 'string' } }]));
  } else if (op.id === 'getOpenApi') {
    success.content = { 'application/json': { schema: { type: 'object' } } };
  }
  const problem = { description: 'A problem (see `code`).', content: { 'application/problem+json': { schema: { $ref: REF('Problem') } } } };
  const result: JsonObject = {
    operationId: op.id,
    summary: op.summary,
    description: op.description,
    tags: [op.tag],
    parameters,
    responses: { [String(op.status)]: success, '4XX': problem, '5XX': problem },
  };
  if (op.scopes.length > 0) result['x-menteo-scopes'] = [...op.scopes];
  if (op.auth === 'none' || op.auth === 'client-secret') result.security = [];
  if (bodyId) {
    result.requestBody = { required: true, content: { 'application/json': { schema: { $ref: REF(bodyId) } } } };
  }
  return result;
}

function parametersOf(schema: AnySchema | undefined, where: 'path' | 'query'): JsonObject[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonObject>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
  }));
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
