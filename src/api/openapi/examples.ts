type Json = Record<string, unknown>;

const at = '2026-01-05T18:30:00.000Z';

/** Request bodies to show on the main operations, by operationId: what an app sends most. */
const REQUEST_EXAMPLES: Record<string, unknown> = {
  postEvents: {
    events: [
      { eventId: 'ev-01', userId: 'u-42', type: 'like', contentId: 'c-7', occurredAt: at },
      { eventId: 'ev-02', userId: 'u-42', type: 'watch_time', contentId: 'c-7', value: 95, occurredAt: at },
      { eventId: 'ev-03', userId: 'u-42', type: 'follow', creatorId: 'cr-9', occurredAt: at },
    ],
  },
  postStations: { name: 'Late Night Live', description: 'Music and talk, weeknights' },
  postStationsByStationIdShows: { title: 'Opening night', startAt: at, durationMinutes: 60 },
  postStationsByStationIdLive: { title: 'Surprise set', durationMinutes: 30 },
  postStationsByStationIdViewersJoin: { clientId: 'iphone-5f2c' },
  postContent: { title: 'Sunset timelapse', description: 'Filmed on the pier', tags: ['travel'], type: 'video' },
};

/** Adds the examples above to the main operations' JSON request bodies. */
export function addExamples(doc: Json): void {
  for (const item of Object.values(doc.paths as Record<string, Json>)) {
    for (const operation of Object.values(item) as Json[]) {
      const example = REQUEST_EXAMPLES[operation.operationId as string];
      const media = ((operation.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'];
      if (example !== undefined && media) (media as Json).example = example;
    }
  }
}
