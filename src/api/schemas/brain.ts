import Type, { type Static } from 'typebox';
import { COMMAND_STATUSES, type CommandStatusName } from '../../domain/brain-command.js';
import { INTENT_NAMES, type IntentName } from '../../nlp/intents/index.js';
import { Id, IsoDateTime, ListOf, PageQuery } from './common.js';

/** Brain Mode: spoken or typed commands, navigation, automation actions and their history. */

// Closed vocabularies as string enums: a Union of mapped Literals loses its static type past a few members.
const IntentName = Type.Unsafe<IntentName>(
  Type.String({ enum: [...INTENT_NAMES], description: 'An intent of GET /brain/intents' }),
);
const CommandStatusName = Type.Unsafe<CommandStatusName>(Type.String({ enum: [...COMMAND_STATUSES] }));

/** What is on the user's screen while they speak: what "this", "her" and a bare "like" refer to. */
export const ScreenContext = Type.Object(
  {
    contentId: Type.Optional({
      ...Id,
      description: 'The item playing or shown (for like, share, "whoever made this")',
    }),
    creatorId: Type.Optional({
      ...Id,
      description: 'The creator on screen, by user id (for "follow her", "tip them")',
    }),
    stationId: Type.Optional({ ...Id, description: 'The station on screen (for "go live on this station")' }),
    screen: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'The screen’s name' })),
  },
  { additionalProperties: false },
);

/** What the client's speech recogniser heard (the backend never receives audio). */
export const Utterance = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 500, description: 'The transcript or typed command' }),
    locale: Type.Optional(Type.String({ minLength: 2, maxLength: 35, description: 'BCP 47, e.g. en-US' })),
    timezone: Type.String({
      minLength: 1,
      maxLength: 64,
      default: 'UTC',
      description: 'IANA zone, for "tomorrow at 8pm"',
    }),
    asrConfidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'The recogniser’s confidence' })),
    context: Type.Optional(ScreenContext),
  },
  { additionalProperties: false },
);
export type Utterance = Static<typeof Utterance>;

export const StepParams = Type.Object(
  {
    creator: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'handle, with or without @' })),
    creatorId: Type.Optional({ ...Id, description: 'a creator by user id, instead of a handle' }),
    contentId: Type.Optional({ ...Id, description: 'the item to like or share' }),
    creators: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20 })),
    topic: Type.Optional(Type.String({ maxLength: 100 })),
    title: Type.Optional(Type.String({ maxLength: 200 })),
    station: Type.Optional(Type.String({ maxLength: 100, description: 'station id or name; default the caller’s' })),
    amount: Type.Optional(
      Type.Object({
        value: Type.Number({ exclusiveMinimum: 0 }),
        minor: Type.Integer({ minimum: 1 }),
        currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
      }),
    ),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    when: Type.Optional(Type.Object({ iso: IsoDateTime, precision: Type.String({ maxLength: 20 }) })),
    durationMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 60 })),
    preference: Type.Optional(
      Type.Object({
        key: Type.String({ minLength: 1, maxLength: 40 }),
        value: Type.Union([Type.Boolean(), Type.String()]),
      }),
    ),
  },
  { additionalProperties: false },
);

export const ActionRequest = Type.Object(
  { action: IntentName, params: Type.Optional(StepParams) },
  { additionalProperties: false },
);

export const NavigationTarget = Type.Object({
  screen: Type.String(),
  params: Type.Record(Type.String(), Type.String()),
});

const Candidate = Type.Object({ intent: IntentName, confidence: Type.Number() });
export const Clarification = Type.Object({
  kind: Type.Literal('clarify'),
  reason: Type.String({
    description:
      'empty, low_asr_confidence, out_of_scope, unknown_words, low_confidence, ambiguous, missing_slots, ' +
      'unknown_handle, too_many_steps',
  }),
  candidates: Type.Array(Candidate),
  missingSlots: Type.Array(Type.String()),
  message: Type.String({
    description: 'What to say back: the question, and for what Brain Mode cannot act on, what it can do',
  }),
  suggestions: Type.Optional(
    Type.Array(Type.String(), { description: 'Existing handles the user may have meant (unknown_handle)' }),
  ),
});
export const Navigation = Type.Object({
  kind: Type.Literal('navigation'),
  intent: IntentName,
  confidence: Type.Number(),
  target: NavigationTarget,
});

export const PlanStep = Type.Object({
  index: Type.Integer(),
  action: Type.String(),
  params: Type.Record(Type.String(), Type.Unknown()),
  needsConfirmation: Type.Boolean(),
  targetsPrevious: Type.Boolean(),
});

export const CommandAccepted = Type.Object({
  kind: Type.Literal('command'),
  commandId: Id,
  status: CommandStatusName,
  statusUrl: Type.String(),
  intent: Type.String(),
  steps: Type.Array(PlanStep),
  navigation: Type.Union([NavigationTarget, Type.Null()]),
  corrections: Type.Optional(
    Type.Array(Type.Object({ from: Type.String(), to: Type.String(), stepIndex: Type.Integer() }), {
      description: 'Handles nobody has, read as the one existing handle one slip away; those steps wait for a yes',
    }),
  ),
});

const StepError = Type.Object({ code: Type.String(), status: Type.Integer(), message: Type.String() });
export const Command = Type.Object({
  id: Id,
  userId: Id,
  text: Type.String(),
  intent: Type.String(),
  status: CommandStatusName,
  steps: Type.Array(
    Type.Object({
      index: Type.Integer(),
      action: Type.String(),
      state: Type.String(),
      summary: Type.Union([Type.String(), Type.Null()]),
      targets: Type.Array(Type.String()),
      error: Type.Union([StepError, Type.Null()]),
    }),
  ),
  history: Type.Array(
    Type.Object({
      at: IsoDateTime,
      kind: Type.String(),
      stepIndex: Type.Union([Type.Integer(), Type.Null()]),
      detail: Type.String(),
    }),
  ),
  awaitingConfirmation: Type.Union([
    Type.Object({
      stepIndex: Type.Integer(),
      deadline: IsoDateTime,
      targets: Type.Optional(
        Type.Array(Type.String(), { description: 'For a step over a looked-up set: the user ids it will act on' }),
      ),
    }),
    Type.Null(),
  ]),
  undoneBy: Type.Union([Id, Type.Null()]),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Command = Static<typeof Command>;

export const CommandParams = Type.Object({ id: Id });
export const CommandListQuery = Type.Object({
  ...PageQuery.properties,
  userId: Type.Optional(Id),
});
export const CommandList = ListOf(Command);

const SlotSpec = Type.Object({
  name: Type.String(),
  required: Type.Boolean(),
  description: Type.String(),
  fallback: Type.Optional(Type.Array(Type.String())),
});
export const IntentCatalog = Type.Object({
  items: Type.Array(
    Type.Object({
      name: IntentName,
      description: Type.String(),
      slots: Type.Array(SlotSpec),
      needsConfirmation: Type.Boolean(),
      examples: Type.Array(Type.String()),
      kind: Type.Union([Type.Literal('navigation'), Type.Literal('action')]),
    }),
  ),
});
