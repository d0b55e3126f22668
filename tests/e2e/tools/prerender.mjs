// Renders the first screen (header and the say-what-you-know screen of a
// fresh session, zh-CN) of a built site with the element's own code in
// Debian's Chromium, and writes it into DIR/index.html as a declarative
// shadow root, so it is on screen and usable after the first round trip
// while the wasm loads. Test hooks are removed (the static screen is not
// the engine's: the element keeps what is typed or tapped on it and
// applies it once ready; the controls it needs for that are kept as
// data-pre-*) and so are style attributes (the CSP allows none). Its
// styles come with it, so it is styled after that one round trip too: the
// rules of pos-doctor.css that can apply to it, in one <style> that the
// CSP lists by its hash (tests/e2e/server.mjs cspFor; the policy is printed
// here for hosts).
//   node tests/e2e/tools/prerender.mjs DIR
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { startServer } from '../server.mjs';

const dir = path.resolve(process.argv[2] || 'dist');
const indexPath = path.join(dir, 'index.html');
const index = readFileSync(indexPath, 'utf8');
if (!index.includes('<pos-doctor></pos-doctor>')) {
  console.error(`prerender: ${indexPath} has no empty <pos-doctor></pos-doctor> (already prerendered?)`);
  process.exit(1);
}
const server = await startServer(dir, 0);
const base = server.url || `http://127.0.0.1:${server.port}/`;
const browser = await chromium.launch({
  executablePath: process.env.POSDOCTOR_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ locale: 'zh-CN', serviceWorkers: 'block', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(base);
  await page.waitForSelector('pos-doctor[data-ready]', { timeout: 30000 });
  await page.waitForSelector('pos-doctor >> [data-opening]', { timeout: 10000 });
  const html = await page.evaluate((KEPT) => {
    const root = document.querySelector('pos-doctor').shadowRoot;
    const pd = root.querySelector('.pd').cloneNode(true);
    for (const sel of ['.pd-body', '.pd-notices']) pd.querySelector(sel)?.replaceChildren();
    for (const el of [pd, ...pd.querySelectorAll('*')]) {
      for (const { name, value } of [...el.attributes]) {
        if (KEPT.includes(name)) el.setAttribute(name.replace('data-', 'data-pre-'), value);
        if (name === 'style' || name === 'aria-busy' || (name.startsWith('data-') && !name.startsWith('data-pre-'))) {
          el.removeAttribute(name);
        }
      }
    }
    // The stylesheet's rules that can match an element of the static
    // screen, in any state: attribute conditions and user-action pseudo
    // classes are left out of the match (a chip pressed, a box focused).
    const live = root.querySelector('.pd');
    const shown = [live, ...live.querySelectorAll('*')].filter((el) => !el.closest('.pd-body, .pd-notices') || el.matches('.pd-body, .pd-notices'));
    const applies = (selector) => selector.split(',').some((part) => {
      if (part.includes(':host')) return true;
      const bare = part.replace(/\[[^\]]*\]/g, '').replace(/::?(before|after|placeholder|hover|focus-visible|focus-within|focus|active)\b/g, '').trim();
      if (!bare || /[>+~]$/.test(bare)) return true;
      try {
        return shown.some((el) => el.matches(bare));
      } catch {
        return true;
      }
    });
    const keep = (rules) => [...rules].map((rule) => {
      if (rule instanceof CSSStyleRule) return applies(rule.selectorText) ? rule.cssText : '';
      if (rule instanceof CSSMediaRule) {
        const inner = keep(rule.cssRules);
        return inner ? `@media ${rule.conditionText}{${inner}}` : '';
      }
      return rule.cssText;
    }).join('');
    const sheet = root.querySelector('link[rel="stylesheet"]').sheet;
    return { css: keep(sheet.cssRules), html: pd.outerHTML };
  }, ['data-fact', 'data-value', 'data-observation', 'data-story', 'data-opening-done', 'data-chips-more']);
  if (/<\/style/i.test(html.css)) throw new Error('prerender: the stylesheet holds "</style"');
  const snapshot = `<style>${html.css}</style>${html.html}`;
  writeFileSync(indexPath, index.replace('<pos-doctor></pos-doctor>',
    `<pos-doctor><template shadowrootmode="open">${snapshot}</template></pos-doctor>`));
  const hash = createHash('sha256').update(html.css, 'utf8').digest('base64');
  console.error(`    prerendered the say-what-you-know screen into ${path.relative(process.cwd(), indexPath)} (${snapshot.length} bytes, ${html.css.length} of them styles)`);
  console.error(`    its styles need this in the Content-Security-Policy: style-src 'self' 'sha256-${hash}'`);
} finally {
  await browser.close();
  await server.close?.();
}
