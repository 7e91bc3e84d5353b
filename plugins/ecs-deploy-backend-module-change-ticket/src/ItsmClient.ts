/*
 * The ITSM's change API as the gate reads it: `GET <baseUrl>/api/changes/<id>` with the portal's
 * bearer token → `{ id, state, title }`, 404 for an unknown ticket.
 */
import { ResponseError } from '@backstage/errors';

/** A change ticket as the ITSM has it. */
export interface Change {
  id: string;
  state: string;
  title?: string;
}

export class ItsmClient {
  constructor(private readonly options: { baseUrl: string; token?: string }) {}

  /** The ticket, or undefined when the ITSM has none by that id; throws when it cannot say. */
  async change(id: string, signal: AbortSignal): Promise<Change | undefined> {
    const res = await fetch(
      `${this.options.baseUrl}/api/changes/${encodeURIComponent(id)}`,
      {
        headers: {
          accept: 'application/json',
          ...(this.options.token && {
            authorization: `Bearer ${this.options.token}`,
          }),
        },
        signal,
      },
    );
    if (res.status === 404) return undefined;
    if (!res.ok) throw await ResponseError.fromResponse(res);
    const change = (await res.json()) as Change;
    if (typeof change?.state !== 'string') {
      throw new Error(`the ITSM answered ${JSON.stringify(change)} for ${id}`);
    }
    return change;
  }
}
