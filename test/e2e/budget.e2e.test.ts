import ExcelJS from 'exceljs';
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

const POLL = { timeout: 60_000, interval: 100 };

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer('budget');
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

async function paintedPixels(canvas: Locator): Promise<number> {
  return await canvas.evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d');
    if (!ctx) return 0;
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 16) if (data[i] > 0) painted++;
    return painted;
  });
}

async function chooseReform(page: Page, label: string) {
  await page.locator('#budget_reform').click();
  const open = page.locator('.ant-select-dropdown:visible');
  await expect.poll(() => open.count(), POLL).toBe(1);
  await open.locator('.ant-select-item-option', { hasText: label }).first().click();
  await expect.poll(() => open.count(), POLL).toBe(0);
}

/** Picks one year as both ends of the year range picker. */
async function chooseYears(page: Page, from: number, to: number) {
  await page.locator('#budget_years').click();
  const panel = page.locator('.ant-picker-dropdown:visible');
  await panel.waitFor();
  await panel.locator(`.ant-picker-cell[title="${from}"]`).first().click();
  await panel.locator(`.ant-picker-cell[title="${to}"]`).first().click();
  await expect.poll(() => page.locator('.ant-picker-dropdown:visible').count(), POLL).toBe(0);
}

describe('budget simulation (planners)', () => {
  it('runs the third-child-10000 reform for 2025 with a progress bar, then shows and exports the results', async () => {
    const { context, page, errors } = await newPage(browser);
    await signInStaff(page, server.url, 'city-admin');
    await page.waitForURL('**/childcare/targets');
    await page.locator('.app-menu').getByText('预算测算').click();
    await page.waitForURL('**/planning/budget');
    await page.locator('[data-testid=budget-run]').waitFor();

    await chooseReform(page, '三孩一次性生育补贴提高到10000元');
    await chooseYears(page, 2025, 2025);
    await page.locator('#budget_persons').fill('200000');
    await page.locator('#budget_persons').blur();
    await screenshot(page, 'budget-form', false);
    await page.locator('[data-testid=budget-run]').click();

    // Progress first (queued or running), then the result.
    const progress = page.locator('[data-testid=budget-progress]');
    await progress.waitFor();
    expect(await progress.locator('.ant-progress').count()).toBe(1);
    await expect.poll(() => progress.getAttribute('data-state'), POLL).toBe('succeeded');
    const results = page.locator('[data-testid=budget-results]');
    await results.waitFor();

    // KPIs: current law, the reform and a positive difference; families gaining.
    const diff = page.locator('[data-testid=kpi-difference]');
    expect(Number(await diff.getAttribute('data-value'))).toBeGreaterThan(0);
    expect(await visibleText(diff)).toMatch(/\+[\d,.]+ 万元/);
    expect(await visibleText(page.locator('[data-testid=kpi-current]'))).toMatch(/[\d,.]+ 万元/);
    expect(await visibleText(page.locator('[data-testid=kpi-families]'))).toMatch(/[1-9][\d,]* \/ 0/);
    expect(await visibleText(results)).toContain('合成人口 200,000 人');

    // Both charts are drawn; the area chart names the areas.
    for (const id of ['budget-chart-programmes', 'budget-chart-areas']) {
      const canvas = page.locator(`[data-testid=${id}] canvas`).first();
      await canvas.waitFor();
      await expect.poll(() => paintedPixels(canvas), POLL).toBeGreaterThan(1000);
    }
    // The table: the one-time subsidy row carries the difference.
    const table = page.locator('[data-testid=budget-table]');
    const subsidyRow = table.locator('tr.ant-table-row', { hasText: '一次性生育补贴' });
    expect(await visibleText(subsidyRow)).toMatch(/\+[\d,.]+ 万元/);
    expect(await visibleText(page.locator('[data-testid=budget-notes]'))).toContain('12 月 31 日');
    await screenshot(page, 'budget-results');

    // Excel: one sheet per view, the summary's difference positive.
    const download = page.waitForEvent('download');
    await page.locator('[data-testid=budget-export]').click();
    const file = await (await download).path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file!);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '按项目', '按管理区', '说明']);
    const summary = wb.getWorksheet('汇总')!;
    let found = false;
    summary.eachRow((row) => {
      if (row.getCell(1).value === 2025) {
        found = true;
        expect(Number(row.getCell(2).value)).toBeGreaterThan(0);
        expect(Number(row.getCell(4).value)).toBeGreaterThan(0);
        expect(Number(row.getCell(5).value)).toBeGreaterThan(0);
      }
    });
    expect(found).toBe(true);
    const areas: string[] = [];
    wb.getWorksheet('按管理区')!.eachRow((row) => {
      areas.push(String(row.getCell(2).value));
    });
    expect(areas).toContain('五华区');
    expect(areas).toContain('昆明市外户籍');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('works for an area administrator on a 390-px phone (current law, three years)', async () => {
    const { context, page, errors } = await newPage(browser, { width: 390, height: 844, mobile: true });
    await signInStaff(page, server.url, 'area-admin-wuhua');
    await page.waitForURL('**/childcare/targets');
    await page.goto(`${server.url}/planning/budget`);
    await page.locator('[data-testid=budget-run]').waitFor();
    await page.locator('#budget_persons').fill('50000');
    await page.locator('#budget_persons').blur();
    await page.locator('[data-testid=budget-run]').click();
    await page.locator('[data-testid=budget-results]').waitFor({ timeout: 60_000 });
    const canvas = page.locator('[data-testid=budget-chart-areas] canvas').first();
    await expect.poll(() => paintedPixels(canvas), POLL).toBeGreaterThan(1000);
    expect(await page.locator('[data-testid=kpi-difference]').count()).toBe(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'budget-phone');
    // English: the KPI money reads in yuan with separators.
    await page.locator('[data-testid=lang-switch]').click();
    await expect.poll(() => visibleText(page.locator('h1').first()), POLL).toBe('Budget simulation');
    expect(await visibleText(page.locator('[data-testid=kpi-current]'))).toMatch(/¥[\d,]+/);
    expect(errors).toEqual([]);
    await context.close();
  });
});
