/** Errors the safety and cleanup code raise with a message meant for the user, as it is. */

/** A file or folder Arbor was asked to change but must not: read-only by permission or by the user's choice. */
export class ReadOnlyStoreError extends Error {
  override name = 'ReadOnlyStoreError';
}

/** Another process held the store's lock for longer than Arbor waits; nothing was changed. */
export class StoreLockedError extends Error {
  override name = 'StoreLockedError';
}

/** A backup id that is not in the trash, or a trash entry that cannot be read. */
export class TrashError extends Error {
  override name = 'TrashError';
}
