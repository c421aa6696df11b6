/**
 * electron-builder.yml is checked against electron-builder's own schema, offline and before any
 * download, with the validator electron-builder itself runs. An unknown key must fail.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(
    config: unknown,
    logger: { isEnabled: boolean; add(): void },
  ): Promise<void>;
};
const logger = { isEnabled: false, add() {} };
const config = yaml.load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it('passes electron-builder schema validation', async () => {
    await expect(validateConfiguration(structuredClone(config), logger)).resolves.toBeUndefined();
  });

  it('fails on an unknown top-level key', async () => {
    await expect(
      validateConfiguration({ ...structuredClone(config), appIdd: 'typo' }, logger),
    ).rejects.toThrow(/appIdd|additional/i);
  });

  it('fails on an unknown key inside a target section', async () => {
    const bad = structuredClone(config) as { nsis: Record<string, unknown> };
    bad.nsis.perMachineTypo = true;
    await expect(validateConfiguration(bad, logger)).rejects.toThrow();
  });

  it('names the product, enables asar, keeps files to built output, registers no URL scheme', () => {
    expect(config.productName).toBe('Gatehouse');
    expect(config.asar).toBe(true);
    expect(config.files).toContain('dist/**/*');
    expect(JSON.stringify(config.files)).not.toMatch(/main\/|renderer\/|test\//);
    expect(config).not.toHaveProperty('protocols');
  });

  it('targets nsis, dmg + zip, AppImage + deb', () => {
    const targets = (section: string) =>
      ((config[section] as { target: Array<{ target: string }> }).target ?? []).map(
        (t) => t.target,
      );
    expect(targets('win')).toEqual(['nsis']);
    expect(targets('mac')).toEqual(['dmg', 'zip']);
    expect(targets('linux')).toEqual(['AppImage', 'deb']);
    expect((config.nsis as { perMachine: boolean }).perMachine).toBe(false);
  });
});
