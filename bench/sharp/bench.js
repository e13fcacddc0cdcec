// The peer of bench/src/main/java/.../EngineBench.java: the same workloads with sharp (libvips),
// one thread, no operation cache, buffers in and out.
// Prints: sharp_ms=<median> sharp_rss_mb=<peak RSS> sharp_cpu_ms=<median process CPU time>
'use strict';
const fs = require('fs');
const sharp = require('sharp');

sharp.concurrency(1);
sharp.cache(false);

// sharp's defaults, with the engine's output settings where they are a choice (AVIF 4:2:0, effort 4),
// so the comparison is of the same work.
const fit = (o) => ({ ...o, withoutEnlargement: true });

const workloads = {
  W1_JPEG: (img) => img.rotate().resize(800, 800, fit({ fit: 'inside' })).jpeg({ quality: 80 }),
  W1_WEBP: (img) => img.rotate().resize(800, 800, fit({ fit: 'inside' })).webp({ quality: 80 }),
  W2_PNG: (img) => img.rotate().resize(400, null, fit({})).png(),
  W2_WEBP: (img) => img.rotate().resize(400, null, fit({})).webp({ quality: 80 }),
  W3: (img) => img.rotate().resize(200, 200, fit({ fit: 'cover', position: 'centre' })).jpeg({ quality: 80 }),
  W4_AVIF: (img) => img.rotate().resize(800, 800, fit({ fit: 'inside' })).avif({ quality: 50, effort: 4, chromaSubsampling: '4:2:0' }),
};

async function main() {
  const [name, ...files] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const opt = (k, d) => { const a = process.argv.find((x) => x.startsWith(`--${k}=`)); return a ? Number(a.split('=')[1]) : d; };
  const warmup = opt('warmup', 8);
  const runs = opt('runs', 15);
  const make = workloads[name.toUpperCase()];
  if (!make || files.length === 0) {
    console.error(`usage: node bench.js <${Object.keys(workloads).join('|')}> image... [--warmup=N] [--runs=N]`);
    process.exit(2);
  }
  const sources = files.map((f) => fs.readFileSync(f));
  for (const src of sources) for (let i = 0; i < warmup; i++) await make(sharp(src)).toBuffer();
  const ms = [];
  const cpuMs = [];
  let bytes = 0;
  for (let r = 0; r < runs; r++) {
    for (const src of sources) {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const out = await make(sharp(src)).toBuffer();
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
      const c = process.cpuUsage(c0);
      cpuMs.push((c.user + c.system) / 1000);
      bytes += out.length;
    }
  }
  ms.sort((a, b) => a - b);
  cpuMs.sort((a, b) => a - b);
  const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`sharp_ms=${ms[Math.floor(ms.length / 2)].toFixed(1)} sharp_rss_mb=${rssMb} sharp_cpu_ms=${cpuMs[Math.floor(cpuMs.length / 2)].toFixed(1)} images=${sources.length} runs=${runs} bytes=${Math.round(bytes / runs)}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
