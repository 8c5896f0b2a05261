// Static rendering of Vega-Lite specs: SVG through vega's headless View (no canvas, no DOM),
// PNG from that SVG through resvg with one bundled-by-the-OS font so pixels are deterministic.
import { existsSync } from 'node:fs';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { VlSpec } from './specs.js';

/** Debian's fonts-dejavu-core; the charts ask for this family by name. */
export const DEFAULT_FONT_FILE = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

export async function renderSvg(spec: VlSpec): Promise<string> {
  // A copy: vega tags (and some transforms extend) the data objects it ingests.
  const vega = compile(structuredClone(spec) as unknown as TopLevelSpec).spec;
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface PngOptions {
  /** Output scale (default 2: twice the SVG's pixel size, sharp on high-DPI screens). */
  scale?: number;
  font_file?: string;
}

export function svgToPng(svg: string, opts: PngOptions = {}): Uint8Array {
  const fontFile = opts.font_file ?? DEFAULT_FONT_FILE;
  // Only the one font file when present, so the PNG does not depend on the machine's fonts.
  const font: ResvgRenderOptions['font'] = existsSync(fontFile)
    ? { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' }
    : { loadSystemFonts: true };
  const resvg = new Resvg(svg, { font, fitTo: { mode: 'zoom', value: opts.scale ?? 2 }, background: 'white' });
  return resvg.render().asPng();
}

export interface RenderedChart {
  name: string;
  spec: VlSpec;
  svg: string;
  png: Uint8Array;
}

export async function renderChart(name: string, spec: VlSpec, opts: PngOptions = {}): Promise<RenderedChart> {
  const svg = await renderSvg(spec);
  return { name, spec, svg, png: svgToPng(svg, opts) };
}
