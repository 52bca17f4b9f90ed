type Json = Record<string, unknown>;

/**
 * Descriptions for the parameters and members the schemas leave undescribed, by name: the same name means the same
 * thing across this API, so one sentence per name serves every route. A schema's own description always wins.
 */
const BY_NAME: Record<string, string> = {
  limit: 'Items per page, 1–100',
  cursor: 'Opaque position returned as nextCursor by the previous page; omit for the first page',
  nextCursor: 'Pass as ?cursor= to get the next page; null on the last page',
  items: 'The items of this page, in the list order',
  id: 'Id of the resource (for users: the user id, the JWT sub)',
  handleOrId: 'A user id or a handle; an old handle answers 307 to the current one',
  board: 'Leaderboard name',
  stationId: 'Id of the TV station',
  showId: 'Id of the show',
  userId: 'Id of the user (the JWT sub)',
  ownerId: 'Id of the creator who owns the station',
  creatorId: 'Id of the creator',
  contentId: 'Id of the content item',
  eventId: 'Client-chosen id of the event; sending it again is a no-op (duplicate: true)',
  status: 'State of the resource',
  app: 'Name of the client app whose preferences these are',
  'idempotency-key': 'Client-chosen key: a retried request with the same key answers the first answer',
  type: 'Kind of the item',
  title: 'Title shown to users',
  name: 'Display name',
  description: 'Free text shown to users',
  createdAt: 'When it was created',
  updatedAt: 'When it last changed',
  startAt: 'When the show is scheduled to start',
  endAt: 'When the show is scheduled to end',
  startedAt: 'When it started',
  finishedAt: 'When it finished; null while not finished',
  wentLiveAt: 'When the show went live; null if it never did',
  endsAt: 'When the live show is scheduled to end',
  occurredAt: 'When it happened on the device (ISO-8601 UTC; at most 5 minutes in the future)',
  value: 'Seconds for watch_time, amount for tip',
  current: 'Viewers watching now',
  peak: 'Most viewers at once during this show',
  unique: 'Distinct users who watched this show',
  liveShow: 'The show on air now; null when offline',
  nextShowAt: 'Start of the next scheduled show; null when none',
  viewers: 'Live viewer counts; null when nothing is on air',
  durationMinutes: 'Length of the show in minutes',
  batchId: 'Id of this ingest batch',
  accepted: 'Items stored (duplicate: true when their eventId was seen before)',
  rejected: 'Items refused, each with the errors that refused it',
  index: 'Position of the item in the request',
  duplicate: 'True when this eventId had been received before',
  errors: 'One entry per failing field',
  path: 'JSON pointer to the failing field',
  message: 'What is wrong with it',
  detail: 'What went wrong, for this occurrence, written for the user',
  instance: 'The request path that failed',
  score: 'Ranking score; higher ranks first',
  topics: 'Topics, most relevant first',
  tags: 'Tags given by the creator',
  handle: 'The unique @handle',
  displayName: 'Name shown on the profile',
  token: 'A signed JWT to send as Authorization: Bearer',
  roles: 'Roles granted: user, creator, operator, service',
  data: 'Details for the app, by kind',
  kind: 'What kind of item this is',
  body: 'Text of the notification',
  readAt: 'When the user read it; null while unread',
  rank: 'Position on the board, 1 first',
  count: 'How many',
  reason: 'Why, in words for the user',
  location: 'URL of the resource',
};

function describeSchema(node: unknown, name?: string): void {
  if (Array.isArray(node)) return node.forEach((item) => describeSchema(item));
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  if (name && schema.description === undefined && schema.$ref === undefined && BY_NAME[name])
    schema.description = BY_NAME[name];
  const properties = schema.properties as Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && properties) {
      for (const [member, memberSchema] of Object.entries(properties)) describeSchema(memberSchema, member);
    } else describeSchema(value);
  }
}

/** Describes parameters (OpenAPI puts their description beside the schema) and schema members by name. */
export function describeDocument(doc: Json): void {
  for (const item of Object.values(doc.paths as Record<string, Json>)) {
    for (const operation of Object.values(item)) {
      for (const parameter of ((operation as Json).parameters as Json[] | undefined) ?? []) {
        const own = (parameter.schema as Json | undefined)?.description;
        parameter.description ??= own ?? BY_NAME[parameter.name as string];
      }
    }
  }
  describeSchema(doc.paths);
  describeSchema((doc.components as Json).schemas);
}
