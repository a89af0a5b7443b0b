/**
 * 人口登记 in the browser: department imports (refusals, report, rejects, Excel), the fused
 * person record with its sources, the review queue and the quality dashboard.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../src/domain/id-number.ts';
import { FEEDS } from '../../src/synth/feeds/specs.ts';
import {
  launchBrowser,
  newPage,
  screenshot,
  signInStaff,
  startTestServer,
  type TestServer,
} from './harness.ts';

const POLL = { timeout: 30_000, interval: 100 };
/** A full (unmasked) 18-character ID number anywhere in a text. */
const FULL_ID = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/;

let server: TestServer;
let browser: Browser;
let dir: string;

type Row = Record<string, string | null>;

function feed(id: string) {
  const f = FEEDS.find((x) => x.id === id);
  if (!f) throw new Error(`no feed ${id}`);
  return f;
}

function csvText(feedId: string, rows: Row[], headers?: string[]): string {
  const f = feed(feedId);
  const cell = (v: string | null | undefined) =>
    v === null || v === undefined ? '' : /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
  const head = headers ?? f.columns.map((c) => c.header);
  return [head.join(','), ...rows.map((r) => f.columns.map((c) => cell(r[c.key])).join(','))]
    .map((l) => `${l}\r\n`)
    .join('');
}

/** A police-hukou CSV in GBK (no BOM, CRLF), the way the police register sends it. */
function writePoliceCsv(name: string, rows: Row[], headers?: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, iconv.encode(csvText('police-hukou', rows, headers), 'gbk'));
  return file;
}

let seq = 0;
function policeRow(p: {
  name: string;
  sex: 'male' | 'female';
  birth: string;
  street: string;
  id?: string;
}): Row {
  seq++;
  const id = p.id ?? makeIdNumber('530102', p.birth, p.sex === 'male' ? 2 * seq + 101 : 2 * seq + 100);
  const compact = (d: string) => d.replaceAll('-', '');
  return {
    recordId: `GA530102E2E${String(seq).padStart(6, '0')}`,
    idNumber: id,
    name: p.name,
    sex: p.sex === 'male' ? '1' : '2',
    ethnicity: '汉族',
    birthDate: compact(p.birth),
    householdNo: `5301${String(seq).padStart(5, '0')}`,
    relation: '02',
    householdKind: '家庭户',
    registrationKind: '户籍人口',
    hukouCounty: '530102',
    hukouStreet: p.street,
    streetCode: p.street,
    address: `云南省昆明市五华区测试路${seq}号`,
    maritalStatus: '20',
    status: '正常',
    closedDate: null,
    registeredDate: compact(p.birth),
    phone: null,
    updatedAt: '20250301093000',
  };
}

/** Five valid people in 五华区 and one with a wrong check character (line 7 of the file). */
const GOOD = [
  policeRow({ name: '杨丽华', sex: 'female', birth: '1990-03-14', street: '530102001' }),
  policeRow({ name: '周建国', sex: 'male', birth: '1985-11-02', street: '530102002' }),
  policeRow({ name: '吴秀兰', sex: 'female', birth: '1962-07-21', street: '530102003' }),
  policeRow({ name: '郑晓明', sex: 'male', birth: '2001-01-30', street: '530102004' }),
  policeRow({ name: '林晓', sex: 'female', birth: '1995-09-09', street: '530102001' }),
];
const badId = (() => {
  const valid = makeIdNumber('530102', '1988-05-05', 321);
  const last = valid.slice(-1);
  return valid.slice(0, 17) + (last === '0' ? '1' : '0');
})();
const BAD = policeRow({ name: '钱多多', sex: 'male', birth: '1988-05-05', street: '530102005', id: badId });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'junheng-e2e-feeds-'));
  server = await startTestServer('registry');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function visibleText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText(), not the DOM property
  return locator.innerText();
}

async function openImports(page: Page) {
  await page.locator('.app-menu').getByText('数据导入').click();
  await page.waitForURL('**/registry/imports');
  await page.locator('[data-testid=feed-select]').waitFor();
}

async function chooseFeed(page: Page, title: string) {
  await page.locator('[data-testid=feed-select]').click();
  await page.locator('.ant-select-item-option', { hasText: title }).first().click();
  await expect.poll(() => visibleText(page.locator('[data-testid=feed-select]')), POLL).toContain(title);
}

