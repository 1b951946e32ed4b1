/**
 * Writes the icons of public/ from one drawing: a brand-700 rounded square with a white pulse line.
 * `npx tsx scripts/make-icons.ts` rewrites favicon.svg, favicon.ico (16×16 and 32×32 PNGs in an
 * ICO container), apple-touch-icon.png (180×180) and icon-192.png / icon-512.png for the web app
 * manifest. The raster images are drawn here (4×4 supersampling) and encoded with node:zlib, so
 * nothing is downloaded and the output is the same on every machine; the files are committed.
 */
import { writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

/** brand-700 of app/app.css. */
const BRAND = [0x43, 0x38, 0xca] as const
const VIEW = 32
const RADIUS = 7
const STROKE = 3
const PULSE: [number, number][] = [
  [5, 17],
  [11, 17],
  [14, 9],
  [18, 24],
  [21, 13],
  [23, 17],
  [27, 17],
]

function svg(): string {
  const points = PULSE.map(([x, y]) => `${x},${y}`).join(' ')
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${VIEW} ${VIEW}">
  <rect width="${VIEW}" height="${VIEW}" rx="${RADIUS}" fill="#${BRAND.map((c) => c.toString(16).padStart(2, '0')).join('')}"/>
  <polyline points="${points}" fill="none" stroke="#fff" stroke-width="${STROKE}" stroke-linecap="round" stroke-linejoin="round"/>
</svg>
`
}

function insideRoundedSquare(x: number, y: number): boolean {
  if (x < 0 || y < 0 || x > VIEW || y > VIEW) return false
  const cx = Math.min(Math.max(x, RADIUS), VIEW - RADIUS)
  const cy = Math.min(Math.max(y, RADIUS), VIEW - RADIUS)
  return (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS ** 2
}

function onPulse(x: number, y: number): boolean {
  for (let i = 1; i < PULSE.length; i++) {
    const [ax, ay] = PULSE[i - 1]
    const [bx, by] = PULSE[i]
    const dx = bx - ax
    const dy = by - ay
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    if ((x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= (STROKE / 2) ** 2) return true
  }
  return false
}

/** RGBA pixels of the drawing at size × size. */
function raster(size: number): Buffer {
  const samples = 4
  const pixels = Buffer.alloc(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let alpha = 0
      let white = 0
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = ((px + (sx + 0.5) / samples) * VIEW) / size
          const y = ((py + (sy + 0.5) / samples) * VIEW) / size
          if (!insideRoundedSquare(x, y)) continue
          alpha++
          if (onPulse(x, y)) white++
        }
      }
      const o = (py * size + px) * 4
      if (alpha === 0) continue
      const w = white / alpha
      for (let c = 0; c < 3; c++) pixels[o + c] = Math.round(BRAND[c] * (1 - w) + 255 * w)
      pixels[o + 3] = Math.round((255 * alpha) / (samples * samples))
    }
  }
  return pixels
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(data: Buffer): number {
  let c = 0xffffffff
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

function png(size: number): Buffer {
  const pixels = raster(size)
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bit depth
  header[9] = 6 // RGBA
  // Each scanline starts with filter type 0 (none).
  const lines = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) pixels.copy(lines, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(lines, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** An ICO file holding PNG images (read by every current browser). */
function ico(sizes: number[]): Buffer {
  const images = sizes.map(png)
  const dir = Buffer.alloc(6 + 16 * sizes.length)
  dir.writeUInt16LE(0, 0)
  dir.writeUInt16LE(1, 2) // icon
  dir.writeUInt16LE(sizes.length, 4)
  let offset = dir.length
  sizes.forEach((size, i) => {
    const e = 6 + 16 * i
    dir[e] = size >= 256 ? 0 : size
    dir[e + 1] = size >= 256 ? 0 : size
    dir.writeUInt16LE(1, e + 4) // colour planes
    dir.writeUInt16LE(32, e + 6) // bits per pixel
    dir.writeUInt32LE(images[i].length, e + 8)
    dir.writeUInt32LE(offset, e + 12)
    offset += images[i].length
  })
  return Buffer.concat([dir, ...images])
}

writeFileSync('public/favicon.svg', svg())
writeFileSync('public/favicon.ico', ico([16, 32]))
writeFileSync('public/apple-touch-icon.png', png(180))
writeFileSync('public/icon-192.png', png(192))
writeFileSync('public/icon-512.png', png(512))
console.log('wrote public/favicon.svg, favicon.ico, apple-touch-icon.png, icon-192.png, icon-512.png')
