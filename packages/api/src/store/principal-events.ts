import type { DatabaseHandle } from '@contox/db';

/** The channel on which server processes sharing a database tell each other which credentials lost their powers. */
const CHANNEL = 'contox_forgotten_credentials';

/** Sends `payload` to every process listening on the database (delivered when this statement commits). */
export async function notifyForgotten(handle: DatabaseHandle, payload: string): Promise<void> {
  await handle.sql?.notify(CHANNEL, payload);
}

/**
 * Calls `onPayload` for each notification from any process (this one included), and `onListening` each time
 * the listening connection is (re)established: notifications sent while it was away are lost.
 */
export async function listenForgotten(
  handle: DatabaseHandle,
  onPayload: (payload: string) => void,
  onListening: () => void,
): Promise<void> {
  await handle.sql?.listen(CHANNEL, onPayload, onListening);
}
