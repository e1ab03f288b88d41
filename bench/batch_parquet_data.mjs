// Long-format Parquet data for measuring odr batch's memory on large files (bench/README.md, "odr batch"):
// ROWS rows in groups of GROUP_SIZE, columns g (INT32), x, y (DOUBLE, y = 1 + 2x + noise), written by
// hyparquet-writer 0.17.0 (not our writer) in row groups of 100,000 rows.
// npm install hyparquet-writer@0.17.0 in a scratch folder S, copy this script there, then
//   node S/batch_parquet_data.mjs OUT.parquet ROWS GROUP_SIZE
import { parquetWriteFile } from 'hyparquet-writer'

const [out, rowsText, sizeText] = process.argv.slice(2)
const rows = Number(rowsText ?? 10_000_000), size = Number(sizeText ?? 4)
const g = new Int32Array(rows), x = new Float64Array(rows), y = new Float64Array(rows)
let seed = 12345
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
for (let i = 0; i < rows; i++) {
  g[i] = Math.floor(i / size)
  x[i] = i % size
  y[i] = 1 + 2 * x[i] + 0.1 * (random() - 0.5)
}
parquetWriteFile({
  filename: out,
  columnData: [
    { name: 'g', data: g, type: 'INT32', nullable: false },
    { name: 'x', data: x, type: 'DOUBLE', nullable: false },
    { name: 'y', data: y, type: 'DOUBLE', nullable: false },
  ],
  rowGroupSize: 100_000,
})
