import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  newPage,
  screenshot,
  signInStaff,
  startTestServer,
  type TestServer,
} from './harness.ts';

const POLL = { timeout: 15_000, interval: 100 };

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer('audit');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function visibleText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText(), not the DOM property
  return locator.innerText();
}

describe('audit log (auditor)', () => {
  it('shows the rows, filters by action and says the chain is intact', async () => {
    const { context, page, errors } = await newPage(browser);
    await signInStaff(page, server.url, 'auditor');
    await page.waitForURL('**/audit');
    const rows = page.locator('[data-testid=audit-table] tbody tr.ant-table-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(0);
    // Newest first: the auditor's own sign-in is on the first page.
    const all = await visibleText(page.locator('[data-testid=audit-table] tbody'));
    expect(all).toContain('auth.sign_in');
    expect(all).toContain('工作人员登录');
    await screenshot(page, 'audit-table', false);

    // Filter by action: only sign-ins remain.
    await page.locator('[data-testid=audit-action]').click();
    await page.keyboard.type('auth.sign_in');
    const open = page.locator('.ant-select-dropdown:visible');
    await open.locator('.ant-select-item-option', { hasText: '(auth.sign_in)' }).first().click();
    await expect.poll(() => open.count(), POLL).toBe(0);
    await expect
      .poll(async () => {
        const texts = await rows.allInnerTexts();
        return texts.length > 0 && texts.every((t) => t.includes('auth.sign_in'));
      }, POLL)
      .toBe(true);

    // The chain check.
    await page.locator('[data-testid=verify-chain]').click();
    const result = page.locator('[data-testid=verify-result]');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await visibleText(result)).toContain('审计链完整');
    await screenshot(page, 'audit-verified', false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('pages back with "load older" (beforeId = the last row shown)', async () => {
    const { context, page, errors } = await newPage(browser);
    // The demo log is shorter than a page: the first page is a full synthetic one (ids 1100–1001),
    // so the button appears; the next request must ask for rows before 1001 and gets the real ones.
    const requested: string[] = [];
    await page.route('**/api/v1/audit?*', async (route) => {
      const url = new URL(route.request().url());
      requested.push(url.search);
      if (url.searchParams.has('beforeId')) return route.continue();
      const rows = Array.from({ length: 100 }, (_, i) => ({
        id: 1100 - i,
        occurredAt: '2026-01-01T00:00:00.000Z',
        actorId: 1,
        actorRole: 'city_admin',
        actorArea: null,
        action: 'person.search',
        subjectType: null,
        subjectId: null,
        outcome: 'success',
        requestId: null,
        hash: 'f'.repeat(64),
      }));
      await route.fulfill({ json: { rows } });
    });
    await signInStaff(page, server.url, 'auditor');
    await page.waitForURL('**/audit');
    const rows = page.locator('[data-testid=audit-table] tbody tr.ant-table-row');
    await expect.poll(() => rows.count(), POLL).toBe(100);
    await page.locator('[data-testid=audit-older]').click();
    await expect.poll(() => rows.count(), POLL).toBeGreaterThan(100);
    expect(requested.at(-1)).toContain('beforeId=1001');
    expect(await page.locator('[data-testid=audit-older]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('fits a 390-px phone', async () => {
    const { context, page, errors } = await newPage(browser, { width: 390, height: 844, mobile: true });
    await signInStaff(page, server.url, 'auditor');
    await page.waitForURL('**/audit');
    await page.locator('[data-testid=audit-table] tbody tr.ant-table-row').first().waitFor();
    await page.locator('[data-testid=verify-chain]').click();
    await page.locator('[data-testid=verify-result]').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'audit-phone');
    expect(errors).toEqual([]);
    await context.close();
  });
});
