import { existsSync } from 'node:fs';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

/** Debian's chromium, as .ci/run installs it; CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const DEMO_PASSWORD = 'Demo-Adgang-2026!';

/** Headless chromium driven by playwright-core, without the background traffic a fresh profile makes. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `No browser at ${CHROMIUM}: .ci/run installs Debian's chromium (apt-get install chromium)`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A fresh browser profile (its own cookies) signed in through the login page as `username`. */
export async function signedIn(
  browser: Browser,
  url: string,
  username: string,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.fill('#username', username);
  await page.fill('#password', DEMO_PASSWORD);
  // The login answers with the home (GET /), which sends each role on to its own page.
  await Promise.all([
    page.waitForURL((landed) => landed.pathname !== '/' && !landed.pathname.startsWith('/login')),
    page.click('button[type=submit]'),
  ]);
  return page;
}
