import { createRequire } from 'node:module';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import type { DayCount } from '../domain/reports.ts';
import type { Messages } from '../i18n/index.ts';
import { num } from './reports.ts';

// The weekly chart: records per day, shares and rebuttals side by side, drawn as SVG and rendered to PNG
// by resvg with the DejaVu fonts shipped in an npm package (full Vietnamese coverage, no system fonts needed).

const require = createRequire(import.meta.url);
const fontDir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONTS = [path.join(fontDir, 'DejaVuSans.ttf'), path.join(fontDir, 'DejaVuSans-Bold.ttf')];

const W = 960;
const H = 540;
const SHARED = '#2e7d32';
const REBUTTED = '#1565c0';

const x = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A "nice" axis maximum and step for counts. */
function axis(max: number): { top: number; step: number } {
  if (max <= 5) return { top: 5, step: 1 };
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  return { top: Math.ceil(max / step) * step, step };
}

export function chartSvg(t: Messages, title: string, days: DayCount[]): string {
  const r = t.reports;
  const left = 70;
  const right = 30;
  const top = 90;
  const bottom = 80;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const { top: yMax, step } = axis(Math.max(0, ...days.flatMap((d) => [d.shared, d.rebutted])));
  const y = (v: number) => top + plotH - (v / yMax) * plotH;
  const slot = plotW / Math.max(1, days.length);
  const bar = Math.min(48, slot * 0.32);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="40" font-size="24" font-weight="bold" text-anchor="middle" fill="#212121">${x(title)}</text>`,
    // Legend
    `<rect x="${W / 2 - 170}" y="56" width="18" height="18" fill="${SHARED}"/>`,
    `<text x="${W / 2 - 146}" y="71" font-size="17" fill="#212121">${x(r.chartShared)}</text>`,
    `<rect x="${W / 2 + 30}" y="56" width="18" height="18" fill="${REBUTTED}"/>`,
    `<text x="${W / 2 + 54}" y="71" font-size="17" fill="#212121">${x(r.chartRebutted)}</text>`,
  ];
  for (let v = 0; v <= yMax; v += step) {
    parts.push(`<line x1="${left}" y1="${y(v)}" x2="${W - right}" y2="${y(v)}" stroke="#e0e0e0" stroke-width="1"/>`);
    parts.push(
      `<text x="${left - 10}" y="${y(v) + 6}" font-size="16" text-anchor="end" fill="#616161">${x(num(t, v))}</text>`,
    );
  }
  days.forEach((d, i) => {
    const cx = left + slot * i + slot / 2;
    for (const [value, color, dx] of [
      [d.shared, SHARED, -bar - 2],
      [d.rebutted, REBUTTED, 2],
    ] as const) {
      const h = (value / yMax) * plotH;
      parts.push(`<rect x="${cx + dx}" y="${top + plotH - h}" width="${bar}" height="${h}" fill="${color}"/>`);
      if (value > 0)
        parts.push(
          `<text x="${cx + dx + bar / 2}" y="${top + plotH - h - 6}" font-size="15" text-anchor="middle" fill="#212121">${x(num(t, value))}</text>`,
        );
    }
    const weekday = r.weekdays[(new Date(`${d.day}T12:00:00Z`).getUTCDay() + 6) % 7]!;
    const [, m, dd] = d.day.split('-');
    parts.push(
      `<text x="${cx}" y="${top + plotH + 26}" font-size="17" font-weight="bold" text-anchor="middle" fill="#212121">${x(weekday)}</text>`,
    );
    parts.push(
      `<text x="${cx}" y="${top + plotH + 48}" font-size="15" text-anchor="middle" fill="#616161">${Number(dd)}/${Number(m)}</text>`,
    );
  });
  parts.push(
    `<line x1="${left}" y1="${top + plotH}" x2="${W - right}" y2="${top + plotH}" stroke="#9e9e9e" stroke-width="2"/>`,
  );
  parts.push('</svg>');
  return parts.join('');
}

export function chartPng(t: Messages, title: string, days: DayCount[]): Buffer {
  const svg = chartSvg(t, title, days);
  const resvg = new Resvg(svg, {
    font: { fontFiles: FONTS, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'original' },
  });
  return resvg.render().asPng();
}
