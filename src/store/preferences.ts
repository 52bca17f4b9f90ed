import type { Collection, Db } from 'mongodb';

/**
 * Per-app preference documents, opaque to the platform (bounded by checkPreferenceDocument before writing). Stored
 * serialised: app-chosen keys may contain '.' or start with '$', which MongoDB and FerretDB treat specially.
 */
interface AppPreferencesDoc {
  _id: string;
  identityId: string;
  app: string;
  json: string;
  updatedAt: Date;
}

export interface AppPreferences {
  app: string;
  document: Record<string, unknown>;
  updatedAt: Date;
}

function preferencesCollection(db: Db): Collection<AppPreferencesDoc> {
  return db.collection<AppPreferencesDoc>('identity_preferences');
}

const preferencesId = (identityId: string, app: string): string => `${identityId}:${app}`;

export async function findAppPreferences(db: Db, identityId: string, app: string): Promise<AppPreferences | null> {
  const doc = await preferencesCollection(db).findOne({ _id: preferencesId(identityId, app) });
  return doc && { app, document: JSON.parse(doc.json) as Record<string, unknown>, updatedAt: doc.updatedAt };
}

export async function saveAppPreferences(
  db: Db,
  identityId: string,
  app: string,
  document: Record<string, unknown>,
): Promise<AppPreferences> {
  const updatedAt = new Date();
  const doc = { _id: preferencesId(identityId, app), identityId, app, json: JSON.stringify(document), updatedAt };
  await preferencesCollection(db).replaceOne({ _id: doc._id }, doc, { upsert: true });
  return { app, document, updatedAt };
}
