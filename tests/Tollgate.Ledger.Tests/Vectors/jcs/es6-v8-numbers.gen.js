// Regenerates es6-v8-numbers.csv: `node es6-v8-numbers.gen.js > es6-v8-numbers.csv`.
// Each line is "<16 hex digits of the IEEE 754 bits>,<String(value) as computed by V8>".
// RFC 8785 Appendix B suggests V8 "as a live reference together with a program generating
// a substantial amount of random IEEE 754 values"; this is that, frozen. Deterministic: the
// random values come from SHA-256 of a counter, not Math.random.
'use strict';
const crypto = require('crypto');

const view = new DataView(new ArrayBuffer(8));
const hexOf = (x) => { view.setFloat64(0, x); return view.getBigUint64(0).toString(16).padStart(16, '0'); };
const fromBits = (bits) => { view.setBigUint64(0, bits); return view.getFloat64(0); };
const bitsOf = (x) => { view.setFloat64(0, x); return view.getBigUint64(0); };
const next = (x, d) => fromBits(bitsOf(x) + BigInt(d)); // neighbour of a positive double
let counter = 0;
const random64 = () => crypto.createHash('sha256').update('tollgate-es6-' + counter++).digest().readBigUInt64BE(0);

const values = [];
const add = (x) => { if (Number.isFinite(x)) values.push(x); };

// Layout thresholds of ECMA-262 7.1.12.1 (n = 21 and n = -6) and their neighbours.
for (const x of [1e21, 1e-6, 1e-7, 1e20, 1e22, 1e23, 1e-5, 9007199254740992, 2 ** 64, 2 ** 70])
  for (const d of [-2, -1, 0, 1, 2]) { add(next(x, d)); add(-next(x, d)); }
// Powers of ten and of two across the whole range.
for (let e = -324; e <= 308; e += 7) add(Number('1e' + e));
for (let e = -1074; e <= 1023; e += 37) add(2 ** e);
// Subnormals, the smallest normal, the largest values, small integers and fractions.
for (const b of [1n, 2n, 3n, 0xfffffffffffffn, 0x10000000000000n, 0x7fefffffffffffffn, 0x7feffffffffffffen]) add(fromBits(b));
for (const x of [0.1, 0.2, 0.3, 1 / 3, 2 / 3, 0.5, 1.5, 123.456, 4.35, 0.000001234, 1234567890123456789, 5e-324, 1.7976931348623157e308]) add(x);
// Random bit patterns (every finite double is equally likely per exponent bucket).
while (values.length < 400) add(fromBits(random64()));
// Random short decimals m × 10^e, the values people actually write.
while (values.length < 600) {
  const r = random64();
  const digits = Number(r % 17n) + 1;
  const mantissa = (r >> 8n) % (10n ** BigInt(digits));
  const exponent = Number((r >> 40n) % 61n) - 30;
  add(Number(mantissa + 'e' + exponent) * (r & 1n ? -1 : 1));
}

for (const x of values) process.stdout.write(hexOf(x) + ',' + String(x) + '\n');
