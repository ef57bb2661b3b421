import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, memoryIo } from '../../src/index.js';
import { REPORT_CHARTS } from '../../src/report/html.js';
import { generatedStore } from './fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACT = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', 'report.png');
let dir: string;
let html: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowlake-report-'));
  generatedStore(join(dir, 'store'));
  html = join(dir, 'report.html');
  const io = memoryIo();
  const code = await exec(['report', '--store', join(dir, 'store'), '--out', html], io);
  if (code !== 0) throw new Error(io.stderr());
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('flowlake report', () => {
  it('writes one self-contained file: echarts inlined, no external URL', () => {
    const text = readFileSync(html, 'utf8');
    expect(text).toContain('echarts');
    expect(text).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/cdn/i);
    expect(text).toContain('<table id="coverage">');
  });

  it('renders every chart in headless Chromium without console errors', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; .ci/run does this).`,
      );
    }
    const browser = await chromium.launch({
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
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) problems.push(`network request to ${r.url()}`);
      });
      await page.goto(`file://${html}`);
      await page.waitForFunction('window.__flowlakeReady === true');
      for (const [id] of REPORT_CHARTS) {
        // Counts painted pixels of the chart's canvas (the test's tsconfig has no DOM types: code as text).
        const painted = (await page.evaluate(`(() => {
          const canvas = document.querySelector('#${id} canvas');
          if (!canvas || canvas.width === 0 || canvas.height === 0) return 0;
          const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          let inked = 0;
          for (let i = 3; i < px.length; i += 28) if (px[i] > 0) inked++;
          return inked;
        })()`)) as number;
        expect(painted, `${id} drew nothing`).toBeGreaterThan(500);
      }
      expect(await page.locator('#coverage tbody tr').count()).toBe(6);
      expect(problems).toEqual([]);
      const shot = join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(20_000);
      if (process.env.FLOWLAKE_UPDATE_SCREENSHOT === '1') {
        // the README's picture; refreshed on request only, so test runs leave the work tree clean
        mkdirSync(dirname(ARTIFACT), { recursive: true });
        copyFileSync(shot, ARTIFACT);
      }
    } finally {
      await browser.close();
    }
  });
});
