// Baselines and comparison in VS Code (issue 5): the command handlers, and the comparison with
// the default baseline after every load test.

import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { compareWithDefault } from './compare';
import { COMPARISON_VIEW_TYPE, ComparisonPanel } from './panel';

export { saveRunAsBaseline } from './save';
export { captureMetricsWindow } from './capture';
export { compareWithBaseline } from './compare';
export { runAndCompare } from './rerun';
export { exportComparison } from './export';
export { ComparisonPanel } from './panel';

export function registerBaselines(ctx: Ctx): void {
  ComparisonPanel.memento = ctx.extension.workspaceState;
  ctx.extension.subscriptions.push(
    ctx.loadTestFinished.event((o) => void compareWithDefault(ctx, o)),
    vscode.window.registerWebviewPanelSerializer(COMPARISON_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => ComparisonPanel.restore(panel),
    }),
  );
}
