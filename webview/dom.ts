// Tiny DOM builders: elements are made by script (the CSP allows no inline markup styles or handlers).

type Attrs = Record<string, string | number | boolean | null | undefined>;
type Child = Node | string | null | undefined | false;

/** createElement with attributes (false/null/undefined skipped, true = empty) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) for (const [k, v] of Object.entries(attrs)) if (v !== false && v !== null && v !== undefined) el.setAttribute(k, v === true ? '' : String(v));
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/**
 * Sets an element's text only when it changed, by editing its text node in place when it has
 * just one (cheaper to re-lay out than replacing the node, as textContent does).
 */
export function setText(el: Element, text: string): void {
  const f = el.firstChild;
  if (f !== null && f.nodeType === Node.TEXT_NODE && f.nextSibling === null) {
    if ((f as Text).data !== text) (f as Text).data = text;
  } else if (el.textContent !== text) el.textContent = text;
}

export function setHidden(el: HTMLElement, hidden: boolean): void {
  if (el.hidden !== hidden) el.hidden = hidden;
}

export function toggleClass(el: Element, name: string, on: boolean): void {
  if (el.classList.contains(name) !== on) el.classList.toggle(name, on);
}

/** Sets an attribute only when it changed. */
export function setAttr(el: Element, name: string, value: string | null): void {
  if (value === null) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}
