import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's chromium, headless, through playwright-core. Without the background
 * networking flags it tries Google's hosts at start, which this closed network refuses.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
