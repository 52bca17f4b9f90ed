/**
 * The demo world `npm run seed` creates: creators with a theme and a few items each, viewers with tastes among those
 * themes, a TV station with its upcoming shows, tips and one Brain Mode command. Every user id, handle and item key
 * is fixed, so a second run recognises what the first one made.
 */

export type ContentType = 'video' | 'short' | 'live' | 'image' | 'text';

export interface DemoItem {
  /** Stable within the seed: names the item's Idempotency-Key and its events' ids. */
  key: string;
  title: string;
  description: string;
  tags: string[];
  type: ContentType;
}

export interface DemoCreator {
  userId: string;
  handle: string;
  displayName: string;
  bio: string;
  /** The theme viewers' tastes refer to; also the first tag of every item. */
  theme: string;
  items: DemoItem[];
}

export interface DemoViewer {
  userId: string;
  handle: string;
  displayName: string;
  bio: string;
  /** Themes of creators this viewer watches; picked as onboarding interests and followed. */
  tastes: string[];
}

/** Every seeded user id starts with this, so they are easy to tell from real ones. */
export const DEMO_PREFIX = 'demo-';

const item = (key: string, type: ContentType, title: string, description: string, tags: string[]): DemoItem => ({
  key,
  title,
  description,
  tags,
  type,
});

