import type { Browser, Locator, Page } from 'playwright-core';
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
const FULL_ID = /\b\d{17}[\dX]\b/;

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer('search');
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

async function searchByName(page: Page, name: string) {
  await page.goto(`${page.url().split('/').slice(0, 3).join('/')}/registry/search`);
  await page.locator('[data-testid=search-name]').fill(name);
  await page.locator('[data-testid=search-submit]').click();
  await page.locator('[data-testid=search-results]').waitFor();
}

describe('person search (staff)', () => {
  it('finds the demo family in 五华区 as staff-health-wuhua and opens the masked record', async () => {
    const { context, page, errors } = await newPage(browser);
    await signInStaff(page, server.url, 'staff-health-wuhua');
    await page.waitForURL('**/workbench');
    // The workbench placeholder points to person search.
    await page.locator('[data-testid=workbench-search-link]').click();
    await page.waitForURL('**/registry/search');
    await page.locator('[data-testid=search-name]').fill('李');
    await page.locator('[data-testid=search-submit]').click();
    const results = page.locator('[data-testid=search-results]');
    await results.waitFor();
    const row = results.locator('tr.ant-table-row', { hasText: '李秀英' });
    await row.waitFor();
    expect(await visibleText(row)).toContain('五华区');
    expect(await visibleText(row)).toMatch(/5301\*+\d{3}[\dX]/);
    expect(await visibleText(page.locator('main, .app-content').first())).not.toMatch(FULL_ID);
    await screenshot(page, 'search-staff-wuhua', false);

    await row.locator('[data-testid=person-open]').click();
    const detail = page.locator('[data-testid=person-detail]');
    await detail.waitFor();
    expect(await visibleText(detail)).toContain('李秀英');
    expect(await visibleText(page.locator('[data-testid=detail-id-masked]'))).toMatch(/^5301\*+\d{3}[\dX]$/);
    // Staff may not reveal.
    expect(await page.locator('[data-testid=reveal]').count()).toBe(0);
    expect(await visibleText(page.locator('.person-drawer'))).toContain('只能查看脱敏');
    expect(await visibleText(page.locator('.person-drawer'))).not.toMatch(FULL_ID);
    await page.waitForTimeout(300); // the drawer's slide-in
    await screenshot(page, 'search-drawer-staff', false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('finds nobody in 五华区 as staff-health-panlong', async () => {
    const { context, page, errors } = await newPage(browser);
    await signInStaff(page, server.url, 'staff-health-panlong');
    await page.waitForURL('**/workbench');
    await searchByName(page, '李');
    const areas = await page
      .locator('[data-testid=search-results] [data-testid=person-area]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    expect(areas).not.toContain('530102');
    expect(await visibleText(page.locator('[data-testid=search-results]'))).not.toContain('李秀英');
    await screenshot(page, 'search-staff-panlong', false);
    // The same account does find the people of its own area.
    await searchByName(page, '赵');
    const own = page.locator('[data-testid=search-results] tr.ant-table-row', { hasText: '赵丽' });
    await own.waitFor();
    expect(await visibleText(own)).toContain('盘龙区');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reveals the full number to area-admin-wuhua for a stated reason, for 30 seconds, and audits it', async () => {
    const { context, page, errors } = await newPage(browser, { width: 390, height: 844, mobile: true });
    await page.clock.install();
    await signInStaff(page, server.url, 'area-admin-wuhua');
    await page.waitForURL('**/childcare/targets');
    await searchByName(page, '李');
    const row = page.locator('[data-testid=search-results] tr.ant-table-row', { hasText: '李秀英' });
    await row.waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'search-phone');
    await row.locator('[data-testid=person-open]').click();
    await page.locator('[data-testid=person-detail]').waitFor();

    await page.locator('[data-testid=reveal]').click();
    const modal = page.locator('.ant-modal:visible');
    await modal.waitFor();
    expect(await visibleText(modal)).toContain('审计日志');
    // Too short a reason is refused before anything is sent.
    await page.locator('[data-testid=reveal-reason]').fill('核对');
    await page.locator('[data-testid=reveal-confirm]').click();
    await expect.poll(() => visibleText(modal), POLL).toContain('至少 4 个字');
    await page.locator('[data-testid=reveal-reason]').fill('核对生育补贴申请材料');
    await page.waitForTimeout(200);
    await screenshot(page, 'search-reveal-reason', false);
    await page.locator('[data-testid=reveal-confirm]').click();

    const number = page.locator('[data-testid=revealed-number]');
    await number.waitFor();
    const id = (await visibleText(number)).trim();
    expect(id).toHaveLength(18);
    expect(id).toMatch(/^530102\d{11}[\dX]$/);
    expect(await visibleText(page.locator('[data-testid=revealed]'))).toContain('审计');
    await expect.poll(() => page.locator('.ant-modal:visible').count(), POLL).toBe(0);
    await screenshot(page, 'search-revealed', false);

    // 30 seconds later it is gone and the masked number is all that is left.
    await page.clock.fastForward(31_000);
    await expect.poll(() => number.count(), POLL).toBe(0);
    await page.locator('[data-testid=reveal]').waitFor();
    expect(await visibleText(page.locator('.person-drawer'))).not.toMatch(FULL_ID);
    expect(errors).toEqual([]);
    await context.close();

    // The auditor sees the reveal, with its action, in the audit log.
    const auditor = await newPage(browser);
    await signInStaff(auditor.page, server.url, 'auditor');
    await auditor.page.waitForURL('**/audit');
    await auditor.page.locator('[data-testid=audit-table] tbody tr.ant-table-row').first().waitFor();
    expect(await visibleText(auditor.page.locator('[data-testid=audit-table] tbody'))).toContain(
      'person.reveal_id',
    );
    await auditor.context.close();
  });
});
