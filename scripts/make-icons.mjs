#!/usr/bin/env node
// Renders build/icon.svg into every icon the installers use, with tools from the npm registry:
// @resvg/resvg-js (SVG → PNG) and png2icons (PNG → .ico and .icns). Reproducible: same input,
// same output. Run: npm run icons
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';

const svg = readFileSync('build/icon.svg');
const render = (size) => new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();

mkdirSync('build/icons/png', { recursive: true });
for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
  writeFileSync(`build/icons/png/${size}x${size}.png`, render(size));
}
const master = render(1024);
writeFileSync('build/icons/icon.png', render(512));
const ico = png2icons.createICO(master, png2icons.BICUBIC2, 0, false, true);
const icns = png2icons.createICNS(master, png2icons.BICUBIC2, 0);
if (!ico || !icns) throw new Error('icon conversion failed');
writeFileSync('build/icons/icon.ico', ico);
writeFileSync('build/icons/icon.icns', icns);
console.log('icons written to build/icons/');