export const CREATORS: DemoCreator[] = [
  {
    userId: 'demo-mia',
    handle: 'mia_keys',
    displayName: 'Mia Laurent',
    bio: 'Jazz pianist and teacher. Standards, voicings and late-night improvisation from a small Paris flat.',
    theme: 'jazz',
    items: [
      item('mia-1', 'video', 'Autumn Leaves in five voicings', 'From shell voicings to rootless chords: the same standard played five ways, slowly, with the chord symbols on screen.', ['jazz', 'piano', 'harmony']),
      item('mia-2', 'short', 'The ii-V-I every pianist should know', 'One minute, one progression, in all twelve keys.', ['jazz', 'piano', 'practice']),
      item('mia-3', 'video', 'Blues scale improvisation for beginners', 'How to start soloing over a twelve-bar blues with six notes and a lot of space.', ['jazz', 'blues', 'improvisation']),
      item('mia-4', 'live', 'Late night jam: Monk tunes', 'A recorded live session playing Thelonious Monk compositions and answering questions from the chat.', ['jazz', 'piano', 'monk']),
    ],
  },
  {
    userId: 'demo-omar',
    handle: 'omar_cooks',
    displayName: 'Omar Haddad',
    bio: 'Home cook from Beirut, now in Lyon. Weeknight dinners, street food and the spices that make them.',
    theme: 'cooking',
    items: [
      item('omar-1', 'video', 'Fifteen minute shakshuka', 'Eggs poached in a smoky tomato and pepper sauce, with bread for dipping. One pan, no fuss.', ['cooking', 'recipes', 'breakfast']),
      item('omar-2', 'video', 'Homemade falafel that stays crisp', 'Soaked chickpeas, never canned: the one rule that keeps falafel from falling apart in the oil.', ['cooking', 'streetfood', 'vegetarian']),
      item('omar-3', 'short', 'Knife skills: dicing an onion fast', 'The cuts professional cooks use, at home speed.', ['cooking', 'knife', 'basics']),
      item('omar-4', 'image', 'My spice drawer, labelled', 'Sumac, za’atar, seven spice and baharat: what each one is for.', ['cooking', 'spices', 'recipes']),
    ],
  },
  {
    userId: 'demo-lena',
    handle: 'lena_trails',
    displayName: 'Lena Berg',
    bio: 'Long-distance hiker. Alpine routes, light packing and honest trail reviews.',
    theme: 'hiking',
    items: [
      item('lena-1', 'video', 'Tour du Mont Blanc in eleven days', 'Every stage of the classic alpine loop, where I slept and what I would do differently.', ['hiking', 'alps', 'travel']),
      item('lena-2', 'short', 'Packing a 6 kg backpack', 'Everything I carry for a week in the mountains, laid out and weighed.', ['hiking', 'gear', 'ultralight']),
      item('lena-3', 'video', 'Reading a topographic map', 'Contour lines, saddles and ridges: finding your way when the trail markers disappear.', ['hiking', 'navigation', 'outdoors']),
      item('lena-4', 'image', 'Sunrise above the clouds at Lac Blanc', 'Worth the four a.m. start.', ['hiking', 'photography', 'alps']),
    ],
  },
  {
    userId: 'demo-kenji',
    handle: 'kenji_codes',
    displayName: 'Kenji Watanabe',
    bio: 'Backend engineer. TypeScript, databases and distributed systems explained with small programs.',
    theme: 'programming',
    items: [
      item('kenji-1', 'video', 'Durable workflows explained with a coffee order', 'Why a workflow engine replays history, and what that means for the code you write.', ['programming', 'workflows', 'distributed']),
      item('kenji-2', 'short', 'TypeScript satisfies in one minute', 'Check a value against a type without widening it.', ['programming', 'typescript', 'tips']),
      item('kenji-3', 'video', 'Idempotency keys: retry without fear', 'How an API can accept the same request twice and still create one order.', ['programming', 'api', 'design']),
      item('kenji-4', 'text', 'Reading a database query plan', 'A walk through an index scan, a sort and a join, and the one number that tells you which is slow.', ['programming', 'databases', 'performance']),
    ],
  },
  {
    userId: 'demo-sofia',
    handle: 'sofia_moves',
    displayName: 'Sofia Reyes',
    bio: 'Yoga and mobility coach. Short routines for people who sit all day.',
    theme: 'fitness',
    items: [
      item('sofia-1', 'video', 'Morning mobility in ten minutes', 'Hips, spine and shoulders, no equipment, done before the coffee is ready.', ['fitness', 'mobility', 'yoga']),
      item('sofia-2', 'short', 'Desk stretch you can do in a meeting', 'Nobody will notice. Your neck will.', ['fitness', 'stretching', 'office']),
      item('sofia-3', 'video', 'Sun salutation, step by step', 'Every pose of the sequence broken down, with the common mistakes and how to fix them.', ['fitness', 'yoga', 'beginners']),
      item('sofia-4', 'video', 'Bodyweight strength for runners', 'Lunges, bridges and calf raises: the routine that keeps knees happy on long runs.', ['fitness', 'running', 'strength']),
    ],
  },
  {
    userId: 'demo-theo',
    handle: 'theo_plays_chess',
    displayName: 'Theo Marchetti',
    bio: 'FIDE master and patient explainer. Openings, endgames and the thinking between the moves.',
    theme: 'chess',
    items: [
      item('theo-1', 'video', 'The Italian Game for club players', 'Plans, not memorised lines: what White wants in the Giuoco Piano and how Black fights back.', ['chess', 'openings', 'strategy']),
      item('theo-2', 'short', 'The Lucena position in sixty seconds', 'Build a bridge and the rook endgame wins itself.', ['chess', 'endgames', 'technique']),
      item('theo-3', 'video', 'Analysing my worst blunder', 'A winning position thrown away in one move, and the checklist that would have caught it.', ['chess', 'analysis', 'tactics']),
      item('theo-4', 'live', 'Blitz with viewers: Sunday arena', 'Three-minute games against the chat, commented live.', ['chess', 'blitz', 'community']),
    ],
  },
  {
    userId: 'demo-ana',
    handle: 'ana_paints',
    displayName: 'Ana Sousa',
    bio: 'Watercolour painter in Porto. Loose landscapes, cheap paper and lots of water.',
    theme: 'painting',
    items: [
      item('ana-1', 'video', 'Painting rain on a Porto street', 'Wet-on-wet reflections and the three colours I mix everything from.', ['painting', 'watercolor', 'urban']),
      item('ana-2', 'short', 'Five brushes are all you need', 'What each one does, and the expensive one I never use.', ['painting', 'watercolor', 'supplies']),
      item('ana-3', 'video', 'Skies in watercolour: three techniques', 'Graded washes, lifting out clouds and letting the paint bloom on purpose.', ['painting', 'watercolor', 'landscape']),
      item('ana-4', 'image', 'Sketchbook tour: a year of Sundays', 'Fifty-two small paintings from the same café window.', ['painting', 'sketchbook', 'art']),
    ],
  },
  {
    userId: 'demo-ravi',
    handle: 'ravi_on_space',
    displayName: 'Ravi Menon',
    bio: 'Astrophysics PhD student. The night sky, telescopes and space missions without the jargon.',
    theme: 'astronomy',
    items: [
      item('ravi-1', 'video', 'How we photograph a black hole', 'A telescope the size of the Earth, and why the picture took two years to develop.', ['astronomy', 'science', 'blackholes']),
      item('ravi-2', 'short', 'Find Saturn tonight with your phone', 'Which direction to face, and what you will see through cheap binoculars.', ['astronomy', 'stargazing', 'planets']),
      item('ravi-3', 'video', 'Why the James Webb telescope sees in infrared', 'Dust, redshift and the oldest galaxies we have ever seen.', ['astronomy', 'science', 'telescopes']),
      item('ravi-4', 'text', 'A beginner’s guide to the Perseids', 'When to look, where to go and how long your eyes need to adapt.', ['astronomy', 'stargazing', 'meteors']),
    ],
  },
]; // prettier-ignore

