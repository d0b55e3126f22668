// Renders the first screen (header and the say-what-you-know screen of a
// fresh session, zh-CN) of a built site with the element's own code in
// Debian's Chromium, and writes it into DIR/index.html as a declarative
// shadow root, so it is on screen and usable after the first round trip
// while the wasm loads. Test hooks are removed (the static screen is not
// the engine's: the element keeps what is typed or tapped on it and
// applies it once ready; the controls it needs for that are kept as
// data-pre-*) and so are style attributes (the CSP allows none).
//   node tests/e2e/tools/prerender.mjs DIR
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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
    const link = root.querySelector('link[rel="stylesheet"]').cloneNode();
    link.setAttribute('href', new URL(link.href).pathname);
    return link.outerHTML + pd.outerHTML;
  }, ['data-fact', 'data-value', 'data-observation', 'data-story', 'data-opening-done', 'data-chips-more']);
  // Root-relative paths from the test server become page-relative.
  const snapshot = html.replaceAll('href="/', 'href="./');
  writeFileSync(indexPath, index.replace('<pos-doctor></pos-doctor>',
    `<pos-doctor><template shadowrootmode="open">${snapshot}</template></pos-doctor>`));
  console.error(`    prerendered the say-what-you-know screen into ${path.relative(process.cwd(), indexPath)} (${snapshot.length} bytes)`);
} finally {
  await browser.close();
  await server.close?.();
}
