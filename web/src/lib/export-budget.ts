import type { BudgetResult } from '../api/types.ts';

/** One sheet: a title, optional lines under it, a header row and data rows. */
export type SheetSpec = {
  name: string;
  title: string;
  lines?: string[];
  header: string[];
  rows: (string | number | null)[][];
  /** 0-based column indexes holding yuan (formatted #,##0.00). */
  moneyColumns?: number[];
  /** Column widths in characters. */
  widths?: number[];
};

/**
 * Builds a workbook with one sheet per view of the budget page. ExcelJS is loaded on demand,
 * so it costs nothing until someone presses 导出 Excel.
 */
export async function budgetWorkbook(sheets: SheetSpec[]): Promise<Blob> {
  const mod = await import('exceljs');
  const ExcelJS = (mod as unknown as { default?: typeof mod }).default ?? mod;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Junheng 均衡';
  wb.created = new Date();
  for (const s of sheets) {
    const headerRow = 3 + (s.lines?.length ?? 0);
    const ws = wb.addWorksheet(s.name, {
      views: [{ state: 'frozen', ySplit: headerRow }],
      pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 },
    });
    ws.getCell(1, 1).value = s.title;
    ws.getCell(1, 1).font = { bold: true, size: 14 };
    (s.lines ?? []).forEach((line, i) => {
      ws.getCell(2 + i, 1).value = line;
      ws.getCell(2 + i, 1).font = { color: { argb: 'FF555555' } };
    });
    const header = ws.getRow(headerRow);
    s.header.forEach((h, i) => {
      const c = header.getCell(i + 1);
      c.value = h;
      c.font = { bold: true };
      c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6F0FB' } };
      c.alignment = { vertical: 'middle', wrapText: true };
    });
    s.rows.forEach((r, i) => {
      const row = ws.getRow(headerRow + 1 + i);
      r.forEach((v, j) => {
        const c = row.getCell(j + 1);
        c.value = v;
        if (s.moneyColumns?.includes(j) && typeof v === 'number') c.numFmt = '#,##0.00';
        else if (typeof v === 'number') c.numFmt = '#,##0';
      });
    });
    s.header.forEach((h, i) => {
      ws.getColumn(i + 1).width = s.widths?.[i] ?? Math.max(10, Math.min(40, h.length * 2 + 4));
    });
  }
  const buf = await wb.xlsx.writeBuffer();
  return new Blob([buf], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}

/** Sum of a cash programme map (fen) for one area. */
export function areaCash(byProgramme: Record<string, number> | undefined): number {
  if (!byProgramme) return 0;
  return Object.values(byProgramme).reduce((s, v) => s + v, 0);
}

/** Programme ids in the result, in the order of the first year. */
export function programmeIds(result: BudgetResult): string[] {
  return Object.keys(result.years[0]?.current.programmes ?? {});
}
