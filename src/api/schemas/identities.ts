import Type, { type Static } from 'typebox';
import { CONTENT_TYPES } from '../../domain/engagement.js';
import { LINK_KINDS, MAX_LINK_LENGTH } from '../../domain/external-links.js';
import { ONBOARDING_STEPS, MAX_ONBOARDING_INTERESTS, MIN_ONBOARDING_INTERESTS } from '../../domain/onboarding.js';
import { VERIFICATION_STATUSES } from '../../domain/verification.js';
import { Id, IsoDateTime } from './common.js';
import { MultiLine, SingleLine } from './text.js';

/** One of a list of strings, typed as their union; an `enum` gives one clear schema error instead of one per literal. */
const literals = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });

/** A handle as typed: normalised and checked by validateHandle (src/domain/identity.ts), which explains refusals. */
export const HandleInput = Type.String({
  minLength: 1,
  maxLength: 64,
  description: '3–30 of a–z 0–9 _ . (case-insensitive, leading @ ignored)',
});

const HttpUrl = Type.String({ maxLength: MAX_LINK_LENGTH, pattern: '^https?://', format: 'uri' });
const Locale = Type.String({
  pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$',
  maxLength: 35,
  description: 'BCP 47, e.g. en-GB',
});
const TimeZone = Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Paris' });

export const ProfileUpdate = Type.Object(
  {
    displayName: SingleLine({ minLength: 1, maxLength: 60 }),
    bio: MultiLine({ maxLength: 500 }),
    avatarUrl: Type.Union([HttpUrl, Type.Null()]),
    locale: Type.Union([Locale, Type.Null()]),
    timezone: Type.Union([TimeZone, Type.Null()]),
  },
  { additionalProperties: false },
);

export const IdentityPatch = Type.Partial(ProfileUpdate, { additionalProperties: false, minProperties: 1 });
export type IdentityPatch = Static<typeof IdentityPatch>;

export const IdentityCreate = Type.Object(
  {
    handle: HandleInput,
    /** Operators and services may create an identity for another user; users create their own. */
    userId: Type.Optional(Id),
    ...Type.Partial(ProfileUpdate).properties,
  },
  { additionalProperties: false },
);

export const HandleChange = Type.Object({ handle: HandleInput }, { additionalProperties: false });

/** Kinds and URLs are checked by validateLinks, so a refusal names the link and the reason. */
export const LinkInput = Type.Object(
  { kind: Type.String({ maxLength: 32 }), url: Type.String({ maxLength: 2 * MAX_LINK_LENGTH }) },
  { additionalProperties: false },
);
export const LinksInput = Type.Object(
  { links: Type.Array(LinkInput, { maxItems: 50 }) },
  { additionalProperties: false },
);

export const ExternalLink = Type.Object({ kind: literals(LINK_KINDS), url: Type.String() });

export const Identity = Type.Object({
  id: Id,
  handle: Type.String(),
  displayName: Type.String(),
  bio: Type.String(),
  avatarUrl: Type.Union([Type.String(), Type.Null()]),
  locale: Type.Union([Type.String(), Type.Null()]),
  timezone: Type.Union([Type.String(), Type.Null()]),
  links: Type.Array(ExternalLink),
  verified: Type.Boolean(),
  verifiedAt: Type.Union([IsoDateTime, Type.Null()]),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Identity = Static<typeof Identity>;

export const HandleRedirect = Type.Object({ redirectTo: Type.String(), location: Type.String() });

export const SharedPreferences = Type.Object(
  {
    language: Type.Union([Locale, Type.Null()]),
    contentTypeOptOuts: Type.Array(literals(CONTENT_TYPES), { uniqueItems: true }),
    notifications: Type.Object(
      { push: Type.Boolean(), email: Type.Boolean(), reminders: Type.Boolean() },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const AppName = Type.String({ pattern: '^[a-z][a-z0-9-]{1,31}$', description: 'e.g. video, tv, studio' });

export const AppPreferences = Type.Object({
  app: AppName,
  /** The app's own document; `{}` until the app first writes one. */
  preferences: Type.Record(Type.String(), Type.Unknown()),
  shared: SharedPreferences,
  updatedAt: Type.Union([IsoDateTime, Type.Null()]),
});

export const IdentityParams = Type.Object({ id: Id });
export const LookupParams = Type.Object({
  idOrHandle: Type.String({ minLength: 1, maxLength: 65, description: 'a user id, or @ and a handle' }),
});
export const AppParams = Type.Object({ id: Id, app: AppName });

export const InterestsPick = Type.Object(
  {
    topics: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), {
      minItems: MIN_ONBOARDING_INTERESTS,
      maxItems: MAX_ONBOARDING_INTERESTS,
    }),
  },
  { additionalProperties: false },
);

export const InterestsAccepted = Type.Object({ status: Type.Literal('accepted'), topics: Type.Array(Type.String()) });

export const OnboardingProgress = Type.Object({
  userId: Id,
  stage: Type.Union([literals(ONBOARDING_STEPS), Type.Literal('completed'), Type.Literal('abandoned')]),
  done: Type.Array(literals(ONBOARDING_STEPS)),
  interests: Type.Array(Type.String()),
  remindersSent: Type.Integer(),
  nextReminderAt: Type.Union([IsoDateTime, Type.Null()]),
});

export const VerificationRequest = Type.Object(
  { evidence: Type.Array(LinkInput, { minItems: 1, maxItems: 50 }) },
  { additionalProperties: false },
);

export const VerificationDecisionInput = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const Verification = Type.Object({
  userId: Id,
  status: literals(VERIFICATION_STATUSES),
  evidence: Type.Array(ExternalLink),
  requestedAt: Type.Union([IsoDateTime, Type.Null()]),
  waitUntil: Type.Union([IsoDateTime, Type.Null()]),
  workflowId: Type.String(),
});

export const Accepted = Type.Object({ status: Type.Literal('accepted'), location: Type.String() });
