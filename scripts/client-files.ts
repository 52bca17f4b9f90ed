import { join } from 'node:path';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { REPO_ROOT } from '../src/dev/tools.js';

export const CLIENT_DIR = join(REPO_ROOT, 'clients', 'typescript');

/**
 * The files of clients/typescript generated from the API's OpenAPI document (as served with DEV_TOKENS off, as in
 * production): the document itself and its types (openapi-typescript). Left as the generators write them
 * (prettier and eslint skip them), so regenerating is byte-for-byte repeatable.
 */
export async function generatedClientFiles(document: object): Promise<Record<string, string>> {
  const types = COMMENT_HEADER + astToString(await openapiTS(document as Parameters<typeof openapiTS>[0]));
  return {
    [join(CLIENT_DIR, 'openapi.json')]: `${JSON.stringify(document, null, 2)}\n`,
    [join(CLIENT_DIR, 'src', 'schema.ts')]: types,
  };
}
