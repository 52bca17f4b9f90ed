/**
 * An action refused by a platform rule, named in REST terms. The rules that both the API and Brain Mode steps apply
 * (ownership, the social graph) throw it; the API's error handler turns it into problem+json with `status`, and a
 * Brain Mode step records `code` and `status` in the command, so a command is refused exactly as REST would be.
 */
export type RefusalCode = 'bad_request' | 'forbidden' | 'not_found' | 'conflict' | 'unprocessable' | 'rate_limited';

const STATUS: Readonly<Record<RefusalCode, number>> = {
  bad_request: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  rate_limited: 429,
};

export interface RefusalField {
  /** JSON pointer into the request, as in a problem's `errors`. */
  path: string;
  message: string;
}

export class Refusal extends Error {
  readonly status: number;

  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly fields?: RefusalField[],
    /** For rate_limited: when the caller's budget is back. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'Refusal';
    this.status = STATUS[code];
  }
}
