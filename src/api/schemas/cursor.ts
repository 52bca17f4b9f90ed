import { unprocessable } from '../problems.js';

/**
 * Cursors are opaque to clients: base64url of a small JSON position (e.g. `{ after: '...' }`), so a route can change
 * what it keeps in one without breaking a client, and a client cannot mistake one for something to build by hand.
 */
export function encodeCursor(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/**
 * The position a cursor carries, checked by `isPosition`; a cursor that does not decode to one is a client error
 * (422 naming `/cursor`: the request is well-formed, its cursor just was never issued by this list), never a 500.
 */
export function decodeCursor<T>(cursor: string, isPosition: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!isPosition(value)) {
    throw unprocessable('The cursor is not valid; start again without one', [
      { path: '/cursor', message: 'not a cursor this list returned' },
    ]);
  }
  return value;
}
