// Parquet references for odr batch, written and read by an implementation independent of ours
// (hyparquet-writer 0.17.0 and hyparquet 1.31.5, pure JavaScript; Debian has no pyarrow).
//
//   npm install hyparquet@1.31.5 hyparquet-writer@0.17.0 in a scratch folder S, copy this script there
//   (ES modules resolve packages beside the script) and run it from this folder: node S/make_parquet_reference.mjs ...
//   node S/make_parquet_reference.mjs write
//       peaks.parquet: peaks.csv (24 groups of 40 points) as Parquet, pixel as text, x and y as doubles,
//                      in row groups of 100 rows, so groups straddle row groups.
//       typed.parquet: 6 groups of a decay signal = a*exp(-k*t): key INT64 (beyond 2^53), t FLOAT
//                      (exact binary fractions), signal DOUBLE with a null in group 3, a NaN in group 4,
//                      group 5 of 1 point, and a text column note; row groups of 7 rows.
//   odr batch peaks.parquet --group pixel --x x --y y --model 'B0 + B1*exp(-((x-B2)/B3)^2)' --beta0=0.5,4,10,1.5 --output peaks_out.parquet
//   odr batch typed.parquet --group key --x t --y signal --model 'B0*exp(-B1*t)' --beta0 2,0.3 --output typed_out.parquet
//   node S/make_parquet_reference.mjs read peaks_out.parquet typed_out.parquet
//       peaks_out.hyparquet.json, typed_out.hyparquet.json: every row as hyparquet reads it (numbers as
//       shortest round-trip text, so the test compares bits).
import { parquetWriteFile } from 'hyparquet-writer'
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet'
import { readFileSync, writeFileSync } from 'node:fs'

const mode = process.argv[2]
if (mode === 'write') {
  const lines = readFileSync('peaks.csv', 'utf8').trim().split('\n').slice(1).map(l => l.split(','))
  parquetWriteFile({
    filename: 'peaks.parquet',
    columnData: [
      { name: 'pixel', data: lines.map(l => l[0]), type: 'STRING' },
      { name: 'x', data: lines.map(l => Number(l[1])), type: 'DOUBLE' },
      { name: 'y', data: lines.map(l => Number(l[2])), type: 'DOUBLE' },
    ],
    rowGroupSize: 100,
  })

  const key = [], t = [], signal = [], note = []
  for (let g = 0; g < 6; g++) {
    const a = 2 + 0.1 * g, k = 0.3 + 0.02 * g
    const points = g === 5 ? 1 : 10
    for (let i = 0; i < points; i++) {
      key.push(9007199254740993n + BigInt(g)) // 2^53 + 1 + g: not a double
      t.push(0.5 * i)
      let s = a * Math.exp(-k * 0.5 * i) + 0.01 * Math.sin(g * 31 + i * 7.3)
      if (g === 3 && i === 4) s = null
      if (g === 4 && i === 2) s = NaN
      signal.push(s)
      note.push(`g${g}`)
    }
  }
  parquetWriteFile({
    filename: 'typed.parquet',
    columnData: [
      { name: 'key', data: key, type: 'INT64' },
      { name: 't', data: t, type: 'FLOAT' },
      { name: 'signal', data: signal, type: 'DOUBLE' },
      { name: 'note', data: note, type: 'STRING' },
    ],
    rowGroupSize: 7,
  })
} else if (mode === 'read') {
  for (const file of process.argv.slice(3)) {
    const buffer = await asyncBufferFromFile(file)
    const metadata = await parquetMetadataAsync(buffer)
    const rows = await parquetReadObjects({ file: buffer })
    const show = v => typeof v === 'bigint' ? v.toString() : typeof v === 'number' ? (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v)) : v
    const out = {
      reader: 'hyparquet 1.31.5',
      row_groups: metadata.row_groups.length,
      columns: metadata.schema.slice(1).map(s => ({ name: s.name, type: s.type, repetition: s.repetition_type })),
      rows: rows.map(r => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, show(v)]))),
    }
    writeFileSync(file.replace(/\.parquet$/, '.hyparquet.json'), JSON.stringify(out, null, 1) + '\n')
  }
} else {
  console.error('usage: node make_parquet_reference.mjs write | read FILE.parquet...')
  process.exit(2)
}
