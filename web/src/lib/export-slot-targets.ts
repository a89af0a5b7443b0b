import type { SlotTargets } from '../api/types.ts';
import type { Language } from '../i18n/index.ts';
import { areaName } from './area-names.ts';

type Labels = {
  sheetName: string;
  title: string;
  source: string;
  targets: string;
  generatedAt: string;
  area: string;
  cityTotal: string;
  population: string;
  year: (y: number) => string;
  total: string;
  inclusive: string;
  per1000: string;
  inclusiveShare: string;
  belowFloor: (inclusive: number, total: number, share: number) => string;
};

/**
 * Builds the 托位建设任务 table as an .xlsx in the browser. ExcelJS is loaded on demand so it
 * costs nothing until someone presses 导出 Excel.
 */
export async function slotTargetsWorkbook(data: SlotTargets, lang: Language, labels: Labels): Promise<Blob> {
  const mod = await import('exceljs');
  const ExcelJS = (mod as unknown as { default?: typeof mod }).default ?? mod;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Junheng 均衡';
  wb.created = new Date();
  const ws = wb.addWorksheet(labels.sheetName, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 6 }],
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 },
  });

  const years = data.years;
  const lastCol = 2 + years.length * 4;
  ws.mergeCells(1, 1, 1, lastCol);
  ws.getCell(1, 1).value = labels.title;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.mergeCells(2, 1, 2, lastCol);
  ws.getCell(2, 1).value = labels.source;
  ws.mergeCells(3, 1, 3, lastCol);
  ws.getCell(3, 1).value = labels.targets;
  ws.getCell(3, 1).font = { italic: true, color: { argb: 'FF555555' } };

  // Two header rows: year groups over the four measures.
  const h1 = 5;
  const h2 = 6;
  ws.mergeCells(h1, 1, h2, 1);
  ws.getCell(h1, 1).value = labels.area;
  ws.mergeCells(h1, 2, h2, 2);
  ws.getCell(h1, 2).value = labels.population;
  years.forEach((y, i) => {
    const c = 3 + i * 4;
    ws.mergeCells(h1, c, h1, c + 3);
    ws.getCell(h1, c).value = labels.year(y);
    [labels.total, labels.inclusive, labels.per1000, labels.inclusiveShare].forEach((l, j) => {
      ws.getCell(h2, c + j).value = l;
    });
  });
  for (const r of [h1, h2]) {
    for (let c = 1; c <= lastCol; c++) {
      const cell = ws.getCell(r, c);
      cell.font = { bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F0FA' } };
    }
  }

  // The city row goes last, as the total.
  const rows = [...data.rows.filter((r) => r.kind !== 'city'), ...data.rows.filter((r) => r.kind === 'city')];
  rows.forEach((row, idx) => {
    const r = h2 + 1 + idx;
    ws.getCell(r, 1).value = row.kind === 'city' ? labels.cityTotal : areaName(row, lang);
    ws.getCell(r, 2).value = row.population2020;
    ws.getCell(r, 2).numFmt = '#,##0';
    years.forEach((y, i) => {
      const c = 3 + i * 4;
      const s = row.slots[String(y)];
      if (!s) return;
      ws.getCell(r, c).value = s.total;
      ws.getCell(r, c).numFmt = '#,##0';
      ws.getCell(r, c + 1).value = s.inclusive;
      ws.getCell(r, c + 1).numFmt = '#,##0';
      ws.getCell(r, c + 2).value = s.per1000;
      ws.getCell(r, c + 2).numFmt = '0.00';
      const share = ws.getCell(r, c + 3);
      // The exact share (the API rounds it to 4 places); flagged cells get two decimals so that
      // 79.998% does not print as 80.0%.
      const exact = s.total > 0 ? s.inclusive / s.total : s.inclusiveShare;
      share.value = exact;
      share.numFmt = s.belowFloor ? '0.00%' : '0.0%';
      if (s.belowFloor) {
        share.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE2E1' } };
        share.font = { bold: true, color: { argb: 'FFC0231B' } };
        share.note = labels.belowFloor(s.inclusive, s.total, exact);
      }
    });
    if (row.kind === 'city') {
      for (let c = 1; c <= lastCol; c++) {
        ws.getCell(r, c).font = { ...ws.getCell(r, c).font, bold: true };
        ws.getCell(r, c).border = { top: { style: 'thin' } };
      }
    }
  });
  const footer = h2 + rows.length + 2;
  ws.getCell(footer, 1).value = labels.generatedAt;
  ws.getCell(footer, 1).font = { color: { argb: 'FF888888' }, size: 9 };

  ws.getColumn(1).width = lang === 'en' ? 30 : 20;
  ws.getColumn(2).width = 14;
  for (let c = 3; c <= lastCol; c++) ws.getColumn(c).width = 11;

  const buffer = await wb.xlsx.writeBuffer();
  return new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}

export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
