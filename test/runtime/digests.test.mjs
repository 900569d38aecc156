// Refactor safety net: the parity battery (SIMD and scalar builds) and a quick-preset run
// reproduce the digests recorded in test/fixtures/digests.json bit for bit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { battery, BATTERY_KEYS } from '../helpers/battery.mjs';
import { FIXTURE, quickPresetDigest } from '../helpers/digests.mjs';

const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8'));

test('the fixture lists exactly the battery keys', () => {
  assert.equal(Object.keys(fixture.battery).sort(), [...BATTERY_KEYS].sort());
});

for (const simd of [true, false]) {
  test(`Node ${simd ? 'SIMD' : 'scalar'} build: battery digests equal the recorded ones`, async () => {
    const lt = await import(`../../dist/index.js?digests=${simd}`);
    const { simd: got, ...digests } = await battery(lt, { simd });
    assert.is(got, simd);
    assert.equal(digests, fixture.battery);
  });
}

test('quick preset: results.jsonl rows (minus timings) equal the recorded digest', () => {
  assert.equal(quickPresetDigest(), fixture.quickPreset);
});

test.run();
