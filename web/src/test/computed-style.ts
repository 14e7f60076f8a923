// getComputedStyle for component tests, limited to what they depend on.
//
// jsdom's own runs the whole cascade: every rule of every style sheet matched against the
// element. antd's CSS-in-JS writes thousands of rules, and testing-library's role queries ask
// for the style of every element they pass (dom-accessibility-api: display and visibility of
// each node and its ::before/::after content for accessible names; user-event: pointer-events
// before a click), so that matching was about 70% of the web tier's CPU (a profile of
// JobWizard.cronjob.test.tsx: @asamuzakjp/dom-selector under dom-accessibility-api).
//
// This one gives the same answers for the properties those libraries read: display, visibility
// and pointer-events from the rules that set one of them (in document order, as jsdom applies
// rules), the element's inline style over them, visibility and pointer-events inherited, and an
// element's default display (what jsdom computes for a bare element of its tag). Pseudo
// elements have no content (jsdom does not implement them either).
const KEYS = ['display', 'visibility', 'pointer-events'] as const;
const INHERITED = new Set<string>(['visibility', 'pointer-events']);

interface RelevantRule {
  selector: string;
  values: [string, string][];
}

export function installFastComputedStyle(): void {
  const original = window.getComputedStyle.bind(window);
  const defaultDisplay = new Map<string, string>();
  let cachedSignature = '';
  let cachedRules: RelevantRule[] = [];

  const relevantRules = (): RelevantRule[] => {
    const sheets = Array.from(document.styleSheets);
    const signature = sheets.map((s) => s.cssRules.length).join(',');
    if (signature === cachedSignature) return cachedRules;
    const rules: RelevantRule[] = [];
    for (const sheet of sheets) {
      for (const rule of Array.from(sheet.cssRules)) {
        if (!(rule instanceof CSSStyleRule)) continue;
        const values = KEYS.map((k) => [k, rule.style.getPropertyValue(k)] as [string, string]).filter(([, v]) => v !== '');
        if (values.length) rules.push({ selector: rule.selectorText, values });
      }
    }
    cachedSignature = signature;
    cachedRules = rules;
    return rules;
  };

  const own = (el: Element, rules: RelevantRule[]): Map<string, string> => {
    const values = new Map<string, string>();
    for (const rule of rules) {
      let matches = false;
      try {
        matches = el.matches(rule.selector);
      } catch {
        // A selector jsdom cannot parse matches nothing, as in its own cascade.
      }
      if (matches) for (const [k, v] of rule.values) values.set(k, v);
    }
    const inline = (el as HTMLElement).style;
    if (inline) for (const k of KEYS) if (inline.getPropertyValue(k)) values.set(k, inline.getPropertyValue(k));
    return values;
  };

  const compute = (el: Element, rules: RelevantRule[]): Map<string, string> => {
    const values = own(el, rules);
    const parent = el.parentElement;
    if (parent && KEYS.some((k) => INHERITED.has(k) && !values.has(k))) {
      const inherited = compute(parent, rules);
      for (const k of INHERITED) if (!values.has(k) && inherited.has(k)) values.set(k, inherited.get(k)!);
    }
    if (!values.has('display')) {
      const tag = el.localName;
      if (!defaultDisplay.has(tag)) defaultDisplay.set(tag, original(document.createElementNS(el.namespaceURI, el.localName)).display);
      values.set('display', defaultDisplay.get(tag)!);
    }
    return values;
  };

  window.getComputedStyle = ((el: Element, pseudo?: string | null) => {
    const style = document.createElement('div').style;
    if (pseudo) return style;
    const inline = (el as HTMLElement).style;
    if (inline?.cssText) style.cssText = inline.cssText;
    for (const [k, v] of compute(el, relevantRules())) style.setProperty(k, v);
    if (!style.getPropertyValue('visibility')) style.setProperty('visibility', 'visible');
    if (!style.getPropertyValue('pointer-events')) style.setProperty('pointer-events', 'auto');
    return style;
  }) as typeof window.getComputedStyle;
}
