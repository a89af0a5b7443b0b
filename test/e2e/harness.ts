/**
 * Browser-test harness: the real server in process on a free port with a fresh temp data
 * dir and the demo seed, and Debian's Chromium driven by playwright-core.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as OTPAuth from 'otpauth';
import { pino } from 'pino';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { lastCodeFor } from '../../src/server/auth/sms.ts';
import { createLogger } from '../../src/server/logger.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD, DEMO_TOTP_SECRETS } from '../../src/server/seed/demo-accounts.ts';
import { startServer } from '../../src/server/start.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOTS = path.join(ROOT, 'test-results/screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export { DEMO_CITIZEN_ID, DEMO_PASSWORD };

export type TestServer = {
  url: string;
  dataDir: string;
  logFile: string;
  close(): Promise<void>;
};

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The real server with a fresh database (seeded demo accounts and family). */
export async function startTestServer(name = 'e2e'): Promise<TestServer> {
  if (!existsSync(path.join(ROOT, 'web/dist/index.html'))) {
    throw new Error('web/dist is missing: run `npm run build:web` (the e2e global setup does this)');
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `junheng-${name}-`));
  await mkdir(path.join(ROOT, 'test-results'), { recursive: true });
  const logFile = path.join(ROOT, `test-results/${name}-server.log`);
  // The platform's own logger (it masks ID and phone numbers), written to a file.
  const logger = createLogger('info', pino.destination({ dest: logFile, sync: true }));
  const port = await freePort();
  const started = await startServer({ port, host: '127.0.0.1', dataDir, seed: true, logger, env: 'test' });
  return {
    url: started.url,
    dataDir,
    logFile,
    async close() {
      await started.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The current 6-digit code of a demo account's authenticator. */
export function totpCode(username: string): string {
  const secret = DEMO_TOTP_SECRETS[username];
  if (!secret) throw new Error(`no demo TOTP secret for ${username}`);
  return new OTPAuth.TOTP({
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: OTPAuth.Secret.fromBase32(secret),
  }).generate();
}

/** The last SMS sign-in code the development gateway "sent" for an ID number. */
export function smsCodeFor(idNumber: string): string | undefined {
  return lastCodeFor(idNumber.toUpperCase());
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install chromium)`);
  }
  return await chromium.launch({
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

/** A fresh context (own cookies and localStorage); page errors fail loudly in the log. */
export async function newPage(
  browser: Browser,
  opts: { width?: number; height?: number; mobile?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1440, height: opts.height ?? 900 },
    deviceScaleFactor: opts.mobile ? 2 : 1,
    isMobile: opts.mobile ?? false,
    hasTouch: opts.mobile ?? false,
    acceptDownloads: true,
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/** Signs in through the 工作人员登录 form (username, password, TOTP). */
export async function signInStaff(page: Page, baseUrl: string, username: string, totp = totpCode(username)) {
  await page.goto(`${baseUrl}/login`);
  await page.locator('#staff-login_username').fill(username);
  await page.locator('#staff-login_password').fill(DEMO_PASSWORD);
  await page.locator('[data-testid=totp] input').first().click();
  await page.keyboard.type(totp);
  await page.locator('[data-testid=staff-submit]').click();
}

/** Signs in through the 群众登录 form: ID number, 发送验证码, the SMS code from the dev outbox. */
export async function signInCitizen(page: Page, baseUrl: string, idNumber = DEMO_CITIZEN_ID) {
  await page.goto(`${baseUrl}/login#citizen`);
  await page.locator('#citizen-login_idNumber').fill(idNumber);
  await page.locator('[data-testid=send-code]').click();
  await page.locator('[data-testid=code-sent]').waitFor();
  const code = smsCodeFor(idNumber);
  if (!code) throw new Error('the dev SMS outbox has no code for the demo citizen');
  await page.locator('[data-testid=sms-code]').fill(code);
  await page.locator('[data-testid=citizen-submit]').click();
}
