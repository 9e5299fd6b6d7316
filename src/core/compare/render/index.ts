// The comparison report's renderers, one import for the CLI and the extension.

import type { ComparisonReport } from '../report';

export { renderText } from './text';
export { renderMarkdown } from './markdown';
export { renderHtml, type HtmlOptions } from './html';

/** The report itself, as JSON (unknown numbers are null). */
export function renderJson(r: ComparisonReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