const viewer = (name: string, handle: string, displayName: string, bio: string, tastes: string[]): DemoViewer => ({
  userId: `${DEMO_PREFIX}${name}`,
  handle,
  displayName,
  bio,
  tastes,
});

export const VIEWERS: DemoViewer[] = [
  viewer('alex', 'alex_rivera', 'Alex Rivera', 'Pianist on weekends, cook on weeknights.', ['jazz', 'cooking', 'chess']),
  viewer('bea', 'bea_outdoors', 'Beatriz Costa', 'Happiest above the tree line.', ['hiking', 'fitness', 'painting']),
  viewer('carlos', 'carlos_builds', 'Carlos Mendes', 'Software and stars.', ['programming', 'astronomy', 'chess']),
  viewer('dana', 'dana_eats', 'Dana Kim', 'Will travel for noodles.', ['cooking', 'fitness']),
  viewer('eli', 'eli_sketches', 'Eli Novak', 'Draws what he hears.', ['jazz', 'painting']),
  viewer('fatima', 'fatima_skies', 'Fatima Zahra', 'Dark skies and long walks.', ['astronomy', 'hiking']),
  viewer('gus', 'gus_gambit', 'Gustav Lind', 'Always one move behind.', ['chess', 'programming']),
  viewer('hana', 'hana_slow', 'Hana Sato', 'Slow mornings, good food, wet paint.', ['fitness', 'cooking', 'painting']),
  viewer('ivan', 'ivan_runs', 'Ivan Petrov', 'Trail runner.', ['fitness', 'hiking']),
  viewer('jade', 'jade_nightowl', 'Jade Martin', 'Listens to jazz while looking at Jupiter.', ['jazz', 'astronomy']),
  viewer('kai', 'kai_ships_it', 'Kai Andersen', 'Cooks while the tests run.', ['programming', 'cooking']),
  viewer('lou', 'lou_collects', 'Louise Dubois', 'Collects records, chess sets and brushes.', ['painting', 'chess', 'jazz']),
]; // prettier-ignore

/** The viewer whose token the seeder prints: the demo's "you". */
export const DEMO_VIEWER = VIEWERS[0]!;

export interface DemoTip {
  tipId: string;
  from: string;
  to: string;
  amountMinor: number;
  currency: string;
}

export const TIPS: DemoTip[] = [
  { tipId: 'demo-tip-alex-mia', from: 'demo-alex', to: 'demo-mia', amountMinor: 500, currency: 'USD' },
  { tipId: 'demo-tip-eli-mia', from: 'demo-eli', to: 'demo-mia', amountMinor: 200, currency: 'USD' },
  { tipId: 'demo-tip-dana-omar', from: 'demo-dana', to: 'demo-omar', amountMinor: 300, currency: 'USD' },
  { tipId: 'demo-tip-gus-theo', from: 'demo-gus', to: 'demo-theo', amountMinor: 1000, currency: 'USD' },
  { tipId: 'demo-tip-bea-lena', from: 'demo-bea', to: 'demo-lena', amountMinor: 250, currency: 'USD' },
  { tipId: 'demo-tip-carlos-ravi', from: 'demo-carlos', to: 'demo-ravi', amountMinor: 400, currency: 'USD' },
];

/** The payments backend the tips come from: tips reach creator stats only through the service-role tip route. */
export const TIP_SERVICE_ID = 'demo-payments';

export interface DemoShow {
  title: string;
  /** Days after today (UTC) and the hour (UTC) it starts. */
  inDays: number;
  hourUtc: number;
  durationMinutes: number;
}

export const STATION = {
  ownerId: 'demo-mia',
  name: 'Late Night Keys',
  description: 'Live jazz piano from Paris: standards, lessons and jam sessions with the chat.',
  shows: [
    { title: 'Standards Night: Autumn Leaves', inDays: 1, hourUtc: 19, durationMinutes: 60 },
    { title: 'Blues Scales Workshop', inDays: 2, hourUtc: 19, durationMinutes: 45 },
    { title: 'Live Q&A: Voicings', inDays: 3, hourUtc: 20, durationMinutes: 30 },
    { title: 'Jam Session with Viewers', inDays: 5, hourUtc: 21, durationMinutes: 90 },
  ] satisfies DemoShow[],
};

/** Typed into Brain Mode by the demo viewer: a command that runs as a workflow (the Temporal UI shows it). */
export const BRAIN_COMMAND = { userId: DEMO_VIEWER.userId, text: 'follow @ravi_on_space' };
