import ExcelJS from 'exceljs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CITIZEN_ID,
  launchBrowser,
  newPage,
  screenshot,
  signInCitizen,
  signInStaff,
  startTestServer,
  type TestServer,
} from './harness.ts';

// expect.poll gives up after 1 s by default; a 2-core CI machine needs longer for a lazy chunk.
const POLL = { timeout: 15_000, interval: 100 };

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer('shell');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const STAFF_ROLES = [
  {
    username: 'city-admin',
    role: '市级管理员',
    home: '/childcare/targets',
    menu: ['工作台', '人员查询', '数据导入', '待核对', '数据质量', '托位建设任务', '预算测算', '政策计算器'],
  },
  {
    username: 'area-admin-wuhua',
    role: '县区管理员',
    home: '/childcare/targets',
    menu: ['工作台', '人员查询', '数据导入', '待核对', '数据质量', '托位建设任务', '预算测算', '政策计算器'],
  },
  {
    username: 'staff-health-wuhua',
    role: '部门工作人员',
    home: '/workbench',
    menu: ['工作台', '人员查询', '数据导入', '待核对', '数据质量', '托位建设任务', '政策计算器'],
  },
  { username: 'auditor', role: '审计员', home: '/audit', menu: ['托位建设任务', '政策计算器', '审计日志'] },
] as const;

/** The text a person sees (Playwright's innerText, not the DOM's textContent). */
function visibleText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText(), not the DOM property
  return locator.innerText();
}

async function menuLabels(page: Page): Promise<string[]> {
  return (await page.locator('.app-menu .ant-menu-item').allInnerTexts()).map((s) => s.trim());
}

