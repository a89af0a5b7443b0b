import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, startTestServer, type TestServer } from './harness.ts';

const POLL = { timeout: 15_000, interval: 100 };

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer('calculator');
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

/**
 * Picks an option of an Ant Design Select by its visible label. On a loaded machine a click can
 * land while the list is still animating in and be ignored, or the list can linger while it
 * animates out: so the choice is checked on the Select itself, retried, and a lingering list is
 * closed with Escape.
 */
async function choose(page: Page, select: Locator, label: string) {
  const open = page.locator('.ant-select-dropdown:visible');
  for (let attempt = 0; attempt < 3; attempt++) {
    if ((await open.count()) === 0) await select.click();
    await expect.poll(() => open.count(), POLL).toBe(1);
    await open.locator('.ant-select-item-option', { hasText: label }).first().click();
    const chosen = await expect
      .poll(() => visibleText(select), { timeout: 3_000, interval: 100 })
      .toContain(label)
      .then(
        () => true,
        () => false,
      );
    if (chosen) break;
  }
  expect(await visibleText(select)).toContain(label);
  if ((await open.count()) > 0) await page.keyboard.press('Escape');
  // Wait for the list to close, so the next Select's list is the only one open.
  await expect.poll(() => open.count(), POLL).toBe(0);
}

async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** The canvas of a chart has been drawn on (not a blank bitmap). */
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

/** The contract's example family (shared/specs/entitlements.md). */
async function fillExampleFamily(page: Page) {
  await page.locator('[data-testid=asOf]').fill('2024-06-30');
  await choose(page, page.locator('[data-testid=family-hukou]'), '五华区');

  await page.locator('[data-testid=mother-birthDate]').fill('1992-04-01');
  await page.locator('[data-testid=mother-employed]').check();

  await page.locator('[data-testid=father-birthDate]').fill('1990-01-15');
  await page.locator('[data-testid=father-employed]').check();
  await page.locator('[data-testid=father-onlyChild]').check();
  await page.locator('[data-testid=father-elderlyParentHospitalized]').check();

  await page.locator('[data-testid=child-0-birthDate]').fill('2019-05-01');
  await choose(page, page.locator('[data-testid=child-0-hukou]'), '五华区');
  await page.locator('[data-testid=add-child]').click();
  await page.locator('[data-testid=child-1-birthDate]').fill('2024-03-15');
  await choose(page, page.locator('[data-testid=child-1-hukou]'), '五华区');

  await page.locator('[data-testid=housing-rents]').check();
  await page.locator('[data-testid=housing-contributesToHousingFund]').check();
}

