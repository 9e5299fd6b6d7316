// Prometheus text format 0.0.4 / OpenMetrics 1.0 exposition parsing. See parser.ts for the
// visitor contract (when onFamily fires, how families are named).

export { ExpositionError } from './errors';
export { decodeLabels } from './labels';
export { parseExposition, ExpositionStreamParser, type ExpositionFormat, type ParseStats } from './parser';
export { parseToFamilies, type ParsedFamily, type ParsedSample } from './families';

import type { ExpositionFormat } from './parser';

/** application/openmetrics-text → 'openmetrics'; anything else (text/plain, missing) → 'prometheus'. */
export function formatFromContentType(contentType: string | undefined): ExpositionFormat {
  if (!contentType) return 'prometheus';
  const semi = contentType.indexOf(';');
  const media = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return media === 'application/openmetrics-text' ? 'openmetrics' : 'prometheus';
}