/** Checks the 托位建设任务 page: 16 areas + the city row, flagged cells, the map canvas. */
async function checkTargetsPage(page: Page) {
  await page.locator('[data-testid=slot-table] tbody tr.ant-table-row').first().waitFor();
  const rows = page.locator('[data-testid=slot-table] tbody tr.ant-table-row');
  expect(await rows.count()).toBe(17);
  const codes = await page
    .locator('[data-testid=area-name]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
  expect(codes).toHaveLength(17);
  expect(codes.at(-1)).toBe('530100');
  expect(codes).toContain('530111402');
  expect(codes).toContain('530125404');
  // 阳宗海 2023 = 96/121 = 79.3% and 石林县 2023 = 580/727 = 79.8% are below the 80% floor.
  const yzh = page.locator('[data-testid=below-floor][data-area="530125404"][data-year="2023"]');
  const shilin = page.locator('[data-testid=below-floor][data-area="530126"][data-year="2023"]');
  await expect.poll(() => yzh.count(), POLL).toBe(1);
  await expect.poll(() => shilin.count(), POLL).toBe(1);
  expect((await visibleText(yzh)).trim()).toContain('79.3%');
  expect((await visibleText(shilin)).trim()).toContain('79.8%');
  // A cell at the floor (阳宗海 2024 = 128/160 = 80%) is not flagged.
  expect(
    await page.locator('[data-testid=below-floor][data-area="530125404"][data-year="2024"]').count(),
  ).toBe(0);
  // The map: a canvas with a real size, and the note on the two functional zones.
  const canvas = page.locator('[data-testid=kunming-map] canvas').first();
  await canvas.waitFor();
  const box = await canvas.boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(200);
  expect(box?.height ?? 0).toBeGreaterThan(200);
  // Something was drawn: the canvas is not a blank (single-colour) bitmap.
  await expect
    .poll(
      () =>
        canvas.evaluate((c: HTMLCanvasElement) => {
          const ctx = c.getContext('2d');
          if (!ctx) return 0;
          const { data } = ctx.getImageData(0, 0, c.width, c.height);
          let painted = 0;
          for (let i = 3; i < data.length; i += 16) if (data[i] > 0) painted++;
          return painted;
        }),
      POLL,
    )
    .toBeGreaterThan(1000);
  const note = await visibleText(page.locator('[data-testid=map-note]'));
  expect(note).toMatch(/经开区|Economic/);
  expect(note).toMatch(/阳宗海|Yangzonghai/);
}

describe('web shell against the real server', () => {
  it('sends a visitor to sign-in, and opens the public calculator without signing in', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(`${server.url}/childcare/targets`);
    await page.waitForURL('**/login');
    await expect
      .poll(() => page.locator('.ant-tabs-tab').allInnerTexts(), POLL)
      .toEqual(['工作人员登录', '群众登录']);
    await screenshot(page, 'login-zh', false);
    await page.goto(`${server.url}/calculator`);
    await page.locator('[data-testid=calc-submit]').waitFor();
    expect(await visibleText(page.locator('h1').first())).toBe('政策计算器');
    expect(page.url()).toMatch(/\/calculator$/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the server's own message when a sign-in fails", async () => {
    // The API's problem+json for a wrong TOTP, to compare with what the page shows.
    const res = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: 'staff-health-panlong',
        password: 'Junheng#2026demo',
        totp: '000000',
      }),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const problem = (await res.json()) as {
      messages?: { 'zh-CN'?: string };
      detail?: string;
      title?: string;
    };
    const expected = problem.messages?.['zh-CN'] ?? problem.detail ?? problem.title ?? '';
    expect(expected).not.toBe('');

    const { context, page } = await newPage(browser);
    await signInStaff(page, server.url, 'staff-health-panlong', '000000');
    const alert = page.locator('[data-testid=login-error]');
    await alert.waitFor();
    expect(await visibleText(alert)).toContain(expected);
    await screenshot(page, 'login-error', false);
    await context.close();
  });

  for (const account of STAFF_ROLES) {
    it(`signs in as ${account.username}, shows the role's menu and the 托位建设任务 page`, async () => {
      const { context, page, errors } = await newPage(browser);
      await signInStaff(page, server.url, account.username);
      await page.waitForURL(`**${account.home}`);
      const summary = page.locator('[data-testid=user-summary]');
      await summary.waitFor();
      expect(await visibleText(summary)).toContain(account.role);
      expect(await menuLabels(page)).toEqual([...account.menu]);
      // Wait for the lazy-loaded home page itself before the picture.
      const homeMark: Record<string, string> = {
        '/childcare/targets': '[data-testid=slot-table]',
        '/workbench': '[data-testid=coming-soon]',
        '/audit': '[data-testid=audit-table]',
      };
      await page.locator(homeMark[account.home]!).waitFor();
      await screenshot(page, `home-${account.username}`, false);

      await page.locator('.app-menu').getByText('托位建设任务').click();
      await page.waitForURL('**/childcare/targets');
      await checkTargetsPage(page);
      await screenshot(page, `targets-${account.username}`);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('names the staff member’s area and department in the chosen language', async () => {
    const { context, page, errors } = await newPage(browser);
    await signInStaff(page, server.url, 'staff-health-wuhua');
    const scope = page.locator('[data-testid=user-scope]');
    await scope.waitFor();
    expect(await visibleText(scope)).toMatch(/五华.*卫/);
    await page.locator('[data-testid=lang-switch]').click();
    await expect.poll(() => visibleText(page.locator('[data-testid=sign-out]')), POLL).toContain('Sign out');
    const english = await visibleText(scope);
    expect(english).toMatch(/Wuhua.*Health/);
    expect(english).not.toMatch(/[\u4e00-\u9fff]/);
    await screenshot(page, 'header-staff-en', false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('exports the table to Excel, prints without the chrome, and switches to English', async () => {
    const { context, page, errors } = await newPage(browser);
    await signInStaff(page, server.url, 'city-admin');
    await page.waitForURL('**/childcare/targets');
    await checkTargetsPage(page);

    // Excel export (client-side ExcelJS): 17 data rows, the flagged 阳宗海 2023 cell noted.
    const download = page.waitForEvent('download');
    await page.locator('[data-testid=export-xlsx]').click();
    const file = await (await download).path();
    expect(file).toBeTruthy();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file!);
    const ws = wb.worksheets[0]!;
    const names: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 6 && typeof row.getCell(2).value === 'number') names.push(String(row.getCell(1).value));
    });
    expect(names).toHaveLength(17);
    expect(names.at(-1)).toBe('全市合计');
    const yzhRow = names.indexOf('阳宗海') + 7;
    expect(ws.getCell(yzhRow, 6).value).toBeCloseTo(96 / 121, 6);
    expect(ws.getCell(yzhRow, 6).note).toBeTruthy();

    // Print view: header, menu and buttons are hidden; the table and the map stay.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    expect(await page.locator('[data-testid=print]').isVisible()).toBe(false);
    expect(await page.locator('[data-testid=slot-table]').isVisible()).toBe(true);
    await screenshot(page, 'targets-print');
    await page.emulateMedia({ media: 'screen' });

    // English: header, menu and table switch; the choice survives a reload.
    await page.locator('[data-testid=lang-switch]').click();
    await expect.poll(() => visibleText(page.locator('[data-testid=sign-out]')), POLL).toContain('Sign out');
    expect(await visibleText(page.locator('h1').first())).toBe('Childcare slot targets');
    expect(await menuLabels(page)).toEqual([
      'Workbench',
      'Person search',
      'Data imports',
      'Review queue',
      'Data quality',
      'Childcare slot targets',
      'Budget simulation',
      'Policy calculator',
    ]);
    expect(await visibleText(page.locator('[data-testid=user-summary]'))).toContain('City administrator');
    await page.reload();
    await page.locator('[data-testid=slot-table]').waitFor();
    expect(await visibleText(page.locator('[data-testid=sign-out]'))).toContain('Sign out');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await checkTargetsPage(page);
    await screenshot(page, 'targets-en');

    // Sign out ends the session on the server too.
    await page.locator('[data-testid=sign-out]').click();
    await page.waitForURL('**/login');
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    expect(me).toBe(401);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets a citizen sign in by SMS code and read their record on a 390-px phone', async () => {
    const { context, page, errors } = await newPage(browser, { width: 390, height: 844, mobile: true });
    await signInCitizen(page, server.url, DEMO_CITIZEN_ID);
    await page.waitForURL('**/citizen');
    const person = page.locator('[data-testid=person]');
    await person.waitFor();
    const text = await visibleText(person);
    expect(text).toContain('5301');
    expect(text).toContain('*');
    expect(text).not.toContain(DEMO_CITIZEN_ID);
    // Nothing wider than the phone: no sideways scrolling of the page.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // The sider is folded into a drawer behind the menu button.
    expect(await page.locator('.app-sider').count()).toBe(0);
    await screenshot(page, 'citizen-phone');
    await page.locator('[data-testid=open-menu]').click();
    const drawer = page.locator('.app-drawer');
    await drawer.waitFor();
    await expect.poll(() => menuLabels(page), POLL).toEqual(['我的信息', '托位建设任务', '政策计算器']);
    await page.waitForTimeout(400); // let the drawer finish sliding in
    await screenshot(page, 'citizen-phone-menu', false);
    await page.locator('.app-menu').getByText('托位建设任务').click();
    await page.waitForURL('**/childcare/targets');
    await checkTargetsPage(page);
    const overflowTargets = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflowTargets).toBeLessThanOrEqual(0);
    await screenshot(page, 'targets-phone');
    expect(errors).toEqual([]);
    await context.close();
  });
});
