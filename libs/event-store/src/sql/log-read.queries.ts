import { LOG_COLUMNS, LOG_COLUMNS_WITHOUT_METADATA } from './event-rows';
import { READ_SQL } from './event-read.queries';

/**
 * readAll's page without the metadata column (ReadAllOptions.metadata false). Derived from
 * READ_SQL.readAll so the two cannot disagree on which rows a page holds; a readAll that no longer
 * selects LOG_COLUMNS fails here, at load, instead of reading another page.
 */
function withoutMetadata(query: string): string {
  if (!query.includes(LOG_COLUMNS)) throw new Error('READ_SQL.readAll no longer selects LOG_COLUMNS: derive its metadata-free form anew');
  return query.replace(LOG_COLUMNS, LOG_COLUMNS_WITHOUT_METADATA);
}

export const READ_ALL_WITHOUT_METADATA = withoutMetadata(READ_SQL.readAll);
