// Baselines and comparison in VS Code (issue 5): the command handlers, and the comparison with
// the default baseline after every load test.

import type { Ctx } from '../ctx';
import { compareWithDefault } from './compare';

export { saveRunAsBaseline } from './save';
export { captureMetricsWindow } from './capture';
export { compareWithBaseline } from './compare';
export { runAndCompare } from './rerun';
export { exportComparison } from './export';
export { ComparisonPanel } from './panel';

export function registerBaselines(ctx: Ctx): void {
  ctx.extension.subscriptions.push(ctx.loadTestFinished.event((o) => void compareWithDefault(ctx, o)));
}