async function upload(page: Page, file: string) {
  await page.locator('input[type=file]').setInputFiles(file);
  await page.locator('[data-testid=import-start]').click();
}

async function kpi(page: Page, key: string): Promise<number> {
  const text = await visibleText(page.locator(`[data-testid=kpi-${key}]`));
  return Number(text.replace(/\D/g, ''));
}

/** The registry's search API from the page (same session cookie). */
async function searchByName(page: Page, name: string): Promise<{ id: number; name: string }[]> {
  return await page.evaluate(async (n) => {
    const res = await fetch('/api/v1/registry/search', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: n, limit: 10 }),
    });
    return (await res.json()).persons;
  }, name);
}

describe('population registry (staff)', () => {
  it('refuses a police file from health staff with the server message', async () => {
    const file = writePoliceCsv('police-hukou.csv', [...GOOD, BAD]);
    const { context, page, errors } = await newPage(browser);
    await signInStaff(page, server.url, 'staff-health-wuhua');
    await page.waitForURL('**/workbench');
    // The menu groups the registry pages.
    expect(await visibleText(page.locator('.app-menu'))).toContain('人口登记');
    await openImports(page);
    // Their own (health) feeds come first, the police feed under 其他部门.
    expect(await visibleText(page.locator('[data-testid=feed-select]'))).toContain('出生医学证明签发信息');
    await chooseFeed(page, '人口登记信息');
    expect(await visibleText(page.locator('.imports-form-card'))).toContain('服务器判断');
    await upload(page, file);
    const alert = page.locator('[data-testid=upload-error]');
    await alert.waitFor();
    const text = await visibleText(alert);
    expect(text).toContain('未导入任何数据');
    expect(text).toContain('您所在部门不能导入该来源');
    await screenshot(page, 'registry-import-forbidden', false);
    // Nothing of the file is in the registry.
    expect(await searchByName(page, '杨丽华')).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('imports a GBK police file as city-admin: 5 accepted, 1 rejected (校验位错误) with its line, rejects in Excel', async () => {
    const file = writePoliceCsv('police-hukou.csv', [...GOOD, BAD]);
    const { context, page, errors } = await newPage(browser);
    await signInStaff(page, server.url, 'city-admin');
    await page.waitForURL('**/childcare/targets');
    await openImports(page);
    // The city administrator may import everything; the police register is listed first.
    expect(await visibleText(page.locator('[data-testid=feed-select]'))).toContain('人口登记信息');

    // The empty template: the feed's header in GBK.
    const tpl = page.waitForEvent('download');
    await page.locator('[data-testid=template-download]').click();
    const template = await tpl;
    expect(template.suggestedFilename()).toBe('police-hukou.csv');
    const header = iconv.decode(Buffer.from(await readAll(await template.path())), 'gbk');
    expect(header.split(/\r?\n/)[0]).toBe(
      feed('police-hukou')
        .columns.map((c) => c.header)
        .join(','),
    );

    await upload(page, file);
    const outcome = page.locator('[data-testid=import-outcome]');
    await outcome.waitFor();
    await expect.poll(() => outcome.getAttribute('data-state'), POLL).toBe('succeeded');
    await page.locator('[data-testid=import-report]').waitFor();
    expect(await kpi(page, 'accepted')).toBe(5);
    expect(await kpi(page, 'rejected')).toBe(1);
    expect(await kpi(page, 'updated')).toBe(0);
    expect(await kpi(page, 'unchanged')).toBe(0);
    expect(await kpi(page, 'queuedForReview')).toBe(0);
    expect(await visibleText(page.locator('[data-testid=rejects-by-reason]'))).toContain('校验位错误 × 1');

    const rejectRow = page.locator('[data-testid=rejects-table] tr.ant-table-row').first();
    await rejectRow.waitFor();
    const rejectText = await visibleText(rejectRow);
    expect(rejectText).toMatch(/^7\b/);
    expect(rejectText).toContain('公民身份号码');
    expect(rejectText).toContain('校验位错误');
    expect(await visibleText(page.locator('main, .app-content').first())).not.toMatch(FULL_ID);
    await page.locator('[data-testid=imports-history] tr.ant-table-row').first().waitFor();
    expect(await visibleText(page.locator('[data-testid=imports-history]'))).toContain('新增 5，退回 1');
    await screenshot(page, 'registry-import-report');

    // The rejects as an Excel file: line 7, the reason, the ID number masked.
    const dl = page.waitForEvent('download');
    await page.locator('[data-testid=rejects-xlsx]').click();
    const download = await dl;
    expect(download.suggestedFilename()).toMatch(/^rejects-\d+\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path()) as string);
    const cells: string[] = [];
    for (const ws of wb.worksheets) ws.eachRow((r) => r.eachCell((c) => cells.push(String(c.value ?? ''))));
    const all = cells.join('\n');
    expect(all).toContain('id.checksum');
    expect(cells).toContain('7');
    expect(all).not.toContain(badId);

    // English: the report and the reasons switch language.
    await page.locator('[data-testid=lang-switch]').click();
    await expect
      .poll(() => visibleText(page.locator('[data-testid=rejects-by-reason]')), POLL)
      .toContain('Wrong check character');
    await page.locator('[data-testid=lang-switch]').click();
    await expect.poll(() => visibleText(page.locator('h1').first()), POLL).toBe('数据导入');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the import page on a 390-px phone without sideways scrolling', async () => {
    const { context, page, errors } = await newPage(browser, { width: 390, height: 844, mobile: true });
    await signInStaff(page, server.url, 'city-admin');
    await page.waitForURL('**/childcare/targets');
    await page.goto(`${server.url}/registry/imports`);
    await page.locator('[data-testid=imports-history] tr.ant-table-row').first().waitFor();
    await page.locator('[data-testid=history-open]').first().click();
    await page.locator('[data-testid=import-report]').waitFor();
    await page.locator('[data-testid=rejects-table] tr.ant-table-row').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Clicking 查看结果 scrolled the history table sideways; put it back for the picture.
    await page.evaluate(() => {
      for (const el of document.querySelectorAll('.ant-table-content, .ant-table-body')) el.scrollLeft = 0;
      window.scrollTo(0, 0);
    });
    await page.waitForTimeout(400); // the table's loading fade
    await screenshot(page, 'registry-import-phone');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens an imported person from person search: the name comes from the police register', async () => {
    const { context, page, errors } = await newPage(browser);
    await signInStaff(page, server.url, 'city-admin');
    await page.waitForURL('**/childcare/targets');
    await page.goto(`${server.url}/registry/search`);
    await page.locator('[data-testid=search-name]').fill('杨丽华');
    await page.locator('[data-testid=search-submit]').click();
    const row = page.locator('[data-testid=search-results] tr.ant-table-row', { hasText: '杨丽华' });
    await row.waitFor();
    await row.locator('[data-testid=person-open]').click();
    await page.locator('[data-testid=person-detail]').waitFor();
    await page.locator('[data-testid=open-record]').click();
    await page.waitForURL('**/registry/persons/*');
    await page.locator('[data-testid=person-record]').waitFor();
    expect(await visibleText(page.locator('[data-testid=person-name]'))).toBe('杨丽华');
    expect(await visibleText(page.locator('[data-testid=person-id-masked]'))).toMatch(
      /^5301\*{10}\d{3}[\dX]$/,
    );

    const nameField = page.locator('[data-testid=field-name]');
    expect(await visibleText(nameField)).toContain('杨丽华');
    const source = nameField.locator('[data-testid=field-source]');
    expect(await source.getAttribute('data-source')).toBe('police');
    expect(await visibleText(source)).toContain('公安');
    expect(await visibleText(page.locator('[data-testid=field-street_code]'))).toContain('华山街道');
    // The tooltip names the feed, the (masked) record and its time.
    await source.hover();
    const tip = page.locator('.ant-tooltip:visible');
    await tip.waitFor();
    expect(await visibleText(tip)).toContain('人口登记信息');
    expect(await visibleText(tip)).toContain('2025-03-01');
    expect(await visibleText(page.locator('[data-testid=person-records]'))).toContain('人口登记信息');
    expect(await visibleText(page.locator('[data-testid=person-conflicts]'))).toContain('没有未处理的冲突');
    expect(await visibleText(page.locator('main, .app-content').first())).not.toMatch(FULL_ID);
    await screenshot(page, 'registry-person');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses a file with wrong columns with the specific message, in both languages, and imports nothing', async () => {
    const headers = feed('police-hukou').columns.map((c) => (c.key === 'name' ? '名字' : c.header));
    const file = writePoliceCsv(
      'police-hukou-wrong.csv',
      [policeRow({ name: '冯错列', sex: 'male', birth: '1979-12-12', street: '530102006' })],
      headers,
    );
    const { context, page, errors } = await newPage(browser);
    await signInStaff(page, server.url, 'city-admin');
    await page.waitForURL('**/childcare/targets');
    await openImports(page);
    await upload(page, file);
    const outcome = page.locator('[data-testid=import-outcome]');
    await outcome.waitFor();
    await expect.poll(() => outcome.getAttribute('data-state'), POLL).toBe('refused');
    const refused = page.locator('[data-testid=import-refused]');
    const zh = await visibleText(refused);
    expect(zh).toContain('未导入任何数据');
    expect(zh).toContain('文件表头与模板不一致');
    expect(zh).toContain('姓名');
    expect(zh).toContain('名字');
    expect(await page.locator('[data-testid=import-report]').count()).toBe(0);
    await screenshot(page, 'registry-import-refused', false);
    await page.locator('[data-testid=lang-switch]').click();
    await expect
      .poll(() => visibleText(refused), POLL)
      .toContain('The header row does not match the template; nothing was imported');
    // The feed's department too (the feed list gives it in Chinese).
    const info = await visibleText(page.locator('[data-testid=feed-info]'));
    expect(info).toContain('Kunming Public Security Bureau');
    expect(info).not.toMatch(/[\u4e00-\u9fff]/);
    await screenshot(page, 'registry-import-refused-en', false);
    await page.locator('[data-testid=lang-switch]').click();
    expect(await searchByName(page, '冯错列')).toEqual([]);
    // The history lists the refusal.
    await expect
      .poll(() => visibleText(page.locator('[data-testid=imports-history]')), POLL)
      .toContain('未导入');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('queues a look-alike record for review; 五华区 staff decide it is the same person and it is gone', async () => {
    // A medical-insurance record of 林晓 without an ID number, on another street: score 70.
    const mi = feed('medical-insurance-enrolment');
    const row: Row = {
      recordId: 'YB-E2E-LIN-1',
      idNumber: null,
      name: '林晓',
      sex: '2',
      birthDate: '1995-09-09',
      scheme: '390',
      status: '1',
      enrolledDate: '2020-01-01',
      endedDate: null,
      countyCode: '530102',
      streetCode: '530102003',
      employer: null,
      employerCode: null,
      phone: '13912345678',
      updatedAt: '2025-03-02 10:00:00',
    };
    const file = path.join(dir, mi.file);
    writeFileSync(file, `\ufeff${csvText(mi.id, [row])}`, 'utf8');

    const admin = await newPage(browser);
    await signInStaff(admin.page, server.url, 'city-admin');
    await admin.page.waitForURL('**/childcare/targets');
    await openImports(admin.page);
    await chooseFeed(admin.page, '基本医疗保险参保登记信息');
    await upload(admin.page, file);
    const outcome = admin.page.locator('[data-testid=import-outcome]');
    await expect.poll(() => outcome.getAttribute('data-state'), POLL).toBe('succeeded');
    expect(await kpi(admin.page, 'queuedForReview')).toBe(1);
    expect(admin.errors).toEqual([]);
    await admin.context.close();

    const { context, page, errors } = await newPage(browser);
    await signInStaff(page, server.url, 'staff-health-wuhua');
    await page.waitForURL('**/workbench');
    await page.locator('.app-menu').getByText('待核对').click();
    await page.waitForURL('**/registry/reviews');
    const item = page.locator('[data-testid=review-item]', { hasText: 'YB-E2E-LIN-1' });
    await item.waitFor();
    const compare = await visibleText(item.locator('[data-testid=review-compare]'));
    expect(compare).toContain('林晓');
    expect(compare).toContain('（无身份证号）');
    expect(compare).toMatch(/5301\*{10}\d{3}[\dX]/);
    expect(compare).toContain('139****5678');
    expect(await visibleText(item.locator('[data-testid=review-score]'))).toContain('70');
    expect(await visibleText(item)).toContain('姓名相同');
    expect(await visibleText(page.locator('main, .app-content').first())).not.toMatch(FULL_ID);
    await screenshot(page, 'registry-reviews');
    // On a phone the comparison stacks under the score, without sideways scrolling.
    const phone = await newPage(browser, { width: 390, height: 844, mobile: true });
    await signInStaff(phone.page, server.url, 'staff-health-wuhua');
    await phone.page.waitForURL('**/workbench');
    await phone.page.goto(`${server.url}/registry/reviews`);
    await phone.page.locator('[data-testid=review-item]').first().waitFor();
    expect(
      await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await screenshot(phone.page, 'registry-reviews-phone');
    expect(phone.errors).toEqual([]);
    await phone.context.close();
    await item.locator('[data-testid=review-same]').click();
    await expect.poll(() => item.count(), POLL).toBe(0);
    await page.locator('[data-testid=reviews-empty]').waitFor();
    await screenshot(page, 'registry-reviews-empty', false);
    // Remembered: a reload does not bring it back.
    await page.reload();
    await page.locator('[data-testid=reviews-count]').waitFor();
    expect(await page.locator('[data-testid=review-item]', { hasText: 'YB-E2E-LIN-1' }).count()).toBe(0);
    // 林晓's record now lists the medical-insurance record, linked by review.
    const [lin] = await searchByName(page, '林晓');
    await page.goto(`${server.url}/registry/persons/${lin.id}`);
    const records = page.locator('[data-testid=person-records]');
    await records.waitFor();
    await expect.poll(() => visibleText(records), POLL).toContain('人工核对');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the police row on the quality page, with an area filter for the city administrator', async () => {
    const { context, page, errors } = await newPage(browser);
    await signInStaff(page, server.url, 'city-admin');
    await page.waitForURL('**/childcare/targets');
    await page.locator('.app-menu').getByText('数据质量').click();
    await page.waitForURL('**/registry/quality');
    const table = page.locator('[data-testid=quality-table]');
    await table.waitFor();
    const police = table.locator('tr.ant-table-row', { has: page.locator('[data-source=police]') });
    await police.first().waitFor();
    const text = await visibleText(police.first());
    expect(text).toContain('公安');
    expect(text).toContain('五华区');
    // The five valid rows of 五华区 (the rejected row has no area), all linked by ID number.
    expect(text).toMatch(/五华区\s+5\s/);
    expect(text).toContain('100%');
    const canvas = page.locator('[data-testid=quality-trend] canvas').first();
    await canvas.waitFor();
    // All sources: one rate at a time, a line per source; the rate is chosen above the chart.
    const metric = page.locator('[data-testid=quality-trend-metric]');
    await metric.getByText('完整性').click();
    await expect.poll(() => metric.locator('.ant-segmented-item-selected').innerText(), POLL).toBe('完整性');
    await page.waitForTimeout(600); // the line animation
    await screenshot(page, 'registry-quality');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'registry-quality-phone');
    await page.setViewportSize({ width: 1440, height: 900 });
    // One source: its four rates over its imports, no rate switch.
    await page.locator('[data-testid=quality-source-filter]').click();
    await page.locator('.ant-select-item-option', { hasText: '公安' }).first().click();
    await expect.poll(() => metric.count(), POLL).toBe(0);
    await canvas.waitFor();
    await page.locator('[data-testid=quality-source-filter] .ant-select-clear').click({ force: true });
    await metric.waitFor();

    // Another area has no imports.
    await page.locator('[data-testid=quality-area]').click();
    await page.locator('.ant-select-item-option', { hasText: '盘龙区' }).first().click();
    await page.locator('[data-testid=quality-empty]').waitFor();
    await page.locator('[data-testid=quality-area] .ant-select-clear').click({ force: true });
    await table.waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});

async function readAll(file: string | null): Promise<Uint8Array> {
  if (!file) throw new Error('no download');
  const { readFile } = await import('node:fs/promises');
  return await readFile(file);
}
