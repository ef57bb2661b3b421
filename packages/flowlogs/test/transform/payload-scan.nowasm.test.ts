import { describe, expect, it, vi } from 'vitest';
import { loadJsonKernel } from '../../src/transform/json-kernel.js';
import { expectScannerMatchesReference } from './random-payloads.js';

// As where WebAssembly SIMD is unavailable: JSON mode falls back to the JavaScript byte writer.
vi.mock('../../src/transform/json-kernel.js', () => ({ loadJsonKernel: () => undefined }));

describe('byte scanner vs JSON.parse path, without WebAssembly', () => {
  it('same outcome byte for byte with the JavaScript byte writer', () => {
    expect(loadJsonKernel()).toBeUndefined();
    expectScannerMatchesReference(600);
  });
});
