// Theme colours for the canvases. CSS styles everything else through var(--vscode-*) directly;
// canvases need concrete colours, read here from the same variables (with Dark+ fallbacks) and
// read again when VS Code switches theme (it rewrites <html style> and the body class).

import { mix, over, parseColor, type Rgba } from './heat';

export interface Palette {
  dark: boolean;
  fg: string;
  muted: string;
  bg: string;
  grid: string;
  axis: string;
  blue: string;
  green: string;
  yellow: string;
  orange: string;
  red: string;
  purple: string;
  error: string;
  selection: string;
  /** The load test's span on the service charts. */
  load: string;
  font: string;
  /** Ramp stops of the latency heatmap, few → many observations. */
  heatStops: Rgba[];
}

const FALLBACK: Record<string, string> = {
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-editor-background': '#1e1e1e',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-errorForeground': '#f48771',
  '--vscode-editor-selectionBackground': '#264f78',
  '--vscode-font-family': 'system-ui, -apple-system, "Segoe UI", sans-serif',
};

export function rgba(color: string, alpha: number): string {
  const c = parseColor(color);
  if (!c) return color;
  return `rgba(${Math.round(c[0])},${Math.round(c[1])},${Math.round(c[2])},${+(c[3] * alpha).toFixed(3)})`;
}

/** `color` at `alpha` over the background, as an opaque colour (for areas painted over each other). */
export function opaque(color: string, alpha: number, bg: string): string {
  const c = parseColor(color);
  const b = parseColor(bg);
  if (!c || !b) return rgba(color, alpha);
  const o = over([c[0], c[1], c[2], c[3] * alpha], [b[0], b[1], b[2], 1]);
  return `rgb(${Math.round(o[0])},${Math.round(o[1])},${Math.round(o[2])})`;
}

export function readPalette(): Palette {
  const cs = getComputedStyle(document.documentElement);
  const v = (name: string) => cs.getPropertyValue(name).trim() || FALLBACK[name] || '';
  const bg = v('--vscode-editor-background');
  const fg = v('--vscode-foreground');
  const bgc = parseColor(bg) ?? [30, 30, 30, 1];
  const dark = (bgc[0] * 299 + bgc[1] * 587 + bgc[2] * 114) / 1000 < 128;
  const pal = {
    dark,
    fg,
    muted: v('--vscode-descriptionForeground'),
    bg,
    grid: rgba(fg, dark ? 0.09 : 0.12),
    axis: rgba(fg, 0.75),
    blue: v('--vscode-charts-blue'),
    green: v('--vscode-charts-green'),
    yellow: v('--vscode-charts-yellow'),
    orange: v('--vscode-charts-orange'),
    red: v('--vscode-charts-red'),
    purple: v('--vscode-charts-purple'),
    error: v('--vscode-errorForeground'),
    selection: v('--vscode-editor-selectionBackground'),
    load: v('--vscode-charts-purple'),
    font: v('--vscode-font-family'),
    heatStops: [] as Rgba[],
  };
  const solid = (c: string): Rgba => over(parseColor(c) ?? [128, 128, 128, 1], bgc);
  const opaqueBg: Rgba = [bgc[0], bgc[1], bgc[2], 1];
  // A faint tint of blue for a handful of observations, through blue and yellow, to red for the most.
  pal.heatStops = [mix(opaqueBg, solid(pal.blue), 0.35), solid(pal.blue), solid(pal.yellow), solid(pal.orange), solid(pal.red)];
  return pal;
}

/** Calls `onChange` when VS Code switches colour theme. */
export function watchTheme(onChange: () => void): void {
  let key = themeKey();
  const check = () => {
    const k = themeKey();
    if (k !== key) {
      key = k;
      onChange();
    }
  };
  const mo = new MutationObserver(check);
  mo.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  mo.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
}

function themeKey(): string {
  const cs = getComputedStyle(document.documentElement);
  return [document.body.className, cs.getPropertyValue('--vscode-editor-background'), cs.getPropertyValue('--vscode-foreground'), cs.getPropertyValue('--vscode-charts-blue')].join('|');
}