describe('policy calculator (public, phone)', () => {
  it('computes the example family at 390×844 without signing in: ¥2,000, the clause, the timeline', async () => {
    const { context, page, errors } = await newPage(browser, { width: 390, height: 844, mobile: true });
    await page.goto(`${server.url}/calculator`);
    await page.locator('[data-testid=calc-submit]').waitFor();
    // No sign-in: the page opened at /calculator and the header offers sign-in (in the drawer).
    expect(page.url()).toMatch(/\/calculator$/);
    await noSidewaysScroll(page);
    await screenshot(page, 'calculator-phone-empty');

    await fillExampleFamily(page);
    await noSidewaysScroll(page);
    await screenshot(page, 'calculator-phone-filled');
    await page.locator('[data-testid=calc-submit]').click();

    // The 2nd child's one-time birth subsidy: eligible, ¥2,000.
    const card = page.locator('[data-testid=ent-one_time_birth_subsidy-child-1]');
    await card.waitFor();
    await page.waitForTimeout(600); // the smooth scroll to the results
    await screenshot(page, 'calculator-phone-summary', false);
    expect(await visibleText(page.locator('[data-testid=calc-summary]'))).toContain('一次性补贴：¥2,000');
    expect(await card.getAttribute('data-eligible')).toBe('true');
    expect((await visibleText(card.locator('[data-testid=ent-amount]'))).trim()).toBe('¥2,000');
    expect(await visibleText(card)).toContain('一次性');
    expect(await visibleText(card)).toContain('符合条件');

    // "Why": each condition with ✓/✗ and the clause's own words with 二(四)11.
    const why = card.locator('[data-testid=why]');
    expect(await why.isVisible()).toBe(false);
    await card.locator('[data-testid=why-toggle]').click();
    await expect.poll(() => why.isVisible(), POLL).toBe(true);
    const whyText = await visibleText(why);
    expect(whyText).toContain('二(四)11');
    expect(whyText).toContain('✓');
    expect(whyText).toContain('孩次为2');
    expect(whyText).toContain('一次性生育补贴');
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'calculator-phone-why', false);

    // The first child's subsidy is not due: it sits, collapsed, under 不符合条件的项目.
    const ineligible = page.locator('[data-testid=ineligible-child-0]');
    expect(await visibleText(ineligible)).toContain('不符合条件的项目');
    expect(await page.locator('[data-testid=ent-one_time_birth_subsidy-child-0]').isVisible()).toBe(false);

    // Other cards of the example: father's elder-care leave 20 days, maternity 158 days.
    expect(
      await visibleText(page.locator('[data-testid=ent-elder_care_leave-father] [data-testid=ent-amount]')),
    ).toBe('20 天');
    expect(
      await visibleText(page.locator('[data-testid=ent-maternity_leave-child-1] [data-testid=ent-amount]')),
    ).toBe('158 天');

    // Timeline: a drawn chart and the yearly cash (2024: 2,000 + 800 + 50; 2025: 3,600 + 50).
    const chart = page.locator('[data-testid=timeline-chart] canvas').first();
    await chart.waitFor();
    await chart.scrollIntoViewIfNeeded();
    const box = await chart.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(300);
    expect(box?.height ?? 0).toBeGreaterThan(200);
    await expect.poll(() => paintedPixels(chart), POLL).toBeGreaterThan(1000);
    const table = page.locator('[data-testid=timeline-table]');
    const rows = await table.locator('tbody tr.ant-table-row').allInnerTexts();
    expect(rows.find((r) => r.startsWith('2024'))).toContain('¥2,850');
    expect(rows.find((r) => r.startsWith('2025'))).toContain('¥3,650');
    expect(await visibleText(page.locator('[data-testid=timeline-grand]'))).toBe('¥10,700');
    await noSidewaysScroll(page);
    await screenshot(page, 'calculator-phone-timeline', false);
    await screenshot(page, 'calculator-phone-results');

    // English: labels, amounts and the reasons switch language.
    await page.locator('[data-testid=lang-switch]').click();
    await expect.poll(() => visibleText(page.locator('h1').first()), POLL).toBe('Policy calculator');
    expect(await visibleText(card)).toContain('One-time birth subsidy');
    expect(await visibleText(card)).toContain('Eligible');
    expect(await visibleText(why)).toContain('Birth order is 2');
    expect(await visibleText(why)).toContain('二(四)11');
    expect(await visibleText(page.locator('[data-testid=calc-submit]'))).toContain('Calculate');
    await noSidewaysScroll(page);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'calculator-phone-en', false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("puts the server's field-level reason under the field: an impossible date", async () => {
    const { context, page, errors } = await newPage(browser, { width: 390, height: 844, mobile: true });
    await page.goto(`${server.url}/calculator`);
    await page.locator('[data-testid=calc-submit]').waitFor();
    await fillExampleFamily(page);
    await page.locator('[data-testid=child-0-birthDate]').fill('2019-02-30');
    await page.locator('[data-testid=calc-submit]').click();

    const child = page.locator('[data-testid=child-0]');
    const fieldError = child.locator('.ant-form-item-explain-error').first();
    await fieldError.waitFor();
    expect(await visibleText(fieldError)).toContain('不存在的日期：2019 年 2 月只有 28 天');
    expect(await visibleText(fieldError)).toContain('2019-02-30');
    expect(await visibleText(page.locator('[data-testid=calc-error]'))).toContain('请修改标出的内容');
    expect(await page.locator('[data-testid=calc-results]').count()).toBe(0);
    // The form scrolled to the field with the error.
    await expect
      .poll(
        () =>
          fieldError.evaluate(
            (e) => e.getBoundingClientRect().top > 0 && e.getBoundingClientRect().bottom < innerHeight,
          ),
        POLL,
      )
      .toBe(true);
    await screenshot(page, 'calculator-phone-invalid-date', false);

    // A shape the form itself rejects never reaches the server.
    await page.locator('[data-testid=asOf]').fill('2024-06');
    await page.locator('[data-testid=calc-submit]').click();
    await expect
      .poll(() => page.locator('.ant-form-item-explain-error').allInnerTexts(), POLL)
      .toContain('请按 年-月-日 填写，例如 2019-05-01');

    // Fixed, the same family computes.
    await page.locator('[data-testid=asOf]').fill('2024-06-30');
    await page.locator('[data-testid=child-0-birthDate]').fill('2019-05-01');
    await page.locator('[data-testid=calc-submit]').click();
    await page.locator('[data-testid=ent-one_time_birth_subsidy-child-1]').waitFor();
    expect(await child.locator('.ant-form-item-explain-error').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lays the form and the results side by side on a desktop', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(`${server.url}/calculator`);
    await page.locator('[data-testid=calc-submit]').waitFor();
    await fillExampleFamily(page);
    await page.locator('[data-testid=special-family]').check();
    await page.locator('[data-testid=calc-submit]').click();
    await page.locator('[data-testid=ent-one_time_birth_subsidy-child-1]').waitFor();
    await page.locator('[data-testid=timeline-chart] canvas').first().waitFor();
    // A special family's services, each with its clause; the clause's tag shows the plan's words.
    const special = page.locator('[data-testid=ent-special_family_support-family]');
    await special.scrollIntoViewIfNeeded();
    expect(await special.locator('.ent-services li').count()).toBe(11);
    await special.locator('[data-testid=service-clause]').first().hover();
    const tip = page.locator('.ant-tooltip:visible');
    await tip.waitFor();
    expect(await tip.innerText()).toContain('动态调整特别扶助标准');
    await screenshot(page, 'calculator-special-family', false);
    await page.mouse.move(0, 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'calculator-desktop');

    // Print view: the form and the chrome go; the results print with their reasons open.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
    expect(await page.locator('[data-testid=calc-submit]').isVisible()).toBe(false);
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    expect(await page.locator('[data-testid=print]').isVisible()).toBe(false);
    const card = page.locator('[data-testid=ent-one_time_birth_subsidy-child-1]');
    expect(await card.isVisible()).toBe(true);
    expect(await card.locator('[data-testid=why]').isVisible()).toBe(true);
    await screenshot(page, 'calculator-print');
    expect(errors).toEqual([]);
    await context.close();
  });
});
